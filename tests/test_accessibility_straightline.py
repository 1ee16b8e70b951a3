"""Straight-line method on SYNTHETIC points (hand-computed distances) and input validation."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from atlas.accessibility import (
    DEFAULTS,
    AccessibilityError,
    Luftlinie,
    NoSitesError,
    OriginsError,
    compute_reachability,
    prepare_origins,
    prepare_sites,
    sites_from_xy,
)
from atlas.accessibility.origins import Origins
from atlas.errors import AtlasError
from tests.fixtures.synthetic_accessibility import CRS, X0, Y0, origins_gdf, sites_gdf


@pytest.fixture
def two_sites() -> gpd.GeoDataFrame:
    return sites_gdf([("S1", 0, 0, "Grundschule"), ("S2", 10_000, 0, "Grundschule"), ("K1", 50, 50, "Kita")])


@pytest.fixture
def two_origins() -> gpd.GeoDataFrame:
    # z0: 5000 m from S1 (3-4-5 triangle); z1: 1000 m from S2 (600-800-1000)
    return origins_gdf([(3000, 4000, 10, 2, 3, "16066001"), (9400, 800, 20, 5, 1, "16066002")])


def test_hand_computed_distance_and_time_walk(two_sites, two_origins) -> None:
    res = compute_reachability(
        prepare_origins(two_origins), prepare_sites(two_sites, kategorie="Grundschule"), Luftlinie("walk")
    )
    cells = res.zellen()
    assert list(cells.index) == ["z0", "z1"]
    assert list(cells["standort_id"]) == ["S1", "S2"]
    # 5000 m × 1.3 = 6500 m; at 4.5 km/h = 75 m/min → 86.667 min
    assert cells.loc["z0", "distanz_m"] == pytest.approx(6500.0)
    assert cells.loc["z0", "zeit_min"] == pytest.approx(6500.0 / 75.0)
    assert cells.loc["z1", "distanz_m"] == pytest.approx(1300.0)
    assert cells.loc["z1", "zeit_min"] == pytest.approx(1300.0 / 75.0)
    assert set(cells["methode"]) == {"luftlinie"}
    assert res.methode == "luftlinie"
    assert "Luftlinie" in res.methode_beschreibung and "Umwegfaktor 1,3" in res.methode_beschreibung and "4,5 km/h" in res.methode_beschreibung


@pytest.mark.parametrize(("mode", "minutes"), [("bike", 1300 / 250.0), ("car", 1300 / (50_000 / 60))])
def test_mode_speeds(two_sites, two_origins, mode: str, minutes: float) -> None:
    res = compute_reachability(prepare_origins(two_origins), prepare_sites(two_sites, kategorie="Grundschule"), Luftlinie(mode))
    assert res.zellen().loc["z1", "zeit_min"] == pytest.approx(minutes)


def test_detour_factor_is_configurable(two_sites, two_origins) -> None:
    params = dataclasses.replace(DEFAULTS, umwegfaktor=1.0)
    res = compute_reachability(prepare_origins(two_origins), prepare_sites(two_sites, kategorie="Grundschule"), Luftlinie("walk", params))
    assert res.zellen().loc["z0", "distanz_m"] == pytest.approx(5000.0)


def _random_origins(rng: np.random.Generator, n: int) -> Origins:
    xy = rng.uniform(0, 20_000, (n, 2))
    pop = rng.integers(1, 100, n).astype(float)
    return Origins(pd.RangeIndex(n), xy, pop, pop * 0.1, pop * 0.2, np.array(["1"] * n, dtype=object), CRS)


def test_nearest_matches_brute_force() -> None:
    rng = np.random.default_rng(1)
    origins = _random_origins(rng, 300)
    sites = sites_from_xy(rng.uniform(0, 20_000, (17, 2)))
    costs = Luftlinie("bike").nearest(origins, sites)
    d = np.linalg.norm(origins.xy[:, None, :] - sites.xy[None, :, :], axis=2)
    np.testing.assert_array_equal(costs.standort, d.argmin(axis=1))
    np.testing.assert_allclose(costs.distanz_m, d.min(axis=1) * 1.3)


def test_coverage_matches_brute_force() -> None:
    rng = np.random.default_rng(2)
    origins = _random_origins(rng, 200)
    cand = sites_from_xy(rng.uniform(0, 20_000, (30, 2)))
    cov = Luftlinie("walk").coverage(origins, cand, 30.0, "min", inclusive=False).toarray()
    minutes = np.linalg.norm(cand.xy[:, None, :] - origins.xy[None, :, :], axis=2) * 1.3 / 75.0
    np.testing.assert_array_equal(cov, minutes <= 30.0)
    assert cov.any() and not cov.all()


def test_empty_category_german_error(two_sites) -> None:
    with pytest.raises(NoSitesError) as exc:
        prepare_sites(two_sites, kategorie="Erziehungsberatung")
    msg = str(exc.value)
    assert "keine Standorte der Kategorie 'Erziehungsberatung'" in msg
    assert "Vorhandene Kategorien: Grundschule, Kita" in msg
    assert isinstance(exc.value, AtlasError)


def test_no_sites_at_all(two_sites) -> None:
    with pytest.raises(NoSitesError, match="keine Standorte"):
        prepare_sites(two_sites.iloc[0:0])
    with pytest.raises(NoSitesError):
        sites_from_xy(np.empty((0, 2)))


def test_origins_missing_column_and_bad_values(two_origins) -> None:
    with pytest.raises(OriginsError, match="'u15'"):
        prepare_origins(two_origins.drop(columns="u15"))
    bad = two_origins.copy()
    bad.loc["z1", "einwohner"] = -1
    with pytest.raises(OriginsError, match="negative"):
        prepare_origins(bad)
    custom = two_origins.rename(columns={"einwohner": "T", "u15": "Y_LT15", "ue65": "Y_GE65", "ags": "gem"})
    o = prepare_origins(custom, einwohner="T", u15="Y_LT15", ue65="Y_GE65", ags="gem")
    assert list(o.einwohner) == [10, 20] and list(o.ags) == ["16066001", "16066002"]
    assert o.xy[0] == pytest.approx([X0 + 3000, Y0 + 4000])


def test_unpopulated_cells_dropped_and_crs_reprojected(two_origins) -> None:
    gdf = two_origins.copy()
    gdf.loc["z0", ["einwohner", "u15", "ue65"]] = 0
    o = prepare_origins(gdf.to_crs("EPSG:3035"))
    assert list(o.index) == ["z1"]
    assert o.xy[0] == pytest.approx([X0 + 9400, Y0 + 800], abs=1e-3)


def test_unknown_mode() -> None:
    with pytest.raises(AccessibilityError, match="Unbekanntes Verkehrsmittel 'bus'"):
        Luftlinie("bus")
