"""Needs and places in one search box: topic words as data (geodata/angebote_themen.yaml)."""

from __future__ import annotations

import pytest

from atlas._helpers import normalise_name
from atlas.offer_search.gazetteer import gazetteer_from_atlas
from atlas.offer_search.intent import FILLER, understand
from atlas.offer_search.share import SearchState
from atlas.offer_search.targets import load_themen
from atlas.offer_search.viewmodel import apply_typed


@pytest.fixture(scope="module")
def gaz(atlas_data):
    return gazetteer_from_atlas(atlas_data, address_sources=[])


@pytest.mark.parametrize(("text", "themen", "ort"), [
    ("Kita Wasungen", ("kita",), "Wasungen"),
    ("Schuldnerberatung 98574", ("schulden",), "98574"),
    ("Kita", ("kita",), ""),
    ("kindergarten in Zella-Mehlis", ("kita",), "Zella-Mehlis"),
    ("Schuldnerberatng Meiningen", ("schulden",), "Meiningen"),          # small typo in a long word
    ("Tafel und Kita bei Rosa", ("kita", "geld"), "Rosa"),
    ("Häusliche Gewalt Schmalkalden", ("gleichstellung",), "Schmalkalden"),
    ("Steinbach-Hallenberg", (), "Steinbach-Hallenberg"),
    ("98617", (), "98617"),
])
def test_understand_splits_needs_and_place(gaz, text, themen, ort):
    intent = understand(text, load_themen(), gaz.has_name)
    assert intent.themen == themen
    assert intent.ort == ort


def test_topic_words_are_unique_and_no_place_name(gaz):
    words = [(normalise_name(w), t.id) for t in load_themen() for w in t.woerter]
    assert words, "the topics file names no search words"
    owners: dict[str, str] = {}
    for word, tid in words:
        assert owners.setdefault(word, tid) == tid, f"'{word}' names two topics"
        assert not gaz.has_name(word), f"'{word}' is also a place name"
        assert word not in FILLER


def test_a_place_named_like_a_word_stays_a_place():
    themen = load_themen()
    assert understand("Kita", themen, lambda text: text == "Kita").themen == ()


def test_typed_need_replaces_the_topic_choice_and_keeps_it_otherwise(gaz):
    themen = load_themen()
    state = SearchState(ort="Rosa", themen=("familie",), wahl="x", punkt="50.1,10.1")
    new, _ = apply_typed(state, "Kita Wasungen", themen, gaz)
    assert (new.ort, new.themen, new.wahl, new.punkt) == ("Wasungen", ("kita",), "", "")
    same, _ = apply_typed(state, "Wasungen", themen, gaz)
    assert same.themen == ("familie",)
