"""The family page's answer to a link (``/angebote-finden?ort=98617``) as plain HTML in the first response.

A family opens a shared link, a QR code on a flyer, or a link a counsellor sent. Streamlit's page shows the
result cards only once its JavaScript has loaded (on a phone's mobile network 20 s and more, see
:mod:`atlas.page_preview`); the server knows the answer at once. So the index page for the family page's
address carries the same search, made by the same functions the page calls on its first run (the URL's state,
needs in the typed text, the place, :func:`atlas.offer_search.viewmodel.results`) and the same cards
(:mod:`atlas.offer_search.cards`): the heading, the short answer, the notes (not the place's hints that point
to the choice of another place, which the page draws below them), every result card with its "Mehr Angaben"
and the attribution. Streamlit's page replaces it once it shows as many cards.

Only a link that resolves to a place with results gets a preview; every other state (no place yet, several
places to choose from, a topic without any offer here) is left to the page itself. Offers of the place without
a position follow as on the page. Pure, no Streamlit; the
prepared data are kept once per data build (:func:`current_results_preview`).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

from atlas.accessibility.parameters import Verkehrsparameter
from atlas.navigation import page
from atlas.offer_search import viewmodel as vm
from atlas.offer_search.cards import CARD_CSS, card_box, card_html, details_html, unplaced_html
from atlas.offer_search.i18n import Texts
from atlas.offer_search.share import state_from_query
from atlas.page_preview import PREVIEW_ID, preview_frame

#: The page's address and what Streamlit's page must show before the preview goes (one per card).
URL_PATH = page("pages/angebote_finden.py").url_path
CARD = ".of-card"

_ESCAPED = re.compile(r"\\(.)")


def _note_text(markdown_safe: str) -> str:
    """A note of the view-model (Markdown-safe text) as escaped HTML: escapes and bold marks removed."""
    return html.escape(_ESCAPED.sub(r"\1", markdown_safe.replace("**", "")))


def results_preview(prepared: tuple, query: Mapping[str, object], today: date, params: Verkehrsparameter,
                    sources: Sequence[str], base_path: str = "") -> str:
    """The first view of the family page for *query* (the URL's parameters) as HTML in the preview's frame,
    or "" when the page would not show result cards. *prepared* is :func:`viewmodel.prepare`'s result."""
    gaz, index, external, _labels, stops = prepared
    state = state_from_query(query, [th.id for th in index.themen], [g.id for g in index.zielgruppen])
    intent = None
    if state.ort and not state.punkt:  # as the page's first run: a link may name a need ("Kita Wasungen")
        state, intent = vm.apply_typed(state, state.ort, index.themen, gaz)
    t = Texts(state.lang)
    pv = vm.resolve_place(state, gaz, t, intent, index.themen)
    if pv.place is None:
        return ""
    rv = vm.results(index, pv.place, state, t, today, external, params, stops)
    if rv.result is None or not rv.result.hits or rv.dead_end is not None:
        return ""
    notes = "".join(f'<p class="{"av-small" if note.kind == "caption" else "of-note"}">{_note_text(note.text)}</p>'
                    for note in (*(n for n in pv.notes if n.kind != "info"), *rv.notes))
    topic_notes = "".join(f'<p class="of-note">{_note_text(text)}</p>' for text in rv.hinweise)
    cards = "".join(card_box(card_html(hit, index.themen, t, rv.result.params,
                                       vm.card_stop(stops, hit, t, rv.result.params)),
                             details_html(hit.offer, t, hit), t("mehr")) for hit in rv.result.hits)
    unplaced = rv.result.ohne_lage  # offers of the place without a position, listed after the others
    if unplaced:
        cards += f"<h2>{html.escape(t('ohne_lage_titel'))}</h2>" + "".join(
            card_box(unplaced_html(offer, index.themen, t)) for offer in unplaced)
    main = (f"<h1>{html.escape(t('titel'))}</h1>"
            f'<p class="of-summary"><strong>{html.escape(rv.summary)}</strong></p>{topic_notes}'
            f'<h2 id="av-ergebnisse">{html.escape(t("ergebnisse_titel", ort=pv.label))}</h2>{notes}'
            f'<div class="of-liste">{cards}</div>'
            f'<p class="av-small">{html.escape(t("quellen"))}: {html.escape(" · ".join(sources))}</p>')
    css = CARD_CSS.replace("<style>", "").replace("</style>", "") + (
        f"#{PREVIEW_ID} .of-summary{{background:rgba(33,195,84,.1);color:#177233;padding:1rem;border-radius:.5rem}}"
        # the list's column beside the map, as the page's 3:2 columns (stacked below 640 px, as Streamlit's)
        f"@media (min-width:640px){{#{PREVIEW_ID} .of-liste{{max-width:58.3%}}}}")
    return preview_frame(main, base_path=base_path, wait_for=CARD, count=len(rv.result.hits) + len(unplaced), css=css,
                         lang=t.lang,
                         jump_to="#av-ergebnisse")  # at the results, as the page opens a link


@functools.lru_cache(maxsize=1)
def _prepared(version: str) -> tuple[tuple, Verkehrsparameter, tuple[str, ...]]:
    from atlas.accessibility.calibration import travel_parameters
    from atlas.atlasdata import load_atlas
    from atlas.sources import attributions

    data = load_atlas()
    return vm.prepare(data), travel_parameters(data.manifest), tuple(attributions(list(vm.ATTRIBUTION_SOURCES)))


def prepare_current() -> tuple[tuple, Verkehrsparameter, tuple[str, ...]] | None:
    """The current build's data prepared for :func:`results_preview` (once per build in this process, about
    30 MB); None without a build or when it cannot be read – broken data: the page says so, the preview is
    simply not shown. ``scripts/serve.py`` calls it at the start, beside the warm-up, so that the first family
    link after a (re)start is not the one that waits for it."""
    from atlas.atlasdata import data_version

    try:
        version = data_version()
        return _prepared(version) if version else None
    except Exception:  # noqa: BLE001 – a preview is an extra, never a reason for an error
        return None


def current_results_preview(query_string: str, base_path: str = "") -> str:
    """:func:`results_preview` for a request's *query_string* on the current build (:func:`prepare_current`);
    "" without a build, for a query without results, or when anything fails – the index page is then served
    without a preview, never broken by it."""
    current = prepare_current()
    if current is None:
        return ""
    prepared, params, sources = current
    try:
        today = datetime.now(ZoneInfo("Europe/Berlin")).date()
        return results_preview(prepared, parse_qs(query_string), today, params, sources, base_path)
    except Exception:  # noqa: BLE001 – a preview is an extra; Streamlit's page shows the error itself
        return ""
