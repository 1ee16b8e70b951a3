"""Karte: Gemeinden nach Indikator, Angebote nach Handlungsfeld, Bahnhöfe – die Übersichtskarte."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas import schema
from atlas.placement import precision_summary
from atlas.choropleth import METHOD_LABELS, format_number
from atlas.indicator_choice import indicator_option_label, map_indicators
from atlas.indicators import load_handlungsfelder
from atlas.leaflet import page_legend
from atlas.map_key import map_key
from atlas.mapview import MapOptions, build_map, switchable_layers, switchable_layers_group
from pages._common import attribution_footer, get_base, get_data, get_layers, map_text_alternative
from pages._maps import cached_groups, preview_aside, show_map

data = get_data()
layers = get_layers(data)
base = get_base(data)
gem = data.gemeinden
offers = data.angebote

title = f"Karte {data.kreis_name}"
st.title(title)

indicators = map_indicators(gem.columns)
by_id = {ind.id: ind for ind in indicators}
default_id = st.query_params.get("indikator", "einwohner")
if default_id not in by_id:
    default_id = indicators[0].id

with st.sidebar:
    st.header("Gemeinden einfärben")
    chosen_id = st.selectbox("Indikator", list(by_id), index=list(by_id).index(default_id),
                             format_func=lambda i: indicator_option_label(by_id[i]), key="indikator")
    method = st.selectbox("Klasseneinteilung", [m for m in METHOD_LABELS if m != "manuell"],
                          format_func=METHOD_LABELS.get, key="methode")
    k = st.slider("Anzahl Klassen", 3, 7, 5, key="klassen")
    st.header("Angebote")
    all_fields = [h.label for h in load_handlungsfelder()]
    fields = st.multiselect("Handlungsfelder", all_fields, default=all_fields, key="handlungsfelder",
                            placeholder="Handlungsfelder wählen …")
    categories_all = sorted(offers["kategorie"].unique())
    categories = st.multiselect("Art des Angebots (leer = alle)", categories_all, key="kategorien",
                                placeholder="alle Arten")
    switchable = switchable_layers(layers, base)  # sent to the browser only when switched on
    if switchable:
        st.header("Weitere Ebenen")
    switched_on = tuple(layer for layer in switchable
                        if st.checkbox(layer.titel, key=f"ebene_{layer.id}", help=layer.beschreibung))
    online = st.toggle("Online-Hintergrundkarte anbieten", value=False, key="online",
                       help="Blendet eine OpenStreetMap-Karte als zuschaltbare Ebene ein. "
                            "Braucht Internet; ohne Internet bleibt die Karte wie sie ist.")
st.query_params["indikator"] = chosen_id
indicator = by_id[chosen_id]

options = MapOptions(indicator=indicator, method=method, k=k,
                     handlungsfelder=frozenset(fields),
                     categories=frozenset(categories) if categories else None, online_tiles=online,
                     legend_in_map=False, deferred_layers=frozenset(layer.id for layer in switchable))
extra = None
if switched_on:  # added to the standing map: no reload, the view is kept
    extra_counts, extra = cached_groups("karte-ebenen", map_key(data.version, switched_on, options),
                                        lambda: switchable_layers_group(base, switched_on, options))

map_col, legend_col = st.columns([4, 1])  # the legend beside the map never covers the county
with map_col:
    # built and rendered once per data build, layer files and choice (pages/_maps.py)
    result, _ = show_map("karte", map_key(data.version, layers, options), lambda: build_map(base, layers, options),
                         height=640, width="stretch", returned_objects=[], key="karte", groups=extra, preview=title)
legend_col.html(preview_aside(page_legend(result.legend), 4 / 5))
if result.classification is not None:  # the map in words (the full table is in the expander below)
    map_text_alternative(gem["name"].tolist(), gem[indicator.id].tolist(),
                         indicator.einheit if indicator.einheit_geprueft else "", what=indicator.label, table=False)

shown = result.counts.get("angebote", 0)
st.markdown(
    f"**{shown} von {len(offers)} Angeboten** auf der Karte. Lage: {precision_summary(offers['lage_genauigkeit'])} "
    "(typische Fehler je Stufe unter Daten & Quellen)."
)
if extra is not None:
    st.caption("Zugeschaltet: " + "; ".join(f"{layer.titel} ({format_number(extra_counts.counts[layer.id])})"
                                            for layer in switched_on))
unplaced = data[schema.UNPLACED_OFFERS_LAYER]
if len(unplaced):
    # Tables are drawn only in an opened expander (opening reruns): the first view needs no table code.
    box = st.expander(f"{len(unplaced)} Angebot(e) ohne Kartenlage", key="karte_ohne_lage", on_change="rerun")
    if box.open:
        box.dataframe(unplaced[["id", "name", "kategorie", "telefon", "grund"]], hide_index=True, width="stretch")

if result.classification is not None:
    st.caption(f"Klasseneinteilung: {METHOD_LABELS[method]}, {result.classification.k} Klassen. "
               f"{indicator.beschreibung}")
    table = pd.DataFrame({
        "Gemeinde": gem["name"],
        indicator.label: [format_number(v if pd.notna(v) else None) for v in gem[indicator.id]],
        "_wert": gem[indicator.id],
        "Einwohner (Zensus 2022)": gem["einwohner"],
    }).sort_values("_wert", ascending=False, na_position="last").drop(columns="_wert")
    box = st.expander(f"Werte je Gemeinde: {indicator.label}", key="karte_werte", on_change="rerun")
    if box.open:
        box.dataframe(table, hide_index=True, width="stretch")
if chosen_id in ("anteil_u15", "anteil_65plus") or chosen_id.startswith("einw_"):
    st.info("Altersgruppen sind geschätzt: Anteile aus dem 1-km-Raster, auf die Zensus-Einwohnerzahl hochgerechnet.")

attribution_footer(result.attributions)
