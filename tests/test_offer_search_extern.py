"""Dead ends: offers outside the county and phone/online services, as data with sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas.errors import CatalogueError
from atlas.offer_search.extern import (
    external_card_html,
    for_topics,
    load_ausserhalb,
    place_external,
)
from atlas.offer_search.gazetteer import gazetteer_from_atlas
from atlas.offer_search.i18n import Texts
from atlas.offer_search.search import index_from_atlas
from atlas.offer_search.targets import load_themen


@pytest.fixture(scope="module")
def gaz(atlas_data):
    return gazetteer_from_atlas(atlas_data, address_sources=[])


def test_every_entry_has_a_source_a_date_and_a_way_to_reach_it():
    entries = load_ausserhalb()
    assert entries
    for e in entries:
        assert e["quelle_url"].startswith("https://") and e["geprueft_am"] and e["quelle_stand"]
        assert e["ort"] if e["art"] == "vor_ort" else (e["telefon"] or e["website"] or e["email"])


def test_entries_cover_only_topics_without_offers_in_the_county(atlas_data):
    index = index_from_atlas(atlas_data)
    present = {o.thema for o in index.offers + index.unplaced}
    assert {e.thema for e in load_ausserhalb()}.isdisjoint(present)


def test_on_site_entries_are_placed_at_their_town_and_sorted_by_distance(gaz):
    entries = place_external(load_ausserhalb(), gaz)
    placed = [e for e in entries if e.placed]
    for e in placed:
        town = gaz.lookup(e["ort"]).place
        assert (e.x, e.y) == (town.x, town.y) and not town.in_kreis
    rosa = gaz.lookup("Rosa").place
    on_site, remote = for_topics(entries, ["schulden"], rosa.x, rosa.y)
    dists = [h.weg_m for h in on_site if h.weg_m is not None]
    assert dists == sorted(dists) and len(dists) == len(placed)
    assert all(h.weg_m is None for h in on_site[len(dists):])        # unknown distance last
    assert {e["art"] for e in remote} <= {"telefon", "online"} and remote


def test_card_shows_source_date_and_escapes(gaz):
    entry = place_external(load_ausserhalb(), gaz)[0]
    html = external_card_html(entry, Texts("de"), 12_345.0)
    assert "ca. 12 km Weg" in html and "Quelle gelesen am" in html and 'href="https://' in html


@pytest.mark.parametrize(("body", "message"), [
    (("angebote:\n  - {id: A, name: X, kategorie: Schuldnerberatung, art: online, quelle_url: 'https://x.de',"
     " quelle_stand: '2024', geprueft_am: '2026-12-01'}\n"), "braucht telefon, website oder email"),
    (("angebote:\n  - {id: A, name: X, kategorie: Unbekannt, art: online, website: 'https://x.de',"
     " quelle_url: 'https://x.de', quelle_stand: '2024', geprueft_am: '2026-12-01'}\n"), "gehört zu keinem Thema"),
    (("angebote:\n  - {id: A, name: X, kategorie: Schuldnerberatung, art: vor_ort, ort: Gotha,"
     " quelle_url: 'https://x.de', quelle_stand: '2024'}\n"), "'geprueft_am' fehlt"),
    (("angebote:\n  - {id: A, name: X, kategorie: Schuldnerberatung, art: brief, ort: Gotha,"
     " quelle_url: 'https://x.de', quelle_stand: '2024', geprueft_am: '2026-12-01'}\n"), "Feld 'art'"),
    (("angebote:\n  - {id: A, name: X, kategorie: Schuldnerberatung, art: vor_ort, ort: Gotha,"
     " quelle_url: 'gotha.de', quelle_stand: '2024', geprueft_am: '2026-12-01'}\n"), "http(s)-Adresse"),
])
def test_broken_entries_give_german_messages_naming_the_entry(tmp_path: Path, body, message):
    path = tmp_path / "angebote_ausserhalb.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(CatalogueError, match="angebote_ausserhalb.yaml, Eintrag 'A'") as err:
        load_ausserhalb(path, load_themen())
    assert message in str(err.value)
