"""Benchmark of the stop catchment standard (not a test). Run: ``python bench/bench_stop_catchment.py``.

SYNTHETIC but county-sized: 1,400 populated 1-km cells over 40 × 35 km and 1,900 stops (as many as the
study area's stop register holds: 60 stations, 80 on-demand-only stops, the rest bus stops).

* the atlas: 100 sample points per cell (every 100 m), only (cell, stop) pairs in reach tested
  (:mod:`atlas.accessibility.stop_catchment`); what-if searches only the new stop;
* the obvious GIS alternative: buffer every stop (600 m / 1,200 m), dissolve, intersect with the cell squares
  and take the covered area share (shapely 2, vectorised) – exact areas, the same question.

Then the same on the REAL county: populated 1-km cells of the Kreis and the stop register of the build
(``atlas build``; built into a temporary folder when missing).

Bar: all county origins and a what-if "new stop" < 100 ms. Prints both times, the ratio and the largest
difference in people beyond the catchment between the two methods.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from atlas.accessibility import Origins
from atlas.accessibility.stop_catchment import (
    Haltestellen,
    add_stops,
    catchment,
    catchment_delta,
    load_catchment,
    new_stops,
)


from _data import county_data  # noqa: E402  (bench/ is the scripts' folder, first on sys.path)
from _timing import best_of as _best_of  # noqa: E402


def best_of(fn, repeat: int = 5) -> tuple[float, object]:
    return _best_of(fn, repeat)


def main() -> None:
    rng = np.random.default_rng(2)
    gx, gy = np.meshgrid(np.arange(500, 40_000, 1000), np.arange(500, 35_000, 1000))
    xy = np.column_stack([gx.ravel(), gy.ravel()]).astype(float)
    n = len(xy)
    pop = rng.integers(1, 2000, n).astype(float)
    origins = Origins(pd.RangeIndex(n), xy, pop, pop * 0.13, pop * 0.25,
                      np.array([str(i % 39) for i in range(n)], dtype=object))
    kinds = np.array(["bahn"] * 60 + ["rufbus"] * 80 + ["bus"] * 1760)
    stops = Haltestellen(
        ids=np.array([f"h{i}" for i in range(len(kinds))], dtype=object),
        xy=np.column_stack([rng.uniform(-5000, 45_000, len(kinds)), rng.uniform(-5000, 40_000, len(kinds))]),
        bahn=kinds == "bahn",
        rufbus=kinds == "rufbus",
    )
    std = load_catchment()
    t_atlas, base = best_of(lambda: catchment(origins, stops, std))
    beyond = base.zellen()["einwohner_ausserhalb"].to_numpy()
    print(f"{n} cells, {len(kinds)} stops: atlas catchment {t_atlas * 1000:.1f} ms; "
          f"{beyond.sum() / pop.sum():.1%} of people beyond every stop, "
          f"{(base.zellen()['einwohner_nur_rufbus'].sum()) / pop.sum():.1%} with on-demand only")

    def what_if():
        after = add_stops(base, new_stops([[float(xy[np.argmax(beyond), 0]), float(xy[np.argmax(beyond), 1])]]))
        return catchment_delta(base, after)

    t_wi, d = best_of(what_if)
    print(f"what-if 'new stop here' (new stop only + per-Gemeinde delta): {t_wi * 1000:.1f} ms; "
          f"people newly within: {abs(d['einwohner_ausserhalb_differenz'].sum()):.0f}")
    print(f"bar < 100 ms: catchment {'ok' if t_atlas < 0.1 else 'MISSED'}, what-if {'ok' if t_wi < 0.1 else 'MISSED'}")

    def overlay():
        regular = ~stops.rufbus
        radius = np.where(stops.bahn[regular], std.radius_bahn_m, std.radius_bus_m)
        union = shapely.union_all(shapely.buffer(shapely.points(stops.xy[regular]), radius, quad_segs=16))
        cells = shapely.box(xy[:, 0] - 500, xy[:, 1] - 500, xy[:, 0] + 500, xy[:, 1] + 500)
        return shapely.area(shapely.intersection(cells, union)) / 1e6

    t_gis, share = best_of(overlay, 2)
    not_regular = pop * (1 - base.anteil_regulaer)  # the overlay knows no on-demand distinction
    diff = np.abs(pop * (1 - share) - not_regular)
    print(f"buffer + union + intersection (shapely 2): {t_gis * 1000:.0f} ms; ratio overlay/atlas = {t_gis / t_atlas:.0f}×; "
          f"people beyond, sampled vs exact area: largest cell difference {diff.max():.0f} of up to 2,000, "
          f"total {not_regular.sum():.0f} vs {(pop * (1 - share)).sum():.0f} (people not within a regular stop's catchment)")


def real_county() -> None:
    from atlas.accessibility.county import county_origins
    from atlas.transit.view import stops_of

    data = county_data()
    origins = county_origins(data)
    stops = stops_of(data)
    if stops is None:
        print("REAL county: the build has no stop layer – skipped")
        return
    std = load_catchment()
    t_c, base = best_of(lambda: catchment(origins, stops, std))
    z = base.zellen()
    i = int(np.argmax(z["einwohner_ausserhalb"].to_numpy()))

    def what_if():
        return catchment_delta(base, add_stops(base, new_stops(origins.xy[[i]])))

    t_w, d = best_of(what_if)
    print(f"REAL county: {len(origins)} populated cells, {len(stops)} stops ({int(stops.rufbus.sum())} on-demand only, "
          f"{int(stops.bahn.sum())} rail): catchment {t_c * 1000:.1f} ms, what-if new stop {t_w * 1000:.1f} ms "
          f"(bar < 100 ms: {'ok' if max(t_c, t_w) < 0.1 else 'MISSED'}); estimated people beyond every stop "
          f"{z['einwohner_ausserhalb'].sum():,.0f} of {z['einwohner'].sum():,.0f}, on-demand only "
          f"{z['einwohner_nur_rufbus'].sum():,.0f}; the new stop brings {-d['einwohner_ausserhalb_differenz'].sum():,.0f} "
          "within reach")


if __name__ == "__main__":
    main()
    real_county()
