"""Position editor of the register (pages/_position_editor.py) in a real browser, offline (issue 10, point 2):
log in as an editor, click into the small map, see the clicked coordinates, save – the register stores the
point with precision ``punkt``; a click outside the county is refused with the German message and stores
nothing.

Expected coordinates come from the map itself (Leaflet's ``containerPointToLatLng`` for the pixel that is
clicked) and the county outline of the build – no fixed numbers. The app runs on a COPY of the session's
build with its own SQLite register and a SYNTHETIC user (fixture ``admin_app`` of the register tests)."""

from __future__ import annotations

import re

import pytest
import shapely
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from atlas import schema
from atlas.register import admin_view as view
from atlas.register.position import NEW_POINT_COLOUR
from tests.browser.test_register_browser import (
    AdminApp,
    _login,
    _no_errors,
    _settle,
)
from tests.browser.test_register_browser import admin_app as admin_app  # noqa: F401  (fixture, same app setup)

pytestmark = pytest.mark.browser

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
EXPANDER = "Lage setzen oder verschieben"
#: Tolerance in degrees between the pixel Leaflet was asked about and the click (sub-pixel iframe offset):
#: at the editor's zoom a pixel is well below 0.0002°.
TOLERANCE_DEG = 0.0003
SHOWN = re.compile(r"(\d+,\d{5})° N, (\d+,\d{5})° O")


def _shown(text: str) -> tuple[float, float]:
    """(lat, lon) of the first "50,58834° N, 10,48473° O" in *text*."""
    match = SHOWN.search(text)
    assert match, text
    return float(match.group(1).replace(",", ".")), float(match.group(2).replace(",", "."))


def _map(page):
    """(iframe locator, content frame) of the editor's map once Leaflet is ready and the page has settled
    (streamlit-folium may rerun the page once after mounting; a click before that would be lost)."""
    _settle(page)
    iframe = page.locator(MAP_FRAME).last
    iframe.wait_for(timeout=30_000)
    iframe.evaluate("e => e.scrollIntoView({block: 'center'})")
    content = iframe.element_handle().content_frame()
    content.wait_for_function("""() => {
        const map = window.L && Object.values(window).find(v => v instanceof L.Map);
        return map && map.getSize().x > 100 && map.getSize().y > 100;
    }""", timeout=30_000)
    _settle(page)
    return iframe, content


def _click_latlng(page, lat: float, lng: float, expect) -> tuple[float, float]:
    """Centre the editor's map on (lat, lng), click 40 px right and 30 px below the centre until *expect*
    (a locator) appears – at most three tries, a click can land while the component is still mounting;
    return the (lat, lng) Leaflet gives for that pixel."""
    for _ in range(3):
        iframe, content = _map(page)
        xy = content.evaluate("""([lat, lng]) => {
            const map = Object.values(window).find(v => v instanceof L.Map);
            map.setView([lat, lng], map.getZoom(), {animate: false});
            const size = map.getSize();
            const x = Math.round(size.x / 2) + 40, y = Math.round(size.y / 2) + 30;
            const ll = map.containerPointToLatLng([x, y]);
            return [x, y, ll.lat, ll.lng];
        }""", [lat, lng])
        box = iframe.bounding_box()
        page.mouse.click(box["x"] + xy[0], box["y"] + xy[1])
        try:
            expect.first.wait_for(timeout=15_000)
        except PlaywrightTimeout:
            continue
        return xy[2], xy[3]
    seen = page.locator("[data-testid='stAlert'], [data-testid='stMarkdown']").all_inner_texts()
    raise AssertionError("the map click did not reach the page three times; the page shows: "
                         + " | ".join(t for t in seen if "Lage" in t or "Landkreis" in t)[:800])


