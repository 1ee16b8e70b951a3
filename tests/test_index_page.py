"""Streamlit's index page as the app serves it (scripts/index_page.py): language, title, and the server's
base address for pages opened at their own address – through Streamlit's real static handler."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from starlette.exceptions import HTTPException
from streamlit import file_util
from streamlit.web.server.starlette import starlette_static_routes as routes

from tests.bench_loader import load_bench_module

index_page = load_bench_module("index_page", folder="scripts")
STATIC = Path(file_util.get_static_dir())
ORIGINAL = (STATIC / "index.html").read_text(encoding="utf-8")


def test_streamlit_page_still_has_every_mark():
    """Fails first when a Streamlit upgrade changes its page: the app would then serve it unchanged."""
    assert index_page.marks_found(ORIGINAL) == []


def test_changed_page_has_language_title_and_base_before_the_app_script():
    html = index_page.index_html(ORIGINAL, "/karte", "")
    assert '<html lang="de">' in html and '<html lang="en">' not in html
    assert "<title>Standortatlas</title>" in html and "<title>Streamlit</title>" not in html
    script = index_page.base_script("/karte", "")
    assert html.index(script) < html.index(index_page.MODULE_MARK)
    assert '!== "/karte"' in script and 'location.origin + ""' in script
    assert index_page.index_html(ORIGINAL, None) == ORIGINAL.replace('<html lang="en">', '<html lang="de">').replace(
        "<title>Streamlit</title>", "<title>Standortatlas</title>")  # no base where the address is not a page


def test_base_script_strips_trailing_slashes():
    script = index_page.base_script("/atlas/", "/atlas/")
    assert '!== "/atlas"' in script and 'location.origin + "/atlas"' in script


def test_unknown_page_layout_is_served_unchanged():
    other = "<html><head><title>Andere</title></head><body></body></html>"
    assert index_page.index_html(other, "/karte") == other
    assert index_page.marks_found(other) == [index_page.LANG_MARK, index_page.TITLE_MARK, index_page.MODULE_MARK,
                                             index_page.ROOT_MARK]
    assert index_page.index_html(other, None, "", "<p>Vorschau</p>") == other  # no root element: no preview


def test_preview_goes_right_before_streamlits_root_element():
    html = index_page.index_html(ORIGINAL, "/", "", "<div id='v'>Vorschau</div>")
    assert html.count("<div id='v'>Vorschau</div>") == 1
    assert html.index("<div id='v'>Vorschau</div>") + len("<div id='v'>Vorschau</div>") == html.index(
        index_page.ROOT_MARK)
    assert "Vorschau" not in index_page.index_html(ORIGINAL, "/", "")


@pytest.mark.parametrize(("path", "page"), [
    (".", True), ("", True), ("karte", True), ("angebote-finden", True),
    ("favicon.png", False), ("manifest.json", False), ("static/js/index.js", False), ("karte/unter", False),
])
def test_page_paths(path, page):
    assert index_page.is_page_path(path) is page


def _get(app, path: str, headers: tuple[tuple[bytes, bytes], ...] = (), root_path: str = "", query: bytes = b""):
    """One GET through the ASGI app *app*: (status, headers, body)."""
    scope = {"type": "http", "method": "GET", "path": root_path + path, "raw_path": (root_path + path).encode(),
             "root_path": root_path, "query_string": query, "headers": list(headers), "http_version": "1.1",
             "scheme": "http", "server": ("127.0.0.1", 8501), "client": ("127.0.0.1", 5000)}
    messages: list[dict] = []

    async def run() -> None:
        done = asyncio.Event()
        requested = False

        async def receive():
            nonlocal requested
            if not requested:
                requested = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await done.wait()  # the client stays until the whole answer is there
            return {"type": "http.disconnect"}

        async def send(message):
            messages.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                done.set()

        await asyncio.wait_for(app(scope, receive, send), timeout=30)

    with ThreadPoolExecutor(1) as pool:  # a loop of its own: the browser tests' Playwright may run one here
        pool.submit(asyncio.run, run()).result()
    start = messages[0]
    head = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return start["status"], head, b"".join(m.get("body", b"") for m in messages[1:])


@pytest.fixture
def handler(monkeypatch):
    """Streamlit's own static handler after :func:`install` (the original is restored afterwards)."""
    monkeypatch.setattr(routes, "create_streamlit_static_handler", routes.create_streamlit_static_handler)
    assert index_page.install() == ""
    return routes.create_streamlit_static_handler(str(STATIC), None)


