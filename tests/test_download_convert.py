"""Converters of ``atlas download``: official original formats → the files the build reads.

Two kinds of checks, all offline:
* round trips on the REAL source folder (``ATLAS_SOURCE_DIR``): the real file is turned back into the
  original's format and converted again, which must reproduce it (and PROVENANCE's figures);
* SYNTHETIC originals (tests/fixtures/synthetic_download_originals.py) for filtering and cleaning rules.
"""

from __future__ import annotations

import csv
import io
import json

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest

from atlas import settings
from atlas.download import boundaries, deutschlandatlas, parse_from_files, places, population
from atlas.download.study_area import study_area
from atlas.errors import SourceError
from atlas.sources import load_sources
from tests.fixtures import synthetic_download_originals as syn

SRC = settings.source_dir()
#: Kreis list of PROVENANCE.md (Kreise intersecting the SM buffer, VG5000 2021).
SM_KREISE = ["06631", "06632", "09473", "09672", "09673", "16054", "16056", "16063", "16066", "16067",
             "16069", "16070"]


@pytest.fixture(scope="module")
def sm_area(source_folder):
    gem = gpd.read_file(source_folder / "gemeinden_vg250ew_sm_buffer15km.geojson")
    return study_area(gem, "16066", "Schmalkalden-Meiningen", "Landkreis").with_kreise(SM_KREISE)


@pytest.fixture(scope="module")
def syn_area():
    gem = boundaries.convert_vg250(boundaries.features_to_frame(syn.wfs_gem_features(), what="vg250_gem"),
                                   boundaries.features_to_frame(syn.wfs_krs_features(), what="vg250_krs"))
    return study_area(gem, syn.KREIS, "Synthkreis", "Landkreis").with_kreise(syn.KREISE_IM_GEBIET)


# --------------------------------------------------------------------------- real data round trips

def test_study_area_reproduces_provenance(sm_area, source_kreis):
    reference = gpd.read_file(SRC / "study_area_sm_buffer15km.geojson").to_crs(settings.METRIC_CRS).geometry.iloc[0]
    assert sm_area.buffer.symmetric_difference(reference).area < 1.0  # m²
    lon0, lat0, lon1, lat1 = gpd.GeoSeries([sm_area.buffer], crs=settings.METRIC_CRS).to_crs(4326).total_bounds
    assert (round(lon0, 3), round(lon1, 3), round(lat0, 3), round(lat1, 3)) == (9.825, 10.967, 50.258, 50.986)
    gem = gpd.read_file(SRC / "gemeinden_vg250ew_sm_buffer15km.geojson")
    own = gem[gem["ags"].astype(str).str.startswith("16066")]
    assert (sm_area.n_gemeinden, sm_area.pop) == (len(source_kreis.ags), int(own["pop"].sum()))  # the file's own rows
    outline = own.to_crs(settings.METRIC_CRS).union_all()
    assert sm_area.area_km2 == pytest.approx(outline.area / 1e6, abs=0.01)  # of the dissolved outline, in EPSG:25832


def test_vg5000_kreis_list_is_the_provenance_list(sm_area):
    krs = gpd.read_file(SRC / "vg5000_2021_krs_sm_buffer15km.geojson")
    layers = {"gem": gpd.read_file(SRC / "vg5000_2021_gem_sm_buffer15km.geojson"), "krs": krs,
              "vwg": gpd.read_file(SRC / "vg5000_2021_vwg_sm_buffer15km.geojson"),
              "lan": gpd.read_file(SRC / "vg5000_2021_lan_clipped_sm_buffer15km.geojson")}
    out, kreise = boundaries.convert_vg5000(layers, sm_area)
    assert kreise == SM_KREISE
    # the real files were made by this conversion: converting them again keeps every row
    assert (len(out["gem"]), len(out["krs"]), len(out["vwg"])) == (len(layers["gem"]), len(krs), len(layers["vwg"]))


