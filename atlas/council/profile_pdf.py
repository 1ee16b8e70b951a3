"""The Sozialraumprofil as an A4 PDF (one or two pages) with selectable text.

Why reportlab: a mature, pure-Python PDF library (BSD) whose *platypus* layout engine flows
paragraphs and tables over pages; its built-in Helvetica covers German text (WinAnsi: umlauts, ß,
€, en dash), so no font files are needed and all text stays selectable and searchable. The map is
the PNG from :mod:`atlas.council.map_png`.
"""

from __future__ import annotations

import datetime as dt
import io
from html import escape

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from atlas.choropleth import format_number
from atlas.council.profile_stops import facts_rows
from atlas.council.profile import Profil
from atlas.indicators import load_handlungsfelder
from atlas.pdf_tags import build_accessible, pdf_language

PAGE_MARGIN = 1.4 * cm
_styles = getSampleStyleSheet()
H1 = ParagraphStyle("h1", parent=_styles["Heading1"], fontName="Helvetica-Bold", fontSize=16, spaceAfter=2,
                    spaceBefore=0, leading=19)
H2 = ParagraphStyle("h2", parent=_styles["Heading2"], fontName="Helvetica-Bold", fontSize=10.5, spaceBefore=6,
                    spaceAfter=2, leading=13)
BODY = ParagraphStyle("body", parent=_styles["BodyText"], fontName="Helvetica", fontSize=8, leading=10)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=6.5, leading=8, textColor=colors.HexColor("#333333"))
CELL = ParagraphStyle("cell", parent=BODY, fontSize=7, leading=8.4)


def _p(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(text), style)


def _num(value: object, decimals: int | None = None) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return format_number(float(value), decimals)  # type: ignore[arg-type]


