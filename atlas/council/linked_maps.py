"""Two indicator maps side by side whose pan and zoom are linked ("Zwei Indikatoren").

Library choice: :class:`folium.plugins.DualMap` – one HTML document (one ``st_folium`` iframe) holding
two Leaflet maps that follow each other through the Leaflet plugin Leaflet.Sync (npm package
``leaflet.sync`` 0.2.4, BSD-3-Clause, vendored with its licence under
``static/vendor/leaflet.sync-0.2.4``). streamlit-folium renders a DualMap natively (its component has a
second map container for it), so the page needs no JavaScript of its own and the two maps cannot drift
apart the way two separate iframes did. Folium's default loads Leaflet.Sync from a CDN; like every
other asset of the atlas it is served by the app itself (``default_js`` overridden per instance).

Each side is built by :func:`atlas.council.indicator_maps.indicator_map` (that is
:func:`atlas.mapview.build_map`), so both keep everything the single map has – colours, no-data hatching,
tooltips and popups, attribution and layer control – and their content is then moved onto ``DualMap.m1``
(left) and ``DualMap.m2`` (right). As on the single maps, the legends are not drawn inside the maps (at
half width a legend would cover a third of the county): the page shows ``LinkedMaps.left.legend`` and
``.right.legend`` under each map (:func:`atlas.leaflet.page_legend`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import folium
from folium.plugins import DualMap

from atlas.council.indicator_maps import MapChoice, indicator_map
from atlas.layers import LayerDefinition
from atlas.leaflet import LEAFLET_CSS, LEAFLET_JS, STATIC_URL, RefitUntilTouched, html_header
from atlas.mapview import MapBase, MapResult

#: Leaflet.Sync served by the app (``static/vendor``), replacing folium's CDN link.
LEAFLET_SYNC_JS = [("Leaflet.Sync", f"{STATIC_URL}/vendor/leaflet.sync-0.2.4/L.Map.Sync.js")]

#: Map attributes copied from the built single map (size and position stay DualMap's: half width each).
_MAP_SETTINGS = ("location", "crs", "options", "control_scale", "zoom_control", "zoom_control_position",
                 "global_switches", "font_size")


#: Page CSS of the pair. streamlit-folium takes the header of a DualMap before folium renders the maps'
#: own page styles, so the body keeps the browser's 8 px margin (the maps would be cut off at the
#: bottom) unless it is reset here; a line separates the two maps (``map_div2`` is streamlit-folium's
#: container of the right map). On a phone each map is under 200 px wide: the attribution (listed in full
#: under the page as well) scrolls within four lines and the scale sits above it.
DUAL_CSS = """
<style>
html,body{width:100%;height:100%;margin:0;padding:0}
#map_div2{border-left:2px solid #6b6b6b;box-sizing:border-box}
@media (max-width: 700px) {
  .leaflet-control-attribution{max-height:4em;overflow-y:auto}
  .leaflet-bottom.leaflet-left{bottom:4.3em}
}
</style>
"""

@dataclass
class LinkedMaps:
    """The linked pair plus what the page shows under each map (``left.legend``, ``right.legend``)."""

    map: DualMap
    left: MapResult
    right: MapResult

    @property
    def attributions(self) -> list[str]:
        """Attribution texts of both maps, each once, in order."""
        return list(dict.fromkeys([*self.left.attributions, *self.right.attributions]))


def linked_indicator_maps(base: MapBase, layers: Sequence[LayerDefinition], left: MapChoice,
                          right: MapChoice) -> LinkedMaps:
    """Two indicator maps in one :class:`DualMap` (left *left*, right *right*), pan and zoom linked; their
    legends are not in the maps but in ``.left.legend`` / ``.right.legend`` for the page.

    Raises :class:`atlas.council.errors.CouncilError` like :func:`indicator_map` for an unusable choice.
    """
    left_result = indicator_map(base, layers, left, legend_in_map=False)
    right_result = indicator_map(base, layers, right, legend_in_map=False)
    dual = DualMap(location=left_result.map.location, tiles=None)
    dual.default_js = LEAFLET_SYNC_JS
    dual.default_css = []
    header = html_header(dual.m1)
    for side, result in ((dual.m1, left_result), (dual.m2, right_result)):
        _take_over(side, result.map)
        RefitUntilTouched(base.bounds).add_to(side)
        for name, element in html_header(result.map)._children.items():
            if name not in header._children:  # the shared CSS of both maps only once
                header.add_child(element, name=name)
    header.add_child(folium.Element(DUAL_CSS), name="atlas_dual_css")
    return LinkedMaps(map=dual, left=left_result, right=right_result)


def _take_over(target: folium.Map, source: folium.Map) -> None:
    """Give *target* the settings and all children (layers, controls, view) of *source*."""
    for attribute in _MAP_SETTINGS:
        if hasattr(source, attribute):  # zoom_control exists only for a positioned zoom control
            setattr(target, attribute, getattr(source, attribute))
    target.default_js = [("leaflet", LEAFLET_JS)]
    target.default_css = [("leaflet_css", LEAFLET_CSS)]
    target._children.clear()  # DualMap's own (empty) maps have no layers; tiles=None adds none
    for name, child in list(source._children.items()):
        child._parent = target
        target._children[name] = child
    source._children.clear()
