"""The map of the *Erreichbarkeit* page: grid cells by class, sites, hypothetical sites, proposals.

Built with folium like the overview map (:mod:`atlas.mapview`) and with the same offline rules:
Leaflet comes from the app's ``static/vendor`` (no CDN), there is no tile server (the neighbouring
Kreise form the background), colours are set per feature with a ``style_function`` (no branca
colormaps, which load d3 from a CDN), legend and attribution are plain Leaflet controls. Only core
Leaflet is used (``GeoJson``, ``CircleMarker``, ``DivIcon``), so no plugin needs vendoring.

Cells carry tooltips only (no popups), so a click on a cell reaches the map: the page uses the
click position (``last_clicked``) to add a hypothetical site. Every data text is HTML-escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from atlas import schema
from atlas.accessibility.county import KLASSEN, lonlat_from_xy
from atlas.accessibility.origins import share_label
from atlas.choropleth import format_number
from atlas.class_labels import ink_colour, symbol_badge
from atlas.leaflet import NO_TAB_CLASS, Attribution, features, html_header, offline_map, tab_class
from atlas.mapview import MapBase
from atlas.placement import LEVELS, is_approximate, precision_label
from atlas.settings import MAP_CRS

#: Fill colour per cell class (ColorBrewer RdBu ends, colour-blind safe; scenario classes in
#: orange/purple so they stand out).
KLASSEN_FARBE: dict[str, str] = {
    "innerhalb": "#4393c3",
    "jenseits": "#d6604d",
    "neu_erreicht": "#1b7837",
    "neu_jenseits": "#762a83",
    "ohne_ergebnis": "#bdbdbd",
    "kein_standort": "#bdbdbd",
}
#: Patterns on top of the class colours (WCAG 1.4.1: colour is not the only carrier): SVG patterns in the map
#: document, referenced by CSS from each cell's class; the legend draws the same pattern with CSS gradients.
KLASSEN_MUSTER: dict[str, tuple[str, str]] = {
    # class: (SVG pattern content on a 6×6 tile, CSS background of the legend swatch)
    "jenseits": ('<rect width="6" height="6" fill="#d6604d"/><path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" '
                 'stroke="#67001f" stroke-width="1.4"/>',
                 "repeating-linear-gradient(135deg,#67001f 0 1.4px,#d6604d 1.4px 4.2px)"),
    "neu_jenseits": ('<rect width="6" height="6" fill="#762a83"/><path d="M0,6 l6,-6 M0,0 l6,6" stroke="#2d004b" '
                     'stroke-width="1.2"/>',
                     "repeating-linear-gradient(45deg,#2d004b 0 1.2px,transparent 1.2px 4.2px),"
                     "repeating-linear-gradient(135deg,#2d004b 0 1.2px,#762a83 1.2px 4.2px)"),
    "neu_erreicht": ('<rect width="6" height="6" fill="#1b7837"/><circle cx="3" cy="3" r="1.3" fill="#00441b"/>',
                     "radial-gradient(#00441b 1.2px,transparent 1.6px) 0 0/5px 5px,#1b7837"),
    # the two grey classes: horizontal (no result) and vertical lines (no site), so that grey is not told
    # from the plain blue "innerhalb" by its colour alone
    "ohne_ergebnis": ('<rect width="6" height="6" fill="#bdbdbd"/><path d="M0,3 h6" stroke="#525252" stroke-width="1.2"/>',
                      "repeating-linear-gradient(0deg,#525252 0 1.2px,#bdbdbd 1.2px 4.2px)"),
    "kein_standort": ('<rect width="6" height="6" fill="#bdbdbd"/><path d="M3,0 v6" stroke="#525252" stroke-width="1.2"/>',
                      "repeating-linear-gradient(90deg,#525252 0 1.2px,#bdbdbd 1.2px 4.2px)"),
}
#: The pattern definitions (hidden SVG) and the CSS that paints each patterned class with its pattern.
PATTERN_DEFS = ('<svg aria-hidden="true" width="0" height="0" style="position:absolute"><defs>'
                + "".join(f'<pattern id="atlas-muster-{key}" width="6" height="6" patternUnits="userSpaceOnUse">'
                          f"{svg}</pattern>" for key, (svg, _) in KLASSEN_MUSTER.items())
                + "</defs></svg>")
PATTERN_CSS = ("<style>" + "".join(f"path.atlas-zelle-{key}{{fill:url(#atlas-muster-{key})}}" for key in KLASSEN_MUSTER)
               + "</style>")

#: Marker colours of the site kinds.
FARBE_STANDORT = "#111111"
FARBE_GESCHLOSSEN = "#9e9e9e"
FARBE_HYPOTHETISCH = "#ff7f00"
FARBE_VORSCHLAG = "#6a3d9a"


@dataclass(frozen=True)
class GapMapInput:
    """What the map shows.

    ``cells``: per-cell results (:func:`atlas.accessibility.county.cell_results`, EPSG:25832);
    ``sites``: existing sites (``id``, ``name``, ``ort``, ``lage_genauigkeit``, point geometry);
    ``geschlossen``: ids of existing sites closed in the scenario; ``hypothetisch``: (lon, lat) of
    hypothetical sites; ``vorschlaege``: proposals with ``rang``, ``x``, ``y`` (EPSG:25832) and
    ``einwohner_gewonnen``; ``titel``: legend heading (standard and method);
    ``attributions``: source attributions shown on the map; ``standort_radius``: the sites' dots in pixels
    (smaller for many sites, e.g. every stop, so that the cells stay visible).
    """

    cells: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    geschlossen: frozenset[str]
    hypothetisch: Sequence[tuple[float, float]]
    vorschlaege: pd.DataFrame | None
    titel: str
    methode_hinweis: str
    attributions: Sequence[str]
    standort_label: str = "Standorte"
    height: int = 600
    standort_radius: float = 6.0


def _cell_tooltip(row: dict, unit: str) -> str:
    value = row.get("wert")
    shown = format_number(float(value), 1) if value is not None and not pd.isna(value) else "–"
    if value is not None and not pd.isna(value) and np.isinf(float(value)):  # Bus und Bahn: no connection
        shown, unit = "keine Verbindung im Zeitfenster", ""
    parts = [
        f"<b>{html.escape(format_number(float(row['einwohner']), 0))} Einwohner</b> "
        f"(unter 15: {html.escape(format_number(float(row['u15']), 0))}, "
        f"65+: {html.escape(format_number(float(row['ue65']), 0))})",
    ]
    share = share_label(row.get("anteil"), row.get("marker"))
    if share:
        parts.append(html.escape(share))
    if row.get("standort_name"):
        parts.append(f"nächster Standort: {html.escape(str(row['standort_name']))}")
    parts.append(f"{html.escape(shown)} {html.escape(unit)} – {html.escape(KLASSEN[str(row['klasse'])])}")
    if "wert_vorher" in row and row.get("wert_vorher") is not None and not pd.isna(row["wert_vorher"]):
        parts.append(f"vorher: {html.escape(format_number(float(row['wert_vorher']), 1))} {html.escape(unit)}")
    return "<br>".join(parts)


#: Symbols of the site kinds besides their colours (WCAG 1.4.1): the legend shows the same badges.
SYMBOL_GESCHLOSSEN = "×"
SYMBOL_HYPOTHETISCH = "+"


def _symbol_icon(symbol: str, colour: str, css: str, size: int) -> folium.DivIcon:
    return folium.DivIcon(html=(f'<div class="{css}" aria-hidden="true" style="box-sizing:border-box;width:{size}px;'
                                f"height:{size}px;border-radius:50%;border:2px solid #fff;background:{colour};"
                                f"color:{ink_colour(colour)};text-align:center;"
                                f'font:700 {size - 6}px/{size - 4}px system-ui,sans-serif">{html.escape(symbol)}</div>'),
                          icon_size=(size, size), icon_anchor=(size // 2, size // 2), class_name="atlas-symbol")


def _points_layer(m: folium.Map | folium.FeatureGroup, lonlat: np.ndarray, tooltips: list[str], name: str, css: str, colour: str,
                  radius: float, fill_opacity: float = 0.95, show: bool = True, symbol: str | None = None) -> None:
    """Points of one site kind: plain dots, or round badges with *symbol* (told apart without colour)."""
    if len(lonlat) == 0:
        return
    if symbol is not None:
        group = folium.FeatureGroup(name=name, show=show)
        for (lon, lat), tip in zip(lonlat, tooltips, strict=True):
            folium.Marker([float(lat), float(lon)], icon=_symbol_icon(symbol, colour, css, int(2 * radius + 4)),
                          tooltip=tip, keyboard=False, bubbling_mouse_events=True).add_to(group)  # clicks reach the map, as before
        group.add_to(m)
        return
    frame = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lonlat[:, 0], lonlat[:, 1]), crs=MAP_CRS)
    # many sites (e.g. all doctors): no Tab stop per site
    style = {"className": tab_class(css, len(lonlat)), "color": "#ffffff", "weight": 1.5, "fillColor": colour,
             "fillOpacity": fill_opacity, "fill": True}
    geo = features(frame, {"_tooltip": tooltips})
    folium.GeoJson(
        geo, name=name, show=show, marker=folium.CircleMarker(radius=radius),
        style_function=lambda _f, s=style: s,
        tooltip=folium.GeoJsonTooltip(fields=["_tooltip"], labels=False, sticky=False),
    ).add_to(m)


def legend_html(inp: GapMapInput, counts: dict[str, tuple[int, float]]) -> str:
    """Legend: classes with number of cells and people, the site kinds, the method. Shown beside the
    map (never on top of the county); a collapsible ``<details>``."""
    parts = [f"<h4>{html.escape(inp.titel)}</h4>"]
    for key, label in KLASSEN.items():
        if key not in counts:
            continue
        n, people = counts[key]
        swatch = KLASSEN_MUSTER[key][1] if key in KLASSEN_MUSTER else KLASSEN_FARBE[key]
        parts.append(f'<div><span class="sw" style="background:{swatch}"></span>'
                     f"{html.escape(label)} ({n} Zellen, {html.escape(format_number(people, 0))} Einw.)</div>")
    parts.append(f'<div style="margin-top:4px"><span class="pt" style="background:{FARBE_STANDORT}"></span>'
                 f"{html.escape(inp.standort_label)}</div>")
    if inp.geschlossen:
        parts.append(f"<div>{symbol_badge(SYMBOL_GESCHLOSSEN, FARBE_GESCHLOSSEN)}geschlossen (Szenario)</div>")
    if len(inp.hypothetisch):
        parts.append(f"<div>{symbol_badge(SYMBOL_HYPOTHETISCH, FARBE_HYPOTHETISCH)}hypothetischer Standort</div>")
    if inp.vorschlaege is not None and len(inp.vorschlaege):
        parts.append(f"<div>{symbol_badge('1', FARBE_VORSCHLAG)}Vorschlag (Nummer = Rang)</div>")
    parts.append(f'<div class="note">{html.escape(inp.methode_hinweis)}</div>')
    return f"<details open><summary>Legende</summary>{''.join(parts)}</details>"


#: Pane of the Gemeinde borders: above the result layers (which arrive later as a feature group),
#: below markers and tooltips, and transparent for clicks.
GRENZEN_PANE = "atlas-grenzen"


def build_gap_base(base: MapBase, attributions: Sequence[str], height: int | None = None) -> folium.Map:
    """The part of the map that never changes for a data version: neighbouring Kreise, Gemeinde borders
    and the attribution. The page passes the results as :func:`gap_layers` (streamlit-folium's
    ``feature_group_to_add``), so a click updates the layers without reloading the map or losing the view."""
    m = offline_map(base.bounds, max_zoom=16)
    nk = base.frames[schema.NEIGHBOUR_KREISE_LAYER]
    folium.GeoJson(features(nk, {}), name="Nachbarkreise", interactive=False,
                   style_function=lambda _f: {"className": "atlas-nachbar", "color": "#9e9e9e", "weight": 1,
                                              "fillColor": "#f0f0f0", "fillOpacity": 1.0, "fill": True},
                   control=False).add_to(m)
    folium.map.CustomPane(GRENZEN_PANE, z_index=450, pointer_events=False).add_to(m)
    gem = base.frames[schema.GEMEINDEN_LAYER]
    folium.GeoJson(features(gem, {}), name="Gemeindegrenzen", interactive=False, pane=GRENZEN_PANE,
                   style_function=lambda _f: {"className": "atlas-gemeindegrenze", "color": "#333333", "weight": 1.2,
                                              "fill": False}).add_to(m)
    Attribution(list(attributions)).add_to(m)
    html_header(m).add_child(folium.Element(PATTERN_CSS), name="atlas_muster_css")
    root: Any = m.get_root()  # a branca Figure: its body is .html
    root.html.add_child(folium.Element(PATTERN_DEFS), name="atlas_muster_defs")
    return m


def gap_layers(base: MapBase, inp: GapMapInput) -> folium.FeatureGroup:
    """The result layers of *inp* (cells by class, sites, closed and hypothetical sites, proposals) as
    one feature group."""
    group = folium.FeatureGroup(name="Ergebnis", control=False)
    grid = base.frames[schema.GRID_LAYER].set_index("grd_id")
    cells = inp.cells
    if cells["grd_id"].astype(str).is_unique and cells["grd_id"].astype(str).isin(grid.index).all():
        shapes = gpd.GeoDataFrame(geometry=grid.loc[cells["grd_id"].astype(str), "geometry"].to_numpy(), crs=grid.crs)
    else:  # origins finer than the 1-km cells (settlement parts, 100-m cells): their own polygons
        own = gpd.GeoSeries(cells.geometry.to_numpy(), crs=cells.crs).to_crs(grid.crs)
        shapes = gpd.GeoDataFrame(geometry=own.set_precision(1e-5).to_numpy(), crs=grid.crs)
    unit = str(cells["einheit"].iloc[0]) if len(cells) else ""
    records = pd.DataFrame(cells.drop(columns="geometry")).to_dict("records")
    styles = [{"fillColor": KLASSEN_FARBE[str(r["klasse"])],
               "className": f"atlas-zelle atlas-zelle-{r['klasse']} {NO_TAB_CLASS}"} for r in records]
    tooltips = [_cell_tooltip(r, unit) for r in records]
    base_style = {"className": "atlas-zelle", "color": "#ffffff", "weight": 0.5, "fillOpacity": 0.75, "fill": True}
    folium.GeoJson(
        features(shapes, {"_style": styles, "_tooltip": tooltips}),
        name="Rasterzellen nach Erreichbarkeit",
        style_function=lambda f: {**base_style, **f["properties"]["_style"]},
        tooltip=folium.GeoJsonTooltip(fields=["_tooltip"], labels=False, sticky=True),
        smooth_factor=0.5,
    ).add_to(group)

    sites = inp.sites
    if len(sites):
        ll = lonlat_from_xy(np.column_stack([sites.geometry.x, sites.geometry.y]))
        closed = sites["id"].astype(str).isin(inp.geschlossen).to_numpy()

        def tip(i: int) -> str:
            r = sites.iloc[i]
            level = str(r["lage_genauigkeit"])
            note = f" – {precision_label(level)}" if level in LEVELS and is_approximate(level) else ""
            ort = f", {html.escape(str(r['ort']))}" if str(r["ort"]) else ""
            return f"{html.escape(str(r['name']))}{ort}{html.escape(note)}"

        open_idx = np.flatnonzero(~closed)
        _points_layer(group, ll[open_idx], [tip(int(i)) for i in open_idx], f"{inp.standort_label} ({len(open_idx)})",
                      "atlas-standort", FARBE_STANDORT, inp.standort_radius)
        closed_idx = np.flatnonzero(closed)
        _points_layer(group, ll[closed_idx], [f"geschlossen (Szenario): {tip(int(i))}" for i in closed_idx],
                      f"geschlossen ({len(closed_idx)})", "atlas-standort-geschlossen", FARBE_GESCHLOSSEN, 6,
                      symbol=SYMBOL_GESCHLOSSEN)
    hyp = np.asarray(inp.hypothetisch, dtype=float).reshape(-1, 2)
    _points_layer(group, hyp, [f"hypothetischer Standort {i + 1}" for i in range(len(hyp))],
                  f"hypothetische Standorte ({len(hyp)})", "atlas-standort-hypothetisch", FARBE_HYPOTHETISCH, 8,
                  symbol=SYMBOL_HYPOTHETISCH)

    if inp.vorschlaege is not None and len(inp.vorschlaege):
        ll = lonlat_from_xy(inp.vorschlaege[["x", "y"]].to_numpy(dtype=float))
        for (lon, lat), (_, row) in zip(ll, inp.vorschlaege.iterrows(), strict=True):
            rank = int(row["rang"])
            gained = html.escape(format_number(float(row["einwohner_gewonnen"]), 0))
            folium.Marker(
                [lat, lon],
                icon=folium.DivIcon(
                    html=(f'<div class="atlas-vorschlag" style="background:{FARBE_VORSCHLAG};color:#fff;'
                          "border:2px solid #fff;border-radius:50%;width:24px;height:24px;line-height:20px;"
                          f'text-align:center;font:bold 13px system-ui,sans-serif">{rank}</div>'),
                    icon_size=(24, 24), icon_anchor=(12, 12)),
                tooltip=f"Vorschlag {rank}: +{gained} Einwohner innerhalb des Standards",
            ).add_to(group)
    return group


def class_counts(cells: pd.DataFrame) -> dict[str, tuple[int, float]]:
    """Number of cells and people per class present (legend order)."""
    counts: dict[str, tuple[int, float]] = {}
    for key in KLASSEN:
        sel = cells["klasse"] == key
        if bool(sel.any()):
            counts[key] = (int(sel.sum()), float(cells.loc[sel, "einwohner"].sum()))
    return counts


def build_gap_map(base: MapBase, inp: GapMapInput) -> folium.Map:
    """Base and result layers in one folium map (for the PNG/HTML export and tests; pure, no Streamlit)."""
    m = build_gap_base(base, inp.attributions)
    gap_layers(base, inp).add_to(m)
    return m
