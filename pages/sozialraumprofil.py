"""Sozialraumprofil: eine Gemeinde auf einen Blick – Bevölkerung, geschätzte Altersgruppen, Dichte,
Erreichbarkeit, Angebote in und um die Gemeinde, nächster Bahnhof, Rang unter allen Gemeinden;
als PDF (A4) und Karte als PNG zum Herunterladen."""

from __future__ import annotations

import shapely
import streamlit as st

from atlas import schema
from atlas.choropleth import format_number
from atlas.council.indicator_maps import area_layers, outline_gemeinde
from atlas.council.map_png import render_map_png
from atlas.council.page_model import choose_gemeinde, data_date, default_gemeinde
from atlas.council.profile import DEFAULT_RADIUS_M, build_profile, straight_line_table
from atlas.council.profile_stops import stop_facts
from atlas.council.profile_view import (FACTS_CSS, MAP_HINT, ages_table, facts_html, key_figures, station_lines,
                                        subtitle)
from atlas.council.profile_pdf import profile_pdf
from atlas.display import german_frame, html_table
from atlas.map_preview import PreviewParts
from atlas.preview_elements import fields_html
from atlas.mapview import MapOptions, build_map
from atlas.sources import load_sources
from atlas.ui_style import TABLE_CSS
from atlas.map_key import map_key
from pages._common import attribution_footer, get_base, get_data, get_layers
from pages._maps import preview_beside, show_map

data = get_data()
layers = get_layers(data)
base = get_base(data)
gem = data.gemeinden
names = dict(zip(gem["ags"].astype(str), gem["name"].astype(str), strict=True))
order = sorted(names, key=names.get)


@st.cache_resource(show_spinner="Eigene Erreichbarkeitsschätzung wird berechnet …")
def _estimates(version: str):
    return straight_line_table(data)


@st.cache_resource(show_spinner=False)
def _stops(version: str):
    return stop_facts(data)[0]


@st.cache_resource(show_spinner=False, max_entries=64)
def _profile(version: str, ags: str):
    return build_profile(data, ags, estimates=_estimates(version), stops=_stops(version))


@st.cache_data(show_spinner=False, max_entries=64)
def _png(version: str, ags: str) -> bytes:
    return render_map_png(data, focus_ags=ags, show_offers=True, show_stations=True, radius_m=DEFAULT_RADIUS_M,
                          title=f"Sozialraumprofil {names[ags]}")


@st.cache_data(show_spinner=False, max_entries=64)
def _pdf(version: str, ags: str) -> bytes:
    profil = _profile(version, ags)
    return profile_pdf(profil, _png(version, ags), stand=data_date(s.stand for s in load_sources().values()))


def _map(ags: str):
    m = build_map(base, area_layers(layers), MapOptions(indicator=None, legend_in_map=False)).map
    outline_gemeinde(m, base, ags, fit=False)
    return m


# The selected Gemeinde lives in the URL (?gemeinde=AGS); map clicks and the list both change it.
pending = st.session_state.pop("_profil_pending", None)
if pending:
    st.session_state["profil_auswahl"] = pending
ags_param, unknown = choose_gemeinde(st.query_params.get("gemeinde"), names, default_gemeinde(gem))
if unknown:
    st.warning(unknown)
if "profil_auswahl" not in st.session_state:
    st.session_state["profil_auswahl"] = ags_param


def _chosen() -> None:
    st.query_params["gemeinde"] = st.session_state["profil_auswahl"]


TITLE = "Sozialraumprofil"
st.title(TITLE)
left, right = st.columns([2, 3])
with left:
    ags = st.selectbox("Gemeinde", order, format_func=names.get, key="profil_auswahl", on_change=_chosen,
                       help="Oder auf der Karte eine Gemeinde anklicken.")
    st.query_params["gemeinde"] = ags
    _, clicked = show_map("profil", map_key(data.version, area_layers(layers), ags), lambda: _map(ags), height=420,
                          width="stretch", returned_objects=["last_object_clicked"], key="profil_karte",
                          preview=TITLE, preview_parts=lambda: PreviewParts(
                              above=fields_html([("Gemeinde", names[ags], 1)]),
                              below=f'<p class="av-small">{MAP_HINT}</p>', css=FACTS_CSS + TABLE_CSS))
    st.caption(MAP_HINT)
