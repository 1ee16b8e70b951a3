"""Erreichbarkeit: wo Menschen weit von einem Angebot entfernt wohnen – und was ein neuer Standort ändert."""

from __future__ import annotations

import datetime as _dt

import streamlit as st
from streamlit_folium import st_folium

from atlas._helpers import escape_markdown as md_escape
from atlas.accessibility import NoSitesError, best_new_sites, compute_reachability
from atlas.accessibility.comparison import (
    compare_with_deutschlandatlas,
    differences,
    indicators_for_category,
)
from atlas.accessibility.county import (
    GEMEINDE_SPALTEN,
    ZIEL_BAHNHOEFE,
    ZIEL_EIGENE,
    analyse,
    cell_results,
    cells_without_sites,
    county_bbox_wgs84,
    county_cells,
    county_origins,
    county_sites,
    destination_options,
    gemeinde_table,
    hypothetical_sites,
    load_network,
    lonlat_from_xy,
    make_verfahren,
    osm_pbf_path,
    site_records,
    source_keys,
    totals,
    unplaced_offers,
)
from atlas.accessibility.errors import AccessibilityError
from atlas.accessibility.export import cells_csv, cells_gpkg, gemeinde_csv
from atlas.accessibility.gapmap import GapMapInput, build_gap_map
from atlas.accessibility.parameters import MODE_LABEL, MODES
from atlas.accessibility.standards import (
    ART_LABEL,
    adjusted_standard,
    load_register_notes,
    load_standards,
    standards_for,
)
from atlas.choropleth import format_number
from atlas.display import german_frame
from atlas.errors import AtlasError
from atlas.indicators import load_catalogue
from atlas.mapview import OSM_ATTRIBUTION
from atlas.sources import load_sources
from pages._common import attribution_footer, get_base, get_data

#: Session keys (not widget keys: they survive reruns and hold the scenario per destination).
STATE_HYP = "erreichbarkeit_hypothetisch"
STATE_CLICK = "erreichbarkeit_letzter_klick"
STATE_VORGABEN = "erreichbarkeit_vorgaben"


@st.cache_resource(show_spinner=False)
def _origins(version: str, _data):
    return county_origins(_data)


@st.cache_resource(show_spinner=False)
def _cells(version: str, _data):
    return county_cells(_data)


@st.cache_resource(show_spinner="Straßennetz wird gelesen …")
def _network(path: str, mtime: int, mode: str, bbox: tuple[float, ...]):
    return load_network(path, mode, list(bbox))


def _pct(value: float) -> str:
    return format_number(value * 100.0, 1) + " %"


data = get_data()
base = get_base(data)
origins = _origins(data.version, data)
cells = _cells(data.version, data)

st.title("Erreichbarkeit und Versorgungs\u00adlücken")
st.caption("Wo wohnen Menschen weit entfernt vom nächsten Angebot – wie viele, Kinder und Ältere – "
           "und was würde ein neuer Standort ändern?")

try:
    standards = load_standards()
    register_notes = load_register_notes()
except AtlasError as exc:
    st.error(str(exc))
    st.stop()

options = destination_options(data, [s.kategorie for s in standards.values()])
wanted = st.query_params.get("kategorie", "Grundschule")
if wanted not in options:
    st.warning(f"Die Kategorie „{wanted}“ aus der Adresse ist unbekannt; gezeigt wird „Grundschule“.")
    wanted = "Grundschule" if "Grundschule" in options else options[0]
vorgaben: dict = st.session_state.setdefault(STATE_VORGABEN, {})
hyp_all: dict = st.session_state.setdefault(STATE_HYP, {})

