"""The page every address of the app starts with (Streamlit's ``index.html``), served with three changes.

1. **The connection is found at once.** Opened at a page's own address (``/karte``, a shared link),
   Streamlit's frontend does not know where the server's base path ends and the page's name begins: it asks
   ``/karte/_stcore/health`` first, gets a 404, waits about 0.1 s and then asks ``/_stcore/health``. Every
   direct visit of a page lost 0.10–0.12 s this way before the page could load (Chrome trace of a returning
   visit of the Erreichbarkeit: 404 at 0.62 s, next try at 0.72 s). The server knows which address it
   served the page for and where the app is mounted, so it writes the app's base address into the page
   (``window.__streamlit.BACKEND_BASE_URL``, the frontend's documented setting for a backend elsewhere), and
   the frontend connects at the first try.

   It does so only when that is sure: the address is the app's root or one level below it (a page), and a
   small guard in the browser checks that the browser's address is the one the server answered. Behind a
   proxy that rewrites paths (serves the app at ``/atlas/`` and strips the prefix) the two differ, nothing
   is set, and Streamlit searches as before.
2. ``<html lang="de">`` instead of Streamlit's ``"en"``, from the first byte (screen readers, hyphenation,
   translation offers); the pages' own script (:func:`atlas.ui_style.page_script`) still sets the language of
   a page shown in English.
3. The title ``Standortatlas`` instead of ``Streamlit`` while the app loads.
4. **A page's answer from the first byte.** Given a *preview* function (``scripts/serve.py`` passes the atlas's:
   the start page at the root address, the family page's result cards for a link with a place, the map of
   the Karte, the Indikatoren and the Sozialraumprofil), the page carries that answer as plain HTML
   (:mod:`atlas.page_preview`; a map in a frame, :mod:`atlas.map_preview`): readable, with working links,
   while Streamlit's JavaScript loads; Streamlit's own page replaces it when drawn.

:func:`install` puts this into Streamlit's handler of its static files (``scripts/serve.py`` calls it before
the server starts; ``streamlit run app.py`` serves the unchanged page). If a later Streamlit changes its page
or its handler, the page is served unchanged and the log says so; ``tests/test_index_page.py`` fails first.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Awaitable, Callable
from typing import Any

#: Streamlit's own strings in its index.html that are replaced (each must occur exactly once).
LANG_MARK = '<html lang="en">'
TITLE_MARK = "<title>Streamlit</title>"
MODULE_MARK = '<script type="module"'
ROOT_MARK = '<div id="root"></div>'

LANG = "de"
TITLE = "Standortatlas"

#: Request headers that would let the server answer "not modified" with the unchanged page cached earlier.
_CONDITIONAL = (b"if-none-match", b"if-modified-since")


def base_script(served_path: str, base_path: str) -> str:
    """The ``<script>`` that tells Streamlit's frontend its server's base address (*base_path*, e.g. ``""``
    or ``"/atlas"``), if the browser's address is *served_path*, the path the server answered."""
    served = served_path.rstrip("/")
    return ("<script>(function () {\n"
            f"  if (location.pathname.replace(/\\/+$/, '') !== {json.dumps(served)}) {{ return; }}\n"
            "  window.__streamlit = Object.assign({}, window.__streamlit || {},\n"
            f"    {{BACKEND_BASE_URL: location.origin + {json.dumps(base_path.rstrip('/'))}}});\n"
            "})();</script>\n")


def is_page_path(path: str) -> bool:
    """True for a static handler's relative *path* that can only be a page of the app: the root (``.``) or
    one segment without a dot (``karte``), never a file such as ``favicon.png`` or ``static/js/…``."""
    return path in ("", ".") or ("/" not in path and os.sep not in path and "." not in path)


