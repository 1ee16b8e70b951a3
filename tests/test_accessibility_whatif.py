"""What-if scenarios on SYNTHETIC data: hand-checked deltas and incremental = full recomputation."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from atlas.accessibility import (
    DEFAULTS,
    AccessibilityError,
    Luftlinie,
    Netz,
    NoSitesError,
    Standard,
    add_sites,
    build_network,
    compute_reachability,
    evaluate,
    prepare_origins,
    prepare_sites,
    remove_sites,
    scenario_delta,
    sites_from_xy,
)
from atlas.accessibility.origins import Origins
from tests.fixtures.synthetic_accessibility import CRS, X0, Y0, network_edges, origins_gdf, sites_gdf

NO_DETOUR = dataclasses.replace(DEFAULTS, umwegfaktor=1.0)
STD = Standard(id="t", kategorie="Grundschule", label="T", mode="walk", schwelle=2, einheit="km", art="rechtsnorm", quelle="synthetisch")


@pytest.fixture
def base():
    rows = [
        (1000, 0, 100, 20, 30, "A"),  # 1000 m – within
        (3000, 0, 50, 10, 5, "A"),  # 3000 m – beyond
        (0, 4000, 200, 50, 40, "B"),  # 4000 m – beyond
        (0, 1500, 300, 0, 100, "B"),  # 1500 m – within
    ]
    verfahren = Luftlinie("walk", NO_DETOUR)
    origins = prepare_origins(origins_gdf(rows))
    sites = prepare_sites(sites_gdf([("S1", 0, 0, "Grundschule")]))
    return evaluate(compute_reachability(origins, sites, verfahren), STD), verfahren


def test_add_site_delta_hand_checked(base) -> None:
    bew, verfahren = base
    new, d = scenario_delta(bew, verfahren, add=sites_from_xy([[X0, Y0 + 3800]], ["N1"]))
    cells = new.zellen()
    assert cells.loc["z2", "standort_id"] == "N1" and cells.loc["z2", "distanz_m"] == pytest.approx(200.0)
    assert cells.loc["z0", "standort_id"] == "S1"
    assert d.gemeinden.loc["B", "einwohner_jenseits_delta"] == -200
    assert d.gemeinden.loc["B", "u15_jenseits_delta"] == -50
    assert d.gemeinden.loc["A", "einwohner_jenseits_delta"] == 0
    assert d.gesamt["einwohner_jenseits_vorher"] == 250 and d.gesamt["einwohner_jenseits_nachher"] == 50
    assert d.gesamt["ue65_jenseits_delta"] == -40
    # mean distance in B: before (200·4000 + 300·1500)/500, after (200·200 + 300·1500)/500
    assert d.gemeinden.loc["B", "distanz_m_mittel_delta"] == pytest.approx((200 * 200 - 200 * 4000) / 500)


def test_remove_site_recomputes(base) -> None:
    bew, verfahren = base
    res = add_sites(bew.result, verfahren, sites_from_xy([[X0, Y0 + 3800]], ["N1"]))
    res2 = remove_sites(res, verfahren, ["S1"])
    full = compute_reachability(bew.result.origins, sites_from_xy([[X0, Y0 + 3800]], ["N1"]), verfahren)
    np.testing.assert_allclose(res2.costs.distanz_m, full.costs.distanz_m)
    assert list(res2.zellen()["standort_id"]) == ["N1"] * 4
    new, d = scenario_delta(bew, verfahren, remove=["S1"], add=sites_from_xy([[X0, Y0 + 3800]], ["N1"]))
    # z0 (1000,0) is now √(1000²+3800²) = 3929 m away → beyond; z1 → 4841 m beyond; z3 → 2300 m beyond
    assert d.gesamt["einwohner_jenseits_nachher"] == 100 + 50 + 300


def test_errors(base) -> None:
    bew, verfahren = base
    with pytest.raises(AccessibilityError, match="Unbekannte Standorte können nicht entfernt werden: X"):
        remove_sites(bew.result, verfahren, ["X"])
    with pytest.raises(NoSitesError, match="kein Standort übrig"):
        remove_sites(bew.result, verfahren, ["S1"])
    with pytest.raises(AccessibilityError, match="bereits vergebene Kennungen: S1"):
        add_sites(bew.result, verfahren, sites_from_xy([[X0, Y0]], ["S1"]))
    with pytest.raises(AccessibilityError, match="demselben Verfahren"):
        add_sites(bew.result, Luftlinie("car"), sites_from_xy([[X0, Y0]], ["N"]))


def _random(n: int, seed: int) -> tuple[Origins, np.random.Generator]:
    rng = np.random.default_rng(seed)
    xy = np.column_stack([X0 + rng.uniform(-200, 2200, n), Y0 + rng.uniform(-200, 1200, n)])
    pop = rng.integers(1, 50, n).astype(float)
    return Origins(pd.RangeIndex(n), xy, pop, pop / 5, pop / 4, rng.choice(["A", "B"], n).astype(object), CRS), rng


@pytest.mark.parametrize("methode", ["luftlinie", "netz"])
def test_incremental_equals_full_recompute(methode: str) -> None:
    origins, rng = _random(150, 3)
    verfahren = Luftlinie("car") if methode == "luftlinie" else Netz(build_network(network_edges(), "car"))
    sites = sites_from_xy(np.column_stack([X0 + rng.uniform(0, 2000, 4), Y0 + rng.uniform(0, 1000, 4)]), prefix="s")
    extra = sites_from_xy(np.column_stack([X0 + rng.uniform(0, 2000, 3), Y0 + rng.uniform(0, 1000, 3)]), prefix="n")
    inc = add_sites(compute_reachability(origins, sites, verfahren), verfahren, extra)
    full = compute_reachability(origins, sites.concat(extra), verfahren)
    np.testing.assert_allclose(inc.costs.zeit_min, full.costs.zeit_min)
    np.testing.assert_allclose(inc.costs.distanz_m, full.costs.distanz_m)
    rem = remove_sites(inc, verfahren, ["s-1", "n-2"])
    keep = ~np.isin(sites.concat(extra).ids, ["s-1", "n-2"])
    full2 = compute_reachability(origins, sites.concat(extra).subset(keep), verfahren)
    np.testing.assert_allclose(rem.costs.zeit_min, full2.costs.zeit_min)
    assert list(rem.zellen()["standort_id"]) == list(full2.zellen()["standort_id"])
