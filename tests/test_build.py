"""The data build on the real sources of Landkreis Schmalkalden-Meiningen."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from atlas import settings
from atlas._helpers import file_sha256
from atlas.build import LAYER_NAMES, build
from atlas.cli import main as cli_main
from atlas.errors import SourceError
from atlas.indicators import load_catalogue
from atlas.sources import load_sources

#: Every test here reads the third-party source folder (tests/conftest.py).
pytestmark = pytest.mark.data

SOURCE_DIR = settings.source_dir()


def test_gemeinden_count_population_and_keys(atlas_data, source_kreis):
    gem = atlas_data.gemeinden
    assert sorted(gem["ags"]) == list(source_kreis.ags)  # every Gemeinde of the Kreis in the VG250 file
    assert gem["ags"].is_unique
    assert gem["ags"].str.startswith("16066").all()
    # Zensus 2022 (15.05.2022), table 1000A-0000: the Gemeinden sum to the Kreis total of the Zensus file
    # (121,525 on the 2026-12 data).
    assert int(gem["einwohner"].sum()) == source_kreis.einwohner
    meiningen = gem.set_index("name").loc["Meiningen"]
    assert meiningen["ags"] == "16066042"
    assert gem.crs.to_string() == settings.METRIC_CRS
    assert gem.geometry.is_valid.all()


def test_area_computed_in_metric_crs_matches_vg250_attribute(atlas_data):
    raw = gpd.read_file(SOURCE_DIR / "gemeinden_vg250ew_sm_buffer15km.geojson")
    raw = raw[raw["ags"].str.startswith("16066")].set_index("ags")["area_km2"]
    ours = atlas_data.gemeinden.set_index("ags")["flaeche_km2"]
    # The attribute is the official (cadastral) area; ours is the geometric area of a polygon with
    # coordinates rounded to 4 decimals (7–11 m): they agree within 0.3 km² or 1 %.
    diff = (ours - raw).abs()
    assert ((diff <= 0.3) | (diff / raw <= 0.01)).all()
    assert ours.sum() == pytest.approx(1250.36, abs=2.0)


def test_age_groups_add_up_and_follow_the_grid(atlas_data):
    gem = atlas_data.gemeinden
    assert (gem[["einw_u15", "einw_15_64", "einw_65plus"]].sum(axis=1) == gem["einwohner"]).all()
    assert gem["altersgruppen_geschaetzt"].all()
    # The grid (centroid rule) has 33,889 of 121,214 people aged 65+ in the county (27.96 %).
    share_65 = gem["einw_65plus"].sum() / gem["einwohner"].sum()
    assert share_65 == pytest.approx(33_889 / 121_214, abs=0.005)


def test_deutschlandatlas_gemeinde_indicators_join_completely(atlas_data, built, source_kreis):
    gem = atlas_data.gemeinden.set_index("ags")
    raw = pd.read_csv(SOURCE_DIR / "deutschlandatlas_gem1222_sm_region.csv", dtype={"GKZ1222": str})
    raw = raw.set_index("GKZ1222")
    for ags in gem.index:
        assert gem.loc[ags, "p_grunds"] == pytest.approx(float(raw.loc[ags, "p_grunds"]))
    joined = [i for i in load_catalogue() if i.ebene in ("gemeinde", "gemeindeverband") and i.datei
              and load_sources()[_key(i.datei)].verknuepfen]
    assert len(joined) >= 25
    for indicator in joined:
        assert built.manifest_data["indikatoren_werte"][indicator.id] == len(source_kreis.ags), indicator.id


def _key(datei: str) -> str:
    return next(k for k, s in load_sources().items() if s.datei == datei)


def test_gemeindeverband_indicators_via_ars_and_2019_name_crosswalk(atlas_data):
    gem = atlas_data.gemeinden.set_index("name")
    # Birx belongs to VG Hohe Rhön (ARS 160665005); VBGEM1219 keys it as 16066905:
    # oenv 78.3, p_ozmz_miv 26.16, p_ozmz_oev 54.22 (hand-read from the CSV).
    assert gem.loc["Birx", "verband_ars"] == "160665005"
    assert gem.loc["Birx", "p_ozmz_miv"] == pytest.approx(26.16)
    assert gem.loc["Birx", "oenv"] == pytest.approx(78.3)
    # Meiningen (VG 160665050 / 16066950): p_ozmz_miv 3.68; VBGEM1222 pendel 18.76.
    assert gem.loc["Meiningen", "p_ozmz_miv"] == pytest.approx(3.68)
    assert gem.loc["Meiningen", "pendel"] == pytest.approx(18.76)


def test_pre_reform_2018_table_is_not_joined(atlas_data, built):
    assert "luftrtng" not in atlas_data.gemeinden.columns
    assert built.manifest_data["quellen"]["da_gem1218"]["verknuepft"] is False


def test_kreis_layer_and_kreis_indicators(atlas_data, source_kreis):
    kreis = atlas_data["kreis"]
    assert len(kreis) == 1
    row = kreis.iloc[0]
    assert row["name"] == "Landkreis Schmalkalden-Meiningen"
    assert row["einwohner"] == source_kreis.einwohner
    raw = pd.read_csv(SOURCE_DIR / "deutschlandatlas_krs1222_sm_region.csv", dtype={"KRS1222": str})
    alq = float(raw.loc[raw["KRS1222"] == "16066000", "alq"].iloc[0])
    assert row["alq"] == pytest.approx(alq)
    # The outline is the union of the Gemeinden: same area.
    assert kreis.geometry.iloc[0].area == pytest.approx(atlas_data.gemeinden.geometry.area.sum(), rel=1e-6)


def test_context_layers(atlas_data):
    neighbours = atlas_data["nachbar_gemeinden"]
    assert not neighbours["ags"].str.startswith("16066").any()
    # Bavarian Gemeinden come from VG5000 (VG250 file lacks Bavaria).
    assert (neighbours["ags"].str.startswith("09") & (neighbours["grenzen_quelle"] != "VG250-EW")).sum() >= 30
    # Expectations from the source files themselves (the folder changes; no counts of today's files here).
    sources = load_sources()
    krs = gpd.read_file(SOURCE_DIR / sources["vg5000_krs"].datei)
    assert len(atlas_data["nachbar_kreise"]) == int((krs["AGS"].astype(str) != "16066").sum())
    stations = atlas_data["bahnhoefe"]
    assert len(stations) == len(gpd.read_file(SOURCE_DIR / sources["bahnhoefe"].datei))
    meiningen = stations[stations["name"] == "Meiningen"]
    assert len(meiningen) == 1 and bool(meiningen["in_kreis"].iloc[0])
    grid = atlas_data["bevoelkerung_1km"]
    raw_grid = gpd.read_file(SOURCE_DIR / sources["raster_1km"].datei).to_crs(settings.METRIC_CRS)
    assert len(grid) == len(raw_grid)
    # A cell is in the county when its centre lies in one of the county's Gemeinden (recomputed here).
    raw_gem = gpd.read_file(SOURCE_DIR / sources["gemeinden"].datei).to_crs(settings.METRIC_CRS)
    county = raw_gem[raw_gem["ags"].astype(str).str.startswith("16066")].union_all()
    inside = raw_grid.geometry.centroid.within(county).to_numpy()
    assert int(grid["in_kreis"].sum()) == int(inside.sum())
    assert int(grid.loc[grid["in_kreis"], "einwohner"].sum()) == int(pd.to_numeric(raw_grid["T"])[inside].sum())


def test_offers_placed_with_precision_and_nothing_dropped(atlas_data, built):
    placed = atlas_data.angebote.set_index("id")
    unplaced = atlas_data["angebote_ohne_lage"].set_index("id")
    raw = pd.read_csv(SOURCE_DIR / "angebote_sm_oeffentliche_quellen.csv", dtype=str, keep_default_na=False)
    assert len(placed) + len(unplaced) == len(raw)
    assert set(placed["lage_genauigkeit"]) <= {"strasse", "einrichtung", "ortsteil", "gemeinde"}
    # Rows without a Gemeinde and the confidential ones are reported, with the reason.
    no_ort = set(raw.loc[raw["ort"].str.strip() == "", "id"])
    shelter = set(raw.loc[raw["name"].str.contains("Frauenhaus"), "id"])
    assert no_ort and shelter and set(unplaced.index) == no_ort | shelter
    assert all("Keine Gemeinde" in unplaced.loc[i, "grund"] for i in no_ort)
    assert all("vertraulich" in unplaced.loc[i, "grund"] for i in shelter)
    # Every derived position lies inside the offer's own Gemeinde.
    polygons = atlas_data.gemeinden.set_index("ags").geometry
    assert all(polygons[a].contains(g) for a, g in zip(placed["ags"], placed.geometry, strict=True))
    # An Ortsteil GeoNames lacks is placed by stop names when a stop names it, else at the Gemeinde's main
    # locality (hint: Ortsteil not found), else at the Gemeinde's middle.
    geonames = set(atlas_data["orte"]["name"])
    missing = placed[(placed["ortsteil"] != "") & ~placed["ortsteil"].isin(geonames)]
    assert len(missing) > 0
    unknown = placed["lage_hinweis"].str.contains("nicht im Ortsverzeichnis", regex=False)
    for oid, row in missing.iterrows():
        assert ("Haltestellennamen" in row["lage_hinweis"] or row["lage_genauigkeit"] in ("strasse", "einrichtung")
                or (unknown[oid] and ("Hauptort" in row["lage_hinweis"] or row["lage_genauigkeit"] == "gemeinde")))
    manifest = built.manifest_data["angebote"]
    assert {h["id"] for h in manifest["hinweise"]} == set(placed.index[unknown & (placed["ortsteil"] != "")])
    assert {r["id"] for r in manifest["ohne_lage"]} == no_ort | shelter


def test_offer_with_ortsteil_sits_on_the_geonames_locality(atlas_data):
    placed = atlas_data.angebote
    walldorf = placed[placed["ortsteil"] == "Walldorf"]
    assert len(walldorf) >= 1
    orte = pd.read_csv(SOURCE_DIR / "geonames_postalcodes_localities_sm_buffer15km.csv", dtype=str)
    row = orte[orte["place_name"] == "Walldorf"].iloc[0]
    point = gpd.GeoSeries(gpd.points_from_xy([float(row["longitude"])], [float(row["latitude"])]),
                          crs="EPSG:4326").to_crs(settings.METRIC_CRS).iloc[0]
    assert walldorf.geometry.iloc[0].distance(point) < 0.01
    assert (walldorf["lage_genauigkeit"] == "ortsteil").all()


def test_manifest_names_sources_with_hashes(built, source_kreis):
    manifest = json.loads(built.manifest.read_text(encoding="utf-8"))
    for key, source in load_sources().items():
        entry = manifest["quellen"][key]
        assert entry["sha256"] == file_sha256(SOURCE_DIR / source.datei)
    assert manifest["ebenen"]["gemeinden"] == len(source_kreis.ags)
    assert manifest["einwohner_zensus_2022"] == source_kreis.einwohner


def test_build_is_idempotent(built, tmp_path):
    second = build(source=SOURCE_DIR, data=tmp_path)
    for layer in LAYER_NAMES:
        a = pyogrio.read_dataframe(built.gpkg, layer=layer)
        b = pyogrio.read_dataframe(second.gpkg, layer=layer)
        pd.testing.assert_frame_equal(pd.DataFrame(a), pd.DataFrame(b))


def _previous_build(tmp_path: Path) -> tuple[Path, str]:
    out = tmp_path / "data"
    build(source=SOURCE_DIR, data=out)
    gpkg = out / settings.GPKG_NAME
    return out, file_sha256(gpkg)


def test_missing_file_fails_in_german_and_keeps_previous_build(source_copy, tmp_path, capsys):
    out, before = _previous_build(tmp_path)
    (source_copy / "zensus2022_bevoelkerung_gemeinden_sm_region.csv").unlink()
    with pytest.raises(SourceError, match="Quelldatei fehlt: zensus2022_bevoelkerung_gemeinden_sm_region.csv"):
        build(source=source_copy, data=out)
    assert file_sha256(out / settings.GPKG_NAME) == before
    code = cli_main(["build", "--source", str(source_copy), "--data", str(out)])
    assert code == 1
    assert "Quelldatei fehlt" in capsys.readouterr().err
    assert file_sha256(out / settings.GPKG_NAME) == before
    # only the build's lock file (see atlas.build.build_lock) stays next to the results
    assert sorted(p.name for p in out.iterdir()) == [".atlas-build.lock", "atlas.gpkg", "manifest.json"]


def test_corrupted_geojson_fails_in_german_and_keeps_previous_build(source_copy, tmp_path):
    out, before = _previous_build(tmp_path)
    target = source_copy / "db_stationen_sm_buffer15km.geojson"
    target.write_bytes(target.read_bytes()[:5000])  # truncated download
    with pytest.raises(SourceError, match="db_stationen_sm_buffer15km.geojson ist beschädigt"):
        build(source=source_copy, data=out)
    assert file_sha256(out / settings.GPKG_NAME) == before


def test_missing_column_is_named(source_copy, tmp_path):
    target = source_copy / "angebote_sm_oeffentliche_quellen.csv"
    frame = pd.read_csv(target, dtype=str).drop(columns=["kategorie"])
    frame.to_csv(target, index=False)
    with pytest.raises(SourceError, match="angebote_sm_oeffentliche_quellen.csv ist fehlerhaft: es fehlt die Spalte 'kategorie'"):
        build(source=source_copy, data=tmp_path / "out")
    assert not (tmp_path / "out" / settings.GPKG_NAME).exists()


def test_bad_population_value_names_row_and_field(source_copy, tmp_path):
    target = source_copy / "zensus2022_bevoelkerung_gemeinden_sm_region.csv"
    lines = target.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if ";160660092092;" in line)
    lines[row] = lines[row].replace(";12323;", ";zwölftausend;")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SourceError, match=rf"Zeile {row + 1}, Feld 'value'"):
        build(source=source_copy, data=tmp_path / "out")


def test_duplicate_offer_id_names_row(source_copy, tmp_path):
    target = source_copy / "angebote_sm_oeffentliche_quellen.csv"
    frame = pd.read_csv(target, dtype=str)
    frame.loc[5, "id"] = frame.loc[4, "id"]
    frame.to_csv(target, index=False)
    with pytest.raises(SourceError, match="Zeile 7, Feld 'id'"):
        build(source=source_copy, data=tmp_path / "out")


def test_wrong_kreis_key_is_rejected(tmp_path):
    from atlas.errors import AtlasError

    with pytest.raises(AtlasError, match="fünf Ziffern"):
        build(source=SOURCE_DIR, data=tmp_path, kreis="1606")
    with pytest.raises(SourceError, match="keine Gemeinde mit Kreisschlüssel 09999"):
        build(source=SOURCE_DIR, data=tmp_path, kreis="09999")