def test_geonames_round_trip_reproduces_the_real_file(sm_area):
    real = (SRC / "geonames_postalcodes_localities_sm_buffer15km.csv").read_bytes()
    frame = pd.read_csv(io.BytesIO(real), dtype=str, keep_default_na=False)
    far = "DE\t24937\tFlensburg (SYNTHETIC far row)\tSchleswig-Holstein\tSH\t\t00\tFlensburg\t01001\t54.7833\t9.4333\t4"
    de_txt = "\n".join(["\t".join(row) for row in frame.to_numpy()] + [far]) + "\n"
    converted = places.convert_geonames(places.read_geonames(de_txt.encode("utf-8")), sm_area)
    assert converted.to_csv(index=False, lineterminator="\n").encode("utf-8") == real
    assert len(converted) == len(frame)  # the synthetic far row is dropped
    assert (converted["admin_code3"] == "16066").sum() == (frame["admin_code3"] == "16066").sum() > 0


@pytest.mark.data
def test_zensus_filter_reproduces_the_real_file(source_kreis):
    real = (SRC / "zensus2022_bevoelkerung_gemeinden_sm_region.csv").read_bytes()
    other = ("1000A;Bevölkerung kompakt (Gebietsstand 15.05.2022);STAG;Stichtag;2022-05-15;GEOGM4;Gemeinden "
             "(Gebietsstand 15.05.2022);010010000000;Flensburg, Stadt (SYNTHETIC);1;Anzahl;PRS018;Personen;e\n")
    table = population.convert_zensus(real + other.encode("utf-8"), SM_KREISE, "16066")
    assert table.to_csv(sep=";", index=False, lineterminator="\n").encode("utf-8") == real
    own = table.loc[table["1_variable_attribute_code"].str.startswith("16066"), "value"]
    assert len(own) == len(source_kreis.ags) and pd.to_numeric(own).sum() == source_kreis.einwohner


def test_census_grid_round_trip_reproduces_the_real_layer(sm_area):
    real = gpd.read_file(SRC / "census2021_grid1km_sm_buffer15km.gpkg")
    csv_frame = pd.DataFrame(real.drop(columns=["geometry", "nb", "E", "N", "centroid_in_sm"]))
    csv_frame.insert(15, "POPULATED", 1)
    for flag in population.FLAGS:
        csv_frame[flag] = csv_frame[flag].map({0: "", 1: "-9999"})
    grid = population.convert_census_grid(io.BytesIO(csv_frame.to_csv(index=False).encode()), sm_area)
    expected = real.sort_values(["N", "E"]).reset_index(drop=True)
    assert list(grid.columns) == list(real.columns)
    assert grid.crs.to_epsg() == 3035 and len(grid) == len(real)
    assert int(grid["centroid_in_sm"].sum()) == int(real["centroid_in_sm"].sum()) > 0
    assert int(grid.loc[grid["centroid_in_sm"], "T"].sum()) == int(real.loc[real["centroid_in_sm"].astype(bool), "T"].sum())
    assert (grid.drop(columns="geometry").to_numpy() == expected.drop(columns="geometry").to_numpy()).all()
    assert grid.geometry.geom_equals(expected.geometry).all()


def _number(text: str) -> object:
    try:
        return float(text)
    except ValueError:
        return text


@pytest.mark.data
def test_deutschlandatlas_round_trip_keeps_keys_and_values(tmp_path):
    sources = {k: s for k, s in load_sources().items() if k.startswith("da_")}
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for source in sources.values():
        sheet = workbook.create_sheet(deutschlandatlas.sheet_name(source))
        rows = list(csv.reader((SRC / source.datei).open(encoding="utf-8")))
        sheet.append(rows[0])
        for row in rows[1:]:  # keys as numbers, as in the published workbook (leading zeros lost)
            sheet.append([int(row[0]), *((None if v == "" else _number(v)) for v in row[1:])])
    path = tmp_path / "Deutschlandatlas-Daten.xlsx"
    workbook.save(path)
    book = deutschlandatlas.open_workbook(path)
    for source in sources.values():
        text = deutschlandatlas.convert_sheet(book, source, SM_KREISE)
        got = list(csv.reader(io.StringIO(text)))
        want = list(csv.reader((SRC / source.datei).open(encoding="utf-8")))
        assert [r[0] for r in got] == [r[0] for r in want], source.key  # zero-padded keys, same rows
        for g_row, w_row in zip(got, want, strict=True):
            for g, w in zip(g_row, w_row, strict=True):
                gv, wv = _number(g), _number(w)
                assert gv == pytest.approx(wv, rel=1e-13) if isinstance(wv, float) else gv == wv


