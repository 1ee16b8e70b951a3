"""Erreichbarkeit (Versorgungslücken, Szenarien). Only widgets; decisions and texts: atlas.accessibility.page_model."""

from __future__ import annotations

import streamlit as st

from atlas.accessibility import county as cty, gapmap as gm, page_model as pm, standards as stdm
from atlas.accessibility.parameters import MODE_LABEL
from atlas.display import german_frame
from atlas.errors import AtlasError
from atlas.leaflet import page_legend
from atlas.map_key import map_key
from pages._common import attribution_footer, gap_map_sentence, get_base, get_data, plain_or_sortable_table
from pages._map_preview import Above
from pages._maps import cached_groups, preview_aside, show_map
from pages._transit_controls import pt_controls, pt_modes

#: Session keys (not widget keys: they survive reruns and hold the scenario per destination).
STATE_HYP, STATE_CLICK = "erreichbarkeit_hypothetisch", "erreichbarkeit_letzter_klick"
STATE_VORGABEN, STATE_PREV = "erreichbarkeit_vorgaben", "erreichbarkeit_stand_vorher"


@st.cache_resource(show_spinner=False)
def _county(version: str, _data):
    return cty.county_origins(_data), cty.county_cells(_data)


@st.cache_resource(show_spinner="Straßennetz wird gelesen …")
def _network(path: str, mtime: int, mode: str, bbox: tuple[float, ...]):
    return cty.load_network(path, mode, list(bbox))


def _network_for(mode_: str):
    pbf = cty.osm_pbf_path()
    return None if pbf is None else _network(str(pbf), pbf.stat().st_mtime_ns, mode_, tuple(cty.county_bbox_wgs84(data)))


data = get_data()
base = get_base(data)
origins, cells = _county(data.version, data)

st.title(pm.TITLE)
above = Above()  # what comes above the map, noted for its preview (the map is where Streamlit will show it)
above.caption(pm.LEAD)
# the answer first – the figures and the map –, filled once the scenario's controls under the map are read
top, map_slot, under_map = st.container(), st.container(), st.container()
notices: list[tuple[str, str]] = []  # warnings above the figures
try:
    standards = stdm.load_standards()
    register_notes = stdm.load_register_notes()
except AtlasError as exc:
    st.error(str(exc))
    st.stop()

options = cty.destination_options(data, [s.kategorie for s in standards.values()])
default = pm.default_destination(options, standards, pm.placed_categories(data))
wanted, warning = pm.choose_destination(st.query_params.get("kategorie"), options, default)
if warning:
    notices.append(("warning", warning))
vorgaben: dict = st.session_state.setdefault(STATE_VORGABEN, {})
hyp_all: dict = st.session_state.setdefault(STATE_HYP, {})

with st.sidebar:
    st.header("Ziel und Standard")
    ziel = st.selectbox("Angebot oder Ziel", options, index=options.index(wanted), key="erreichbarkeit_ziel")
    st.query_params["kategorie"] = ziel
    stds = stdm.standards_for(ziel, standards)
    base_std = stds[0] if stds else None
    if len(stds) > 1:
        base_std = st.selectbox("Standard", stds, format_func=lambda s: s.label, key=f"std_{ziel}")
    start = pm.start_setting(vorgaben.get(ziel), base_std)
    mode = st.radio("Verkehrsmittel", modes := pt_modes(), index=modes.index(start[0]) if start[0] in modes else 0,
                    format_func=MODE_LABEL.get, horizontal=True, key=f"mode_{ziel}")
    fahrplan = pt_controls(mode)
    einheit = "min" if fahrplan else st.selectbox("Einheit des Standards", list(pm.EINHEITEN), index=list(pm.EINHEITEN).index(start[2]),
                           format_func=pm.EINHEITEN.get, key=f"einheit_{ziel}")
    schwelle = st.select_slider("Standard: jenseits ab / über", pm.threshold_options(einheit, start[1]),
                                value=pm.nearest_option(einheit, start[1]), key=f"schwelle_{ziel}",
                                format_func=lambda v: pm.threshold_label(v, einheit),
                                help="Ab diesem Wert gilt ein Wohnort als zu weit entfernt.")
    vorgaben[ziel] = (mode, float(schwelle), einheit)
    try:
        standard = stdm.adjusted_standard(base_std, ziel, mode=mode, schwelle=schwelle, einheit=einheit)
    except AtlasError as exc:
        st.error(str(exc))
        st.stop()
    st.caption(pm.standard_caption(base_std, standard))
    st.header("Vorschläge")
    if show_best := st.toggle("Beste neue Standorte vorschlagen", value=False, key="erreichbarkeit_vorschlaege"):
        k = st.number_input("Anzahl neuer Standorte", min_value=1, max_value=10, value=3, step=1, key="erreichbarkeit_k")
        gewicht = st.selectbox("Möglichst viele erreichen von …", list(pm.GEWICHT_LABEL),
                               format_func=pm.GEWICHT_LABEL.get, key="erreichbarkeit_gewicht")

network = None
try:
    network = None if fahrplan else _network_for(mode)
except AtlasError as exc:
    notices.append(("warning", str(exc)))
params = cty.county_parameters(data)
verfahren = fahrplan or cty.make_verfahren(mode, network, params)
dest = pm.destination_view(data, ziel, register_notes)
if dest.problem:
    notices.append(dest.problem)
hyp: list = hyp_all.setdefault(ziel, [])
closed_key = f"erreichbarkeit_geschlossen_{ziel}"


def _reset() -> None:
    st.session_state[STATE_HYP][ziel], st.session_state[closed_key] = [], []