with st.sidebar:
    st.header("Ziel und Standard")
    ziel = st.selectbox("Angebot oder Ziel", options, index=options.index(wanted), key="erreichbarkeit_ziel")
    st.query_params["kategorie"] = ziel
    stds = standards_for(ziel, standards)
    base_std = stds[0] if stds else None
    if len(stds) > 1:
        base_std = st.selectbox("Standard", stds, format_func=lambda s: s.label, key=f"std_{ziel}")
    start = vorgaben.get(ziel) or ((base_std.mode, base_std.schwelle, base_std.einheit) if base_std
                                   else ("car", 20.0, "min"))
    mode = st.radio("Verkehrsmittel", list(MODES), index=list(MODES).index(start[0]), format_func=MODE_LABEL.get,
                    horizontal=True, key=f"mode_{ziel}")
    einheit = st.selectbox("Einheit des Standards", ["min", "km"], index=["min", "km"].index(start[2]),
                           format_func={"min": "Minuten", "km": "Kilometer"}.get, key=f"einheit_{ziel}")
    schwelle = st.number_input("Standard: jenseits ab / über", min_value=0.1, max_value=300.0,
                               value=float(start[1]), step=0.5 if einheit == "km" else 1.0, key=f"schwelle_{ziel}",
                               help="Ab diesem Wert gilt ein Wohnort als zu weit entfernt.")
    vorgaben[ziel] = (mode, float(schwelle), einheit)
    try:
        standard = adjusted_standard(base_std, ziel, mode=mode, schwelle=schwelle, einheit=einheit)
    except AtlasError as exc:
        st.error(str(exc))
        st.stop()
    if base_std is not None:
        src = md_escape(base_std.quelle)
        st.caption(f"Standard aus den Daten: **{md_escape(base_std.label)}** ({ART_LABEL[base_std.art]}). "
                   f"Quelle: {src}" + (f" – {md_escape(base_std.hinweis)}" if base_std.hinweis else ""))
    if standard.art == "eigene_vorgabe":
        st.caption("Eigene Vorgabe: gilt nur in dieser Sitzung; dauerhafte Standards stehen in geodata/standards.yaml.")
    st.header("Vorschläge")
    show_best = st.toggle("Beste neue Standorte vorschlagen", value=False, key="erreichbarkeit_vorschlaege")
    k = st.number_input("Anzahl neuer Standorte", min_value=1, max_value=10, value=3, step=1, key="erreichbarkeit_k")
    gewicht = st.selectbox("Möglichst viele erreichen von …", ["einwohner", "u15", "ue65"],
                           format_func={"einwohner": "allen Einwohnern", "u15": "Kindern unter 15",
                                        "ue65": "Menschen ab 65"}.get, key="erreichbarkeit_gewicht")

# ---------------------------------------------------------------------------------------- method
pbf_note = ""
network = None
try:
    pbf = osm_pbf_path()
    if pbf is not None:
        network = _network(str(pbf), pbf.stat().st_mtime_ns, mode, tuple(county_bbox_wgs84(data)))
except AtlasError as exc:
    pbf_note = str(exc)
verfahren = make_verfahren(mode, network)
if verfahren.methode == "luftlinie":
    st.info(f"**Verfahren: Luftlinie** (Schätzung) – {md_escape(verfahren.beschreibung)}. "
            "Es ist kein Straßennetz eingerichtet (OSM-Datei über die Umgebungsvariable ATLAS_OSM_PBF); "
            "echte Wege sind je nach Gelände länger oder kürzer.")
else:
    st.info(f"**Verfahren: Straßennetz** – {md_escape(verfahren.beschreibung)}.")
if pbf_note:
    st.warning(pbf_note)

# ------------------------------------------------------------------------------------------ sites
records = site_records(data, ziel)
n_gem = int((records["lage_genauigkeit"] == "gemeinde").sum())
n_ort = int((records["lage_genauigkeit"] == "ortsteil").sum())
unplaced = unplaced_offers(data, ziel) if ziel not in (ZIEL_BAHNHOEFE, ZIEL_EIGENE) else records.iloc[0:0]
if ziel == ZIEL_BAHNHOEFE:
    st.caption(f"{len(records)} Bahnhöfe und Haltepunkte (DB-Stationsdaten), auch bis 15 km jenseits der "
               "Kreisgrenze – wer an der Grenze wohnt, fährt auch dorthin.")
