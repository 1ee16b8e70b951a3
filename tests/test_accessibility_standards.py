"""The standards file geodata/standards.yaml and its loader's German error messages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from atlas.accessibility import StandardsError, check_categories, load_standards, standards_for
from atlas.accessibility.standards import adjusted_standard, load_register_notes, parse_standards
from atlas.settings import source_dir

VALID = {
    "id": "kita-pkw-15min", "kategorie": "Kita", "label": "Kita", "mode": "car", "schwelle": 15,
    "einheit": "min", "art": "deskriptiv", "quelle": "Thünen-Institut",
}


@pytest.mark.data
def test_project_file_loads_and_matches_offer_categories() -> None:
    std = load_standards()
    assert {"grundschule-fuss-2km", "kita-pkw-15min", "krankenhaus-pkw-30min", "erziehungsberatung-pkw-30min"} <= set(std)
    g = std["grundschule-fuss-2km"]
    assert (g.mode, g.schwelle, g.einheit, g.vergleich) == ("walk", 2.0, "km", ">=")
    assert "ThürSchFG" in g.quelle
    assert std["krankenhaus-pkw-30min"].schwelle == 30 and "G-BA" in std["krankenhaus-pkw-30min"].quelle
    assert std["kita-pkw-15min"].art == "deskriptiv"
    assert "RIN" in std["erziehungsberatung-pkw-30min"].quelle
    assert any("Regionalplan Südwestthüringen" in s.quelle and s.schwelle == 20 for s in std.values())
    offers = pd.read_csv(source_dir() / "angebote_sm_oeffentliche_quellen.csv")
    # every standard names a register category – except Schuldnerberatung, which the register lacks
    # (kept on purpose so that the gap shows on the page)
    with pytest.raises(StandardsError) as exc:
        check_categories(std, set(offers["kategorie"]))
    assert str(exc.value).endswith(": schuldnerberatung-pkw-30min ('Schuldnerberatung').")
    check_categories(std, set(offers["kategorie"]) | {"Schuldnerberatung"})
    assert [s.id for s in standards_for("Grundschule", std)] == ["grundschule-fuss-2km"]


def test_unknown_category_reported() -> None:
    std = parse_standards({"standards": [VALID]})
    with pytest.raises(StandardsError, match=r"kita-pkw-15min \('Kita'\)"):
        check_categories(std, {"Grundschule"})


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"einheit": "h"}, "Feld 'einheit' muss einer der Werte 'km' oder 'min' sein (angegeben: 'h')"),
        ({"schwelle": 0}, "Feld 'schwelle' muss größer als 0 sein"),
        ({"schwelle": "viel"}, "Feld 'schwelle' muss eine Zahl sein"),
        ({"mode": "bus"}, "Feld 'mode' muss einer der Werte"),
        ({"vergleich": "<"}, "Feld 'vergleich' muss einer der Werte"),
        ({"quelle_url": "keine url"}, "Feld 'quelle_url' hat nicht die erwartete Form"),
        ({"farbe": "rot"}, "Feld 'farbe' ist kein bekanntes Feld"),
        ({"quelle": None}, "Feld 'quelle' muss ein Text sein"),
    ],
)
def test_invalid_entry_names_entry_and_field(change: dict, fragment: str) -> None:
    entry = {**VALID, **change}
    with pytest.raises(StandardsError) as exc:
        parse_standards({"standards": [VALID | {"id": "ok-1"}, entry]}, source="standards.yaml")
    msg = str(exc.value)
    assert msg.startswith("standards.yaml, Eintrag 2 (id 'kita-pkw-15min'): ")
    assert fragment in msg


def test_missing_field_and_duplicates() -> None:
    entry = {k: v for k, v in VALID.items() if k != "einheit"}
    with pytest.raises(StandardsError, match="Eintrag 1 \\(id 'kita-pkw-15min'\\): Feld 'einheit' fehlt"):
        parse_standards({"standards": [entry]})
    with pytest.raises(StandardsError, match="kommt mehrfach vor"):
        parse_standards({"standards": [VALID, VALID]})
    with pytest.raises(StandardsError, match="Schlüssel 'standards'"):
        parse_standards([VALID])


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(StandardsError, match="nicht gefunden"):
        load_standards(tmp_path / "fehlt.yaml")
    bad = tmp_path / "kaputt.yaml"
    bad.write_text("standards: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(StandardsError, match="kaputt.yaml: Die Datei ist kein gültiges YAML"):
        load_standards(bad)


def test_adjusted_standard_keeps_source_or_marks_own_value() -> None:
    std = load_standards()
    g = std["grundschule-fuss-2km"]
    assert adjusted_standard(g, "Grundschule") is g
    assert adjusted_standard(g, "Grundschule", mode="walk", schwelle=2, einheit="km") is g
    own = adjusted_standard(g, "Grundschule", mode="car", schwelle=7.5, einheit="min")
    assert (own.mode, own.schwelle, own.einheit, own.vergleich, own.art) == ("car", 7.5, "min", ">=", "eigene_vorgabe")
    assert own.quelle.startswith("Eigene Vorgabe auf der Seite (ersetzt: 2 km zu Fuß, Thüringer Schulfinanzierungsgesetz")
    assert own.beschreibung == "Grundschule: Pkw, jenseits ab 7,5 min"
    none = adjusted_standard(None, "Tafel")
    assert (none.id, none.mode, none.schwelle, none.einheit, none.vergleich) == ("eigen-tafel-car", "car", 20.0, "min", ">")
    assert "keinen Standard" in none.quelle
    with pytest.raises(StandardsError, match=r"^Eingabe auf der Seite, Eintrag 1 \(id 'eigen-tafel-car'\): "
                                              r"Feld 'schwelle' muss größer als 0 sein"):
        adjusted_standard(None, "Tafel", schwelle=0)
    with pytest.raises(StandardsError, match="Feld 'einheit' muss einer der Werte 'km' oder 'min' sein"):
        adjusted_standard(None, "Tafel", einheit="h")


def test_register_notes(tmp_path: Path) -> None:
    notes = load_register_notes()
    assert "rund 90 Kitas" in notes["Kita"] and "keine Schuldnerberatung" in notes["Schuldnerberatung"]
    bad = tmp_path / "s.yaml"
    bad.write_text("standards: []\nregisterhinweise: [a, b]\n", encoding="utf-8")
    with pytest.raises(StandardsError, match="'registerhinweise' muss eine Zuordnung"):
        load_register_notes(bad)
    empty = tmp_path / "e.yaml"
    empty.write_text("standards: []\n", encoding="utf-8")
    assert load_register_notes(empty) == {}
