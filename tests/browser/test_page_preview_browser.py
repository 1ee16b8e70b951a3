"""Pages before Streamlit's JavaScript has loaded (atlas/page_preview.py, scripts/index_page.py): the first HTML
carries the start page and a family link's result cards, readable and with working links; Streamlit's own page
replaces them."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from atlas.navigation import NAVIGATION
from atlas.page_preview import PREVIEW_ID
from atlas.start_page import start_content

pytestmark = pytest.mark.browser

STREAMLIT_JS = "**/static/js/**"
PREVIEW = f"#{PREVIEW_ID}"


def test_phone_sees_the_start_page_before_streamlit_and_then_streamlits_own(app_url, phone_page, atlas_data):
    page = phone_page.page
    held = []
    page.route(STREAMLIT_JS, lambda route: held.append(route))  # Streamlit's JavaScript held back, as on a slow mobile network
    page.goto(app_url, wait_until="commit")
    page.locator(f"{PREVIEW} h1").wait_for(timeout=30_000)
    assert page.locator("[data-testid='stMain']").count() == 0  # nothing of Streamlit is drawn yet

    content = start_content(atlas_data.kreis_name, atlas_data.manifest, ())
    assert page.locator(f"{PREVIEW} h1").inner_text() == content.title
    family = page.locator(f"{PREVIEW} .av-main a", has_text="Angebote in meiner Nähe").first
    box = family.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844 and box["height"] >= 44  # in view, a tap target
    assert family.get_attribute("href") == "/angebote-finden"
    text = page.locator(PREVIEW).inner_text()
    for label, value in content.figures:
        assert label in text and value in text
    assert "GeoBasis-DE" in text  # the attribution is shown with the figures
    assert page.locator(f"{PREVIEW} nav").is_hidden()  # the sidebar's links only where Streamlit shows them

    for route in held:  # and now let through
        route.continue_()
    page.unroute(STREAMLIT_JS)
    page.locator("[data-testid='stMain'] h1").wait_for(timeout=60_000)
    page.locator(PREVIEW).wait_for(state="detached", timeout=30_000)
    assert page.locator("h1").count() == 1  # one start page, Streamlit's
    first = page.locator("[data-testid='stMain'] [data-testid='stPageLink'] a").first
    assert "Angebote in meiner Nähe" in first.inner_text()
    assert phone_page.errors == []


def test_preview_links_work_without_streamlit(app_url, desktop_page):
    """Every link of the preview is a plain link: a click before Streamlit has loaded opens the page."""
    page = desktop_page.page
    page.route(STREAMLIT_JS, lambda route: route.abort())  # Streamlit never loads in this tab
    page.goto(app_url, wait_until="commit")
    page.locator(f"{PREVIEW} h1").wait_for(timeout=30_000)
    nav = page.locator(f"{PREVIEW} nav a")
    titles = [p.title for group in NAVIGATION for p in group.pages]
    assert nav.count() == len(titles) and [nav.nth(i).inner_text() for i in range(nav.count())] == titles
    page.locator(f"{PREVIEW} .av-main a", has_text="Karte").first.click()
    page.wait_for_url(f"{app_url}/karte", timeout=30_000)
    page.locator(f"{PREVIEW} h1").wait_for(timeout=30_000)  # the Karte's own preview (its map), not the start page
    assert page.locator(f"{PREVIEW} h1").inner_text().startswith("Karte")  # the Karte's own heading
    assert page.locator(f"{PREVIEW} iframe").count() == 1  # and its map


def test_family_link_shows_its_cards_before_streamlit_then_the_pages_own(app_url, phone_page, atlas_data):
    """A shared link on a phone: the answer is in view at once, and the page that replaces it shows the same."""
    village = str(atlas_data.gemeinden.sort_values("name")["name"].iloc[0])
    page = phone_page.page
    held = []
    page.route(STREAMLIT_JS, lambda route: held.append(route))
    page.goto(f"{app_url}/angebote-finden?ort={quote(village)}", wait_until="commit")
    cards = page.locator(f"{PREVIEW} .of-card")
    cards.first.wait_for(timeout=30_000)
    assert page.locator("[data-testid='stMain']").count() == 0
    box = cards.first.bounding_box()
    assert box is not None and 0 <= box["y"] < 844  # the first card in view without scrolling by hand
    preview_names = [cards.nth(i).locator(".of-name").inner_text() for i in range(cards.count())]
    page.locator(f"{PREVIEW} summary").first.click()  # "Mehr Angaben" opens without Streamlit
    assert page.locator(f"{PREVIEW} details").first.get_attribute("open") is not None

    for route in held:
        route.continue_()
    page.unroute(STREAMLIT_JS)
    page.locator(PREVIEW).wait_for(state="detached", timeout=60_000)
    own = page.locator("[data-testid='stMain'] .of-card")
    assert [own.nth(i).locator(".of-name").inner_text() for i in range(own.count())] == preview_names
    assert phone_page.errors == []
