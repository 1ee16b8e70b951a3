"""Building the overview map (folium/Leaflet) from the built data and the layer registry.

The registry is declarative: every layer file in ``layers/`` whose GeoPackage layer exists is drawn by its
``art`` (``choropleth``, ``punkte``, ``flaeche``, ``umriss``); points are filtered on the columns the file
declares (``filter_feld`` and ``gruppierung.feld``, see :attr:`MapOptions.filters`). No layer id is
special here, so a new layer needs only its YAML file and its build step.

The map works without internet: Leaflet is served by the app itself (``static/vendor``), no tile
server is needed (the neighbouring Kreise and Gemeinden form a plain background), and nothing is
loaded from a CDN (no branca colormaps, which pull d3; legend and attribution are plain Leaflet
controls). Online tiles are an optional layer, off by default.

Every text that reaches the map is HTML-escaped here; links are only emitted for ``http(s)`` URLs,
``tel:`` numbers and e-mail addresses that pass a check – anything else is shown as plain text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.plugins import MarkerCluster
from folium.template import Template

from atlas import schema, settings
from atlas.atlasdata import AtlasData
from atlas.choropleth import Classification, classify, format_number
from atlas.class_labels import ClassLabels, class_label_points, ink_colour, symbol_badge
from atlas.indicators import Indicator
from atlas.layers import LayerDefinition, PopupField, load_layers
from atlas.placement import precision_text
from atlas.leaflet import (  # noqa: F401  (LEAFLET_* re-exported for existing imports)
    LEAFLET_CSS,
    LEAFLET_JS,
    MARKERCLUSTER_CSS,
    MARKERCLUSTER_JS,
    Attribution,
    HtmlControl,
    features,
    offline_map,
    tab_class,
)
from atlas.safe_text import contact_html, safe_url, text_html  # noqa: F401  (safe_url re-exported)
from atlas.sources import attribution_texts, load_sources


#: Layers prepared even without a layer file (the gap map of the Erreichbarkeit page draws the grid).
_BASE_EXTRA_LAYERS = (schema.GRID_LAYER,)

#: Simplification tolerance for polygons (metres, EPSG:25832) and coordinate rounding (degrees).
SIMPLIFY_TOLERANCE_M = 40.0
COORD_DECIMALS = 5
#: Coarser tolerance for the borders *between* neighbouring Gemeinden outside the Kreis (grey context; about two
#: screen pixels at the county's zoom). Their outer edges and the border with the Kreis keep the fine one.
NEIGHBOUR_INNER_TOLERANCE_M = 200.0

OSM_ATTRIBUTION = "© OpenStreetMap contributors"

def field_html(value: object, kind: str = "text") -> str:
    """One value as escaped HTML: numbers (``kind="zahl"``) in German notation, everything else through
    :func:`atlas.safe_text.contact_html` (links only for checked ``tel:``, ``mailto:`` and http(s) values)."""
    if kind == "zahl" and value is not None and not (isinstance(value, float) and np.isnan(value)):
        text = str(value).strip()
        try:
            return html.escape(format_number(float(text)))
        except ValueError:
            return contact_html(text)
    return contact_html(value, kind)


def popup_html(record: dict, fields: Sequence[PopupField], extra: Iterable[tuple[str, str]] = ()) -> str:
    """A small definition table for a popup; empty fields are left out. *extra* is (label, html)."""
    rows = []
    for spec in fields:
        value = field_html(record.get(spec.feld), spec.art)
        if value:
            rows.append((html.escape(spec.label), value))
    rows.extend(extra)
    body = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows)
    return f'<table class="atlas-popup">{body}</table>'


# ---------------------------------------------------------------------------------- prepared base

@dataclass(frozen=True)
class MapBase:
    """Simplified EPSG:4326 geometries of every layer, prepared once per build."""

    frames: dict[str, gpd.GeoDataFrame]
    bounds: tuple[float, float, float, float]  # south, west, north, east
    version: str = ""


def _simplified_coverage(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Simplify polygons as a coverage so that neighbours keep a common border (no gaps)."""
    out = frame.copy()
    geoms = out.geometry.to_numpy()
    out[out.geometry.name] = shapely.coverage_simplify(geoms, SIMPLIFY_TOLERANCE_M)
    return out


