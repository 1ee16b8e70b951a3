"""Topics, target-group keyword rules, step-free rules and opening hours – on real register rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from atlas.errors import CatalogueError
from atlas.offer_search.i18n import Texts, load_texts
from atlas.offer_search.opening_hours import GESCHLOSSEN, OFFEN, UNBEKANNT, parse_opening_hours, status_on
from atlas.offer_search.search import index_from_atlas
from atlas.offer_search.targets import (
    groups_of,
    load_themen,
    load_zielgruppen,
    load_zugang,
    unmapped_kategorien,
)


@pytest.fixture(scope="module")
def index(atlas_data):
    return index_from_atlas(atlas_data)


def by_id(index, offer_id):
    return next(o for o in index.offers + index.unplaced if o["id"] == offer_id)


def test_every_register_category_has_exactly_one_topic(atlas_data):
    themen = load_themen()
    assert unmapped_kategorien(set(atlas_data.angebote["kategorie"]), themen) == []
    cats = [k for t in themen for k in t.kategorien]
    assert len(cats) == len(set(cats))


def test_topics_name_only_real_handlungsfelder():
    from atlas.indicators import load_handlungsfelder
    labels = {h.label for h in load_handlungsfelder()}
    assert all(set(t.handlungsfelder) <= labels for t in load_themen())


@pytest.mark.parametrize(("offer_id", "expected", "not_expected"), [
    ("SM-0001", {"schwangere_baby", "familien", "jugendliche"}, {"senioren"}),   # Frühe Hilfen: werdende Eltern
    ("SM-0003", {"familien", "jugendliche", "senioren"}, {"kita_kinder"}),        # "(Kita-Anmeldung)" excluded
    ("SM-0065", {"auszubildende"}, {"schulkinder"}),                             # Berufsschüler are no Schulkinder
])
def test_target_group_rules_on_real_rows(index, offer_id, expected, not_expected):
    groups = set(by_id(index, offer_id).zielgruppen)
    assert expected <= groups
    assert not (not_expected & groups)


def test_target_group_counts_on_the_register(index):
    kitas = {o["id"] for o in index.offers if o["kategorie"] == "Kita"}
    assert kitas and {o["id"] for o in index.offers if "kita_kinder" in o.zielgruppen} == kitas  # every Kita, nothing else
    assert [o["name"] for o in index.offers if "alleinerziehende" in o.zielgruppen] == ["Tafel Meiningen"]  # only it says so
    tafel = [o["name"] for o in index.offers if "alleinerziehende" in o.zielgruppen]
    assert tafel == ["Tafel Meiningen"]


def test_group_rule_functions():
    groups = load_zielgruppen()
    assert groups_of("Kita", "", groups) == ("kita_kinder",)
    assert "zugewanderte" in groups_of("Sozialberatung", "Geflüchtete, Zugewanderte und Einheimische", groups)
    assert "alle" in groups_of("Bibliothek", "alle Altersgruppen", groups)
    assert "alle" not in groups_of("Sozialberatung", "Fachkräfte", groups)


def test_step_free_is_never_guessed(index):
    assert by_id(index, "SM-0097").stufenfrei == "unbekannt"
    rules = load_zugang()
    assert rules.classify({"zielgruppe": "Zugang nicht barrierefrei"})[0] == "nein"
    assert rules.classify({"zielgruppe": "Gebäude generalsaniert, barrierefrei"}) == (
        "ja", "Gebäude generalsaniert, barrierefrei")
    assert rules.classify({"zielgruppe": "Kinder Klasse 1–4"}) == ("unbekannt", "")


def test_broken_rule_files_give_german_messages(tmp_path: Path):
    bad = tmp_path / "zielgruppen.yaml"
    bad.write_text("zielgruppen:\n  - id: x\n    label: {de: X, en: X}\n    muster: ['(']\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"Zielgruppe 'x', Feld 'muster': das Muster '\(' ist kein gültiger"):
        load_zielgruppen(bad)
    bad_topic = tmp_path / "themen.yaml"
    bad_topic.write_text("themen:\n  - id: a\n    label: {de: A, en: A}\n    handlungsfelder: [Quatsch]\n"
                         "    kategorien: [Kita]\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"Thema 'a', Feld 'handlungsfelder': unbekannt oder leer"):
        load_themen(bad_topic)
    missing_en = tmp_path / "z2.yaml"
    missing_en.write_text("zielgruppen:\n  - id: y\n    label: {de: Y}\n    muster: [y]\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="braucht einen deutschen und einen englischen Text"):
        load_zielgruppen(missing_en)


# ------------------------------------------------------------------------------- opening hours

WED, SAT1, SAT2, SUN = date(2026, 11, 25), date(2026, 12, 5), date(2026, 12, 12), date(2026, 11, 29)


@pytest.mark.parametrize(("text", "day", "art", "zeiten"), [
    ("Mo–Fr 6–17 Uhr", WED, OFFEN, ((360, 1020),)),
    ("Mo–Fr 6–17 Uhr", SUN, GESCHLOSSEN, ()),
    ("Di und Do 13.00–18.00 Uhr (lt. Quelle)", WED, GESCHLOSSEN, ()),
    ("Mo, Di, Fr 8.30–12 Uhr; Do 8.30–12 und 13–17.30 Uhr (offene Sprechzeiten)", date(2026, 11, 26), OFFEN,
     ((510, 720), (780, 1050))),
    ("Mo–Mi 08:00–16:00, Do 08:00–18:00, Fr 08:00–12:00, 1. Samstag im Monat 09:00–12:00", SAT1, OFFEN,
     ((540, 720),)),
    ("Mo–Mi 08:00–16:00, Do 08:00–18:00, Fr 08:00–12:00, 1. Samstag im Monat 09:00–12:00", SAT2, GESCHLOSSEN, ()),
    ("Mo 09:00–13:00, Mi 10:00–16:00, Fr 12:00–17:00; sonst nach Vereinbarung", date(2026, 11, 24), UNBEKANNT, ()),
    ("Mittwoch und Freitag 15:00–16:30", WED, OFFEN, ((900, 990),)),
    ("Di 8.30–12 Uhr, Do 13–17.30 Uhr (Zimmer 3.14)", date(2026, 11, 24), OFFEN, ((510, 720),)),
])
def test_unambiguous_hours(text, day, art, zeiten):
    status = status_on(text, day)
    assert status.art == art
    assert status.zeiten == zeiten


@pytest.mark.parametrize("text", [
    "Betreuung 6:30–16:30 Uhr",                       # no weekday
    "Unterricht werktags 8–13 Uhr (lt. Quelle)",       # "werktags" is ambiguous
    "Ausgabetage Mittwoch und Freitag",               # days without times
    "Ausgabe Mo 13:00–14:30, Mi 13:30–15:00, Fr 13:30–15:00 (Zeiten lt. Sozialwerk-Seite, vor Umzug); "
    "seit Juli 2024 Ausgabe mo/mi/fr im Brückenweg",  # outdated
    "Mo 18–9 Uhr", "Mo 25–26 Uhr", "Fr–Mo 8–12 Uhr", "<b>Mo</b> 8–12",
])
def test_ambiguous_hours_are_unknown(text):
    assert parse_opening_hours(text) is None
    assert status_on(text, WED).art == UNBEKANNT


def test_holiday_and_empty():
    assert status_on("Mo–Fr 6–17 Uhr", date(2026, 10, 3)).art == GESCHLOSSEN   # holiday on a Saturday: closed anyway
    may_day = status_on("Mo–Fr 6–17 Uhr", date(2026, 5, 1))                    # Friday, Tag der Arbeit
    assert (may_day.art, may_day.grund) == (UNBEKANNT, "feiertag")
    assert status_on("Mo–Fr 6–17 Uhr", date(2026, 9, 21)).art == OFFEN          # Monday after Weltkindertag
    assert status_on("", WED).grund == "keine_angabe"


def test_translation_table_is_complete():
    table = load_texts()
    assert all(set(v) == {"de", "en"} for v in table.values())
    assert Texts("de").km(2704 * 1.3) == "ca. 3,5 km"
    assert Texts("en").km(12_345) == "approx. 12 km"
    assert Texts("de").km(640) == "unter 1 km"
    assert Texts("de").minutes(136.3) == "ca. 2 Std. 16 Min."
    assert Texts("en").minutes(14) == "approx. 14 min"
