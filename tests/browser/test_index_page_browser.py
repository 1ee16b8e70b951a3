"""The index page as served by scripts/serve.py (scripts/index_page.py), in a real browser: a page opened at
its own address connects at the first try, and a browser at another address than the one served is left to
Streamlit's own search."""

from __future__ import annotations

import urllib.request

import pytest

pytestmark = pytest.mark.browser

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"


def test_page_opened_at_its_address_connects_at_once_and_shows_its_map(app_url, desktop_page):
    page = desktop_page.page
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{app_url}/erreichbarkeit")
    desktop_page.wait_for_app(timeout=60_000)
    page.frame_locator(MAP_FRAME).first.locator("path.atlas-zelle").first.wait_for(timeout=60_000)
    assert page.evaluate("window.__streamlit && window.__streamlit.BACKEND_BASE_URL") == app_url
    assert f"{app_url}/_stcore/health" in asked
    assert not [url for url in asked if "/erreichbarkeit/_stcore/" in url]  # no failed first try
    assert not desktop_page.errors


def test_browser_at_another_address_than_served_gets_no_base(app_url, desktop_page):
    """As behind a proxy that strips a prefix: the server answered /karte, the browser shows /umweg/karte."""
    with urllib.request.urlopen(f"{app_url}/karte", timeout=30) as response:
        served = response.read().decode()
    assert '<html lang="de">' in served and "BACKEND_BASE_URL" in served
    page = desktop_page.page
    page.route(f"{app_url}/umweg/karte", lambda route: route.fulfill(body=served, content_type="text/html"))
    page.goto(f"{app_url}/umweg/karte")
    page.wait_for_function("document.readyState !== 'loading'")
    assert page.evaluate("window.__streamlit === undefined")
