"""Council views: classification vs mapclassify, ranks and Kreis values by hand, profile parts on
synthetic geometry (hand-checked distances), the real Brotterode-Trusetal profile, slide lists."""

from __future__ import annotations

import math

import mapclassify
import numpy as np
import pandas as pd
import pytest

from atlas.council.compare import compare_pair, gemeinde_vs_kreis, kreis_value, ranking_table, ranks
from atlas.council.errors import CouncilError, SlidesError
from atlas.council.indicator_maps import (
    MapChoice,
    classify_indicator,
    grouped_indicators,
    indicator_map,
    parse_breaks,
)
from atlas.council.profile import (
    build_profile,
    nearest_station,
    offers_by_category,
    offers_near_count,
    population_centre,
    straight_line_table,
)
from atlas.council.slides import (
    Slide,
    SlideDeck,
    check_deck,
    clamp_index,
    decode_slides,
    encode_slides,
    load_deck,
    load_named_deck,
)
from atlas.indicators import indicator_by_id, load_handlungsfelder
from atlas.layers import load_layers
from atlas.mapview import prepare_base
from tests.fixtures.synthetic_council import (
    synthetic_cells,
    synthetic_gemeinden,
    synthetic_indicator,
    synthetic_offers,
    synthetic_stations,
)

KNOWN = [1.0, 2.0, 2.5, 3.0, 4.0, 7.0, 8.0, 9.5, 12.0, 20.0, 21.0, 35.0]
BROTTERODE = "16066074"


# ------------------------------------------------------------------------------- classification

@pytest.mark.parametrize("k", [3, 5, 7])
@pytest.mark.parametrize(("method", "reference"), [
    ("quantile", mapclassify.Quantiles),
    ("gleiche_intervalle", mapclassify.EqualInterval),
    ("natuerliche_brueche", mapclassify.FisherJenks),
])
def test_classification_equals_mapclassify(method, reference, k):
    frame = pd.DataFrame({"p_test": KNOWN})
    result = classify_indicator(frame, synthetic_indicator(), method, k)
    expected = reference(np.array(KNOWN), k=k)
    assert result.bins == pytest.approx(list(expected.bins))
    assert result.classes == [int(c) for c in expected.yb]
    assert sum(e.count for e in result.legend) == len(KNOWN)


def test_manual_breaks_typed_in_german_equal_user_defined():
    breaks = parse_breaks("2,5; 5; 10")
    assert breaks == [2.5, 5.0, 10.0]
    result = classify_indicator(pd.DataFrame({"p_test": KNOWN}), synthetic_indicator(), "manuell",
                                manual_breaks=breaks)
    expected = mapclassify.UserDefined(np.array(KNOWN), bins=[2.5, 5.0, 10.0, 35.0])
    assert result.bins == [2.5, 5.0, 10.0, 35.0]
    assert result.classes == [int(c) for c in expected.yb]
    assert [e.label for e in result.legend] == ["1 – 2,50", "über 2,50 – 5", "über 5 – 10",
                                                 "über 10 – 35"]


def test_missing_values_get_no_class_and_a_legend_entry():
    result = classify_indicator(synthetic_gemeinden(), synthetic_indicator(), "quantile", 3)
    assert result.classes[2] is None
    assert result.colours[2] == "#bdbdbd"
    assert result.legend[-1].label == "keine Angabe" and result.legend[-1].count == 1


@pytest.mark.parametrize(("text", "message"), [
    ("2,5; x", "Klassengrenze 2: 'x' ist keine Zahl. Grenzen bitte durch Semikolon trennen, z. B. 2,5; 5; 10."),
    ("  ", "Bitte mindestens eine Klassengrenze angeben, getrennt durch Semikolon (z. B. 5; 10; 15)."),
    ("5; 5", "Jede Klassengrenze darf nur einmal vorkommen."),
    ("1;2;3;4;5;6;7", "Höchstens 6 Grenzen (7 Klassen) sind möglich; angegeben waren 7."),
])
def test_bad_manual_breaks_have_german_messages(text, message):
    with pytest.raises(CouncilError) as info:
        parse_breaks(text)
    assert str(info.value) == message


def test_class_count_outside_3_to_7_is_refused():
    with pytest.raises(CouncilError, match=r"^Die Klassenzahl muss zwischen 3 und 7 liegen \(war 8\)\.$"):
        classify_indicator(pd.DataFrame({"p_test": KNOWN}), synthetic_indicator(), "quantile", 8)


