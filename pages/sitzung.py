"""Sitzungsmodus: große Schrift, keine Seitenleiste, Karte über die ganze Breite; mit den Pfeiltasten
(oder Bild auf/ab einer Präsentationsfernbedienung) durch eine vorbereitete Folienfolge blättern.
Alles steht in der Adresse (sitzung=…, folien=…, nr=…) und lässt sich als Lesezeichen speichern."""

from __future__ import annotations

import html

import streamlit as st

from atlas.choropleth import METHOD_LABELS
from atlas.council.errors import CouncilError, SlidesError
from atlas.council.indicator_maps import MapChoice, map_caption, slide_attributions, slide_base, slide_layer
from atlas.council.slide_view import (
    EXPANDER_LABEL,
    KEYBOARD_JS,
    MAP_SHARE,
    NAV_WEIGHTS,
    NEXT_LABEL,
    PRESENTATION_CSS,
    PREV_LABEL,
    end_link_html,
    heading_html,
    preview_parts,
    slide_heading,
)
from atlas.council.slides import (
    Slide,
    SlideDeck,
    available_decks,
    check_deck,
    clamp_index,
    decode_slides,
    encode_slides,
    load_named_deck,
)
from atlas.indicator_choice import indicator_option_label, map_indicators
from atlas.leaflet import page_legend
from atlas.map_key import map_key
from pages._common import attribution_footer, get_base, get_data, get_layers, map_text_alternative
from pages._maps import cached_groups, preview_aside, show_map

data = get_data()
layers = get_layers(data)
base = get_base(data)
gem = data.gemeinden
indicators = {ind.id: ind for ind in map_indicators(gem.columns)}
names = dict(zip(gem["ags"].astype(str), gem["name"].astype(str), strict=True))

st.html(PRESENTATION_CSS)
params = st.query_params

deck: SlideDeck | None = None
try:
    if "folien" in params:
        deck = SlideDeck(titel=params.get("titel", "Sitzung"), folien=decode_slides(params["folien"]))
    elif "sitzung" in params:
        deck = load_named_deck(params["sitzung"])
    if deck is not None:
        deck = check_deck(deck, indicators, names)
except SlidesError as exc:
    st.error(str(exc))
    deck = None

if deck is None:
    st.html('<div class="atlas-slide-title">Sitzungsmodus</div>')
    st.markdown("Eine vorbereitete Folienfolge wählen oder unten selbst zusammenstellen. Im Vortrag blättern "
                "die Pfeiltasten → und ← (oder Bild ab/auf) durch die Folien.")
    for name in available_decks():
        try:
            titel = load_named_deck(name).titel
        except SlidesError as exc:
            st.warning(str(exc))
            continue
        if st.button(titel, icon=":material/slideshow:", key=f"sz_deck_{name}"):
            st.query_params.clear()
            st.query_params.update({"sitzung": name, "nr": "1"})
            st.rerun()

with st.expander(EXPANDER_LABEL, expanded=deck is None):
    current = list(deck.folien) if deck is not None else []
    f1, f2, f3, f4 = st.columns([4, 3, 2, 3])
    new_id = f1.selectbox("Indikator", list(indicators), format_func=lambda i: indicator_option_label(indicators[i]),
                          key="sz_indikator")
    new_method = f2.selectbox("Klasseneinteilung", [m for m in METHOD_LABELS if m != "manuell"],
                              format_func=METHOD_LABELS.get, key="sz_methode")
    new_k = f3.slider("Klassen", 3, 7, 5, key="sz_klassen")
    new_gem = f4.selectbox("Auf Gemeinde zoomen", ["", *sorted(names, key=names.get)],
                           format_func=lambda a: names.get(a, "ganzer Landkreis"), key="sz_gemeinde")
    if st.button("Folie anhängen", key="sz_add"):
        current.append(Slide(indikator=new_id, methode=new_method, klassen=new_k, gemeinde=new_gem or None))
        st.query_params.clear()
        st.query_params.update({"folien": encode_slides(current), "nr": str(len(current))})
        st.rerun()
    code = st.text_input("Folien in Adressform (je Folie Indikator, Methode, Klassen, Gemeinde, Grenzen, Titel durch "
                         "\\~ getrennt; Folien durch Komma)", value=encode_slides(current) if current else "",
                         key="sz_code")
    if st.button("Übernehmen", key="sz_apply") and code.strip():
        st.query_params.clear()
        st.query_params.update({"folien": code.strip(), "nr": "1"})
        st.rerun()
    if current:
        st.caption("Lesezeichen für diese Folge: Adresse der Seite mit ?folien=… speichern.")
        st.markdown(f"`/sitzung?folien={encode_slides(current)}&nr=1`")

if deck is None:
    st.stop()

count = len(deck)
nr = clamp_index(params.get("nr", "1"), count)
slide = deck.folien[nr - 1]
indicator = indicators[slide.indikator]
choice = MapChoice(indicator=indicator, method=slide.methode, k=slide.klassen, manual_breaks=slide.grenzen,
                   focus_ags=slide.gemeinde)


def _go(target: int) -> None:
    st.query_params["nr"] = str(target)


nav_prev, nav_title, nav_next, nav_end = st.columns(list(NAV_WEIGHTS), vertical_alignment="center")
nav_prev.button(PREV_LABEL, key="sz_prev", disabled=nr <= 1, on_click=_go, args=(nr - 1,), width="stretch")
nav_next.button(NEXT_LABEL, key="sz_next", disabled=nr >= count, on_click=_go, args=(nr + 1,), width="stretch")
nav_end.html(end_link_html())
heading = slide_heading(slide.titel or indicator.label, names[slide.gemeinde] if slide.gemeinde else None)
deck_title = deck.titel
nav_title.html(heading_html(heading, nr, count, deck_title))

try:
    layer, coloured = cached_groups("sitzung-folie", map_key(data.version, layers, choice),
                                    lambda: slide_layer(base, layers, choice))
except CouncilError as exc:
    st.error(f"Folie {nr}: {exc}")
    st.stop()
attributions = slide_attributions(layers, [indicators[s.indikator] for s in deck.folien])
map_col, legend_col = st.columns([MAP_SHARE, 1 - MAP_SHARE])
with map_col:  # one base map for the whole session; a slide change only exchanges the coloured Gemeinden
    show_map("sitzung", map_key(data.version, layers, attributions), lambda: slide_base(base, layers, attributions),
             groups=coloured, height=700, width="stretch", returned_objects=[], key="sz_karte", preview=heading,
             preview_parts=lambda: preview_parts(heading, nr, count, deck_title, params.to_dict()))
legend_col.html(preview_aside(page_legend(layer.legend), MAP_SHARE))
st.html(f'<div class="atlas-slide-source">{html.escape(map_caption(choice, layer.classification))}</div>')
map_text_alternative(gem["name"].tolist(), gem[indicator.id].tolist(),
                     indicator.einheit if indicator.einheit_geprueft else "", what=indicator.label)
st.html(KEYBOARD_JS, unsafe_allow_javascript=True)  # no frame: runs in the page itself
attribution_footer(attributions)
