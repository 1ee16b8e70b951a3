"""Angebote in meiner Nähe: nearest prevention offers for a place – for families, on phones.

The URL is the state (share links): widgets start from ``st.query_params`` and write back to it.
What to show is decided in :mod:`atlas.offer_search.viewmodel`; this page reads widgets and draws.
Privacy: the searched place is neither logged nor stored; the PDF is built in memory.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import streamlit as st

from atlas.errors import AtlasError
from atlas.offer_search import viewmodel as vm
from atlas.offer_search._helpers import MAX_QUERY_CHARS
from atlas.offer_search.cards import CARD_CSS, card_box, card_html, details_html, unplaced_html
from atlas.offer_search.i18n import LANGUAGE_LABELS, LANGUAGES
from atlas.offer_search.share import ANZAHL_OPTIONS, SearchState, state_from_query
from atlas.offer_search.targets import unmapped_kategorien
from atlas.sources import attributions
from atlas.accessibility.calibration import travel_parameters
from pages._common import attribution_footer, family_texts, get_base, get_data
from pages._report_form import render_report_form

data = get_data()


@st.cache_resource(show_spinner=False)
def _prepared(version: str, _data):
    return vm.prepare(_data)


try:
    gaz, index, external, labels, stops = _prepared(data.version, data)
except AtlasError as exc:
    st.error(str(exc))
    st.stop()

theme_ids = [th.id for th in index.themen]
group_ids = [g.id for g in index.zielgruppen]
group_labels = {g.id: g.label for g in index.zielgruppen}
qp = st.query_params
state = state_from_query(qp.to_dict(), theme_ids, group_ids)
first_run = "of_init" not in st.session_state
intent = None
if first_run and state.ort and not state.punkt:   # a shared link may name a need: "?ort=Kita Wasungen"
    state, intent = vm.apply_typed(state, state.ort, index.themen, gaz)
if first_run:   # widgets start from the URL once per session; afterwards their own state rules
    st.session_state.update(vm.widget_defaults(state, qp.get("ort", state.ort)))
if "of_pending_ort" in st.session_state:
    st.session_state["of_ort"] = st.session_state.pop("of_pending_ort")

st.html(CARD_CSS)
lang = st.segmented_control("Sprache / Language", list(LANGUAGES), format_func=LANGUAGE_LABELS.get,
                            key="of_lang", label_visibility="collapsed") or "de"
t = family_texts(lang)  # German, English or (switch) Leichte Sprache; sets <html lang>

st.title(t("titel"))
st.write(t("einleitung"))
st.caption(t("datenschutz"))


def _choose(key: str) -> None:
    st.query_params["wahl"] = key
    st.query_params.pop("punkt", None)
    st.session_state["of_scroll"] = True


def _buttons(choices, prefix: str) -> None:
    for i, option in enumerate(choices):
        st.button(option.label, key=f"{prefix}_{i}", on_click=_choose, args=(option.key,), width="stretch")


# ------------------------------------------------------------------------------------ where am I
st.subheader(t("wo_titel"))
with st.form("of_wo", border=False, enter_to_submit=True):
    typed = st.text_input(t("wo_label"), placeholder=t("wo_platzhalter"), max_chars=MAX_QUERY_CHARS, key="of_ort")
    submitted = st.form_submit_button(t("suchen"), type="primary", width="stretch")
st.caption(t("karte_tippen"))
if submitted:
    state, intent = vm.apply_typed(state, typed, index.themen, gaz)
    if intent.themen:
        st.session_state["of_themen"] = list(state.themen)

pv = vm.resolve_place(state, gaz, t, intent, index.themen)
for note in pv.notes:
    getattr(st, note.kind)(note.text)
_buttons(pv.choices, "of_wahl")
if pv.alternatives:
    with st.expander(pv.alternatives_title):
        _buttons(pv.alternatives, "of_alt")
summary_slot = st.empty()

# ------------------------------------------------------------------------------ what do I need
st.subheader(t("was_titel"))
themen_sel = st.pills(t("themen"), theme_ids, selection_mode="multi", key="of_themen",
                      format_func=lambda i: t.label(next(th.label for th in index.themen if th.id == i)))
more_active = bool(state.gruppen or state.stufenfrei or state.heute or not state.mit_allgemeinen)
with st.expander(t("weitere_filter"), expanded=more_active):
    gruppen_sel = st.pills(t("zielgruppen"), group_ids, selection_mode="multi", key="of_gruppen",
                           format_func=lambda i: t.label(group_labels[i]))
    mit_alle = st.toggle(t("mit_allgemeinen"), key="of_alle")
    nur_stufenfrei = st.toggle(t("stufenfrei"), key="of_stufenfrei")
    nur_heute = st.toggle(t("heute_offen"), key="of_heute")
    anzahl = st.segmented_control(t("anzahl"), list(ANZAHL_OPTIONS), key="of_anzahl") or 10

state = vm.state_from_widgets(state, themen_sel, gruppen_sel, theme_ids, group_ids, mit_alle=mit_alle,
                              stufenfrei=nur_stufenfrei, heute=nur_heute, anzahl=anzahl, lang=lang)
wanted = state.to_query()
if wanted != qp.to_dict():
    qp.from_dict(wanted)

# ------------------------------------------------------------------------------------- results
sources = attributions(list(vm.ATTRIBUTION_SOURCES))
place = pv.place
today = datetime.now(ZoneInfo("Europe/Berlin")).date()
rv = vm.results(index, place, state, t, today, external, travel_parameters(data.manifest), stops)
result = rv.result
if rv.summary:
    summary_slot.success(f"**{rv.summary}**")
for hinweis in rv.hinweise:
    st.info(hinweis)


if place is not None or rv.dead_end is not None:
    st.html(f'<div id="{vm.RESULTS_ANCHOR}" style="scroll-margin-top:4rem"></div>')
if place is not None:
    st.subheader(t("ergebnisse_titel", ort=vm.escape_markdown(pv.label)))
    for note in rv.notes:
        getattr(st, note.kind)(note.text)  # info / warning / caption / markdown
    list_col, map_col = st.columns([3, 2], gap="medium")
else:
    list_col, map_col = st.container(), st.container()

with list_col:
    if rv.dead_end is not None:
        st.warning(f"**{t('sackgasse_titel', thema=rv.dead_end.thema)}.** {t('sackgasse_text')}")
        for title, cards in vm.dead_end_sections(rv.dead_end, t):
            st.markdown(f"**{title}**")
            for card in cards:
                st.html(card_box(card))
    for hit in result.hits if result else ():  # each card one element: the list appears sooner on a phone
        halt = vm.card_stop(stops, hit, t, result.params)
        st.html(card_box(card_html(hit, index.themen, t, result.params, halt), details_html(hit.offer, t, hit), t("mehr")))
    if result is not None and result.ohne_lage:
        st.subheader(t("ohne_lage_titel"))
        for offer in result.ohne_lage:
            st.html(card_box(unplaced_html(offer, index.themen, t)))
    # After "Suchen", a map tap, a place choice or opening a shared link: bring the results into view.
    if (st.session_state.pop("of_scroll", False) or submitted or first_run) and (place or rv.dead_end):
        st.session_state["of_scroll_n"] = n = st.session_state.get("of_scroll_n", 0) + 1
        st.html(vm.scroll_script(n), unsafe_allow_javascript=True)

with map_col:   # map libraries are imported only now, after the list is drawn (faster first answer)
    from atlas.map_key import map_key
    from atlas.offer_search.resultmap import build_result_map
    from pages._maps import show_map
    hits = result.hits if result else ()  # the map is built and rendered once per search (pages/_maps.py)
    _, out = show_map("angebote", map_key(data.version, place, hits, t, sources, labels), lambda: build_result_map(
        get_base(data), place, hits, t, sources, labels), height=420, width="stretch", key="of_karte", returned_objects=["last_clicked"])
    st.markdown(vm.map_text(pv.label if place is not None else "", hits, t))
signature = vm.clicked_point(out)
if signature and signature != st.session_state.get("of_last_click"):
    st.session_state["of_last_click"] = signature
    if signature != state.punkt:
        st.session_state.update({"of_pending_ort": "", "of_scroll": True})
        qp.from_dict(SearchState(**{**state.__dict__, "ort": "", "wahl": "", "punkt": signature}).to_query())
        st.rerun()

if result is not None:
    st.caption(rv.method)
    st.info(t("register_hinweis"))
    if lang == "en":
        st.caption(t("hinweis_englisch"))
    st.subheader(t("teilen_titel"))  # ------------------------------------------ share and print
    st.write(t("teilen_text"))
    st.code(f"{(st.context.url or '').split('?')[0]}?{urlencode(state.to_query())}", language=None, wrap_lines=True)
    args = (state, pv.label, rv, index, t, sources, group_labels,
            datetime.now(ZoneInfo("Europe/Berlin")).strftime("%d.%m.%Y %H:%M"))
    col_pdf, col_html = st.columns(2)
    col_pdf.download_button(t("pdf"), data=partial(vm.export_file, "pdf", *args), file_name="angebote-in-meiner-naehe.pdf",
                            mime="application/pdf", width="stretch", key="of_pdf")
    col_html.download_button(t("druckliste"), data=partial(vm.export_file, "html", *args),
                             file_name="angebote-in-meiner-naehe.html", mime="text/html", width="stretch", key="of_html")

if unmapped := unmapped_kategorien({o["kategorie"] for o in index.offers}, index.themen):
    st.caption(t("unbekannte_kategorien", kat=", ".join(unmapped)))

# Public report form (issue 6): reports go to the moderation queue, never straight into the register.
with st.expander(t("melden_aufklappen")):
    render_report_form(key="meldung_familien", words=t)

attribution_footer(sources, t)