col_a, col_b = st.columns([3, 1], vertical_alignment="bottom")
closed = col_a.multiselect(pm.CLOSE_LABEL, list(dest.names), key=closed_key, format_func=lambda i: dest.names.get(i, i),
                           disabled=dest.sites is None, placeholder=pm.CLOSE_PLACEHOLDER)
col_b.button(pm.RESET_LABEL, on_click=_reset, key="erreichbarkeit_reset", disabled=not (hyp or closed), width="stretch")
st.info(pm.method_message(verfahren, params))
for note in dest.notes:
    st.caption(note)

best = None
result, problem, cell_frame = pm.evaluate_scenario(origins, cells, dest, verfahren, standard, hyp, closed)
with top:  # one block of fixed position: the map below keeps its place and is never remounted
    for kind, text in notices + ([("warning", problem)] if problem else []):
        above.alert(kind, text)
    if result is not None:
        t = cty.totals(result)
        above.metrics([(fig.label, fig.value, fig.delta) for fig in pm.key_figures(t)], delta_color="inverse")
        above.caption(pm.evaluated_caption(result))
        previous = st.session_state.setdefault(STATE_PREV, {})
        if message := pm.scenario_message(t, len(hyp), len(closed), previous.get(ziel)):
            above.alert(*message)
        previous[ziel] = (len(hyp), len(closed), t["einwohner_jenseits"])
        best, best_problem = pm.proposals(result, verfahren, int(k), gewicht) if show_best else (None, None)
        if best_problem:
            above.alert("warning", best_problem)
    above.caption(pm.CLICK_HINT)

attributions = pm.attributions(ziel, verfahren)
inp = pm.gap_input(cell_frame, dest, closed, hyp, best, result, standard, verfahren, attributions)


def _take_click(click: dict | None = None) -> bool:
    """Add a hypothetical site for a new map click (called before the rerun, so the page reruns once)."""
    click = click or (st.session_state.get("erreichbarkeit_karte") or {}).get("last_clicked")
    if not click or click == st.session_state.get(STATE_CLICK):
        return False
    st.session_state[STATE_CLICK] = click
    st.session_state[STATE_HYP][ziel].append((float(click["lng"]), float(click["lat"])))
    return True


map_col, legend_col = map_slot.columns([5, 1])
with map_col:  # the base stays, only the result layers are exchanged: no reload, the view is kept
    _, shown = cached_groups("erreichbarkeit-ergebnis", map_key(data.version, inp), lambda: gm.gap_layers(base, inp))
    _, out = show_map("erreichbarkeit", map_key(data.version, attributions), lambda: gm.build_gap_base(base, attributions),
                      groups=shown, height=600, width="stretch", returned_objects=["last_clicked"],
                      key="erreichbarkeit_karte", on_change=_take_click, preview=pm.TITLE, preview_parts=above.parts)
legend_col.html(preview_aside(page_legend(gm.legend_html(inp, gm.class_counts(cell_frame))), 5 / 6))
if _take_click((out or {}).get("last_clicked") if isinstance(out, dict) else None):
    st.rerun()  # a click that did not pass the callback

if result is not None:
    table = cty.gemeinde_table(result, data.gemeinden)
    with under_map:
        gap_map_sentence(table)  # the map in one sentence, right under it
    ranking, proposals, comparison, export = st.tabs(pm.RESULT_TABS, key="erreichbarkeit_tab", on_change="rerun")
    if ranking.open:  # only the open tab is drawn (opening one reruns): no comparison, no download at first
        ranking.markdown(pm.ranking_heading(standard))
        plain_or_sortable_table(ranking, table.rename(columns=cty.GEMEINDE_SPALTEN), key="erreichbarkeit_sortierbar")
    if proposals.open:
        with proposals:
            if best is None or len(best.auswahl) == 0:
                st.info(pm.PROPOSALS_HINT if best is None else "Kein neuer Standort brächte jemanden innerhalb des Standards.")
            else:
                shown, ll = pm.proposals_table(best, data, dict(zip(origins.index.astype(str), origins.ags, strict=True)))
                st.dataframe(german_frame(shown), hide_index=True, width="stretch", column_config={
                    "Auf der Karte": st.column_config.LinkColumn(display_text="in OpenStreetMap öffnen")})
                st.button("Vorschläge als hypothetische Standorte übernehmen", key="erreichbarkeit_uebernehmen",
                          on_click=lambda: st.session_state[STATE_HYP][ziel].extend(map(tuple, ll.tolist())))
    if comparison.open:
        with comparison:
            views = pm.comparison_views(dest, result, origins, data, mode, lambda: cty.make_verfahren(
                "car", _network_for("car"), params), register_notes.get(ziel))
            if not views:
                st.info("Für dieses Ziel misst der Deutschlandatlas keinen vergleichbaren Wert.")
            for view in views:
                st.markdown(view.heading)
                st.dataframe(view.table, hide_index=True, width="stretch")
                st.caption(view.caption)
                st.markdown(view.reasons)
            attributions.extend(view.quelle for view in views)
    if export.open:
        header = pm.export_header(data.kreis_name, result.aktuell.titel, result.methode_beschreibung, standard,
                                  len(hyp), len(closed), result.delta is not None, attributions)
        for dl in pm.downloads(ziel, table, cell_frame, header):
            export.download_button(dl.label, dl.data, file_name=dl.file_name, mime=dl.mime, key=dl.key, on_click="ignore")
        export.caption(pm.CSV_NOTE)

attribution_footer(list(dict.fromkeys(attributions)))
