"""Tabs of the admin page "Register (Verwaltung)" (helper module, not a page): export, OSM candidates,
reports and rebuilding the maps. Widgets only; the logic is in :mod:`atlas.register.admin_view`."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from atlas import settings
from atlas.build import build
from atlas.errors import AtlasError
from atlas.register import admin_view as view
from atlas.register.exporter import geopackage_bytes, to_csv, to_geojson, to_xlsx
from atlas.register.importer import MAX_UPLOAD_BYTES
from atlas.register.position import candidate_overrides, match_changes, osm_import_with_matches, pick
from atlas.register.reports import CONTACT_RETENTION_DAYS
from atlas.register.validation import ValidationContext
from atlas.safe_text import markdown_text
from pages._report_form import get_geodata


def show_error(exc: Exception) -> None:
    """A German error; register texts in it shown as text (problems as a list)."""
    problems = getattr(exc, "problems", None)
    st.error(view.problems_markdown("Nicht gespeichert:", problems) if problems else markdown_text(str(exc)))


def export_tab(store) -> None:
    offers = store.offers()
    st.write(f"{len(offers)} aktive Angebote.")
    st.download_button("CSV herunterladen", to_csv(offers), "angebote.csv", "text/csv")
    st.download_button("Excel (XLSX) herunterladen", to_xlsx(offers), "angebote.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    st.download_button("GeoJSON herunterladen", to_geojson(offers), "angebote.geojson", "application/geo+json")
    if st.button("GeoPackage erzeugen"):
        data = geopackage_bytes(offers, settings.data_dir())
        st.download_button("GeoPackage herunterladen", data, "angebote.gpkg", "application/geopackage+sqlite3")


def osm_tab(store, user: str, context: Callable[[], ValidationContext]) -> None:
    st.write("Schulen, Kitas, Arztpraxen, Apotheken und soziale Einrichtungen aus OpenStreetMap einlesen "
             "(Overpass-JSON, .osm oder .osm.pbf). Sie landen als Vorschläge hier und erst nach Prüfung im Register.")
    upload = st.file_uploader("OSM-Datei wählen", type=["json", "osm", "pbf"], key="register_osm_file")
    if upload is not None and st.button("Vorschläge einlesen"):
        try:
            if upload.size > 50 * MAX_UPLOAD_BYTES:
                raise AtlasError("Die Datei ist zu groß (höchstens 250 MB).")
            text, st.session_state["register_osm_matches"] = osm_import_with_matches(
                store, get_geodata(), upload.getvalue(), upload.name, str(settings.data_dir()))
            st.success(text)
        except AtlasError as exc:
            show_error(exc)
    _osm_matches(store, user)
    queue = store.candidates("offen")
    if not queue:
        st.info("Keine offenen Vorschläge.")
        return
    st.dataframe(view.candidates_frame(queue), hide_index=True, width="stretch")
    labels = {int(c["nr"]): f"{c['nr']} – {c['name']}" for c in queue}
    nr = st.selectbox("Vorschlag", list(labels), format_func=labels.get)
    col1, col2 = st.columns(2)
    try:
        if col1.button("Ins Register übernehmen"):
            row = next(c for c in queue if int(c["nr"]) == int(nr))
            taken = store.accept_candidate(int(nr), user, overrides=candidate_overrides(row, get_geodata()), ctx=context())
            st.success(f"Übernommen als {taken['id']}.")
        if col2.button("Verwerfen"):
            store.reject_candidate(int(nr), user)
            st.success("Verworfen.")
    except AtlasError as exc:
        show_error(exc)


def _osm_matches(store, user: str) -> None:
    """OSM objects that are offers of the register already: move the offer to the OSM point (punkt, AGS)."""
    matches = st.session_state.get("register_osm_matches") or []
    if not matches:
        return
    label = st.selectbox("Passt zu einem Angebot im Register", [m.label for m in matches], key="register_osm_match")
    if st.button("Lage des Angebots auf den OSM-Punkt setzen"):
        match = pick(matches, label)
        try:
            offer = store.offer(match.offer_id)
            moved = store.update_offer(match.offer_id, match_changes(match, get_geodata()), offer["version"], user)
        except AtlasError as exc:
            show_error(exc)
        else:
            st.success(f"{match.offer_id}: Lage aus OpenStreetMap übernommen (Version {moved['version']}).")


def reports_tab(store, user: str) -> None:
    store.purge_report_contacts(CONTACT_RETENTION_DAYS)
    status = st.radio("Meldungen", ["offen", "erledigt", "abgelehnt"], horizontal=True)
    reports = store.reports(status)
    if not reports:
        st.info("Keine Meldungen.")
        return
    st.dataframe(view.reports_frame(reports), hide_index=True, width="stretch")
    st.caption(f"Kontaktangaben werden beim Abschließen gelöscht, spätestens nach {CONTACT_RETENTION_DAYS} Tagen.")
    if status == "offen":
        nr = int(st.selectbox("Meldung bearbeiten", [r["nr"] for r in reports]))
        note = st.text_input("Notiz")
        col1, col2, col3 = st.columns(3)
        for col, label, new_status in ((col1, "Erledigt", "erledigt"), (col2, "Ablehnen", "abgelehnt")):
            if col.button(label):
                store.set_report_status(nr, new_status, user, note)
                st.rerun()
        if col3.button("Kontaktangabe löschen"):
            store.delete_report_contact(nr, user)
            st.rerun()


def maps_tab() -> None:
    st.write("Karte, Erreichbarkeit und die Familienseite lesen die Angebote aus den aufbereiteten Daten. "
             "Nach Änderungen im Register hier neu aufbauen, damit sie dort erscheinen.")
    if st.button("Karten jetzt aktualisieren", key="register_rebuild"):
        with st.spinner("Daten werden neu aufbereitet …"):
            try:
                st.success(view.rebuild_summary(build().manifest_data))
            except AtlasError as exc:
                st.error(f"Die Daten konnten nicht neu aufbereitet werden: {markdown_text(str(exc))}")