def _round(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = frame.to_crs(settings.MAP_CRS)
    out[out.geometry.name] = shapely.set_precision(out.geometry.to_numpy(), 10 ** -COORD_DECIMALS)
    return out


def prepare_base(data: AtlasData, layers: Sequence[LayerDefinition] | None = None) -> MapBase:
    """Simplify and reproject the layers for drawing: the Gemeinde coverage (``gemeinden``, ``kreis``,
    ``nachbar_gemeinden``, ``nachbar_kreise``) simplified together, plus every layer of the registry
    (*layers*, default all files in ``layers/``) whose GeoPackage layer was built."""
    gem = data[schema.GEMEINDEN_LAYER]
    neighbours = data[schema.NEIGHBOUR_GEMEINDEN_LAYER]
    # VG250 Gemeinden inside and around the Kreis are one coverage; simplify them together.
    vg250 = neighbours["grenzen_quelle"] == "VG250-EW"
    joint = pd.concat([gem[["ags", "geometry"]], neighbours.loc[vg250, ["ags", "geometry"]]], ignore_index=True)
    joint = _simplified_coverage(gpd.GeoDataFrame(joint, crs=gem.crs))
    simple = dict(zip(joint["ags"], joint.geometry, strict=True))
    gem_s = gem.copy()
    gem_s["geometry"] = gem_s["ags"].map(simple)
    nb_s = neighbours.copy()
    nb_s.loc[vg250, "geometry"] = nb_s.loc[vg250, "ags"].map(simple)
    if vg250.any():  # inner borders coarser (a third less payload on every map); the coverage's edge unchanged
        nb_s.loc[vg250, "geometry"] = shapely.coverage_simplify(
            nb_s.loc[vg250].geometry.to_numpy(), NEIGHBOUR_INNER_TOLERANCE_M, simplify_boundary=False)
    nb_s.loc[~vg250, "geometry"] = shapely.coverage_simplify(
        nb_s.loc[~vg250].geometry.to_numpy(), SIMPLIFY_TOLERANCE_M) if (~vg250).any() else nb_s.loc[~vg250].geometry
    kreis = data[schema.KREIS_LAYER].copy()
    kreis["geometry"] = [shapely.coverage_union_all(gem_s.geometry.to_numpy())]
    nk = _simplified_coverage(data[schema.NEIGHBOUR_KREISE_LAYER])
    frames = {
        schema.GEMEINDEN_LAYER: _round(gpd.GeoDataFrame(gem_s, crs=gem.crs)),
        schema.NEIGHBOUR_GEMEINDEN_LAYER: _round(gpd.GeoDataFrame(nb_s, crs=gem.crs)),
        schema.KREIS_LAYER: _round(gpd.GeoDataFrame(kreis, crs=gem.crs)),
        schema.NEIGHBOUR_KREISE_LAYER: _round(nk),
    }
    wanted = [layer.gpkg_ebene for layer in (load_layers() if layers is None else layers)]
    for name in dict.fromkeys([*wanted, *_BASE_EXTRA_LAYERS]):
        frame = data.layers.get(name)
        if name not in frames and isinstance(frame, gpd.GeoDataFrame):
            frames[name] = _round(frame)
    west, south, east, north = frames[schema.KREIS_LAYER].total_bounds
    return MapBase(frames=frames, bounds=(float(south), float(west), float(north), float(east)),
                   version=data.version)


# ----------------------------------------------------------------------------------- map options

@dataclass(frozen=True)
class MapOptions:
    """What the user chose on the page."""

    indicator: Indicator | None = None
    method: str = "quantile"
    k: int = 5
    manual_breaks: tuple[float, ...] = ()
    categories: frozenset[str] | None = None       # shorthand for filters["kategorie"]; None = all
    handlungsfelder: frozenset[str] | None = None  # shorthand for filters["handlungsfeld"]; None = all
    online_tiles: bool = False
    height: int = 640
    #: False: the legend is not drawn on the map – the page shows :attr:`MapResult.legend` beside it,
    #: so it never covers the county.
    legend_in_map: bool = True
    #: Wanted values per column. A point layer applies the entry for its ``filter_feld`` and for its
    #: ``gruppierung.feld`` (as declared in its layer file); a column not listed is not filtered.
    filters: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: Ids of layers not drawn into the map (their sources still attributed): the page sends them only
    #: when the user switches them on, as layers on the standing map (:func:`switchable_layers_group`).
    deferred_layers: frozenset[str] = frozenset()

    def wanted_values(self) -> dict[str, frozenset[str]]:
        """:attr:`filters` plus the two shorthands."""
        wanted = dict(self.filters)
        if self.categories is not None:
            wanted["kategorie"] = self.categories
        if self.handlungsfelder is not None:
            wanted["handlungsfeld"] = self.handlungsfelder
        return wanted


@dataclass
class MapResult:
    """The folium map plus what the page shows beside it."""

    map: folium.Map
    classification: Classification | None
    attributions: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    legend: str = ""  #: the legend's HTML (escaped), for drawing beside the map


# ------------------------------------------------------------------------------- custom controls

class _ClusteredPoints(MarkerCluster):
    """Circle markers in a Leaflet.markercluster group, each with its own popup and tooltip; a point with a
    ``_symbol`` property (grouped layers) is a round badge showing that symbol instead (``_ink``: its colour).

    (A folium ``GeoJson`` added to a cluster loses its popups: the GeoJSON group itself never joins
    the map, so Leaflet does not open the group's popup. Binding per marker avoids that.)
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.markerClusterGroup({{ this.options|tojavascript }});
        L.geoJSON({{ this.data|tojson }}, {
            pointToLayer: function(feature, latlng) {
                var p = feature.properties, s = Object.assign({}, {{ this.base_style|tojson }}, p._style || {});
                if (p._symbol) {  // a round badge with the group's symbol: colour is never the only carrier
                    var d = 2 * {{ this.radius }} + 6;
                    return L.marker(latlng, {keyboard: false, icon: L.divIcon({
                        className: s.className + ' atlas-symbol', iconSize: [d, d], iconAnchor: [d / 2, d / 2],
                        html: '<span aria-hidden="true" style="display:block;width:' + d + 'px;height:' + d
                            + 'px;box-sizing:border-box;border-radius:50%;border:1.5px solid ' + s.color
                            + ';background:' + s.fillColor + ';color:' + p._ink + ';text-align:center;font:700 '
                            + (d - 8) + 'px/' + (d - 3) + 'px system-ui,sans-serif">' + p._symbol + '</span>'})});
                }
                return L.circleMarker(latlng, Object.assign({radius: {{ this.radius }}}, s));
            },
            onEachFeature: function(feature, layer) {
                if (feature.properties._popup) { layer.bindPopup(feature.properties._popup, {maxWidth: 360}); }
                if (feature.properties._tooltip) { layer.bindTooltip(feature.properties._tooltip); }
            }
        }).eachLayer(function(marker) { {{ this.get_name() }}.addLayer(marker); });
        {% endmacro %}
    """)

    def __init__(self, data: dict, layer: LayerDefinition, name: str, show: bool):
        super().__init__(name=name, show=show,
                         options={"showCoverageOnHover": False, "maxClusterRadius": 40})
        self._name = "ClusteredPoints"
        self.default_js = MARKERCLUSTER_JS
        self.default_css = MARKERCLUSTER_CSS
        self.data = data
        self.radius = layer.stil.radius
        self.base_style = _path_style(layer)


