"""Benchmark of the timetable travel times (not a test). Run: ``python bench/bench_transit.py``.

A SYNTHETIC county-sized GTFS feed (a Landkreis of 40 × 35 km: 600 stops, 60 bus lines, ≥ 10,000
trips a weekday) is written as a zip, read with :func:`atlas.transit.read_feed`, and travel times are
computed from every origin (1,400 populated 1-km cells) to one category (30 sites), departure
window 07:00–09:00 every minute (120 departures per origin):

* the atlas: one ``scipy.sparse.csgraph.dijkstra(min_only=True)`` over the reversed time-expanded
  graph plus binary search per origin and minute (:mod:`atlas.transit.routing`);
* the obvious alternative: ``networkx.multi_source_dijkstra_path_length`` on the *same* reversed
  graph (the search alone; the post-processing is the same numpy code and not repeated).

Prints figures and the ratio; bar: all origins → one category < 2 s.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import networkx as nx
import numpy as np
from pyproj import Transformer
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from atlas.transit import read_feed  # noqa: E402
from atlas.transit.routing import Abfahrtsfenster, earliest_arrival_at_stops, travel_times  # noqa: E402
from atlas.transit.timetable import MIN_WEIGHT, build_timetable  # noqa: E402

CRS = "EPSG:25832"
X0, Y0 = 570_000.0, 5_580_000.0
MONDAY = dt.date(2026, 1, 5)


def _hms(s: float) -> str:
    s = int(s)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def synthetic_feed(path: Path, rng: np.random.Generator, n_stops: int = 600, n_lines: int = 60) -> tuple[int, int]:
    """Write the SYNTHETIC feed; returns (stops, trips)."""
    xy = np.column_stack([rng.uniform(0, 40_000, n_stops), rng.uniform(0, 35_000, n_stops)])
    to_wgs = Transformer.from_crs(CRS, "EPSG:4326", always_xy=True)
    lon, lat = to_wgs.transform(X0 + xy[:, 0], Y0 + xy[:, 1])
    stops = ["stop_id,stop_name,stop_lat,stop_lon"] + [f"S{i},Halt {i},{lat[i]:.7f},{lon[i]:.7f}" for i in range(n_stops)]
    trips = ["route_id,service_id,trip_id"]
    st = ["trip_id,arrival_time,departure_time,stop_id,stop_sequence"]
    routes = ["route_id,route_short_name,route_type"]
    n_trips = 0
    for line in range(n_lines):
        routes.append(f"L{line},{line + 1},3")
        # a line: 12–24 stops, each the nearest unused stop to the previous one in a random direction
        k = int(rng.integers(12, 25))
        seq = [int(rng.integers(n_stops))]
        for _ in range(k - 1):
            d = np.linalg.norm(xy - xy[seq[-1]], axis=1)
            d[seq] = np.inf
            cand = np.argsort(d)[:4]
            seq.append(int(rng.choice(cand)))
        legs = np.linalg.norm(np.diff(xy[seq], axis=0), axis=1) * 1.4 / (30 / 3.6)  # 30 km/h, detour 1.4
        offsets = np.r_[0.0, np.cumsum(np.round(legs / 60) * 60 + 60)]
        headway = int(rng.choice([600, 900, 1200]))
        for direction in (0, 1):
            order = seq if direction == 0 else seq[::-1]
            offs = offsets if direction == 0 else offsets[-1] - offsets[::-1]
            for start in range(5 * 3600 + int(rng.integers(0, headway)), 24 * 3600, headway):
                tid = f"T{n_trips}"
                trips.append(f"L{line},W,{tid}")
                for i, (s, o) in enumerate(zip(order, offs, strict=True)):
                    t = _hms(start + o)
                    st.append(f"{tid},{t},{t},S{s},{i + 1}")
                n_trips += 1
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("agency.txt", "agency_name,agency_url,agency_timezone\nSynthetischer Kreisverkehr,https://example.org,Europe/Berlin\n")
        zf.writestr("stops.txt", "\n".join(stops) + "\n")
        zf.writestr("routes.txt", "\n".join(routes) + "\n")
        zf.writestr("trips.txt", "\n".join(trips) + "\n")
        zf.writestr("stop_times.txt", "\n".join(st) + "\n")
        zf.writestr(
            "calendar.txt",
            "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
            "W,1,1,1,1,1,0,0,20260101,20261231\n",
        )
    return n_stops, n_trips


from _timing import best_of  # noqa: E402  (bench/ is the scripts' folder, first on sys.path)


def main() -> None:
    rng = np.random.default_rng(11)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kreis_synthetisch.zip"
        n_stops, n_trips = synthetic_feed(path, rng)
        t = time.perf_counter()
        feed = read_feed(path)
        t_read = time.perf_counter() - t
    print(f"SYNTHETIC feed: {n_stops} stops, {n_trips} trips, {len(feed.stop_times):,} stop times; read in {t_read:.2f} s")
    t_graph, graph = best_of(lambda: build_timetable(feed, MONDAY, CRS), 1)
    print(f"time-expanded graph of the day: {graph.n_nodes:,} nodes, {len(graph.edges_w):,} edges, built in {t_graph:.2f} s")
    gx, gy = np.meshgrid(np.arange(500, 40_000, 1000), np.arange(500, 35_000, 1000))
    cells = np.column_stack([gx.ravel(), gy.ravel()]) + [X0, Y0]
    origins = cells[rng.random(len(cells)) < 1.0]
    sites = origins[rng.choice(len(origins), 30, replace=False)] + rng.normal(0, 300, (30, 2))
    fenster = Abfahrtsfenster(dt.time(7, 0), dt.time(9, 0), 1)
    t_query, res = best_of(lambda: travel_times(graph, origins, sites, fenster))
    ok = np.isfinite(res.median_min)
    print(
        f"atlas: {len(origins)} origins × {len(fenster.seconds())} departure minutes → nearest of {len(sites)} sites: "
        f"{t_query:.3f} s (bar < 2 s: {'ok' if t_query < 2 else 'MISSED'}); median travel time "
        f"{np.median(res.median_min[ok]):.1f} min, {ok.mean():.0%} of origins connected"
    )
    t_ea, _ = best_of(lambda: earliest_arrival_at_stops(graph, sites))
    print(f"  of which earliest arrival at every stop × time (graph with sites + Dijkstra): {t_ea:.3f} s")

    # the same reversed graph for both searches
    n_nodes = graph.n_nodes + len(sites)
    from atlas.transit.routing import _pairs_within

    used = np.unique(graph.stop)
    si, sj, sd = _pairs_within(graph.stop_xy[used], sites, graph.gehen.max_gerade_m)
    si = used[si]
    ev_f, ev_t, ev_w = [], [], []
    for s, j, d in zip(si, sj, sd, strict=True):
        evs = np.flatnonzero((graph.stop == s) & graph.dropoff)
        ev_f.append(evs)
        ev_t.append(np.full(len(evs), graph.n_nodes + j))
        ev_w.append(np.full(len(evs), max(float(graph.gehen.seconds(d)), MIN_WEIGHT)))
    f = np.concatenate([graph.edges_from, *ev_f])
    t_ = np.concatenate([graph.edges_to, *ev_t])
    w = np.concatenate([graph.edges_w, *ev_w])
    rev = csr_matrix((w, (t_, f)), shape=(n_nodes, n_nodes))
    sources = list(range(graph.n_nodes, n_nodes))
    t_sp, dist = best_of(lambda: dijkstra(rev, directed=True, indices=sources, min_only=True))
    t_build = time.perf_counter()
    g = nx.DiGraph()
    g.add_nodes_from(range(n_nodes))
    g.add_weighted_edges_from(zip(t_.tolist(), f.tolist(), w.tolist(), strict=True))
    t_build = time.perf_counter() - t_build
    t_nx, nxd = best_of(lambda: nx.multi_source_dijkstra_path_length(g, sources), 1)
    agree = all(abs(dist[k] - v) < 1e-6 for k, v in list(nxd.items())[:: max(1, len(nxd) // 2000)])
    print(
        f"search only, same reversed graph ({n_nodes:,} nodes, {rev.nnz:,} edges): scipy csgraph.dijkstra {t_sp:.3f} s, "
        f"networkx multi_source_dijkstra {t_nx:.3f} s (+{t_build:.2f} s to build the nx graph); "
        f"ratio networkx/scipy = {t_nx / t_sp:.1f}×; results agree: {agree}"
    )
    print(f"whole query (atlas) vs networkx search alone: networkx is {t_nx / t_query:.1f}× the atlas's full query time")


if __name__ == "__main__":
    main()