def _table(header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    data = [[Paragraph(f"<b>{escape(h)}</b>", CELL) for h in header]]
    data += [[Paragraph(escape(str(c)), CELL) for c in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef3")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#1f5f8b")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f6f6")]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    return table


def _rank_rows(frame: pd.DataFrame) -> list[list[str]]:
    rows = []
    for rec in frame.itertuples(index=False):
        rank = f"{rec.Rang} von {rec.von}" if rec.Rang is not None and not pd.isna(rec.Rang) else "–"
        kreis = _num(rec.Kreis) + (" (berechnet)" if rec.Kreiswert.endswith("(berechnet)") else "")
        rows.append([rec.Indikator, rec.Einheit.replace(" (Einheit nicht geprüft)", "*"), _num(rec.Gemeinde),
                     kreis, rank])
    return rows


def profile_pdf(profil: Profil, map_png: bytes | None = None, *, stand: str | None = None) -> bytes:
    """The profile as PDF bytes (A4 portrait)."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=PAGE_MARGIN, rightMargin=PAGE_MARGIN,
                            topMargin=PAGE_MARGIN, bottomMargin=PAGE_MARGIN,
                            title=f"Sozialraumprofil {profil.name}", author="Standortatlas",
                            subject=f"Sozialraumprofil der Gemeinde {profil.name} ({profil.kreis_name})",
                            lang=pdf_language("de"))
    width = A4[0] - 2 * PAGE_MARGIN
    story: list = [
        _p(f"Sozialraumprofil {profil.name}", H1),
        _p(f"{profil.kreis_name} · Gemeindeschlüssel {profil.ags} · erstellt mit dem Standortatlas"
           + (f" · Datenstand {stand}" if stand else ""), SMALL),
        Spacer(1, 4),
    ]
    # Key figures and estimated age groups side by side.
    facts = [
        ["Einwohner (Zensus 2022)", _num(profil.einwohner)],
        ["Fläche", f"{_num(profil.flaeche_km2, 1)} km²"],
        ["Bevölkerungsdichte", f"{_num(profil.dichte, 1)} Einwohner je km²"],
        ["Dichte im Landkreis (berechnet)", f"{_num(profil.kreis_dichte, 1)} Einwohner je km²"],
    ]
    if profil.bahnhof is not None:
        b = profil.bahnhof
        facts.append(["Nächster Bahnhof", f"{b.name} ({_num(b.distanz_m / 1000, 1)} km Luftlinie "
                                          f"vom Bevölkerungsschwerpunkt)"])
    facts.append(["Bahnhöfe in der Gemeinde", ", ".join(profil.bahnhoefe_in_gemeinde) or "keiner"])
    facts += [[label, value] for label, value in facts_rows(profil.haltestellen)]
    ages = [[g.label + " (Schätzung)", _num(g.einwohner), f"{_num(g.anteil, 1)} %"] for g in profil.altersgruppen]
    left = _table(["Kennzahl", "Wert"], facts, [4.2 * cm, 5.6 * cm])
    right = _table(["Altersgruppe", "Einwohner", "Anteil"], ages, [3.9 * cm, 1.6 * cm, 1.5 * cm])
    story.append(Table([[left, [right, Spacer(1, 2), _p(profil.altersgruppen_hinweis, SMALL)]]],
                       colWidths=[10.0 * cm, width - 10.0 * cm],
                       style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    if map_png:
        story.append(Spacer(1, 4))
        img_w = width
        story.append(Image(io.BytesIO(map_png), width=img_w, height=10.5 * cm, kind="proportional"))
        story.append(_p(f"Karte: {profil.name} (schwarz umrandet), {_num(profil.radius_m / 1000)} km Umkreis "
                        f"(gestrichelt), Angebote nach Handlungsfeld (Lage ungefähr), Bahnhöfe.", SMALL))

    reach = profil.erreichbarkeit
    story.append(KeepTogether([
        _p("Erreichbarkeit (Deutschlandatlas)", H2),
        _table(["Indikator", "Einheit", "Gemeinde", "Kreis", "Rang"], _rank_rows(reach),
               [7.2 * cm, 2.6 * cm, 1.9 * cm, 2.9 * cm, 2.0 * cm]),
    ]))

    short = {h.label: (h.kurz or h.label) for h in load_handlungsfelder()}
    offers = profil.angebote
    rows = [[short.get(r[0], r[0]), r[1], str(r[2]), str(r[3])] for r in offers.itertuples(index=False)]
    rows.append(["Summe", "alle Angebote", str(profil.angebote_gesamt[0]), str(profil.angebote_gesamt[1])])
    radius = _num(profil.radius_m / 1000)
    header = ["Feld", "Art des Angebots", "Gem.", f"{radius} km"]
    widths = [2.1 * cm, 4.6 * cm, 1.0 * cm, 1.2 * cm]
    half = (len(rows) + 1) // 2
    columns = [[_table(header, rows[:half], widths), _table(header, rows[half:], widths) if rows[half:] else ""]]
    approx = (f", {profil.angebote_ungefaehr} in der Gemeinde nur an der Gemeindemitte"
              if profil.angebote_ungefaehr else "")
    story.append(KeepTogether([
        _p(f"Angebote in der Gemeinde (Gem.) und im Umkreis von {radius} km", H2),
        Table(columns, colWidths=[width / 2, width / 2],
              style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]),
        _p("Angebote aus dem Angebotsregister (öffentliche Quellen, unvollständig); ihre Lage ist nur ungefähr "
           f"bekannt (Ortslage{approx}). Umkreis: höchstens {radius} km Luftlinie von der Gemeindegrenze, "
           "die Gemeinde eingeschlossen.", SMALL),
    ]))
    if profil.eigene_schaetzung is not None and len(profil.eigene_schaetzung):
        own = profil.eigene_schaetzung
        rows = [[r["Standard"], f"{_num(r['Mittel'], 1)} {r['Einheit']}", f"{_num(r['Anteil jenseits (%)'], 0)} %"]
                for _, r in own.iterrows()]
        story.append(KeepTogether([
            _p("Eigene Schätzung: Luftlinie (Annahmen, keine Messwerte)", H2),
            _table(["Standard", "Mittel", "Einwohner jenseits"], rows, [10.2 * cm, 3.2 * cm, 3.2 * cm]),
            _p(profil.eigene_hinweis, SMALL),
        ]))
    others = profil.raenge[~profil.raenge["id"].isin(reach["id"])]
    story.append(KeepTogether([
        _p(f"Weitere Indikatoren: Rang unter den {len(profil.raenge) and int(profil.raenge['von'].max())} Gemeinden", H2),
        _table(["Indikator", "Einheit", "Gemeinde", "Kreis", "Rang"], _rank_rows(others),
               [7.2 * cm, 2.6 * cm, 1.9 * cm, 2.9 * cm, 2.0 * cm]),
    ]))
    story.append(Spacer(1, 3))
    story.append(_p("Rang 1 = günstigster Wert, wenn die Richtung bekannt ist (z. B. kürzeste Fahrzeit); bei "
                    "neutralen Indikatoren Rang 1 = höchster Wert. Gleiche Werte teilen sich den Rang. "
                    "* Einheit nicht geprüft. Kreiswert \"berechnet\": bevölkerungsgewichtetes Mittel der Gemeinden "
                    "(bei Dichte: Einwohner je km² aller Gemeinden).", SMALL))
    story.append(_p("Quellen: " + " · ".join(profil.quellen), SMALL))
    created = dt.date.today().strftime("%d.%m.%Y")

    def footer(canvas, doc_) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 6.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(PAGE_MARGIN, 0.8 * cm, f"Sozialraumprofil {profil.name} · Standortatlas · {created}")
        canvas.drawRightString(A4[0] - PAGE_MARGIN, 0.8 * cm, f"Seite {doc_.page}")
        canvas.restoreState()

    build_accessible(doc, story, footer)  # title shown, /Lang, footer after the body (reading order)
    return buffer.getvalue()
