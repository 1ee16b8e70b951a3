"""PDF download of a search: a tagged PDF (WeasyPrint, see :mod:`atlas.pdf_tags`) built in memory.

The template ``atlas/pdf_templates/family.html`` gives the structure a screen reader follows: the title as
``H1``, each offer as a heading (``H2``; offers without a location ``H3`` under their own ``H2``), its details
as a table of row headers and values, links for phone, e-mail and web. The PDF is built in memory
(``bytes``) and never written to disk. Fonts cover all of Unicode that the register uses (Liberation Sans,
DejaVu Sans), so no character is replaced.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from atlas.accessibility.parameters import DEFAULTS, Verkehrsparameter
from atlas.safe_text import contact_html as field_html
from atlas.offer_search.cards import address_text, approx_text, distance_text, thema_label, today_text
from atlas.offer_search.i18n import Texts
from atlas.offer_search.search import Hit, Offer
from atlas.offer_search.targets import Thema
from atlas.pdf_tags import pdf_language, render_html, render_pdf
from atlas.safe_text import plain_text


def _text(value: object) -> str:
    """Register text as one plain line (escaped later by the template)."""
    return plain_text(str(value or ""), single_line=True)


def _link(value: str, kind: str) -> Markup | str:
    """A checked tel/mail/web link (escaped HTML from :func:`atlas.safe_text.contact_html`), else ''."""
    rendered = field_html(value, kind)
    if not rendered:
        return ""
    return Markup(rendered.replace(' target="_blank" rel="noopener noreferrer"', "").replace(' class="of-tel"', ""))


def _block(offer: Offer, heading: str, hit: Hit | None, themen: Sequence[Thema], t: Texts) -> dict:
    pairs: list[tuple[str, object]] = [(t("adresse"), _text(address_text(offer))),
                                       (t("telefon"), _link(offer["telefon"], "telefon")),
                                       (t("email"), _link(offer["email"], "email")),
                                       (t("webseite"), _link(offer["website"], "link"))]
    if hit is not None:
        pairs.append((t("heute"), _text(today_text(hit, t)[1])))
    pairs += [(t("oeffnungszeiten"), _text(offer["oeffnungszeiten"] or t("zeiten_unbekannt"))),
              (t("zielgruppe"), _text(offer["zielgruppe"]))]
    if offer.bahnhof is not None:
        b = offer.bahnhof
        dist = t.km(b.distanz_m) if b.distanz_m >= 1000 else t("unter_km")
        pairs.append((t("bahnhof"), t("bahnhof_text", name=b.name, dist=dist, stufenfrei=t.yes_no(b.stufenfrei))))
    if offer["grund"]:
        pairs.append(("", _text(offer["grund"])))
    pairs += [(t("stand"), _text(offer["quelle_stand"] or t("stand_unbekannt"))),
              (t("quelle"), _link(offer["quelle_url"], "link"))]
    return {"heading": _text(heading), "level": "h2" if hit is not None else "h3", "section": "",
            "meta": _text(f"{thema_label(offer.thema, themen, t)} · {offer['kategorie']}"),
            "distance": distance_text(hit, t, DEFAULTS) if hit is not None else "",
            "approx": approx_text(offer, t), "pairs": [(label, value) for label, value in pairs if value]}


def build_pdf(title: str, place_label: str, filter_text: str, method: str, hits: Sequence[Hit],
              unplaced: Sequence[Offer], themen: Sequence[Thema], t: Texts, created: str,
              attributions: Sequence[str], privacy: str, params: Verkehrsparameter = DEFAULTS) -> bytes:
    """The result list as a tagged A4 PDF (bytes, in memory), in the language of *t*."""
    blocks = []
    for hit in hits:
        block = _block(hit.offer, f"{hit.rang}. {hit.offer['name']}", hit, themen, t)
        block["distance"] = distance_text(hit, t, params)
        blocks.append(block)
    for i, offer in enumerate(unplaced):
        block = _block(offer, offer["name"], None, themen, t)
        block["section"] = t("ohne_lage_titel") if i == 0 else ""
        blocks.append(block)
    before, _, after = t("seite", n="\x00").partition("\x00")
    html = render_html("family.html", lang=pdf_language(t.lang), title=_text(title), place=_text(place_label),
                       filter_text=_text(filter_text), created=_text(created), method=_text(method), blocks=blocks,
                       privacy=_text(privacy), attributions=" · ".join(_text(a) for a in attributions),
                       footer_left=_text(title), page_before=before, page_after=after)
    return render_pdf(html)
