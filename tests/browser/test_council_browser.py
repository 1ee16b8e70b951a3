"""Council pages in a real browser, offline: open a profile by clicking the map, step through the
Sitzungsmodus with the keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from atlas.mapview import prepare_base
from atlas.ui_style import SCROLL_TABLE_NAME

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
    assert frame.locator("path.atlas-gemeinden").count() == len(atlas_data.gemeinden)
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


def test_sitzungsmodus_with_the_keyboard(app_url, browser, atlas_data):
    from tests.browser.conftest import _offline_page

    for projector in _offline_page(browser, viewport={"width": 1920, "height": 1080}):
        _projector_session(app_url, projector, len(atlas_data.gemeinden))


def _projector_session(app_url, projector, gemeinden: int):
    page = projector.page
    page.goto(f"{app_url}/sitzung?sitzung=beispiel")
    projector.wait_for_app()
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.atlas-gemeinden").first.wait_for(timeout=30_000)
    assert _slide_title(page) == "Wie weit ist es zur Hausarztpraxis?"
    assert not page.locator("section[data-testid='stSidebar']").is_visible()  # no sidebar
    size = page.locator(".atlas-slide-title").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 32  # large type
    # Gemeinde names on the map; the map fills the screen below the title row (no fixed 700 px)
    assert frame.locator(".atlas-ortsname").count() == gemeinden
    assert frame.get_by_text("Brotterode-Trusetal", exact=True).count() == 1
    box = page.locator(MAP_FRAME).bounding_box()
    assert box["height"] > 700 and box["y"] + box["height"] <= 1080
    # a visible way back to the app
    assert page.get_by_role("link", name=re.compile("Sitzung beenden")).is_visible()
    # click into the map: the arrow keys still change slides (and do not pan the map)
    content = page.locator(MAP_FRAME).element_handle().content_frame()
    content.evaluate("() => { window.__atlasProbe = 'same map'; }")
    centre = content.evaluate("() => { const m = Object.values(window).find(v => v instanceof L.Map); "
                              "const c = m.getCenter(); return [c.lat, c.lng]; }")
    page.mouse.click(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.5)
    page.wait_for_timeout(700)  # let the keyboard script attach to the map frame
    page.keyboard.press("ArrowRight")
    _wait_for_query(page, "nr=2")
    page.wait_for_function("() => document.querySelector('.atlas-slide-title').innerText.includes('Grundschule')",
                           timeout=30_000)
    page.keyboard.press("PageDown")
    _wait_for_query(page, "nr=3")
    page.wait_for_function("() => document.querySelector('.atlas-slide-title').innerText.includes("
                           "'Brotterode-Trusetal')", timeout=30_000)
    projector.wait_for_app()
    frame.locator("path.atlas-fokus").first.wait_for(timeout=30_000)  # zoomed to the Gemeinde
    # the map was never reloaded: slide changes only exchange the coloured Gemeinden
    assert content.evaluate("() => window.__atlasProbe || null") == "same map"
    zoom = content.evaluate("() => Object.values(window).find(v => v instanceof L.Map).getZoom()")
    assert zoom >= 11
    # the legend is beside the map, in large type
    assert frame.locator(".atlas-legend").count() == 0
    assert float(page.locator(".atlas-legend").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 18
    page.keyboard.press("ArrowLeft")
    _wait_for_query(page, "nr=2")
    page.wait_for_function("() => document.querySelector('.atlas-slide-title').innerText.includes('Grundschule')",
                           timeout=30_000)
    projector.wait_for_app()
    # back to the whole county (the view of slide 2)
    new_centre = content.evaluate("() => { const m = Object.values(window).find(v => v instanceof L.Map); "
                                  "const c = m.getCenter(); return [c.lat, c.lng]; }")
    assert abs(new_centre[0] - centre[0]) < 0.02 and abs(new_centre[1] - centre[1]) < 0.02
    page.get_by_role("link", name=re.compile("Sitzung beenden")).click()
    page.wait_for_url(re.compile(r"/indikatoren"), timeout=30_000)
    # the deck chooser: titles, no file names; the slide code is explained without Markdown strike-through
    page.goto(f"{app_url}/sitzung")
    projector.wait_for_app()
    page.get_by_role("button", name=re.compile("Beispiel")).first.wait_for(timeout=30_000)
    main = page.locator("[data-testid='stMain']")
    assert ".yaml" not in main.inner_text()
    assert main.locator("del, s").count() == 0
    label = main.locator("[data-testid='stWidgetLabel']").filter(has_text="Adressform").first
    assert "Titel durch ~ getrennt" in label.inner_text()
    assert projector.blocked == []
    assert projector.errors == []


TABLE_BOXES = """() => [...document.querySelectorAll('.atlas-tabelle-box')].map(box => ({
  scrolls: box.scrollWidth > box.clientWidth + 1, tall: box.scrollHeight > box.clientHeight + 1,
  tabindex: box.getAttribute('tabindex'),
  name: box.getAttribute('aria-label')}))"""


def test_profile_tables_that_scroll_sideways_on_a_phone_are_reachable_by_keyboard(app_url, phone_page):
    """The profile's plain tables: on a phone, a table wider than the screen scrolls sideways and is then a
    named Tab stop whose arrow keys scroll it; a table that fits is no extra Tab stop."""
    page = phone_page.page
    page.goto(f"{app_url}/profil?gemeinde=16066042")
    phone_page.wait_for_app(timeout=60_000)
    page.locator(".atlas-tabelle-box").nth(1).wait_for(timeout=30_000)
    page.wait_for_timeout(300)  # the page script marks the tables after they are drawn
    boxes = page.evaluate(TABLE_BOXES)
    wide = [b for b in boxes if b["scrolls"]]
    assert wide, f"keine seitlich verschiebbare Tabelle bei 390 px: {boxes}"
    assert all(b["tabindex"] == "0" and b["name"] == SCROLL_TABLE_NAME["de"] for b in wide), boxes
    assert all(b["tabindex"] is None for b in boxes if not b["scrolls"]), boxes
    assert not any(b["tall"] for b in boxes), boxes  # the profile's tables at their whole length
    index = next(i for i, b in enumerate(boxes) if b["scrolls"])
    box = page.locator(".atlas-tabelle-box").nth(index)
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("i => document.querySelectorAll('.atlas-tabelle-box')[i].scrollLeft > 0", arg=index,
                           timeout=5_000)
