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
    # An Ortsteil no gazetteer knows in this Gemeinde falls back to the Gemeinde's main locality (as an offer
    # without an Ortsteil), not to the polygon's middle; the hint and the build notes say the Ortsteil is unknown.
    result = _place([{"id": "A", "name": "X", "ort": "Testdorf/Werra", "ortsteil": "Grenzhausen"}])
    row = result.placed.iloc[0]
    assert row["lage_genauigkeit"] == "ortsteil"
    assert row.geometry.equals(Point(605_000, 5_605_000))  # Testdorf's own locality point (fixture)
    assert fx.gemeinden().geometry.iloc[0].contains(row.geometry)
    assert "Hauptort" in row["lage_hinweis"] and "'Grenzhausen' nicht im Ortsverzeichnis" in row["lage_hinweis"]
    assert result.notes[0]["id"] == "A"
    assert "Grenzhausen" in result.notes[0]["hinweis"]
    assert set(result.levels["A"]) == {"ortsteil", "gemeinde"}


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


# ------------------------------------------------------------------ cascade with stops (synthetic)

from atlas import settings  # noqa: E402
from atlas.placement import (  # noqa: E402
    precision_label, precision_text, same_street, street_tokens, to_wgs84, typical_errors,
)
from atlas.stops import build_stops  # noqa: E402
from tests.fixtures import synthetic_stops  # noqa: E402

STOPS = {s[0]: Point(s[4], s[5]) for s in synthetic_stops.STOPS}


def _place_with_stops(rows, confidential=()):
    stops = build_stops(synthetic_stops.stops_source(), fx.gemeinden(), settings.METRIC_CRS)
    base = {"strasse": "", "kategorie": ""}
    return place_offers(fx.offers([{**base, **r} for r in rows]), fx.gemeinden(), fx.orte(),
                        confidential=confidential, stops=stops)


def _near(a, b, tol=0.5):
    return a.distance(b) <= tol


def test_street_named_stop_places_the_offer_at_street_precision():
    result = _place_with_stops([{"id": "A", "name": "Beratung", "ort": "Testdorf/Werra", "strasse": "Ernststr. 5"}])
    row = result.placed.iloc[0]
    assert row["lage_genauigkeit"] == "strasse" and "Ernststraße, Testdorf" in row["lage_hinweis"]
    assert _near(row.geometry, STOPS["9000008"])
    assert set(result.levels["A"]) == {"strasse", "ortsteil", "gemeinde"}


def test_ortsteil_from_stop_names_and_street_inside_the_ortsteil():
    result = _place_with_stops([
        {"id": "A", "name": "Kita", "ort": "Testdorf/Werra", "ortsteil": "Asbach"},
        {"id": "B", "name": "Laden", "ort": "Testdorf/Werra", "ortsteil": "Asbach", "strasse": "Talstraße 3"},
        # a street of the town 3.5 km away is not the street of an offer in Asbach
        {"id": "C", "name": "Club", "ort": "Testdorf/Werra", "ortsteil": "Asbach", "strasse": "Ernststraße 1"},
    ])
    rows = result.placed.set_index("id")
    assert rows.loc["A", "lage_genauigkeit"] == "ortsteil" and "Haltestellennamen" in rows.loc["A", "lage_hinweis"]
    assert _near(rows.loc["A", "geometry"], STOPS["9000001"])          # "Asbach Kirche": the centre
    assert rows.loc["B", "lage_genauigkeit"] == "strasse" and _near(rows.loc["B", "geometry"], STOPS["9000002"])
    assert rows.loc["C", "lage_genauigkeit"] == "ortsteil"


def test_facility_stop_only_for_the_one_facility_of_its_kind_in_the_locality():
    one = _place_with_stops([{"id": "A", "name": "GS Asbach", "kategorie": "Grundschule", "ort": "Testdorf/Werra",
                              "ortsteil": "Asbach"}])
    row = one.placed.iloc[0]
    assert row["lage_genauigkeit"] == "einrichtung" and _near(row.geometry, STOPS["9000003"])
    two = _place_with_stops([
        {"id": "A", "name": "GS Asbach", "kategorie": "Grundschule", "ort": "Testdorf/Werra", "ortsteil": "Asbach"},
        {"id": "B", "name": "RS Asbach", "kategorie": "Regelschule", "ort": "Testdorf/Werra", "ortsteil": "Asbach"},
    ])
    assert set(two.placed["lage_genauigkeit"]) == {"ortsteil"}     # "Schule" could be either


def test_register_point_is_kept_and_confidential_offers_stay_off_the_map():
    lon, lat = to_wgs84(Point(603_000, 5_603_000))
    result = _place_with_stops([
        {"id": "A", "name": "Kita", "ort": "Testdorf/Werra", "strasse": "Ernststraße 2", "lon": lon, "lat": lat,
         "lage_genauigkeit": "punkt"},
        {"id": "B", "name": "Frauenhaus", "ort": "Testdorf/Werra", "lon": lon, "lat": lat, "lage_genauigkeit": "punkt"},
        {"id": "C", "name": "Alt", "ort": "Testdorf/Werra", "strasse": "Ernststraße 2", "lon": lon, "lat": lat,
         "lage_genauigkeit": "ortsteil"},  # a derived position is derived anew
    ], confidential=["Frauenhaus"])
    rows = result.placed.set_index("id")
    assert rows.loc["A", "lage_genauigkeit"] == "punkt" and _near(rows.loc["A", "geometry"], Point(603_000, 5_603_000))
    assert rows.loc["C", "lage_genauigkeit"] == "strasse"
    assert list(result.unplaced["id"]) == ["B"] and "vertraulich" in result.unplaced.iloc[0]["grund"]
    assert result.levels["A"]["punkt"].distance(result.levels["A"]["strasse"]) > 0