elif ziel != ZIEL_EIGENE and len(records):
    st.caption(f"{len(records)} Standorte „{md_escape(ziel)}“ aus dem Angebotsregister. Das Register hat keine "
               f"Koordinaten: Angebote stehen nur ungefähr an der Ortslage ihres Ortsteils ({n_ort}) oder in der "
               f"Gemeindemitte ({n_gem}); Entfernungen sind entsprechend ungefähr."
               + (f" {len(unplaced)} Angebot(e) ohne Kartenlage fehlen." if len(unplaced) else ""))
if ziel in register_notes:
    st.caption(md_escape(register_notes[ziel]))

hyp: list = hyp_all.setdefault(ziel, [])
closed_key = f"erreichbarkeit_geschlossen_{ziel}"


def _reset() -> None:
    st.session_state[STATE_HYP][ziel] = []
    st.session_state[closed_key] = []


sites = None
try:
    sites = county_sites(data, ziel)
except NoSitesError as exc:
    (st.info if ziel == ZIEL_EIGENE else st.warning)(str(exc))

names = dict(zip(records["id"].astype(str), records["name"].astype(str), strict=True))
col_a, col_b = st.columns([3, 1], vertical_alignment="bottom")
with col_a:
    closed = st.multiselect(
        "Standorte im Szenario schließen", list(names), key=closed_key, format_func=lambda i: names.get(i, i),
        disabled=sites is None, placeholder="Bestehende Standorte wählen …")
with col_b:
    st.button("Szenario zurücksetzen", on_click=_reset, key="erreichbarkeit_reset",
              disabled=not (hyp or closed), width="stretch")
st.caption("Klicken Sie in die Karte, um einen **hypothetischen Standort** zu setzen; die Zahlen zeigen dann die "
           "Veränderung.")

# --------------------------------------------------------------------------------------- analysis
result = None
problem = ""
try:
    result = analyse(origins, sites, verfahren, standard, add=hypothetical_sites(hyp), remove=closed)
except AccessibilityError as exc:
    problem = str(exc)
if problem and sites is not None:
    st.warning(problem)

best = None
if result is not None:
    t = totals(result)
    c1, c2, c3, c4 = st.columns(4)

    def _metric(col, label: str, key: str, share: bool = False) -> None:
        fmt = _pct if share else (lambda v: format_number(v, 0))
        before = t.get(f"{key}_vorher")
        delta, colour = None, "inverse"
        if before is not None:
            diff = round((t[key] - before) * 100, 1) if share else round(t[key] - before)
            if diff == 0:
                delta, colour = "±0 (unverändert)", "off"
            else:
                delta = ("+" if diff > 0 else "") + (format_number(diff, 1) + " Prozentpunkte" if share
                                                     else format_number(diff, 0))
        col.metric(label, fmt(t[key]), delta=delta, delta_color=colour)

    _metric(c1, "Einwohner jenseits des Standards", "einwohner_jenseits")
    _metric(c2, "davon unter 15", "u15_jenseits")
    _metric(c3, "davon 65 und älter", "ue65_jenseits")
    _metric(c4, "Anteil jenseits", "anteil_einwohner_jenseits", share=True)
    st.caption(f"Bewertet: **{md_escape(result.aktuell.titel)}**. Einwohner je 1-km-Rasterzelle (Zensus 2022), "
               "gemessen vom Zellmittelpunkt; Zellen gehören zu der Gemeinde, in der ihr Mittelpunkt liegt.")
    if result.delta is not None:
        st.success(f"Szenario: {len(hyp)} hypothetische(r) Standort(e), {len(closed)} geschlossen – Einwohner "
                   f"jenseits des Standards ändern sich um "
                   f"{format_number(t['einwohner_jenseits'] - t['einwohner_jenseits_vorher'], 0)}.")
    if show_best:
        try:
            best = best_new_sites(result.aktuell, verfahren, k=int(k), gewicht=gewicht)
        except AtlasError as exc:
            st.warning(str(exc))
    cell_frame = cell_results(result, cells, names)
