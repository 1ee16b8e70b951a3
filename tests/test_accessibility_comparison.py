"""Plausibility check against the Deutschlandatlas and the downloads (CSV, GeoPackage)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pyogrio
import pytest

from atlas.accessibility import AccessibilityError, Luftlinie, compute_reachability, load_standards
from atlas.accessibility.comparison import (
    compare_with_deutschlandatlas,
    differences,
    indicators_for_category,
    weighted_median,
)
from atlas.accessibility.county import (
    analyse,
    cell_results,
    county_cells,
    county_origins,
    county_sites,
    gemeinde_table,
    hypothetical_sites,
)
from atlas.accessibility.export import GPKG_LAYER, cells_csv, cells_gpkg, gemeinde_csv
from atlas.indicators import load_catalogue


def test_weighted_median_by_hand() -> None:
    # weights 1, 1, 2 → half of 4 is reached at the second value
    assert weighted_median(np.array([3.0, 1.0, 2.0]), np.array([1.0, 1.0, 2.0])) == 2.0
    assert weighted_median(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 2.0])) == 2.0
    assert weighted_median(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 3.0])) == 3.0
    assert np.isnan(weighted_median(np.array([np.nan]), np.array([1.0])))
    assert weighted_median(np.array([7.0, 9.0]), np.array([0.0, 5.0])) == 9.0


def test_register_categories_with_deutschlandatlas_values() -> None:
    cat = load_catalogue()
    assert [i.id for i in indicators_for_category("Grundschule", cat)] == ["p_grunds"]
    assert [i.id for i in indicators_for_category("Krankenhaus", cat)] == ["p_notfall"]
    assert indicators_for_category("Tafel", cat) == []


@pytest.fixture(scope="module")
def grundschule(atlas_data):
    origins = county_origins(atlas_data)
    sites = county_sites(atlas_data, "Grundschule")
    return origins, sites, compute_reachability(origins, sites, Luftlinie("car"))


def test_grundschule_side_by_side_with_p_grunds(atlas_data, grundschule) -> None:
    _origins, sites, car = grundschule
    ind = indicators_for_category("Grundschule", load_catalogue())[0]
    vg = compare_with_deutschlandatlas(car, atlas_data.gemeinden, ind)
    t = vg.tabelle.set_index("ags")
    assert len(t) == len(atlas_data.gemeinden) and t["unser_median_min"].notna().all()
    gem = atlas_data.gemeinden.set_index("ags")
    assert t["da_wert"].to_dict() == pytest.approx(gem["p_grunds"].to_dict())
    # one Gemeinde by hand: population-weighted median of its cells' car minutes
    z = car.zellen()
    ags = "16066063"  # Schmalkalden
    part = z[z["ags"] == ags].sort_values("zeit_min")
    cum = part["einwohner"].cumsum()
    by_hand = float(part.loc[cum >= part["einwohner"].sum() / 2, "zeit_min"].iloc[0])
    assert t.loc[ags, "unser_median_min"] == pytest.approx(by_hand)
    assert t.loc[ags, "differenz"] == pytest.approx(by_hand - gem.loc[ags, "p_grunds"])
    # car minutes: straight line × 1.3 at 50 km/h
    assert float(z["zeit_min"].iloc[0]) == pytest.approx(float(z["distanz_m"].iloc[0]) / (50_000 / 60))
    headings = vg.spalten
    assert "Minuten" in headings["da_wert"] and "Gebietsstand 31.12.2022" in headings["da_wert"]
    assert "Luftlinie-Schätzung" in headings["unser_median_min"]
    s = vg.zusammenfassung()
    assert s["gemeinden"] == 39 and -1 <= s["rangkorrelation"] <= 1
    notes = differences(vg, n_sites=len(sites), n_unplaced=0, n_gemeinde_precision=3,
                        register_note=f"Das Register enthält {len(sites)} Grundschulen.")
    assert notes[0].startswith(f"Unser Register enthält {len(sites)} Standort(e) dieser Kategorie mit Kartenlage. "
                               "Das Register")
    assert any("jenseits der Kreisgrenze" in n for n in notes)
    assert any("3 nur Gemeindemitte" in n for n in notes)
    assert any(n.startswith("Unsere Zeit ist eine Schätzung aus der Luftlinie") for n in notes)
    assert any("ohne angegebenes Bezugsjahr" in n for n in notes)


def test_comparison_needs_car_and_unverified_unit_is_flagged(atlas_data, grundschule) -> None:
    origins, sites, _car = grundschule
    ind = indicators_for_category("Grundschule", load_catalogue())[0]
    with pytest.raises(AccessibilityError, match="braucht Pkw-Fahrzeiten"):
        compare_with_deutschlandatlas(compute_reachability(origins, sites, Luftlinie("walk")), atlas_data.gemeinden, ind)
    hosp = county_sites(atlas_data, "Krankenhaus")
    notfall = indicators_for_category("Krankenhaus", load_catalogue())[0]
    vg = compare_with_deutschlandatlas(compute_reachability(origins, hosp, Luftlinie("car")), atlas_data.gemeinden, notfall)
    notes = differences(vg, n_sites=len(hosp), n_unplaced=0, n_gemeinde_precision=0)
    assert notes[-1] == "Die Einheit des Deutschlandatlas-Werts „Erreichbarkeit der Notfallversorgung“ ist nicht geprüft; der Vergleich ist nur grob."
    assert "nicht geprüft" in vg.spalten["da_wert"]  # unit "unbekannt" reads "nicht geprüft"


def test_downloads_read_back(atlas_data, grundschule, tmp_path) -> None:
    origins, sites, _car = grundschule
    std = load_standards()["grundschule-fuss-2km"]
    a = analyse(origins, sites, Luftlinie("walk"), std, add=hypothetical_sites([(10.45, 50.65)]))
    table = gemeinde_table(a, atlas_data.gemeinden)
    raw = gemeinde_csv(table, ["Verfahren: Luftlinie", "Standard: Grundschule"])
    assert raw.startswith("\ufeff# Verfahren: Luftlinie\n# Standard: Grundschule\n".encode())
    back = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", comment="#", encoding="utf-8-sig", dtype={"AGS": str})
    assert list(back.columns[:4]) == ["Rang", "Gemeinde", "AGS", "Einwohner (Raster)"]
    assert "Veränderung jenseits" in back.columns
    assert len(back) == len(atlas_data.gemeinden) and back["jenseits: Einwohner"].sum() == table["einwohner_jenseits"].sum()
    assert back["Ø Entfernung (km)"].tolist() == pytest.approx(table["distanz_km_mittel"].tolist())

    cells = cell_results(a, county_cells(atlas_data))
    zc = pd.read_csv(io.BytesIO(cells_csv(cells)), sep=";", decimal=",", encoding="utf-8-sig")
    assert len(zc) == len(cells) and zc["distanz_m"].tolist() == pytest.approx(cells["distanz_m"].tolist())
    assert set(zc["methode"]) == {"luftlinie"} and set(zc["standard_id"]) == {"grundschule-fuss-2km"}

    path = tmp_path / "x.gpkg"
    path.write_bytes(cells_gpkg(cells))
    gp = pyogrio.read_dataframe(path, layer=GPKG_LAYER)
    assert len(gp) == len(cells) and gp.crs.to_epsg() == 25832
    # the parts of one 1-km cell of EPSG:3035 add up to ≈ 1 km² in EPSG:25832
    assert gp.geometry.area.groupby(gp["rasterzelle"]).sum().between(998_000, 1_001_000).all()
    assert gp["rasterzelle"].tolist() == cells["grd_id"].tolist()
    assert gp["jenseits_standard"].astype(bool).sum() == int(cells["jenseits"].sum())
