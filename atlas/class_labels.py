"""Class numbers written into the Gemeinden of a choropleth, so that colour never carries meaning alone
(WCAG 1.4.1; issue 15). The legend shows the same numbers (``1 · bis 2,5``), on the map, beside it and in
the PNG/PDF images.

Used on every choropleth: the interactive maps of the Karte and Indikatoren pages (number centred in the
Gemeinde), the Sitzungsmodus (projector; the number sits just above the Gemeinde's name label, same
representative point) and the server-side PNG (Indikatoren download, Sozialraumprofil) – a white disc
with a dark border.

Points work the same way: an offer's marker carries the symbol (letter) of its Handlungsfeld from the
layer file (``layers/angebote.yaml``, ``gruppierung.werte.*.symbol``) in a text colour with enough
contrast to its fill (:func:`ink_colour`); the legend shows the same symbol on the same colour.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template

from atlas.text_alternatives import class_labels

#: Inline style of a number (the labels live in a feature group that is exchanged per slide: no page CSS).
LABEL_STYLE = ("display:inline-block;transform:translate(-50%,-115%);min-width:1.5em;padding:0 .3em;"
               "border:2px solid #1a1a1a;border-radius:1em;background:#ffffff;color:#1a1a1a;"
               "font:700 13px/1.3 system-ui,sans-serif;text-align:center;pointer-events:none")


def class_label_points(frame: gpd.GeoDataFrame, classes: Sequence[int | None]) -> list[tuple[float, float, str]]:
    """(lat, lon, class number) at a point inside each Gemeinde of *frame* (EPSG:4326); '–' without a value."""
    if len(frame) != len(classes):
        raise ValueError("Jede Gemeinde braucht genau eine Klasse.")
    points = frame.geometry.representative_point()
    return [(float(p.y), float(p.x), label) for p, label in zip(points, class_labels(classes), strict=True)]


#: Style of a number centred in its Gemeinde on the interactive maps (Karte, Indikatoren): bold dark digits
#: with a white halo, no disc – small enough for 39 Gemeinden at 390 px and never mistaken for the dark
#: cluster discs of the offers.
CENTRED_LABEL_STYLE = ("display:inline-block;transform:translate(-50%,-50%);color:#111111;"
                       "font:800 13px/1 system-ui,sans-serif;pointer-events:none;"
                       "text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff,0 0 4px #fff")


def _luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG 2.1) of ``#rrggbb``."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 … 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_colour(fill: str) -> str:
    """Black or white, whichever contrasts more with *fill* – the colour of a symbol drawn on it."""
    return "#000000" if contrast_ratio(fill, "#000000") >= contrast_ratio(fill, "#ffffff") else "#ffffff"


def symbol_badge(symbol: str, fill: str, size_px: int = 18) -> str:
    """A round badge (HTML, escaped) with *symbol* on *fill*: the legend entry of a point group."""
    return (f'<span class="pt atlas-sym" aria-hidden="true" style="display:inline-block;width:{size_px}px;'
            f"height:{size_px}px;border-radius:50%;background:{fill};color:{ink_colour(fill)};"
            f"border:1px solid #333;text-align:center;font:700 {size_px - 7}px/{size_px - 2}px system-ui,sans-serif;"
            f'margin-right:6px;vertical-align:middle">{html.escape(symbol)}</span>')


#: Marker shapes for point groups in printed maps (matplotlib names), so a group is told apart by its shape
#: as well as its colour. "^" is left out: it marks railway stations.
GROUP_MARKERS = ("o", "s", "D", "P", "X", "v", "p", "h", "*", "<", ">", "d")


def group_markers(groups: Sequence[str]) -> dict[str, str]:
    """A marker shape per group, in the given (stable) order; shapes repeat only beyond twelve groups."""
    return {group: GROUP_MARKERS[i % len(GROUP_MARKERS)] for i, group in enumerate(dict.fromkeys(groups))}


class ClassLabels(MacroElement):
    """Non-interactive number labels (plain Leaflet divIcons, no clicks, no keyboard stops).

    Hidden from screen readers (``aria-hidden``): they repeat what the text alternative under the map says.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            {{ this.labels|tojson }}.forEach(function(l) {
                L.marker([l[0], l[1]], {interactive: false, keyboard: false, icon: L.divIcon({
                    className: 'atlas-klasse', iconSize: null,
                    html: '<span aria-hidden="true" style="{{ this.style }}">' + l[2] + '</span>'})})
                 .addTo({{ this._parent.get_name() }});
            });
        })();
        {% endmacro %}
    """)

    def __init__(self, points: Sequence[tuple[float, float, str]], centred: bool = False):
        super().__init__()
        self._name = "ClassLabels"
        self.style = CENTRED_LABEL_STYLE if centred else LABEL_STYLE
        self.labels = [[round(lat, 5), round(lon, 5), html.escape(text)] for lat, lon, text in points]
