"""The overview map in a real browser with all non-local requests blocked."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"


def test_map_shows_every_gemeinde_and_offer_popup_offline(app_url, desktop_page, atlas_data):
    page = desktop_page.page
    page.goto(f"{app_url}/karte")
    desktop_page.wait_for_app()
    page.wait_for_selector(MAP_FRAME, timeout=30_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.atlas-gemeinden").first.wait_for(timeout=30_000)
    assert frame.locator("path.atlas-gemeinden").count() == len(atlas_data.gemeinden)
    # Attribution of every source is on the map.
    attribution = frame.locator(".leaflet-control-attribution").inner_text()
    for text in ("GeoBasis-DE / BKG", "Zensus 2022", "Eurostat", "DB Station&Service", "GeoNames",
                 "Angebotsregister"):
        assert text in attribution
    # The legend stands beside the map (it never covers the county), not inside it.
    assert page.locator(".atlas-legend").first.inner_text().startswith("Legende")
    assert frame.locator(".atlas-legend").count() == 0
    # Offers: single markers are round badges with their Handlungsfeld's symbol, the rest sit in clusters.
    markers = frame.locator(".atlas-angebote")
    if markers.count() == 0:
        frame.locator(".marker-cluster").first.click()
        page.wait_for_timeout(800)
    marker = frame.locator(".atlas-angebote").first
    marker.wait_for(timeout=10_000)
    marker.click(force=True)
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert "Name" in text and "Handlungsfeld" in text
    assert re.search(r"Genauigkeit\s+Lage: .+", text)  # every position says how precise it is (placement.precision_text)
    assert desktop_page.blocked == []
    assert desktop_page.errors == []


def test_map_page_at_phone_width_has_no_horizontal_scroll(app_url, phone_page):
    page = phone_page.page
    page.goto(f"{app_url}/karte")
    phone_page.wait_for_app()
    page.frame_locator(MAP_FRAME).locator("path.atlas-gemeinden").first.wait_for(timeout=30_000)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert phone_page.blocked == []


def test_karte_url_opens_the_map_page_not_the_start_page(app_url, desktop_page):
    page = desktop_page.page
    page.goto(f"{app_url}/karte")
    desktop_page.wait_for_app()
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator("h1").first.inner_text().startswith("Karte")


def test_first_request_straight_to_a_subpage_uses_our_navigation(fresh_app_url, desktop_page):
    """A shared link opened as the very first request must not fall back to the pages/ folder scan."""
    page = desktop_page.page
    page.goto(f"{fresh_app_url}/quellen")
    desktop_page.wait_for_app()
    nav = page.locator("[data-testid='stSidebar']").inner_text()  # the app's own navigation (app.py)
    assert "Daten & Quellen" in nav and "Karte" in nav
    assert "_common" not in nav and "common" not in nav.split()
    assert page.locator("h1").first.inner_text() == "Daten & Quellen"


def test_map_renders_after_the_start_page_warmed_up_the_map_modules(fresh_app_url, desktop_page, atlas_data):
    page = desktop_page.page
    page.goto(f"{fresh_app_url}/")
    desktop_page.wait_for_app()
    assert page.locator("h1").first.inner_text().startswith("Standortatlas")
    # Give the background import on the start page time to finish first (a user reading the start
    # page); an import there that breaks the map component would show up below as an empty map.
    page.wait_for_timeout(4000)
    page.get_by_role("link", name="Karte: Gemeinden, Angebote, Bahnhöfe").click()
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.atlas-gemeinden").nth(38).wait_for(timeout=30_000)
    assert frame.locator("path.atlas-gemeinden").count() == len(atlas_data.gemeinden)
    assert desktop_page.errors == []


def test_switching_on_a_hidden_layer_adds_it_to_the_standing_map(app_url, desktop_page, atlas_data):
    """The 1-km grid is not sent with the map; its switch in the sidebar adds every inhabited cell of the county
    to the map that stays (same frame document, no reload), and switching it off removes them again."""
    page = desktop_page.page
    page.goto(f"{app_url}/karte")
    desktop_page.wait_for_app()
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.atlas-gemeinden").first.wait_for(timeout=30_000)
    assert frame.locator("path.atlas-bevoelkerung_1km").count() == 0
    inner = next(f for f in page.frames if f.url.endswith("about:srcdoc") or "streamlit_folium" in f.url)
    inner.evaluate("window.__standing = true")
    page.locator("[data-testid='stSidebar'] label").filter(has_text="Bevölkerung (1-km-Raster)").click()
    grid = atlas_data["bevoelkerung_1km"]
    cells = int(grid["in_kreis"].astype(bool).sum()) if "in_kreis" in grid.columns else len(grid)
    page.wait_for_function(
        "([sel, n]) => [...document.querySelectorAll('iframe')].some(f => {"
        " try { return f.contentDocument.querySelectorAll(sel).length === n; } catch (e) { return false; } })",
        arg=["path.atlas-bevoelkerung_1km", cells], timeout=30_000)
    assert inner.evaluate("window.__standing === true")  # the map was not reloaded
    # hundreds of cells, none a Tab stop of its own (TabOrder); the Gemeinden stay Tab stops
    assert frame.locator("path.atlas-bevoelkerung_1km:not([tabindex='-1'])").count() == 0
    assert frame.locator("path.atlas-gemeinden[tabindex='-1']").count() == 0
    page.locator("[data-testid='stSidebar'] label").filter(has_text="Bevölkerung (1-km-Raster)").click()
    frame.locator("path.atlas-bevoelkerung_1km").first.wait_for(state="detached", timeout=30_000)
    assert desktop_page.errors == []


FRAME_SCRIPTS = """() => performance.getEntriesByType('resource')
    .filter(e => /\\/static\\/js\\/main\\.[^/]+\\.js$/.test(new URL(e.name).pathname))
    .map(e => [new URL(e.name).pathname, e.transferSize])"""


def test_map_component_script_is_kept_by_the_browser(app_url, browser):
    """The map frame's files come from the app's served copy below ``static/`` (with validators), so a second
    map page in the same browser does not download streamlit-folium's script again (Streamlit's own component
    route sends it without any, and the browser fetched all of it for every map). A plain browser context:
    Playwright's request routing would switch the HTTP cache off."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        sent = []
        for path in ("/karte", "/indikatoren"):
            page.goto(f"{app_url}{path}")
            page.frame_locator(MAP_FRAME).first.locator("path.atlas-gemeinden").first.wait_for(timeout=60_000)
            frame = next(f for f in page.frames if "/_kopien/streamlit_folium-" in f.url)
            assert frame.url.startswith(f"{app_url}/app/static/_kopien/streamlit_folium-"), frame.url
            sent.append(frame.evaluate(FRAME_SCRIPTS))
        first, second = sent
        assert first and second and first[0][0] == second[0][0]  # the same file both times
        assert first[0][1] > 10_000  # the first map page downloads it …
        assert second[0][1] < 2_000, second  # … the second takes it from the cache (at most a 304 without body)
    finally:
        context.close()
