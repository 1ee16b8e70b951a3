"""Maps on the pages: built and rendered once per input, then only delivered (Streamlit glue).

``streamlit_folium.st_folium`` renders the whole folium map to HTML/JavaScript on *every* rerun (the
GeoJSON of every layer is serialised twice and scanned by several regular expressions): 0.3–0.9 s per
map on this machine, before the browser gets anything. The pages therefore call :func:`show_map`
instead: the map is built by the page's pure builder (``atlas``) and rendered **once per input** –
the input is the data build (:attr:`AtlasData.version`) plus everything the builder reads, turned into
a key by :func:`atlas.map_key.map_key` – and the rendered payload is kept with ``st.cache_resource``
(shared by all sessions; it holds only strings and is never mutated). A rerun with the same input
sends the identical payload, so streamlit-folium's component keeps the map (no reload, view kept);
a new build or another input gives a new key and a new map.

The payload is exactly what ``st_folium`` hands its component (same helper functions of
streamlit-folium; ``tests/test_map_delivery.py`` compares both), and it is handed to the same component
(name and iframe title ``streamlit_folium.st_folium``), whose files the app serves from a copy below
``static/`` so that browsers keep them (:func:`_served`). Layers that change
while the map stays (``feature_group_to_add``) are rendered with :func:`render_groups` and cached the
same way by the pages that use them. Tests of the pages patch :func:`deliver` (AppTest cannot run
custom components).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import folium
import folium.plugins
import streamlit as st
import streamlit_folium as sf
from branca.element import MacroElement
from streamlit.components.v1.custom_component import CustomComponent

from atlas import settings
from atlas.leaflet import FRAME_PRELOADED, frame_head, served_copy
from atlas.map_preview import PreviewParts
from pages._map_preview import preview_aside, preview_beside, record_preview
from pages._map_render import RenderedGroups, RenderedMap, render_groups, render_map

T = TypeVar("T")

__all__ = ["cached", "cached_groups", "cached_map", "deliver", "preview_aside", "preview_beside", "show_map"]

#: Rendered maps kept per process (all pages and sessions together); each holds a few hundred kB–2 MB.
MAX_CACHED_MAPS = 48


# ------------------------------------------------------------------------------------------- cache

@st.cache_resource(show_spinner=False, max_entries=MAX_CACHED_MAPS)
def _cached(kind: str, key: Hashable, _make: Callable[[], Any]) -> Any:
    return _make()


def cached(kind: str, key: Hashable, make: Callable[[], T]) -> T:
    """``make()`` once per (*kind*, *key*) in this process, shared by all sessions (Streamlit computes a
    value once even when two sessions ask at the same moment). *key* must name every input of *make*
    (:func:`atlas.map_key.map_key`); the value must never be changed by its users. With
    ``ATLAS_KARTEN_CACHE=0`` every call computes anew (the comparison of ``bench/bench_pages.py``)."""
    if not settings.map_cache_env():
        return make()
    return _cached(kind, key, make)  # type: ignore[no-any-return]


def _detached(value: Any) -> Any:
    """*value* without its folium objects (dataclass fields holding a map or layer become None), so the
    cache keeps only what the page shows beside the map."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if isinstance(item, MacroElement):
                changes[f.name] = None
            elif dataclasses.is_dataclass(item):
                changes[f.name] = _detached(item)
        return dataclasses.replace(value, **changes) if changes else value
    return value


def cached_map(kind: str, key: Hashable, build: Callable[[], Any]) -> tuple[Any, RenderedMap]:
    """Build and render once per key. *build* returns a folium map, or a result object whose ``map``
    attribute is one (e.g. :class:`atlas.mapview.MapResult`); the result comes back without its map
    (the cache keeps strings and the page's figures, not the folium objects)."""

    def make() -> tuple[Any, RenderedMap]:
        built = build()
        fig = built if isinstance(built, (folium.Map, folium.plugins.DualMap)) else built.map
        return (None if fig is built else _detached(built)), render_map(fig)

    return cached(kind, key, make)  # type: ignore[no-any-return]


