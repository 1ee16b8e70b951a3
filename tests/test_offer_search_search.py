"""Search: distances and times against hand-checked values, ranking, filters, stations."""

from __future__ import annotations

import csv
import math
from datetime import date

import numpy as np
import pytest
from pyproj import Geod, Transformer

from atlas import settings
from atlas.accessibility.parameters import DEFAULTS
from atlas.offer_search import Filter, OfferIndex, index_from_atlas, search
from atlas.offer_search.gazetteer import gazetteer_from_atlas
from atlas.offer_search.opening_hours import OFFEN, UNBEKANNT, status_on

GEONAMES = settings.source_dir() / "geonames_postalcodes_localities_sm_buffer15km.csv"


def geonames_point(name: str) -> tuple[float, float]:
    """(lon, lat) of a locality in the Kreis, read straight from the GeoNames CSV."""
    with GEONAMES.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["place_name"] == name and row["admin_code3"] == "16066":
                return float(row["longitude"]), float(row["latitude"])
    raise AssertionError(name)


@pytest.fixture(scope="module")
def index(atlas_data) -> OfferIndex:
    return index_from_atlas(atlas_data)


@pytest.fixture(scope="module")
def gaz(atlas_data):
    return gazetteer_from_atlas(atlas_data, address_sources=[])


def test_distance_rosa_to_schwallungen_matches_hand_computation(index, gaz):
    # By hand: Rosa (50.712 N, 10.25 E) and Schwallungen (50.6926 N, 10.3571 E), from the GeoNames CSV,
    # projected to EPSG:25832 with pyproj; straight-line distance = hypot(dx, dy).
    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)
    (lon_r, lat_r), (lon_s, lat_s) = geonames_point("Rosa"), geonames_point("Schwallungen")
    xr, yr = to_utm.transform(lon_r, lat_r)
    xs, ys = to_utm.transform(lon_s, lat_s)
    expected = math.hypot(xs - xr, ys - yr)
    assert expected == pytest.approx(7866, abs=5)          # rounded hand value
    geodesic = Geod(ellps="GRS80").inv(lon_r, lat_r, lon_s, lat_s)[2]
    assert expected == pytest.approx(geodesic, rel=5e-4)     # UTM scale error is tiny here

    rosa = gaz.lookup("Rosa").place
    result = search(index, rosa.x, rosa.y, Filter(themen=frozenset({"schule"})), day=date(2026, 11, 25), limit=50)
    hit = next(h for h in result.hits if h.offer["id"] == "SM-0065")   # Berufsschule, Schulteil Schwallungen
    assert hit.offer["lage_genauigkeit"] == "ortsteil"
    assert hit.luftlinie_m == pytest.approx(expected, abs=0.5)
    assert hit.weg_m == pytest.approx(expected * 1.3, abs=0.7)
    assert hit.minuten["walk"] == pytest.approx(expected * 1.3 / 4500 * 60, rel=1e-9)
    assert hit.minuten["bike"] == pytest.approx(expected * 1.3 / 15000 * 60, rel=1e-9)
    assert hit.minuten["car"] == pytest.approx(expected * 1.3 / 50000 * 60, rel=1e-9)
    assert round(hit.minuten["walk"]) == 136   # 10.2 km at 4.5 km/h


def test_nearest_offer_from_rosa_is_the_primary_school_in_rossdorf(index, gaz, atlas_data):
    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)
    xr, yr = to_utm.transform(*geonames_point("Rosa"))
    rosa = gaz.lookup("Rosa").place
    placed = len(atlas_data.angebote)
    result = search(index, rosa.x, rosa.y, day=date(2026, 11, 25), limit=placed)
    first = result.hits[0]
    assert first.offer["name"] == "Grundschule Roßdorf"
    offers = atlas_data.angebote
    school = offers.loc[offers["name"] == "Grundschule Roßdorf", "geometry"].iloc[0]  # where the build placed it
    assert first.luftlinie_m == pytest.approx(math.hypot(school.x - xr, school.y - yr), abs=0.5)
    dists = [h.luftlinie_m for h in result.hits]
    assert dists == sorted(dists)
    assert result.passend == placed and len(result.hits) == placed  # no filter: every placed offer
    # Brute force over the whole register agrees with the ranking.
    brute = np.hypot(index.xy[:, 0] - rosa.x, index.xy[:, 1] - rosa.y)
    assert sorted(brute) == pytest.approx(dists)


def test_ties_at_one_ortslage_are_ordered_by_precision_then_name(index, gaz):
    meiningen = gaz.lookup("Meiningen").place
    hits = search(index, meiningen.x, meiningen.y, limit=30, day=date(2026, 11, 25)).hits
    same = [h for h in hits if h.luftlinie_m < 1]
    assert len(same) > 10
    names = [h.offer["name"].casefold() for h in same]
    assert names == sorted(names)


