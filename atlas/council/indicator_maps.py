"""Indicator maps for the council: the catalogue grouped by Handlungsfeld, classification, the map.

Classification is :func:`atlas.choropleth.classify` (mapclassify: quantiles, equal intervals,
Fisher-Jenks natural breaks, or user-defined breaks) with ColorBrewer palettes oriented by the
indicator's direction; this module adds what the council pages need around it: validation of the
user's choice with German messages, manual breaks typed in German number format, and the folium map
built with :func:`atlas.mapview.build_map` (Leaflet served locally, legend with bounds and unit,
no-data grey and dashed, attribution on the map) restricted to the area layers, optionally zoomed
to one Gemeinde and with large type for the projector.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from folium.template import Template

from atlas import schema
from atlas.choropleth import METHOD_LABELS, Classification, classify
from atlas.council._helpers import numeric, parse_german_number, source_text
from atlas.council.errors import CouncilError
from atlas.indicator_choice import map_indicators
from atlas.indicators import Indicator, load_handlungsfelder
from atlas.layers import LayerDefinition
from atlas.class_labels import ClassLabels, class_label_points
from atlas.leaflet import Attribution, add_place_labels, corners, features, html_header, offline_map
from atlas.mapview import (
    MapBase,
    MapOptions,
    MapResult,
    build_map,
    choropleth_layer,
    legend_html,
)
from atlas.sources import attribution_texts, load_sources

#: Layers drawn under an indicator map (areas only: the council looks at the Gemeinden).
AREA_LAYERS: tuple[str, ...] = ("nachbar_kreise", "nachbar_gemeinden", "gemeinden", "kreis")
METHODS: tuple[str, ...] = tuple(METHOD_LABELS)
MIN_CLASSES, MAX_CLASSES = 3, 7

#: Extra CSS for the projector: larger legend and attribution inside the map iframe.
LARGE_MAP_CSS = """
<style>
.atlas-legend{font-size:20px !important;max-width:460px !important;line-height:1.4 !important}
.atlas-legend h4{font-size:21px !important}
.atlas-legend .sw{width:26px !important;height:18px !important}
.atlas-legend .note{font-size:16px !important}
.leaflet-control-attribution{font-size:14px !important}
.leaflet-tooltip{font-size:18px !important}
.atlas-ortsname span{font-size:16px !important}
</style>
"""


def grouped_indicators(columns: Sequence[str]) -> list[tuple[str, list[Indicator]]]:
    """Numeric Gemeinde/Gemeindeverband indicators present in *columns*, grouped by Handlungsfeld
    in the strategy's order (empty groups left out)."""
    chosen = map_indicators(columns)
    groups: list[tuple[str, list[Indicator]]] = []
    for field in load_handlungsfelder():
        members = [ind for ind in chosen if ind.handlungsfeld == field.label]
        if members:
            groups.append((field.label, members))
    return groups


def parse_breaks(text: str) -> list[float]:
    """Manual class breaks typed as '5; 10; 15' (German decimal comma allowed), sorted ascending.

    Raises :class:`CouncilError` naming the position of a bad entry.
    """
    parts = [p for p in (part.strip() for part in text.replace("\n", ";").split(";")) if p]
    if not parts:
        raise CouncilError("Bitte mindestens eine Klassengrenze angeben, getrennt durch Semikolon (z. B. 5; 10; 15).")
    values: list[float] = []
    for number, part in enumerate(parts, start=1):
        try:
            values.append(parse_german_number(part))
        except ValueError as exc:
            raise CouncilError(f"Klassengrenze {number}: {exc} Grenzen bitte durch Semikolon trennen, "
                               f"z. B. 2,5; 5; 10.") from exc
    unique = sorted(set(values))
    if len(unique) != len(values):
        raise CouncilError("Jede Klassengrenze darf nur einmal vorkommen.")
    if len(unique) > MAX_CLASSES - 1:
        raise CouncilError(f"Höchstens {MAX_CLASSES - 1} Grenzen ({MAX_CLASSES} Klassen) sind möglich; "
                           f"angegeben waren {len(unique)}.")
    return unique


def classify_indicator(gemeinden: pd.DataFrame, indicator: Indicator, method: str = "quantile", k: int = 5,
                       manual_breaks: Sequence[float] | None = None) -> Classification:
    """Classify *indicator* over the Gemeinden (one entry per row of *gemeinden*, order kept)."""
    if indicator.id not in gemeinden.columns:
        raise CouncilError(f"Für den Indikator '{indicator.label}' gibt es keine Werte je Gemeinde.")
    if method not in METHODS:
        raise CouncilError(f"Unbekannte Klasseneinteilung '{method}'. Möglich: {', '.join(METHODS)}.")
    if method != "manuell" and not MIN_CLASSES <= int(k) <= MAX_CLASSES:
        raise CouncilError(f"Die Klassenzahl muss zwischen {MIN_CLASSES} und {MAX_CLASSES} liegen (war {k}).")
    breaks = list(manual_breaks or [])
    if method == "manuell" and not breaks:
        raise CouncilError("Für eigene Grenzen bitte mindestens eine Klassengrenze angeben.")
    try:
        return classify(numeric(gemeinden[indicator.id]), method, int(k), indicator.richtung,  # type: ignore[arg-type]
                        breaks or None)
    except ValueError as exc:
        raise CouncilError(f"{indicator.label}: {exc}") from exc


