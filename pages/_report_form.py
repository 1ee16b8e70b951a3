"""Reusable public form "Angebot fehlt / Angaben falsch" and the cached register store.

``render_report_form()`` can be called from any public page (e.g. the family page). A report goes into
the moderation queue and never changes the register directly; it is rate-limited per browser session
and for the whole site.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import streamlit as st

from atlas import settings
from atlas.atlasdata import data_version
from atlas.errors import AtlasError
from atlas.register.importer import RegisterGeodata, load_geodata
from atlas.register.reports import (
    BARRIER_KIND, GLOBAL_WINDOW_S, REPORT_KINDS, ReportGate, ReportInput, check_report, wait_message,
)
from atlas.register.store import RegisterStore, database_url
from pages._common import get_data


@st.cache_resource(show_spinner=False)
def _open_store(url: str, gpkg: str, version: str) -> RegisterStore:
    store = RegisterStore.open(url)
    store.seed_from_atlas(gpkg)
    return store


def get_store() -> RegisterStore:
    """The register store (seeded from the built public-sources register on first start)."""
    data = get_data()
    try:
        return _open_store(database_url(), str(data.path), data.version)
    except AtlasError as exc:
        st.error(f"Das Angebotsregister ist nicht erreichbar: {exc}")
        st.stop()
        raise  # pragma: no cover - st.stop raises


@st.cache_resource(show_spinner=False)
def _geodata(gpkg: str, version: str) -> RegisterGeodata:
    return load_geodata(gpkg)


def get_geodata() -> RegisterGeodata:
    """Gemeinden, localities and outline from the build (for checks and placement)."""
    return _geodata(str(settings.gpkg_path()), data_version())


@st.cache_resource(show_spinner=False)
def _gate() -> ReportGate:
    return ReportGate()


def _client_key() -> str | None:
    """The sender's address as Streamlit sees it (None when unknown, e.g. in tests)."""
    try:
        return st.context.ip_address or None
    except AttributeError:
        return None


def _session_key() -> str:
    if "_meldung_sitzung" not in st.session_state:
        st.session_state["_meldung_sitzung"] = uuid.uuid4().hex
    return str(st.session_state["_meldung_sitzung"])


#: German wording of the offer report form; the family page passes its translation table (same keys).
_FORM_DE: dict[str, str] = {
    "melden_titel": "Angebot fehlt oder Angaben falsch?",
    "melden_hinweis": "Ihre Meldung wird von der Sozialplanung geprüft, bevor etwas im Register geändert wird. "
                      "Bitte keine Gesundheits- oder anderen persönlichen Daten eintragen.",
    "melden_was": "Was möchten Sie melden?", "melden_fehlt": REPORT_KINDS["fehlt"],
    "melden_falsch": REPORT_KINDS["falsch"], "melden_name": "Name des Angebots",
    "melden_ort": "Ort (Gemeinde oder Ortsteil)", "melden_beschreibung": "Was fehlt oder was ist falsch?",
    "melden_kontakt": "E-Mail oder Telefon für Rückfragen (freiwillig)", "melden_senden": "Meldung senden",
    "melden_nicht_gesendet": "Die Meldung wurde nicht gesendet:",
    "melden_danke": "Danke! Ihre Meldung ist eingegangen und wird geprüft.",
}


def render_report_form(key: str = "meldung", angebot_id: str = "", angebot_name: str = "",
                       words: Callable[[str], str] | None = None) -> None:
    """Draw the report form; on sending, check, rate-limit and queue the report (*words*: translation, default German)."""
    w: Callable[[str], str] = words or _FORM_DE.__getitem__
    st.subheader(w("melden_titel"))
    st.caption(w("melden_hinweis"))
    with st.form(key, clear_on_submit=False):
        art = st.radio(w("melden_was"), list(REPORT_KINDS), format_func=lambda kind: w(f"melden_{kind}"),
                       horizontal=True, key=f"{key}_art")
        name = st.text_input(w("melden_name"), value=angebot_name, max_chars=300, key=f"{key}_name")
        ort = st.text_input(w("melden_ort"), max_chars=300, key=f"{key}_ort")
        beschreibung = st.text_area(w("melden_beschreibung"), max_chars=2000, key=f"{key}_text")
        kontakt = st.text_input(w("melden_kontakt"), max_chars=300, key=f"{key}_kontakt")
        sent = st.form_submit_button(w("melden_senden"))
    if not sent:
        return
    report = ReportInput(art=str(art), beschreibung=beschreibung.strip(), name=name.strip(), ort=ort.strip(),
                         kontakt=kontakt.strip(), angebot_id=angebot_id)
    problems = check_report(report)
    if problems:
        st.error(w("melden_nicht_gesendet") + "\n\n" + "\n".join(f"- {p}" for p in problems))
        return
    _queue(report, w("melden_danke"))


def _queue(report: ReportInput, thanks: str) -> None:
    """Rate-limit (:class:`atlas.register.reports.ReportGate`) and store a checked report; tell the sender."""
    store = get_store()
    since = (datetime.now(timezone.utc) - timedelta(seconds=GLOBAL_WINDOW_S)).isoformat(timespec="seconds")
    wait = _gate().take(_session_key(), _client_key(), time.time(), store.reports_since(since))
    if wait == float("inf"):
        st.warning("Gerade gehen sehr viele Meldungen ein. Bitte versuchen Sie es später noch einmal.")
        return
    if wait > 0:
        st.warning(f"Sie haben in kurzer Zeit schon mehrere Meldungen gesendet. {wait_message(wait)}")
        return
    store.add_report(report.art, report.beschreibung, report.name, report.ort, report.kontakt, report.angebot_id or None)
    st.success(thanks)


def render_barrier_form(key: str, pages: list[str]) -> None:
    """Feedback on barriers in the atlas (BITV 2.0): same moderation queue and limits as offer reports."""
    with st.form(key, clear_on_submit=False):
        page = st.selectbox("Auf welcher Seite?", pages, key=f"{key}_seite")
        beschreibung = st.text_area("Welche Barriere haben Sie bemerkt? Was hätten Sie gebraucht?", max_chars=2000,
                                    key=f"{key}_text")
        kontakt = st.text_input("E-Mail oder Telefon für eine Antwort (freiwillig)", max_chars=300,
                                key=f"{key}_kontakt")
        sent = st.form_submit_button("Barriere melden")
    if not sent:
        return
    report = ReportInput(art=BARRIER_KIND, beschreibung=beschreibung.strip(), name=str(page), kontakt=kontakt.strip())
    problems = check_report(report)
    if problems:
        st.error("Die Meldung wurde nicht gesendet:\n\n" + "\n".join(f"- {p}" for p in problems))
        return
    _queue(report, "Danke! Ihre Meldung ist eingegangen. Die Sozialplanung prüft sie und antwortet, wenn Sie "
                   "einen Kontakt angegeben haben.")