# ------------------------------------------------------------------------------------- the layers

def _path_style(layer: LayerDefinition) -> dict:
    s = layer.stil
    style = {"className": f"atlas-{layer.id}", "color": s.farbe, "weight": s.linienbreite,
             "fillOpacity": s.fuelldeckkraft,
             "fillColor": s.fuellfarbe or s.farbe, "fill": s.fuelldeckkraft > 0 or layer.art == "choropleth"}
    if s.strichelung:
        style["dashArray"] = s.strichelung
    return style


def _add_geojson(target: folium.Map | folium.FeatureGroup | MarkerCluster, geo: dict, layer: LayerDefinition,
                 name: str, show: bool, point: bool = False, interactive: bool = True) -> folium.GeoJson:
    base = _path_style(layer)
    base["className"] = tab_class(base["className"], len(geo["features"]))  # a grid: no Tab stop per cell

    def style(feature: dict) -> dict:
        own = feature["properties"].get("_style") or {}
        return {**base, **own}

    kwargs: dict = {"name": name, "show": show, "style_function": style, "smooth_factor": 0.5}
    if not interactive:
        kwargs["interactive"] = False
    if point:
        kwargs["marker"] = folium.CircleMarker(radius=layer.stil.radius)
    first = geo["features"][0]["properties"] if geo["features"] else {}
    if interactive and "_tooltip" in first:
        kwargs["tooltip"] = folium.GeoJsonTooltip(fields=["_tooltip"], labels=False, sticky=False)
    if interactive and "_popup" in first:
        kwargs["popup"] = folium.GeoJsonPopup(fields=["_popup"], labels=False, max_width=360)
    gj = folium.GeoJson(geo, **kwargs)
    gj.add_to(target)
    return gj