def cached_groups(kind: str, key: Hashable, build: Callable[[], Any]) -> tuple[Any, RenderedGroups]:
    """Like :func:`cached_map` for exchanged layers: *build* returns a feature group, or a result whose
    ``group`` attribute is one (e.g. :class:`atlas.council.indicator_maps.SlideLayer`)."""

    def make() -> tuple[Any, RenderedGroups]:
        built = build()
        group = built if isinstance(built, folium.FeatureGroup) else built.group
        return (None if group is built else _detached(built)), render_groups(group)

    return cached(kind, key, make)  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------- delivery

@functools.cache
def _served() -> tuple[Callable[..., Any], frozenset[str]]:
    """streamlit-folium's component, its files served from a copy below ``static/`` (:func:`atlas.leaflet.served_copy`:
    there browsers keep its script instead of fetching and compiling it for every map), with Leaflet in the
    copy's page (:func:`atlas.leaflet.frame_head`); and the links the copy's page loads itself. The same
    name, so the frame keeps its title ``streamlit_folium.st_folium``; the original component and no
    preloaded links when no copy can be made."""
    original = sf._component_func
    url = served_copy(Path(sf.__file__).parent / "frontend" / "build", "streamlit_folium", head=frame_head())
    if url is None:
        return original, frozenset()
    return CustomComponent(name=original.name, url=url), frozenset(FRAME_PRELOADED)


def deliver(rendered: RenderedMap, *, key: str, height: int = 700, width: int | str | None = 500,
            returned_objects: Iterable[str] | None = None, groups: RenderedGroups | None = None,
            zoom: int | None = None, center: tuple[float, float] | None = None,
            on_change: Callable[[], None] | None = None) -> Any:
    """Show *rendered* in streamlit-folium's component (arguments and return value as ``st_folium``)."""
    defaults = {"last_clicked": None, "last_object_clicked": None, "last_object_clicked_count": None,
                "last_object_clicked_tooltip": None, "last_object_clicked_popup": None, "all_drawings": None,
                "last_active_drawing": None, "bounds": rendered.bounds, "zoom": rendered.zoom,
                "last_circle_radius": None, "last_circle_polygon": None, "selected_layers": None,
                "selected_tags": None, "last_geocoder_result": None}
    if returned_objects is not None:
        wanted = set(returned_objects)
        defaults = {k: v for k, v in defaults.items() if k in wanted}
    script = rendered.script
    css, js = list(rendered.css_links), list(rendered.js_links)
    if groups is not None:
        css = list(dict.fromkeys([*css, *groups.css_links]))
        js = list(dict.fromkeys([*js, *groups.js_links]))
    component, preloaded = _served()
    css, js = [c for c in css if c not in preloaded], [j for j in js if j not in preloaded]
    hash_key = rendered.component_key(key)

    def _on_change() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})
        if on_change is not None:
            on_change()

    return component(
        script=script, header=rendered.header, html=rendered.html, id=rendered.id, key=hash_key,
        height=height, width=width, returned_objects=returned_objects, default=defaults, zoom=zoom,
        center=center, feature_group=groups.script if groups is not None else None, return_on_hover=False,
        layer_control=None, pixelated=False, css_links=css, js_links=js, on_change=_on_change,
        wrap_longitude=False)


def show_map(kind: str, key_parts: Hashable, build: Callable[[], Any], *, key: str, preview: str | None = None,
             preview_parts: Callable[[], PreviewParts] | None = None, **kwargs: Any) -> tuple[Any, Any]:
    """Build, render (both once per input, :func:`cached_map`) and show a map; returns the builder's
    result without its map (None for a bare map) and the component's value (as ``st_folium``).
    *kind* names the map, *key_parts* its inputs (:func:`atlas.map_key.map_key`). *preview* is the page's
    title, for a page whose answer is this map at its top: a warm-up visit records title and map as its
    address's preview (``pages/_map_preview.py``); *preview_parts* makes what the page shows around the map
    (:class:`atlas.map_preview.PreviewParts`), called only then."""
    result, rendered = cached_map(kind, key_parts, build)
    if preview:
        record_preview(rendered, kwargs.get("groups"), kwargs.get("height", 700), preview, preview_parts)
    return result, deliver(rendered, key=key, **kwargs)
