"""The Erreichbarkeit page in a real browser, offline: pick a category, see cells and table, click to add a site."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
BEYOND = "#d6604d"  # fill colour of cells beyond the standard (atlas.accessibility.gapmap.KLASSEN_FARBE)


def _metric_texts(page) -> list[str]:
    return [m.inner_text() for m in page.locator("[data-testid='stMetric']").all()]


def test_pick_category_see_cells_and_table_click_adds_site(app_url, desktop_page):
    page = desktop_page.page
    # open the app once at its root so that st.navigation (not the legacy pages folder) defines the URLs
    page.goto(f"{app_url}/")
    desktop_page.wait_for_app()
    page.goto(f"{app_url}/erreichbarkeit")
    desktop_page.wait_for_app()
    assert "Verfahren: Luftlinie" in page.locator("[data-testid='stAlert']").first.inner_text()

    # pick a category in the sidebar
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text="Angebot oder Ziel")
    box.click()
    page.keyboard.type("Regelschule")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"kategorie=Regelschule"), timeout=30_000)
    desktop_page.wait_for_app()

    # the cell layer: 461 populated cells, some of them beyond the standard; the sites
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.atlas-zelle").first.wait_for(timeout=30_000)
    assert frame.locator("path.atlas-zelle").count() == 461
    assert frame.locator(f"path.atlas-zelle[fill='{BEYOND}']").count() > 0
    assert frame.locator("path.atlas-standort").count() == 10
    assert "Regelschule: zu Fuß, jenseits ab 3 km" in frame.locator(".atlas-legend").inner_text()
    attribution = frame.locator(".leaflet-control-attribution").inner_text()
    assert "Census 2021 population grid" in attribution and "Angebotsregister" in attribution

    # the Gemeinde table
    table = page.locator("[data-testid='stDataFrame']").first
    table.wait_for(timeout=10_000)
    assert page.get_by_text("Größte Versorgungslücken").count() == 1
    before = _metric_texts(page)[0]
    assert "Einwohner jenseits des Standards" in before

    # click the topmost cell beyond the standard (away from the legend in the lower left)
    cells = frame.locator(f"path.atlas-zelle[fill='{BEYOND}']")
    boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
    top = min(range(len(boxes)), key=lambda i: boxes[i]["y"])
    cells.nth(top).click(force=True)

    page.locator("[data-testid='stAlertContentSuccess']").wait_for(timeout=30_000)
    desktop_page.wait_for_app()
    success = page.locator("[data-testid='stAlertContentSuccess']").inner_text()
    assert success.startswith("Szenario: 1 hypothetische(r) Standort(e), 0 geschlossen")
    after = _metric_texts(page)[0]
    # the metric now carries a delta: fewer people beyond the standard
    assert re.search(r"\n-\d", after), after
    page.frame_locator(MAP_FRAME).locator("path.atlas-standort-hypothetisch").first.wait_for(timeout=30_000)
    assert desktop_page.blocked == []
    assert desktop_page.errors == []


def test_erreichbarkeit_at_phone_width_has_no_horizontal_scroll(app_url, phone_page):
    page = phone_page.page
    page.goto(f"{app_url}/")
    phone_page.wait_for_app()
    page.goto(f"{app_url}/erreichbarkeit")
    phone_page.wait_for_app()
    page.frame_locator(MAP_FRAME).locator("path.atlas-zelle").first.wait_for(timeout=30_000)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert phone_page.blocked == []