def test_map_click_shows_coordinates_and_saves_a_punkt_position(admin_app: AdminApp, desktop_page,
                                                                atlas_data) -> None:
    page = desktop_page.page
    _login(page, admin_app.url)
    # the offer the page opens first: the first row of the register's overview (the page's own view-model)
    offer_id = str(view.offer_table(admin_app.store.offers(include_deleted=False))[0][0]["id"])
    before = admin_app.store.offer(offer_id)
    kreis = atlas_data[schema.KREIS_LAYER].to_crs("EPSG:4326").geometry.iloc[0]
    page.get_by_text(EXPANDER).click()

    # 1) outside the county (the map moved west of the county's bounding box): refused in German, nothing stored
    west, south, _east, north = kreis.bounds
    error = page.locator("[data-testid='stAlertContentError']").filter(has_text="außerhalb des Landkreises")
    out_lat, out_lng = _click_latlng(page, (south + north) / 2, west - 0.05, error)
    assert not kreis.covers(shapely.Point(out_lng, out_lat))
    text = error.first.inner_text()
    assert "nicht gespeichert" in text
    lat, lon = _shown(text)
    assert abs(lat - out_lat) < TOLERANCE_DEG and abs(lon - out_lng) < TOLERANCE_DEG
    # the rerun that shows the error also removes the save button (stale elements go at the end of the run)
    page.get_by_role("button", name="Lage speichern").wait_for(state="detached", timeout=15_000)
    assert admin_app.store.offer(offer_id)["version"] == before["version"]  # type: ignore[index]

    # 2) inside the county: the shown coordinates are the clicked ones; saving stores precision "punkt"
    centre = kreis.representative_point()
    new = page.get_by_text("Neue Lage:")
    in_lat, in_lng = _click_latlng(page, centre.y, centre.x, new)
    assert kreis.covers(shapely.Point(in_lng, in_lat)), "the clicked pixel must lie in the county"
    lat, lon = _shown(new.inner_text())
    assert abs(lat - in_lat) < TOLERANCE_DEG and abs(lon - in_lng) < TOLERANCE_DEG
    assert "gesetzter Punkt" in new.inner_text()
    page.get_by_role("button", name="Lage speichern").click()
    page.get_by_text("Lage gesetzt (Version").wait_for(timeout=30_000)
    after = admin_app.store.offer(offer_id)
    assert after["lage_genauigkeit"] == schema.PRECISION_POINT  # type: ignore[index]
    assert after["lage_hinweis"] == "Punkt gesetzt (Karte)"  # type: ignore[index]
    assert abs(float(after["lat"]) - lat) <= 0.000006 and abs(float(after["lon"]) - lon) <= 0.000006  # type: ignore[index]
    assert after["ags"]  # type: ignore[index]
    assert int(after["version"]) == int(before["version"]) + 1  # type: ignore[index]
    _no_errors(page)
    assert desktop_page.blocked == []


SAME_MAP = """() => {
    const map = Object.values(window).find(v => v instanceof L.Map);
    const c = map.getCenter();
    return {mark: window.atlasSameMap === true, lat: c.lat, lng: c.lng, zoom: map.getZoom(),
            red: document.querySelectorAll('path[stroke="%s"]').length};
}""" % NEW_POINT_COLOUR


def test_map_click_keeps_the_map_and_its_view(admin_app: AdminApp, desktop_page, atlas_data) -> None:
    """Opened, the editor's map shows the offer's surroundings; a second click, and typed coordinates outside
    the county, neither reload it nor move its view (issue 13, point 6, for the register): the frame's
    document is the same, centre and zoom are kept, the red new point is exchanged (one at a time) and a
    refused point shows none."""
    page = desktop_page.page
    _login(page, admin_app.url)
    _settle(page)  # the editor's map is drawn in the closed expander, at size 0
    page.get_by_text(EXPANDER).click()
    _iframe, content = _map(page)
    # opened, it fits the offer's surroundings (±0.02°), not Leaflet's smallest zoom for a map of size 0
    assert content.evaluate("() => Object.values(window).find(v => v instanceof L.Map).getZoom()") >= 12
    kreis = atlas_data[schema.KREIS_LAYER].to_crs("EPSG:4326").geometry.iloc[0]
    centre = kreis.representative_point()
    shown = page.get_by_text("Neue Lage:")
    _click_latlng(page, centre.y, centre.x, shown)
    iframe, content = _map(page)
    content.evaluate("() => { window.atlasSameMap = true; }")
    before = content.evaluate(SAME_MAP)
    assert before["red"] == 1

    def kept(red: int) -> None:
        _settle(page)
        after = content.evaluate(SAME_MAP)
        assert after["mark"], "the map was reloaded"
        assert (after["zoom"], round(after["lat"], 6), round(after["lng"], 6)) == (
            before["zoom"], round(before["lat"], 6), round(before["lng"], 6)), "the view moved"
        assert after["red"] == red

    # a second click 60 px left of and 40 px above the centre: on screen without moving the view
    old = shown.first.inner_text()
    size = content.evaluate("() => Object.values(window).find(v => v instanceof L.Map).getSize()")
    box = iframe.bounding_box()
    page.mouse.click(box["x"] + size["x"] / 2 - 60, box["y"] + size["y"] / 2 - 40)
    page.wait_for_function("""(old) => [...document.querySelectorAll("[data-testid='stMarkdown']")]
        .some(e => e.innerText.includes('Neue Lage:') && e.innerText !== old)""", arg=old, timeout=15_000)
    kept(red=1)
    # typed coordinates outside the county: refused above the map, the map stays, no new point on it
    field = page.get_by_label(re.compile("Koordinaten oder Link"))
    field.fill("48.137, 11.575")
    field.press("Enter")
    page.locator("[data-testid='stAlertContentError']").filter(has_text="außerhalb des Landkreises").first.wait_for(
        timeout=15_000)
    kept(red=0)
    _no_errors(page)
