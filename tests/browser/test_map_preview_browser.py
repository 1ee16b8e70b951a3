"""A map page's map in the first HTML (atlas/map_preview.py): recorded by the server's warm-up, shown before
Streamlit's JavaScript has loaded, replaced by Streamlit's own map; never recorded from a visitor's session."""

from __future__ import annotations

import re
import time
import urllib.request
from urllib.parse import urlencode

import pytest

from atlas.indicator_choice import map_indicators
from atlas.map_preview import PREVIEW_FRAME_TITLE, STREAMLIT_MAP_FRAME
from atlas.page_preview import PREVIEW_ID, WARM_UP_HEADER
from tests.bench_loader import load_bench_module
from tests.browser.conftest import server_log

pytestmark = pytest.mark.browser

STREAMLIT_JS = "**/static/js/**"
PREVIEW = f"#{PREVIEW_ID}"
PREVIEW_FRAME = f'iframe[title="{PREVIEW_FRAME_TITLE}"]'


def _served(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def _preview_frame_src(url: str) -> str | None:
    found = re.search(r'<iframe title="' + re.escape(PREVIEW_FRAME_TITLE) + r'" src="([^"]+)"', _served(url))
    return found.group(1) if found else None


def test_karte_shows_its_map_before_streamlit_then_streamlits_own(app_url, desktop_page):
    page = desktop_page.page
    held = []
    page.route(STREAMLIT_JS, lambda route: held.append(route))  # Streamlit's JavaScript held back
    page.goto(f"{app_url}/karte", wait_until="commit")
    page.locator(f"{PREVIEW} h1").wait_for(timeout=30_000)
    heading = page.locator(f"{PREVIEW} h1").inner_text()
    assert heading.startswith("Karte")
    assert page.locator("[data-testid='stMain']").count() == 0  # nothing of Streamlit yet
    preview_map = page.frame_locator(f"{PREVIEW} {PREVIEW_FRAME}")
    preview_map.locator("path.atlas-gemeinden").first.wait_for(timeout=30_000)
    gemeinden = preview_map.locator("path.atlas-gemeinden").count()
    assert gemeinden > 0
    assert "GeoBasis-DE" in preview_map.locator(".leaflet-control-attribution").inner_text()
    box = page.locator(f"{PREVIEW} {PREVIEW_FRAME}").bounding_box()
    assert box is not None and box["y"] < 1000 and box["height"] >= 400  # the map in view, at the page's height
    preview_map.locator(".leaflet-control-zoom-in").click()  # it is a map: it can be zoomed

    for route in held:
        route.continue_()
    page.unroute(STREAMLIT_JS)
    page.locator(PREVIEW).wait_for(state="detached", timeout=60_000)
    own = page.frame_locator(STREAMLIT_MAP_FRAME).locator("path.atlas-gemeinden")
    assert own.count() == gemeinden  # the preview was removed only once Streamlit's map had drawn: the same map
    assert page.locator("h1").count() == 1
    assert page.locator("[data-testid='stMain'] h1").inner_text() == heading  # the page's own heading
    assert desktop_page.errors == [] and desktop_page.blocked == []


def test_map_pages_carry_their_recorded_map(app_url, atlas_data):
    """The warm-up opened every page: the pages whose answer is a map at the top carry it, with what the page
    shows beside it (the legend; the Sozialraumprofil's figures for its first Gemeinde); its page draws the
    county."""
    from atlas.council.page_model import default_gemeinde

    gem = atlas_data.gemeinden
    first = dict(zip(gem["ags"].astype(str), gem["name"], strict=True))[default_gemeinde(gem)]
    beside = {"karte": 'class="atlas-legend"', "indikatoren": 'class="atlas-legend"', "profil": f"<h2>{first}</h2>",
              "sitzung?sitzung=beispiel": 'class="atlas-legend"'}
    for path, shown in beside.items():
        src = _preview_frame_src(f"{app_url}/{path}")
        assert src is not None, path
        assert shown in _served(f"{app_url}/{path}"), path
        document = _served(f"{app_url}{src}")
        assert '<div id="map_div"></div>' in document and "atlas-gemeinden" in document, path
    # the Erreichbarkeit: everything above its map too (notice, controls, key figures), as the page draws it
    assert 'class="av-kennzahlen"' in _served(f"{app_url}/erreichbarkeit")
    # Bus und Bahn: its tab bar and key figures above its map
    assert 'class="av-reiter"' in _served(f"{app_url}/bus-und-bahn")
    # none where there is no map
    for path in ("quellen", "meldung"):
        assert _preview_frame_src(f"{app_url}/{path}") is None, path


def test_a_visitors_session_never_becomes_a_preview(app_url, built, desktop_page, atlas_data):
    """Only the server's own warm-up records, each address in a fresh session of its own: neither a browser
    that chooses another indicator in its session (its address changes in place) nor a client claiming to be
    the warm-up (a wrong secret) gives those addresses a preview. The link the browser opened is opened once
    more by the server itself (logged): its preview is what any first visitor of that address sees."""
    from atlas.indicator_choice import indicator_option_label

    other = [ind for ind in map_indicators(atlas_data.gemeinden.columns)][1:4]
    assert len(other) == 3
    by_link, by_choice, by_forger = (urlencode({"indikator": ind.id}) for ind in other)

    page = desktop_page.page
    page.goto(f"{app_url}/karte?{by_link}")
    desktop_page.wait_for_app(60_000)
    page.frame_locator(STREAMLIT_MAP_FRAME).locator("path.atlas-gemeinden").first.wait_for()
    page.locator("[data-testid='stSelectbox']").filter(has_text="Indikator").first.click()
    page.get_by_role("option", name=indicator_option_label(other[1]), exact=True).click()
    page.wait_for_url(f"**/karte?{by_choice}", timeout=30_000)
    page.frame_locator(STREAMLIT_MAP_FRAME).locator("path.atlas-gemeinden").first.wait_for()

    warm_up = load_bench_module("warm_up", folder="scripts")
    from websockets.sync.client import connect

    ws_url = "ws" + app_url.removeprefix("http") + "/_stcore/stream"
    with connect(ws_url, subprotocols=["streamlit"], max_size=None,  # type: ignore[list-item]
                 additional_headers={WARM_UP_HEADER: "geraten"}) as ws:
        pages: dict[str, str] = {}
        warm_up._visit(ws, "", "", pages, 60)
        visit = warm_up._visit(ws, "karte", pages["karte"], pages, 60, query=by_forger)
    assert visit.errors == [] and "component_instance" in visit.elements  # the page did draw its map

    assert _preview_frame_src(f"{app_url}/karte?{by_choice}") is None
    assert _preview_frame_src(f"{app_url}/karte?{by_forger}") is None
    assert _preview_frame_src(f"{app_url}/karte") is not None  # the warm-up's own stays
    assert desktop_page.errors == []
    opened = f"Adresse /karte?{by_link} für ihre Vorschau geöffnet in"
    deadline = time.monotonic() + 60
    while opened not in server_log(built.gpkg.parent, app_url):
        assert time.monotonic() < deadline, server_log(built.gpkg.parent, app_url)[-2000:]
        time.sleep(0.5)
    assert _preview_frame_src(f"{app_url}/karte?{by_link}") is not None


def test_the_address_a_page_writes_itself_has_the_warm_ups_preview(app_url, built, desktop_page):
    """Map pages write their settings into the address (Karte ``?indikator=…``, Profil ``?gemeinde=…``): a
    reload or a copied address bar opens that address, and it carries the preview the warm-up recorded – no
    visitor had to open it first (the server's log names no later opening of it)."""
    page = desktop_page.page
    written = {}
    for path in ("karte", "indikatoren", "erreichbarkeit", "profil"):
        page.goto(f"{app_url}/{path}")
        desktop_page.wait_for_app(60_000)
        page.frame_locator(STREAMLIT_MAP_FRAME).locator(".leaflet-overlay-pane path").first.wait_for()
        written[path] = page.url.removeprefix(f"{app_url}/")
    assert all("?" in address for address in written.values()), written  # each page wrote its settings
    for address in written.values():
        assert _preview_frame_src(f"{app_url}/{address}") is not None, address
        assert f"Adresse /{address} " not in server_log(built.gpkg.parent, app_url), address


def test_phone_sees_the_karte_and_its_legend_below_it_before_streamlit(app_url, phone_page):
    """At 390 px the map fills the width and the legend comes below it, as Streamlit stacks the columns."""
    page = phone_page.page
    page.route(STREAMLIT_JS, lambda route: route.abort())  # only the preview
    page.goto(f"{app_url}/karte", wait_until="commit")
    page.frame_locator(f"{PREVIEW} {PREVIEW_FRAME}").locator("path.atlas-gemeinden").first.wait_for(timeout=30_000)
    frame = page.locator(f"{PREVIEW} {PREVIEW_FRAME}").bounding_box()
    legend = page.locator(f"{PREVIEW} .atlas-legend").bounding_box()
    assert frame is not None and legend is not None
    assert frame["width"] >= 300 and frame["y"] < 844  # the map across the screen, in view
    assert legend["y"] >= frame["y"] + frame["height"]  # the legend under the map, not squeezed beside it


@pytest.mark.parametrize("path", ["karte", "indikatoren", "profil", "erreichbarkeit", "bus-und-bahn"])
@pytest.mark.parametrize("viewport", [(1366, 768), (390, 844)])
def test_the_preview_map_is_where_streamlits_page_shows_it(app_url, browser, path, viewport):
    """The preview carries the page's own heading and, on the Indikatoren, what comes between heading and
    map (caption, the controls' row, the tab bar; stacked on a phone), on the Sozialraumprofil the Gemeinde's
    box above the map, on the Erreichbarkeit and Bus und Bahn the key figures and captions (and the tab bar):
    Streamlit's map then takes the preview's place instead of jumping down (the Indikatoren's before: 200 px
    on a desktop, 475 px on a phone)."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    held = []
    page.route(STREAMLIT_JS, lambda route: held.append(route))
    page.goto(f"{app_url}/{path}", wait_until="commit")
    frame = page.locator(f"{PREVIEW} {PREVIEW_FRAME}")
    frame.wait_for(timeout=30_000)
    heading, before = page.locator(f"{PREVIEW} h1").inner_text(), frame.bounding_box()
    for route in held:
        route.continue_()
    page.unroute(STREAMLIT_JS)
    page.locator(PREVIEW).wait_for(state="detached", timeout=60_000)
    after = page.locator(STREAMLIT_MAP_FRAME).bounding_box()
    assert page.locator("[data-testid='stMain'] h1").inner_text() == heading
    assert before is not None and after is not None
    assert abs(before["y"] - after["y"]) <= 4 and abs(before["x"] - after["x"]) <= 4, (before, after)
    assert abs(before["height"] - after["height"]) <= 4 and abs(before["width"] - after["width"]) <= 16
    context.close()


def _slide_boxes(page, scope: str, frame: str) -> dict[str, dict]:
    boxes = {"map": page.locator(f"{scope} {frame}").bounding_box(),
             "title": page.locator(f"{scope} .atlas-slide-title").bounding_box(),
             "end": page.locator(f"{scope} .atlas-sitzung-ende").bounding_box()}
    assert all(boxes.values()), boxes
    return boxes


@pytest.mark.parametrize("viewport", [(1920, 1080), (390, 844)])
def test_a_prepared_sessions_slide_is_shown_before_streamlit_where_streamlit_draws_it(app_url, browser, viewport):
    """A presenter opens a prepared session's link on the projector: its first slide – the title row, the map
    as high as the screen, the legend – comes with the server's first answer, in the Sitzungsmodus's own frame
    (no sidebar), and Streamlit's slide then takes its place."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    held = []
    page.route(STREAMLIT_JS, lambda route: held.append(route))
    page.goto(f"{app_url}/sitzung?sitzung=beispiel", wait_until="commit")
    page.locator(f"{PREVIEW} {PREVIEW_FRAME}").wait_for(timeout=30_000)
    heading = page.locator(f"{PREVIEW} .atlas-slide-title").inner_text()
    assert "Folie 1 von" in page.locator(f"{PREVIEW} .atlas-slide-sub").inner_text()
    assert page.locator(f"{PREVIEW} nav").count() == 0 and page.locator(f"{PREVIEW} h1").count() == 0
    before = _slide_boxes(page, PREVIEW, PREVIEW_FRAME)
    assert before["map"]["height"] >= viewport[1] - 200 - 4  # as high as the screen below the title row
    for route in held:
        route.continue_()
    page.unroute(STREAMLIT_JS)
    page.locator(PREVIEW).wait_for(state="detached", timeout=60_000)
    after = _slide_boxes(page, "[data-testid='stMain']", STREAMLIT_MAP_FRAME)
    assert page.locator("[data-testid='stMain'] .atlas-slide-title").inner_text() == heading
    for part, box in before.items():
        assert all(abs(box[k] - after[part][k]) <= 4 for k in ("x", "y", "width", "height")), (part, box, after[part])
    context.close()


def test_the_arrow_key_in_a_slides_preview_opens_the_next_slide(app_url, desktop_page):
    """Before Streamlit has loaded, → follows the preview's Weiter link: the presenter is never stuck."""
    from atlas.council.slides import load_named_deck

    count = len(load_named_deck("beispiel"))
    assert count >= 2
    page = desktop_page.page
    page.route(STREAMLIT_JS, lambda route: None)  # Streamlit's JavaScript never comes
    page.goto(f"{app_url}/sitzung?sitzung=beispiel", wait_until="commit")
    shown = f"{PREVIEW} {PREVIEW_FRAME}"  # after the title row: its key script has run
    page.locator(shown).wait_for(timeout=30_000)
    for key, nr in (("ArrowRight", 2), ("ArrowLeft", 1)):
        page.keyboard.press(key)
        page.wait_for_url(re.compile(rf"nr={nr}"), timeout=30_000, wait_until="commit")
        page.locator(shown).wait_for(timeout=30_000)
        assert f"Folie {nr} von {count}" in page.locator(f"{PREVIEW} .atlas-slide-sub").inner_text()
    assert desktop_page.errors == []


def test_erreichbarkeit_preview_shows_the_key_figures_streamlit_then_shows(app_url, desktop_page):
    """The coordinator's first view of the Erreichbarkeit: the key figures (people beyond the standard,
    children, elderly, share) and the captions above the map are in the first answer, and Streamlit's page
    then shows the same figures and captions, in the same order."""
    page = desktop_page.page
    held = []
    page.route(STREAMLIT_JS, lambda route: held.append(route))
    page.goto(f"{app_url}/erreichbarkeit", wait_until="commit")
    page.locator(f"{PREVIEW} {PREVIEW_FRAME}").wait_for(timeout=30_000)
    labels = page.locator(f"{PREVIEW} .av-kennzahlen span").all_inner_texts()
    values = page.locator(f"{PREVIEW} .av-kennzahlen strong").all_inner_texts()
    captions = page.locator(f"{PREVIEW} .av-vorspann").all_inner_texts()
    assert len(labels) == len(values) == 4 and all(values) and len(captions) >= 2
    for route in held:
        route.continue_()
    page.unroute(STREAMLIT_JS)
    page.locator(PREVIEW).wait_for(state="detached", timeout=60_000)
    main = page.locator("[data-testid='stMain']")
    assert main.locator("[data-testid='stMetricLabel']").all_inner_texts() == labels
    assert main.locator("[data-testid='stMetricValue']").all_inner_texts() == values
    shown = main.locator("[data-testid='stCaptionContainer']").all_inner_texts()
    assert shown[:len(captions)] == captions  # the same Markdown, rendered alike
    assert desktop_page.errors == []
