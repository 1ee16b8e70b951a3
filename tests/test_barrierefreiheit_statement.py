"""Erklärung zur Barrierefreiheit: the statement file, its checks, and barrier reports in the moderation queue."""

from __future__ import annotations

import pytest

from atlas.accessibility_statement import STATEMENT_FILE, load_statement
from atlas.errors import CatalogueError
from atlas.register.reports import ALL_REPORT_KINDS, BARRIER_KIND, REPORT_KINDS, ReportInput, check_report
from atlas.register.store import RegisterStore


def test_shipped_statement_has_every_part_bitv_asks_for():
    statement = load_statement()
    assert statement.status in ("vereinbar", "teilweise_vereinbar", "nicht_vereinbar")
    assert statement.status_text.startswith("Der Standortatlas ist mit der BITV 2.0")
    if statement.status != "vereinbar":
        assert statement.luecken, "eine teilweise Vereinbarkeit braucht die bekannten Lücken"
    assert statement.feedback
    assert statement.durchsetzung.url.startswith("https://")
    assert any("BITV 2.0" in r for r in statement.rechtsgrundlagen)


def test_broken_statement_names_file_and_field(tmp_path):
    broken = tmp_path / "barrierefreiheit.yaml"
    text = STATEMENT_FILE.read_text(encoding="utf-8").replace("status: teilweise_vereinbar", "status: fast")
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"barrierefreiheit\.yaml: Feld 'status'"):
        load_statement(broken)
    missing = tmp_path / "fehlt.yaml"
    with pytest.raises(CatalogueError, match="fehlt"):
        load_statement(missing)
    (tmp_path / "leer.yaml").write_text("andere: 1\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="'erklaerung:' fehlt"):
        load_statement(tmp_path / "leer.yaml")


def test_barrier_report_is_a_known_kind_but_not_an_offer_report_option():
    assert BARRIER_KIND in ALL_REPORT_KINDS and BARRIER_KIND not in REPORT_KINDS
    ok = ReportInput(art=BARRIER_KIND, beschreibung="Die Karte lässt sich nicht mit der Tastatur bedienen.",
                     name="Karte")
    assert check_report(ok) == []
    short = ReportInput(art=BARRIER_KIND, beschreibung="kaputt")
    assert check_report(short) == ["Bitte kurz beschreiben, welche Barriere Sie bemerkt haben (mindestens 10 Zeichen)."]


def test_barrier_report_lands_in_the_moderation_queue(tmp_path):
    store = RegisterStore.open(f"sqlite:///{tmp_path / 'register.sqlite'}")
    nr = store.add_report(BARRIER_KIND, "Kontrast der Hinweise zu schwach.", "Start", "", "")
    queued = store.reports(status="offen")
    assert [(r["nr"], r["art"], r["name"]) for r in queued] == [(nr, BARRIER_KIND, "Start")]


def test_statement_page_sends_a_barrier_report_to_the_moderation_queue(built, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    from atlas import settings
    from atlas._helpers import escape_markdown

    url = f"sqlite:///{tmp_path / 'register.sqlite'}"
    monkeypatch.setenv("ATLAS_DATA_DIR", str(built.gpkg.parent))
    monkeypatch.setenv("ATLAS_DATABASE_URL", url)
    at = AppTest.from_file(str(settings.PROJECT_ROOT / "app.py"), default_timeout=90)
    at.switch_page("pages/barrierefreiheit.py")
    at.run()
    assert not at.exception
    statement = load_statement()
    shown = " ".join(str(m.value) for m in at.markdown)
    assert f"]({statement.durchsetzung.url})" in shown and escape_markdown(statement.stand) in shown
    assert [h.value for h in at.header][:2] == ["Wie barrierefrei ist der Standortatlas?",
                                                 "Was noch nicht barrierefrei ist"]
    at.selectbox(key="barriere_meldung_seite").set_value("Karte")
    at.text_area(key="barriere_meldung_text").set_value("Die Legende ist mit der Lupe schwer zu lesen.")
    next(b for b in at.button if b.label == "Barriere melden").click().run()
    assert not at.exception
    assert any("Ihre Meldung ist eingegangen" in s.value for s in at.success)
    queue = RegisterStore.open(url).reports("offen")
    assert [(r["art"], r["name"], r["beschreibung"]) for r in queue] == [
        (BARRIER_KIND, "Karte", "Die Legende ist mit der Lupe schwer zu lesen.")]
