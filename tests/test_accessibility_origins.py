"""Origins where people live: settlement shares of 1-km cells and the Zensus 100-m grid, on SYNTHETIC
cells, markers and grid files (hand-computed expectations)."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest
from shapely.geometry import box

from atlas.accessibility.errors import OriginsError
from atlas.accessibility.origins import (
    build_wohnorte,
    origins_from_layer,
    origins_note,
    settlement_origins,
    share_label,
    zensus100m_origins,
)
from tests.fixtures.synthetic_accessibility import X0, Y0, pt
from tests.fixtures.synthetic_origins import GEMEINDEN, cells, laea, markers, zensus_csv



def test_cell_population_is_split_in_equal_whole_shares_over_merged_markers() -> None:
    # c1: a village point and two stops 40 m apart (one road, both sides) → 2 settlement points;
    # c2: no marker → its centre. A marker outside every Gemeinde is ignored.
    found = markers([("Ort Westdorf", 200, 200), ("Haltestelle Mitte", 800, 800), ("Haltestelle Mitte", 840, 800),
                     ("Ort Nirgendwo", -9000, 0)])
    out = settlement_origins(cells(), found, GEMEINDEN).set_index("origin_id")
    assert list(out.index) == ["c1-1", "c1-2", "c2"]
    assert out.loc[["c1-1", "c1-2"], "einwohner"].tolist() == [51.0, 50.0]  # 101 whole people
    assert out.loc[["c1-1", "c1-2"], "u15"].sum() == 10 and out.loc[["c1-1", "c1-2"], "ue65"].sum() == 21
    assert out.loc["c1-1", "anteil"] == pytest.approx(0.5)
    assert (out.loc["c1-1", "x"], out.loc["c1-1", "y"]) == pytest.approx((X0 + 200, Y0 + 200))
    assert (out.loc["c1-2", "x"], out.loc["c1-2", "y"]) == pytest.approx((X0 + 820, Y0 + 800))  # merged: the mean
    assert (out.loc["c2", "x"], out.loc["c2", "y"]) == pytest.approx((X0 + 2500, Y0 + 500))
    assert out.loc["c2", "marker"].startswith("Zellmitte") and out.loc["c2", "einwohner"] == 30
    # the two parts tile the cell; each holds its marker
    assert out.loc[["c1-1", "c1-2"]].geometry.area.sum() == pytest.approx(1_000_000)
    assert out.loc["c1-1"].geometry.contains(pt(200, 200))
    assert set(out["modell"]) == {"siedlungen"}


def test_a_share_belongs_to_the_gemeinde_its_marker_lies_in() -> None:
    # c2's centre is in B; put its only marker in B too, and a marker of c1 on the A side
    grid = cells()
    grid.loc[0, "geometry"] = box(X0 + 500, Y0, X0 + 1500, Y0 + 1000)  # c1 straddles the border at 1000 m
    out = settlement_origins(grid, markers([("Ort Ost", 1400, 500), ("Ort West", 600, 500)]), GEMEINDEN)
    by_marker = out.set_index("marker")
    assert by_marker.loc["Ort Ost", "ags"] == "B" and by_marker.loc["Ort West", "ags"] == "A"


def test_origins_from_layer_measure_from_the_settlement_point() -> None:
    layer = settlement_origins(cells(), markers([("Ort Westdorf", 200, 200)]), GEMEINDEN)
    origins = origins_from_layer(layer)
    assert origins.modell == "siedlungen" and list(origins.index) == ["c1-1", "c2"]
    np.testing.assert_allclose(origins.xy[0], [X0 + 200, Y0 + 200])
    assert origins.einwohner.tolist() == [101.0, 30.0]
    assert "Siedlungspunkte" in origins_note(origins.modell) and "geschätzt" in origins_note(origins.modell)


def test_zensus_100m_grid_gives_one_origin_per_populated_cell(tmp_path) -> None:
    (ax, ay), (bx, by), (fx, fy) = laea(500, 500), laea(2500, 500), laea(60_000, 0)
    path = zensus_csv(tmp_path, [
        f"CRS3035RES100mN1E1;{ax:.0f};{ay:.0f};40",
        f"CRS3035RES100mN1E2;{bx:.0f};{by:.0f};12",
        f"CRS3035RES100mN1E3;{bx + 100:.0f};{by:.0f};–",   # secrecy mark: dropped
        f"CRS3035RES100mN1E4;{fx:.0f};{fy:.0f};99",          # outside the Gemeinden: dropped
    ])
    out = zensus100m_origins(path, cells(), GEMEINDEN).set_index("origin_id")
    assert list(out.index) == ["CRS3035RES100mN1E1", "CRS3035RES100mN1E2"]
    assert out["einwohner"].tolist() == [40.0, 12.0]
    assert out["ags"].tolist() == ["A", "B"] and out["grd_id"].tolist() == ["c1", "c2"]
    # age groups from the shares of the enclosing 1-km cell (estimate): c1 10/101 and 21/101
    assert out.loc["CRS3035RES100mN1E1", "u15"] == round(40 * 10 / 101)
    assert out.loc["CRS3035RES100mN1E1", "ue65"] == round(40 * 21 / 101)
    assert out.geometry.area.to_numpy() == pytest.approx([10_000, 10_000], rel=0.01)  # 100-m squares
    assert set(out["modell"]) == {"zensus_100m"}


def test_zensus_100m_from_the_official_zip_and_errors(tmp_path) -> None:
    ax, ay = laea(500, 500)
    csv = zensus_csv(tmp_path, [f"CRS3035RES100mN1E1;{ax:.0f};{ay:.0f};7"])
    zpath = tmp_path / "Zensus2022_Bevoelkerungszahl.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.write(csv, "Zensus2022_Bevoelkerungszahl_100m-Gitter.csv")
    assert zensus100m_origins(zpath, cells(), GEMEINDEN)["einwohner"].tolist() == [7.0]
    with pytest.raises(OriginsError, match="nicht gefunden"):
        zensus100m_origins(tmp_path / "fehlt.csv", cells(), GEMEINDEN)
    bad = tmp_path / "bad.csv"
    bad.write_text("id;wert\n1;2\n", encoding="utf-8")
    with pytest.raises(OriginsError, match="erwartete Spalten GITTER_ID_100m"):
        zensus100m_origins(bad, cells(), GEMEINDEN)


def test_build_layer_uses_the_100m_grid_when_given(tmp_path) -> None:
    ax, ay = laea(500, 500)
    path = zensus_csv(tmp_path, [f"CRS3035RES100mN1E1;{ax:.0f};{ay:.0f};5"])
    orte = markers([("Westdorf", 200, 200)]).rename(columns={"marker": "name"})
    with_grid = build_wohnorte(cells(), GEMEINDEN, orte, None, path)
    assert set(with_grid["modell"]) == {"zensus_100m"}
    without = build_wohnorte(cells(), GEMEINDEN, orte, None, None)
    assert set(without["modell"]) == {"siedlungen"}
    assert without.set_index("origin_id").loc["c1-1", "marker"] == "Ort Westdorf"


def test_share_label_names_the_estimate() -> None:
    assert share_label(1 / 3, "Haltestelle Ernststraße, Meiningen") == (
        "geschätzt: 1/3 der Rasterzelle, um Haltestelle Ernststraße, Meiningen")
    assert share_label(1.0, "Zellmitte (kein Siedlungspunkt)") == ""
    assert share_label(None, "x") == "" and share_label("kaputt", "x") == ""


def test_build_takes_the_cut_100m_grid_from_the_source_folder(source_copy, tmp_path, monkeypatch) -> None:
    """SYNTHETIC 100-m cells (made-up counts) at two Gemeinde points of the real source folder."""
    import geopandas as gpd

    from atlas.accessibility.origins import ZENSUS_100M_FILE
    from atlas.atlasdata import load_atlas
    from atlas.build import build

    monkeypatch.delenv("ATLAS_ZENSUS_100M", raising=False)
    gem = gpd.read_file(source_copy / "gemeinden_vg250ew_sm_buffer15km.geojson")
    own = gem[gem["ags"].astype(str).str.startswith("16066")].head(2)
    pts = own.to_crs("EPSG:25832").representative_point().to_crs("EPSG:3035")
    rows = [f"SYN{i};{p.x:.0f};{p.y:.0f};{n}" for i, (p, n) in enumerate(zip(pts, (12, 30), strict=True))]
    (source_copy / ZENSUS_100M_FILE).write_text("GITTER_ID_100m;x_mp_100m;y_mp_100m;Einwohner\n" + "\n".join(rows) + "\n",
                                                encoding="utf-8")
    build(source=source_copy, data=tmp_path / "data", use_register=False)
    layer = load_atlas(tmp_path / "data")["wohnorte"]
    assert set(layer["modell"]) == {"zensus_100m"}
    assert sorted(layer["einwohner"].tolist()) == [12.0, 30.0]
    assert set(layer["ags"]) == set(own["ags"].astype(str))
