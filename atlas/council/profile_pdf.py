"""The Sozialraumprofil as an A4 PDF (one or two pages): tagged, with selectable text.

Built from the HTML template ``atlas/pdf_templates/profile.html`` by WeasyPrint (see :mod:`atlas.pdf_tags`):
headings, tables with header cells, the map as a figure whose alternative text is
:func:`profile_map_alt`, language and title – a structure tree that screen readers follow. The map is the PNG
from :mod:`atlas.council.map_png` (class numbers and marker shapes, attribution inside the image).
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from atlas.choropleth import format_number
from atlas.council.profile_stops import facts_rows
from atlas.council.profile import Profil
from atlas.indicators import load_handlungsfelder
from atlas.pdf_tags import pdf_language, render_html, render_pdf



def _num(value: object, decimals: int | None = None) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return format_number(float(value), decimals)  # type: ignore[arg-type]


RANK_WIDTHS = (43, 15, 11, 17, 14)  # Indikator, Einheit, Gemeinde, Kreis, Rang (per cent of the page width)


@dataclass(frozen=True)
class _Section:
    """A heading with a table (first column: row headers) and a note."""

    heading: str
    header: list[str]
    parts: list[list[list[str]]]
    widths: tuple[int, ...]
    numeric: frozenset[int] = frozenset()
    note: str = ""
    keep: bool = True


def _rank_rows(frame: pd.DataFrame) -> list[list[str]]:
    rows = []
    for rec in frame.itertuples(index=False):
        rank = f"{rec.Rang} von {rec.von}" if rec.Rang is not None and not pd.isna(rec.Rang) else "–"
        kreis = _num(rec.Kreis) + (" (berechnet)" if rec.Kreiswert.endswith("(berechnet)") else "")
        rows.append([rec.Indikator, rec.Einheit.replace(" (Einheit nicht geprüft)", "*"), _num(rec.Gemeinde),
                     kreis, rank])
    return rows


def profile_map_alt(profil: Profil) -> str:
    """The map's text alternative (``/Alt`` of the figure): what the profile map shows, in one or two sentences."""
    radius = _num(profil.radius_m / 1000)
    inside, near = profil.angebote_gesamt
    per_field = profil.angebote.groupby("Handlungsfeld", sort=False)["in der Gemeinde"].sum()
    fields = [f"{name} {int(n)}" for name, n in per_field.items() if int(n)]
    text = (f"Karte der Gemeinde {profil.name} (schwarz umrandet) mit dem Umkreis von {radius} km (gestrichelt) "
            f"und den Nachbargemeinden. Punkte: Angebote nach Handlungsfeld, Lage ungefähr – {inside} in der "
            f"Gemeinde" + (f" ({', '.join(fields)})" if fields else "") + f", {near} im Umkreis.")
    if profil.bahnhof is not None:
        b = profil.bahnhof
        text += f" Dreiecke: Bahnhöfe; der nächste ist {b.name}, {_num(b.distanz_m / 1000, 1)} km Luftlinie."
    return text + " Die Zahlen stehen in den Tabellen dieses Profils."


def _facts(profil: Profil) -> list[tuple[str, str]]:
    facts = [
        ("Einwohner (Zensus 2022)", _num(profil.einwohner)),
        ("Fläche", f"{_num(profil.flaeche_km2, 1)} km²"),
        ("Bevölkerungsdichte", f"{_num(profil.dichte, 1)} Einwohner je km²"),
        ("Dichte im Landkreis (berechnet)", f"{_num(profil.kreis_dichte, 1)} Einwohner je km²"),
    ]
    if profil.bahnhof is not None:
        b = profil.bahnhof
        facts.append(("Nächster Bahnhof", f"{b.name} ({_num(b.distanz_m / 1000, 1)} km Luftlinie "
                                          f"vom Bevölkerungsschwerpunkt)"))
    facts.append(("Bahnhöfe in der Gemeinde", ", ".join(profil.bahnhoefe_in_gemeinde) or "keiner"))
    return facts + [(label, value) for label, value in facts_rows(profil.haltestellen)]