def test_indicators_grouped_by_handlungsfeld_in_strategy_order(atlas_data):
    groups = grouped_indicators(list(atlas_data.gemeinden.columns))
    order = [h.label for h in load_handlungsfelder()]
    labels = [label for label, _ in groups]
    assert labels == [label for label in order if label in labels]
    ids = {ind.id for _, members in groups for ind in members}
    assert {"p_harzt", "einwohner", "anteil_65plus", "p_ozmz_oev"} <= ids
    assert all(ind.ebene in ("gemeinde", "gemeindeverband") and ind.werttyp == "zahl"
               for _, members in groups for ind in members)
    assert "alq" not in ids  # Kreis level only


def test_indicator_map_is_local_with_legend_source_and_focus(atlas_data):
    base = prepare_base(atlas_data)
    choice = MapChoice(indicator=indicator_by_id("p_harzt"), method="natuerliche_brueche", k=4,
                       focus_ags=BROTTERODE)
    result = indicator_map(base, load_layers(), choice, large=True)
    page = result.map.get_root().render()
    assert "/app/static/vendor/leaflet-1.9.4/leaflet.js" in page
    assert "cdn." not in page and "unpkg" not in page
    assert "atlas-fokus" in page and "atlas-gemeinden" in page
    assert "Einheit: Minuten" in page
    assert "Quelle: Deutschlandatlas der Bundesregierung" in page
    assert "font-size:20px" in page  # projector legend
    assert result.classification is not None and result.classification.k == 4
    assert "Deutschlandatlas der Bundesregierung (Stand 12.12.2024)" in result.attributions


# ------------------------------------------------------------------------------- ranks and Kreis

def test_ranks_by_hand():
    values = [5, 3, None, 3, 8]
    assert ranks(values, "hoeher_besser").tolist() == [2, 3, pd.NA, 3, 1]
    assert ranks(values, "hoeher_schlechter").tolist() == [3, 1, pd.NA, 1, 4]
    assert ranks(values, "neutral").tolist() == [2, 3, pd.NA, 3, 1]


def test_population_weighted_kreis_value_by_hand():
    gem = synthetic_gemeinden()
    kw = kreis_value(gem, pd.DataFrame({"ags": ["99000"]}), synthetic_indicator())
    # (100·10 + 300·20 + 550·20) / (100 + 300 + 550); C has no value
    assert kw.wert == pytest.approx((1000 + 6000 + 11000) / 950)
    assert kw.berechnet and kw.art == "Kreiswert (berechnet)"
    assert kw.erlaeuterung == ("berechnet: bevölkerungsgewichtetes Mittel der 3 Gemeinden (Gewicht: Einwohner "
                               "Zensus 2022); 1 Gemeinde(n) ohne Angabe nicht berücksichtigt")


def test_kreis_value_from_the_kreis_layer_when_present(atlas_data, source_kreis):
    kw = kreis_value(atlas_data.gemeinden, atlas_data["kreis"], indicator_by_id("einwohner"))
    assert kw.wert == source_kreis.einwohner and not kw.berechnet
    share = kreis_value(atlas_data.gemeinden, atlas_data["kreis"], indicator_by_id("anteil_u15"))
    kreis = atlas_data["kreis"].iloc[0]
    assert share.berechnet
    # weighted mean of rounded shares ≈ the Kreis's own u15 / population
    assert share.wert == pytest.approx(kreis["einw_u15"] / kreis["einwohner"] * 100, abs=0.05)
    dens = kreis_value(atlas_data.gemeinden, atlas_data["kreis"], indicator_by_id("dichte"))
    assert dens.wert == pytest.approx(source_kreis.einwohner / atlas_data.gemeinden["flaeche_km2"].sum())


def test_gemeinde_vs_kreis_and_tables_on_synthetic_data():
    gem = synthetic_gemeinden()
    ind = synthetic_indicator()
    row = gemeinde_vs_kreis(gem, pd.DataFrame({"ags": ["99000"]}), [ind], "99000001").iloc[0]
    assert row["Gemeinde"] == 10.0 and row["Rang"] == 1 and row["von"] == 3
    assert row["Abweichung"] == pytest.approx(10.0 - 18000 / 950)
    table = ranking_table(gem, [ind])
    assert list(table.columns) == ["Gemeinde", "Gemeindeschlüssel", "Synthetischer Testindikator (Minuten)",
                                   "Rang: Synthetischer Testindikator"]
    assert str(table["Rang: Synthetischer Testindikator"].dtype) == "Int64"  # sortable numbers
    assert table["Rang: Synthetischer Testindikator"].fillna(0).tolist() == [1, 2, 0, 2]
    other = synthetic_indicator("hoeher_besser", "einwohner", "Synthetische Einwohner")
    pair = compare_pair(gem, ind, other)
    assert pair["Gemeinde"].tolist() == ["Synthetisch A", "Synthetisch B", "Synthetisch D", "Synthetisch C"]
    assert pair["Rang: Synthetischer Testindikator"].tolist()[:3] == [1, 2, 2]
    assert pair["Rang: Synthetische Einwohner"].tolist() == [3, 2, 1, 4]  # 100, 300, 550, 50 people


