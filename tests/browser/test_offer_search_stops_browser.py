"""Nearest stop on the family page, on a phone (390 px) in real Chromium with every non-local request
blocked: a search for "Rosa" shows the nearest stop's name on the first card and for the searched place.
The expected stop is derived from the same build (gazetteer, search, stop layer), not hard-coded."""

from __future__ import annotations

import pytest

from atlas.atlasdata import load_atlas
from atlas.offer_search import gazetteer_from_atlas, index_from_atlas, search
from atlas.offer_search.stops import index_from_atlas as stop_index

pytestmark = pytest.mark.browser


def _expected(built) -> tuple[str, str]:
    data = load_atlas(built.gpkg.parent)
    place = gazetteer_from_atlas(data).lookup("Rosa").place
    assert place is not None
    result = search(index_from_atlas(data), place.x, place.y)
    first = result.hits[0].offer
    stops = stop_index(data)
    assert stops is not None, "Die Haltestellen-Ebene fehlt im Build."
    card_stop = stops.nearest(first.x, first.y, result.params)
    place_stop = stops.nearest(place.x, place.y, result.params)
    assert card_stop is not None and place_stop is not None
    return card_stop.haltestelle, place_stop.haltestelle


def test_rosa_first_card_names_the_nearest_stop(app_url, phone_page, built):
    card_name, place_name = _expected(built)
    page = phone_page.page
    page.goto(f"{app_url}/angebote-finden")
    phone_page.wait_for_app(timeout=120_000)  # the first visit builds the gazetteer and indexes (slow under load)
    dialog = page.locator("[role='dialog']")
    if dialog.count() and "Page not found" in dialog.first.inner_text():
        page.keyboard.press("Escape")
    page.get_by_label("Ort, Ortsteil, Gemeinde oder Postleitzahl").fill("Rosa")
    page.get_by_role("button", name="Suchen").click()
    page.locator(".of-card .of-rank").first.wait_for(timeout=90_000)
    phone_page.wait_for_app(timeout=90_000)
    first = page.locator(".of-card").first
    stop_row = first.locator(".of-stop")
    assert stop_row.count() == 1
    text = stop_row.inner_text()
    assert f"Haltestelle {card_name}" in text and "Luftlinie" in text and "zu Fuß" in text
    assert page.get_by_text(f"Nächste Haltestelle zum gesuchten Ort: Haltestelle {place_name}").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    assert phone_page.page.viewport_size["width"] == 390
