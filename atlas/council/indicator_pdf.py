"""An indicator map as a tagged A4 PDF for print and for screen readers (issue 15).

The same map image as the PNG download (:func:`atlas.council.map_png.render_map_png`: class numbers in the
Gemeinden, numbered legend, attribution inside the image) as a ``Figure`` whose ``/Alt`` is the page's
sentence under the map (:func:`atlas.text_alternatives.extremes_sentence`); then the classes and all
Gemeinden ranked by value as tables with header cells – the map's content in words. Rendered from
``atlas/pdf_templates/indicator.html`` by WeasyPrint (:mod:`atlas.pdf_tags`).
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence

from atlas.atlasdata import AtlasData
from atlas.choropleth import Classification
from atlas.council.indicator_maps import MapChoice, map_caption
from atlas.council.map_png import attribution_lines
from atlas.indicators import Indicator
from atlas.pdf_tags import pdf_language, render_html, render_pdf
from atlas.text_alternatives import extremes_sentence, ranked_table


def indicator_map_alt(indicator: Indicator, names: Sequence[str], values: Sequence[object]) -> str:
    """The map's text alternative: the sentence the page shows under the map."""
    unit = indicator.einheit if indicator.einheit_geprueft else ""
    return extremes_sentence(names, values, unit, what=indicator.label)


def indicator_pdf(choice: MapChoice, classification: Classification, names: Sequence[str],
                  values: Sequence[object], map_png: bytes, *, kreis: str = "", stand: str | None = None) -> bytes:
    """The map of *choice* (classified as *classification*, one value per Gemeinde *names*) as a tagged PDF."""
    ind = choice.indicator
    unit = ind.einheit if ind.einheit_geprueft else ""
    table = ranked_table(names, values, unit)
    class_of = {str(n): ("–" if c is None else str(int(c) + 1))
                for n, c in zip(names, classification.classes, strict=True)}
    created = dt.date.today().strftime("%d.%m.%Y")
    title = f"Karte: {ind.label}"
    notes = [f"Einheit: {ind.unit_label}." + ("" if ind.einheit_geprueft else " Die Einheit ist nicht durch eine "
                                                                                "Quelle geprüft."),
             "Quellen: " + " · ".join(attribution_lines(ind))]
    if ind.beschreibung:
        notes.insert(0, ind.beschreibung)
    html = render_html(
        "indicator.html", lang=pdf_language("de"), title=title,
        subject=f"{ind.label} je Gemeinde" + (f" im {kreis}" if kreis else ""),
        byline=" · ".join(p for p in (kreis, "erstellt mit dem Standortatlas", f"Datenstand {stand}" if stand else "")
                          if p),
        map_src="data:image/png;base64," + base64.b64encode(map_png).decode("ascii"),
        map_alt=indicator_map_alt(ind, names, values), caption=map_caption(choice, classification),
        unit=ind.unit_label,
        classes=[(i, e.colour, e.label, e.count) for i, e in enumerate(classification.legend, start=1)],
        value_label="Wert", rows=[(r.Rang, r.Gemeinde, r.Wert, class_of.get(str(r.Gemeinde), "–"))
                                  for r in table.itertuples(index=False)],
        notes=notes, footer_left=f"{title} · Standortatlas · {created}", page_before="Seite ", page_after="")
    return render_pdf(html)


def indicator_pdf_from_atlas(data: AtlasData, choice: MapChoice, classification: Classification,
                             map_png: bytes) -> bytes:
    """:func:`indicator_pdf` for the Gemeinden of *data* (names, values, Kreis name, newest source date)."""
    from atlas.council.page_model import data_date
    from atlas.sources import load_sources

    gem = data.gemeinden
    return indicator_pdf(choice, classification, gem["name"].astype(str).tolist(), gem[choice.indicator.id].tolist(),
                         map_png, kreis=data.kreis_name, stand=data_date(s.stand for s in load_sources().values()))
