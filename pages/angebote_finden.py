"""Angebote in meiner Nähe: nearest prevention offers for a place – for families, on phones.

The URL is the state (share links): widgets start from ``st.query_params`` and write back to it.
Privacy: the searched place is neither logged nor stored; the PDF is built in memory.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import streamlit as st
from streamlit_folium import st_folium

from atlas.errors import AtlasError
from atlas.offer_search import AUSWAHL, GEFUNDEN, LEER, LANGUAGE_LABELS, LANGUAGES, UNBEKANNT, Filter, Texts
from atlas.offer_search import gazetteer_from_atlas, index_from_atlas, search
from atlas.offer_search._helpers import MAX_QUERY_CHARS, clean_query, escape_markdown
from atlas.offer_search.cards import CARD_CSS, card_html, details_html, filter_summary, print_html, unplaced_html
from atlas.offer_search.printout import build_pdf
from atlas.offer_search.resultmap import build_result_map
from atlas.offer_search.stops import index_from_atlas as stop_index_from_atlas
from atlas.offer_search.stops import stop_text
from atlas.offer_search.share import ANZAHL_OPTIONS, SearchState, state_from_query
from atlas.offer_search.targets import unmapped_kategorien
from atlas.sources import attributions
from atlas.accessibility.calibration import travel_time_note, travel_parameters
from pages._common import attribution_footer, get_base, get_data, set_page_language
from pages._report_form import render_report_form

data = get_data()
base = get_base(data)


@st.cache_resource(show_spinner=False)
def _prepared(version: str, _data):  # noqa: ANN001, ANN202 - cached per build
    return gazetteer_from_atlas(_data), index_from_atlas(_data)


@st.cache_resource(show_spinner=False)
def _stops(version: str, _data):  # noqa: ANN001, ANN202 - nearest stops, cached per build
    return stop_index_from_atlas(_data)


try:
    gaz, index = _prepared(data.version, data)
    stops = _stops(data.version, data)
except AtlasError as exc:
    st.error(str(exc))
    st.stop()

theme_ids = [th.id for th in index.themen]
group_ids = [g.id for g in index.zielgruppen]
group_labels = {g.id: g.label for g in index.zielgruppen}
qp = st.query_params
state = state_from_query(qp.to_dict(), theme_ids, group_ids)

# Widgets start from the URL once per session; afterwards their own state rules.
_INIT = {"of_lang": state.lang, "of_ort": state.ort, "of_themen": list(state.themen),
         "of_gruppen": list(state.gruppen), "of_alle": state.mit_allgemeinen, "of_stufenfrei": state.stufenfrei,
         "of_heute": state.heute, "of_anzahl": state.anzahl}
if "of_init" not in st.session_state:
    st.session_state["of_init"] = True
    st.session_state.update(_INIT)
if "of_pending_ort" in st.session_state:
    st.session_state["of_ort"] = st.session_state.pop("of_pending_ort")

st.markdown(CARD_CSS, unsafe_allow_html=True)
lang = st.segmented_control("Sprache / Language", list(LANGUAGES), format_func=LANGUAGE_LABELS.get,
                            key="of_lang", label_visibility="collapsed") or "de"
t = Texts(lang)
set_page_language(lang)

st.title(t("titel"))
st.write(t("einleitung"))
st.caption(t("datenschutz"))


def _choose(key: str) -> None:
    st.query_params["wahl"] = key
    st.query_params.pop("punkt", None)


# ------------------------------------------------------------------------------------ where am I
st.subheader(t("wo_titel"))
with st.form("of_wo", border=False, enter_to_submit=True):
    typed = st.text_input(t("wo_label"), placeholder=t("wo_platzhalter"), max_chars=MAX_QUERY_CHARS, key="of_ort")
    submitted = st.form_submit_button(t("suchen"), type="primary", width="stretch")
st.caption(t("karte_tippen"))
if submitted:
    text, _ = clean_query(typed)
    state = SearchState(**{**state.__dict__, "ort": text, "wahl": "", "punkt": ""})

place = None
if state.punkt:
    lat, lon = (float(v) for v in state.punkt.split(","))
    place = gaz.point(lat, lon, name=t("punkt_karte"), precision=3)
elif state.ort:
    lookup = gaz.lookup(state.ort)
    shown_q = escape_markdown(lookup.query)
    if lookup.gekuerzt or "gekuerzt" in state.hinweise:
        st.info(t("gekuerzt"))
    if lookup.adresse_ohne_quelle:
        st.info(t("adresse_ohne_quelle"))
    chosen = gaz.by_key(state.wahl) if state.wahl else None
    if chosen is not None:
        place = chosen
    elif lookup.status == GEFUNDEN:
        place = lookup.place
        if lookup.korrigiert:
            st.info(t("korrigiert", ort=escape_markdown(place.label)))
    elif lookup.status == AUSWAHL:
        st.warning(t("auswahl", q=shown_q))
        for i, option in enumerate(lookup.places):
            st.button(option.label, key=f"of_wahl_{i}", on_click=_choose, args=(option.key,), width="stretch")
    elif lookup.status == UNBEKANNT:
        st.warning(t("unbekannt", q=shown_q))
        if lookup.places:
            st.write(t("meinten_sie"))
            for i, option in enumerate(lookup.places):
                st.button(option.label, key=f"of_vorschlag_{i}", on_click=_choose, args=(option.key,),
                          width="stretch")
        else:
            st.caption(t("keine_vorschlaege"))
    elif lookup.status == LEER:
        st.info(t("leer"))
elif submitted:
    st.info(t("leer"))

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

state = SearchState(ort=state.ort if not state.punkt else "", wahl=state.wahl, punkt=state.punkt,
                    themen=tuple(i for i in theme_ids if i in (themen_sel or [])),
                    gruppen=tuple(i for i in group_ids if i in (gruppen_sel or [])), mit_allgemeinen=mit_alle,
                    stufenfrei=nur_stufenfrei, heute=nur_heute, anzahl=int(anzahl), lang=lang)
wanted = state.to_query()
if wanted != qp.to_dict():
    qp.from_dict(wanted)

for thema in index.themen:
    if thema.id in state.themen and thema.hinweis:
        st.info(t.label(thema.hinweis))

# ------------------------------------------------------------------------------------- results
sources = attributions(["gemeinden", "orte", "bahnhoefe", "angebote"])
result = None
if place is not None:
    place_label = place.label if place.art != "punkt" else f"{place.name} ({t('bei', ort=place.quelle)})"
    filt = Filter(themen=frozenset(state.themen), zielgruppen=frozenset(state.gruppen),
                  mit_allgemeinen=state.mit_allgemeinen, nur_stufenfrei=state.stufenfrei,
                  nur_heute_offen=state.heute)
    today = datetime.now(ZoneInfo("Europe/Berlin")).date()
    result = search(index, place.x, place.y, filt, day=today, limit=state.anzahl,
                    params=travel_parameters(data.manifest))
    st.subheader(t("ergebnisse_titel", ort=escape_markdown(place_label)))
    if not place.in_kreis:
        st.warning(t("ausserhalb"))
    p = result.params
    method = t("methode", umweg=t.number(p.umwegfaktor), walk=t.number(p.speed("walk")),
               bike=t.number(p.speed("bike"), 0), car=t.number(p.speed("car"), 0)) + " " + travel_time_note(p, lang=lang)
    if result.hits:
        st.write(t("ergebnisse_anzahl", n=len(result.hits), gesamt=result.passend))
    else:
        st.warning(t("keine_treffer"))
    if result.ausgeblendet_stufenfrei_unbekannt:
        st.caption(t("ausgeblendet_stufenfrei", n=result.ausgeblendet_stufenfrei_unbekannt))
    if result.ausgeblendet_zeiten_unbekannt:
        st.caption(t("ausgeblendet_zeiten", n=result.ausgeblendet_zeiten_unbekannt))
    st.caption(method)
    if stops is not None and (near := stops.nearest(place.x, place.y, p)) is not None:
        st.caption(t("haltestelle_ort", text=stop_text(near, t, ort_des_ziels=place.gemeinde or place.name)))

fmap = build_result_map(base, place, result.hits if result else (), t, sources)
out = st_folium(fmap, height=420, width="stretch", returned_objects=["last_clicked"], key="of_karte")
clicked = (out or {}).get("last_clicked") if isinstance(out, dict) else None
if clicked and isinstance(clicked, dict) and "lat" in clicked and "lng" in clicked:
    signature = f"{float(clicked['lat']):.3f},{float(clicked['lng']):.3f}"
    if signature != st.session_state.get("of_last_click"):
        st.session_state["of_last_click"] = signature
        if signature != state.punkt:
            st.session_state["of_pending_ort"] = ""
            new = SearchState(**{**state.__dict__, "ort": "", "wahl": "", "punkt": signature})
            qp.from_dict(new.to_query())
            st.rerun()

if result is not None:
    for hit in result.hits:
        with st.container(border=True):
            stop = stops.nearest(hit.offer.x, hit.offer.y, result.params) if stops else None
            halt = stop_text(stop, t, ort_des_ziels=hit.offer["ort"], ungefaehr=hit.offer.ungefaehr) if stop else ""
            st.markdown(card_html(hit, index.themen, t, result.params, halt), unsafe_allow_html=True)
            with st.expander(t("mehr")):
                st.markdown(details_html(hit.offer, t, hit), unsafe_allow_html=True)
    if result.ohne_lage:
        st.subheader(t("ohne_lage_titel"))
        for offer in result.ohne_lage:
            with st.container(border=True):
                st.markdown(unplaced_html(offer, index.themen, t), unsafe_allow_html=True)
    st.info(t("register_hinweis"))
    if lang == "en":
        st.caption(t("hinweis_englisch"))

    # -------------------------------------------------------------------------- share and print
    st.subheader(t("teilen_titel"))
    base_url = (st.context.url or "").split("?")[0]
    st.write(t("teilen_text"))
    st.code(f"{base_url}?{urlencode(state.to_query())}", language=None, wrap_lines=True)
    extra = [x for x, on in ((t("stufenfrei"), state.stufenfrei), (t("heute_offen"), state.heute)) if on]
    summary = filter_summary(state.themen, state.gruppen, index.themen, group_labels, extra, t)
    created = t("erstellt", datum=datetime.now(ZoneInfo("Europe/Berlin")).strftime("%d.%m.%Y %H:%M"))
    title = f"{t('titel')} – {place_label}"
    col_pdf, col_html = st.columns(2)
    col_pdf.download_button(
        t("pdf"), data=build_pdf(title, place_label, summary, method, result.hits, result.ohne_lage, index.themen,
                                 t, created, sources, t("datenschutz"), result.params),
        file_name="angebote-in-meiner-naehe.pdf", mime="application/pdf", width="stretch", key="of_pdf")
    col_html.download_button(
        t("druckliste"), data=print_html(title, place_label, summary, method, result.hits, result.ohne_lage,
                                         index.themen, t, created, sources, t("datenschutz")),
        file_name="angebote-in-meiner-naehe.html", mime="text/html", width="stretch", key="of_html")

unmapped = unmapped_kategorien({o["kategorie"] for o in index.offers}, index.themen)
if unmapped:
    st.caption(t("unbekannte_kategorien", kat=", ".join(unmapped)))

# Public report form (issue 6): reports go to the moderation queue, never straight into the register.
with st.expander("Angebot fehlt oder Angaben falsch? Hier melden"):
    render_report_form(key="meldung_familien")

attribution_footer(sources)