else:
    cell_frame = cells_without_sites(origins, cells, standard)

# --------------------------------------------------------------------------------------------- map
sources = load_sources()
attributions = [sources[key].namensnennung for key in source_keys(ziel)]
if verfahren.methode == "netz":
    attributions.append(OSM_ATTRIBUTION)
label = "Bahnhöfe" if ziel == ZIEL_BAHNHOEFE else ("Standorte" if ziel == ZIEL_EIGENE else ziel)
titel = result.aktuell.titel if result is not None else standard.beschreibung
fmap = build_gap_map(base, GapMapInput(
    cells=cell_frame, sites=records, geschlossen=frozenset(closed), hypothetisch=list(hyp),
    vorschlaege=best.auswahl if best is not None else None, titel=titel,
    methode_hinweis=("Verfahren: Luftlinie (Schätzung)" if verfahren.methode == "luftlinie"
                     else "Verfahren: Straßennetz (OSM)"),
    attributions=attributions, standort_label=label))
out = st_folium(fmap, height=600, width="stretch", returned_objects=["last_clicked"], key="erreichbarkeit_karte")
click = (out or {}).get("last_clicked") if isinstance(out, dict) else None
if click and click != st.session_state.get(STATE_CLICK):
    st.session_state[STATE_CLICK] = click
    hyp.append((float(click["lng"]), float(click["lat"])))
    st.rerun()

