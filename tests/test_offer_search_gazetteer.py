"""Gazetteer: typo tolerance, postcodes with several places, addresses, points, hostile input."""

from __future__ import annotations

import pytest

from atlas.errors import AtlasError
from atlas.offer_search import AUSWAHL, GEFUNDEN, LEER, UNBEKANNT, AddressSource, CsvAddressSource
from atlas.offer_search.gazetteer import Gazetteer, gazetteer_from_atlas, parse_point
from tests.fixtures.synthetic_offer_search import write_addresses


@pytest.fixture(scope="module")
def gaz(atlas_data) -> Gazetteer:
    return gazetteer_from_atlas(atlas_data, address_sources=[])


@pytest.mark.parametrize(("query", "name"), [
    ("Zella Mehlis", "Zella-Mehlis"),
    ("zella-mehlis", "Zella-Mehlis"),
    ("Steinbach Hallenberg", "Steinbach-Hallenberg"),
    ("STEINBACH-HALLENBERG", "Steinbach-Hallenberg"),
    ("Rosa", "Rosa"),
    ("Schwallungen", "Schwallungen"),
    ("Rossdorf", "Roßdorf"),
    ("Breitungen/Werra", "Breitungen"),
])
def test_exact_names_ignore_case_hyphens_and_umlaut_spelling(gaz, query, name):
    result = gaz.lookup(query)
    assert result.status == GEFUNDEN
    assert result.place.name == name
    assert not result.korrigiert


@pytest.mark.parametrize(("query", "name"), [
    ("Zela Mehlis", "Zella-Mehlis"),
    ("Mainingen", "Meiningen"),
    ("Wasungn", "Wasungen"),
    ("Schmalkaldn", "Schmalkalden"),
    ("Steinbach-Halenberg", "Steinbach-Hallenberg"),
])
def test_typos_are_corrected_and_flagged(gaz, query, name):
    result = gaz.lookup(query)
    assert result.status == GEFUNDEN
    assert result.place.name == name
    assert result.korrigiert


def test_postcode_with_several_places_answers_with_its_main_place_and_keeps_the_others(gaz, atlas_data):
    result = gaz.lookup("98617")
    assert result.status == GEFUNDEN
    # The main place of the most populous Gemeinde among the postcode's places (from the Zensus column).
    gem = atlas_data["gemeinden"]
    codes = {p.gemeinde for p in (result.place, *result.alternativen)}
    biggest = gem[gem["name"].isin(codes)].sort_values("einwohner").iloc[-1]["name"]
    assert result.place.name == biggest == "Meiningen"
    names = {p.name for p in result.alternativen}
    assert {"Herpf", "Henneberg", "Belrieth", "Vachdorf"} <= names and "Meiningen" not in names
    assert all("98617" in p.plz for p in (result.place, *result.alternativen))
    # Labels tell the places apart: Herpf is an Ortsteil of Meiningen.
    assert "Herpf · 98617 · Gemeinde Meiningen" in {p.label for p in result.alternativen}


@pytest.mark.parametrize("query", ["Berlin", "Hamburg", "München", "Kassel"])
def test_far_away_places_get_no_lookalike_village(gaz, query):
    result = gaz.lookup(query)
    assert result.status == UNBEKANNT and result.places == ()


def test_postcode_plus_name_and_single_postcode(gaz):
    assert gaz.lookup("98617 Herpf").place.name == "Herpf"
    assert gaz.lookup("98544").place.name == "Zella-Mehlis"


def test_exact_name_outside_and_prefix_inside_the_kreis_gives_choices(gaz):
    result = gaz.lookup("Steinbach")
    assert result.status == AUSWAHL
    assert [p.name for p in result.places][:2] == ["Steinbach-Hallenberg", "Steinbach"]
    assert result.places[0].in_kreis and not result.places[1].in_kreis


def test_gemeinde_without_locality_of_its_name_is_found_at_its_centre(gaz, atlas_data):
    place = gaz.lookup("Grabfeld").place
    assert place.art == "gemeinde" and place.key == "gemeinde:16066094"
    polygon = atlas_data.gemeinden.set_index("ags").geometry["16066094"]
    assert polygon.contains(__import__("shapely").Point(place.x, place.y))


def test_place_outside_the_kreis_is_marked(gaz):
    place = gaz.lookup("Suhl").place
    assert place is not None and not place.in_kreis


@pytest.mark.parametrize("query", ["Xyzzyqwv", "<script>alert(1)</script>", "'; DROP TABLE orte; --", "99999"])
def test_unknown_input_gives_unknown_not_an_error(gaz, query):
    result = gaz.lookup(query)
    assert result.status == UNBEKANNT


def test_near_miss_gives_suggestions(gaz):
    result = gaz.lookup("Wernshaus")
    assert result.status in (GEFUNDEN, UNBEKANNT)
    result = gaz.lookup("Meinxxgen")
    assert result.status == UNBEKANNT
    assert "Meiningen" in [p.name for p in result.places]


def test_empty_and_long_input(gaz):
    assert gaz.lookup("").status == LEER
    assert gaz.lookup("   \n\t ").status == LEER
    assert gaz.lookup(None).status == LEER
    long = gaz.lookup("Rosa" + " x" * 500)
    assert long.gekuerzt and len(long.query) == 100


def test_address_without_source_falls_back_to_the_place(gaz):
    result = gaz.lookup("Schlossplatz 1, Meiningen")
    assert result.adresse_ohne_quelle
    assert result.place.name == "Meiningen"


def test_pluggable_address_source(atlas_data, tmp_path):
    source = CsvAddressSource(write_addresses(tmp_path), name="Synthetische Adressen")
    assert isinstance(source, AddressSource)
    gaz = gazetteer_from_atlas(atlas_data, address_sources=[source])
    result = gaz.lookup("Teststraße 3, Rosa")
    assert result.status == GEFUNDEN
    place = result.place
    assert place.art == "adresse" and place.name == "Teststraße 3" and place.quelle == "Synthetische Adressen"
    assert gaz.lookup("Teststrase 1").place.name == "Teststraße 1"   # typo in the street
    # Names still work with an address source configured.
    assert gaz.lookup("Rosa").place.name == "Rosa"


def test_address_source_rejects_broken_file(tmp_path):
    bad = tmp_path / "a.csv"
    bad.write_text("strasse,plz\nX,1\n", encoding="utf-8")
    with pytest.raises(AtlasError, match="es fehlen die Spalten hausnummer, ort, lon, lat"):
        CsvAddressSource(bad)


def test_points_are_rounded_named_and_checked_against_the_kreis(gaz):
    place = gaz.point(50.71234, 10.25049, name="Punkt", precision=3)
    assert place.key == "punkt:50.712,10.250"
    assert place.quelle == "Rosa" and place.in_kreis
    outside = gaz.point(50.0, 9.0, precision=3)
    assert not outside.in_kreis
    with pytest.raises(AtlasError):
        gaz.point(123.0, 10.0)


@pytest.mark.parametrize(("value", "expected"), [
    ("50.712,10.25", (50.712, 10.25)), (" 50.7 , 10.3 ", (50.7, 10.3)), ("abc", None), ("95,10", None),
    ("50.7,10.3,1", None), ("<b>50</b>,1", None), (None, None),
])
def test_parse_point(value, expected):
    assert parse_point(value) == expected


def test_by_key_roundtrip(gaz):
    for place in gaz.lookup("98617").places:
        assert gaz.by_key(place.key) == place
    assert gaz.by_key("ort:nichts") is None
