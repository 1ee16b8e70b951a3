"""Placement rules for offers without coordinates (synthetic fixture)."""

from __future__ import annotations

from shapely.geometry import Point

from atlas.placement import place_offers

from tests.fixtures import synthetic_places as fx


def _place(rows, confidential=()):
    return place_offers(fx.offers(rows), fx.gemeinden(), fx.orte(), confidential=confidential)


def test_ortsteil_found_inside_its_gemeinde():
    result = _place([{"id": "A", "name": "Kita", "ort": "Testdorf/Werra", "ortsteil": "Oberweiler"}])
    row = result.placed.iloc[0]
    assert row["lage_genauigkeit"] == "ortsteil"
    assert row.geometry.equals(Point(601_000, 5_609_000))
    assert row["ags"] == "99999001"


def test_ortsteil_matching_is_case_and_umlaut_tolerant():
    result = _place([{"id": "A", "name": "X", "ort": "nachbarstadt", "ortsteil": "GRENZHAUSEN"}])
    assert result.placed.iloc[0]["lage_genauigkeit"] == "ortsteil"


def test_ortsteil_of_another_gemeinde_is_not_used():
    # Grenzhausen lies in Nachbarstadt; an offer in Testdorf/Werra must not jump there.
    result = _place([{"id": "A", "name": "X", "ort": "Testdorf/Werra", "ortsteil": "Grenzhausen"}])
    row = result.placed.iloc[0]
    assert row["lage_genauigkeit"] == "gemeinde"
    assert fx.gemeinden().geometry.iloc[0].contains(row.geometry)
    assert result.notes[0]["id"] == "A"
    assert "Grenzhausen" in result.notes[0]["hinweis"]


def test_no_ortsteil_uses_main_locality_of_same_name_also_before_slash():
    result = _place([{"id": "A", "name": "X", "ort": "Testdorf/Werra", "ortsteil": ""}])
    row = result.placed.iloc[0]
    assert row["lage_genauigkeit"] == "ortsteil"
    assert row.geometry.equals(Point(605_000, 5_605_000))
    assert "Hauptort" in row["lage_hinweis"]


def test_empty_or_unknown_gemeinde_is_reported_not_dropped():
    result = _place([
        {"id": "A", "name": "X", "ort": ""},
        {"id": "B", "name": "Y", "ort": "Irgendwo"},
        {"id": "C", "name": "Z", "ort": "Nachbarstadt"},
    ])
    assert list(result.placed["id"]) == ["C"]
    reasons = dict(zip(result.unplaced["id"], result.unplaced["grund"], strict=True))
    assert "Keine Gemeinde" in reasons["A"]
    assert "Irgendwo" in reasons["B"] and "nicht im Landkreis" in reasons["B"]


def test_confidential_offers_are_never_placed():
    result = _place([{"id": "A", "name": "Frauenhaus Testdorf", "ort": "Testdorf/Werra"}],
                    confidential=["Frauenhaus"])
    assert result.placed.empty
    assert "vertraulich" in result.unplaced.iloc[0]["grund"]