click = (clicked or {}).get("last_object_clicked") if isinstance(clicked, dict) else None
if click and click.get("lat") is not None and click != st.session_state.get("_profil_last_click"):
    st.session_state["_profil_last_click"] = click
    point = shapely.Point(float(click["lng"]), float(click["lat"]))
    frame = base.frames[schema.GEMEINDEN_LAYER]
    hit = frame[frame.geometry.contains(point)]
    if len(hit) and str(hit.iloc[0]["ags"]) != ags:
        new = str(hit.iloc[0]["ags"])
        st.session_state["_profil_pending"] = new
        st.query_params["gemeinde"] = new
        st.rerun()

profil = _profile(data.version, ags)
with right:
    st.header(profil.name)
    st.caption(subtitle(profil))
    for column, (label, value, hint) in zip(st.columns(3), key_figures(profil), strict=True):
        column.metric(label, value, help=hint or None)
    st.html(ages_table(profil))  # a plain table: read aloud in full, one element to draw
    st.caption(profil.altersgruppen_hinweis)
    for label, value in station_lines(profil):
        st.markdown(f"**{label}:** {value}")
    if profil.haltestellen is not None:
        st.caption(profil.haltestellen.hinweis)
    preview_beside(lambda: facts_html(profil), 2 / 5)  # in the preview too (a warm-up visit records it)
    d1, d2 = st.columns(2)
    d1.download_button("Profil als PDF", lambda: _pdf(data.version, ags), file_name=f"sozialraumprofil_{ags}.pdf",
                       mime="application/pdf", key="profil_pdf", icon=":material/picture_as_pdf:")
    d2.download_button("Karte als PNG", lambda: _png(data.version, ags), file_name=f"karte_{ags}.png", mime="image/png",
                       key="profil_png", icon=":material/image:")

radius = format_number(profil.radius_m / 1000)
# Only the open tab is drawn (opening one reruns): the first view of the page needs no table code.
tab_reach, tab_offers, tab_rank, tab_img = st.tabs(["Erreichbarkeit", "Angebote", "Rang unter den Gemeinden",
                                                    "Kartenbild"], key="profil_tab", on_change="rerun")
if tab_reach.open:
    with tab_reach:
        st.markdown("**Deutschlandatlas** (Pkw-Fahrzeiten bzw. Erreichbarkeit; Rang 1 = kürzeste)")
        st.html(html_table(profil.erreichbarkeit.drop(columns=["id", "Rangregel"]), full_height=True))
        if profil.eigene_schaetzung is not None:
            st.markdown("**Eigene Schätzung (Luftlinie mit Umwegfaktor)**")
            st.html(html_table(profil.eigene_schaetzung.drop(columns=["standard"]), full_height=True))
        st.caption(profil.eigene_hinweis)
if tab_offers.open:
    with tab_offers:
        st.markdown(f"**{profil.angebote_gesamt[0]} Angebote in der Gemeinde, {profil.angebote_gesamt[1]} in "
                    f"höchstens {radius} km Entfernung** (Luftlinie von der Gemeindegrenze, Gemeinde eingeschlossen).")
        st.html(html_table(profil.angebote.rename(columns={"im Umkreis": f"bis {radius} km"}), full_height=True))
        st.caption("Angebote haben im Register keine Koordinaten: sie stehen an der Ortslage ihres Ortsteils"
                   + (f"; {profil.angebote_ungefaehr} in dieser Gemeinde nur an der Gemeindemitte."
                      if profil.angebote_ungefaehr else "."))
if tab_rank.open:  # a long table to sort: the sortable data table
    tab_rank.dataframe(german_frame(profil.raenge.drop(columns=["id"])), hide_index=True, width="stretch", height=520)
    tab_rank.caption("Rang 1 = günstigster Wert, wenn die Richtung bekannt ist; sonst höchster Wert. Gleiche Werte "
                     "teilen sich den Rang. Kreiswert \"berechnet\" = bevölkerungsgewichtetes Mittel der Gemeinden.")
if tab_img.open:  # drawn on request: the image takes seconds and most visits do not need it
    if tab_img.toggle("Kartenbild zeigen", key="profil_bild"):
        tab_img.image(_png(data.version, ags), caption="Kartenbild für Druck und Präsentation (wird auf dem "
                      "Server erzeugt, Quellenangabe im Bild).")

attribution_footer(profil.quellen)
