"""The family page's answer to a link as plain HTML in the first response (atlas/offer_search/preview.py):
the same cards the page draws for the same link, and no preview where the page would not show cards."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from atlas.accessibility.calibration import travel_parameters
from atlas.offer_search import viewmodel as vm
from atlas.offer_search.preview import results_preview
from atlas.page_preview import PREVIEW_ID
from tests.test_offer_search_app import htmls, run_page  # noqa: F401 – run_page is the page's fixture

SOURCES = ("© Quelle A", "© Quelle <B>")


@pytest.fixture(scope="module")
def prepared(atlas_data):
    return vm.prepare(atlas_data)


def _preview(prepared, atlas_data, query: dict[str, str]) -> str:
    today = datetime.now(ZoneInfo("Europe/Berlin")).date()
    return results_preview(prepared, query, today, travel_parameters(atlas_data.manifest), SOURCES)


def _cards(html: str) -> list[str]:
    """The card blocks of a page or preview (each ``card_box`` is one ``<div class="of-box">…</div>``)."""
    return [part for part in html.split('<div class="of-box">')[1:]]


def _a_village(atlas_data) -> str:
    """A Gemeinde of the build (whatever the county): its name is a place the search knows."""
    return str(atlas_data.gemeinden.sort_values("name")["name"].iloc[0])


def test_preview_shows_exactly_the_cards_the_page_draws(run_page, prepared, atlas_data):  # noqa: F811
    start, _, _ = run_page
    village = _a_village(atlas_data)
    at = start({"ort": village})
    page_cards = [body for body in htmls(at) if 'class="of-card"' in body]
    html = _preview(prepared, atlas_data, {"ort": village})
    assert page_cards and html.count('class="of-card"') == len(page_cards)
    for card in page_cards:  # the same HTML, in the same order
        assert card in html
    assert html.index(page_cards[0]) < html.index(page_cards[-1])
    assert f'data-anzahl="{len(page_cards)}"' in html and f'id="{PREVIEW_ID}"' in html
    assert at.title[0].value in html  # the page's heading
    assert "© Quelle &lt;B&gt;" in html  # the attribution, escaped


def test_need_and_place_in_the_link_as_on_the_page(prepared, atlas_data):
    village = _a_village(atlas_data)
    with_need = _preview(prepared, atlas_data, {"ort": f"Kita {village}"})
    assert with_need and "Kita" in with_need  # the need is understood, the place found
    assert with_need != _preview(prepared, atlas_data, {"ort": village})  # and the topic filters the list


@pytest.mark.parametrize("query", [{}, {"ort": ""}, {"ort": "Xyzzyqwertz"}, {"ort": "<script>alert(1)</script>"},
                                   {"ort": "Schuldnerberatung"}, {"punkt": "kaputt"}])
def test_no_preview_where_the_page_shows_no_cards(prepared, atlas_data, query):
    """No place, an unknown one, a need without a place, a broken point: the page answers itself."""
    assert _preview(prepared, atlas_data, query) == ""


def test_english_link_gets_the_english_page(prepared, atlas_data):
    village = _a_village(atlas_data)
    html = _preview(prepared, atlas_data, {"ort": village, "lang": "en"})
    assert 'lang="en"' in html and "Services near" in html and "Angebote in der Nähe" not in html
