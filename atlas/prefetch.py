"""The next page's controls loaded while the reader reads: Streamlit's lazily loaded frontend parts, fetched
when the browser is idle.

Streamlit's frontend loads the code of most controls (select box, slider, data grid, the map component's
frame …) only when a page first shows one: on a change of page in the sidebar the browser then fetches and
compiles about 50 files (1.5 MB for the data grid alone) in several rounds before the page can show its map
– measured on the Erreichbarkeit, the map appeared 0.86 s after the click in a fresh browser, and the map
frame was created only after the grid's code had been compiled. :func:`prefetch_script` imports those
modules in the browser's idle time, one after another (each waits for an idle moment, so a click or a key
is never kept waiting by more than one module); when the user then changes the page, Streamlit's own
``import()`` of the same file finds the module already loaded. A click during the prefetch costs nothing
extra: a module being fetched is fetched once. Phones and browsers that ask to save data are left out.

Which parts: :data:`CHUNKS`, one per kind of element the atlas's pages show (a test compares them with
what the pages send); their file names carry a content hash and are read from the installed Streamlit
(:func:`chunk_files`, called by ``pages/_common.py``), so an upgrade of Streamlit needs no change here –
a part that is not found is simply not fetched ahead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence

#: Streamlit's lazily loaded frontend parts the atlas shows, by the name its build gives the file
#: (``<name>.<hash>.js``): one per element kind of the pages (``tests/browser/test_prefetch_browser.py``
#: checks every element kind the pages send that has a part of its own). The map pages' parts first.
CHUNKS: tuple[str, ...] = (
    "ComponentInstance", "Selectbox", "Slider", "Multiselect", "Checkbox", "Radio", "Button", "Metric",
    "DataFrame", "Table", "NumberInput", "TextInput", "TextArea", "ButtonGroup", "DownloadButton",
)

#: Element kinds of Streamlit's protocol whose frontend part is named differently from their CamelCase.
_PART_NAMES = {"dataframe": "DataFrame", "arrow_data_frame": "DataFrame"}


def part_name(element_kind: str) -> str:
    """The frontend part's file name for an element kind of Streamlit's protocol (``"number_input"`` →
    ``"NumberInput"``, ``"dataframe"`` → ``"DataFrame"``)."""
    return _PART_NAMES.get(element_kind, "".join(word.capitalize() for word in element_kind.split("_")))


def chunk_files(listing: Iterable[str], names: Sequence[str] = CHUNKS) -> list[str]:
    """The files of *listing* (a folder's file names) that are the parts *names*, in the order of *names*:
    ``Slider.WU6er_Bo.js`` for ``Slider`` – the name, one hashed part, ``.js``."""
    pattern = re.compile(r"^([A-Za-z]+)\.[A-Za-z0-9_-]+\.js$")
    found: dict[str, str] = {}
    for file in sorted(listing):
        match = pattern.match(file)
        if match and match.group(1) in names:
            found.setdefault(match.group(1), file)
    return [found[name] for name in names if name in found]


#: Screens up to this width are phones: no prefetch there (see :func:`prefetch_script`).
PHONE_MAX_WIDTH_PX = 700


def prefetch_script(files: Sequence[str]) -> str:
    """A ``<script>`` that imports *files* (names in the folder of Streamlit's main bundle) once per browser
    tab, one after another, each in an idle moment of the browser (at most 2 s later); nothing when
    *files* is empty. No ``//`` comments: Streamlit may join the lines.

    Not on a phone (a screen up to :data:`PHONE_MAX_WIDTH_PX` wide) and not when the browser asks to save
    data or reports a slow network: there the files (about 2 MB, sent uncompressed by Streamlit) would cost a
    family's data volume and compete with the page they are using, for pages the planners use at a desk.
    ``window.atlasPrefetch.skipped`` then names the reason."""
    if not files:
        return ""
    return f"""<script>
(function () {{
  if (window.atlasPrefetch) {{ return; }}
  const files = {json.dumps(list(files))};
  const bundle = document.querySelector('script[src*="/static/js/index."]');
  const base = bundle ? new URL('.', bundle.src).href : new URL('static/js/', document.baseURI).href;
  const idle = window.requestIdleCallback || function (fn) {{ return window.setTimeout(fn, 200); }};
  const net = navigator.connection;
  const skipped = window.matchMedia('(max-width: {PHONE_MAX_WIDTH_PX}px)').matches ? 'Telefon'
    : (net && (net.saveData || /2g|3g/.test(net.effectiveType || ''))) ? 'Datensparen oder langsames Netz' : '';
  window.atlasPrefetch = {{done: [], failed: [], skipped: skipped}};
  if (skipped) {{ return; }}
  function next(i) {{
    if (i >= files.length) {{ return; }}
    idle(function () {{
      import(base + files[i]).then(function () {{ window.atlasPrefetch.done.push(files[i]); }},
                                    function () {{ window.atlasPrefetch.failed.push(files[i]); }})
        .then(function () {{ next(i + 1); }});
    }}, {{timeout: 2000}});
  }}
  window.addEventListener('load', function () {{ next(0); }});
  if (document.readyState === 'complete') {{ next(0); }}
}})();
</script>"""
