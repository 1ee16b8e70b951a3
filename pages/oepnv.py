"""Bus und Bahn: wer keine Haltestelle in Gehweite hat – und Fahrzeiten nach Fahrplan, wenn einer vorliegt.

Only widgets and drawing; the computation is in :mod:`atlas.transit.view` and :mod:`atlas.accessibility.stop_catchment`.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from atlas.accessibility import county as cty
from atlas.accessibility.gapmap import GapMapInput, build_gap_map, class_counts, legend_html
from atlas.accessibility.stop_catchment import catchment, load_catchment
from atlas.display import german_frame
from atlas.errors import AtlasError
from atlas.transit import WOCHENTAGE
from atlas.transit import view as tv
from atlas.transit.routing import Abfahrtsfenster, Fahrplan
from atlas.leaflet import page_legend
from atlas.map_key import map_key
from pages._common import attribution_footer, get_base, get_data, map_text_alternative
from pages._map_preview import Above
from pages._maps import preview_aside, show_map
from pages._transit_controls import feed_state

STATE_NEW = "oepnv_neue_haltestellen"
STATE_CLICK = "oepnv_letzter_klick"


@st.cache_resource(show_spinner=False)
def _inputs(version: str, _data):
    return cty.county_origins(_data), cty.county_cells(_data), tv.stops_of(_data)


@st.cache_resource(show_spinner=False)
def _basis(version: str, radii: tuple, _origins, _stops, _std):
    return catchment(_origins, _stops, _std)


@st.cache_resource(show_spinner=False)
def _sites(version: str, reach_m: float, _data, _std):
    return tv.stop_sites(tv.stops_frame(_data), _data, _std)


@st.cache_resource(show_spinner="Abfahrten je Haltestelle werden gezählt …")
def _frequent(version: str, path: str, _feed, _stops):
    return tv.frequent_stops(_stops, tv.stops_frame(data), _feed)


@st.cache_resource(show_spinner="Fahrplan des Tages wird aufbereitet …")
def _fahrplan(path: str, mtime: int, weekday: int, von: dt.time, bis: dt.time, _feed):
    return Fahrplan.for_weekday(_feed, weekday, Abfahrtsfenster(von, bis, 1))


data = get_data()
base = get_base(data)
origins, cells, stops = _inputs(data.version, data)
attributions = tv.catchment_attributions()

st.title(TITLE := "Bus und Bahn")
above = Above()  # what comes above the map, noted for its preview (the map is where Streamlit will show it)
above.caption("Wer wohnt ohne Haltestelle in Gehweite – und wie lange dauert der Weg mit Bus und Bahn?")
tab_stop, tab_pt = above.tabs(["Haltestelle in Gehweite", "Fahrzeiten nach Fahrplan"])

with tab_stop:
    if stops is None:
        st.warning("Die Haltestellen fehlen in den aufbereiteten Daten; bitte `atlas build` ausführen.")
    else:
        try:
            std = load_catchment()
        except AtlasError as exc:
            st.error(str(exc))
            st.stop()
        top, map_slot = st.container(), st.container()  # the answer first; the standard's controls under the map
        c1, c2 = st.columns(2)
        r_bus = c1.number_input("Radius um Bushaltestellen (m)", 100, 2000, int(std.radius_bus_m), 50, key="oepnv_r_bus")
        r_bahn = c2.number_input("Radius um Bahnhöfe (m)", 100, 3000, int(std.radius_bahn_m), 50, key="oepnv_r_bahn")
        if (r_bus, r_bahn) != (std.radius_bus_m, std.radius_bahn_m):
            std = load_catchment(override={"radius_bus_m": r_bus, "radius_bahn_m": r_bahn, "art": "eigene_vorgabe"})
            st.caption("Eigene Vorgabe – nicht der Wert der Quelle.")
        neu: list = st.session_state.setdefault(STATE_NEW, [])
        state, frequent, note = feed_state(), False, None
        if state.feed is not None and tv.feed_coverage(state.feed, origins) >= tv.COVERAGE_MIN:
            frequent = st.toggle("Nur Haltestellen mit mindestens 20 Abfahrten am Tag (laut Fahrplan)", value=True,
                                 key="oepnv_abfahrten")
        if frequent:
            stops, note = _frequent(data.version, str(state.pfad), state.feed, stops)
        basis = _basis(data.version, (r_bus, r_bahn, frequent), origins, stops, std)
        view = tv.catchment_view(data, origins, cells, stops, std, list(neu), basis, abfahrten_hinweis=note)
        with top:
            above.metrics(view.kennzahlen, delta_color="inverse")
            above.caption(f"{view.hinweise[0]} {tv.DETAILS_BELOW}")
            above.caption_button(tv.CLICK_HINT, "Neue Haltestellen entfernen", key="oepnv_reset", disabled=not neu,
                                 on_click=lambda: st.session_state[STATE_NEW].clear())
        sites = _sites(data.version, tv.stops_reach_m(std), data, std)
        inp = GapMapInput(
            cells=view.zellen, sites=sites, geschlossen=frozenset(), hypothetisch=list(neu), vorschlaege=None,
            titel=std.label, methode_hinweis="Zelle rot: mehr als die Hälfte der Fläche ohne Haltestelle in Gehweite "
            "(Schätzung, Luftlinie)", attributions=attributions, standort_label=tv.stops_label(std),
            standort_radius=tv.STOP_DOT_PX)
        map_col, legend_col = map_slot.columns([5, 1])  # the legend beside the map, never over the county
        with map_col:
            _, out = show_map("oepnv", map_key(data.version, inp), lambda: build_gap_map(base, inp), height=560,
                              width="stretch", returned_objects=["last_clicked"], key="oepnv_karte", preview=TITLE,
                              preview_parts=above.parts)
        legend_col.html(preview_aside(page_legend(legend_html(inp, class_counts(view.zellen))), 5 / 6))
        with map_slot:
            click = (out or {}).get("last_clicked") if isinstance(out, dict) else None
            if click and click != st.session_state.get(STATE_CLICK):
                st.session_state[STATE_CLICK] = click
                neu.append((float(click["lng"]), float(click["lat"])))
                st.rerun()
            map_text_alternative(view.tabelle["Gemeinde"].tolist(), view.tabelle[
                tv.GEMEINDE_SPALTEN["einwohner_ausserhalb"]].tolist(), "Einwohner",
                what="Ohne Haltestelle in Gehweite (geschätzt)", table=False)
        for hinweis in view.hinweise[1:]:
            st.caption(hinweis)
        st.markdown("**Gemeinden** nach der Zahl der Einwohner ohne Haltestelle in Gehweite")
        st.dataframe(german_frame(view.tabelle), hide_index=True, width="stretch")

with tab_pt:
    path = tv.gtfs_path()
    state = feed_state()
    if state.feed is None or path is None:
        st.info(state.meldung)
    else:
        feed = state.feed
        st.markdown(f"**{feed.beschriftung}**")
        for hinweis in feed.hinweise:
            st.caption(hinweis)
        c1, c2, c3 = st.columns(3)
        weekday = c1.selectbox("Wochentag", range(7), index=tv.WEEKDAY_DEFAULT, format_func=WOCHENTAGE.__getitem__,
                               key="oepnv_tag")
        von = c2.time_input("Abfahrt ab", dt.time(7, 0), step=900, key="oepnv_von")
        bis = c3.time_input("bis", dt.time(9, 0), step=900, key="oepnv_bis")
        options = cty.destination_options(data, [])
        ziel = st.selectbox("Ziel", options, key="oepnv_ziel")
        schwelle = st.number_input("Standard: Fahrzeit über (min)", 5, 240, 45, 5, key="oepnv_schwelle",
                                   help="Vorgabe 45 min: Regionalplan Südwestthüringen (Entwurf), Grundversorgung mit "
                                        "dem ÖPNV.")
        st.caption(tv.comparison_note(tv.feed_coverage(feed, origins)))
        try:
            fahrplan = _fahrplan(str(path), path.stat().st_mtime_ns, weekday, von, bis, feed)
            result = tv.compute_reachability(origins, cty.county_sites(data, ziel), fahrplan)
        except AtlasError as exc:
            st.warning(str(exc))
        else:
            st.info(result.methode_beschreibung)
            st.dataframe(german_frame(tv.pt_gemeinde_table(result, float(schwelle), data.gemeinden)),
                         hide_index=True, width="stretch")
            attributions.append(f"Fahrplan: {feed.name}")

attribution_footer(attributions)
