"""Warm the browser for the next page: which of Streamlit's lazily loaded frontend files to fetch early.

Streamlit's frontend loads the code of a widget (select box, slider, table, custom component …) only when a
page first shows one, file by file: each file names the next ones it imports, so the browser fetches them in
a chain. On the first map page of a session this chain delayed the map by 0.3–0.7 s on this machine (the
start page uses none of these widgets). The app therefore names these files to the browser as
``<link rel="modulepreload">`` on every page, so they are fetched and compiled while the user reads, and the
files of the map component (streamlit-folium's bundle, Leaflet) as ``<link rel="prefetch">``.

The file names carry a content hash that changes with every Streamlit release; they are read from the
installed frontend (:func:`preload_urls`). A widget whose file is not found is skipped: the hint is only a
hint, a page works without it. Pure: the directory is given by the caller.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

#: Streamlit's frontend files of the widgets the map pages use (file name before the hash): with their imports
#: about 0.35 MB beyond what every page loads. Not the tables (``DataFrame``, ``Table``: 1–1.7 MB of code each,
#: fetched by the pages that show one) – a phone on a mobile network should not pay for them on the start page.
WIDGET_MODULES: tuple[str, ...] = (
    "Selectbox", "Multiselect", "Slider", "Checkbox", "Radio", "NumberInput", "Button", "Metric",
    "ComponentInstance",
)

#: A static import (``import{a}from"./x.js"``, ``import"./x.js"``, ``export{a}from"./x.js"``); a dynamic
#: ``import("./x.js")`` is loaded only when its code runs and is not followed.
_IMPORT = re.compile(r"""(?:\bfrom|\bimport)\s*["']\./([\w.\-]+\.js)["']""")


def _entry(js_dir: Path, name: str) -> Path | None:
    pattern = re.compile(rf"^{re.escape(name)}\.[\w\-]+\.js$")
    found = sorted(p for p in js_dir.glob(f"{name}.*.js") if pattern.match(p.name))
    return found[0] if found else None


def module_files(js_dir: Path, names: Iterable[str] = WIDGET_MODULES) -> list[str]:
    """File names (in *js_dir*) of the modules *names* and of every module they import statically, each once,
    in the order found. Names without a file are skipped."""
    order: list[str] = []
    pending = [entry.name for name in names if (entry := _entry(js_dir, name)) is not None]
    while pending:
        file = pending.pop(0)
        if file in order:
            continue
        path = js_dir / file
        if not path.is_file():
            continue
        order.append(file)
        pending.extend(m for m in _IMPORT.findall(path.read_text(encoding="utf-8", errors="replace"))
                       if m not in order)
    return order


def preload_urls(js_dir: Path, names: Iterable[str] = WIDGET_MODULES, prefix: str = "./static/js/",
                 loaded: Iterable[str] = ("index",)) -> list[str]:
    """The addresses (relative to the app's base URL) of :func:`module_files`, without the files every page
    has loaded already (*loaded*: the frontend's entry module ``index`` and its imports)."""
    known = set(module_files(js_dir, loaded))
    return [prefix + file for file in module_files(js_dir, names) if file not in known]


def preload_script(modules: Sequence[str], prefetch: Sequence[str] = ()) -> str:
    """A ``<script>`` that adds ``<link rel="modulepreload">`` for *modules* and ``<link rel="prefetch">`` for
    *prefetch* to the document head once (later pages find them there and add nothing). No ``<`` in the
    script text (Streamlit's HTML sanitiser) and no ``//`` comments (Streamlit may join lines)."""
    data = json.dumps({"modulepreload": list(modules), "prefetch": list(prefetch)})
    return ("<script>(function(){var d=document,l=" + data + ";"
            "if(d.getElementById('atlas-preload')){return;}"
            "var m=d.createElement('meta');m.id='atlas-preload';d.head.appendChild(m);"
            "Object.keys(l).forEach(function(rel){l[rel].forEach(function(href){"
            "var e=d.createElement('link');e.rel=rel;e.href=href;d.head.appendChild(e);});});})();</script>")