# ------------------------------------------------------------------------------ synthetic originals

def test_vg250_reduction_drops_water_and_names_counties(syn_area):
    gem = boundaries.features_to_frame(syn.wfs_gem_features(), what="vg250_gem")
    krs = boundaries.features_to_frame(syn.wfs_krs_features(), what="vg250_krs")
    converted = boundaries.convert_vg250(gem, krs)
    assert len(converted) == 5  # the GF 2 water part of Synthdorf A is not a Gemeinde
    selected = boundaries.select_vg250(converted, syn_area)
    assert list(selected.columns) == [*boundaries.VG250_COLUMNS, "geometry"]
    rows = selected.set_index("ags")
    assert sorted(rows.index) == ["16096000", "16098001", "16099001", "16099002"]  # Fernort is 80 km away
    assert rows.loc["16099001", "county"] == "Synthkreis" and rows.loc["16096000", "county"] == "Synthstadt"
    assert rows["in_sm"].to_dict() == {"16099001": True, "16099002": True, "16098001": False, "16096000": False}
    assert rows.loc["16099001", "pop"] == 1200 and rows.loc["16099001", "density"] == 12.0
    assert (syn_area.n_gemeinden, syn_area.pop, syn_area.area_km2) == (2, 2000, 200.0)


def test_vg250_axis_order_is_repaired_when_a_server_sends_lat_lon():
    swapped = json.loads(json.dumps(syn.wfs_gem_features()))
    for feature in swapped:
        for ring in feature["geometry"]["coordinates"]:
            for point in ring:
                point.reverse()
    frame = boundaries.features_to_frame(swapped, what="vg250_gem")
    assert 10 < frame.total_bounds[0] < 12 and 50 < frame.total_bounds[1] < 51


def test_wfs_exception_report_is_a_german_error():
    with pytest.raises(SourceError, match=r"der Dienst meldete einen Fehler statt Daten: <ows:ExceptionReport"):
        boundaries.parse_wfs_geojson(b"<ows:ExceptionReport><ows:Exception/></ows:ExceptionReport>", url="http://x")


def test_geonames_keeps_points_in_the_buffer_and_quotes_commas(syn_area):
    frame = places.convert_geonames(places.read_geonames(syn.geonames_txt()), syn_area)
    assert list(frame["place_name"]) == [o[1] for o in syn.ORTE if o[4]]
    text = frame.to_csv(index=False, lineterminator="\n")
    assert '"Synthort, Ortsteil Süd"' in text and list(frame.columns) == places.GEONAMES_COLUMNS


def test_geonames_with_wrong_column_count_names_the_problem():
    with pytest.raises(SourceError, match=r"DE.txt hat 3 Spalten, erwartet sind 12 \(tabulatorgetrennt"):
        places.read_geonames(b"DE\t98999\tOrt\n")


def test_db_stations_from_tarball(tmp_path, syn_area):
    tgz = syn.db_stations_tgz(tmp_path).read_bytes()
    stations = places.convert_db_stations(places.read_db_stations(tgz), syn_area)
    assert list(stations["ibnr"]) == ["8099001", "8099002"]
    assert list(stations.columns) == [*places.STATION_COLUMNS, "geometry"]
    assert stations.loc[0, "has_stepless_access"] == "yes" and pd.isna(stations.loc[1, "has_stepless_access"])
    assert stations["category"].tolist() == [6, 6] and stations.crs.to_epsg() == 4326


def test_db_stations_broken_line_names_the_line():
    with pytest.raises(SourceError, match=r"full.ndjson, Zeile 2 ist kein gültiges JSON"):
        places.read_db_stations(b'{"id": "1"}\n{kaputt\n')


