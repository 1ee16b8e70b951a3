"""The family page's view-model: summary, dead end, exports and the scroll script, without Streamlit."""

from __future__ import annotations

import re
from datetime import date

import pytest

from atlas.offer_search import viewmodel as vm
from atlas.offer_search.i18n import Texts
from atlas.offer_search.share import SearchState

WED = date(2026, 11, 25)


@pytest.fixture(scope="module")
def prepared(atlas_data):
    return vm.prepare(atlas_data)


def test_summary_names_count_and_nearest_distance(prepared):
    gaz, index, external, _, stops = prepared
    t = Texts("de")
    state = SearchState(ort="Schwallungen")
    pv = vm.resolve_place(state, gaz, t)
    view = vm.results(index, pv.place, state, t, WED, external, stops=stops)
    first = view.result.hits[0]
    assert view.summary == f"{len(view.result.hits)} Angebote, nächstes {t.km(first.weg_m)}"
    assert view.dead_end is None                       # every topic of an unfiltered search has offers
    assert any("Haltestelle" in n.text for n in view.notes)      # nearest stop of the searched place


def test_topic_without_offer_in_the_county_is_a_dead_end_even_without_a_place(prepared):
    _, index, external, _, _ = prepared
    t = Texts("de")
    view = vm.results(index, None, SearchState(themen=("schulden",)), t, WED, external)
    assert view.result is None and view.dead_end is not None
    assert view.dead_end.count == len([e for e in external if e.thema == "schulden"])
    assert all(h.weg_m is None for h in view.dead_end.on_site)       # no place: no distances
    assert "kein Angebot erfasst" in view.summary


def test_a_point_place_is_named_after_the_nearest_locality(prepared):
    gaz, _, _, _, _ = prepared
    pv = vm.resolve_place(SearchState(punkt="50.712,10.250"), gaz, Texts("de"))
    assert pv.label == "Punkt auf der Karte (bei Rosa)"


def test_exports_build_pdf_and_html_on_demand(prepared):
    gaz, index, external, _, _ = prepared
    t = Texts("de")
    state = SearchState(ort="Rosa", themen=("familie",))
    pv = vm.resolve_place(state, gaz, t)
    view = vm.results(index, pv.place, state, t, WED, external)
    args = (state, pv.label, view, index, t, ["Quelle"], {g.id: g.label for g in index.zielgruppen}, "01.12.2026")
    assert vm.export_file("pdf", *args)[:4] == b"%PDF"
    page = vm.export_file("html", *args)
    assert "<!DOCTYPE html>" in page and "Rosa" in page


def test_scroll_script_survives_the_html_sanitiser():
    script = vm.scroll_script(3)
    body = script.removeprefix("<script>").removesuffix("</script>")
    assert "<" not in body                      # DOMPurify drops a script whose text holds "<" + word
    assert re.search(r"getElementById\('of-ergebnisse'\)", body)