def test_all_ranks_of_brotterode_match_a_plain_count(atlas_data, source_kreis):
    gem = atlas_data.gemeinden
    assert len(gem) == len(source_kreis.ags)
    table = gemeinde_vs_kreis(gem, atlas_data["kreis"], [indicator_by_id("p_harzt"),
                                                         indicator_by_id("bev_entw")], BROTTERODE)
    own = gem.set_index("ags").loc[BROTTERODE]
    harzt = [v for v in gem["p_harzt"] if not math.isnan(v)]
    entw = [v for v in gem["bev_entw"] if not math.isnan(v)]
    assert table.iloc[0]["Rang"] == 1 + sum(v < own["p_harzt"] for v in harzt)   # lower is better
    assert table.iloc[1]["Rang"] == 1 + sum(v > own["bev_entw"] for v in entw)  # higher is better


# --------------------------------------------------------------------------------- profile parts

def test_offers_in_and_near_a_gemeinde_by_hand():
    gem, offers = synthetic_gemeinden(), synthetic_offers()
    polygon = gem.geometry.iloc[0]
    table = offers_by_category(offers, polygon, "99000001", radius_m=5000)
    # (5,5) inside A; (12,5) is 2 km from A's edge; (18,5) 8 km and (26,5) 16 km away
    assert table.to_dict("records") == [
        {"Handlungsfeld": "Kinder/Familie/Migration", "Kategorie": "Kita", "in der Gemeinde": 1, "im Umkreis": 2},
    ]
    assert offers_near_count(offers, polygon, "99000001", 5000) == 2
    assert offers_near_count(offers, polygon, "99000001", 8000) == 3


def test_population_centre_and_nearest_station_by_hand():
    gem, cells = synthetic_gemeinden(), synthetic_cells()
    centre = population_centre(cells, gem.geometry.iloc[0], "99000001")
    # (100·(2,2) + 300·(8,8)) / 400 = (6.5, 6.5) km
    assert centre == pytest.approx((600_000 + 6500, 5_600_000 + 6500))
    station = nearest_station(synthetic_stations(), centre, "99000001")
    assert station.name == "Bahnhof West" and station.in_gemeinde
    assert station.distanz_m == pytest.approx(math.hypot(3500, 2500))  # 4301.2 m
    # No populated cell: a point inside the polygon
    fallback = population_centre(cells, gem.geometry.iloc[3], "99000004")
    assert gem.geometry.iloc[3].contains(__import__("shapely").Point(fallback))


def test_brotterode_trusetal_profile(atlas_data, source_kreis):
    profil = build_profile(atlas_data, BROTTERODE, estimates=straight_line_table(atlas_data))
    einwohner = source_kreis.einwohner_je_ags[BROTTERODE]  # the Zensus file's row
    assert profil.name == "Brotterode-Trusetal" and profil.einwohner == einwohner
    assert sum(g.einwohner for g in profil.altersgruppen) == einwohner
    assert [g.label for g in profil.altersgruppen] == ["unter 15 Jahre", "15 bis 64 Jahre", "65 Jahre und älter"]
    assert "geschätzt" in profil.altersgruppen_hinweis
    assert set(profil.erreichbarkeit["id"]) >= {"p_harzt", "p_apo", "p_grunds", "p_ozmz_oev"}
    assert all(i.startswith("p_") for i in profil.erreichbarkeit["id"])
    assert (profil.raenge["von"] <= len(atlas_data.gemeinden)).all() and len(profil.raenge) > len(profil.erreichbarkeit)
    # Offers: the Gemeinde's own offers equal the register rows with its key
    own = atlas_data.angebote[atlas_data.angebote["ags"] == BROTTERODE]
    assert profil.angebote_gesamt[0] == len(own) == profil.angebote["in der Gemeinde"].sum()
    assert profil.angebote_gesamt[1] >= profil.angebote_gesamt[0]
    # Nearest station: brute force over all stations from the population centre
    import shapely
    d = atlas_data["bahnhoefe"].geometry.distance(shapely.Point(profil.schwerpunkt))
    assert profil.bahnhof.distanz_m == pytest.approx(d.min())
    assert profil.bahnhof.name == atlas_data["bahnhoefe"].iloc[int(d.argmin())]["name"]
    assert profil.eigene_schaetzung is not None and "Luftlinie" in profil.eigene_hinweis
    assert "Grundschule zu Fuß (2 km)" in set(profil.eigene_schaetzung["Standard"])


