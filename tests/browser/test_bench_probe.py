"""The page-speed benchmark's in-page probe (``bench/bench_pages.py``) notes the right moments.

A small SYNTHETIC page (no app, no data) shows its heading after a known delay and draws a map path inside a
same-origin frame after a longer one; a link adds a second heading. The probe must note each element only once
it is there (never before its delay), the framed path from outside the frame, and after ``__atlasMark()`` only
elements that are new – so a benchmark figure can never be shorter than what the page really took.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bench_loader import load_bench_module

pytestmark = pytest.mark.browser

HEADING_DELAY_MS = 300
PATH_DELAY_MS = 600
CLICK_DELAY_MS = 250

INDEX = f"""<!doctype html><html lang="de"><body>
<a id="weiter" href="#">weiter</a>
<iframe src="frame.html" style="width:300px;height:200px"></iframe>
<script>
setTimeout(() => document.body.insertAdjacentHTML("beforeend", "<h1>Start</h1>"), {HEADING_DELAY_MS});
document.getElementById("weiter").addEventListener("click", e => {{
  e.preventDefault();
  setTimeout(() => document.body.insertAdjacentHTML("beforeend", "<h1>Neu</h1>"), {CLICK_DELAY_MS});
}});
</script></body></html>"""

FRAME = f"""<!doctype html><html><body><svg width="200" height="100"></svg><script>
setTimeout(() => {{
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", "M10 10 L90 10 L90 90 Z"); path.setAttribute("class", "atlas-gemeinden");
  document.querySelector("svg").appendChild(path);
}}, {PATH_DELAY_MS});
</script></body></html>"""


PREVIEW_DELAY_MS = 200

#: A map page with its preview (a sandboxed frame below ``_kopien/karten/``, atlas/map_preview.py) drawing
#: first and Streamlit's map frame (same origin, its title) drawing later.
WITH_PREVIEW = """<!doctype html><html lang="de"><body><h1>Karte</h1>
<iframe src="_kopien/karten/vorschau.html" sandbox="allow-scripts" style="width:300px;height:200px"></iframe>
<iframe src="frame.html" title="streamlit_folium.st_folium" style="width:300px;height:200px"></iframe>
</body></html>"""


@pytest.fixture()
def synthetic_site(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "index.html").write_text(INDEX, encoding="utf-8")
    (tmp_path / "frame.html").write_text(FRAME, encoding="utf-8")
    (tmp_path / "karte.html").write_text(WITH_PREVIEW, encoding="utf-8")
    (tmp_path / "_kopien" / "karten").mkdir(parents=True)
    (tmp_path / "_kopien" / "karten" / "vorschau.html").write_text(
        FRAME.replace(str(PATH_DELAY_MS), str(PREVIEW_DELAY_MS)), encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture()
def probed_page(browser, synthetic_site: str) -> Iterator[tuple[object, object]]:
    """The bench module and a page of the synthetic site in a context with the probe, its heading shown."""
    bench = load_bench_module("bench_pages")
    context = bench._new_context(browser)
    try:
        page = context.new_page()
        page.goto(synthetic_site)
        page.locator("h1").first.wait_for()
        yield bench, page
    finally:
        context.close()


def test_probe_notes_content_not_before_it_is_there(probed_page) -> None:
    bench, page = probed_page
    page.frame_locator("iframe").first.locator("path.atlas-gemeinden").wait_for()
    heading = bench._seen(page, "h1", "performance.timeOrigin")
    framed = bench._seen(page, "frame:path.atlas-gemeinden", "performance.timeOrigin")
    assert HEADING_DELAY_MS / 1000 <= heading < HEADING_DELAY_MS / 1000 + 3
    assert PATH_DELAY_MS / 1000 <= framed < PATH_DELAY_MS / 1000 + 3
    assert framed > heading

    # A sidebar visit: what is on the screen at the mark does not count, the new heading does.
    page.evaluate("() => window.__atlasMark()")
    page.locator("#weiter").click()
    page.locator("h1").nth(1).wait_for()
    after_click = bench._seen(page, "h1", "window.__atlasClick")
    assert CLICK_DELAY_MS / 1000 <= after_click < CLICK_DELAY_MS / 1000 + 3


def test_probe_never_notes_what_does_not_appear(probed_page) -> None:
    """A marker that never shows gives NaN, never a time (the table then shows the page as not measured)."""
    bench, page = probed_page
    missing = bench._seen(page, ".of-card", "performance.timeOrigin")
    assert missing != missing  # NaN


def test_probe_notes_a_sandboxed_preview_map_and_streamlits_map_apart(browser, synthetic_site: str) -> None:
    """``frame:`` is the first map seen in any map frame – the preview's, which the page cannot look into, tells
    it – and ``streamlit-frame:`` only Streamlit's map frame; neither before its map is drawn."""
    bench = load_bench_module("bench_pages")
    context = bench._new_context(browser)
    try:
        page = context.new_page()
        page.goto(synthetic_site.replace("index.html", "karte.html"))
        page.frame_locator("iframe[title='streamlit_folium.st_folium']").locator("path.atlas-gemeinden").wait_for()
        page.frame_locator("iframe[sandbox]").locator("path.atlas-gemeinden").wait_for()
        first = bench._seen(page, "frame:path.atlas-gemeinden", "performance.timeOrigin")
        streamlits = bench._seen(page, "streamlit-frame:path.atlas-gemeinden", "performance.timeOrigin")
    finally:
        context.close()
    assert PREVIEW_DELAY_MS / 1000 <= first < PATH_DELAY_MS / 1000 + 3
    assert PATH_DELAY_MS / 1000 <= streamlits < PATH_DELAY_MS / 1000 + 3
    assert first < streamlits
