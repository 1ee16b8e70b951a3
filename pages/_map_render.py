"""Rendering a folium map into what streamlit-folium's component receives (no Streamlit state).

This is the work ``streamlit_folium.st_folium`` does on every call before it hands the result to its
component – done here once, so that :mod:`pages._maps` can keep the result. It uses streamlit-folium's
own helper functions (``_get_html``, ``_get_header``, ``_get_map_string``, ``generate_js_hash``,
``_get_feature_group_string``); ``tests/test_map_delivery.py`` checks that the payload is what ``st_folium``
sends, so an update of streamlit-folium that changes them fails a test. One difference: the scripts carry
``<``, ``>`` and ``&`` as themselves instead of folium's HTML-safe JSON escapes
(:func:`atlas.leaflet.plain_json_escapes`), which makes maps with HTML popups about a fifth smaller.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import branca
import folium
import folium.elements
import folium.plugins
import streamlit_folium as sf

from atlas.leaflet import plain_json_escapes


@dataclass(frozen=True)
class RenderedMap:
    """What the browser gets for one folium map (the arguments of streamlit-folium's component)."""

    script: str
    header: str
    html: str
    id: str
    bounds: dict
    zoom: Any
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    _keys: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def component_key(self, key: str) -> str:
        """streamlit-folium's component key for this map under the widget *key* (a hash of the script:
        a changed map remounts, an unchanged one stays), computed once per key."""
        found = self._keys.get(key)
        if found is None:
            found = self._keys[key] = sf.generate_js_hash(self.script, key, False)
        return found

    @property
    def text(self) -> str:
        """Linked files, header, HTML and script in one string (for tests and for measuring the payload)."""
        return "\n".join((*self.css_links, *self.js_links, self.header, self.html, self.script))


@dataclass(frozen=True)
class RenderedGroups:
    """Layers exchanged on a standing map (streamlit-folium's ``feature_group_to_add``), rendered."""

    script: str
    css_links: tuple[str, ...] = ()
    js_links: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The layers' script (for tests and for measuring the payload)."""
        return self.script


def _links(fig: folium.MacroElement) -> tuple[list[str], list[str]]:
    """CSS and JavaScript files the map needs (walked as streamlit-folium does)."""

    def walk(elem: Any) -> Iterable[Any]:
        if isinstance(elem, branca.colormap.ColorMap):
            yield elem
        if isinstance(elem, folium.plugins.DualMap):
            yield from walk(elem.m1)
            yield from walk(elem.m2)
        if isinstance(elem, folium.elements.JSCSSMixin):
            yield elem
        for child in getattr(elem, "_children", {}).values():
            yield from walk(child)

    css: list[str] = []
    js: list[str] = []
    for elem in walk(fig):
        if isinstance(elem, branca.colormap.ColorMap):  # as streamlit-folium: colormaps need d3
            js[:0] = ["https://d3js.org/d3.v4.min.js", "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js"]
        css.extend(href for _, href in getattr(elem, "default_css", []))
        js.extend(src for _, src in getattr(elem, "default_js", []))
    return list(dict.fromkeys(css)), list(dict.fromkeys(js))


def render_map(fig: folium.Map | folium.plugins.DualMap) -> RenderedMap:
    """Render *fig* the way ``st_folium`` does before it calls its component (pure, no Streamlit state).

    The map object is changed by rendering (element ids); build a fresh one for every call."""
    if isinstance(fig, folium.plugins.DualMap):
        fig.render()
    else:
        fig.get_root().render()
    fig.render()
    html = sf._get_html(fig)
    header = sf._get_header(fig)
    script = plain_json_escapes(sf._get_map_string(fig))  # a fifth smaller, the same strings
    try:
        bounds = fig.get_bounds()
    except AttributeError:
        bounds = [[None, None], [None, None]]
    (south, west), (north, east) = bounds
    css, js = _links(fig)
    return RenderedMap(
        script=script, header=header, html=html, id=sf.get_full_id(fig),
        bounds={"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}},
        zoom=fig.options.get("zoom") if hasattr(fig, "options") else {},
        css_links=tuple(css), js_links=tuple(js))


def render_groups(groups: folium.FeatureGroup | Sequence[folium.FeatureGroup]) -> RenderedGroups:
    """Render layers for a standing map (as ``st_folium(..., feature_group_to_add=groups)`` does).

    They are attached to a throwaway map, so the cached base map is never touched."""
    holder = folium.Map(tiles=None)
    script = ""
    css: list[str] = []
    js: list[str] = []
    for idx, group in enumerate([groups] if isinstance(groups, folium.FeatureGroup) else list(groups)):
        script += plain_json_escapes(sf._get_feature_group_string(group, map=holder, idx=idx))
        group_css, group_js = _links(group)  # the layers' own files (never the throwaway map's CDN links)
        css.extend(group_css)
        js.extend(group_js)
    css, js = list(dict.fromkeys(css)), list(dict.fromkeys(js))
    return RenderedGroups(script=script, css_links=tuple(css), js_links=tuple(js))