def _records(frame: pd.DataFrame) -> list[dict]:
    return frame.drop(columns="geometry", errors="ignore").to_dict("records")


def _choropleth_layer(m: folium.Map, base: MapBase, layer: LayerDefinition, options: MapOptions
                      ) -> Classification | None:
    gem = base.frames[layer.gpkg_ebene]
    indicator = options.indicator
    classification = None
    styles: list[dict] = [{} for _ in range(len(gem))]
    extra_rows: list[list[tuple[str, str]]] = [[] for _ in range(len(gem))]
    tooltips = [html.escape(str(n)) for n in gem["name"]]
    if indicator is not None and indicator.id in gem.columns:
        values = gem[indicator.id]
        classification = classify(values, options.method, options.k, indicator.richtung,  # type: ignore[arg-type]
                                  list(options.manual_breaks) or None)
        for i, (value, colour) in enumerate(zip(values, classification.colours, strict=True)):
            styles[i] = {"fillColor": colour, "fillOpacity": 0.85, "color": "#ffffff", "weight": 1.2}
            shown = html.escape(format_number(value if pd.notna(value) else None))
            unit = html.escape(indicator.einheit) if indicator.einheit_geprueft else ""
            extra_rows[i] = [(html.escape(indicator.label), f"{shown} {unit}".strip())]
            tooltips[i] = f"{tooltips[i]}: {shown} {unit}".strip()
            if pd.isna(value):
                styles[i]["dashArray"] = "4 3"
    popups = [popup_html(rec, layer.popup, extra_rows[i]) for i, rec in enumerate(_records(gem))]
    geo = features(gem, {"_style": styles, "_tooltip": tooltips, "_popup": popups})
    _add_geojson(m, geo, layer, layer.titel, layer.sichtbar)
    return classification


def choropleth_layer(target: folium.Map | folium.FeatureGroup, base: MapBase, layer: LayerDefinition,
                     options: MapOptions) -> Classification | None:
    """The Gemeinden of *layer* coloured by ``options.indicator`` added to *target* (a map or a feature
    group that streamlit-folium exchanges without reloading the map)."""
    return _choropleth_layer(target, base, layer, options)  # type: ignore[arg-type]


def area_layer(target: folium.Map | folium.FeatureGroup, base: MapBase, layer: LayerDefinition) -> int:
    """An area or outline layer added to *target*; returns the number of features."""
    return _area_layer(target, base, layer)  # type: ignore[arg-type]


def _point_colours(frame: pd.DataFrame, layer: LayerDefinition) -> list[str]:
    """Fill colour of each point: by the grouping field's value, else the layer's colour."""
    if layer.gruppierung is None:
        return [layer.stil.fuellfarbe or layer.stil.farbe] * len(frame)
    grouping = layer.gruppierung
    return [grouping.werte.get(str(v), grouping.sonst).farbe for v in frame[grouping.feld]]


def _point_symbols(frame: pd.DataFrame, layer: LayerDefinition) -> list[str]:
    """Symbol of each point: by the grouping field's value (layer file), else the layer's symbol."""
    if layer.gruppierung is None:
        return [layer.symbol] * len(frame)
    grouping = layer.gruppierung
    return [grouping.werte.get(str(v), grouping.sonst).symbol for v in frame[grouping.feld]]