def test_census_grid_cleaning_rules(syn_area):
    grid = population.convert_census_grid(io.BytesIO(syn.census_grid_csv()), syn_area)
    kept = [c for c in syn.CELLS if c[3]]
    assert list(grid["T"]) == [c[2] for c in kept]
    assert list(grid["centroid_in_sm"]) == [c[4] for c in kept]
    assert (grid["EMP"] == 0).all() and (grid["EMP_CI"] == 1).all() and (grid["T_CI"] == 0).all()
    assert "POPULATED" not in grid.columns and (grid["nb"] == 1).all()
    first = grid.iloc[0]
    assert first["GRD_ID"] == f"CRS3035RES1000mN{first['N']}E{first['E']}"
    assert first.geometry.bounds == (first["E"], first["N"], first["E"] + 1000, first["N"] + 1000)


def test_census_grid_without_age_columns_is_rejected(syn_area):
    with pytest.raises(SourceError, match=r"der Datei fehlt die Spalte 'Y_LT15'"):
        population.convert_census_grid(io.BytesIO(b"GRD_ID,T\nCRS3035RES1000mN1E1,5\n"), syn_area)


def test_zensus_flat_csv_with_bom_and_kreis_filter(tmp_path):
    table = population.convert_zensus(syn.zensus_flat_csv(tmp_path).read_bytes(), syn.KREISE_IM_GEBIET, syn.KREIS)
    assert list(table.columns) == population.ZENSUS_COLUMNS
    assert list(table["1_variable_attribute_code"]) == ["160990000001", "160990000002", "160980000001",
                                                        "160960000000"]


def test_zensus_in_another_layout_asks_for_the_flat_format():
    with pytest.raises(SourceError, match=r"es fehlt die Spalte 'statistics_code' – bitte in der "
                                          r"Zensusdatenbank das Format „CSV \(flat\)“ wählen"):
        population.convert_zensus("Gemeinde;Einwohner\nX;1\n".encode(), ["16099"], "16099")


def test_zensus_without_the_kreis_is_rejected(tmp_path):
    with pytest.raises(SourceError, match=r"enthält keine Gemeinde des Kreises 16095"):
        population.convert_zensus(syn.zensus_flat_csv(tmp_path).read_bytes(), ["16095", "16096"], "16095")


def test_deutschlandatlas_pads_keys_filters_and_keeps_cells(tmp_path):
    sources = load_sources()
    sheets = {deutschlandatlas.sheet_name(sources[k]): sources[k].schluessel for k in ("da_gem1222", "da_vbgem1222")}
    book = deutschlandatlas.open_workbook(syn.deutschlandatlas_xlsx(tmp_path, sheets))
    gem = deutschlandatlas.convert_sheet(book, sources["da_gem1222"], syn.KREISE_IM_GEBIET)
    assert gem.splitlines() == [
        "GKZ1222,Gemeindename,wert_a,klasse",
        '16099001,"Synthdorf A, Gemeinde",2.5,50 bis unter 100',
        "16099002,Synthdorf B,-9999,50 bis unter 100",
        "16098001,Nachbarort,,50 bis unter 100",
        "16096000,Synthstadt,5.5,50 bis unter 100",
    ]
    vbg = deutschlandatlas.convert_sheet(book, sources["da_vbgem1222"], syn.KREISE_IM_GEBIET)
    assert [line.split(",")[0] for line in vbg.splitlines()[1:]] == ["160990000", "160990000", "160980000",
                                                                      "160960000"]
    with pytest.raises(SourceError, match=r"das Tabellenblatt 'Deutschlandatlas_KRS1222' fehlt"):
        deutschlandatlas.convert_sheet(book, sources["da_krs1222"], syn.KREISE_IM_GEBIET)


def test_from_file_arguments(tmp_path):
    original = tmp_path / "DE.zip"
    original.write_bytes(b"x")
    assert parse_from_files([f"orte={original}"]) == {"geonames": original.resolve()}
    assert parse_from_files([f"da_gem1222={original}"]) == {"deutschlandatlas": original.resolve()}
    with pytest.raises(SourceError, match=r"--from-file erwartet SCHLÜSSEL=PFAD, angegeben war 'orte'"):
        parse_from_files(["orte"])
    with pytest.raises(SourceError, match=r"unbekannter Schlüssel 'wetter'. Möglich sind: vg5000, vg250_gem"):
        parse_from_files([f"wetter={original}"])
    with pytest.raises(SourceError, match=r"--from-file geonames: die Datei .*fehlt.zip existiert nicht"):
        parse_from_files([f"geonames={tmp_path / 'fehlt.zip'}"])
