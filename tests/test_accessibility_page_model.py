"""The Erreichbarkeit view-model (atlas.accessibility.page_model) without Streamlit."""

from __future__ import annotations

import datetime as dt

from atlas.accessibility import page_model as pm
from atlas.accessibility.standards import parse_standards


def _standards():
    # SYNTHETIC standards: the second one's category has no placed site
    return parse_standards({"standards": [
        {"id": "a", "kategorie": "Bücherei", "label": "Bücherei", "mode": "car", "schwelle": 15, "einheit": "min",
         "art": "deskriptiv", "quelle": "Beispiel"},
        {"id": "b", "kategorie": "Kita", "label": "Kita", "mode": "walk", "schwelle": 1, "einheit": "km",
         "art": "deskriptiv", "quelle": "Beispiel"},
    ]})


def test_default_destination_is_the_first_standard_with_placed_sites() -> None:
    options = ["Bücherei", "Kita", "Zahnarzt"]
    assert pm.default_destination(options, _standards(), placed={"Kita", "Zahnarzt"}) == "Kita"
    assert pm.default_destination(options, _standards(), placed={"Bücherei", "Kita"}) == "Bücherei"
    assert pm.default_destination(options, _standards(), placed=set()) == "Bücherei"
    assert pm.default_destination(["Zahnarzt"], _standards(), placed=set()) == "Zahnarzt"
    assert pm.choose_destination(None, options, "Kita") == ("Kita", None)
    assert pm.choose_destination("Zahnarzt", options, "Kita") == ("Zahnarzt", None)
    ziel, warning = pm.choose_destination("Mond", options, "Kita")
    assert ziel == "Kita" and warning == "Die Kategorie „Mond“ aus der Adresse ist unbekannt; gezeigt wird „Kita“."


def test_start_setting_prefers_the_users_last_choice_then_the_standard() -> None:
    std = _standards()["b"]
    assert pm.start_setting(None, std) == ("walk", 1.0, "km")
    assert pm.start_setting(("bike", 3.0, "km"), std) == ("bike", 3.0, "km")
    assert pm.start_setting(None, None) == pm.FALLBACK_SETTING


def test_a_change_that_helps_nobody_is_reported_neutrally() -> None:
    same = {"einwohner_jenseits": 100.0, "u15_jenseits": 10.0, "ue65_jenseits": 20.0,
            "anteil_einwohner_jenseits": 0.1, "einwohner_jenseits_vorher": 100.0, "u15_jenseits_vorher": 10.0,
            "ue65_jenseits_vorher": 20.0, "anteil_einwohner_jenseits_vorher": 0.1}
    assert [f.delta for f in pm.key_figures(same)] == [None] * 4
    kind, text = pm.scenario_message(same, 1, 0)
    assert kind == "info" and "keine Veränderung" in text and "±0" not in text
    better = {**same, "einwohner_jenseits": 60.0, "anteil_einwohner_jenseits": 0.06}
    figs = pm.key_figures(better)
    assert figs[0].delta == "-40" and figs[3].delta == "-4,0 Prozentpunkte" and figs[1].delta is None
    assert pm.scenario_message(better, 1, 0)[0] == "success"
    assert pm.scenario_message({**same, "einwohner_jenseits": 130.0}, 0, 1)[0] == "warning"
    assert pm.scenario_message({k: v for k, v in same.items() if "vorher" not in k}, 0, 0) is None
    # the second site adds nothing to the first one: said neutrally, with the total
    kind, text = pm.scenario_message(better, 2, 0, previous=(1, 0, 60.0))
    assert kind == "info" and "der zuletzt gesetzte Standort ändert nichts" in text and "-40" in text
    assert pm.scenario_message(better, 2, 0, previous=(1, 0, 70.0))[0] == "success"


def test_export_names_and_links() -> None:
    assert pm.export_filename("Bahnhöfe und Haltepunkte", "zellen", "csv", dt.date(2026, 1, 2)) == \
        "erreichbarkeit-bahnhöfe-und-haltepunkte-zellen-2026-01-02.csv"
    assert pm.osm_link(10.123456, 50.654321) == \
        "https://www.openstreetmap.org/?mlat=50.65432&mlon=10.12346#map=15/50.65432/10.12346"


def test_proposals_carry_a_usable_location(atlas_data) -> None:
    from atlas.accessibility import best_new_sites
    from atlas.accessibility.county import analyse, county_origins, county_sites, make_verfahren
    from atlas.accessibility.standards import load_standards

    kita = next(s for s in load_standards().values() if s.kategorie == "Kita")
    origins = county_origins(atlas_data)
    verfahren = make_verfahren(kita.mode)
    result = analyse(origins, county_sites(atlas_data, "Kita"), verfahren, kita)
    best = best_new_sites(result.aktuell, verfahren, k=2)
    table, ll = pm.proposals_table(best, atlas_data, dict(zip(origins.index.astype(str), origins.ags, strict=True)))
    assert len(table) == len(best.auswahl) == len(ll)
    orte = atlas_data["orte"]
    kreis_orte = set(orte.loc[orte["in_kreis"].astype(bool), "name"].astype(str))
    gem_names = set(atlas_data.gemeinden["name"].astype(str))
    for _, row in table.iterrows():
        assert row["Nächster Ort"] in kreis_orte and row["Gemeinde"] in gem_names
        lat, lon = row["Breite (°N)"], row["Länge (°O)"]
        assert len(lat.split(",")[1]) == 5 and len(lon.split(",")[1]) == 5
        assert row["Auf der Karte"].startswith("https://www.openstreetmap.org/?mlat=" + lat.replace(",", "."))


def test_downloads_are_written_only_when_asked_for() -> None:
    import geopandas as gpd
    import pandas as pd

    table = pd.DataFrame({"name": ["A"], "einwohner_jenseits": [3]})  # SYNTHETIC
    cells = gpd.GeoDataFrame({"grd_id": ["x"]}, geometry=gpd.points_from_xy([0.0], [0.0]), crs="EPSG:25832")
    dls = pm.downloads("Kita", table, cells, ["Kopfzeile"])
    assert [d.key for d in dls] == ["dl_gemeinden", "dl_zellen", "dl_gpkg"]
    assert all(callable(d.data) for d in dls)
    assert dls[0].data().decode("utf-8-sig").startswith("# Kopfzeile\n")
    assert dls[0].file_name.startswith("erreichbarkeit-kita-gemeinden-") and dls[0].file_name.endswith(".csv")


def test_thresholds_are_offered_in_german_notation() -> None:
    assert pm.threshold_options("km")[:3] == [0.5, 1.0, 1.5]
    assert 2.2 in pm.threshold_options("km", 2.2) and pm.nearest_option("km", 2.2) == 2.2
    assert pm.threshold_label(2.5, "km") == "2,5 km" and pm.threshold_label(15.0, "min") == "15 min"
