"""Register page in a real browser (issue 12, bars): login, edit, conflict and "Neu laden", import preview
and commit, report moderation – and two editors pressing "Karten jetzt aktualisieren" at the same moment
while ten other sessions load pages: no page shows an error and atlas.gpkg stays readable.

The app runs on a COPY of the session's build (the rebuild writes into its data folder) with its own
SQLite register and a secrets file with one SYNTHETIC user."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyogrio
import pytest

from atlas import settings
from atlas.build import LAYER_NAMES
from atlas.register.auth import hash_password
from atlas.register.store import RegisterStore
from tests.browser.conftest import _running_app
from tests.fixtures.synthetic_register import csv_bytes, synthetic_rows

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-geheim-123"
OTHER_PAGES = ["/", "/karte", "/angebote-finden", "/indikatoren", "/profil", "/erreichbarkeit", "/quellen",
               "/meldung", "/bus-und-bahn", "/barrierefreiheit"]


class AdminApp:
    def __init__(self, url: str, data: Path):
        self.url = url
        self.data = data
        self.store = RegisterStore.open(f"sqlite:///{data / 'register.sqlite'}")


@pytest.fixture(scope="module")
def admin_app(built, tmp_path_factory) -> Iterator[AdminApp]:
    data = tmp_path_factory.mktemp("admin-data")
    for name in (settings.GPKG_NAME, settings.MANIFEST_NAME):
        shutil.copy2(built.gpkg.parent / name, data / name)
    secrets = data / "secrets.toml"
    secrets.write_text(f'[admin]\nusers = {{ anna = "{hash_password(PASSWORD)}" }}\n', encoding="utf-8")
    url_db = f"sqlite:///{data / 'register.sqlite'}"
    store = RegisterStore.open(url_db)
    store.seed_from_atlas(data / settings.GPKG_NAME)
    store.dispose()
    with _running_app(data, ("--secrets.files", str(secrets)), {"ATLAS_DATABASE_URL": url_db}) as url:
        app = AdminApp(url, data)
        yield app
        app.store.dispose()


def _settle(page, timeout: float = 60_000) -> None:
    page.wait_for_timeout(400)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)


def _login(page, url: str) -> None:
    page.goto(f"{url}/register")
    _settle(page)
    page.get_by_label("Benutzername").fill("anna")
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("tab", name="Angebote").wait_for(timeout=60_000)
    _settle(page)


def _edit_form(page):
    """The edit form of the "Angebote" tab (the first form; the "Neues Angebot" form has the same labels)."""
    return page.get_by_test_id("stForm").first


def _no_errors(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Fehler aufgetreten").count() == 0
    assert page.get_by_text("Traceback").count() == 0


def test_login_edit_conflict_and_reload(admin_app: AdminApp, desktop_page) -> None:
    page = desktop_page.page
    _login(page, admin_app.url)
    version = int(admin_app.store.offer("SM-0001")["version"])  # type: ignore[index]
    _edit_form(page).get_by_label("Telefon", exact=True).fill("03693 4711")
    page.get_by_role("button", name="Änderungen speichern").click()
    page.get_by_text(f"Gespeichert (Version {version + 1}).").wait_for(timeout=30_000)
    assert admin_app.store.offer("SM-0001")["telefon"] == "03693 4711"  # type: ignore[index]

    # somebody else saves first: conflict, then "Neu laden" shows their state and saving works again
    _edit_form(page).get_by_label("Öffnungszeiten", exact=True).fill("Mo 8-12 Uhr")
    admin_app.store.update_offer("SM-0001", {"telefon": "03693 9999"}, version + 1, "ben")
    page.get_by_role("button", name="Änderungen speichern").click()
    page.get_by_text("NICHT gespeichert").first.wait_for(timeout=30_000)
    page.get_by_role("button", name="Neu laden").click()
    _settle(page)
    assert _edit_form(page).get_by_label("Telefon", exact=True).input_value() == "03693 9999"
    assert page.get_by_role("button", name="Neu laden").count() == 0
    _edit_form(page).get_by_label("Öffnungszeiten", exact=True).fill("Mo 8-12 Uhr")
    page.get_by_role("button", name="Änderungen speichern").click()
    page.get_by_text(f"Gespeichert (Version {version + 3}).").wait_for(timeout=30_000)
    offer = admin_app.store.offer("SM-0001")
    assert offer["telefon"] == "03693 9999" and offer["oeffnungszeiten"] == "Mo 8-12 Uhr"  # type: ignore[index]
    _no_errors(page)


def test_import_preview_and_commit(admin_app: AdminApp, desktop_page, tmp_path: Path) -> None:
    page = desktop_page.page
    _login(page, admin_app.url)
    before = admin_app.store.count()
    upload = tmp_path / "neue_angebote.csv"
    upload.write_bytes(csv_bytes(synthetic_rows(3, start=501)))
    page.get_by_role("tab", name="Import").click()
    page.locator("input[type=file][accept*='.csv']").set_input_files(str(upload))
    page.get_by_text("Alle 3 Zeilen sind in Ordnung").wait_for(timeout=60_000)
    page.get_by_role("button", name="Alle 3 Angebote übernehmen").click()
    page.get_by_text("3 Angebote gespeichert").wait_for(timeout=60_000)
    assert admin_app.store.count() == before + 3
    _no_errors(page)


def test_report_moderation(admin_app: AdminApp, desktop_page, browser) -> None:
    public = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    public.goto(f"{admin_app.url}/meldung")
    _settle(public)
    public.get_by_label("Name des Angebots").fill("Tafel Wasungen")
    public.get_by_label("Was fehlt oder was ist falsch?").fill("Die Tafel in Wasungen fehlt im Atlas.")
    public.get_by_label("E-Mail oder Telefon für Rückfragen (freiwillig)").fill("melder@beispiel.de")
    public.get_by_role("button", name="Meldung senden").click()
    public.get_by_text("Danke! Ihre Meldung ist eingegangen").wait_for(timeout=30_000)
    public.context.close()
    nr = admin_app.store.reports("offen")[0]["nr"]

    page = desktop_page.page
    _login(page, admin_app.url)
    page.get_by_role("tab", name="Meldungen").click()
    _settle(page)
    page.get_by_role("button", name="Erledigt").click()
    _settle(page)
    report = next(r for r in admin_app.store.reports() if r["nr"] == nr)
    assert report["status"] == "erledigt" and report["bearbeitet_von"] == "anna"
    assert report["kontakt"] == ""  # no longer needed once the report is closed
    _no_errors(page)


def test_two_rebuilds_at_once_while_ten_sessions_load_pages(admin_app: AdminApp, browser) -> None:
    contexts = [browser.new_context(viewport={"width": 1200, "height": 900}) for _ in range(12)]
    try:
        editors = [c.new_page() for c in contexts[:2]]
        readers = [c.new_page() for c in contexts[2:]]
        for page in editors:
            _login(page, admin_app.url)
            page.get_by_role("tab", name="Karten aktualisieren").click()
            _settle(page)
        buttons = [p.get_by_role("button", name="Karten jetzt aktualisieren") for p in editors]
        for button in buttons:  # both clicks go out before either build has finished
            button.click(no_wait_after=True)
        for page, path in zip(readers, OTHER_PAGES, strict=True):
            page.goto(f"{admin_app.url}{path}", wait_until="commit")
        for page in editors:
            page.get_by_text("Aktualisiert:").wait_for(timeout=180_000)
        for page in readers:
            _settle(page, timeout=180_000)
        for page in editors + readers:
            _no_errors(page)
            assert page.locator("[data-testid='stAlertContentError']").count() == 0, page.url
    finally:
        for context in contexts:
            context.close()
    gpkg = admin_app.data / settings.GPKG_NAME
    assert {name for name, _ in pyogrio.list_layers(gpkg)} >= set(LAYER_NAMES)
    for name in LAYER_NAMES:
        pyogrio.read_dataframe(gpkg, layer=name)
    manifest = json.loads((admin_app.data / settings.MANIFEST_NAME).read_text("utf-8"))
    assert manifest["angebote"]["quelle"] == "register"
    assert [p.name for p in admin_app.data.iterdir() if p.name.startswith(".atlas-build-")] == []


def test_register_after_login_has_no_english_control_text(admin_app: AdminApp, desktop_page) -> None:
    """Issue 13 point 9 behind the login: every tab of the register (file upload, tables, dropdowns) in German."""
    from tests.browser.test_german_controls_browser import english_words

    page = desktop_page.page
    _login(page, admin_app.url)
    found: dict[str, list[str]] = {}
    for tab in ("Angebote", "Neues Angebot", "Import", "Export", "OSM-Vorschläge", "Meldungen", "Karten aktualisieren"):
        page.get_by_role("tab", name=tab).click()
        _settle(page)
        if words := english_words(page):
            found[tab] = words
    page.get_by_role("tab", name="Import").click()
    _settle(page)
    uploads = " ".join(page.locator("[data-testid='stFileUploader']").all_inner_texts())
    assert "Hochladen" in uploads and "bis 200 MB je Datei" in uploads  # the file upload of the Import tab
    assert found == {}
    _no_errors(page)
