"""Map images rendered on the server (no browser): matplotlib (Agg) + GeoPandas ``plot``.

Why matplotlib: it is the plotting backend GeoPandas itself uses, draws in the metric CRS directly
(EPSG:25832, so lengths on the image are true to scale), writes PNG without a display or a browser,
and ships its own font (DejaVu Sans, all German characters). The figure is created with
``matplotlib.figure.Figure`` (no pyplot global state), so concurrent Streamlit sessions do not
interfere. Every image carries the attribution of the data it shows.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")

import matplotlib.patheffects as pe  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from atlas import schema
from atlas.atlasdata import AtlasData  # noqa: E402
from atlas.choropleth import NO_DATA_COLOUR, Classification  # noqa: E402
from atlas.class_labels import group_markers  # noqa: E402
from atlas.council._helpers import attribution_for, indicator_source_keys, source_text  # noqa: E402
from atlas.council.errors import CouncilError  # noqa: E402
from atlas.indicators import Indicator  # noqa: E402
from atlas.layers import load_layers  # noqa: E402
from atlas.text_alternatives import class_labels  # noqa: E402

DEFAULT_SIZE_PX = (1600, 1200)
DEFAULT_DPI = 200
BASE_SOURCES = ["gemeinden"]


def _offer_colours() -> dict[str, str]:
    for layer in load_layers():
        if layer.id == "angebote" and layer.gruppierung is not None:
            return {value: style.farbe for value, style in layer.gruppierung.werte.items()}
    return {}


def _scale_bar(ax, extent: tuple[float, float, float, float]) -> None:
    xmin, xmax, ymin, ymax = extent
    width = xmax - xmin
    length = next(v for v in (50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500) if v <= width / 4)
    x0, y0 = xmin + width * 0.04, ymin + (ymax - ymin) * 0.05
    ax.plot([x0, x0 + length], [y0, y0], color="black", linewidth=3, solid_capstyle="butt", zorder=20)
    label = f"{length // 1000} km" if length >= 1000 else f"{length} m"
    ax.text(x0 + length / 2, y0 + (ymax - ymin) * 0.015, label, ha="center", va="bottom", fontsize=8,
            zorder=20, path_effects=[pe.withStroke(linewidth=3, foreground="white")])


def render_map_png(data: AtlasData, *, focus_ags: str | None = None, indicator: Indicator | None = None,
                   classification: Classification | None = None, show_offers: bool = False,
                   show_stations: bool = False, radius_m: float | None = None, title: str | None = None,
                   size_px: tuple[int, int] = DEFAULT_SIZE_PX, dpi: int = DEFAULT_DPI) -> bytes:
    """A PNG of exactly *size_px* pixels showing the Gemeinden of the Kreis.

    * with *indicator* and *classification*: Gemeinden coloured by class, legend with bounds and unit,
      source and reference year under the map;
    * with *focus_ags*: that Gemeinde outlined and the view zoomed to it (plus *radius_m* around it,
      drawn dashed), names of neighbouring Gemeinden;
    * *show_offers* / *show_stations*: offers coloured by Handlungsfeld, stations as triangles.
    """
    gem = data.gemeinden
    width_px, height_px = size_px
    if width_px < 200 or height_px < 150:
        raise CouncilError("Das Bild muss mindestens 200 × 150 Pixel groß sein.")
    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    FigureCanvasAgg(fig)
    box_height = 0.83 if title else 0.9
    ax = fig.add_axes((0.01, 0.09, 0.98, box_height))
    ax.set_axis_off()
    ax.set_aspect("equal")
    sources = list(BASE_SOURCES)

    focus = _focus_frame(gem, focus_ags)
    extent = _view_extent(gem, focus, radius_m, (width_px * 0.98) / (height_px * box_height))
    choropleth = (indicator, classification) if indicator is not None and classification is not None else None

    neighbours = data[schema.NEIGHBOUR_GEMEINDEN_LAYER]
    if len(neighbours):
        neighbours.plot(ax=ax, color="#f2f2f2", edgecolor="#bbbbbb", linewidth=0.4, zorder=1)
    handles: list = _draw_gemeinden(ax, gem, classification if choropleth else None)
    if choropleth:
        sources.extend(indicator_source_keys(choropleth[0]))
    data[schema.KREIS_LAYER].boundary.plot(ax=ax, color="#222222", linewidth=1.4, zorder=4)
    if focus is not None:
        handles += _draw_focus(ax, gem, focus, str(focus_ags), radius_m, extent)
    if show_offers:
        handles += _draw_offers(ax, data.angebote)
        sources.extend(["angebote", "orte"])
    if show_stations:
        handles += _draw_stations(ax, data[schema.STATIONS_LAYER])
        sources.append("bahnhoefe")

    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    _scale_bar(ax, extent)
    if handles:
        legend_title = f"{choropleth[0].label}\n{choropleth[0].unit_label}" if choropleth else None
        legend = ax.legend(handles=handles, loc="upper right", fontsize=6.5, title=legend_title, title_fontsize=7,
                           framealpha=0.92)
        legend.set_zorder(30)
    if title:
        fig.text(0.5, 0.955, title, ha="center", va="center", fontsize=12, fontweight="bold")
    lines = [source_text(indicator)] if indicator is not None else []
    lines.append("Daten: " + " · ".join(attribution_for(sources)))
    lines.append("Kartenprojektion ETRS89 / UTM 32N (EPSG:25832). Standortatlas")
    fig.text(0.01, 0.01, "\n".join(_wrap(line, width_px, dpi) for line in lines), ha="left", va="bottom",
             fontsize=5.5, color="#333333", linespacing=1.3)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


def _focus_frame(gem: gpd.GeoDataFrame, focus_ags: str | None) -> gpd.GeoDataFrame | None:
    """The Gemeinde *focus_ags* (one row), None without a focus; German error for an unknown key."""
    if focus_ags is None:
        return None
    focus = gem[gem["ags"].astype(str) == str(focus_ags)]
    if focus.empty:
        raise CouncilError(f"Unbekannte Gemeinde (Gemeindeschlüssel {focus_ags}).")
    return focus


def _view_extent(gem: gpd.GeoDataFrame, focus: gpd.GeoDataFrame | None, radius_m: float | None,
                 box_ratio: float) -> tuple[float, float, float, float]:
    """(xmin, xmax, ymin, ymax) of the view: the focus plus margin, else the Kreis; widened to *box_ratio*."""
    if focus is not None:
        pad = max(radius_m or 0.0, 1500.0) * 1.15
        xmin, ymin, xmax, ymax = focus.total_bounds
    else:
        xmin, ymin, xmax, ymax = gem.total_bounds
        pad = (xmax - xmin) * 0.03
    xmin, ymin, xmax, ymax = xmin - pad, ymin - pad, xmax + pad, ymax + pad
    # Keep the image's aspect ratio: widen the shorter side of the view.
    cx, cy, w, h = (xmin + xmax) / 2, (ymin + ymax) / 2, xmax - xmin, ymax - ymin
    if w / h < box_ratio:
        w = h * box_ratio
    else:
        h = w / box_ratio
    return (cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2)


def _draw_gemeinden(ax, gem: gpd.GeoDataFrame, classification: Classification | None) -> list:
    """Gemeinden in grey, or coloured by *classification* (missing values dashed); returns legend handles."""
    if classification is None:
        gem.plot(ax=ax, color="#e3e3e3", edgecolor="white", linewidth=0.8, zorder=2)
        return []
    colours = classification.colours
    gem.plot(ax=ax, color=colours, edgecolor="white", linewidth=0.8, zorder=2)
    missing = [c == NO_DATA_COLOUR for c in colours]
    if any(missing):
        gem[missing].plot(ax=ax, facecolor="none", edgecolor="#555555", linewidth=0.8, linestyle="--", zorder=3)
    # Class numbers in the Gemeinden and in the legend: the image is readable without colours (WCAG 1.4.1).
    for point, label in zip(gem.geometry.representative_point(), class_labels(classification.classes), strict=True):
        ax.annotate(label, (point.x, point.y), xytext=(0, 7), textcoords="offset points", ha="center", va="center",
                    fontsize=6.5, fontweight="bold", color="#1a1a1a", zorder=7,
                    bbox={"boxstyle": "circle,pad=0.25", "facecolor": "white", "edgecolor": "#1a1a1a", "linewidth": 0.6})
    return [Patch(facecolor=entry.colour, edgecolor="#777777", label=f"{number} · {entry.label} ({entry.count})")
            for number, entry in enumerate(classification.legend, start=1)]


def _draw_focus(ax, gem: gpd.GeoDataFrame, focus: gpd.GeoDataFrame, focus_ags: str, radius_m: float | None,
                extent: tuple[float, float, float, float]) -> list:
    """The focus Gemeinde outlined, the radius dashed, the names of the Gemeinden in view."""
    handles = []
    if radius_m:
        gpd.GeoSeries(focus.geometry.buffer(radius_m), crs=gem.crs).boundary.plot(
            ax=ax, color="#1f5f8b", linewidth=1.0, linestyle="--", zorder=5)
        handles.append(Line2D([], [], color="#1f5f8b", linestyle="--", label=f"{radius_m / 1000:g} km Umkreis"))
    focus.boundary.plot(ax=ax, color="black", linewidth=2.6, zorder=6)
    in_view = gem.cx[extent[0]:extent[1], extent[2]:extent[3]]
    for _, row in in_view.iterrows():
        point = row.geometry.representative_point()
        bold = str(row["ags"]) == focus_ags
        ax.text(point.x, point.y, str(row["name"]), ha="center", va="center", zorder=15,
                fontsize=9 if bold else 6.5, fontweight="bold" if bold else "normal", color="#111111",
                path_effects=[pe.withStroke(linewidth=2.5, foreground="white")], clip_on=True)
    return handles


def _draw_offers(ax, offers: gpd.GeoDataFrame) -> list:
    """Offers coloured by Handlungsfeld (colours from the offers layer file); returns legend handles."""
    if not len(offers):
        return []
    colours_by_field = _offer_colours()
    # Shape and colour per Handlungsfeld: the groups stay apart in grey print and for colour-blind readers.
    shapes = group_markers([*colours_by_field, *sorted(set(offers["handlungsfeld"].astype(str)))])
    fields = offers["handlungsfeld"].astype(str)
    for fld in sorted(set(fields)):
        offers[fields == fld].plot(ax=ax, color=colours_by_field.get(fld, "#666666"), marker=shapes[fld],
                                   markersize=16, edgecolor="#333333", linewidth=0.4, zorder=8)
    return [Line2D([], [], marker=shapes[fld], linestyle="", markerfacecolor=colours_by_field[fld],
                   markeredgecolor="#333333", label=f"Angebot: {fld}")
            for fld in sorted(set(fields)) if fld in colours_by_field]


def _draw_stations(ax, stations: gpd.GeoDataFrame) -> list:
    """Stations as white triangles; returns legend handles."""
    if not len(stations):
        return []
    stations.plot(ax=ax, marker="^", color="white", edgecolor="black", markersize=28, linewidth=1.0, zorder=9)
    return [Line2D([], [], marker="^", linestyle="", markerfacecolor="white", markeredgecolor="black",
                   label="Bahnhof/Haltepunkt")]


def _wrap(text: str, width_px: int, dpi: int, font_pt: float = 5.5) -> str:
    """Wrap *text* so that it fits the image width (approximate character width)."""
    chars = max(40, int(width_px / dpi * 72 / (font_pt * 0.55)))
    words, lines, current = text.split(" "), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > chars:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return "\n".join(lines)


def attribution_lines(indicator: Indicator | None, extra_keys: Sequence[str] = ()) -> list[str]:
    """The attribution printed under a map image (for checking and for captions)."""
    keys = list(BASE_SOURCES) + (indicator_source_keys(indicator) if indicator else []) + list(extra_keys)
    return attribution_for(keys)