def test_typical_errors_are_medians_against_the_best_better_level():
    cases = [
        {"punkt": Point(0, 0), "strasse": Point(100, 0), "ortsteil": Point(1000, 0), "gemeinde": Point(3000, 0)},
        {"strasse": Point(0, 0), "ortsteil": Point(0, 500), "gemeinde": Point(0, 2000)},
        {"ortsteil": Point(0, 0), "gemeinde": Point(0, 1000)},
    ]
    errors = typical_errors(cases)
    assert errors["strasse"].median_m == 100 and errors["strasse"].n == 1
    assert errors["ortsteil"].median_m == 750 and errors["ortsteil"].gegen == {"punkt": 1, "strasse": 1}
    assert errors["gemeinde"].median_m == 2000 and errors["gemeinde"].n == 3
    assert errors["einrichtung"].median_m is None and errors["punkt"].n == 0


def test_street_names_compare_spelling_and_abbreviations():
    assert same_street(street_tokens("Geschw.-Scholl-Straße"), street_tokens("Geschwister-Scholl-Straße 1 und 10"))
    assert same_street(street_tokens("Neu-Ulmer Straße"), street_tokens("Neu-Ulmer-Straße 19"))
    assert not same_street(street_tokens("Alte Straße"), street_tokens("Neue Straße"))
    assert not same_street(street_tokens("W. Straße"), street_tokens("Weg Straße"))


def test_one_precision_text():
    assert precision_label("strasse", 310) == "Lage: Haltestelle der Straße (typisch ± 300 m)"
    assert precision_label("ortsteil", 0) == "Lage: Ortsmitte (Fehler nicht gemessen)"
    assert precision_text({"lage_genauigkeit": "gemeinde", "lage_fehler_m": 2637}) == \
        "Lage: Gemeindemitte (typisch ± 2,6 km)"
    assert precision_label("", None) == "Lage: Genauigkeit unbekannt"
    assert precision_label("strasse", 120, lang="en") == "Location: stop on the street (typically ± 100 m)"


def test_too_few_cases_give_no_typical_error_in_popups():
    from atlas.placement import with_typical_error
    import geopandas as gpd

    cases = [{"punkt": Point(0, 0), "strasse": Point(120, 0), "ortsteil": Point(900, 0)}] + [
        {"strasse": Point(0, 0), "ortsteil": Point(0, 400)} for _ in range(5)]
    errors = typical_errors(cases)
    assert errors["strasse"].n == 1 and not errors["strasse"].reliable
    assert errors["ortsteil"].reliable and errors["ortsteil"].median_m == 400
    placed = gpd.GeoDataFrame({"lage_genauigkeit": ["strasse", "ortsteil"]}, geometry=[Point(0, 0)] * 2)
    assert list(with_typical_error(placed, errors)["lage_fehler_m"]) == [0, 400]


def test_stop_named_after_the_offer_itself_gives_facility_precision():
    # SYNTHETIC: "Klinge, Testdorf" is a stop named like the youth club "Jugendtreff „Klinge“"; a place name
    # ("Testdorf", "Asbach") or a facility word ("Schule") in the name does not count as the offer's own name.
    result = _place_with_stops([
        {"id": "A", "name": "Jugendtreff „Klinge“", "ort": "Testdorf/Werra"},
        {"id": "B", "name": "Beratungsstelle Testdorf", "ort": "Testdorf/Werra"},
        {"id": "C", "name": "Schule Asbach", "kategorie": "Bibliothek", "ort": "Testdorf/Werra", "ortsteil": "Asbach"},
        {"id": "D", "name": "Jugendtreff „Klinge“", "ort": "Nachbarstadt"},  # another Gemeinde: not its stop
    ])
    rows = result.placed.set_index("id")
    assert rows.loc["A", "lage_genauigkeit"] == "einrichtung" and _near(rows.loc["A", "geometry"], STOPS["9000007"])
    assert "nach dem Namen des Angebots" in rows.loc["A", "lage_hinweis"]
    assert rows.loc["B", "lage_genauigkeit"] == "ortsteil"
    assert rows.loc["C", "lage_genauigkeit"] == "ortsteil"
    assert rows.loc["D", "lage_genauigkeit"] != "einrichtung"


def test_stop_named_after_a_word_that_offers_at_two_addresses_share_is_not_used():
    # SYNTHETIC: two offers called "… Klinge" at different streets of Testdorf: the stop "Klinge" could be
    # either; one without a street next to them is not placed there either. At one shared address it is used.
    two = _place_with_stops([
        {"id": "A", "name": "Amt Klinge – Jugend", "ort": "Testdorf/Werra", "strasse": "Hauptstraße 1"},
        {"id": "B", "name": "Amt Klinge – Zulassung", "ort": "Testdorf/Werra", "strasse": "Nebenweg 5"},
        {"id": "C", "name": "Amt Klinge", "ort": "Testdorf/Werra"},
    ])
    assert set(two.placed["lage_genauigkeit"]) == {"ortsteil"}
    same = _place_with_stops([
        {"id": "A", "name": "Amt Klinge – Jugend", "ort": "Testdorf/Werra", "strasse": "Hauptstraße 1"},
        {"id": "B", "name": "Amt Klinge – Zulassung", "ort": "Testdorf/Werra", "strasse": "Hauptstr. 1"},
    ])
    assert set(same.placed["lage_genauigkeit"]) == {"einrichtung"}
