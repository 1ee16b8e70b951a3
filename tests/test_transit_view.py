"""View-model of the page "Bus und Bahn" on the REAL county build (origins, cells) with SYNTHETIC stops
and the SYNTHETIC GTFS line (tests/fixtures/synthetic_gtfs.py), plus the page without a feed (AppTest)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from atlas.accessibility import county as cty
from atlas.accessibility.stop_catchment import Haltestellen, load_catchment
from atlas.transit import view as tv
from atlas.transit.feed import read_feed
from tests.fixtures import synthetic_gtfs as syn


def test_catchment_view_with_a_new_stop(atlas_data) -> None:
    """One synthetic bus stop at the most populous cell: a new stop at the second most populous cell (if it was
    beyond) lowers the people beyond; the table has one row per Gemeinde with people."""
    origins, cells = cty.county_origins(atlas_data), cty.county_cells(atlas_data)
    order = np.argsort(-origins.einwohner)
    stops = Haltestellen(np.array(["h1"], dtype=object), origins.xy[order[:1]], np.array([False]), np.array([False]))
    std = load_catchment()
    v0 = tv.catchment_view(atlas_data, origins, cells, stops, std, [])
    assert v0.kennzahlen[0][2] is None  # no scenario, no delta
    second = cty.lonlat_from_xy(origins.xy[order[1:2]])
    v1 = tv.catchment_view(atlas_data, origins, cells, stops, std, [tuple(second[0])], v0.basis)
    before = v0.basis.gesamt()["einwohner_ausserhalb"]
    after = v1.aktuell.gesamt()["einwohner_ausserhalb"]
    assert after < before
    assert v1.kennzahlen[0][2] is not None and v1.kennzahlen[0][2].startswith("-")
    assert set(v1.zellen["klasse"]) <= {"innerhalb", "jenseits", "neu_erreicht"}
    assert "neu_erreicht" in set(v1.zellen["klasse"])
    assert len(v0.tabelle) == len(set(origins.ags))


def test_feed_state_without_and_with_broken_feed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ATLAS_GTFS", raising=False)
    state = tv.feed_state()
    assert state.feed is None and "ATLAS_GTFS" in (state.meldung or "")
    broken = tmp_path / "kaputt.zip"
    broken.write_bytes(b"PK\x03\x04 abgeschnitten")
    state = tv.feed_state(broken)
    assert state.feed is None and "kaputt.zip" in (state.meldung or "")


def test_synthetic_feed_does_not_cover_the_county(tmp_path: Path, atlas_data) -> None:
    """The synthetic line has five stops on 10 km: only a small share of the county's people live within
    walking distance of one, so the comparison with p_ozmz_oev is declined and the page says why."""
    feed = read_feed(syn.write_feed(tmp_path / "linie.zip"))
    cover = tv.feed_coverage(feed, cty.county_origins(atlas_data))
    assert 0.0 <= cover < tv.COVERAGE_MIN
    assert "deckt den Landkreis nicht ab" in tv.comparison_note(cover) and "p_ozmz_oev" in tv.comparison_note(cover)


def test_frequent_stops_with_a_feed_covering_the_county(tmp_path: Path, atlas_data) -> None:
    """A SYNTHETIC feed with one feed stop on every register stop of the build (ids = the register's ids, so the
    spatial match is used for stops without DHID): even positions get 25 departures, odd ones 5. Only the
    even ones (≥ 20) and the on-demand-only stops remain; the feed covers the county."""
    frame = tv.stops_frame(atlas_data)
    assert frame is not None
    ll = frame.to_crs("EPSG:4326").geometry
    ids = [f"s{i}" for i in range(len(frame))]
    deps = [25 if i % 2 == 0 else 5 for i in range(len(frame))]
    feed = read_feed(syn.feed_at_stops(tmp_path / "kreis.zip", ids, list(zip(ll.x, ll.y, strict=True)), deps))
    origins = cty.county_origins(atlas_data)
    assert tv.feed_coverage(feed, origins) >= tv.COVERAGE_MIN
    stops = tv.stops_of(atlas_data)
    frame_no_dhid = frame.assign(dhid=None)
    kept, note = tv.frequent_stops(stops, frame_no_dhid, feed)
    # a departure counts unless it is a trip's last stop: stop i departs deps[i] times (its own trips)
    # – but register stops closer than 50 m to each other share feed stops, so compute the expectation the
    # same way the data lies: sum of deps of feed stops within 50 m
    from scipy.spatial import cKDTree

    near = cKDTree(stops.xy).query_ball_point(stops.xy, 50.0)
    expected = np.array([sum(deps[j] for j in idx) >= 20 for idx in near]) | stops.rufbus
    assert len(kept) == int(expected.sum())
    assert "mindestens 20 Abfahrten" in note and "Kreisbus Synthetisch" in note


def test_stop_sites_keep_only_stops_within_walking_reach_of_the_county(atlas_data) -> None:
    """SYNTHETIC stops east of the REAL county outline's easternmost point: every point of the county lies at or
    west of it, so a stop d metres due east of it is exactly d metres from the county. The map keeps a stop 100 m
    inside the standard's largest radius and drops one 100 m beyond it; a stop inside the county stays."""
    import geopandas as gpd
    from shapely.geometry import Point

    from atlas import schema
    from atlas.settings import METRIC_CRS

    std = load_catchment()
    reach = tv.stops_reach_m(std)
    assert reach == max(std.radius_bus_m, std.radius_bahn_m, std.rufbus_m)
    county = atlas_data[schema.KREIS_LAYER].to_crs(METRIC_CRS).union_all()
    east = max(county.exterior.coords if county.geom_type == "Polygon"
               else (c for part in county.geoms for c in part.exterior.coords), key=lambda c: c[0])
    inside = county.representative_point()
    stops = gpd.GeoDataFrame(
        {"id": ["innen", "nah", "fern"], "name": ["Innen", "Nah", "Fern"], "rufbus": [False, True, False]},
        geometry=[inside, Point(east[0] + reach - 100, east[1]), Point(east[0] + reach + 100, east[1])],
        crs=METRIC_CRS).to_crs("EPSG:4326")  # as the build stores them

    drawn = tv.stop_sites(stops, atlas_data, std)
    assert drawn["id"].tolist() == ["innen", "nah"]
    assert drawn["name"].tolist() == ["Innen", "Nah (nur Rufbus)"]
    assert drawn.crs == METRIC_CRS
    assert tv.stop_sites(stops)["id"].tolist() == ["innen", "nah", "fern"]  # without the county: every stop
    assert tv.stops_label(std).endswith(f"bis {reach:,.0f} m jenseits der Grenze".replace(",", "."))
