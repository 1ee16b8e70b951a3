"""Position editor and OSM matches (pure parsing; SYNTHETIC Gemeinden, store on SQLite)."""

from __future__ import annotations

import json

import pytest
import shapely

from atlas import settings
from atlas.register.importer import RegisterGeodata
from atlas.register.position import (
    PositionError, candidate_overrides, match_changes, osm_import_with_matches, parse_position, position_changes,
)
from atlas.register.store import RegisterStore
from tests.fixtures import synthetic_places as fx
from tests.fixtures.synthetic_register import synthetic_row

LON, LAT = 10.48473, 50.58834   # inside the synthetic "Testdorf/Werra" (EPSG:25832 ≈ 605100, 5605100)


@pytest.mark.parametrize("text", [
    "50.58834, 10.48473", "10.48473, 50.58834", "50,58834 10,48473", "50,58834; 10,48473",
    "50.58834° N, 10.48473° E", "geo:50.58834,10.48473",
    "https://www.openstreetmap.org/#map=17/50.58834/10.48473",
    "https://www.openstreetmap.org/?mlat=50.58834&mlon=10.48473#map=17/50.5/10.4",
    "https://www.openstreetmap.org/search?lat=50.58834&lon=10.48473",
    "https://www.google.com/maps/@50.58834,10.48473,17z",
    "https://www.google.com/maps/place/Kita/@50.5,10.4,15z/data=!3m1!4b1!4m6!3m5!1s0x0:0x0!8m2!3d50.58834!4d10.48473",
    "https://maps.google.com/?q=50.58834,10.48473", "https://www.google.de/maps?ll=50.58834,10.48473&z=16",
    "https://www.google.com/maps/search/?api=1&query=50.58834%2C10.48473",
])
def test_coordinates_and_map_links_are_read(text):
    assert parse_position(text) == (pytest.approx(LON), pytest.approx(LAT))


@pytest.mark.parametrize(("text", "message"), [
    ("", "Bitte Koordinaten eingeben"),
    ("https://maps.app.goo.gl/AbCdEf", "Kurzlinks"),
    ("https://osm.org/go/0GYnl~", "Kurzlinks"),
    ("https://www.openstreetmap.org/way/123456", "keine Position"),
    ("Ernststraße 7, Meiningen", "keine Koordinaten"),
    ("500, 1000", "keine Koordinaten"),
])
def test_unreadable_positions_get_a_german_reason(text, message):
    with pytest.raises(PositionError, match=message):
        parse_position(text)


@pytest.fixture()
def geo() -> RegisterGeodata:
    gem = fx.gemeinden()
    return RegisterGeodata(gemeinden=gem, orte=fx.orte(), kreis_wgs84=gem.to_crs(settings.MAP_CRS).union_all())


def test_point_outside_the_county_is_refused_in_german(geo):
    changes = position_changes(LON, LAT, geo, "Karte")
    assert changes == {"lon": LON, "lat": LAT, "ags": "99999001", "lage_genauigkeit": "punkt",
                       "lage_hinweis": "Punkt gesetzt (Karte)"}
    with pytest.raises(PositionError, match="liegt außerhalb des Landkreises – nicht gespeichert"):
        position_changes(LAT, LON, geo, "Koordinaten")   # swapped: somewhere in the Indian Ocean


@pytest.fixture()
def store(tmp_path):
    store = RegisterStore.open(f"sqlite:///{tmp_path / 'register.sqlite'}")
    store.insert_offers([synthetic_row(1, id="P-1", name="Kita Sonnenschein", kategorie="Kita", ort="Testdorf/Werra",
                                       lon=10.47, lat=50.58, lage_genauigkeit="ortsteil")], "test")
    yield store
    store.dispose()


