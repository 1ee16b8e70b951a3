"""Class numbers written into the Gemeinden of a choropleth, so that colour never carries meaning alone
(WCAG 1.4.1; issue 15). The legend shows the same numbers (``1 · bis 2,5``), on the map, beside it and in
the PNG/PDF images.

Used where a map must be read from a distance or in print: the Sitzungsmodus (projector) and the
server-side PNG (Indikatoren download, Sozialraumprofil). The number sits just above the Gemeinde's
name label (same representative point), in a white disc with a dark border.
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

    def __init__(self, points: Sequence[tuple[float, float, str]]):
        super().__init__()
        self._name = "ClassLabels"
        self.style = LABEL_STYLE
        self.labels = [[round(lat, 5), round(lon, 5), html.escape(text)] for lat, lon, text in points]
