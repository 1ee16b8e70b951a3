"""OSM candidates from Overpass JSON, OSM XML and .osm.pbf (synthetic files written here), clipped to the
county and de-duplicated against the register."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas.build import BuildResult
from atlas.register.errors import RegisterError
from atlas.register.importer import RegisterGeodata, load_geodata
from atlas.register.osm_candidates import (
    build_candidates, classify, is_same_facility, read_osm_file, read_osm_upload, read_overpass_json,
)
from tests.fixtures.synthetic_osm import WAY_CENTRE, overpass_json, write_osm_pbf, write_osm_xml

EXPECTED = {("node", 101), ("node", 102), ("node", 103), ("node", 104), ("way", 900)}  # bakery 105 is not wanted


@pytest.fixture(scope="module")
def geo(built: BuildResult) -> RegisterGeodata:
    return load_geodata(built.gpkg)


@pytest.mark.parametrize("fmt", ["overpass", "xml", "pbf"])
def test_all_three_formats_give_the_same_objects(fmt: str, tmp_path: Path) -> None:
    if fmt == "overpass":
        features = read_overpass_json(overpass_json())
    elif fmt == "xml":
        features = read_osm_file(write_osm_xml(tmp_path / "a.osm"))
    else:
        features = read_osm_file(write_osm_pbf(tmp_path / "a.osm.pbf"))
    assert {(f.osm_typ, f.osm_id) for f in features} == EXPECTED
    way = next(f for f in features if f.osm_typ == "way")
    assert way.lon == pytest.approx(WAY_CENTRE[0], abs=1e-7) and way.lat == pytest.approx(WAY_CENTRE[1], abs=1e-7)
    assert way.tags["name"] == "Synthetische Kita Sonnenblume"


def test_classification_of_wanted_kinds() -> None:
    assert classify({"amenity": "school"}) == ("Schule", "Bildung/Schule")
    assert classify({"amenity": "kindergarten"}) == ("Kita", "Kinder/Familie/Migration")
    assert classify({"healthcare": "doctor"}) == ("Arztpraxis", "Gesundheit")
    assert classify({"amenity": "pharmacy"}) == ("Apotheke", "Gesundheit")
    assert classify({"amenity": "social_facility", "social_facility:for": "senior"}) == ("Soziale Einrichtung",
                                                                                        "Armut im Alter")
    assert classify({"shop": "bakery"}) is None


def test_candidates_inside_county_and_duplicates_set_aside(geo: RegisterGeodata, tmp_path: Path) -> None:
    offers = [{"id": "SM-9", "name": "Kita „Sonnenblume“", "ort": "Schmalkalden"},
              {"id": "SM-8", "name": "Kita Regenbogen", "ort": "Meiningen"}]
    features = read_osm_file(write_osm_pbf(tmp_path / "a.osm.pbf"))
    result = build_candidates(features, geo.gemeinden, geo.kreis_wgs84, offers, quelle="a.osm.pbf")
    assert result.ausserhalb == 1  # the Fulda pharmacy
    assert [(c["osm_id"], match) for c, match in result.duplikate] == [(900, "SM-9")]
    new = {c["osm_id"]: c for c in result.neu}
    assert set(new) == {101, 102, 104}
    assert (new[101]["ort"], new[101]["strasse"], new[101]["plz"], new[101]["kategorie"]) == (
        "Meiningen", "Georgstraße 1", "98617", "Apotheke")
    assert new[102]["ort"] == "Schmalkalden" and new[104]["handlungsfeld"] == "Armut im Alter"


def test_same_facility_rule() -> None:
    assert is_same_facility("Grundschule Fambach", "Staatliche Grundschule Fambach")
    assert not is_same_facility("Kita Sonnenschein", "Kita Regenbogen")
    assert is_same_facility("Kita", "kita")


def test_bad_files_get_german_messages(tmp_path: Path) -> None:
    with pytest.raises(RegisterError, match="keine Overpass-JSON-Datei"):
        read_overpass_json(b'{"x": 1}')
    with pytest.raises(RegisterError, match="unbekanntes Format"):
        read_osm_upload(b"", "a.shp", tmp_path)
    broken = tmp_path / "kaputt.osm.pbf"
    broken.write_bytes(b"not a pbf")
    with pytest.raises(RegisterError, match="konnte nicht gelesen werden"):
        read_osm_file(broken)
