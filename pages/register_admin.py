"""Admin page "Register (Verwaltung)": editing the offer register behind a login.

Thin page: widgets and drawing only; checks, storage, import/export and login logic live in
:mod:`atlas.register`. Nothing of this page is reachable without a successful login.
"""

from __future__ import annotations

import html
import uuid

import pandas as pd
import streamlit as st

from atlas import settings
from atlas.build import build
from atlas.errors import AtlasError
from atlas.mapview import field_html
from atlas.register.auth import LoginThrottle, check_login, clock, users_from_secrets
from atlas.register.errors import ConflictError, ValidationFailed
from atlas.register.exporter import geopackage_bytes, to_csv, to_geojson, to_xlsx
from atlas.register.importer import MAX_UPLOAD_BYTES, commit_import, place_records, prepare_import, read_upload
from atlas.register.models import FIELD_LABELS, OFFER_FIELDS
from atlas.register.osm_candidates import build_candidates, read_osm_upload
from atlas.register.reports import ALL_REPORT_KINDS, wait_message
from atlas.register.validation import ValidationContext
from pages._common import attribution_footer
from pages._report_form import get_geodata, get_store

EDIT_FIELDS = [f for f in OFFER_FIELDS if f != "id"]
LINK_KIND = {"telefon": "telefon", "email": "email", "website": "link", "quelle_url": "link"}


@st.cache_resource(show_spinner=False)
def _throttle() -> LoginThrottle:
    return LoginThrottle()


def _secrets_section(name: str) -> dict:
    try:
        return dict(st.secrets.get(name, {}) or {})
    except (FileNotFoundError, KeyError, AttributeError):
        return {}
    except Exception:  # noqa: BLE001 - a malformed secrets file must not show a stack trace
        return {}


def _oidc_user() -> str | None:
    """E-mail of a user logged in with OIDC (``st.login``) who is listed in ``[admin] oidc_emails``."""
    allowed = [str(e).lower() for e in _secrets_section("admin").get("oidc_emails", [])]
    if not allowed or not _secrets_section("auth"):
        return None
    try:
        if st.user.is_logged_in and str(st.user.get("email", "")).lower() in allowed:
            return str(st.user.get("email"))
    except AttributeError:
        return None
    return None


def _login() -> str | None:
    """The logged-in editor, or None after drawing the login form."""
    if st.session_state.get("register_admin_user"):
        return str(st.session_state["register_admin_user"])
    oidc = _oidc_user()
    if oidc:
        return oidc
    users = users_from_secrets(_secrets_section("admin"))
    if not users and not _secrets_section("auth"):
        st.warning("Für die Verwaltung ist noch kein Zugang eingerichtet. Bitte in `.streamlit/secrets.toml` "
                   "einen Abschnitt `[admin]` mit `users = { name = \"<Hash>\" }` anlegen; den Hash erzeugt "
                   "`atlas passwort-hash`.")
        return None
    if _secrets_section("auth") and _secrets_section("admin").get("oidc_emails"):
        st.button("Mit Single Sign-on anmelden", on_click=st.login)
    with st.form("register_login"):
        name = st.text_input("Benutzername")
        password = st.text_input("Passwort", type="password")
        sent = st.form_submit_button("Anmelden")
    if sent:
        session = st.session_state.setdefault("_register_login_session", uuid.uuid4().hex)
        keys = (f"user:{name.strip()}", f"session:{session}")
        throttle = _throttle()
        wait = throttle.wait_remaining(keys, clock())
        if wait > 0:
            st.error(f"Zu viele Fehlversuche. {wait_message(wait)}")
        elif check_login(users, name, password):
            throttle.record_success(keys)
            st.session_state["register_admin_user"] = name.strip()
            st.rerun()
        else:
            throttle.record_failure(keys, clock())
            st.error("Benutzername oder Passwort ist falsch.")
    return None


def _context() -> ValidationContext:
    return get_geodata().validation_base()


def _detail_html(offer: dict) -> str:
    rows = []
    for name in OFFER_FIELDS[1:]:
        value = field_html(offer.get(name), LINK_KIND.get(name, "text"))
        if value:
            rows.append(f"<tr><th>{html.escape(FIELD_LABELS[name])}</th><td>{value}</td></tr>")
    return (f'<table class="atlas-popup" style="width:100%;table-layout:fixed;overflow-wrap:anywhere">'
            f'{"".join(rows)}</table>')


