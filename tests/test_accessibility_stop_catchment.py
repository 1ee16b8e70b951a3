"""Stop catchment standard on SYNTHETIC cells and stops (expected shares counted by hand on the
5 × 5 sample points of a 1-km cell – ``raster=5``: offsets −400, −200, 0, 200, 400 m in x and y)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from atlas.accessibility import Origins
from atlas.accessibility.errors import StandardsError
from atlas.accessibility.stop_catchment import (
    Haltestellen,
    add_stops,
    catchment as _catchment,
    catchment_delta,
    load_catchment,
    new_stops,
)

STD = load_catchment()


def catchment(o, st, std, **kw):
    return _catchment(o, st, std, raster=5, **kw)


def _origins(*rows: tuple[float, float, float, str]) -> Origins:
    n = len(rows)
    return Origins(
        index=pd.Index([f"z{i}" for i in range(n)]),
        xy=np.array([[r[0], r[1]] for r in rows], dtype=float),
        einwohner=np.array([r[2] for r in rows]),
        u15=np.array([r[2] * 0.1 for r in rows]),
        ue65=np.array([r[2] * 0.3 for r in rows]),
        ags=np.array([r[3] for r in rows], dtype=object),
    )


def _stops(*rows: tuple[float, float, str]) -> Haltestellen:
    return Haltestellen(
        ids=np.array([f"h{i}" for i in range(len(rows))], dtype=object),
        xy=np.array([[r[0], r[1]] for r in rows], dtype=float).reshape(-1, 2),
        bahn=np.array([r[2] == "bahn" for r in rows], dtype=bool),
        rufbus=np.array([r[2] == "rufbus" for r in rows], dtype=bool),
    )


def test_standard_from_the_file() -> None:
    """geodata/standards.yaml: 600 m (stop) and 1,200 m (station) as the Deutschlandatlas/BBSR source says."""
    assert (STD.radius_bus_m, STD.radius_bahn_m) == (600, 1200)
    assert "600 Metern" in (STD.zitat or "") and "1.200 Metern" in (STD.zitat or "")
    assert STD.quelle_url and STD.quelle_url.startswith("https://www.deutschlandatlas.bund.de/")


def test_bus_stop_in_the_cell_covers_it() -> None:
    """Corner points are 566 m from the centre: all 25 within 600 m."""
    a = catchment(_origins((0, 0, 100, "1")), _stops((0, 0, "bus")), STD)
    assert a.anteil_regulaer[0] == 1.0 and a.anteil_ausserhalb[0] == 0.0


def test_bus_stop_1km_away_covers_one_point() -> None:
    """Stop at x = 1,000 m: only the point (400, 0) is within 600 m → 1/25; 96 of 100 people beyond."""
    a = catchment(_origins((0, 0, 100, "1")), _stops((1000, 0, "bus")), STD)
    assert a.anteil_regulaer[0] == pytest.approx(1 / 25)
    assert a.zellen()["einwohner_ausserhalb"].iloc[0] == pytest.approx(96.0)


def test_station_radius() -> None:
    """Station at x = 1,100 m, 1,200 m radius: columns x = 400, 200, 0 fully (|y| ≤ 974, 793, 479 m), x = −200
    (1,300 m) not → 15/25."""
    a = catchment(_origins((0, 0, 100, "1")), _stops((1100, 0, "bahn")), STD)
    assert a.anteil_regulaer[0] == pytest.approx(15 / 25)


def test_on_demand_only_counted_separately() -> None:
    """A Rufbus stop alone: the cell is 'nur Rufbus', not within; with a regular stop as well it is within."""
    a = catchment(_origins((0, 0, 100, "1")), _stops((0, 0, "rufbus")), STD)
    assert a.anteil_nur_rufbus[0] == 1.0 and a.anteil_regulaer[0] == 0.0 and a.anteil_ausserhalb[0] == 0.0
    b = catchment(_origins((0, 0, 100, "1")), _stops((0, 0, "rufbus"), (0, 0, "bus")), STD)
    assert b.anteil_nur_rufbus[0] == 0.0 and b.anteil_regulaer[0] == 1.0


def test_gemeinden_and_what_if_new_stop() -> None:
    """Gemeinde 1: a covered cell (100) and an uncovered one (50, 10 km away). Gemeinde 2: uncovered (20).
    A new stop in the 50-people cell removes 50 people (5 under 15, 15 over 65) from 'beyond'."""
    o = _origins((0, 0, 100, "1"), (10_000, 0, 50, "1"), (0, 10_000, 20, "2"))
    before = catchment(o, _stops((0, 0, "bus")), STD)
    g = before.gemeinden()
    assert g.loc["1", "einwohner_ausserhalb"] == pytest.approx(50.0)
    assert g.loc["1", "anteil_einwohner_ausserhalb"] == pytest.approx(50 / 150)
    assert g.loc["2", "einwohner_ausserhalb"] == pytest.approx(20.0)
    after = catchment(o, _stops((0, 0, "bus")).concat(new_stops([[10_000, 0]])), STD)
    d = catchment_delta(before, after)
    quick = add_stops(before, new_stops([[10_000, 0]]))
    np.testing.assert_array_equal(quick.regulaer, after.regulaer)
    assert d.loc["1", "einwohner_ausserhalb_differenz"] == pytest.approx(-50.0)
    assert d.loc["1", "u15_ausserhalb_differenz"] == pytest.approx(-5.0)
    assert d.loc["2", "einwohner_ausserhalb_differenz"] == 0.0
    assert before.gesamt()["einwohner_ausserhalb"] == pytest.approx(70.0)


def test_default_sampling_every_100m() -> None:
    """Default 10 × 10 samples (offsets ±50 … ±450 m), stop at x = 1,000 m, 600 m: column x = 450 (550 m
    away) → |y| ≤ 240, rows ±50 and ±150 = 4 points; column x = 350 is 650 m away → 4/100."""
    a = _catchment(_origins((0, 0, 100, "1")), _stops((1000, 0, "bus")), STD)
    assert a.anteil_regulaer[0] == pytest.approx(4 / 100)


def test_radius_override_and_bad_file(tmp_path: Path) -> None:
    wide = load_catchment(override={"radius_bus_m": 1000, "art": "eigene_vorgabe"})
    a = catchment(_origins((0, 0, 100, "1")), _stops((1000, 0, "bus")), wide)
    assert a.anteil_regulaer[0] > 1 / 25
    bad = tmp_path / "standards.yaml"
    bad.write_text("standards: []\nhaltestellen_einzugsbereich:\n  id: x\n  label: x\n  radius_bus_m: -5\n"
                   "  radius_bahn_m: 1200\n  art: x\n  quelle: x\n", encoding="utf-8")
    with pytest.raises(StandardsError, match="radius_bus_m"):
        load_catchment(bad)
    missing = tmp_path / "ohne.yaml"
    missing.write_text("standards: []\n", encoding="utf-8")
    with pytest.raises(StandardsError, match="haltestellen_einzugsbereich"):
        load_catchment(missing)