def test_point_set_by_hand_is_stored_with_history(store, geo):
    offer = store.offer("P-1")
    updated = store.update_offer("P-1", position_changes(*parse_position("50.58834, 10.48473"), geo, "Koordinaten"),
                                 offer["version"], "anna")
    assert updated["lage_genauigkeit"] == "punkt" and updated["ags"] == "99999001"
    assert (updated["lon"], updated["lat"]) == (pytest.approx(LON), pytest.approx(LAT))
    history = store.history("P-1")
    assert history[0]["wer"] == "anna" and len(history) == 2


def test_osm_object_matching_an_offer_moves_it_to_the_osm_point(store, geo, tmp_path):
    overpass = {"elements": [
        {"type": "node", "id": 77, "lat": LAT, "lon": LON, "tags": {"amenity": "kindergarten", "name": "Kita Sonnenschein"}},
        {"type": "node", "id": 78, "lat": 50.5700, "lon": 10.4550,
         "tags": {"amenity": "kindergarten", "name": "Waldkita Eichhörnchen"}},
    ]}
    text, matches = osm_import_with_matches(store, geo, json.dumps(overpass).encode(), "export.json", str(tmp_path))
    assert "1 neue Vorschläge" in text and "1 passen zu Angeboten" in text
    assert [(m.offer_id, m.osm_ref) for m in matches] == [("P-1", "node/77")]
    offer = store.offer("P-1")
    moved = store.update_offer("P-1", match_changes(matches[0], geo), offer["version"], "anna")
    assert moved["lage_genauigkeit"] == "punkt" and moved["ags"] == "99999001"
    assert (moved["lon"], moved["lat"]) == (pytest.approx(LON), pytest.approx(LAT))
    assert "OpenStreetMap (node/77)" in str(moved["lage_hinweis"])
    candidate = store.candidates("offen")[0]
    assert candidate_overrides(candidate, geo) == {"ags": "99999001"}
    accepted = store.accept_candidate(int(candidate["nr"]), "anna", overrides=candidate_overrides(candidate, geo))
    assert accepted["ags"] == "99999001" and accepted["lage_genauigkeit"] == "punkt"
    assert shapely.Point(accepted["lon"], accepted["lat"]).within(geo.kreis_wgs84)


def test_editor_map_fits_itself_when_opened_and_shows_the_new_point_as_its_own_layer(geo):
    """The editor's base map (built once per offer, ``pages/_position_editor.py``) refits to the offer's
    surroundings when its closed expander opens, and holds no new point; the new point is a layer of its own
    (red), empty when there is none."""
    from atlas.register.position import NEW_POINT_COLOUR, new_point_layer, position_base_map

    offer = {"lon": LON, "lat": LAT}
    html = position_base_map(offer, geo).get_root().render()
    assert "map.on('resize', shown);" in html
    assert json.dumps([[LAT - 0.02, LON - 0.032], [LAT + 0.02, LON + 0.032]]) in html.replace("\n", "")
    assert NEW_POINT_COLOUR not in html and "bisherige Lage" in html
    import folium

    holder = folium.Map(tiles=None)
    point = new_point_layer((LON + 0.001, LAT)).add_to(holder).get_root().render()
    assert NEW_POINT_COLOUR in point and "neue Lage" in point
    assert NEW_POINT_COLOUR not in new_point_layer(None).add_to(folium.Map(tiles=None)).get_root().render()


def test_outline_key_names_the_county_outline_once(geo):
    """The editor's map key names the outline by a short hash, computed once per loaded geodata."""
    same = RegisterGeodata(gemeinden=geo.gemeinden, orte=geo.orte, kreis_wgs84=shapely.from_wkb(shapely.to_wkb(geo.kreis_wgs84)))
    other = RegisterGeodata(gemeinden=geo.gemeinden, orte=geo.orte, kreis_wgs84=shapely.buffer(geo.kreis_wgs84, 0.01))
    assert geo.outline_key == same.outline_key != other.outline_key
    assert len(geo.outline_key) == 16 and geo.outline_key is geo.outline_key  # kept, not hashed again