# -------------------------------------------------------------------------------------- the tables
if result is not None:
    tabs = st.tabs(["Gemeinden (Rangfolge)", "Vorschläge", "Vergleich Deutschlandatlas", "Herunterladen"])
    table = gemeinde_table(result, data.gemeinden)
    with tabs[0]:
        st.markdown("**Größte Versorgungslücken**: Gemeinden nach der Zahl der Einwohner jenseits des Standards "
                    f"({md_escape(standard.beschreibung)}). Mittelwerte sind nach Einwohnern gewichtet.")
        st.dataframe(german_frame(table.rename(columns=GEMEINDE_SPALTEN)), hide_index=True, width="stretch")
    with tabs[1]:
        if best is None:
            st.info("Schalten Sie in der Seitenleiste „Beste neue Standorte vorschlagen“ ein. Vorgeschlagen werden "
                    "Rasterzellen-Mittelpunkte, die zusammen möglichst viele Menschen jenseits des Standards "
                    "erreichen (gieriges Verfahren, mindestens 63 % des Bestmöglichen).")
        elif len(best.auswahl) == 0:
            st.info("Kein neuer Standort brächte jemanden innerhalb des Standards.")
        else:
            ll = lonlat_from_xy(best.auswahl[["x", "y"]].to_numpy(dtype=float))
            gem_names = dict(zip(data.gemeinden["ags"].astype(str), data.gemeinden["name"], strict=True))
            cell_ags = dict(zip(origins.index.astype(str), origins.ags, strict=True))
            shown = best.auswahl.assign(
                gemeinde=[gem_names.get(cell_ags.get(c, ""), "") for c in best.auswahl["kandidat_id"]],
                laenge=ll[:, 0].round(5), breite=ll[:, 1].round(5))
            cols = {"rang": "Rang", "gemeinde": "Gemeinde", "einwohner_gewonnen": "Einwohner gewonnen",
                    "u15_gewonnen": "davon unter 15", "ue65_gewonnen": "davon 65+",
                    f"{gewicht}_jenseits_danach": "danach noch jenseits", "laenge": "Länge", "breite": "Breite"}
            st.dataframe(german_frame(shown[list(cols)].rename(columns=cols)), hide_index=True, width="stretch")

            def _adopt() -> None:
                st.session_state[STATE_HYP][ziel].extend((float(a), float(b)) for a, b in ll)

            st.button("Vorschläge als hypothetische Standorte übernehmen", on_click=_adopt,
                      key="erreichbarkeit_uebernehmen")
    with tabs[2]:
        inds = indicators_for_category(ziel, load_catalogue()) if sites is not None else []
        if not inds:
            st.info("Für dieses Ziel misst der Deutschlandatlas keinen vergleichbaren Wert.")
        for ind in inds:
            car = result.basis.result if (result.basis is not None and mode == "car") else None
            if car is None:
                car_net = None
                if network is not None:
                    car_net = _network(str(pbf), pbf.stat().st_mtime_ns, "car", tuple(county_bbox_wgs84(data)))
                car = compute_reachability(origins, sites, make_verfahren("car", car_net))
            vg = compare_with_deutschlandatlas(car, data.gemeinden, ind)
            summary = vg.zusammenfassung()
            st.markdown(f"**Plausibilitätsprüfung: {md_escape(ind.label)}** – unsere geschätzten Pkw-Minuten "
                        "(bestehende Standorte, ohne Szenario) neben dem Wert des Deutschlandatlas, je Gemeinde.")
            st.dataframe(german_frame(vg.tabelle.rename(columns=vg.spalten)), hide_index=True, width="stretch",
                         column_config={c: st.column_config.NumberColumn(format="%.1f")
                                        for c in list(vg.spalten.values())[2:]})
            st.caption(
                f"{int(summary['gemeinden'])} Gemeinden verglichen; mittlere Abweichung (Median) "
                f"{format_number(summary['median_differenz'], 1)} min; bei {_pct(summary['anteil_unser_groesser'])} "
                f"der Gemeinden ist unser Wert größer; Rangkorrelation {format_number(summary['rangkorrelation'], 2)}.")
            st.markdown("**Warum die Werte abweichen:**\n" + "\n".join(
                f"- {md_escape(t)}" for t in differences(
                    vg, n_sites=len(sites), n_unplaced=len(unplaced), n_gemeinde_precision=n_gem,
                    register_note=register_notes.get(ziel))))
            attributions.append(ind.quelle)
    with tabs[3]:
        stamp = _dt.date.today().isoformat()
        header = [f"Standortatlas {data.kreis_name}: Erreichbarkeit, {result.aktuell.titel}",
                  f"Verfahren: {result.methode_beschreibung}",
                  f"Standard: {standard.label}; Quelle: {standard.quelle}",
                  f"Szenario: {len(hyp)} hypothetische Standorte, {len(closed)} geschlossen" if result.delta
                  is not None else "Szenario: keines (bestehende Standorte)",
                  "Quellen: " + " · ".join(attributions)]
        slug = "".join(ch if ch.isalnum() else "-" for ch in ziel.lower())
        st.download_button("Gemeindetabelle (CSV)", gemeinde_csv(table, header),
                           file_name=f"erreichbarkeit-{slug}-gemeinden-{stamp}.csv", mime="text/csv",
                           key="dl_gemeinden", on_click="ignore")
        st.download_button("Ergebnisse je Rasterzelle (CSV)", cells_csv(cell_frame, header),
                           file_name=f"erreichbarkeit-{slug}-zellen-{stamp}.csv", mime="text/csv",
                           key="dl_zellen", on_click="ignore")
        st.download_button("Rasterzellen mit Ergebnissen (GeoPackage, EPSG:25832)", cells_gpkg(cell_frame),
                           file_name=f"erreichbarkeit-{slug}-zellen-{stamp}.gpkg",
                           mime="application/geopackage+sqlite3", key="dl_gpkg", on_click="ignore")
        st.caption("CSV: Trennzeichen Semikolon, Dezimalkomma, UTF-8; Kopfzeilen mit # beschreiben Verfahren, "
                   "Standard und Quellen.")

attribution_footer(list(dict.fromkeys(attributions)))
