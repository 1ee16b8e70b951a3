"""What the Sozialraumprofil shows beside its map – key figures, estimated age groups, stations and stops –
made once here for the page (``pages/sozialraumprofil.py`` draws it with Streamlit's elements) and for its
preview in the server's first answer (:func:`facts_html`, :mod:`atlas.map_preview`), so both say the same.
Pure, no Streamlit."""

from __future__ import annotations

import html

import pandas as pd

from atlas.choropleth import format_number
from atlas.council.profile import Profil
from atlas.council.profile_stops import facts_rows
from atlas.display import html_table

#: The hint under the map (the page's caption; the preview's too).
MAP_HINT = "Gemeinde auf der Karte anklicken, um ihr Profil zu öffnen."


def subtitle(profil: Profil) -> str:
    return f"{profil.kreis_name} · Gemeindeschlüssel {profil.ags}"


def key_figures(profil: Profil) -> list[tuple[str, str, str]]:
    """The three key figures: (label, value, help text or "")."""
    return [
        ("Einwohner (Zensus 2022)", format_number(profil.einwohner), ""),
        ("Fläche", f"{format_number(profil.flaeche_km2, 1)} km²", ""),
        ("Einwohner je km²", format_number(profil.dichte, 1),
         f"Landkreis (berechnet): {format_number(profil.kreis_dichte, 1)} Einwohner je km²"),
    ]


def ages_table(profil: Profil) -> str:
    """The estimated age groups as a plain table (:func:`atlas.display.html_table`, read aloud in full)."""
    ages = pd.DataFrame({
        "Altersgruppe (Schätzung)": [g.label for g in profil.altersgruppen],
        "Einwohner (geschätzt)": [g.einwohner for g in profil.altersgruppen],
        "Anteil (%)": [round(g.anteil, 1) for g in profil.altersgruppen],
    })
    return html_table(ages, full_height=True)


def station_lines(profil: Profil) -> list[tuple[str, str]]:
    """(label, text) lines on the nearest station, the stations and the stops in the Gemeinde."""
    lines = []
    if profil.bahnhof is not None:
        b = profil.bahnhof
        lines.append(("Nächster Bahnhof", f"{b.name} – {format_number(b.distanz_m / 1000, 1)} km Luftlinie vom "
                      "Bevölkerungsschwerpunkt der Gemeinde" + ("" if b.in_gemeinde else " (außerhalb der Gemeinde)")
                      + "."))
    lines.append(("Bahnhöfe in der Gemeinde", ", ".join(profil.bahnhoefe_in_gemeinde) or "keiner"))
    return lines + facts_rows(profil.haltestellen)


#: The preview's look of the profile's column: Streamlit's header, caption and metric sizes (the preview's
#: frame, :data:`atlas.page_preview.PREVIEW_CSS`, gives the font and colours).
FACTS_CSS = """
.av-profil h2{font-size:2.25rem;font-weight:700;line-height:1.2;margin:0;padding:1.25rem 0 1rem}
.av-kennzahlen{display:flex;gap:1rem;margin:0 0 1rem}.av-kennzahlen>div{flex:1 1 0;min-width:0}
.av-kennzahlen span{display:block;font-size:14px;color:#595959}
.av-kennzahlen strong{display:block;font-size:2.25rem;font-weight:400;line-height:1.6;white-space:nowrap}
.av-profil .atlas-tabelle-box{margin:0 0 1rem}
"""


def facts_html(profil: Profil) -> str:
    """The profile's column beside the map as plain HTML, in the page's order (escaped)."""
    figures = "".join(f"<div><span>{html.escape(label)}</span><strong>{html.escape(value)}</strong></div>"
                      for label, value, _ in key_figures(profil))
    lines = "".join(f"<p><b>{html.escape(label)}:</b> {html.escape(text)}</p>" for label, text in station_lines(profil))
    stops_note = (f'<p class="av-small">{html.escape(profil.haltestellen.hinweis)}</p>'
                  if profil.haltestellen is not None else "")
    return (f'<div class="av-profil"><h2>{html.escape(profil.name)}</h2>'
            f'<p class="av-small">{html.escape(subtitle(profil))}</p>'
            f'<div class="av-kennzahlen">{figures}</div>{ages_table(profil)}'
            f'<p class="av-small">{html.escape(profil.altersgruppen_hinweis)}</p>{lines}{stops_note}</div>')
