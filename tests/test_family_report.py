"""The family page carries the public report form; a report lands in the moderation queue only."""

from __future__ import annotations

from unittest import mock

from streamlit.testing.v1 import AppTest

from atlas import settings
from atlas.register.store import RegisterStore


def test_report_from_family_page_goes_to_queue(built, monkeypatch, tmp_path, source_angebote):
    url = f"sqlite:///{tmp_path / 'register.sqlite'}"
    monkeypatch.setenv("ATLAS_DATA_DIR", str(built.gpkg.parent))
    monkeypatch.setenv("ATLAS_DATABASE_URL", url)
    with mock.patch("streamlit_folium.st_folium", return_value={}):
        at = AppTest.from_file(str(settings.PROJECT_ROOT / "app.py"), default_timeout=90)
        at.switch_page("pages/angebote_finden.py")
        at.run()
        assert not at.exception
        assert any(e.label == "Angebot fehlt oder Angaben falsch? Hier melden" for e in at.expander)
        at.text_input(key="meldung_familien_name").set_value("Krabbelgruppe Rosa")
        at.text_area(key="meldung_familien_text").set_value("Gibt es seit 2025 im Gemeindehaus.")
        submit = next(b for b in at.button if b.label == "Meldung senden")
        submit.click().run()
        assert not at.exception
        assert "Danke! Ihre Meldung ist eingegangen und wird geprüft." in [s.value for s in at.success]
    store = RegisterStore.open(url)
    queue = store.reports("offen")
    assert [r["name"] for r in queue] == ["Krabbelgruppe Rosa"]
    assert store.count() == len(source_angebote)  # the register (seeded from the source file) is unchanged