def test_profile_without_own_estimate_and_unknown_gemeinde(atlas_data):
    profil = build_profile(atlas_data, BROTTERODE)
    assert profil.eigene_schaetzung is None and profil.eigene_hinweis == "Eigene Schätzung nicht berechnet."
    with pytest.raises(CouncilError, match=r"^Unbekannte Gemeinde \(Gemeindeschlüssel 12345678\)\.$"):
        build_profile(atlas_data, "12345678")


# ------------------------------------------------------------------------------------- slides

def test_prepared_deck_is_valid_against_the_data(atlas_data):
    deck = load_named_deck("beispiel")
    names = dict(zip(atlas_data.gemeinden["ags"], atlas_data.gemeinden["name"], strict=True))
    checked = check_deck(deck, atlas_data.gemeinden.columns, names)
    assert len(checked) == 4
    assert checked.folien[2].gemeinde == BROTTERODE  # name resolved to the key
    assert checked.folien[3].methode == "manuell" and checked.folien[3].grenzen == (15, 30, 45)


def test_url_form_round_trip():
    slides = (Slide(indikator="p_harzt"),
              Slide(indikator="p_grunds", methode="natuerliche_brueche", klassen=4, gemeinde=BROTTERODE),
              Slide(indikator="p_ozmz_oev", methode="manuell", grenzen=(15, 30.5), titel="ÖV, 15~30 Min."))
    text = encode_slides(slides)
    assert text.startswith("p_harzt~quantile~5,p_grunds~natuerliche_brueche~4~16066074,p_ozmz_oev~manuell~~~15_30.5~")
    assert decode_slides(text) == slides


@pytest.mark.parametrize(("text", "message"), [
    ("p_harzt~quantile~acht", "Adresse, Folie 1: Feld 'klassen' muss eine ganze Zahl sein (war 'acht')."),
    ("p_harzt,p_apo~zufall", "Adresse, Folie 2: Feld 'methode' muss eines von quantile, gleiche_intervalle, "
                             "natuerliche_brueche, manuell sein."),
    ("p_harzt~quantile~9", "Adresse, Folie 1: Feld 'klassen' muss zwischen 3 und 7 liegen."),
    ("p_harzt~manuell", "Adresse, Folie 1: Feld 'grenzen' fehlt – für methode 'manuell' bitte Klassengrenzen "
                        "angeben."),
    ("p_harzt,,p_apo", "Adresse, Folie 2: ist leer (zwei Kommas hintereinander?)."),
])
def test_bad_url_forms_name_slide_and_field(text, message):
    with pytest.raises(SlidesError) as info:
        decode_slides(text)
    assert str(info.value) == message


def test_bad_yaml_file_names_file_slide_and_field(tmp_path):
    path = tmp_path / "kaputt.yaml"
    path.write_text("titel: Test\nfolien:\n  - indikator: p_harzt\n  - indikator: p_apo\n    farbe: rot\n",
                    encoding="utf-8")
    with pytest.raises(SlidesError) as info:
        load_deck(path)
    assert str(info.value) == ("kaputt.yaml, Folie 2: Feld 'farbe' ist unbekannt (erlaubt: indikator, methode, "
                               "klassen, gemeinde, grenzen, titel).")


def test_unknown_indicator_or_gemeinde_in_a_deck():
    deck = SlideDeck(titel="t", folien=(Slide(indikator="p_harzt", gemeinde="Atlantis"),), quelle="url")
    with pytest.raises(SlidesError) as info:
        check_deck(deck, ["p_harzt"], {BROTTERODE: "Brotterode-Trusetal"})
    assert str(info.value) == "Adresse, Folie 1: Feld 'gemeinde' – 'Atlantis' ist keine Gemeinde des Landkreises."
    deck = SlideDeck(titel="t", folien=(Slide(indikator="alq"),), quelle="beispiel")
    with pytest.raises(SlidesError, match=r"^beispiel\.yaml, Folie 1: Feld 'indikator' – 'alq' ist kein"):
        check_deck(deck, ["p_harzt"], {})


def test_slide_number_is_clamped():
    assert [clamp_index(v, 4) for v in ("0", "2", "9", "x", 3)] == [1, 2, 4, 1, 3]