def _when(iso: str) -> str:
    """'2025-03-01T09:15:00+00:00' → '01.03.2025 09:15 UTC'."""
    if len(iso) < 16:
        return iso
    return f"{iso[8:10]}.{iso[5:7]}.{iso[0:4]} {iso[11:16]} UTC"


def _offer_tab(store, user: str) -> None:  # noqa: C901 - 16 > 14; goes away when the page is thinned (issue 14)
    show_deleted = st.checkbox("Gelöschte Angebote anzeigen")
    offers = store.offers(include_deleted=show_deleted)
    search = st.text_input("Suchen (Name, Gemeinde, Kategorie)").strip().lower()
    if search:
        offers = [o for o in offers if search in f"{o['name']} {o['ort']} {o['kategorie']}".lower()]
    frame = pd.DataFrame(offers, columns=["id", "name", "kategorie", "ort", "zuletzt_geprueft", "version", "geloescht"])
    frame["zuletzt_geprueft"] = frame["zuletzt_geprueft"].fillna("")
    st.dataframe(frame.rename(columns={"zuletzt_geprueft": "zuletzt geprüft", "geloescht": "gelöscht"}),
                 hide_index=True, width="stretch", height=260)
    if not offers:
        st.info("Keine Angebote gefunden.")
        return
    choice = st.selectbox("Angebot bearbeiten", [o["id"] for o in offers],
                          format_func=lambda i: f"{i} – {next(o['name'] for o in offers if o['id'] == i)}")
    offer = store.offer(choice)
    loaded_key = f"register_loaded_version_{choice}"
    if loaded_key not in st.session_state or st.session_state.get("register_last_choice") != choice:
        st.session_state[loaded_key] = offer["version"]
        st.session_state["register_last_choice"] = choice
    base_version = int(st.session_state[loaded_key])
    st.caption(f"Version {offer['version']}, zuletzt geändert von {offer['geaendert_von']} am "
               f"{_when(str(offer['geaendert_am']))}; "
               f"zuletzt geprüft: {offer['zuletzt_geprueft'] or 'nie'}"
               + (" – GELÖSCHT" if offer["geloescht"] else ""))
    with st.expander("Ansicht wie für Familien (Texte und Links geprüft)"):
        st.markdown(_detail_html(offer), unsafe_allow_html=True)
    with st.form(f"edit_{choice}"):
        values = {f: st.text_input(FIELD_LABELS[f], value=str(offer[f] or ""), key=f"edit_{choice}_{f}")
                  for f in EDIT_FIELDS}
        save = st.form_submit_button("Änderungen speichern")
    if save:
        changes = {f: v.strip() for f, v in values.items() if v.strip() != str(offer[f] or "")}
        if changes.get("ort") is not None or changes.get("ortsteil") is not None:
            placed = place_records([{**offer, **changes, "lon": None, "lat": None}], get_geodata())[0]
            changes.update({k: placed[k] for k in ("lon", "lat", "ags", "lage_genauigkeit", "lage_hinweis")})
        try:
            updated = store.update_offer(choice, changes, base_version, user, ctx=_context())
        except ConflictError as exc:
            st.error(str(exc))
            if st.button("Neu laden"):
                st.session_state.pop(loaded_key, None)
                st.rerun()
        except ValidationFailed as exc:
            st.error("Nicht gespeichert:\n\n" + "\n".join(f"- {p.text}" for p in exc.problems))
        else:
            st.session_state[loaded_key] = updated["version"]
            st.success(f"Gespeichert (Version {updated['version']}).")
    col1, col2 = st.columns(2)
    if col1.button("Als geprüft markieren (heute)", key=f"verify_{choice}"):
        try:
            st.session_state[loaded_key] = store.mark_verified(choice, base_version, user)["version"]
            st.success("Als geprüft markiert.")
        except ConflictError as exc:
            st.error(str(exc))
    if not offer["geloescht"] and col2.button("Angebot löschen", key=f"delete_{choice}"):
        try:
            st.session_state[loaded_key] = store.delete_offer(choice, base_version, user)["version"]
            st.success("Gelöscht. Es kann über den Verlauf wiederhergestellt werden.")
        except ConflictError as exc:
            st.error(str(exc))
    history = store.history(choice)
    st.markdown("**Verlauf**")
    st.dataframe(pd.DataFrame([{"Version": h["version"], "Aktion": h["aktion"], "wer": h["wer"], "wann": h["wann"],
                                "Kommentar": h["kommentar"]} for h in history]), hide_index=True, width="stretch")
    versions = [h["version"] for h in history]
    target = st.selectbox("Stand einer Version wiederherstellen", versions, key=f"restore_sel_{choice}")
    if st.button("Diese Version wiederherstellen", key=f"restore_{choice}"):
        try:
            st.session_state[loaded_key] = store.restore_version(choice, int(target), base_version, user)["version"]
            st.success(f"Stand von Version {target} wiederhergestellt.")
        except (ConflictError, AtlasError) as exc:
            st.error(str(exc))