def _point_layer(m: folium.Map | folium.FeatureGroup, base: MapBase, layer: LayerDefinition, options: MapOptions,
                 show: bool | None = None) -> int:
    frame = base.frames[layer.gpkg_ebene]
    if layer.nur_im_kreis and "in_kreis" in frame.columns:
        frame = frame[frame["in_kreis"].astype(bool)]
    frame = filter_points(frame, layer, options.wanted_values())
    records = _records(frame)
    colours = _point_colours(frame, layer)
    popups = [popup_html(rec, layer.popup, _precision_note(rec)) for rec in records]
    styles = [{"fillColor": colour, "fillOpacity": layer.stil.fuelldeckkraft, "color": layer.stil.farbe,
               "weight": layer.stil.linienbreite} for colour in colours]
    props: dict[str, Sequence[object]] = {"_style": styles, "_popup": popups}
    if layer.gruppierung is not None and layer.buendeln:  # symbol per group (legend: same symbol)
        symbols = _point_symbols(frame, layer)
        props["_symbol"] = [html.escape(sym) for sym in symbols]
        props["_ink"] = [ink_colour(colour) for colour in colours]
    if layer.tooltip:
        props["_tooltip"] = [text_html(v) for v in frame[layer.tooltip]]
    shown = layer.sichtbar if show is None else show
    if layer.buendeln:
        _ClusteredPoints(features(frame, props), layer, name=f"{layer.titel} ({len(frame)})", show=shown).add_to(m)
    elif len(frame):
        _add_geojson(m, features(frame, props), layer, f"{layer.titel} ({len(frame)})", shown, point=True)
    return len(frame)


def filter_points(frame: pd.DataFrame, layer: LayerDefinition, wanted: Mapping[str, frozenset[str]]) -> pd.DataFrame:
    """Rows of *frame* whose values in the layer's filterable columns (``filter_feld``,
    ``gruppierung.feld``) are among the *wanted* ones; columns without an entry are not filtered."""
    columns = [c for c in (layer.filter_feld, layer.gruppierung.feld if layer.gruppierung else None) if c]
    for column in dict.fromkeys(columns):
        if column in wanted and column in frame.columns:
            frame = frame[frame[column].astype(str).isin(wanted[column])]
    return frame


def _precision_note(record: dict) -> list[tuple[str, str]]:
    """The position's precision with its measured typical error (one text for all: placement.precision_text)."""
    if not record.get("lage_genauigkeit"):
        return []
    return [("Genauigkeit", html.escape(precision_text(record)))]


def _area_layer(m: folium.Map | folium.FeatureGroup, base: MapBase, layer: LayerDefinition,
                show: bool | None = None) -> int:
    frame = base.frames[layer.gpkg_ebene]
    if layer.nur_im_kreis and "in_kreis" in frame.columns:
        frame = frame[frame["in_kreis"].astype(bool)]
    interactive = layer.interaktiv if layer.interaktiv is not None else bool(layer.popup) and layer.art != "umriss"
    props: dict[str, Sequence[object]] = {}
    if layer.tooltip:
        props["_tooltip"] = [html.escape(format_number(float(v))) if isinstance(v, (int, float, np.number))
                             else text_html(v) for v in frame[layer.tooltip]]
    if layer.popup and interactive:
        props["_popup"] = [popup_html(rec, layer.popup) for rec in _records(frame)]
    _add_geojson(m, features(frame, props), layer, layer.titel, layer.sichtbar if show is None else show,
                 interactive=interactive)
    return len(frame)


# ------------------------------------------------------------------------------------------ legend

def legend_html(classification: Classification | None, indicator: Indicator | None,
                point_groups: Sequence[tuple[str, str]],
                sections: Sequence[tuple[str, Sequence[tuple[str, ...]]]] | None = None) -> str:
    """The in-map legend: indicator classes with units and source, then the point colours – one section
    (title, [(value, colour) or (value, colour, symbol)]) per grouped point layer; *point_groups* alone is
    shown as "Angebote". With a symbol the entry is the marker's badge (symbol on colour)."""
    parts: list[str] = []
    if indicator is not None and classification is not None:
        parts.append(f"<h4>{html.escape(indicator.label)}</h4>")
        parts.append(f"<div>Einheit: {html.escape(indicator.unit_label)}</div>")
        for number, entry in enumerate(classification.legend, start=1):  # numbers as on the maps' labels
            parts.append(f'<div><span class="sw" style="background:{entry.colour}"></span>'
                         f"<b>{number}</b> · {html.escape(entry.label)} ({entry.count})</div>")
        year = f", Bezugsjahr {indicator.bezugsjahr}" if indicator.bezugsjahr else ""
        stand = f", Gebietsstand {indicator.gebietsstand}" if indicator.gebietsstand else ""
        level = " – Wert des Gemeindeverbands" if indicator.ebene == "gemeindeverband" else ""
        parts.append(f'<div class="note">Quelle: {html.escape(indicator.quelle)}{html.escape(year + stand)}'
                     f"{html.escape(level)}</div>")
    for title, groups in (sections if sections is not None else [("Angebote", point_groups)]):
        if not groups:
            continue
        parts.append(f"<h4 style='margin-top:6px'>{html.escape(title)}</h4>")
        for label, colour, *symbol in groups:
            swatch = (symbol_badge(symbol[0], colour) if symbol else
                      f'<span class="pt" style="background:{colour}"></span>')
            parts.append(f"<div>{swatch}{html.escape(label)}</div>")
    return f"<details open><summary>Legende</summary>{''.join(parts)}</details>"


