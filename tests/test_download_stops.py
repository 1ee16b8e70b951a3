"""``atlas download`` for the stop register (db-hafas-stations 2.0.0), on SYNTHETIC originals."""

from __future__ import annotations

import pandas as pd
import pytest

import json

import geopandas as gpd

from atlas import settings
from atlas.download import boundaries
from atlas.download import stops as hafas_stops
from atlas.download.study_area import study_area
from atlas.errors import SourceError
from atlas.sources import load_sources
from tests.fixtures import synthetic_download_originals as syn


@pytest.fixture(scope="module")
def syn_area():
    vg = boundaries.convert_vg250(
        boundaries.features_to_frame(syn.wfs_gem_features(), what="vg250_gem"),
        boundaries.features_to_frame(syn.wfs_krs_features(), what="vg250_krs"))
    return study_area(vg, syn.KREIS, "Synthkreis", "Landkreis")


@pytest.mark.data
def test_round_trip_reproduces_the_real_stop_file():
    """The real file written back as package records (products as flags) converts to the same stops."""
    real = gpd.read_file(settings.source_dir() / load_sources()["haltestellen"].datei)
    gem = gpd.read_file(settings.source_dir() / load_sources()["gemeinden"].datei)
    area = study_area(gem, "16066", "Schmalkalden-Meiningen", "Landkreis")
    lines = []
    for rec, geom in zip(real.drop(columns="geometry").to_dict("records"), real.geometry, strict=True):
        prods = set(str(rec["verkehrsmittel"] or "").split(","))
        lines.append(json.dumps({
            "id": rec["id"], "name": rec["name"], "type": rec["typ"],
            "location": {"latitude": geom.y, "longitude": geom.x},
            "products": {p: p in prods for p in hafas_stops.PRODUCT_ORDER}, "weight": rec["gewicht"]}))
    again = hafas_stops.convert_stops(hafas_stops.read_stops("\n".join(lines).encode()), area)
    assert list(again["id"]) == list(real["id"].astype(str))
    assert list(again["verkehrsmittel"]) == list(real["verkehrsmittel"].fillna(""))


def test_stops_from_tarball_keep_the_study_area_and_the_source_folders_columns(tmp_path, syn_area):
    tgz = syn.hafas_stops_tgz(tmp_path).read_bytes()
    rows = hafas_stops.read_stops(tgz)
    assert [r["id"] for r in rows] == [s[0] for s in syn.HAFAS_STOPS]  # the line without location is skipped
    stops = hafas_stops.convert_stops(rows, syn_area)
    assert list(stops["id"]) == [s[0] for s in syn.HAFAS_STOPS if s[8]]
    assert set(load_sources()["haltestellen"].spalten) <= set(stops.columns)
    assert stops.crs.to_epsg() == 4326
    by_id = stops.set_index("id")
    assert by_id.loc["9099001", "verkehrsmittel"] == "bus,taxi" and by_id.loc["9099002", "verkehrsmittel"] == "tram,bus"
    assert by_id.loc["9099003", "verkehrsmittel"] == "taxi"
    assert by_id.loc["9099001", "ifopt_id"] == "de:16099:9099001" and pd.isna(by_id.loc["9099003", "ifopt_id"])
    assert by_id.loc["9099002", "station_id"] == "8099001" and by_id.loc["9099002", "typ"] == "stop"
    # the bounding-box prefilter keeps the same stops
    bbox_rows = hafas_stops.read_stops(tgz, hafas_stops.area_bbox(syn_area))
    assert list(hafas_stops.convert_stops(bbox_rows, syn_area)["id"]) == list(stops["id"])


def test_stops_broken_line_and_broken_archive_name_the_problem():
    with pytest.raises(SourceError, match=r"full.ndjson, Zeile 2 ist kein gültiges JSON"):
        hafas_stops.read_stops(b'{"id": "1"}\n{kaputt\n')
    with pytest.raises(SourceError, match=r"db-hafas-stations 2.0.0\): das Paket ist kein gültiges .tgz-Archiv"):
        hafas_stops.read_stops(b"\x1f\x8b kaputt")