def test_topic_filter_family_counselling(index, gaz):
    place = gaz.lookup("Schwallungen").place
    result = search(index, place.x, place.y, Filter(themen=frozenset({"familie"})), day=date(2026, 11, 25))
    assert result.passend == 7
    assert {h.offer["kategorie"] for h in result.hits} <= {"Erziehungsberatung", "Familienzentrum",
                                                         "Schwangerschaftsberatung", "Mehrgenerationenhaus"}


def test_target_group_filter_with_and_without_offers_for_everyone(index, gaz):
    place = gaz.lookup("Meiningen").place
    only = search(index, place.x, place.y, Filter(zielgruppen=frozenset({"alleinerziehende"}), mit_allgemeinen=False))
    assert [h.offer["name"] for h in only.hits] == ["Tafel Meiningen"]
    wider = search(index, place.x, place.y, Filter(zielgruppen=frozenset({"alleinerziehende"})), limit=100)
    assert wider.passend > 10
    assert all("alleinerziehende" in h.offer.zielgruppen or "alle" in h.offer.zielgruppen for h in wider.hits)


def test_step_free_filter_keeps_only_documented_offers_and_counts_the_unknown(index, gaz):
    place = gaz.lookup("Meiningen").place
    result = search(index, place.x, place.y, Filter(nur_stufenfrei=True), limit=50)
    assert {h.offer["name"] for h in result.hits} == {
        "Grundschule „Am Pulverrasen“ Meiningen", "Regelschule „Am Pulverrasen“ Meiningen",
        "Grundschule Brotterode", "Volkshochschule „Eduard Weitsch“ – Außenstelle Schmalkalden"}
    from atlas.offer_search.targets import STUFENFREI_UNBEKANNT

    unknown = sum(o.stufenfrei == STUFENFREI_UNBEKANNT for o in index.offers)  # no other filter: all of them
    assert 0 < unknown and result.ausgeblendet_stufenfrei_unbekannt == unknown


def test_open_today_lists_open_offers_first_and_keeps_unknown_hours(index, gaz):
    place = gaz.lookup("Zella-Mehlis").place
    wednesday = date(2026, 11, 25)
    kitas = Filter(themen=frozenset({"kita"}), nur_heute_offen=True)
    result = search(index, place.x, place.y, kitas, day=wednesday, limit=50)
    arts = [h.heute.art for h in result.hits]
    expected = [status_on(o["oeffnungszeiten"], wednesday).art for o in index.offers if o.thema == "kita"]
    assert result.heute_offen == expected.count(OFFEN) > 0
    assert result.zeiten_unbekannt == expected.count(UNBEKANNT) > 0
    assert arts == [OFFEN] * result.heute_offen + [UNBEKANNT] * result.zeiten_unbekannt   # open first, none hidden
    assert all(h.offer["oeffnungszeiten"] == "Mo–Fr 6–17 Uhr" for h in result.hits if h.heute.art == OFFEN)
    open_part = [h.weg_m for h in result.hits[:result.heute_offen]]
    assert open_part == sorted(open_part)
    sunday = search(index, place.x, place.y, kitas, day=date(2026, 11, 29), limit=50)
    assert sunday.heute_offen == 0 and all(h.heute.art == UNBEKANNT for h in sunday.hits)   # known closed: dropped
    holiday = search(index, place.x, place.y, kitas, day=date(2026, 5, 1), limit=50)
    assert holiday.heute_offen == 0   # Friday 1 May, public holiday: open status unknown, listed as such


def test_every_offer_has_its_nearest_station(index, atlas_data):
    stations = atlas_data["bahnhoefe"]
    for offer in index.offers[:20]:
        d = np.hypot(stations.geometry.x - offer.x, stations.geometry.y - offer.y)
        assert offer.bahnhof is not None
        assert offer.bahnhof.distanz_m == pytest.approx(float(d.min()), abs=0.01)
        assert offer.bahnhof.name == stations["name"].iloc[int(d.argmin())]


def test_point_outside_the_kreis_still_lists_nearest_offers(index, gaz):
    outside = gaz.point(50.61, 10.69, precision=3)   # Suhl/Hildburghausen side, outside the Kreis
    assert not outside.in_kreis
    result = search(index, outside.x, outside.y, limit=3)
    assert len(result.hits) == 3


def test_unplaced_offers_are_returned_separately(index, gaz):
    place = gaz.lookup("Meiningen").place
    result = search(index, place.x, place.y, Filter(themen=frozenset({"gleichstellung"})))
    assert [o["name"] for o in result.ohne_lage] == ["Frauenhaus Meiningen"]
    assert all(h.offer["name"] != "Frauenhaus Meiningen" for h in result.hits)


def test_uses_the_accessibility_parameters(index, gaz):
    from dataclasses import replace
    place = gaz.lookup("Rosa").place
    slow = replace(DEFAULTS, umwegfaktor=2.0)
    hit = search(index, place.x, place.y, limit=1, params=slow).hits[0]
    assert hit.weg_m == pytest.approx(hit.luftlinie_m * 2.0)