def _new_tab(store, user: str) -> None:
    with st.form("register_new"):
        values = {f: st.text_input(FIELD_LABELS[f] + (" *" if f in ("name", "kategorie", "handlungsfeld") else ""),
                                   key=f"new_{f}") for f in EDIT_FIELDS}
        sent = st.form_submit_button("Angebot anlegen")
    if sent:
        record = place_records([{**{k: v.strip() for k, v in values.items()}, "lon": None, "lat": None}],
                               get_geodata())[0]
        try:
            offer = store.create_offer(record, user, _context())
        except ValidationFailed as exc:
            st.error("Nicht gespeichert:\n\n" + "\n".join(f"- {p.meldung}" for p in exc.problems))
        else:
            st.success(f"Angelegt als {offer['id']}.")


def _import_tab(store, user: str) -> None:
    st.write("CSV- oder Excel-Datei mit den Spalten der Vorlage `geodata/angebote_vorlage.csv`. Alle Zeilen werden "
             "geprüft; gespeichert wird nur, wenn keine Zeile ein Problem hat – dann alle auf einmal.")
    upload = st.file_uploader("Datei wählen", type=["csv", "xlsx"], key="register_import_file")
    if upload is None:
        return
    if upload.size > MAX_UPLOAD_BYTES:
        st.error(f"Die Datei ist zu groß; erlaubt sind höchstens {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
        return
    try:
        preview = prepare_import(read_upload(upload.getvalue(), upload.name), store, get_geodata())
    except AtlasError as exc:
        st.error(str(exc))
        return
    for note in preview.hinweise:
        st.warning(note)
    if preview.problems:
        st.error(f"{len(preview.problems)} Problem(e) – nichts wird gespeichert, bis alle behoben sind:")
        st.dataframe(pd.DataFrame([{"Zeile": p.zeile, "Feld": FIELD_LABELS.get(p.feld, p.feld), "Problem": p.meldung}
                                   for p in preview.problems]), hide_index=True, width="stretch")
        return
    st.success(f"Alle {len(preview.records)} Zeilen sind in Ordnung. Vorschau:")
    st.dataframe(preview.frame(), hide_index=True, width="stretch", height=240)
    if st.button(f"Alle {len(preview.records)} Angebote übernehmen", type="primary"):
        try:
            ids = commit_import(preview, store, user)
        except AtlasError as exc:
            st.error(str(exc))
        else:
            st.success(f"{len(ids)} Angebote gespeichert ({ids[0]} bis {ids[-1]}).")


def _export_tab(store) -> None:
    offers = store.offers()
    st.write(f"{len(offers)} aktive Angebote.")
    st.download_button("CSV herunterladen", to_csv(offers), "angebote.csv", "text/csv")
    st.download_button("Excel (XLSX) herunterladen", to_xlsx(offers), "angebote.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    st.download_button("GeoJSON herunterladen", to_geojson(offers), "angebote.geojson", "application/geo+json")
    if st.button("GeoPackage erzeugen"):
        data = geopackage_bytes(offers, settings.data_dir())
        st.download_button("GeoPackage herunterladen", data, "angebote.gpkg", "application/geopackage+sqlite3")


def _osm_tab(store, user: str) -> None:
    st.write("Schulen, Kitas, Arztpraxen, Apotheken und soziale Einrichtungen aus OpenStreetMap einlesen "
             "(Overpass-JSON, .osm oder .osm.pbf). Sie landen als Vorschläge hier und erst nach Prüfung im Register.")
    upload = st.file_uploader("OSM-Datei wählen", type=["json", "osm", "pbf"], key="register_osm_file")
    if upload is not None and st.button("Vorschläge einlesen"):
        if upload.size > 50 * MAX_UPLOAD_BYTES:
            st.error("Die Datei ist zu groß (höchstens 250 MB).")
        else:
            try:
                features = read_osm_upload(upload.getvalue(), upload.name, settings.data_dir())
                geo = get_geodata()
                result = build_candidates(features, geo.gemeinden, geo.kreis_wgs84, store.offers(), upload.name)
                added, known = store.add_candidates(result.neu)
            except AtlasError as exc:
                st.error(str(exc))
            else:
                st.success(f"{added} neue Vorschläge; {known} waren schon in der Liste, {len(result.duplikate)} sind "
                           f"schon im Register, {result.ausserhalb} liegen außerhalb des Landkreises.")
    queue = store.candidates("offen")
    if not queue:
        st.info("Keine offenen Vorschläge.")
        return
    st.dataframe(pd.DataFrame(queue, columns=["nr", "name", "kategorie", "ort", "strasse", "website"]),
                 hide_index=True, width="stretch")
    nr = st.selectbox("Vorschlag", [c["nr"] for c in queue],
                      format_func=lambda n: next(f"{c['nr']} – {c['name']}" for c in queue if c["nr"] == n))
    col1, col2 = st.columns(2)
    if col1.button("Ins Register übernehmen"):
        try:
            offer = store.accept_candidate(int(nr), user, ctx=_context())
            st.success(f"Übernommen als {offer['id']}.")
        except AtlasError as exc:
            st.error(str(exc))
    if col2.button("Verwerfen"):
        store.reject_candidate(int(nr), user)
        st.success("Verworfen.")


def _reports_tab(store, user: str) -> None:
    status = st.radio("Meldungen", ["offen", "erledigt", "abgelehnt"], horizontal=True)
    reports = store.reports(status)
    if not reports:
        st.info("Keine Meldungen.")
        return
    st.dataframe(pd.DataFrame([{"Nr.": r["nr"], "Art": ALL_REPORT_KINDS.get(str(r["art"]), r["art"]), "Angebot": r["name"],
                                "Ort": r["ort"], "Beschreibung": r["beschreibung"], "Kontakt": r["kontakt"],
                                "eingegangen": r["eingegangen"]} for r in reports]), hide_index=True, width="stretch")
    if status == "offen":
        nr = st.selectbox("Meldung bearbeiten", [r["nr"] for r in reports])
        note = st.text_input("Notiz")
        col1, col2 = st.columns(2)
        if col1.button("Erledigt"):
            store.set_report_status(int(nr), "erledigt", user, note)
            st.rerun()
        if col2.button("Ablehnen"):
            store.set_report_status(int(nr), "abgelehnt", user, note)
            st.rerun()


def _maps_tab() -> None:
    st.write("Karte, Erreichbarkeit und die Familienseite lesen die Angebote aus den aufbereiteten Daten. "
             "Nach Änderungen im Register hier neu aufbauen, damit sie dort erscheinen.")
    if st.button("Karten jetzt aktualisieren", key="register_rebuild"):
        with st.spinner("Daten werden neu aufbereitet …"):
            try:
                result = build()
            except AtlasError as exc:
                st.error(f"Die Daten konnten nicht neu aufbereitet werden: {exc}")
                return
        offers = result.manifest_data["angebote"]
        on_map = sum(offers["verortet"].values())
        st.success(f"Aktualisiert: {on_map} Angebote auf der Karte, {len(offers['ohne_lage'])} ohne Kartenlage.")


st.title("Register (Verwaltung)")
editor = _login()
if editor:
    register = get_store()
    with st.sidebar:
        st.write(f"Angemeldet als **{html.escape(editor)}**")
        if st.button("Abmelden"):
            st.session_state.pop("register_admin_user", None)
            if _oidc_user():
                st.logout()
            st.rerun()
    tabs = st.tabs(["Angebote", "Neues Angebot", "Import", "Export", "OSM-Vorschläge", "Meldungen",
                    "Karten aktualisieren"])
    with tabs[0]:
        _offer_tab(register, editor)
    with tabs[1]:
        _new_tab(register, editor)
    with tabs[2]:
        _import_tab(register, editor)
    with tabs[3]:
        _export_tab(register)
    with tabs[4]:
        _osm_tab(register, editor)
    with tabs[5]:
        _reports_tab(register, editor)
    with tabs[6]:
        _maps_tab()
attribution_footer(["Angebotsregister: eigene Zusammenstellung aus öffentlichen Quellen (siehe quelle_url)",
                    "OpenStreetMap-Vorschläge: © OpenStreetMap contributors (ODbL)"])