def index_html(original: str, served_path: str | None, base_path: str = "", preview: str = "") -> str:
    """Streamlit's *original* index page with the language, the title, – if *served_path* is given – the
    base address script (:func:`base_script`) and – if given – a page's *preview* before Streamlit's root
    element (inserted last: its text never meets the other marks). Unchanged where a mark is missing or not
    unique."""
    html = original
    if html.count(LANG_MARK) == 1:
        html = html.replace(LANG_MARK, f'<html lang="{LANG}">')
    if html.count(TITLE_MARK) == 1:
        html = html.replace(TITLE_MARK, f"<title>{TITLE}</title>")
    if served_path is not None and html.count(MODULE_MARK) == 1:
        html = html.replace(MODULE_MARK, base_script(served_path, base_path) + "    " + MODULE_MARK)
    if preview and html.count(ROOT_MARK) == 1:
        html = html.replace(ROOT_MARK, preview + ROOT_MARK)
    return html


def marks_found(original: str) -> list[str]:
    """Which of the marks are missing or not unique in *original* (empty: everything is replaced)."""
    return [mark for mark in (LANG_MARK, TITLE_MARK, MODULE_MARK, ROOT_MARK) if original.count(mark) != 1]


Handler = Callable[[str, Any], Awaitable[Any]]


#: ``preview(page, query_string, base_path)``: the HTML to show before Streamlit has drawn *page* (``""`` for
#: the root, else the page's address below the app) opened with *query_string*; "" for none.
Preview = Callable[[str, str, str], str]


def serve_changed_index(get_response: Handler, index_path: str, preview: Preview | None = None) -> Handler:
    """Wrap a Starlette static handler's ``get_response`` so that every answer with *index_path* is the
    changed page (:func:`index_html`), never cached by the browser (``no-cache``, no validator); a page's
    address gets ``preview(...)`` before Streamlit's root element (computed in a worker thread: the first
    one after a new data build reads the data). The page is read once; a missing mark is logged (the page is
    then served as it is where the mark is missing)."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import FileResponse, HTMLResponse

    with open(index_path, encoding="utf-8") as fh:
        original = fh.read()
    if missing := marks_found(original):
        print(f"Standortatlas: in Streamlits index.html fehlt {', '.join(missing)}; dort bleibt sie unverändert.",
              file=sys.stderr)
    index_abspath = os.path.abspath(index_path)

    async def patched(path: str, scope: Any) -> Any:
        page = is_page_path(path)
        if page:  # the changed page has no validator: ask for the whole page, never a 304 for the old one
            scope = {**scope, "headers": [h for h in scope.get("headers", []) if h[0].lower() not in _CONDITIONAL]}
        response = await get_response(path, scope)
        if not (isinstance(response, FileResponse) and os.path.abspath(response.path) == index_abspath):
            return response
        served = scope.get("path", "") if page else None
        base = scope.get("root_path", "")
        shown = ""
        if preview is not None and page:
            query = scope.get("query_string", b"").decode("latin-1")
            shown = await run_in_threadpool(preview, "" if path in ("", ".") else path, query, base)
        body = index_html(original, served, base, shown)
        return HTMLResponse(body, status_code=response.status_code, headers={"Cache-Control": "no-cache"})

    return patched


def install(preview: Preview | None = None) -> str:
    """Serve the changed index page from Streamlit's static handler (with *preview* for the pages' addresses,
    see :func:`serve_changed_index`); returns "" or why it could not."""
    try:
        from streamlit.web.server.starlette import starlette_static_routes as routes
    except ImportError as exc:
        return f"Streamlit ohne Starlette-Server ({exc})"
    original = getattr(routes, "create_streamlit_static_handler", None)
    if original is None:
        return "Streamlit hat keinen create_streamlit_static_handler mehr"

    def create(directory: str, base_url: str | None) -> Any:
        handler = original(directory, base_url)
        index_path = os.path.join(directory, "index.html")
        if os.path.isfile(index_path):
            handler.get_response = serve_changed_index(handler.get_response, index_path, preview)
        return handler

    routes.create_streamlit_static_handler = create
    return ""
