"""Indikatoren: jede Kennzahl des Katalogs als Gemeindekarte, Vergleich zweier Indikatoren,
Gemeinde gegen Kreiswert und eine sortierbare Tabelle aller Gemeinden mit Rängen."""

from __future__ import annotations

import streamlit as st

from atlas import schema
from atlas.choropleth import METHOD_LABELS, format_number
from atlas.council.compare import (
    RANK_NOTE,
    compare_pair,
    gemeinde_vs_kreis,
    kreis_value,
    rank_correlation,
    ranking_table,
)
from atlas.council.errors import CouncilError
from atlas.council.indicator_maps import (
    MapChoice,
    classify_indicator,
    grouped_indicators,
    indicator_map,
    map_caption,
    parse_breaks,
)
from atlas.council.indicator_pdf import indicator_pdf_from_atlas
from atlas.council.linked_maps import linked_indicator_maps
from atlas.council.page_model import default_gemeinde
from atlas.leaflet import page_legend
from atlas.council.map_png import render_map_png
from atlas.display import german_frame
from atlas.indicator_choice import indicator_option_label
from atlas.map_key import map_key
from atlas.map_preview import PreviewParts
from atlas.preview_elements import lead_html
from pages._common import attribution_footer, get_base, get_data, get_layers, map_text_alternative
from pages._maps import preview_aside, show_map

data = get_data()
layers = get_layers(data)
base = get_base(data)
gem = data.gemeinden

TITLE = "Indikatoren je Gemeinde"
CAPTION = ("Alle Kennzahlen des Indikatorkatalogs mit Werten je Gemeinde (oder Gemeindeverband), "
           "geordnet nach den Handlungsfeldern der Armutspräventionsstrategie.")
TABS = ["Karte", "Zwei Indikatoren", "Gemeinde und Kreis", "Tabelle aller Gemeinden"]
st.title(TITLE)
st.caption(CAPTION)

groups = grouped_indicators(list(gem.columns))
by_id = {ind.id: ind for _, members in groups for ind in members}
fields = [label for label, _ in groups]
qp_id = st.query_params.get("indikator", "p_harzt")
if qp_id not in by_id:
    qp_id = next(iter(by_id))

c1, c2, c3, c4 = st.columns([2, 4, 3, 2])
field = c1.selectbox("Handlungsfeld", ["Alle Handlungsfelder", *fields],
                     index=0, key="ind_feld")
choices = [ind.id for label, members in groups for ind in members if field in ("Alle Handlungsfelder", label)]
chosen_id = c2.selectbox("Indikator", choices, index=choices.index(qp_id) if qp_id in choices else 0,
                         format_func=lambda i: indicator_option_label(by_id[i]), key="ind_indikator")
method = c3.selectbox("Klasseneinteilung", list(METHOD_LABELS), format_func=METHOD_LABELS.get, key="ind_methode")
indicator = by_id[chosen_id]
st.query_params["indikator"] = chosen_id
breaks: tuple[float, ...] = ()
k = 5
if method == "manuell":
    text = c4.text_input("Klassengrenzen", value="", placeholder="z. B. 2,5; 5; 10", key="ind_grenzen",
                         help="Grenzen durch Semikolon trennen; Dezimalkomma erlaubt. 1–6 Grenzen.")
    if not text.strip():
        st.info("Bitte Klassengrenzen eingeben, getrennt durch Semikolon (z. B. 2,5; 5; 10).")
        st.stop()
    try:
        breaks = tuple(parse_breaks(text))
    except CouncilError as exc:
        st.error(str(exc))
        st.stop()
else:
    k = c4.slider("Klassen", 3, 7, 5, key="ind_klassen")

choice = MapChoice(indicator=indicator, method=method, k=k, manual_breaks=breaks)
try:
    classification = classify_indicator(gem, indicator, method, k, breaks)
except CouncilError as exc:
    st.error(str(exc))
    st.stop()

# Only the open tab is drawn (a tab change reruns the page): the first view sends one map, no tables.
# Streamlit forgets the value of a widget that is not drawn; keep the choices made inside the tabs.
for tab_key in ("ind_zweiter", "ind_gemeinde"):
    if tab_key in st.session_state:
        st.session_state[tab_key] = st.session_state[tab_key]
tab_map, tab_pair, tab_kreis, tab_table = st.tabs(TABS, key="ind_tab", on_change="rerun")
pair = None