def _sections(profil: Profil) -> list[_Section]:
    rank_header = ["Indikator", "Einheit", "Gemeinde", "Kreis", "Rang"]
    reach = profil.erreichbarkeit
    sections = [_Section("Erreichbarkeit (Deutschlandatlas)", rank_header, [_rank_rows(reach)], RANK_WIDTHS,
                         frozenset({2, 3}))]
    short = {h.label: (h.kurz or h.label) for h in load_handlungsfelder()}
    rows = [[short.get(r[0], r[0]), r[1], str(r[2]), str(r[3])] for r in profil.angebote.itertuples(index=False)]
    rows.append(["Summe", "alle Angebote", str(profil.angebote_gesamt[0]), str(profil.angebote_gesamt[1])])
    radius = _num(profil.radius_m / 1000)
    half = (len(rows) + 1) // 2  # two tables side by side, as in print
    approx = (f", {profil.angebote_ungefaehr} in der Gemeinde nur an der Gemeindemitte"
              if profil.angebote_ungefaehr else "")
    sections.append(_Section(
        f"Angebote in der Gemeinde (Gem.) und im Umkreis von {radius} km", ["Feld", "Art des Angebots", "Gem.",
                                                                           f"{radius} km"],
        [part for part in (rows[:half], rows[half:]) if part], (24, 52, 12, 12), frozenset({2, 3}),
        "Angebote aus dem Angebotsregister (öffentliche Quellen, unvollständig); ihre Lage ist nur ungefähr "
        f"bekannt (Ortslage{approx}). Umkreis: höchstens {radius} km Luftlinie von der Gemeindegrenze, "
        "die Gemeinde eingeschlossen."))
    if profil.eigene_schaetzung is not None and len(profil.eigene_schaetzung):
        own = [[r["Standard"], f"{_num(r['Mittel'], 1)} {r['Einheit']}", f"{_num(r['Anteil jenseits (%)'], 0)} %"]
               for _, r in profil.eigene_schaetzung.iterrows()]
        sections.append(_Section("Eigene Schätzung: Luftlinie (Annahmen, keine Messwerte)",
                                 ["Standard", "Mittel", "Einwohner jenseits"], [own], (62, 19, 19), frozenset({1, 2}),
                                 profil.eigene_hinweis))
    others = profil.raenge[~profil.raenge["id"].isin(reach["id"])]
    count = len(profil.raenge) and int(profil.raenge["von"].max())
    sections.append(_Section(f"Weitere Indikatoren: Rang unter den {count} Gemeinden", rank_header,
                             [_rank_rows(others)], RANK_WIDTHS, frozenset({2, 3}), keep=False))
    return sections


def profile_pdf(profil: Profil, map_png: bytes | None = None, *, stand: str | None = None) -> bytes:
    """The profile as a tagged PDF (A4 portrait, bytes built in memory)."""
    title = f"Sozialraumprofil {profil.name}"
    created = dt.date.today().strftime("%d.%m.%Y")
    html = render_html(
        "profile.html", lang=pdf_language("de"), title=title,
        subject=f"Sozialraumprofil der Gemeinde {profil.name} ({profil.kreis_name})",
        byline=(f"{profil.kreis_name} · Gemeindeschlüssel {profil.ags} · erstellt mit dem Standortatlas"
                + (f" · Datenstand {stand}" if stand else "")),
        facts=_facts(profil),
        ages=[(g.label + " (Schätzung)", _num(g.einwohner), f"{_num(g.anteil, 1)} %") for g in profil.altersgruppen],
        ages_note=profil.altersgruppen_hinweis,
        map_src=("data:image/png;base64," + base64.b64encode(map_png).decode("ascii")) if map_png else "",
        map_alt=profile_map_alt(profil),
        map_caption=(f"Karte: {profil.name} (schwarz umrandet), {_num(profil.radius_m / 1000)} km Umkreis "
                     "(gestrichelt), Angebote nach Handlungsfeld (Lage ungefähr), Bahnhöfe."),
        sections=_sections(profil),
        notes=["Rang 1 = günstigster Wert, wenn die Richtung bekannt ist (z. B. kürzeste Fahrzeit); bei neutralen "
               "Indikatoren Rang 1 = höchster Wert. Gleiche Werte teilen sich den Rang. * Einheit nicht geprüft. "
               "Kreiswert \"berechnet\": bevölkerungsgewichtetes Mittel der Gemeinden (bei Dichte: Einwohner je km² "
               "aller Gemeinden).", "Quellen: " + " · ".join(profil.quellen)],
        footer_left=f"{title} · Standortatlas · {created}", page_before="Seite ", page_after="")
    return render_pdf(html)
