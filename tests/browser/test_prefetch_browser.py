"""The next pages' controls are loaded while the start page is read (``atlas.prefetch``), and every kind of
element the pages show that Streamlit loads lazily is among them."""

from __future__ import annotations

from atlas.prefetch import CHUNKS, chunk_files, part_name
from pages._common import streamlit_frontend_files
from tests.browser.conftest import WARM_UP, wait_until_settled
#: Element kinds that ``app.py`` draws on every page (their parts load with the first page anyway).
EVERY_PAGE = {"html", "page_link"}

RESOURCES_SINCE = """(t0) => performance.getEntriesByType('resource')
    .filter(e => e.startTime >= t0).map(e => e.name.split('/').pop().split('?')[0])"""


def test_sidebar_page_finds_its_controls_loaded_while_the_start_page_was_read(app_url, desktop_page):
    """On the start page the parts are imported in idle time, none fails; a click on "Erreichbarkeit" (select
    boxes, slider, map; the data grid on request) then fetches none of them again, and its map, table and grid are
    drawn."""
    files = chunk_files(streamlit_frontend_files())
    page = desktop_page.page
    page.goto(f"{app_url}/")
    page.locator("h1").first.wait_for()
    page.wait_for_function(f"() => window.atlasPrefetch && window.atlasPrefetch.done.length "
                           f"+ window.atlasPrefetch.failed.length === {len(files)}", timeout=30_000)
    assert page.evaluate("() => window.atlasPrefetch.failed") == []
    assert sorted(page.evaluate("() => window.atlasPrefetch.done")) == sorted(files)
    wait_until_settled(page)
    t0 = page.evaluate("() => performance.now()")
    page.locator("[data-testid='stSidebar'] a").filter(has_text="Erreichbarkeit").first.click()
    page.frame_locator("iframe[title='streamlit_folium.st_folium']").first.locator("path.atlas-zelle").first.wait_for(
        timeout=30_000)
    page.locator("table.atlas-tabelle").first.wait_for(timeout=30_000)
    page.locator("[data-testid='stCheckbox']").filter(has_text="Tabelle sortieren und durchsuchen").first.click()
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)  # the grid on request
    fetched = set(page.evaluate(RESOURCES_SINCE, t0))
    assert not fetched & set(files), sorted(fetched & set(files))
    assert not desktop_page.errors and not desktop_page.blocked


def test_phones_fetch_nothing_ahead(app_url, phone_page):
    """A family's phone loads only what its page shows: the prefetch names the reason and imports nothing."""
    page = phone_page.page
    page.goto(f"{app_url}/")
    page.locator("h1").first.wait_for()
    page.wait_for_function("() => window.atlasPrefetch !== undefined", timeout=30_000)
    wait_until_settled(page)
    assert page.evaluate("() => window.atlasPrefetch") == {"done": [], "failed": [], "skipped": "Telefon"}
    fetched = set(page.evaluate(RESOURCES_SINCE, 0))
    assert not fetched & set(chunk_files(streamlit_frontend_files(), ("DataFrame", "Slider")))


def test_every_lazily_loaded_element_kind_of_the_pages_is_fetched_ahead(app_url):
    """The kinds of element all pages send (read by the warm-up visitor over the websocket) that have a part
    of their own in Streamlit's frontend are in :data:`atlas.prefetch.CHUNKS` – a page that starts using a
    new kind of control fails here until it is added."""
    report = WARM_UP.warm_up(app_url, timeout=120)
    assert not report.failure and len(report.visits) > 5
    kinds = set().union(*(visit.elements for visit in report.visits)) - EVERY_PAGE
    parts = {f.split(".")[0] for f in streamlit_frontend_files() if f.endswith(".js")}
    lazy = {part_name(kind) for kind in kinds if part_name(kind) in parts}
    assert {"Selectbox", "DataFrame", "ComponentInstance"} <= lazy  # the pages do show them
    assert lazy <= set(CHUNKS), sorted(lazy - set(CHUNKS))
