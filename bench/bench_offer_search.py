"""Benchmark of "Angebote in meiner Nähe" (not a test). Run: ``python bench/bench_offer_search.py``.

Bar: one search answers in < 200 ms server-side for the whole register. Timed, best of N:

1. atlas: :func:`atlas.offer_search.search` (numpy over prepared arrays) for several places and filters,
   including the gazetteer lookup of the typed place;
2. naive: the obvious pandas alternative – ``GeoDataFrame.apply`` per row computing the distance with
   shapely, filtering topics/target groups with per-row Python, then ``sort_values``;
3. geopandas: vectorised ``GeoSeries.distance`` + ``sort_values`` (no filters) for scale;
4. scaling: the register replicated ×50 (SYNTHETIC copies at the same points) to show headroom.

Uses the built GeoPackage (``atlas build``); builds into a temporary folder if there is none.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from atlas import schema  # noqa: E402
from atlas.offer_search import Filter, OfferIndex, gazetteer_from_atlas, index_from_atlas, search  # noqa: E402
from atlas.offer_search.targets import load_themen, load_zielgruppen, thema_for_kategorie  # noqa: E402
from _data import county_data  # noqa: E402  (bench/ is the scripts' folder, first on sys.path)

DAY = date(2026, 11, 25)
PLACES = ["Rosa", "Schwallungen", "Zella Mehlis", "98617 Herpf", "Steinbach Hallenberg"]
FILTERS = {
    "ohne Filter": Filter(),
    "Thema Familie": Filter(themen=frozenset({"familie"})),
    "Kita + heute geöffnet": Filter(themen=frozenset({"kita"}), nur_heute_offen=True),
    "Zielgruppe Alleinerziehende": Filter(zielgruppen=frozenset({"alleinerziehende"})),
}


def best_of(fn: Callable[[], object], repeat: int = 20) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def naive(frame: gpd.GeoDataFrame, point: Point, filt: Filter, by_kat: dict, groups) -> pd.DataFrame:
    """The obvious way: per-row apply for distance and filters, then sort."""
    df = frame.copy()
    df["dist"] = df.apply(lambda r: r.geometry.distance(point), axis=1)
    if filt.themen:
        df = df[df.apply(lambda r: by_kat.get(r["kategorie"]) in filt.themen, axis=1)]
    if filt.zielgruppen:
        wanted = [g for g in groups if g.id in filt.zielgruppen or (filt.mit_allgemeinen and g.allgemein)]
        df = df[df.apply(lambda r: any(g.matches(r["kategorie"], r["zielgruppe"]) for g in wanted), axis=1)]
    return df.sort_values("dist").head(10)


def main() -> None:
    data = county_data()
    offers = data.angebote
    print(f"Register: {len(offers)} Angebote mit Lage, {len(data[schema.UNPLACED_OFFERS_LAYER])} ohne Lage")
    t0 = time.perf_counter()
    gaz = gazetteer_from_atlas(data, address_sources=[])
    index = index_from_atlas(data)
    print(f"Vorbereitung (einmal je Build, gecacht): {1000 * (time.perf_counter() - t0):.1f} ms")
    by_kat = thema_for_kategorie(load_themen())
    groups = load_zielgruppen()

    print("\nSuche (Ort nachschlagen + filtern + sortieren), bestes von 20, Millisekunden:")
    print(f"{'Ort':<22}{'Filter':<30}{'atlas':>9}{'naiv (apply)':>14}{'Faktor':>9}")
    ratios = []
    worst = 0.0
    for name in PLACES:
        for label, filt in FILTERS.items():
            def ours(name=name, filt=filt):
                place = gaz.lookup(name).place
                return search(index, place.x, place.y, filt, day=DAY, limit=10)

            place = gaz.lookup(name).place
            pt = Point(place.x, place.y)
            t_ours = best_of(ours)
            t_naive = best_of(lambda pt=pt, filt=filt: naive(offers, pt, filt, by_kat, groups), repeat=5)
            worst = max(worst, t_ours)
            ratios.append(t_naive / t_ours)
            print(f"{name:<22}{label:<30}{1000 * t_ours:>9.2f}{1000 * t_naive:>14.1f}{t_naive / t_ours:>8.0f}×")
    print(f"\nLangsamste Suche: {1000 * worst:.2f} ms (Grenze 200 ms) – "
          f"{'eingehalten' if worst < 0.2 else 'ÜBERSCHRITTEN'}")
    print(f"Faktor gegenüber pandas-apply: Median {sorted(ratios)[len(ratios) // 2]:.0f}×, "
          f"kleinster {min(ratios):.0f}×")

    place = gaz.lookup("Rosa").place
    pt = Point(place.x, place.y)
    t_gpd = best_of(lambda: offers.geometry.distance(pt).sort_values().head(10))
    t_plain = best_of(lambda: search(index, place.x, place.y, day=DAY))
    print(f"\nNur Entfernung + Sortierung (Rosa, ohne Filter): atlas {1000 * t_plain:.2f} ms, "
          f"geopandas distance {1000 * t_gpd:.2f} ms ({t_gpd / t_plain:.1f}×)")

    # Scaling: SYNTHETIC ×50 register (copies of the real rows at the same points).
    big = gpd.GeoDataFrame(pd.concat([offers] * 50, ignore_index=True), crs=offers.crs)
    t0 = time.perf_counter()
    big_index = OfferIndex.build(big, data[schema.STATIONS_LAYER])
    t_build = time.perf_counter() - t0
    t_big = best_of(lambda: search(big_index, place.x, place.y, Filter(themen=frozenset({"kita"})), day=DAY), 10)
    t_big_naive = best_of(lambda: naive(big, pt, Filter(themen=frozenset({"kita"})), by_kat, groups), 2)
    print(f"Skalierung (SYNTHETISCH ×50 = {len(big)} Zeilen): Vorbereitung {1000 * t_build:.0f} ms, "
          f"Suche {1000 * t_big:.2f} ms, pandas-apply {1000 * t_big_naive:.0f} ms ({t_big_naive / t_big:.0f}×)")


if __name__ == "__main__":
    main()
