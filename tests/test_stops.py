"""Public transport stops: name parsing, the built layer's contract, Ortsteile from stop names."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from atlas import settings
from atlas.layers import check_against_data, load_layers
from atlas.mapview import MapOptions, build_map, prepare_base
from atlas.sources import load_sources
from atlas.stops import (
    STOP_COLUMNS, StopName, build_stops, is_rufbus_only, locality_of, parse_stop_name, place_part, stop_ortsteile,
)
from tests.fixtures import synthetic_places, synthetic_stops


@pytest.mark.parametrize(("name", "expected"), [
    ("Ernststraße, Meiningen", StopName("Ernststraße", "Meiningen")),
    ("Asbach Kirche, Schmalkalden", StopName("Asbach Kirche", "Schmalkalden")),
    ("Schule, Roßdorf b Schmalkalden", StopName("Schule", "Roßdorf b Schmalkalden")),
    ("A, B, C", StopName("A, B", "C")),
    ("Rosa b Schmalkalden", StopName("Rosa b Schmalkalden", "")),
    ("  Zwei   Leer ,  Ort ", StopName("Zwei Leer", "Ort")),
    (None, StopName("", "")),
])
def test_parse_stop_name(name, expected) -> None:
    assert parse_stop_name(name) == expected


def test_locality_words_and_adjectives() -> None:
    assert locality_of("Asbach Kirche") == ("Asbach", "Kirche")
    assert locality_of("Auer Straße") is None
    assert locality_of("Ernststraße") is None
    assert locality_of("B19 Schule") is None
    assert place_part("Roßdorf b Schmalkalden") == "Roßdorf"
    assert is_rufbus_only("taxi") and not is_rufbus_only("bus,taxi") and not is_rufbus_only("")


def _synthetic_layer() -> gpd.GeoDataFrame:
    return build_stops(synthetic_stops.stops_source(), synthetic_places.gemeinden(), settings.METRIC_CRS)


def test_build_stops_columns_flags_and_ags_on_synthetic_stops() -> None:
    layer = _synthetic_layer()
    assert list(layer.columns) == [*STOP_COLUMNS, "geometry"]
    assert layer.crs.to_string() == settings.METRIC_CRS
    rows = layer.set_index("id")
    assert rows.loc["9000001", "ags"] == "99999001" and rows.loc["9000010", "ags"] == "99999002"
    assert pd.isna(rows.loc["9000011", "ags"]) and not rows.loc["9000011", "in_kreis"]
    assert rows.loc["9000002", "bus"] and not rows.loc["9000002", "rufbus"]
    assert rows.loc["9000006", "rufbus"] and not rows.loc["9000006", "bus"]
    assert rows.loc["9000009", "bahn"] and rows.loc["9000010", "bahn"] and rows.loc["9000010", "bus"]
    assert not any(rows.loc["9000012", ["bus", "bahn", "rufbus"]])
    assert rows.loc["9000001", "dhid"] == "de:99999:1" and pd.isna(rows.loc["9000002", "dhid"])
    assert rows.loc["9000004", "haltestelle"] == "Auer Straße" and rows.loc["9000004", "ort"] == "Testdorf"


def test_ortsteile_from_stop_names_on_synthetic_stops() -> None:
    ortsteile = stop_ortsteile(_synthetic_layer())
    names = {(a, n) for a, n in zip(ortsteile["ags"], ortsteile["name"], strict=True)}
    assert ("99999001", "Asbach") in names          # three stops "Asbach …", one with a locality word
    assert ("99999001", "Breitenbach") in names     # one stop, but a village-name ending
    assert ("99999002", "Rosa") in names            # a station named after its place
    assert ("99999001", "Testdorf") in names
    assert not any(n in ("Auer", "Klinge", "Kasseler", "Ernststraße") for _, n in names)
    asbach = ortsteile[ortsteile["name"] == "Asbach"].iloc[0]
    assert asbach["zentrum"] == "Asbach Kirche" and asbach["haltestellen"] == 3
    assert (asbach.geometry.x, asbach.geometry.y) == pytest.approx((602_000, 5_602_000), abs=0.01)


def test_built_stop_layer_matches_the_source(atlas_data, built) -> None:
    layer = atlas_data["haltestellen"]
    assert list(layer.columns) == [*STOP_COLUMNS, "geometry"]
    assert layer.crs.to_string() == settings.METRIC_CRS
    source = gpd.read_file(settings.source_dir() / load_sources()["haltestellen"].datei)
    assert len(layer) == len(source)
    outline = atlas_data["kreis"].geometry.iloc[0]
    inside = source.to_crs(settings.METRIC_CRS).within(outline).to_numpy()
    assert int(layer["in_kreis"].sum()) == int(inside.sum()) > 0
    assert layer.loc[layer["in_kreis"], "ags"].str.fullmatch(r"\d{8}").all()
    assert layer.loc[~layer["in_kreis"], "ags"].isna().all()
    assert (layer["rufbus"].to_numpy() == (source["verkehrsmittel"].fillna("") == "taxi").to_numpy()).all()
    assert built.manifest_data["ebenen"]["haltestellen"] == len(layer)


def test_stop_layer_file_is_valid_and_drawn_clustered_with_attribution(atlas_data) -> None:
    layers = load_layers()
    stops = next(layer for layer in layers if layer.id == "haltestellen")
    assert stops.buendeln and stops.nur_im_kreis
    check_against_data(layers, atlas_data.columns())
    result = build_map(prepare_base(atlas_data), layers, MapOptions())
    assert result.counts["haltestellen"] == int(atlas_data["haltestellen"]["in_kreis"].sum())
    assert load_sources()["haltestellen"].namensnennung in result.attributions
    html = result.map.get_root().render()
    assert "markerClusterGroup" in html and "DB InfraGO AG, CC BY 4.0" in html


def test_family_gazetteer_finds_ortsteile_only_stop_names_reveal(atlas_data) -> None:
    from atlas.offer_search.gazetteer import gazetteer_from_atlas
    from atlas.stops import ORTSTEIL_SOURCE, gazetteer_ortsteile

    extra = gazetteer_ortsteile(atlas_data["haltestellen"], atlas_data["orte"])
    geonames = {(a, n) for a, n in zip(atlas_data["orte"]["ags"], atlas_data["orte"]["name"], strict=True)}
    assert len(extra) > 0 and not any((a, n) in geonames for a, n in zip(extra["ags"], extra["name"], strict=True))
    gaz = gazetteer_from_atlas(atlas_data, address_sources=[])
    names = extra["name"]
    unique = extra[~names.duplicated(keep=False) & ~names.isin(set(atlas_data["orte"]["name"]))
                   & ~names.isin(set(atlas_data.gemeinden["name"]))]
    first = unique.iloc[0]
    place = gaz.lookup(first["name"]).place
    assert place is not None and place.quelle == ORTSTEIL_SOURCE
    assert (place.x, place.y) == pytest.approx((first.geometry.x, first.geometry.y))
    geonames_place = gaz.lookup(str(atlas_data["orte"]["name"].iloc[0])).place
    assert geonames_place is not None and geonames_place.quelle == "GeoNames"
