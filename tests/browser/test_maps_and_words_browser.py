"""Issue 13 points 7 and 9 in a real browser: legends beside the maps, neutral clusters, values on hover and
key figures on click; German words only (Streamlit's own controls included), local time, no technical names."""

from __future__ import annotations

import re

import pytest

from atlas.display import STREAMLIT_GERMAN

pytestmark = pytest.mark.browser

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"


def _gemeinde_point(content, name: str) -> list[float]:
    """Container point of the centre of the Gemeinde *name* on the map."""
    return content.evaluate("""(name) => {
        const m = Object.values(window).find(v => v instanceof L.Map);
        const layer = Object.values(m._layers).find(l => l.feature && l._path
            && l._path.classList.contains('atlas-gemeinden') && l.feature.properties._tooltip.startsWith(name));
        const p = m.latLngToContainerPoint(layer.getBounds().getCenter());
        return [p.x, p.y];
    }""", name)


def test_karte_legend_beside_neutral_clusters_value_and_key_figures(app_url, desktop_page, atlas_data):
    page = desktop_page.page
    page.goto(f"{app_url}/karte")
    desktop_page.wait_for_app()
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.atlas-gemeinden").first.wait_for(timeout=30_000)
    # the legend is beside the map and does not overlap it
    assert frame.locator(".atlas-legend").count() == 0
    legend = page.locator(".atlas-legend").first
    assert "Legende" in legend.inner_text()
    m, lg = page.locator(MAP_FRAME).bounding_box(), legend.bounding_box()
    assert lg["x"] >= m["x"] + m["width"] - 1 or lg["y"] >= m["y"] + m["height"] - 1
    # clusters are grey, not the green/yellow of the Handlungsfelder
    frame.locator(".marker-cluster div").first.wait_for(timeout=30_000)
    colour = frame.locator(".marker-cluster div").first.evaluate("e => getComputedStyle(e).backgroundColor")
    r, g, b = (int(v) for v in re.findall(r"\d+", colour)[:3])
    assert max(r, g, b) - min(r, g, b) <= 8, colour
    # hover: name and value; click: the Gemeinde's key figures
    page.locator(MAP_FRAME).evaluate("e => e.scrollIntoView({block: 'center'})")
    content = page.locator(MAP_FRAME).element_handle().content_frame()
    big = atlas_data.gemeinden.loc[atlas_data.gemeinden["einwohner"].astype(float).idxmax()]
    x, y = _gemeinde_point(content, str(big["name"]))
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)
    tooltip = frame.locator(".leaflet-tooltip").first
    tooltip.wait_for(timeout=10_000)
    expected = f"{int(big['einwohner']):,}".replace(",", ".")
    assert tooltip.inner_text().startswith(f"{big['name']}: {expected}")
    page.mouse.click(box["x"] + x, box["y"] + y)
    popup = frame.locator(".leaflet-popup-content").first
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert "Einwohner (Zensus 2022)" in text and expected in text and "Fläche (km²)" in text
    # German placeholders instead of Streamlit's "Choose options"
    body = page.locator("body").inner_text()
    assert "Choose options" not in body and "Choose an option" not in body
    assert desktop_page.blocked == []
    assert desktop_page.errors == []


def test_quellen_in_plain_german_with_local_time(app_url, desktop_page):
    page = desktop_page.page
    page.goto(f"{app_url}/quellen")
    desktop_page.wait_for_app()
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "UTC" not in text and re.search(r"Aufbereitet am \d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr", text)
    assert re.search(r"Datenstand: jüngste Quelle vom \d\d\.\d\d\.\d{4}", text)
    # the table toolbar speaks German
    page.locator("[data-testid='stDataFrame']").first.hover()
    toolbar = page.locator("[data-testid='stElementToolbar']").first
    toolbar.wait_for(timeout=10_000)
    labels = [b.get_attribute("aria-label") or "" for b in toolbar.locator("button").all()]
    assert labels and not set(labels) & set(STREAMLIT_GERMAN), labels
    assert any(label in STREAMLIT_GERMAN.values() for label in labels), labels
    assert desktop_page.errors == []
