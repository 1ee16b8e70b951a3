"""Register pages in AppTest: public report form (queue only, no admin functions), admin login with
backoff, editing with conflict message, escaping of hostile names and URLs."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
from streamlit.testing.v1 import AppTest

from atlas import settings
from atlas.register.auth import hash_password
from atlas.register.store import RegisterStore
from tests.fixtures.synthetic_register import synthetic_row

APP = settings.PROJECT_ROOT / "app.py"
PASSWORD = "richtig-geheim-123"


@pytest.fixture()
def env(built, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> RegisterStore:
    url = f"sqlite:///{tmp_path / 'register.sqlite'}"
    monkeypatch.setenv("ATLAS_DATA_DIR", str(built.gpkg.parent))
    monkeypatch.setenv("ATLAS_DATABASE_URL", url)
    store = RegisterStore.open(url)
    store.seed_from_atlas(built.gpkg)
    return store


def _app(page: str, users: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    if users is not None:
        at.secrets["admin"] = {"users": users}
    at.switch_page(page)
    return at


def test_public_report_goes_to_queue_not_register(env: RegisterStore, source_angebote) -> None:
    with mock.patch("streamlit_folium.st_folium", return_value={}):
        at = _app("pages/meldung.py")
        at.run()
        assert not at.exception
        assert at.title[0].value == "Angebot melden"
        assert not at.tabs and all(t.label != "Passwort" for t in at.text_input)
        at.text_input(key="meldung_seite_name").set_value("<script>alert(1)</script>")
        at.text_area(key="meldung_seite_text").set_value("Die Tafel in Wasungen fehlt im Atlas.")
        at.button[0].click().run()
        assert [s.value for s in at.success] == ["Danke! Ihre Meldung ist eingegangen und wird geprüft."]
        # four more within the window: the 4th report of this session is refused
        for _ in range(3):
            at.button[0].click().run()
        assert "mehrere Meldungen" in at.warning[0].value
    queue = env.reports("offen")
    assert len(queue) == 3 and queue[0]["name"] == "<script>alert(1)</script>"
    assert env.count() == len(source_angebote) and all(o["version"] == 1 for o in env.offers())


def test_admin_page_shows_nothing_without_login_and_slows_down_failures(env: RegisterStore) -> None:
    at = _app("pages/register_admin.py", {"anna": hash_password(PASSWORD)})
    at.run()
    assert not at.exception and at.title[0].value == "Register (Verwaltung)"
    assert not at.tabs and not at.dataframe
    with mock.patch("atlas.register.auth.clock", return_value=1_000_000.0):
        at.text_input[0].set_value("anna")
        at.text_input[1].set_value("falsch-falsch")
        at.button[0].click().run()
        assert at.error[0].value == "Benutzername oder Passwort ist falsch."
        at.text_input[1].set_value(PASSWORD)
        at.button[0].click().run()  # same instant: backoff of 1 s still running, even with the right password
        assert at.error[0].value == "Zu viele Fehlversuche. Bitte in 1 Sekunden erneut versuchen."
        assert not at.tabs
    with mock.patch("atlas.register.auth.clock", return_value=1_000_002.0):
        at.button[0].click().run()
    assert not at.exception and [t.label for t in at.tabs] == [
        "Angebote", "Neues Angebot", "Import", "Export", "OSM-Vorschläge", "Meldungen",
        "Karten aktualisieren"]


def test_no_users_configured_shows_setup_hint(env: RegisterStore) -> None:
    at = _app("pages/register_admin.py")
    at.run()
    assert "atlas passwort-hash" in at.warning[0].value and not at.text_input


def _logged_in(env: RegisterStore) -> AppTest:
    at = _app("pages/register_admin.py", {"anna": hash_password(PASSWORD)})
    at.session_state["register_admin_user"] = "anna"
    at.run()
    assert not at.exception
    return at


def test_second_editor_gets_conflict_message(env: RegisterStore) -> None:
    at = _logged_in(env)
    at.text_input(key="edit_SM-0001_telefon").set_value("03693 111")
    env.update_offer("SM-0001", {"telefon": "03693 222"}, 1, "ben")  # someone else saves first
    at.button[0].click().run()  # "Änderungen speichern" is the form's submit button
    errors = [e.value.replace("\\", "") for e in at.error]  # register texts are Markdown-escaped
    assert any(e.startswith("Konflikt: Das Angebot") and "von ben am" in e for e in errors)
    assert env.offer("SM-0001")["telefon"] == "03693 222"  # type: ignore[index]


def test_edit_saves_with_history(env: RegisterStore) -> None:
    at = _logged_in(env)
    at.text_input(key="edit_SM-0001_oeffnungszeiten").set_value("Mo–Fr 8–12 Uhr")
    at.button[0].click().run()
    assert any(s.value == "Gespeichert (Version 2)." for s in at.success)
    assert env.history("SM-0001")[0]["wer"] == "anna"


def test_hostile_name_and_url_render_as_text(env: RegisterStore) -> None:
    env.insert_offers([synthetic_row(1, id="AAA-1", name="<script>alert(1)</script>", website="javascript:alert(1)")],
                      "import")
    at = _logged_in(env)
    html = next(m.value for m in at.markdown if "atlas-popup" in m.value)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "javascript:alert(1)" in html and 'href="javascript' not in html


def test_reload_after_conflict_loads_the_current_version_and_saving_works_again(env: RegisterStore) -> None:
    at = _logged_in(env)
    at.text_input(key="edit_SM-0001_telefon").set_value("03693 111")
    env.update_offer("SM-0001", {"telefon": "03693 222"}, 1, "ben")
    at.button[0].click().run()
    assert any("Konflikt" in e.value for e in at.error)
    reload = next(b for b in at.button if b.label == "Neu laden")
    reload.click().run()
    assert not at.exception and not any("Konflikt" in e.value for e in at.error)
    # new widget keys after "Neu laden": the form shows the stored state, not the typed one
    assert at.text_input(key="edit_SM-0001_v1_telefon").value == "03693 222"
    at.text_input(key="edit_SM-0001_v1_telefon").set_value("03693 333")
    at.button[0].click().run()
    assert any(s.value == "Gespeichert (Version 3)." for s in at.success)
    assert env.offer("SM-0001")["telefon"] == "03693 333"  # type: ignore[index]


def test_page_exception_shows_a_german_message_and_logs_the_trace(env: RegisterStore, monkeypatch,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv("ATLAS_DEBUG", raising=False)

    def broken(*_args, **_kwargs):
        raise RuntimeError("kaputt im Inneren")

    monkeypatch.setattr("atlas.register.admin_view.offer_table", broken)
    at = _logged_in(env)
    assert not at.exception
    assert any(e.value.startswith("Auf dieser Seite ist leider ein Fehler aufgetreten") for e in at.error)
    assert all("kaputt im Inneren" not in e.value and "Traceback" not in e.value for e in at.error)
    assert "kaputt im Inneren" in caplog.text and "Traceback" in caplog.text


def test_streamlit_never_shows_error_details_to_users() -> None:
    import tomllib

    config = tomllib.loads((settings.PROJECT_ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


def test_position_editor_sets_a_point_with_history_and_refuses_outside(env: RegisterStore) -> None:
    at = _logged_in(env)
    key = "edit_SM-0001_pos_text"
    at.text_input(key=key).set_value("https://www.openstreetmap.org/#map=18/50.6923/10.3558").run()  # Schwallungen
    assert not at.exception
    save = next(b for b in at.button if b.label == "Lage speichern")
    save.click().run()
    assert any(s.value.startswith("Lage gesetzt (Version 2)") for s in at.success)
    offer = env.offer("SM-0001")
    assert offer["lage_genauigkeit"] == "punkt" and offer["lage_hinweis"] == "Punkt gesetzt (Link)"
    assert (offer["lon"], offer["lat"]) == (pytest.approx(10.3558), pytest.approx(50.6923))
    assert str(offer["ags"]).startswith("16066") and env.history("SM-0001")[0]["wer"] == "anna"
    at.text_input(key=key).set_value("48.137, 11.575").run()   # München
    assert any("außerhalb des Landkreises" in e.value for e in at.error)
    assert not any(b.label == "Lage speichern" for b in at.button)
