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
