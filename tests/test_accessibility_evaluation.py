"""Evaluation against a standard on SYNTHETIC points: boundary rule, Gemeinde summary, gap ranking."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from atlas.accessibility import (
    DEFAULTS,
    AccessibilityError,
    Luftlinie,
    Standard,
    compute_reachability,
    evaluate,
    prepare_origins,
    prepare_sites,
)
from tests.fixtures.synthetic_accessibility import origins_gdf, sites_gdf

NO_DETOUR = dataclasses.replace(DEFAULTS, umwegfaktor=1.0)


def std(schwelle: float, einheit: str, vergleich: str = ">", mode: str = "walk") -> Standard:
    return Standard(
        id="test", kategorie="Grundschule", label="Test", mode=mode, schwelle=schwelle, einheit=einheit,
        vergleich=vergleich, art="rechtsnorm", quelle="synthetisch",
    )


def boundary_result(xs: list[float], params=NO_DETOUR):
    origins = prepare_origins(origins_gdf([(x, 0, 1, 0, 0, "1") for x in xs]))
    sites = prepare_sites(sites_gdf([("S", 0, 0, "Grundschule")]))
    return compute_reachability(origins, sites, Luftlinie("walk", params))


def test_boundary_strict_greater_is_default() -> None:
    # 1999 m, exactly 2000 m, 2001 m – "beyond" with ">" means strictly more than 2 km
    res = boundary_result([1999, 2000, 2001])
    assert list(evaluate(res, std(2, "km")).jenseits) == [False, False, True]
    assert list(evaluate(res, std(2, "km", ">=")).jenseits) == [False, True, True]


def test_boundary_in_minutes() -> None:
    # walking 75 m/min: 1125 m = exactly 15 min
    res = boundary_result([1124, 1125, 1126])
    assert res.costs.zeit_min[1] == pytest.approx(15.0)
    assert list(evaluate(res, std(15, "min")).jenseits) == [False, False, True]
    assert list(evaluate(res, std(15, "min", ">=")).jenseits) == [False, True, True]


def test_boundary_tolerates_float_rounding() -> None:
    # 2000/1.3 m × 1.3 is 1999.9999999999998 in floating point: still counts as exactly 2 km
    res = boundary_result([2000 / 1.3], params=DEFAULTS)
    assert list(evaluate(res, std(2, "km", ">=")).jenseits) == [True]
    assert list(evaluate(res, std(2, "km", ">")).jenseits) == [False]


@pytest.fixture
def bewertung():
    rows = [
        (1000, 0, 100, 20, 30, "A"),  # 1000 m – within
        (3000, 0, 50, 10, 5, "A"),  # 3000 m – beyond
        (0, 4000, 200, 50, 40, "B"),  # 4000 m – beyond
        (0, 500, 0, 0, 0, "B"),  # unpopulated – dropped
        (0, 1500, 300, 0, 100, "B"),  # 1500 m – within
    ]
    origins = prepare_origins(origins_gdf(rows))
    sites = prepare_sites(sites_gdf([("S1", 0, 0, "Grundschule")]))
    return evaluate(compute_reachability(origins, sites, Luftlinie("walk", NO_DETOUR)), std(2, "km"))


def test_gemeinde_summary_hand_computed(bewertung) -> None:
    g = bewertung.gemeinden()
    assert list(g.index) == ["A", "B"]
    a, b = g.loc["A"], g.loc["B"]
    assert a["einwohner"] == 150 and a["zellen"] == 2
    assert a["distanz_m_mittel"] == pytest.approx((100 * 1000 + 50 * 3000) / 150)
    assert a["zeit_min_mittel"] == pytest.approx((100 * 1000 + 50 * 3000) / 150 / 75)
    assert (a["einwohner_jenseits"], a["u15_jenseits"], a["ue65_jenseits"]) == (50, 10, 5)
    assert a["anteil_einwohner_jenseits"] == pytest.approx(1 / 3)
    assert a["anteil_u15_jenseits"] == pytest.approx(10 / 30)
    assert a["anteil_ue65_jenseits"] == pytest.approx(5 / 35)
    assert b["einwohner"] == 500 and b["zellen"] == 2
    assert b["distanz_m_mittel"] == pytest.approx((200 * 4000 + 300 * 1500) / 500)
    assert (b["einwohner_jenseits"], b["u15_jenseits"], b["ue65_jenseits"]) == (200, 50, 40)
    assert b["anteil_u15_jenseits"] == pytest.approx(1.0)
    assert set(g["methode"]) == {"luftlinie"}
    assert (g["einwohner_ohne_ergebnis"] == 0).all()


def test_total_and_gaps(bewertung) -> None:
    t = bewertung.gesamt()
    assert t["einwohner"] == 650 and t["einwohner_jenseits"] == 250
    assert t["distanz_m_mittel"] == pytest.approx((250_000 + 1_250_000) / 650)
    gaps = bewertung.groesste_luecken(5)
    assert list(gaps.index) == ["B", "A"] and list(gaps["rang"]) == [1, 2]
    cells = bewertung.zellen()
    assert list(cells["jenseits"]) == [False, True, True, False]
    assert cells.loc["z2", "wert"] == pytest.approx(4.0) and set(cells["einheit"]) == {"km"}
    assert "Grundschule" in bewertung.titel and "Luftlinie" in bewertung.titel


def test_mode_mismatch(bewertung) -> None:
    with pytest.raises(AccessibilityError, match="gilt für Pkw"):
        evaluate(bewertung.result, std(15, "min", mode="car"))


def test_no_result_is_never_beyond() -> None:
    s = std(2, "km")
    assert list(s.jenseits(np.array([np.nan, 2500.0]), np.array([np.nan, 1.0]))) == [False, True]