# --------------------------------------------------------------------------------------- the map

def build_map(base: MapBase, layers: Sequence[LayerDefinition], options: MapOptions) -> MapResult:
    """Assemble the overview map for *options*; pure (no Streamlit)."""
    m = offline_map(base.bounds)

    if options.online_tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap-Hintergrund (nur mit Internet)", overlay=True,
                         show=False, attr=OSM_ATTRIBUTION).add_to(m)

    classification = None
    counts: dict[str, int] = {}
    source_keys: list[str] = []
    sections: list[tuple[str, list[tuple[str, ...]]]] = []
    for layer in layers:
        if layer.gpkg_ebene not in base.frames:
            continue
        source_keys.extend(k for k in layer.quellen if k not in source_keys)
        if layer.id in options.deferred_layers:
            continue
        if layer.art == "choropleth":
            classification = _choropleth_layer(m, base, layer, options)
            counts[layer.id] = len(base.frames[layer.gpkg_ebene])
            if classification is not None:  # class numbers in the Gemeinden, as in the legend (WCAG 1.4.1)
                ClassLabels(class_label_points(base.frames[layer.gpkg_ebene], classification.classes),
                            centred=True).add_to(m)
        elif layer.art == "punkte":
            counts[layer.id] = _point_layer(m, base, layer, options)
            if layer.gruppierung is not None:
                frame = base.frames[layer.gpkg_ebene]
                present = set(frame[layer.gruppierung.feld].astype(str))
                sections.append((layer.titel, [(v, s.farbe, s.symbol) if layer.buendeln else (v, s.farbe)
                                               for v, s in layer.gruppierung.werte.items() if v in present]))
        else:
            counts[layer.id] = _area_layer(m, base, layer)
    if options.indicator is not None:
        for key, source in load_sources().items():
            if options.indicator.datei and source.datei == options.indicator.datei and key not in source_keys:
                source_keys.append(key)
    attributions = _attribution_texts(source_keys)
    if options.online_tiles:
        attributions.append(OSM_ATTRIBUTION + " (nur Online-Hintergrund)")
    Attribution(attributions).add_to(m)
    legend = legend_html(classification, options.indicator, [], sections)
    if options.legend_in_map:
        HtmlControl(legend).add_to(m)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    return MapResult(map=m, classification=classification, attributions=attributions, counts=counts, legend=legend)


_attribution_texts = attribution_texts  # kept for existing imports; use atlas.sources.attribution_texts


# ------------------------------------------------------------------------------- switchable layers

def switchable_layers(layers: Sequence[LayerDefinition], base: MapBase) -> tuple[LayerDefinition, ...]:
    """The point and area layers hidden at first (``sichtbar: false``) whose data was built: the page
    offers them as switches and sends their data only when switched on (the Karte's payload without
    them is about a third smaller)."""
    return tuple(layer for layer in layers if not layer.sichtbar and layer.art != "choropleth"
                 and layer.gpkg_ebene in base.frames)


@dataclass
class LayerGroupResult:
    """Switched-on layers in one feature group for a standing map, with their feature counts."""

    group: folium.FeatureGroup
    counts: dict[str, int] = field(default_factory=dict)


def switchable_layers_group(base: MapBase, layers: Sequence[LayerDefinition], options: MapOptions
                            ) -> LayerGroupResult:
    """*layers* (from :func:`switchable_layers`) drawn visible into one feature group, filtered as on the
    map (*options*); pure. streamlit-folium adds the group to the standing map without reloading it."""
    group = folium.FeatureGroup(name="Zugeschaltete Ebenen", control=False)
    counts: dict[str, int] = {}
    for layer in layers:
        if layer.art == "punkte":
            counts[layer.id] = _point_layer(group, base, layer, options, show=True)
        else:
            counts[layer.id] = _area_layer(group, base, layer, show=True)
    return LayerGroupResult(group=group, counts=counts)
