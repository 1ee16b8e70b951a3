"""REAL build: origins and sites from the built GeoPackage, hand-checked distances, scenarios."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyrosm
import pytest
import shapely

from atlas.accessibility import Luftlinie, Netz, NetworkError, NoSitesError, load_standards
from atlas.accessibility.service_levels import serving_mask
from atlas.accessibility.county import (
    ZIEL_BAHNHOEFE,
    ZIEL_EIGENE,
    analyse,
    cell_results,
    cells_without_sites,
    county_cells,
    county_origins,
    county_sites,
    destination_options,
    gemeinde_table,
    hypothetical_sites,
    lonlat_from_xy,
    make_verfahren,
    osm_pbf_path,
    site_records,
    source_keys,
    totals,
    unplaced_offers,
    xy_from_lonlat,
)
from atlas.accessibility.errors import AccessibilityError
from atlas.accessibility.standards import adjusted_standard

GRUNDSCHULE = load_standards()["grundschule-fuss-2km"]


@pytest.fixture(scope="module")
def origins(atlas_data):
    return county_origins(atlas_data)


def test_origins_are_where_people_live_in_the_populated_cells(atlas_data, origins) -> None:
    grid = atlas_data["bevoelkerung_1km"]
    inside = grid[grid["in_kreis"].astype(bool) & (grid["einwohner"] > 0)]
    cells = county_cells(atlas_data)
    assert origins.modell == "siedlungen" and list(cells.index) == list(origins.index)
    # every populated cell is split into one or more shares; population and age groups are kept per cell
    per_cell = pd.Series(origins.einwohner, index=cells["grd_id"].to_numpy()).groupby(level=0).sum()
    assert set(per_cell.index) == set(inside["grd_id"])
    assert per_cell.to_dict() == pytest.approx(inside.set_index("grd_id")["einwohner"].astype(float).to_dict())
    assert origins.u15.sum() == pytest.approx(float(np.minimum(inside["u15"], inside["einwohner"]).sum()))
    assert set(origins.ags) == set(atlas_data.gemeinden["ags"])  # every Gemeinde has people
    # each origin lies in its own part of its cell; parts of one cell tile the cell (Voronoi)
    pts = shapely.points(origins.xy)
    assert shapely.covers(cells.geometry.buffer(1e-6).to_numpy(), pts).all()
    area = cells.geometry.area.groupby(cells["grd_id"]).sum()
    full = inside.set_index("grd_id").geometry.area
    assert area.to_dict() == pytest.approx(full.reindex(area.index).to_dict(), rel=1e-6)
    # a cell without settlement marker keeps its centre
    alone = cells[cells["marker"].str.startswith("Zellmitte")]
    if len(alone):
        first = alone.iloc[0]
        c = inside.set_index("grd_id").loc[first["grd_id"]].geometry.centroid
        assert (first["x"], first["y"]) == pytest.approx((c.x, c.y))


def test_grundschule_sites_are_the_placed_register_rows(atlas_data, source_angebote) -> None:
    offers = atlas_data.angebote
    n_register = int((offers["kategorie"] == "Grundschule").sum()) + len(unplaced_offers(atlas_data, "Grundschule"))
    sites = county_sites(atlas_data, "Grundschule")
    n_source = int((source_angebote["kategorie"] == "Grundschule").sum())
    assert n_register == n_source > 0
    schools = source_angebote[source_angebote["kategorie"] == "Grundschule"]
    without_ort = int((schools["ort"].str.strip() == "").sum())
    assert len(unplaced_offers(atlas_data, "Grundschule")) == without_ort
    # own category plus offers a service-level rule of standards.yaml adds (e.g. a TGS with Klasse 1–10)
    assert set(sites.ids) == set(offers.loc[serving_mask(offers, "Grundschule"), "id"])
    assert set(offers.loc[offers["kategorie"] == "Grundschule", "id"]) <= set(sites.ids)
    assert len(sites) >= n_source - without_ort
    # a category with one unplaced offer (the confidential women's shelter)
    assert len(unplaced_offers(atlas_data, "Frauen- und Gleichstellungsberatung")) == 1
    placed = int((offers["kategorie"] == "Frauen- und Gleichstellungsberatung").sum())
    n_source = int((source_angebote["kategorie"] == "Frauen- und Gleichstellungsberatung").sum())
    assert len(county_sites(atlas_data, "Frauen- und Gleichstellungsberatung")) == placed == n_source - 1
    # stations also outside the Kreis (15-km buffer)
    rec = site_records(atlas_data, ZIEL_BAHNHOEFE)
    assert len(county_sites(atlas_data, ZIEL_BAHNHOEFE)) == len(atlas_data["bahnhoefe"]) == len(rec)
    assert (~atlas_data["bahnhoefe"]["in_kreis"].astype(bool)).any()


def test_hand_checked_distance_to_nearest_real_school(atlas_data, origins) -> None:
    """The most populated origin: nearest primary school site by shapely, × 1.3, at 4.5 km/h."""
    cells = county_cells(atlas_data)
    grd = origins.index[int(np.argmax(origins.einwohner))]
    centre = shapely.Point(origins.xy[int(np.argmax(origins.einwohner))])
    schools = atlas_data.angebote[serving_mask(atlas_data.angebote, "Grundschule")]
    dists = shapely.distance(centre, schools.geometry.to_numpy())
    nearest_ids = set(schools.loc[np.isclose(dists, dists.min(), rtol=1e-12), "id"])
    expected_m = float(dists.min()) * 1.3
    a = analyse(origins, county_sites(atlas_data, "Grundschule"), Luftlinie("walk"), GRUNDSCHULE)
    z = a.aktuell.zellen().loc[grd]
    assert z["distanz_m"] == pytest.approx(expected_m, rel=1e-9)
    assert z["zeit_min"] == pytest.approx(expected_m / 75.0, rel=1e-9)  # 4.5 km/h = 75 m/min
    # several offers can share one approximate position (same Ortsteil): any of them is right
    assert z["standort_id"] in nearest_ids
    assert bool(z["jenseits"]) == (expected_m >= 2000.0)
    names = dict(zip(schools["id"], schools["name"], strict=True))
    rows = cell_results(a, cells, names)
    assert rows.loc[grd, "standort_name"] == names[z["standort_id"]]


def test_threshold_exactly_at_a_real_cell_value(atlas_data, origins) -> None:
    sites = county_sites(atlas_data, "Grundschule")
    base = analyse(origins, sites, Luftlinie("walk"), GRUNDSCHULE)
    km = float(base.aktuell.zellen()["distanz_m"].iloc[0]) / 1000.0
    at_least = adjusted_standard(GRUNDSCHULE, "Grundschule", schwelle=km)  # vergleich ">=" kept
    more_than = at_least.model_copy(update={"vergleich": ">"})
    assert bool(analyse(origins, sites, Luftlinie("walk"), at_least).aktuell.jenseits[0]) is True
    assert bool(analyse(origins, sites, Luftlinie("walk"), more_than).aktuell.jenseits[0]) is False


def test_empty_category_and_own_sites_messages(atlas_data) -> None:
    with pytest.raises(NoSitesError) as exc:
        county_sites(atlas_data, "Schuldnerberatung")
    assert str(exc.value).startswith("Im Angebotsregister gibt es kein Angebot der Kategorie „Schuldnerberatung“.")
    with pytest.raises(NoSitesError, match="^Noch keine eigenen Standorte: Klicken Sie in die Karte"):
        county_sites(atlas_data, ZIEL_EIGENE)
    opts = destination_options(atlas_data, [s.kategorie for s in load_standards().values()])
    assert opts[-2:] == [ZIEL_BAHNHOEFE, ZIEL_EIGENE]
    assert "Schuldnerberatung" in opts and "Grundschule" in opts and "Tafel" in opts
    assert source_keys("Kita") == ["raster_1km", "gemeinden", "angebote"]
    assert source_keys(ZIEL_BAHNHOEFE)[-1] == "bahnhoefe"


def test_scenario_add_close_and_own_sites(atlas_data, origins) -> None:
    sites = county_sites(atlas_data, "Grundschule")
    verfahren = Luftlinie("walk")
    base = analyse(origins, sites, verfahren, GRUNDSCHULE)
    assert base.delta is None and base.basis is base.aktuell
    # a hypothetical school at the centre of the most populated cell that is beyond the standard
    z = base.aktuell.zellen()
    target = z[z["jenseits"]]["einwohner"].idxmax()
    pos = origins.index.get_loc(target)
    lonlat = lonlat_from_xy(origins.xy[pos])
    assert xy_from_lonlat(lonlat)[0] == pytest.approx(origins.xy[pos], abs=1e-6)
    a = analyse(origins, sites, verfahren, GRUNDSCHULE, add=hypothetical_sites([tuple(lonlat[0])]))
    t = totals(a)
    assert t["einwohner_jenseits"] <= t["einwohner_jenseits_vorher"] - z.loc[target, "einwohner"]
    assert a.aktuell.zellen().loc[target, "distanz_m"] == pytest.approx(0.0, abs=1e-3)
    assert a.aktuell.zellen().loc[target, "standort_id"] == "hypothetisch-1"
    cls = cell_results(a, county_cells(atlas_data))["klasse"]
    assert cls.loc[target] == "neu_erreicht"
    # closing a school: people whose nearest school it was get farther
    closed = str(z.loc[target, "standort_id"]) if not z.loc[target, "jenseits"] else str(z["standort_id"].iloc[0])
    c = analyse(origins, sites, verfahren, GRUNDSCHULE, remove=[closed])
    assert totals(c)["einwohner_jenseits"] >= totals(c)["einwohner_jenseits_vorher"]
    assert closed not in set(c.aktuell.zellen()["standort_id"])
    with pytest.raises(NoSitesError, match="kein Standort übrig"):
        analyse(origins, sites, verfahren, GRUNDSCHULE, remove=list(sites.ids))
    # only own sites: no basis, no delta
    own = analyse(origins, None, verfahren, GRUNDSCHULE, add=hypothetical_sites([tuple(lonlat[0])]))
    assert own.basis is None and own.delta is None and own.szenario_aktiv
    with pytest.raises(NoSitesError):
        analyse(origins, None, verfahren, GRUNDSCHULE)


def test_gemeinde_table_ranks_the_largest_gaps(atlas_data, origins) -> None:
    a = analyse(origins, county_sites(atlas_data, "Grundschule"), Luftlinie("walk"), GRUNDSCHULE)
    table = gemeinde_table(a, atlas_data.gemeinden)
    assert len(table) == len(atlas_data.gemeinden) and table["name"].ne("").all()
    assert table["einwohner"].sum() == origins.einwohner.sum()
    assert table["einwohner_jenseits"].sum() == round(totals(a)["einwohner_jenseits"])
    ranked = table.dropna(subset=["rang"])
    assert list(ranked["rang"]) == list(range(1, len(ranked) + 1))
    assert (ranked["einwohner_jenseits"].diff().dropna() <= 0).all()
    assert (table.loc[table["rang"].isna(), "einwohner_jenseits"] == 0).all()
    # weighted mean of one Gemeinde by hand
    z = a.aktuell.zellen()
    first = table.iloc[0]
    part = z[z["ags"] == first["ags"]]
    mean_km = float((part["distanz_m"] * part["einwohner"]).sum() / part["einwohner"].sum()) / 1000.0
    assert first["distanz_km_mittel"] == pytest.approx(mean_km, abs=0.005)
    assert "einwohner_jenseits_delta" not in table.columns


def test_cells_without_sites(atlas_data, origins) -> None:
    frame = cells_without_sites(origins, county_cells(atlas_data), GRUNDSCHULE)
    assert len(frame) == len(origins) and set(frame["klasse"]) == {"kein_standort"}
    assert frame["einwohner"].sum() == pytest.approx(origins.einwohner.sum())


def test_method_configuration(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("ATLAS_OSM_PBF", raising=False)
    assert osm_pbf_path() is None
    assert make_verfahren("car").methode == "luftlinie"
    monkeypatch.setenv("ATLAS_OSM_PBF", str(tmp_path / "fehlt.osm.pbf"))
    with pytest.raises(NetworkError, match="ATLAS_OSM_PBF angegebene OSM-Datei .*fehlt.osm.pbf' wurde nicht gefunden"):
        osm_pbf_path()
    test_pbf = pyrosm.get_data("test_pbf")  # bundled with pyrosm, offline
    monkeypatch.setenv("ATLAS_OSM_PBF", test_pbf)
    path = osm_pbf_path()
    from atlas.accessibility.county import load_network

    net = load_network(path, "walk")
    v = make_verfahren("walk", net)
    assert isinstance(v, Netz) and v.methode == "netz" and "Straßennetz" in v.beschreibung
    with pytest.raises(AccessibilityError, match="für 'walk' gebaut, nicht für 'car'"):
        make_verfahren("car", net)