@pytest.fixture
def unchanged():
    """Streamlit's static handler as it comes."""
    return routes.create_streamlit_static_handler(str(STATIC), None)


def test_handler_serves_the_changed_page_for_pages_and_root(handler):
    status, head, body = _get(handler, "/karte")
    page = body.decode()
    assert status == 200 and head["cache-control"] == "no-cache" and "etag" not in head
    assert '<html lang="de">' in page and index_page.base_script("/karte", "") in page
    status, _, body = _get(handler, "/")
    assert status == 200 and index_page.base_script("/", "") in body.decode()


def test_handler_never_answers_not_modified_with_the_old_page(unchanged, handler):
    """A browser that kept Streamlit's unchanged page (with the file's validators) gets the changed one."""
    status, head, _ = _get(unchanged, "/")
    assert status == 200 and head.get("etag")
    assert _get(unchanged, "/", ((b"if-none-match", head["etag"].encode()),))[0] == 304  # what is avoided
    for conditional in ((b"if-none-match", head["etag"].encode()),
                        (b"if-modified-since", b"Wed, 01 Jan 2200 00:00:00 GMT")):
        for path in ("/", "/karte"):
            status, _, body = _get(handler, path, (conditional,))
            assert status == 200 and b'<html lang="de">' in body


def test_handler_leaves_files_and_reserved_paths_alone(handler):
    status, _, body = _get(handler, "/favicon.png")
    assert status == 200 and body == (STATIC / "favicon.png").read_bytes()
    with pytest.raises(HTTPException) as refused:  # the app's exception handler answers it with a 404
        _get(handler, "/karte/_stcore/health")
    assert refused.value.status_code == 404  # the probe Streamlit no longer needs still fails as before


def test_handler_under_a_base_path_names_it(handler):
    status, _, body = _get(handler, "/karte", root_path="/atlas")
    assert status == 200 and index_page.base_script("/atlas/karte", "/atlas") in body.decode()


@pytest.fixture
def previewing(monkeypatch):
    """The static handler after :func:`install` with a preview that names the base address it was asked for."""
    monkeypatch.setattr(routes, "create_streamlit_static_handler", routes.create_streamlit_static_handler)
    asked: list[str] = []

    def preview(page: str, query: str, base: str) -> str:
        asked.append(f"{base}|{page}|{query}")
        return f'<div id="test-vorschau">{page or "Start"} unter "{base}/"</div>' if page != "karte" else ""

    assert index_page.install(preview) == ""
    return routes.create_streamlit_static_handler(str(STATIC), None), asked


def test_pages_carry_the_preview_the_function_gives_them(previewing):
    handler, asked = previewing
    _, _, body = _get(handler, "/")
    assert body.decode().count('<div id="test-vorschau">Start unter "/"</div><div id="root">') == 1
    assert b"test-vorschau" not in _get(handler, "/karte")[2]  # the function gave none
    _, _, body = _get(handler, "/angebote-finden", query=b"ort=98617")
    assert 'angebote-finden unter "/"' in body.decode()
    _, _, body = _get(handler, "/", root_path="/atlas")
    assert 'Start unter "/atlas/"' in body.decode()
    assert _get(handler, "/favicon.png")[2] == (STATIC / "favicon.png").read_bytes()  # files: never asked
    assert asked == ["||", "|karte|", "|angebote-finden|ort=98617", "/atlas||"]
