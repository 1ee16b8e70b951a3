"""Result cards (HTML) for the page and the printable list. Every register or user text is escaped;
links only for checked ``tel:``, ``mailto:`` and ``http(s)`` values (:func:`atlas.mapview.field_html`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from atlas.accessibility.parameters import DEFAULTS, MODES, Verkehrsparameter
from atlas.safe_text import contact_html as field_html
from atlas.offer_search.i18n import Texts
from atlas.placement import precision_text
from atlas.offer_search.opening_hours import GESCHLOSSEN, OFFEN, format_intervals
from atlas.offer_search.search import Hit, Offer
from atlas.offer_search.targets import SONSTIGES_LABEL, Thema
from atlas.safe_text import text_html

#: Styles for cards: large tap targets, wrapping text (no horizontal scroll at 390 px), print rules.
CARD_CSS = """
<style>
.of-card{font-size:1rem;line-height:1.45;overflow-wrap:anywhere;word-break:break-word}
.of-card .of-head{display:flex;gap:.5rem;align-items:baseline}
.of-card .of-rank{flex:0 0 auto;display:inline-block;min-width:1.8rem;height:1.8rem;line-height:1.8rem;
  text-align:center;border-radius:50%;background:#1f5f8b;color:#fff;font-weight:700}
.of-card .of-name{font-size:1.08rem;font-weight:700}
.of-card .of-meta{color:#444;font-size:.92rem;margin:.1rem 0 .3rem}
.of-card .of-dist{font-weight:600;margin:.2rem 0}
.of-card .of-approx{background:#fff4d6;border-left:4px solid #c98a00;padding:.25rem .5rem;margin:.3rem 0;
  font-size:.92rem}
.of-card .of-row{margin:.15rem 0}
.of-card a.of-tel{display:inline-block;padding:.55rem .9rem;margin:.25rem 0;border:1px solid #1f5f8b;
  border-radius:.5rem;text-decoration:none;min-height:44px;box-sizing:border-box}
.of-card .of-open{color:#1b6e2d;font-weight:600}.of-card .of-closed{color:#8a1c1c;font-weight:600}
.of-card .of-unknown{color:#555}
.of-details{overflow-wrap:anywhere;word-break:break-word;font-size:.95rem}
.of-details dt{font-weight:600;margin-top:.35rem}.of-details dd{margin:0 0 .1rem 0}
.of-details a{display:inline-block;padding:.3rem 0;min-height:32px}
.of-box{border:1px solid rgba(49,51,63,.2);border-radius:.5rem;padding:1rem;margin:0}
.of-more summary{min-height:44px;display:flex;align-items:center;gap:.4rem;cursor:pointer;font-weight:600;
  color:#1f5f8b;margin-top:.3rem;list-style:none}
.of-more summary::-webkit-details-marker{display:none}
.of-more summary::before{content:"";width:.5rem;height:.5rem;border-right:2px solid currentColor;
  border-bottom:2px solid currentColor;transform:rotate(-45deg);transition:transform .15s}
.of-more[open] summary::before{transform:rotate(45deg)}
.of-box .of-details{padding-left:0;margin:.2rem 0 0}
.of-extern{border-left:4px solid #7a5c00;padding-left:.5rem}
.of-source{font-size:.88rem;color:#444}
/* Tap targets of at least 44 px on the page: topic/filter pills, segmented controls, menu links. */
[data-testid="stButtonGroup"] button{min-height:44px}
[data-testid="stSidebarNavLink"],[data-testid="stPageLink"] a{min-height:44px;display:flex;align-items:center}
@media print{
  header,[data-testid="stSidebar"],[data-testid="stToolbar"],[data-testid="stDecoration"],
  [data-testid="stForm"],[data-testid="stElementContainer"]:has(iframe),.stButton,.stDownloadButton{display:none!important}
  .of-card,.of-box{break-inside:avoid}
}
</style>
"""


def thema_label(thema_id: str, themen: Sequence[Thema], t: Texts) -> str:
    for thema in themen:
        if thema.id == thema_id:
            return t.label(thema.label)
    return t.label(SONSTIGES_LABEL)


#: Walking times above this many minutes are shown as "zu Fuß zu weit" (an hour on foot is what a parent
#: with children might still walk to an office; hours of walking are noise). Stated in the method text.
WALK_LIMIT_MIN = 60


def distance_text(hit: Hit, t: Texts, params: Verkehrsparameter = DEFAULTS) -> str:
    """``"ca. 3,5 km Weg · zu Fuß ca. 47 Min. · Fahrrad ca. 14 Min. · Auto ca. 4 Min."`` (plain text).

    Under 1 km (often: offer and searched place share one Ortslage) the times are upper bounds for 1 km;
    walking above :data:`WALK_LIMIT_MIN` minutes says "zu Fuß zu weit".
    """
    if hit.weg_m < 1000:
        one_km = 1000.0 / params.umwegfaktor  # straight line of a 1 km way
        times = [f"{t('mode_' + m)} {t.under_minutes(float(params.zeit_luftlinie_min(m, one_km)))}" for m in MODES]
    else:
        times = [t("zu_fuss_zu_weit") if m == "walk" and hit.minuten[m] > WALK_LIMIT_MIN
                 else f"{t('mode_' + m)} {t.minutes(hit.minuten[m])}" for m in MODES]
    return " · ".join([f"{t.km(hit.weg_m)} {t('weg')}", *times])


def today_text(hit: Hit, t: Texts) -> tuple[str, str]:
    """(css class, text) for today's opening status."""
    status = hit.heute
    if status.art == OFFEN:
        return "of-open", t("heute_offen_zeiten", zeiten=format_intervals(status.zeiten))
    if status.art == GESCHLOSSEN:
        return "of-closed", t("heute_geschlossen")
    if status.grund == "feiertag":
        return "of-unknown", t("zeiten_feiertag")
    if status.grund == "nach_vereinbarung":
        return "of-unknown", t("zeiten_vereinbarung")
    return "of-unknown", t("zeiten_unbekannt")


def approx_text(offer: Offer, t: Texts) -> str:
    """How precisely the offer is placed – every card says it: the one precision text of
    :func:`atlas.placement.precision_text` with the level's measured typical error ('' without a level)."""
    if not offer["lage_genauigkeit"]:
        return ""
    return precision_text(offer.record, lang=t.lang)


def address_text(offer: Offer) -> str:
    street = offer["strasse"]
    town = " ".join(p for p in (offer["plz"], offer["ort"]) if p)
    if offer["ortsteil"] and offer["ortsteil"] != offer["ort"]:
        town = f"{town} (OT {offer['ortsteil']})" if town else offer["ortsteil"]
    return ", ".join(p for p in (street, town) if p)


def card_html(hit: Hit, themen: Sequence[Thema], t: Texts, params: Verkehrsparameter = DEFAULTS,
              haltestelle: str = "") -> str:
    """The always-visible part of a result card; *haltestelle*: the nearest stop as plain text
    (:func:`atlas.offer_search.stops.stop_text`), shown below the distance."""
    o = hit.offer
    e = text_html
    rows = [
        f'<div class="of-head"><span class="of-rank">{hit.rang}</span>'
        f'<span class="of-name" role="heading" aria-level="4">{e(o["name"])}</span></div>',
        f'<div class="of-meta">{e(thema_label(o.thema, themen, t))} · {e(o["kategorie"])}</div>',
        f'<div class="of-dist">{e(distance_text(hit, t, params))}</div>',
    ]
    if haltestelle:
        rows.append(f'<div class="of-row of-stop">{e(t("haltestelle"))}: {e(haltestelle)}</div>')
    note = approx_text(o, t)
    if note:
        rows.append(f'<div class="of-approx">{e(note)}</div>')
    address = address_text(o)
    if address:
        rows.append(f'<div class="of-row">{e(t("adresse"))}: {e(address)}</div>')
    phone = field_html(o["telefon"], "telefon")
    if phone:
        phone = phone.replace("<a ", '<a class="of-tel" ', 1)
        rows.append(f'<div class="of-row">{e(t("telefon"))}: {phone}</div>')
    css, today = today_text(hit, t)
    rows.append(f'<div class="of-row">{e(t("heute"))}: <span class="{css}">{e(today)}</span></div>')
    return f'<div class="of-card">{"".join(rows)}</div>'


def card_box(card: str, details: str = "", more_label: str = "") -> str:
    """One result as a single HTML block for ``st.html`` (one element for the browser to draw, instead of a
    bordered container, a Markdown element, an expander and another Markdown element): the *card*, and – if
    given – its *details* in a native ``<details>`` whose summary (*more_label*, escaped) is a 44 px tap target.
    *card* and *details* are this module's HTML, whose texts are escaped already."""
    more = (f'<details class="of-more"><summary>{text_html(more_label)}</summary>{details}</details>'
            if details else "")
    return f'<div class="of-box">{card}{more}</div>'


def _dl(items: Sequence[tuple[str, str]]) -> str:
    return "".join(f"<dt>{text_html(label)}</dt><dd>{value}</dd>" for label, value in items if value)


def details_items(offer: Offer, t: Texts, hit: Hit | None = None) -> list[tuple[str, str]]:
    """(label, escaped HTML) rows of the details: contact, hours, group, access, station, source."""
    e = text_html
    items = [
        (t("email"), field_html(offer["email"], "email")),
        (t("webseite"), field_html(offer["website"], "link")),
        (t("oeffnungszeiten"), e(offer["oeffnungszeiten"]) or e(t("zeiten_unbekannt"))),
        (t("zielgruppe"), e(offer["zielgruppe"])),
        (t("traeger"), e(offer["traeger"])),
    ]
    if offer.stufenfrei == "ja":
        items.append((t("zugang"), e(t("zugang_ja", beleg=offer.stufenfrei_beleg))))
    elif offer.stufenfrei == "nein":
        items.append((t("zugang"), e(t("zugang_nein", beleg=offer.stufenfrei_beleg))))
    else:
        items.append((t("zugang"), e(t("zugang_unbekannt"))))
    if offer.bahnhof is not None:
        b = offer.bahnhof
        items.append((t("bahnhof"), e(t("bahnhof_text", name=b.name, dist=t.km(b.distanz_m) if b.distanz_m >= 1000
                                           else t("unter_km"), stufenfrei=t.yes_no(b.stufenfrei)))))
    if hit is not None:
        items.append((t("luftlinie", wert="").strip().capitalize(), e(t.km(hit.luftlinie_m))))
    if offer["grund"]:
        items.append(("", e(offer["grund"])))
    items.append((t("stand"), e(offer["quelle_stand"] or t("stand_unbekannt"))))
    items.append((t("quelle"), field_html(offer["quelle_url"], "link")))
    return items


def details_html(offer: Offer, t: Texts, hit: Hit | None = None) -> str:
    """The details of a card (shown in an expander)."""
    return f'<dl class="of-details">{_dl(details_items(offer, t, hit))}</dl>'


def unplaced_html(offer: Offer, themen: Sequence[Thema], t: Texts) -> str:
    """A card for an offer without a location (e.g. the women's shelter: contact only)."""
    e = text_html
    rows = [f'<div class="of-head"><span class="of-name" role="heading" aria-level="4">{e(offer["name"])}</span></div>',
            f'<div class="of-meta">{e(thema_label(offer.thema, themen, t))} · {e(offer["kategorie"])}</div>']
    phone = field_html(offer["telefon"], "telefon")
    if phone:
        rows.append(f'<div class="of-row">{e(t("telefon"))}: {phone.replace("<a ", "<a class=of-tel ", 1)}</div>')
    rows.append(f'<dl class="of-details">{_dl([i for i in details_items(offer, t) if i[0] != t("zugang")])}</dl>')
    return f'<div class="of-card">{"".join(rows)}</div>'


def print_html(title: str, place_label: str, filter_text: str, method: str, hits: Sequence[Hit],
               unplaced: Sequence[Offer], themen: Sequence[Thema], t: Texts, created: str,
               attributions: Sequence[str], privacy: str) -> str:
    """A standalone, printer-friendly HTML list of the results (no scripts, no external files)."""
    e = text_html
    cards = []
    for hit in hits:
        cards.append(f'<section class="of-print">{card_html(hit, themen, t)}{details_html(hit.offer, t, hit)}</section>')
    for offer in unplaced:
        cards.append(f'<section class="of-print"><h3>{e(t("ohne_lage_titel"))}</h3>'
                     f'{unplaced_html(offer, themen, t)}</section>')
    css = CARD_CSS.replace("<style>", "").replace("</style>", "")
    return (
        f'<!DOCTYPE html><html lang="{e(t.lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{e(title)}</title>'
        f"<style>{css} body{{font-family:system-ui,sans-serif;max-width:48rem;margin:1rem auto;padding:0 1rem;"
        f"color:#111}} .of-print{{border-top:1px solid #999;padding:.6rem 0;break-inside:avoid}} "
        f"@page{{size:A4;margin:15mm}}</style></head><body>"
        f"<h1>{e(title)}</h1><p><strong>{e(place_label)}</strong><br>{e(filter_text)}<br>{e(created)}</p>"
        f"<p>{e(method)}</p>{''.join(cards)}"
        f"<p><small>{e(privacy)}</small></p><p><small>{' · '.join(e(a) for a in attributions)}</small></p>"
        f"</body></html>"
    )


def filter_summary(themen_ids: Sequence[str], gruppen_ids: Sequence[str], themen: Sequence[Thema],
                   gruppen_labels: Mapping[str, Mapping[str, str]], extra: Sequence[str], t: Texts) -> str:
    """One line describing the filters, for the printout."""
    topics = ", ".join(thema_label(i, themen, t) for i in themen_ids) or t("alle_themen")
    groups = ", ".join(t.label(gruppen_labels[i]) for i in gruppen_ids if i in gruppen_labels) or t("alle_gruppen")
    return f"{t('filter_text')}: " + "; ".join([topics, groups, *extra])
