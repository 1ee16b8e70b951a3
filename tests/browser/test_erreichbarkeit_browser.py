"""The Erreichbarkeit page in a real browser, offline: pick a category, see cells and table, click to add a site."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
BEYOND = "#d6604d"  # fill colour of cells beyond the standard (atlas.accessibility.gapmap.KLASSEN_FARBE)


def _metric_texts(page) -> list[str]:
    return [m.inner_text() for m in page.locator("[data-testid='stMetric']").all()]


def test_pick_category_see_cells_and_table_click_adds_site(app_url, desktop_page, atlas_data):
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

    # the cell layer: one area per origin (parts of the populated cells around their settlement points),
    # some of them beyond the standard; the sites
    from atlas.accessibility.county import county_cells

    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.atlas-zelle").first.wait_for(timeout=30_000)
    assert frame.locator("path.atlas-zelle").count() == len(county_cells(atlas_data))
    assert frame.locator(f"path.atlas-zelle[fill='{BEYOND}']").count() > 0
    from atlas.accessibility.county import site_records

    assert frame.locator("path.atlas-standort").count() == len(site_records(atlas_data, "Regelschule"))
    # the legend is beside the map, never on it
    assert frame.locator(".atlas-legend").count() == 0
    assert "Regelschule: zu Fuß, jenseits ab 3 km" in page.locator(".atlas-legend").first.inner_text()
    attribution = frame.locator(".leaflet-control-attribution").inner_text()
    assert "Census 2021 population grid" in attribution and "Angebotsregister" in attribution

    # the Gemeinde table: a plain table, one row per Gemeinde, in a box that scrolls and is then a named Tab stop
    table = page.locator("table.atlas-tabelle").first
    table.wait_for(timeout=10_000)
    assert page.get_by_text("Größte Versorgungslücken").count() == 1
    assert table.locator("tbody tr").count() == len(atlas_data.gemeinden)
    assert table.locator("thead th").first.inner_text() == "Rang"
    assert page.locator("[data-testid='stDataFrame']").count() == 0
    page.wait_for_function("() => document.querySelector('.atlas-tabelle-box').getAttribute('tabindex') === '0'",
                           timeout=10_000)
    scroll_box = page.locator(".atlas-tabelle-box").first
    assert scroll_box.get_attribute("role") == "region" and scroll_box.get_attribute("aria-label")
    header_top = table.locator("thead th").first.bounding_box()["y"]
    scroll_box.evaluate("box => { box.scrollTop = 200; }")
    assert abs(table.locator("thead th").first.bounding_box()["y"] - header_top) < 2  # the header stays in view
    before = _metric_texts(page)[0]
    assert "Einwohner jenseits des Standards" in before

    # zoom in on the topmost cell beyond the standard and mark the map document: a reload would lose both
    content = page.locator(MAP_FRAME).element_handle().content_frame()
    cells = frame.locator(f"path.atlas-zelle[fill='{BEYOND}']")
    boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
    top = min(range(len(boxes)), key=lambda i: boxes[i]["y"])
    target = content.evaluate(f"""(i) => {{
        const map = Object.values(window).find(v => v instanceof L.Map);
        const cell = [...document.querySelectorAll("path.atlas-zelle[fill='{BEYOND}']")][i];
        const layer = Object.values(map._layers).find(l => l._path === cell);
        const c = layer.getBounds().getCenter();
        map.setView(c, map.getZoom() + 2, {{animate: false}});
        window.__atlasProbe = 'same map';
        return [c.lat, c.lng, map.getZoom()];
    }}""", top)
    xy = content.evaluate("""([lat, lng]) => {
        const map = Object.values(window).find(v => v instanceof L.Map);
        const p = map.latLngToContainerPoint([lat, lng]);
        return [p.x, p.y];
    }""", target[:2])
    page.locator(MAP_FRAME).evaluate("e => e.scrollIntoView({block: 'center'})")
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + xy[0], box["y"] + xy[1])

    page.locator("[data-testid='stAlertContentSuccess']").wait_for(timeout=30_000)
    desktop_page.wait_for_app()
    success = page.locator("[data-testid='stAlertContentSuccess']").inner_text()
    assert success.startswith("Szenario: 1 hypothetische(r) Standort(e), 0 geschlossen")
    after = _metric_texts(page)[0]
    # the metric now carries a delta: fewer people beyond the standard
    assert re.search(r"\n-\d", after), after
    frame.locator(".atlas-standort-hypothetisch").first.wait_for(timeout=30_000)
    # not reloaded: the same document, the same zoom
    state = content.evaluate("""() => {
        const map = Object.values(window).find(v => v instanceof L.Map);
        return [window.__atlasProbe || null, map.getZoom()];
    }""")
    assert state == ["same map", target[2]]

    # a second click right beside the first reaches nobody new: reported neutrally, not as a success
    page.mouse.click(box["x"] + xy[0] + 4, box["y"] + xy[1] + 4)
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stAlertContentInfo]')]"
                           ".some(e => e.innerText.includes('der zuletzt gesetzte Standort ändert nichts'))",
                           timeout=30_000)
    desktop_page.wait_for_app()
    assert page.locator("[data-testid='stAlertContentSuccess']").count() == 0
    assert frame.locator(".atlas-standort-hypothetisch").count() == 2
    assert content.evaluate("() => window.__atlasProbe || null") == "same map"
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