with tab_map:
    map_col, legend_col = st.columns([4, 1])  # the legend beside the map never covers the county
    with map_col:  # built and rendered once per data build and choice (pages/_maps.py)
        result, _ = show_map("indikatoren", map_key(data.version, layers, choice),
                             lambda: indicator_map(base, layers, choice, legend_in_map=False),
                             height=620, width="stretch", returned_objects=[], key="ind_karte", preview=TITLE,
                             preview_parts=lambda: PreviewParts(lead=lead_html(CAPTION, [  # the map where it is
                                 ("Handlungsfeld", field, 2), ("Indikator", indicator_option_label(indicator), 4),
                                 ("Klasseneinteilung", METHOD_LABELS[method], 3),
                                 ("Klassengrenzen", "; ".join(map(str, breaks)), 2) if breaks else
                                 ("Klassen", str(k), 2)], TABS)))
    legend_col.html(preview_aside(page_legend(result.legend), 4 / 5))
    st.caption(map_caption(choice, classification))
    map_text_alternative(gem["name"].tolist(), gem[indicator.id].tolist(),
                         indicator.einheit if indicator.einheit_geprueft else "", what=indicator.label)
    if indicator.beschreibung:
        st.caption(indicator.beschreibung)
    legend = " · ".join(f"{e.label} ({e.count})" for e in classification.legend)
    st.markdown(f"**Klassen:** {legend}")
    if st.button("Karte als Bild (PNG) erstellen", key="ind_png"):
        st.session_state["ind_png_bytes"] = (chosen_id, method, k, breaks, render_map_png(
            data, indicator=indicator, classification=classification, title=indicator.label))
    cached = st.session_state.get("ind_png_bytes")
    if cached and cached[:4] == (chosen_id, method, k, breaks):
        st.download_button("PNG herunterladen", cached[4], file_name=f"karte_{chosen_id}.png", mime="image/png",
                           key="ind_png_dl")
        st.download_button("Karte als PDF herunterladen (mit Tabelle, barrierefrei)", lambda: indicator_pdf_from_atlas(
            data, choice, classification, cached[4]), file_name=f"karte_{chosen_id}.pdf", mime="application/pdf",
            key="ind_pdf_dl")

with tab_pair:
    if tab_pair.open:
        others = [i for i in by_id if i != chosen_id]
        second_id = st.selectbox("Zweiter Indikator", others, format_func=lambda i: indicator_option_label(by_id[i]),
                                 key="ind_zweiter")
        second = by_id[second_id]
        second_choice = MapChoice(indicator=second, method=method if method != "manuell" else "quantile", k=k)
        left, right = st.columns(2)
        left.markdown(f"**Links: {indicator.label}**")
        right.markdown(f"**Rechts: {second.label}**")
        try:
            pair, _ = show_map("indikatoren-paar", map_key(data.version, layers, choice, second_choice),
                               lambda: linked_indicator_maps(base, layers, choice, second_choice),
                               height=520, width="stretch", returned_objects=[], key="ind_paar")
        except CouncilError as exc:
            pair = None
            st.error(str(exc))
        if pair is not None:
            st.caption("Die beiden Karten sind gekoppelt: Verschieben oder Zoomen der einen Karte verschiebt "
                       "oder zoomt die andere mit.")
            for column, side_choice, side in zip(st.columns(2), (choice, second_choice), (pair.left, pair.right),
                                                 strict=True):
                column.html(page_legend(side.legend))  # under its map, never on the county
                column.caption(map_caption(side_choice, side.classification))
        rho, n = rank_correlation(gem, indicator, second)
        if rho is None:
            st.markdown(f"Zu wenige Gemeinden mit beiden Werten für eine Rangkorrelation ({n}).")
        else:
            st.markdown(f"**Rangkorrelation (Spearman):** {format_number(rho, 2)} über {n} Gemeinden "
                        "(1 = gleiche Reihenfolge, −1 = umgekehrte, 0 = kein Zusammenhang).")
        st.dataframe(german_frame(compare_pair(gem, indicator, second)), hide_index=True, width="stretch")

with tab_kreis:
    if tab_kreis.open:
        names = dict(zip(gem["ags"].astype(str), gem["name"].astype(str), strict=True))
        order = sorted(names, key=lambda a: names[a])
        default_ags = st.query_params.get("gemeinde") or default_gemeinde(gem)
        ags = st.selectbox("Gemeinde", order, index=order.index(default_ags) if default_ags in order else 0,
                           format_func=names.get, key="ind_gemeinde")
        kw = kreis_value(gem, data[schema.KREIS_LAYER], indicator)
        row = gemeinde_vs_kreis(gem, data[schema.KREIS_LAYER], [indicator], ags).iloc[0]
        m1, m2, m3 = st.columns(3)
        unit = f" {indicator.einheit}" if indicator.einheit_geprueft else ""
        m1.metric(names[ags], f"{format_number(row['Gemeinde'])}{unit}")
        m2.metric(kw.art, f"{format_number(kw.wert)}{unit}")
        m3.metric("Rang", f"{row['Rang']} von {row['von']}" if row["Rang"] is not None else "–")
        st.caption(f"{kw.erlaeuterung}. {RANK_NOTE[indicator.richtung]}.")
        same_field = [ind for label, members in groups for ind in members if label == indicator.handlungsfeld]
        st.markdown(f"**Alle Indikatoren im Handlungsfeld {indicator.handlungsfeld}**")
        st.dataframe(german_frame(gemeinde_vs_kreis(gem, data[schema.KREIS_LAYER], same_field, ags).drop(columns=["id"])),
                     hide_index=True, width="stretch")

with tab_table:
    if tab_table.open:
        shown = [by_id[i] for i in choices]
        st.caption("Zum Sortieren auf eine Spaltenüberschrift klicken. " + " ".join(
            f"{label}." for label in sorted({RANK_NOTE[i.richtung] for i in shown})))
        st.dataframe(german_frame(ranking_table(gem, shown)), hide_index=True, width="stretch", height=560)

attribution_footer(list(dict.fromkeys([*result.attributions, *(pair.attributions if pair else [])])))