@dataclass(frozen=True)
class MapChoice:
    """What one indicator map shows (also one slide of the Sitzungsmodus)."""

    indicator: Indicator
    method: str = "quantile"
    k: int = 5
    manual_breaks: tuple[float, ...] = ()
    focus_ags: str | None = None


def area_layers(layers: Sequence[LayerDefinition]) -> list[LayerDefinition]:
    """The registry's area layers for indicator maps (no points, no grid)."""
    return [layer for layer in layers if layer.id in AREA_LAYERS]


def gemeinde_bounds(base: MapBase, ags: str) -> tuple[float, float, float, float]:
    """(south, west, north, east) of one Gemeinde in EPSG:4326; :class:`CouncilError` if unknown."""
    gem = base.frames[schema.GEMEINDEN_LAYER]
    row = gem[gem["ags"].astype(str) == str(ags)]
    if row.empty:
        raise CouncilError(f"Unbekannte Gemeinde (Gemeindeschlüssel {ags}).")
    west, south, east, north = row.total_bounds
    return float(south), float(west), float(north), float(east)


def indicator_map(base: MapBase, layers: Sequence[LayerDefinition], choice: MapChoice, *,
                  large: bool = False, height: int = 640, legend_in_map: bool = True) -> MapResult:
    """The folium map of *choice* (built by :func:`atlas.mapview.build_map`), zoomed to
    ``choice.focus_ags`` when given (outlined in black), with large type when *large*."""
    if choice.method == "manuell" and not choice.manual_breaks:
        raise CouncilError("Für eigene Grenzen bitte mindestens eine Klassengrenze angeben.")
    options = MapOptions(indicator=choice.indicator, method=choice.method, k=choice.k,
                         manual_breaks=tuple(choice.manual_breaks), height=height, legend_in_map=legend_in_map)
    try:
        result = build_map(base, area_layers(layers), options)
    except ValueError as exc:
        raise CouncilError(f"{choice.indicator.label}: {exc}") from exc
    if choice.focus_ags:
        outline_gemeinde(result.map, base, choice.focus_ags)
    if large:
        html_header(result.map).add_child(folium.Element(LARGE_MAP_CSS), name="atlas_large_css")
    return result


def outline_gemeinde(m: folium.Map, base: MapBase, ags: str, fit: bool = True) -> None:
    """Outline one Gemeinde in black (class ``atlas-fokus``, not clickable) and zoom to it."""
    gem = base.frames[schema.GEMEINDEN_LAYER]
    row = gem[gem["ags"].astype(str) == str(ags)]
    folium.GeoJson(
        gpd.GeoSeries(row.geometry.to_numpy(), crs=gem.crs).__geo_interface__, name="Ausgewählte Gemeinde",
        style_function=lambda _f: {"color": "#000000", "weight": 4, "fill": False, "className": "atlas-fokus"},
        interactive=False, control=False,  # added after build_map's LayerControl: keep it out of the control
    ).add_to(m)
    if fit:
        m.fit_bounds(corners(gemeinde_bounds(base, ags)), padding=(20, 20))


def map_caption(choice: MapChoice, classification: Classification | None) -> str:
    """The text under a map: classification, unit, source and reference year."""
    ind = choice.indicator
    k = classification.k if classification is not None else choice.k
    return (f"{ind.label} – {METHOD_LABELS.get(choice.method, choice.method)}, {k} Klassen; "
            f"Einheit: {ind.unit_label}. {source_text(ind)}.")


# --------------------------------------------------------------------------- slides: base + layer

#: Pane of the county outline: above the exchanged choropleth, below labels, transparent for clicks.
OUTLINE_PANE = "atlas-umrisse"
#: The map fills its frame; the page sizes the frame to the screen (no fixed pixel height).
FILL_FRAME_CSS = "<style>html,body{height:100%;margin:0}#map_div{height:100vh !important}</style>"


class FitBounds(MacroElement):
    """Zoom the map to *bounds* when this element's layer group is added (also when streamlit-folium
    exchanges the group on a running map)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        setTimeout(function() {
            var group = {{ this._parent.get_name() }};
            if (group._map) { group._map.fitBounds({{ this.bounds|tojson }}, {padding: [16, 16], animate: false}); }
        }, 0);
        {% endmacro %}
    """)

    def __init__(self, bounds: tuple[float, float, float, float]):
        super().__init__()
        self._name = "FitBounds"
        self.bounds = corners(bounds)


