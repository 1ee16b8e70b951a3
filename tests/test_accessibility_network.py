"""Network method on a SYNTHETIC hand-made road network (see fixtures/synthetic_accessibility.py)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from atlas.accessibility import (
    NoSitesError,
    Netz,
    build_network,
    compute_reachability,
    prepare_origins,
    prepare_sites,
)
from atlas.accessibility._helpers import exceeds
from atlas.accessibility.network import parse_maxspeed, path_lengths
from tests.fixtures.synthetic_accessibility import (
    ED_LENGTH,
    network_edges,
    oneway_edges,
    origins_gdf,
    sites_gdf,
)


def run(mode: str, origin_rows, site_rows, edges=None):
    net = build_network(network_edges() if edges is None else edges, mode, quelle="synthetisch")
    origins = prepare_origins(origins_gdf(origin_rows))
    sites = prepare_sites(sites_gdf(site_rows))
    return compute_reachability(origins, sites, Netz(net))


ORIGINS = [
    (0, 0, 10, 1, 1, "1"),  # z0 at A
    (1000, 0, 10, 1, 1, "1"),  # z1 at B
    (0, -100, 10, 1, 1, "1"),  # z2 100 m south of A (access leg)
    (0, -5000, 10, 1, 1, "1"),  # z3 far from any road: not attached
]
SITE_AT_D = [("D", 2000, 1000, "Kita")]


def test_network_built_as_expected() -> None:
    net = build_network(network_edges(), "walk")
    assert net.n_nodes == 5 and net.n_edges == 10  # 5 ways, both directions
    assert sorted(np.round(net.laenge_m, 3))[-1] == pytest.approx(ED_LENGTH, abs=1e-3)
    car = build_network(network_edges(), "car")
    # E–D: 2236.068 m at 120 km/h (2000 m/min); C–D residential default 30 km/h (500 m/min)
    assert sorted(np.round(car.zeit_min, 6)) == pytest.approx(sorted([1, 1, 1, 1, 2, 2, 1, 1, ED_LENGTH / 2000, ED_LENGTH / 2000]))


def test_walk_shortest_path_hand_computed() -> None:
    cells = run("walk", ORIGINS, SITE_AT_D).zellen()
    # A→B→C→D = 3000 m (A→E→D would be 3236 m); walking 75 m/min
    assert cells.loc["z0", "distanz_m"] == pytest.approx(3000.0)
    assert cells.loc["z0", "zeit_min"] == pytest.approx(40.0)
    assert cells.loc["z1", "distanz_m"] == pytest.approx(2000.0)
    # access leg 100 m at 4.5 km/h
    assert cells.loc["z2", "distanz_m"] == pytest.approx(3100.0)
    assert cells.loc["z2", "zeit_min"] == pytest.approx(3100.0 / 75.0)
    assert list(cells["status"]) == ["ok", "ok", "ok", "nicht_angebunden"]
    assert math.isnan(cells.loc["z3", "distanz_m"]) and pd.isna(cells.loc["z3", "standort_id"])
    assert set(cells["methode"]) == {"netz"}


def test_car_fastest_path_and_its_length() -> None:
    res = run("car", ORIGINS, SITE_AT_D)
    cells = res.zellen()
    # A→E (1000 m @60 = 1 min) → D (2236.07 m @120 = 1.118 min): faster than A→B→C→D (4 min)
    assert cells.loc["z0", "zeit_min"] == pytest.approx(1 + ED_LENGTH / 2000)
    assert cells.loc["z0", "distanz_m"] == pytest.approx(1000 + ED_LENGTH)
    # B→C→D: 1 + 2 = 3 min < B→A→E→D: 3.118 min
    assert cells.loc["z1", "zeit_min"] == pytest.approx(3.0)
    assert cells.loc["z1", "distanz_m"] == pytest.approx(2000.0)
    # access leg by car: 100 m at 20 km/h = 0.3 min
    assert cells.loc["z2", "zeit_min"] == pytest.approx(0.3 + 1 + ED_LENGTH / 2000)
    assert "OSM-Straßennetz (synthetisch)" in res.methode_beschreibung
    assert "Einbahnstraßen beachtet" in res.methode_beschreibung


def test_site_access_leg_and_nearest_of_two() -> None:
    sites = [("D100", 2000, 1100, "Kita"), ("B", 1000, 0, "Kita")]
    cells = run("walk", ORIGINS[:2], sites).zellen()
    assert list(cells["standort_id"]) == ["B", "B"]
    cells = run("walk", [(2000, 0, 1, 0, 0, "1")], sites).zellen()  # at C: D100 is 1100 m, B is 1000 m
    assert cells.iloc[0]["standort_id"] == "B" and cells.iloc[0]["distanz_m"] == pytest.approx(1000.0)
    cells = run("walk", [(2000, 900, 1, 0, 0, "1")], sites).zellen()  # 100 m from D: D100 = 100 + 100
    assert cells.iloc[0]["standort_id"] == "D100" and cells.iloc[0]["distanz_m"] == pytest.approx(200.0)


def test_oneway_respected_by_car_only() -> None:
    origins = [(0, 0, 1, 0, 0, "1"), (2000, 0, 1, 0, 0, "1")]  # P, R
    cells = run("car", origins, [("Q", 1000, 0, "Kita")], oneway_edges()).zellen()
    assert list(cells["zeit_min"]) == pytest.approx([2.0, 2.0])  # P→Q yes, R→Q yes (oneway=-1)
    cells = run("car", [(1000, 0, 1, 0, 0, "1"), (0, 0, 1, 0, 0, "1")], [("P", 0, 0, "Kita")], oneway_edges()).zellen()
    assert list(cells["status"]) == ["nicht_erreichbar", "ok"]  # Q→P forbidden
    cells = run("walk", [(1000, 0, 1, 0, 0, "1")], [("P", 0, 0, "Kita")], oneway_edges()).zellen()
    assert cells.iloc[0]["distanz_m"] == pytest.approx(1000.0)  # walking ignores oneway


def test_site_far_from_network() -> None:
    with pytest.raises(NoSitesError, match="näher als 710 m am Straßennetz"):
        run("walk", ORIGINS, [("X", 50_000, 0, "Kita")])
    res = run("walk", ORIGINS[:1], [("X", 50_000, 0, "Kita"), ("D", 2000, 1000, "Kita")])
    assert res.standorte_nicht_angebunden == ["X"]


def test_largest_component_only() -> None:
    from shapely.geometry import LineString

    edges = network_edges()
    far = edges.iloc[[0]].copy()
    far["u"], far["v"] = 98, 99
    far.geometry = [LineString([(700_000, 5_700_000), (700_100, 5_700_000)])]
    net = build_network(pd.concat([edges, far]), "walk")
    assert net.n_nodes == 5 and 98 not in set(net.node_ids)


def test_coverage_consistent_with_nearest() -> None:
    net = build_network(network_edges(), "car")
    verfahren = Netz(net)
    origins = prepare_origins(origins_gdf([(x, y, 1, 0, 0, "1") for x, y in [(0, 0), (1000, 0), (2000, 0), (0, 1000), (0, -100)]]))
    cands = prepare_sites(sites_gdf([(f"c{i}", x, y, "K") for i, (x, y) in enumerate([(0, 0), (2000, 1000), (1000, 0)])]))
    cov = verfahren.coverage(origins, cands, 2.0, "min", inclusive=False).toarray()
    for c in range(len(cands)):
        t = verfahren.nearest(origins, cands.subset([c])).zeit_min
        np.testing.assert_array_equal(cov[c], ~exceeds(t, 2.0, inclusive=False) & np.isfinite(t))
    # candidate at A covers C at exactly 2.0 min (C→B→A), the boundary counts as within
    assert cov[0, 2]


@pytest.mark.parametrize(
    ("raw", "kmh"),
    [("50", 50.0), ("30 mph", 48.28032), ("DE:urban", 50.0), ("DE:rural", 100.0), ("50;30", 30.0), ("none", math.nan), (None, math.nan), ("signals", math.nan)],
)
def test_parse_maxspeed(raw, kmh) -> None:
    got = parse_maxspeed(raw)
    assert (math.isnan(got) and math.isnan(kmh)) or got == pytest.approx(kmh)


def test_path_lengths_pointer_jumping() -> None:
    # tree: 0 root, 1←0 (len 2), 2←1 (3), 3←2 (4), 4 unreached
    pred = np.array([-9999, 0, 1, 2, -9999])
    np.testing.assert_allclose(path_lengths(pred, np.array([0, 2, 3, 4, 0.0])), [0, 2, 5, 9, 0])
