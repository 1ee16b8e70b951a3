"""REAL data: the Census 2021 1-km grid of the Landkreis as origins (read from the source folder)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest

from atlas.accessibility import Luftlinie, OriginsError, best_new_sites, census_grid_origins, compute_reachability, evaluate, load_standards, sites_from_xy
from atlas.settings import METRIC_CRS, source_dir

#: Every test here reads the third-party source folder (tests/conftest.py).
pytestmark = pytest.mark.data


@pytest.fixture(scope="module")
def grid_and_gemeinden() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    src = source_dir()
    grid = gpd.read_file(src / "census2021_grid1km_sm_buffer15km.gpkg", layer="census2021_grid1km")
    gem = gpd.read_file(src / "gemeinden_vg250ew_sm_buffer15km.geojson")
    return grid, gem


def test_census_grid_as_origins(grid_and_gemeinden) -> None:
    grid, gem = grid_and_gemeinden
    assert str(grid.crs) == "EPSG:3035"
    origins = census_grid_origins(grid, gem)
    in_sm = grid[grid["centroid_in_sm"]]
    assert len(origins) == int((in_sm["T"] > 0).sum())
    assert origins.einwohner.sum() == in_sm["T"].sum()
    # age groups are capped at the total where census perturbation made them larger
    capped = np.minimum(in_sm["Y_GE65"], in_sm["T"]).sum()
    assert origins.u15.sum() == np.minimum(in_sm["Y_LT15"], in_sm["T"]).sum() and origins.ue65.sum() == capped
    assert (in_sm["Y_GE65"] > in_sm["T"]).any()  # the real file has such cells
    with pytest.raises(OriginsError, match="größer als die Einwohnerzahl"):
        census_grid_origins(grid, gem, cap_age_groups=False)
    assert all(str(a).startswith("16066") for a in origins.ags)  # every cell centre lies in the Landkreis
    assert origins.crs == METRIC_CRS
    # 1-km cell centres: neighbours are 1000 m apart in EPSG:3035, about the same in EPSG:25832
    assert 990 < np.sort(np.linalg.norm(origins.xy - origins.xy[0], axis=1))[1] < 1010 or len(origins) < 2

    # one pseudo-site (NOT a real offer: the most populated cell) – straight line by car, Kita standard
    std = load_standards()["kita-pkw-15min"]
    biggest = int(np.argmax(origins.einwohner))
    verfahren = Luftlinie("car")
    bew = evaluate(compute_reachability(origins, sites_from_xy(origins.xy[biggest]), verfahren), std)
    g = bew.gemeinden()
    assert g["einwohner"].sum() == origins.einwohner.sum()
    assert bew.gesamt()["einwohner_jenseits"] > 0
    assert bew.zellen().loc[origins.index[biggest], "distanz_m"] == 0
    best = best_new_sites(bew, verfahren, k=3)
    gains = best.auswahl["einwohner_gewonnen"].to_numpy()
    assert len(gains) == 3 and (np.diff(gains) <= 0).all()  # greedy gains never increase