def slide_attributions(layers: Sequence[LayerDefinition], indicators: Sequence[Indicator]) -> list[str]:
    """Attributions of the area layers and of every indicator of a deck (shown once on the fixed map)."""
    keys = [k for layer in area_layers(layers) for k in layer.quellen]
    sources = load_sources()
    for ind in indicators:
        keys.extend(key for key, src in sources.items() if ind.datei and src.datei == ind.datei)
    return attribution_texts(list(dict.fromkeys(keys)))


_PLAIN_FEATURES: dict[tuple[str, str, int], dict] = {}


def _plain_features(base: MapBase, name: str) -> dict:
    """GeoJSON of one prepared frame without properties, computed once per prepared base."""
    key = (base.version, name, id(base.frames[name]))
    if key not in _PLAIN_FEATURES:
        if len(_PLAIN_FEATURES) > 32:
            _PLAIN_FEATURES.clear()
        _PLAIN_FEATURES[key] = features(base.frames[name], {})
    return _PLAIN_FEATURES[key]


def slide_base(base: MapBase, layers: Sequence[LayerDefinition], attributions: Sequence[str], *,
               large: bool = True) -> folium.Map:
    """The part of a slide map that stays for the whole session: neighbours, county outline, Gemeinde
    names, attribution. Arrow keys do not pan it (they change slides); it fills its frame."""
    m = offline_map(base.bounds)
    m.options["keyboard"] = False
    folium.map.CustomPane(OUTLINE_PANE, z_index=450, pointer_events=False).add_to(m)
    for layer in area_layers(layers):  # plain shapes without popups: small and drawn once
        if layer.gpkg_ebene not in base.frames or layer.art == "choropleth":
            continue
        outline = layer.art == "umriss" and not layer.interaktiv
        style = {"color": layer.stil.farbe, "weight": layer.stil.linienbreite, "className": f"atlas-{layer.id}",
                 "fill": not outline and layer.stil.fuelldeckkraft > 0,
                 "fillColor": layer.stil.fuellfarbe or layer.stil.farbe, "fillOpacity": layer.stil.fuelldeckkraft}
        kwargs: dict[str, Any] = {"pane": OUTLINE_PANE} if outline else {}
        folium.GeoJson(_plain_features(base, layer.gpkg_ebene), name=layer.titel, interactive=False,
                       control=False, style_function=lambda _f, st=style: st, **kwargs).add_to(m)
    add_place_labels(m, base.frames[schema.GEMEINDEN_LAYER])
    Attribution(list(attributions)).add_to(m)
    html_header(m).add_child(folium.Element(FILL_FRAME_CSS), name="atlas_fill_css")
    if large:
        html_header(m).add_child(folium.Element(LARGE_MAP_CSS), name="atlas_large_css")
    return m


@dataclass(frozen=True)
class SlideLayer:
    """The exchanged part of a slide: the coloured Gemeinden (and focus outline) and the legend."""

    group: folium.FeatureGroup
    classification: Classification | None
    legend: str


def slide_layer(base: MapBase, layers: Sequence[LayerDefinition], choice: MapChoice) -> SlideLayer:
    """The Gemeinden coloured for *choice*, the focus outline and the zoom, as one feature group."""
    if choice.method == "manuell" and not choice.manual_breaks:
        raise CouncilError("Für eigene Grenzen bitte mindestens eine Klassengrenze angeben.")
    layer = next((lay for lay in area_layers(layers) if lay.art == "choropleth"), None)
    if layer is None or layer.gpkg_ebene not in base.frames:
        raise CouncilError("Die Gemeindeebene fehlt in den aufbereiteten Daten.")
    group = folium.FeatureGroup(name="Folie", control=False)
    options = MapOptions(indicator=choice.indicator, method=choice.method, k=choice.k,
                         manual_breaks=tuple(choice.manual_breaks))
    try:
        classification = choropleth_layer(group, base, layer, options)
    except ValueError as exc:
        raise CouncilError(f"{choice.indicator.label}: {exc}") from exc
    if classification is not None:  # numbers in the Gemeinden: the projector map is readable without colours
        ClassLabels(class_label_points(base.frames[layer.gpkg_ebene], classification.classes)).add_to(group)
    if choice.focus_ags:
        outline_gemeinde(group, base, choice.focus_ags, fit=False)  # type: ignore[arg-type]
    FitBounds(gemeinde_bounds(base, choice.focus_ags) if choice.focus_ags else base.bounds).add_to(group)
    return SlideLayer(group, classification, legend_html(classification, choice.indicator, []))
