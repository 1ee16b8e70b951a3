"""Offline Leaflet building blocks shared by every map of the atlas.

Leaflet and its plugins are served by the app itself (``static/vendor``, Streamlit static serving), so
maps work without internet: :func:`offline_map` creates a folium map that loads nothing from a CDN and
needs no tile server. :class:`Attribution` and :class:`HtmlControl` are plain Leaflet controls (no
branca colormaps, which would pull d3 from a CDN); :func:`features` builds small GeoJSON payloads.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import MacroElement
from folium.template import Template

from atlas import settings
from atlas.ui_style import MAP_FOCUS_CSS

#: URLs under which Streamlit serves ``static/`` (``[server] enableStaticServing = true``).
STATIC_URL = "/app/static"
LEAFLET_JS = f"{STATIC_URL}/vendor/leaflet-1.9.4/leaflet.js"
LEAFLET_CSS = f"{STATIC_URL}/vendor/leaflet-1.9.4/leaflet.css"
_MARKERCLUSTER = f"{STATIC_URL}/vendor/leaflet.markercluster-1.5.3"
MARKERCLUSTER_JS = [("markerclusterjs", f"{_MARKERCLUSTER}/leaflet.markercluster.js")]
MARKERCLUSTER_CSS = [("markerclustercss", f"{_MARKERCLUSTER}/MarkerCluster.css"),
                     ("markerclusterdefaultcss", f"{_MARKERCLUSTER}/MarkerCluster.Default.css")]


#: Folder below ``static/`` for copies of installed frontend files made at run time (not in git): served
#: there with ``Last-Modified``/``ETag``, so that browsers keep them (:func:`served_copy`).
COPIES_DIR = "_kopien"


def served_copy(source: Path, name: str, static_root: Path | None = None, head: str = "") -> str | None:
    """The folder *source* served by the app under ``static/_kopien/<name>-<hash>/`` (copied once; the hash
    is of *source*'s ``index.html``, so another build of the same files gets another folder). Returns the URL
    of its ``index.html``, or None when *source* has none or the copy cannot be written (a read-only
    installation): the caller then keeps the original.

    Why: Streamlit serves a component's files with ``Cache-Control: public`` and no validator, so a browser
    fetches and compiles streamlit-folium's 225 kB script anew for every map it shows; files below
    ``static/`` carry ``Last-Modified`` and ``ETag`` and are kept. Two processes copying at once are safe:
    each copies into a folder of its own and moves it into place; the second move finds the first's.

    *head* (HTML) is put first into the copy's ``<head>`` (or before everything if it has none:
    :func:`frame_head`); it is part of the hash."""
    index = source / "index.html"
    if not index.is_file():
        return None
    root = (static_root or settings.PROJECT_ROOT / "static") / COPIES_DIR
    folder = f"{name}-{hashlib.sha256(index.read_bytes() + head.encode()).hexdigest()[:10]}"
    target = root / folder
    if not (target / "index.html").is_file():
        try:
            root.mkdir(parents=True, exist_ok=True)
            work = Path(tempfile.mkdtemp(prefix=f".{folder}-", dir=root))
            shutil.copytree(source, work / "x", ignore=shutil.ignore_patterns("*.map"))
            if head:
                page = (work / "x" / "index.html").read_text(encoding="utf-8")
                page = page.replace("<head>", "<head>" + head, 1) if "<head>" in page else head + page
                (work / "x" / "index.html").write_text(page, encoding="utf-8")
            try:
                os.replace(work / "x", target)
            finally:
                shutil.rmtree(work, ignore_errors=True)
        except OSError:
            if not (target / "index.html").is_file():
                return None
    return f"{STATIC_URL}/{COPIES_DIR}/{folder}/index.html"


#: Loaded by the map frame's own page (:func:`frame_head` in the served copy) instead of by every map.
FRAME_PRELOADED = (LEAFLET_CSS, LEAFLET_JS)


def frame_head() -> str:
    """Leaflet's style and script for the first lines of the map frame's page (:func:`served_copy`).

    streamlit-folium loads a map's scripts only once its own script has run and the map's arguments have
    come, one after another. Leaflet named in the page's ``<head>`` is fetched together with that script
    (the browser's preload scanner) and has run before it; the maps then leave it out of their own list
    (:data:`FRAME_PRELOADED`, ``pages/_maps.deliver``) and load only their plugins, if any."""
    return f'<link rel="stylesheet" href="{LEAFLET_CSS}"><script src="{LEAFLET_JS}"></script>'


BASE_CSS = """
<style>
.atlas-legend{background:rgba(255,255,255,.94);padding:8px 10px;border-radius:6px;
  box-shadow:0 1px 4px rgba(0,0,0,.35);font:14px/1.35 system-ui,sans-serif;max-width:300px;color:#111}
.atlas-legend h4{margin:0 0 4px;font-size:14px}
.atlas-legend .sw{display:inline-block;width:18px;height:12px;margin-right:6px;border:1px solid #777;
  vertical-align:middle}
.atlas-legend .pt{display:inline-block;width:12px;height:12px;border-radius:50%;margin-right:6px;
  border:1px solid #333;vertical-align:middle}
.atlas-legend .note{color:#444;font-size:12px;margin-top:4px}
.atlas-popup{font:13px/1.35 system-ui,sans-serif;border-collapse:collapse}
.atlas-popup th{text-align:left;padding:2px 8px 2px 0;vertical-align:top;color:#444;font-weight:600}
.atlas-popup td{padding:2px 0;vertical-align:top;word-break:break-word}
.leaflet-container{background:#ffffff}
.leaflet-control-attribution{font-size:11px;line-height:1.3}
.atlas-legend summary{cursor:pointer;font-weight:600}
/* Offer clusters in neutral grey: the colours of green/yellow/orange belong to the Handlungsfelder */
.marker-cluster-small,.marker-cluster-medium,.marker-cluster-large{background-color:rgba(66,66,66,.28) !important}
.marker-cluster-small div,.marker-cluster-medium div,.marker-cluster-large div{background-color:rgba(48,48,48,.88) !important;
  color:#fff !important;font-weight:600}
</style>
"""



def html_header(m: folium.Map) -> Any:
    """The ``<head>`` element of the page holding *m* (branca types ``get_root()`` only as ``Element``)."""
    return cast(Any, m.get_root()).header


def corners(bounds: tuple[float, float, float, float]) -> list[list[float]]:
    """*bounds* (south, west, north, east) as Leaflet's ``[[south, west], [north, east]]``."""
    south, west, north, east = bounds
    return [[south, west], [north, east]]


def offline_map(bounds: tuple[float, float, float, float], *, zoom_start: int = 10, max_zoom: int = 18,
                min_zoom: int = 7, css: str = BASE_CSS, css_name: str = "atlas_css") -> folium.Map:
    """A folium map fitted to *bounds* (south, west, north, east) with Leaflet served locally, no tiles."""
    south, west, north, east = bounds
    m = folium.Map(location=[(south + north) / 2, (west + east) / 2], zoom_start=zoom_start, tiles=None,
                   control_scale=True, prefer_canvas=False, zoom_control=True, height="100%",
                   maxZoom=max_zoom, minZoom=min_zoom)
    m.default_js = [("leaflet", LEAFLET_JS)]
    m.default_css = [("leaflet_css", LEAFLET_CSS)]
    html_header(m).add_child(folium.Element(css), name=css_name)
    html_header(m).add_child(folium.Element(MAP_FOCUS_CSS), name="atlas_focus_css")  # visible keyboard focus
    TabOrder().add_to(m)  # before any layer: large layers stay out of the Tab order
    m.fit_bounds(corners(bounds))
    # streamlit-folium asks every map for its bounds on every rerun; folium would walk all GeoJSON
    # coordinates in Python (≈0.1–0.3 s for the Gemeinde layers). The bounds are known: answer directly.
    known: list[list[float | None]] = [[south, west], [north, east]]
    m.get_bounds = lambda: known  # type: ignore[method-assign]
    return m


#: Decimals of a map's coordinates in degrees: 6 is about 0.1 m, finer than any position the atlas knows.
COORDINATE_DECIMALS = 6


def features(frame: gpd.GeoDataFrame, props: dict[str, Sequence[object]]) -> dict:
    """A GeoJSON FeatureCollection with only the given properties (keeps the payload small): no ids, no
    bounding boxes (geopandas writes one per feature; Leaflet never reads them) and coordinates to
    :data:`COORDINATE_DECIMALS` decimals (a reprojected point's ``50.64071299999999`` is ``50.640713``)."""
    rounded = shapely.transform(frame.geometry.to_numpy(), lambda xy: np.round(xy, COORDINATE_DECIMALS))
    geo = json.loads(gpd.GeoSeries(rounded, crs=frame.crs).to_json(drop_id=True, show_bbox=False))
    for i, feature in enumerate(geo["features"]):
        feature["properties"] = {key: values[i] for key, values in props.items()}
    return geo


#: An HTML-safe JSON escape of ``<``, ``>`` or ``&`` (Jinja's ``tojson``): preceded by an even number of
#: backslashes (an odd number would make it an escaped backslash followed by plain text).
_HTML_SAFE_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u00(3c|3e|26)", re.IGNORECASE)
_PLAIN = {"3c": "<", "3e": ">", "26": "&"}


def plain_json_escapes(script: str) -> str:
    """*script* with the ``\\u003c``, ``\\u003e`` and ``\\u0026`` escapes of folium's ``tojson`` written as the
    characters themselves: the same JavaScript strings, about a fifth smaller for maps with HTML popups.

    streamlit-folium runs the map script as script text, never parsed as HTML, so there the escapes protect
    nothing; ``</`` and ``<!`` stay escaped all the same (as ``<\\/`` and ``\\u003c!``), so no ``</script>`` and
    no ``<!--`` appears even if the script were ever put into an HTML page.
    """
    def plain(match: re.Match[str]) -> str:
        backslashes, code = match.group(1), match.group(2).lower()
        following = script[match.end():match.end() + 1]
        if code == "3c" and following == "!":
            return match.group(0)
        if code == "3c" and following == "/":
            return backslashes + "<\\"  # "<\/": the slash that follows stays where it is
        return backslashes + _PLAIN[code]

    return _HTML_SAFE_ESCAPE.sub(plain, script)


#: CSS class of map paths that are no Tab stops of their own (see :class:`TabOrder`).
NO_TAB_CLASS = "atlas-ohne-tab"

#: A layer with more features than this keeps them out of the Tab order (a grid, not a few Gemeinden).
TAB_STOP_LIMIT = 100


def tab_class(class_name: str, features: int) -> str:
    """*class_name* of a layer's paths, with :data:`NO_TAB_CLASS` added when the layer has more than
    :data:`TAB_STOP_LIMIT` *features* (one rule for every map)."""
    return f"{class_name} {NO_TAB_CLASS}" if features > TAB_STOP_LIMIT else class_name


class TabOrder(MacroElement):
    """Keeps paths with :data:`NO_TAB_CLASS` out of the keyboard's Tab order (``tabindex="-1"``).

    Leaflet 1.9 listens for focus on every path that has a tooltip, and Chromium makes an SVG element with
    focus listeners a Tab stop: a grid of 2,000 cells would be 2,000 Tab presses between the controls above
    and below the map. The tooltips stay for the mouse; the values are in the text and tables beside the map.
    Listens to ``layeradd`` of the map, so layers added later (streamlit-folium's feature groups) are covered.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.on('layeradd', function(e) {
            var el = e.layer.getElement && e.layer.getElement();
            if (el && el.classList && el.classList.contains({{ this.css_class|tojson }})) {
                el.setAttribute('tabindex', '-1');
            }
        });
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "TabOrder"
        self.css_class = NO_TAB_CLASS


class Attribution(MacroElement):
    """Adds attribution strings to Leaflet's attribution control (escaped)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {% for text in this.texts %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ text|tojson }});
        {% endfor %}
        {{ this._parent.get_name() }}.attributionControl.setPrefix({{ this.prefix|tojson }});
        {% endmacro %}
    """)

    def __init__(self, texts: Sequence[str], prefix: str | None = None):
        super().__init__()
        self._name = "Attribution"
        self.texts = [html.escape(t) for t in texts]
        self.prefix = (html.escape(prefix) if prefix is not None else
                       '<a href="https://leafletjs.com" target="_blank" rel="noopener">Leaflet</a>')


class HtmlControl(MacroElement):
    """A Leaflet control holding fixed (already escaped) HTML, e.g. the legend."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var ctl = L.control({position: {{ this.position|tojson }}});
            ctl.onAdd = function() {
                var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
                div.innerHTML = {{ this.html|tojson }};
                // On narrow screens (phones) start with the legend folded so the map stays visible.
                var details = div.querySelector('details');
                if (details && window.innerWidth < 700) { details.open = false; }
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            ctl.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, html_text: str, position: str = "bottomleft", css_class: str = "atlas-legend"):
        super().__init__()
        self._name = "HtmlControl"
        self.html = html_text
        self.position = position
        self.css_class = css_class




#: Styles of a legend drawn outside the map (in the page, beside or below the map): the same look as
#: inside a map, without the floating box.
PAGE_LEGEND_CSS = """
<style>
.atlas-legend{font:14px/1.4 system-ui,sans-serif;color:inherit;padding:0 2px}
.atlas-legend h4{margin:0 0 6px;font-size:14px;font-weight:600}
.atlas-legend summary{cursor:pointer;font-weight:600;margin-bottom:4px;min-height:24px}
.atlas-legend .sw{display:inline-block;width:18px;height:12px;margin-right:6px;border:1px solid #777;
  vertical-align:middle}
.atlas-legend .pt{display:inline-block;width:12px;height:12px;border-radius:50%;margin-right:6px;
  border:1px solid #333;vertical-align:middle}
.atlas-legend .note{opacity:.8;font-size:12px;margin-top:6px}
.atlas-legend div{margin:2px 0}
</style>
"""


def page_legend(legend_html: str) -> str:
    """*legend_html* (already escaped) as a block for the page, beside the map – so a legend never
    covers the county. Pages draw it with ``st.html``."""
    return f'{PAGE_LEGEND_CSS}<div class="atlas-legend" role="region" aria-label="Legende">{legend_html}</div>'


class PlaceLabels(MacroElement):
    """Permanent name labels (e.g. the Gemeinden) at given points: plain Leaflet ``divIcon`` markers that
    take no clicks, so they work offline and never block the map. Texts are escaped here."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var labels = {{ this.labels|tojson }};
            labels.forEach(function(l) {
                L.marker([l[0], l[1]], {interactive: false, keyboard: false, icon: L.divIcon({
                    className: 'atlas-ortsname', html: '<span>' + l[2] + '</span>', iconSize: null})})
                 .addTo({{ this._parent.get_name() }});
            });
        })();
        {% endmacro %}
    """)

    def __init__(self, points: Sequence[tuple[float, float, str]]):
        super().__init__()
        self._name = "PlaceLabels"
        self.labels = [[round(lat, 5), round(lon, 5), html.escape(name)] for lat, lon, name in points]


#: Style of the place labels: dark text with a white halo, centred on the point.
PLACE_LABEL_CSS = """
<style>
.atlas-ortsname{background:none;border:none}
.atlas-ortsname span{display:inline-block;transform:translate(-50%,-50%);white-space:nowrap;
  font:600 12px/1.1 system-ui,sans-serif;color:#1a1a1a;pointer-events:none;
  text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff,0 0 1px #fff}
</style>
"""


def label_points(frame: gpd.GeoDataFrame, name_column: str = "name") -> list[tuple[float, float, str]]:
    """(lat, lon, name) of a point inside each polygon of *frame* (EPSG:4326), for :class:`PlaceLabels`."""
    points = frame.geometry.representative_point()
    return [(float(p.y), float(p.x), str(n)) for p, n in zip(points, frame[name_column], strict=True)]


def add_place_labels(m: folium.Map, frame: gpd.GeoDataFrame, name_column: str = "name") -> None:
    """Name labels for every polygon of *frame* on *m* (with their CSS)."""
    html_header(m).add_child(folium.Element(PLACE_LABEL_CSS), name="atlas_label_css")
    PlaceLabels(label_points(frame, name_column)).add_to(m)


class RefitUntilTouched(MacroElement):
    """Fit the map to *bounds* again whenever its size changes, until the user first touches it.

    A map in a Streamlit tab that is not selected, or in a closed expander, is drawn in an iframe of
    height 0 (sometimes also width 0, or first a small default size); Leaflet's ``fitBounds`` then falls
    back to the smallest zoom. When the tab is opened the iframe grows (possibly in several steps) and Leaflet fires
    ``resize``: until the user first touches the page (pointer, wheel or key – on either map of the
    pair), every such resize fits the map to *bounds* again.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(map) {
            function hidden() { var size = map.getSize(); return size.x === 0 || size.y === 0; }
            function shown() {
                if (hidden()) { return; }
                map.fitBounds({{ this.bounds|tojson }}, {animate: false});
            }
            // Any touch anywhere in the document (either map of a pair) ends the refitting of all.
            function touched() {
                map.off('resize', shown);
                ['pointerdown', 'wheel', 'keydown'].forEach(function(type) {
                    document.removeEventListener(type, touched, true);
                });
            }
            map.on('resize', shown);
            ['pointerdown', 'wheel', 'keydown'].forEach(function(type) {
                document.addEventListener(type, touched, true);
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, bounds: tuple[float, float, float, float]):
        super().__init__()
        self._name = "RefitUntilTouched"
        self.bounds = corners(bounds)
