"""Text alternatives for maps (atlas.text_alternatives): sentence and ranked table, on SYNTHETIC values
and on the real Gemeinde table of the build."""

from __future__ import annotations

import math

import pytest

from atlas.text_alternatives import (
    class_labels,
    extremes,
    extremes_sentence,
    legend_with_numbers,
    ranked_table,
)

# SYNTHETIC: invented values for three Gemeinde names.
NAMES = ["Oberhof", "Meiningen", "Rhönblick"]


def test_sentence_names_highest_and_lowest_with_unit_in_german_notation():
    sentence = extremes_sentence(NAMES, [14.6, 2.05, None], "Minuten")
    assert sentence.startswith("Höchster Wert: Oberhof 14,6 Minuten; niedrigster: Meiningen 2,05 Minuten")
    assert "keine Angabe für Rhönblick" in sentence


def test_sentence_keeps_ties_and_handles_equal_and_empty_values():
    assert "Meiningen und Oberhof 5" in extremes_sentence(NAMES, [5, 5, 1])
    assert extremes_sentence(NAMES, [3, 3, 3]).startswith("Alle Gemeinden haben denselben Wert: 3")
    assert extremes_sentence(NAMES, [None, math.nan, None], what="Ärzte") == \
        "Ärzte: Für keine Gemeinde liegt ein Wert vor."


def test_long_lists_of_names_are_shortened():
    names = [f"G{i}" for i in range(6)]
    assert "G0, G1, G2 und 2 weitere" in extremes_sentence(names, [1] * 5 + [0])


def test_ranked_table_shares_ranks_and_puts_missing_values_last():
    table = ranked_table(["A", "B", "C", "D"], [3.0, 5.0, 5.0, None], "%")
    assert table["Gemeinde"].tolist() == ["B", "C", "A", "D"]
    assert table["Rang"].tolist() == ["1", "1", "3", "–"]
    assert table["Wert"].tolist() == ["5 %", "5 %", "3 %", "keine Angabe"]
    ascending = ranked_table(["A", "B"], [3.0, 5.0], descending=False)
    assert ascending["Gemeinde"].tolist() == ["A", "B"]


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError):
        extremes(["A"], [1, 2])
    with pytest.raises(ValueError):
        ranked_table(["A"], [1, 2])


def test_class_labels_match_the_numbered_legend():
    assert class_labels([0, 2, None, 1]) == ["1", "3", "–", "2"]
    assert legend_with_numbers(["bis 2", "2 – 4"]) == ["1: bis 2", "2: 2 – 4"]


@pytest.mark.data
def test_sentence_on_the_real_gemeinden_names_the_true_extremes(atlas_data):
    gem = atlas_data.gemeinden
    values = gem["einwohner"]
    top = gem.loc[values.idxmax(), "name"]
    bottom = gem.loc[values.idxmin(), "name"]
    sentence = extremes_sentence(gem["name"].tolist(), values.tolist(), "Einwohner")
    assert f"Höchster Wert: {top} " in sentence and f"niedrigster: {bottom} " in sentence
    assert f"({len(gem)} Gemeinden mit Wert)" in sentence
    table = ranked_table(gem["name"].tolist(), values.tolist())
    assert table.iloc[0]["Gemeinde"] == top and len(table) == len(gem)


@pytest.mark.data
@pytest.mark.parametrize("lang", ["de", "en"])
def test_family_map_text_names_the_place_the_numbered_list_and_the_nearest(atlas_data, lang):
    from datetime import date

    from atlas.offer_search import Filter, Texts, index_from_atlas, search
    from atlas.offer_search.gazetteer import gazetteer_from_atlas
    from atlas.offer_search.viewmodel import map_text

    t = Texts(lang)
    place = gazetteer_from_atlas(atlas_data, address_sources=[]).lookup("Rosa").place
    hits = search(index_from_atlas(atlas_data), place.x, place.y, Filter(), day=date(2026, 11, 25), limit=3).hits
    text = map_text(place.label, hits, t).replace("\\", "")
    assert text.startswith(t("karte_text", ort=place.label, angebote="", name="", dist="")[:12])
    assert place.label in text and hits[0].offer["name"] in text and t.km(hits[0].weg_m) in text
    assert t("karte_text_angebote", n=len(hits)) in text
    assert t("karte_text_angebot") in map_text(place.label, hits[:1], t)
    assert map_text(place.label, [], t).replace("\\", "") == t("karte_text_leer", ort=place.label)
    assert map_text("", hits, t) == ""
