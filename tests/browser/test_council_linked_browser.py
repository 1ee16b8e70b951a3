"""'Zwei Indikatoren' in a real browser, offline: the two maps are linked – zooming or panning one
moves the other to the same view."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"

#: Zoom, centre and width of both maps, read from Leaflet inside the iframe; ``gap`` is the
#: distance of the two centres in screen pixels at that zoom (the right map is 2 px narrower – the
#: dividing line – so its centre may sit up to a pixel off).
GAP_JS = "map_div.project(map_div.getCenter()).distanceTo(map_div.project(map_div2.getCenter()))"
VIEW_JS = ("() => [map_div, map_div2].map(m => ({zoom: m.getZoom(), lat: m.getCenter().lat, "
           f"lng: m.getCenter().lng, width: m.getSize().x, gap: {GAP_JS}}}))")


#: Both maps have finished their zoom animation (a drag that starts during it is ignored by Leaflet).
IDLE = " && !map_div._animatingZoom && !map_div2._animatingZoom"


def _click_zoom(frame, button: str, zoom: int) -> None:
    """Click a zoom button (e.g. ``#map_div .leaflet-control-zoom-in``) until both maps show *zoom*.

    On a loaded test machine the very first click after the tab opened is sometimes swallowed by
    Leaflet (the map stays at its zoom, still in sync): retry a bounded number of times.
    """
    for attempt in range(3):
        frame.locator(button).click()
        try:
            frame.wait_for_function("z => map_div.getZoom() === z && map_div2.getZoom() === z" + IDLE,
                                    arg=zoom, polling=100, timeout=5_000)
            return
        except PlaywrightTimeout:
            assert _same_view(frame.evaluate(VIEW_JS))  # not zoomed, but the two maps still agree
            if attempt == 2:
                raise


def _legend_titles(page) -> list[str]:
    """Titles of the legends the 'Zwei Indikatoren' tab shows in the page (outside the map)."""
    panel = page.get_by_role("tabpanel", name="Zwei Indikatoren")
    return [t.strip() for t in panel.locator(".atlas-legend h4").all_inner_texts()]


def _overlaps(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)])
def test_the_legends_of_the_pair_never_cover_the_county(browser, app_url, atlas_data, width, height):
    """Issue 13 (7): at laptop and phone width no legend of the linked pair lies on a Gemeinde polygon –
    the legends are outside the map frame, one under each map, foldable."""
    from tests.browser.conftest import _offline_page

    for wrapper in _offline_page(browser, viewport={"width": width, "height": height}):
        page = wrapper.page
        page.goto(f"{app_url}/indikatoren?indikator=p_harzt")
        wrapper.wait_for_app()
        page.get_by_role("tab", name="Zwei Indikatoren").click()
        panel = page.get_by_role("tabpanel", name="Zwei Indikatoren")
        iframe = panel.locator(MAP_FRAME)
        iframe.content_frame.locator("#map_div2 path.atlas-gemeinden").first.wait_for(timeout=30_000)
        frame = iframe.element_handle().content_frame()
        assert frame.locator(".atlas-legend").count() == 0  # nothing of a legend inside the maps
        legends = panel.locator(".atlas-legend")
        legends.first.wait_for(timeout=30_000)
        assert legends.count() == 2
        frame_box = iframe.bounding_box()
        # Every Gemeinde polygon of both maps, in page coordinates (the frame's offset added).
        polygons = [{**box, "x": box["x"] + frame_box["x"], "y": box["y"] + frame_box["y"]} for box in frame.evaluate(
            "() => [...document.querySelectorAll('path.atlas-gemeinden')].map(p => {"
            "const r = p.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height}; })")]
        assert len(polygons) == 2 * len(atlas_data.gemeinden)
        for index in range(2):  # boxes read without scrolling in between: one coordinate system
            box = legends.nth(index).bounding_box()
            assert box["height"] > 0 and not _overlaps(box, frame_box)
            assert [p for p in polygons if _overlaps(box, p)] == []
        for index in range(2):  # foldable: the summary closes it
            legend = legends.nth(index)
            details = legend.locator("details")
            assert details.evaluate("d => d.open")
            legend.locator("summary").click()
            assert not details.evaluate("d => d.open")
        assert wrapper.errors == []
        assert wrapper.blocked == []


def _same_view(views: list[dict]) -> bool:
    left, right = views
    return left["zoom"] == right["zoom"] and left["gap"] <= 1.0


def test_zoom_and_pan_on_one_map_moves_the_other(app_url, desktop_page, atlas_data):
    page = desktop_page.page
    page.goto(f"{app_url}/indikatoren?indikator=p_harzt")
    desktop_page.wait_for_app()
    page.get_by_role("tab", name="Zwei Indikatoren").click()
    page.get_by_text("Rechts: ").first.wait_for(timeout=30_000)
    iframe = page.get_by_role("tabpanel", name="Zwei Indikatoren").locator(MAP_FRAME)
    iframe.first.wait_for(timeout=30_000)  # drawn after the headings (on a busy machine noticeably later)
    assert iframe.count() == 1  # one iframe holds both maps
    iframe.content_frame.locator("#map_div2 path.atlas-gemeinden").first.wait_for(timeout=30_000)
    element = iframe.element_handle()
    frame = element.content_frame()
    assert frame.evaluate("() => map_div instanceof L.Map && map_div2 instanceof L.Map")
    # Both maps are drawn side by side, each with its own Gemeinden; each legend stands under its map.
    assert frame.locator("#map_div path.atlas-gemeinden").count() == len(atlas_data.gemeinden)
    assert frame.locator("#map_div2 path.atlas-gemeinden").count() == len(atlas_data.gemeinden)
    right_title = page.locator("p", has_text="Rechts: ").first.inner_text().removeprefix("Rechts: ")
    assert _legend_titles(page) == ["Pkw-Fahrzeit zur nächsten Hausarztpraxis", right_title]
    # Opening the tab fitted both maps to the Kreis (they were built in a hidden tab of height 0).
    frame.wait_for_function("() => map_div.getSize().x > 300 && map_div.getZoom() >= 9 "
                            "&& map_div.getZoom() === map_div2.getZoom()", polling=100, timeout=30_000)
    start = frame.evaluate(VIEW_JS)
    assert _same_view(start) and abs(start[0]["width"] - start[1]["width"]) <= 2  # 2 px dividing line

    # Zoom in on the left map: the right one follows.
    _click_zoom(frame, "#map_div .leaflet-control-zoom-in", start[0]["zoom"] + 1)
    zoomed = frame.evaluate(VIEW_JS)
    assert _same_view(zoomed)

    # Drag the left map 150 px to the right: the right map's centre moves west with it.
    box = element.bounding_box()
    x, y = box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.5
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 75, y, steps=5)
    page.mouse.move(x + 150, y, steps=5)
    page.mouse.up()
    frame.wait_for_function(f"lng => map_div2.getCenter().lng < lng - 0.05 && {GAP_JS} <= 1.0" + IDLE,
                            arg=zoomed[1]["lng"], polling=100, timeout=10_000)
    panned = frame.evaluate(VIEW_JS)
    assert _same_view(panned) and panned[1]["zoom"] == start[0]["zoom"] + 1

    # And the other way round: zoom out on the right map, the left one follows.
    _click_zoom(frame, "#map_div2 .leaflet-control-zoom-out", start[0]["zoom"])
    assert _same_view(frame.evaluate(VIEW_JS))
    assert desktop_page.blocked == []
    assert desktop_page.errors == []
