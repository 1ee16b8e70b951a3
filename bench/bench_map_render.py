"""Server time per map and rerun: building and rendering the folium map (what every rerun did before
``pages/_maps.py``, and still does with ``ATLAS_KARTEN_CACHE=0``) against the cached path (the key of all
inputs, :func:`atlas.map_key.map_key`, plus the cache lookup), on the same built data.

Prints, per map of the pages' default views: build, render (``pages/_map_render.render_map``, exactly the work
``st_folium`` does), payload size, the cached path, and the ratio uncached/cached. Browser figures are in
``bench/bench_pages.py``. Run from the repository root with built data:
``PYTHONPATH=$PWD python bench/bench_map_render.py``.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Callable

from _timing import best_of

logging.getLogger("streamlit").setLevel(logging.ERROR)  # the cache runs outside a Streamlit session here
warnings.filterwarnings("ignore")


def main() -> None:
    from atlas.atlasdata import load_atlas
    from atlas.council.indicator_maps import MapChoice, area_layers, indicator_map, outline_gemeinde, slide_base, slide_layer
    from atlas.council.linked_maps import linked_indicator_maps
    from atlas.indicator_choice import map_indicators
    from atlas.layers import load_layers
    from atlas.map_key import map_key
    from atlas.mapview import MapOptions, build_map, prepare_base, switchable_layers, switchable_layers_group
    from atlas.sources import attribution_texts
    from pages import _maps
    from pages._map_render import render_groups, render_map

    data = load_atlas()
    base = prepare_base(data)
    layers = load_layers()
    inds = {i.id: i for i in map_indicators(data.gemeinden.columns)}
    switchable = switchable_layers(layers, base)  # as the page: hidden layers only when switched on
    karte = MapOptions(indicator=inds["einwohner"], legend_in_map=False,
                       deferred_layers=frozenset(layer.id for layer in switchable))
    karte_all = MapOptions(indicator=inds["einwohner"], legend_in_map=False)
    first, second = MapChoice(indicator=inds["p_harzt"]), MapChoice(indicator=inds["einwohner"])
    ags = str(data.gemeinden.sort_values("einwohner").iloc[-1]["ags"])
    attributions = attribution_texts([k for layer in area_layers(layers) for k in layer.quellen])

    def profil():
        m = build_map(base, area_layers(layers), MapOptions(indicator=None, legend_in_map=False)).map
        outline_gemeinde(m, base, ags, fit=False)
        return m

    maps: list[tuple[str, tuple, Callable[[], object], bool]] = [
        ("Karte", (data.version, layers, karte), lambda: build_map(base, layers, karte), False),
        ("Karte mit allen Ebenen", (data.version, layers, karte_all), lambda: build_map(base, layers, karte_all),
         False),
        ("Karte: zugeschaltete Ebenen", (data.version, switchable, karte),
         lambda: switchable_layers_group(base, switchable, karte), True),
        ("Indikatoren", (data.version, layers, first), lambda: indicator_map(base, layers, first, legend_in_map=False),
         False),
        ("Indikatoren, zwei Karten", (data.version, layers, first, second),
         lambda: linked_indicator_maps(base, layers, first, second), False),
        ("Sozialraumprofil", (data.version, area_layers(layers), ags), profil, False),
        ("Sitzung: Grundkarte", (data.version, layers, attributions), lambda: slide_base(base, layers, attributions),
         False),
        ("Sitzung: Folie", (data.version, layers, first), lambda: slide_layer(base, layers, first), True),
    ]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Serverzeit je Karte und Neuberechnung der Seite (Sekunden, beste von 3; Last {load:.1f} auf "
          f"{os.cpu_count()} Kernen)")
    print(f"{'Karte':<30}{'bauen':>8}{'rendern':>9}{'Nutzlast':>10}{'ohne Cache':>12}{'mit Cache':>11}{'Verhältnis':>12}")
    for name, parts, build, is_group in maps:
        def fig(build=build, is_group=is_group):
            built = build()
            return built if is_group or not hasattr(built, "map") else built.map  # type: ignore[attr-defined]
        t_build, _ = best_of(fig)
        t_all, rendered = best_of(lambda fig=fig, is_group=is_group: (render_groups(fig().group) if is_group  # type: ignore[attr-defined]
                                                                       else render_map(fig())))
        cache = _maps.cached_groups if is_group else _maps.cached_map
        cache(name, map_key(*parts), build)  # fill
        t_cached, _ = best_of(lambda parts=parts, build=build, cache=cache, name=name:
                              cache(name, map_key(*parts), build), repeat=5)
        size = len(rendered.text) / 1e6  # type: ignore[attr-defined]
        print(f"{name:<30}{t_build:>8.3f}{t_all - t_build:>9.3f}{size:>8.2f} MB{t_all:>12.3f}{t_cached:>11.4f}"
              f"{t_all / t_cached:>11.0f}×")


if __name__ == "__main__":
    main()
