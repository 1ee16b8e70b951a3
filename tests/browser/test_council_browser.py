"""Council pages in a real browser, offline: open a profile by clicking the map, step through the
Sitzungsmodus with the keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from atlas.mapview import prepare_base

pytestmark = pytest.mark.browser

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
BROTTERODE = "16066074"


def _wait_for_query(page, part: str, timeout: float = 30_000) -> None:
    """Streamlit changes the query string with history.replaceState (no navigation event)."""
    page.wait_for_function("part => location.search.includes(part)", arg=part, timeout=timeout)


def _heading(page) -> str:
    return page.locator("[data-testid='stHeading'] h2").first.inner_text()


def test_click_on_brotterode_trusetal_opens_its_profile(app_url, desktop_page, atlas_data):
    gem = prepare_base(atlas_data).frames["gemeinden"]
    target = gem[gem["ags"] == BROTTERODE].geometry.iloc[0].representative_point()
    page = desktop_page.page
    page.goto(f"{app_url}/profil?gemeinde=16066042")  # start at Meiningen
    desktop_page.wait_for_app()
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.atlas-gemeinden").first.wait_for(timeout=30_000)
    assert frame.locator("path.atlas-gemeinden").count() == 39
    assert _heading(page) == "Meiningen"
    frame.locator("path.atlas-fokus").first.wait_for(timeout=30_000)  # the selected outline is drawn last
    # Where is Brotterode-Trusetal on screen? Ask Leaflet for the container point of a point inside it.
    handle = page.locator(MAP_FRAME).element_handle()
    content = handle.content_frame()
    xy = content.evaluate(
        """([lat, lng]) => {
            const map = Object.values(window).find(v => v instanceof L.Map);
            const p = map.latLngToContainerPoint([lat, lng]);
            const r = map.getContainer().getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }""", [target.y, target.x])
    box = handle.bounding_box()
    # The component may still be wiring its click handler right after the first render: retry the
    # click a bounded number of times until the app reacts.
    for attempt in range(4):
        desktop_page.wait_for_app()
        page.mouse.click(box["x"] + xy[0], box["y"] + xy[1])
        try:
            _wait_for_query(page, f"gemeinde={BROTTERODE}", timeout=10_000)
            break
        except PlaywrightTimeout:
            if attempt == 3:
                raise
    page.wait_for_function("() => [...document.querySelectorAll('h2')].some(h => h.innerText.trim() === "
                           "'Brotterode-Trusetal')", timeout=30_000)
    desktop_page.wait_for_app()
    assert _heading(page) == "Brotterode-Trusetal"
    assert page.get_by_text("Altersgruppen sind geschätzt").first.is_visible()
    assert page.get_by_role("button", name=re.compile("Profil als PDF")).is_visible()
    assert desktop_page.blocked == []
    assert desktop_page.errors == []


def _slide_title(page) -> str:
    return page.locator(".atlas-slide-title").first.inner_text()


def test_sitzungsmodus_with_the_keyboard(app_url, desktop_page):
    page = desktop_page.page
    page.goto(f"{app_url}/sitzung?sitzung=beispiel")
    desktop_page.wait_for_app()
    page.frame_locator(MAP_FRAME).locator("path.atlas-gemeinden").first.wait_for(timeout=30_000)
    assert _slide_title(page) == "Wie weit ist es zur Hausarztpraxis?"
    assert not page.locator("section[data-testid='stSidebar']").is_visible()  # no sidebar
    size = page.locator(".atlas-slide-title").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 32  # large type
    page.wait_for_timeout(500)  # let the keyboard script attach
    page.keyboard.press("ArrowRight")
    _wait_for_query(page, "nr=2")
    page.wait_for_function("() => document.querySelector('.atlas-slide-title').innerText.includes('Grundschule')",
                           timeout=30_000)
    page.keyboard.press("PageDown")
    _wait_for_query(page, "nr=3")
    page.wait_for_function("() => document.querySelector('.atlas-slide-title').innerText.includes("
                           "'Brotterode-Trusetal')", timeout=30_000)
    desktop_page.wait_for_app()
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.atlas-fokus").first.wait_for(timeout=30_000)  # zoomed to the Gemeinde
    assert "20px" in frame.locator(".atlas-legend").first.evaluate("e => getComputedStyle(e).fontSize")
    page.keyboard.press("ArrowLeft")
    _wait_for_query(page, "nr=2")
    assert desktop_page.blocked == []
    assert desktop_page.errors == []
