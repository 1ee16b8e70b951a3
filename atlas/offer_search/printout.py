"""PDF download of a search (reportlab: well-kept, pure Python, real selectable text, no browser).

The PDF is built in memory (``bytes``) and never written to disk. The standard Helvetica font covers
German (Windows-1252); characters outside it are replaced by a close equivalent or "?" so that no text
silently vanishes.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from atlas.accessibility.parameters import DEFAULTS, Verkehrsparameter
from atlas.safe_text import contact_html as field_html
from atlas.offer_search.cards import address_text, approx_text, distance_text, thema_label, today_text
from atlas.offer_search.i18n import Texts
from atlas.offer_search.search import Hit, Offer
from atlas.offer_search.targets import Thema
from atlas.pdf_tags import build_accessible, pdf_language
from atlas.safe_text import plain_text

_REPLACE = {"\u2009": " ", "\u202f": " ", "\u00a0": " ", "≈": "ca.", "→": "->", "\u2011": "-", "\u2212": "-"}


def pdf_text(text: str) -> str:
    """*text* restricted to Windows-1252 (what the standard PDF fonts can show)."""
    out = []
    for ch in text:
        ch = _REPLACE.get(ch, ch)
        try:
            ch.encode("cp1252")
            out.append(ch)
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


def _p(text: str) -> str:
    """Plain text as reportlab paragraph markup (escaped)."""
    return html.escape(pdf_text(plain_text(text, single_line=True)), quote=False)


def _link(value: str, kind: str) -> str:
    """A reportlab link for a checked tel/mail/web value, else escaped text."""
    rendered = field_html(value, kind)
    if not rendered:
        return ""
    if "<a " not in rendered:
        return _p(value)
    # field_html produced <a href="...">label</a> (possibly several joined by <br>): keep href + label.
    return pdf_text(rendered.replace(' target="_blank" rel="noopener noreferrer"', "")
                    .replace(' class="of-tel"', "").replace("<br>", "<br/>"))


def _para(markup: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph; should the markup ever be rejected by reportlab, its text is shown plainly instead."""
    try:
        return Paragraph(markup, style)
    except ValueError:
        plain = re.sub(r"<[^>]+>", " ", markup)
        return Paragraph(html.escape(html.unescape(plain), quote=False), style)


def build_pdf(title: str, place_label: str, filter_text: str, method: str, hits: Sequence[Hit],
              unplaced: Sequence[Offer], themen: Sequence[Thema], t: Texts, created: str,
              attributions: Sequence[str], privacy: str, params: Verkehrsparameter = DEFAULTS) -> bytes:
    """The result list as an A4 PDF (bytes, in memory)."""
    styles = getSampleStyleSheet()
    body = ParagraphStyle("of-body", parent=styles["BodyText"], fontName="Helvetica", fontSize=9.5, leading=12.5)
    small = ParagraphStyle("of-small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#444444"))
    head = ParagraphStyle("of-head", parent=body, fontName="Helvetica-Bold", fontSize=11, leading=14,
                          spaceBefore=6)
    note = ParagraphStyle("of-note", parent=body, backColor=colors.HexColor("#fff4d6"), borderPadding=2)
    story: list = [Paragraph(_p(title), styles["Title"]),
                   Paragraph(f"<b>{_p(place_label)}</b>", body), Paragraph(_p(filter_text), body),
                   Paragraph(_p(created), small), Spacer(1, 4), Paragraph(_p(method), small), Spacer(1, 6)]

    def offer_block(offer: Offer, heading: str, hit: Hit | None) -> list:
        rows = [Paragraph(_p(heading), head),
                Paragraph(_p(f"{thema_label(offer.thema, themen, t)} · {offer['kategorie']}"), small)]
        if hit is not None:
            rows.append(Paragraph(f"<b>{_p(distance_text(hit, t, params))}</b>", body))
        approx = approx_text(offer, t)
        if approx:
            rows.append(Paragraph(_p(approx), note))
        address = address_text(offer)
        pairs = [(t("adresse"), _p(address)), (t("telefon"), _link(offer["telefon"], "telefon")),
                 (t("email"), _link(offer["email"], "email")), (t("webseite"), _link(offer["website"], "link"))]
        if hit is not None:
            pairs.append((t("heute"), _p(today_text(hit, t)[1])))
        pairs += [(t("oeffnungszeiten"), _p(offer["oeffnungszeiten"] or t("zeiten_unbekannt"))),
                  (t("zielgruppe"), _p(offer["zielgruppe"]))]
        if offer.bahnhof is not None:
            b = offer.bahnhof
            dist = t.km(b.distanz_m) if b.distanz_m >= 1000 else t("unter_km")
            pairs.append((t("bahnhof"), _p(t("bahnhof_text", name=b.name, dist=dist, stufenfrei=t.yes_no(b.stufenfrei)))))
        if offer["grund"]:
            pairs.append(("", _p(offer["grund"])))
        pairs += [(t("stand"), _p(offer["quelle_stand"] or t("stand_unbekannt"))),
                  (t("quelle"), _link(offer["quelle_url"], "link"))]
        for label, value in pairs:
            if value:
                rows.append(_para(f"<b>{_p(label)}:</b> {value}" if label else value, body))
        return [KeepTogether(rows)]

    for hit in hits:
        story += offer_block(hit.offer, f"{hit.rang}. {hit.offer['name']}", hit)
    if unplaced:
        story.append(Paragraph(_p(t("ohne_lage_titel")), styles["Heading2"]))
        for offer in unplaced:
            story += offer_block(offer, offer["name"], None)
    story += [Spacer(1, 8), Paragraph(_p(privacy), small), Paragraph(_p(" · ".join(attributions)), small)]

    def footer(canvas, doc) -> None:  # noqa: ANN001 - reportlab callback
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.drawString(15 * mm, 10 * mm, pdf_text(f"{title} – {t('seite', n=doc.page)}"))
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=18 * mm, title=pdf_text(title), author="Standortatlas",
                            lang=pdf_language(t.lang))
    build_accessible(doc, story, footer)  # title shown, /Lang, footer after the body (reading order)
    return buffer.getvalue()
