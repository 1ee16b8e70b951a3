"""A map page's first map in the server's first answer, drawn before Streamlit's frontend has loaded.

A first visit of a map page (``/karte``, a link in the council's invitation) shows nothing until Streamlit's
JavaScript has loaded and run; its map frame is created only after that, at 2–3 s on this machine. The map a
first visitor gets is known before: it is the page's map for its default settings (or the settings in the
address), the same for every fresh visitor of the same data build. So it is **recorded** when a headless visit
opens the page – the server's warm-up (``scripts/warm_up.py``) after every start and every new data build –
and served from then on:

- Map pages ask for it (``show_map(..., preview=<the page's title>, preview_parts=...)``, ``pages/_maps.py``),
  with what they show around the map (:class:`PreviewParts`): the Indikatoren's caption, controls and tabs
  between title and map (:func:`atlas.preview_elements.lead_html`), the Sozialraumprofil's Gemeinde box above
  it, the Erreichbarkeit's and Bus und Bahn's key figures and captions (noted as the page draws them,
  ``pages/_map_preview.Above``), a prepared session's slide in the Sitzungsmodus's own frame
  (:mod:`atlas.council.slide_view`) – drawn with the heights of Streamlit's elements
  (:mod:`atlas.preview_elements`), so that the map is where Streamlit's page will show it. In a warm-up visit
  (it sends :func:`atlas.page_preview.warm_up_token` in the header :data:`atlas.page_preview.WARM_UP_HEADER`;
  a visitor cannot fake it, so no visitor's own settings ever become another's preview) the run's map goes to
  :meth:`MapPreviews.record`, and the column the page draws beside it too
  (``pages/_map_preview.preview_aside``/``preview_beside``: the legend, the profile's figures). The map is
  written once as a standalone Leaflet page (:func:`map_document`) below ``static/`` (its name is its content's
  hash, so a browser keeps it until it changes).
- The server's index page (``scripts/index_page.py``, chosen by ``scripts/serve.py``) carries, for the same
  address and data build, the page's title, that map in a sandboxed frame and its legend (:func:`preview_html`);
  Streamlit's page replaces it when its own map frame has drawn (:data:`atlas.page_preview.REMOVE_SCRIPT`,
  waiting for :data:`MAP_DRAWN` in :data:`STREAMLIT_MAP_FRAME`).

The preview's map is the page's map: the same layers, popups, labels, legend and attribution, made by the same
code; it can be moved and zoomed, but the page's controls and clicks on the map work only in Streamlit's map.
An address no warm-up has opened (a link with settings in it), or another data build, gets no preview – the
page is served as before; for a map page's link with settings (:func:`worth_recording`) the server then has the
warm-up open it (``scripts/warm_up.Requested``), so that the link's next visitor gets one. Pure, no Streamlit.
"""

from __future__ import annotations

import hashlib
import html
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from atlas import settings
from atlas.leaflet import COPIES_DIR, LEAFLET_CSS, LEAFLET_JS, STATIC_URL
from atlas.navigation import NAVIGATION
from atlas.page_preview import preview_frame
from atlas.preview_elements import ELEMENTS_CSS, column_style

#: Streamlit's map frame (streamlit-folium's component) and what shows that it has drawn its map.
STREAMLIT_MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
MAP_DRAWN = ".leaflet-overlay-pane path, .leaflet-marker-icon"

#: The preview's own frame (its title is read by screen readers).
PREVIEW_FRAME_TITLE = "Karte (Vorschau, wird gleich bedienbar)"

#: The preview's frame runs its scripts but cannot reach the page around it (nor the page it); its links
#: (websites in an offer's popup) open in a new tab. Chromium draws such a frame in a process of its own,
#: beside Streamlit's JavaScript (measured: the map 0.1–0.3 s sooner than in a frame of the same origin).
FRAME_SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox"

#: The map and the column beside it, as the page's ``st.columns``; stacked below Streamlit's breakpoint for
#: columns (640 px), as Streamlit stacks them on a phone.
COLUMNS_CSS = """
.av-spalten{display:flex;gap:1rem;align-items:flex-start}
.av-spalten>div{min-width:0}
@media (max-width:640px){.av-spalten{flex-direction:column}.av-spalten>div{width:100%;flex-basis:auto!important}}
"""

#: Addresses kept per process (each a few hundred kB on disk, a short record in memory).
MAX_RECORDED = 32

_FOLDER = "karten"


def address(page: str, query: str) -> tuple[str, str]:
    """The key of a page's address: its path below the app (``"karte"``) and its query string with the
    parameters in a fixed order (``b=2&a=1`` and ``a=1&b=2`` are the same address)."""
    return page.strip("/"), urlencode(sorted(parse_qsl(query.lstrip("?"), keep_blank_values=True)))


def map_document(*, script: str, header: str, css_links: Iterable[str], js_links: Iterable[str],
                 groups_script: str = "", title: str = "Karte") -> str:
    """A standalone page drawing a rendered folium map as streamlit-folium's frame does: Leaflet and the
    map's files, the map's header, the element ``map_div`` its script draws into, the script and the layers
    added to the standing map (*groups_script*, streamlit-folium's ``feature_group_to_add``)."""
    css = dict.fromkeys([LEAFLET_CSS, *css_links])
    js = dict.fromkeys([LEAFLET_JS, *js_links])
    links = "".join(f'<link rel="stylesheet" href="{html.escape(c, quote=True)}">' for c in css)
    scripts = "".join(f'<script src="{html.escape(j, quote=True)}"></script>' for j in js)
    return ('<!doctype html><html lang="de" style="font-size:1rem"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title>{links}{scripts}{header}"
            "<style>html,body{margin:0;height:100%}#map_div{width:100%;height:100%}</style></head>"
            f'<body><div id="map_div"></div><script>{script}\n{groups_script}</script></body></html>')


@dataclass(frozen=True)
class PreviewParts:
    """What a map page shows around its map, for its preview (HTML, already escaped): *lead* between its title
    and the map's row (full width, e.g. :func:`atlas.preview_elements.lead_html`), *above* and *below* the map
    in the map's column, and *css*, their style and that of the column beside the map. *own_layout*: the page has a frame of its
    own (the Sitzungsmodus: no sidebar, its heading inside *lead*, its margins in *css*), so the preview shows
    neither the sidebar nor the title as a heading."""

    lead: str = ""
    above: str = ""
    below: str = ""
    css: str = ""
    own_layout: bool = False


@dataclass(frozen=True)
class RecordedMap:
    """A recorded map: the address of its page file (below the app's base address), its height in px, the
    page's title above it, what the page shows around it (:class:`PreviewParts`), and what it shows beside it
    (its legend or figures, HTML already escaped) with the map's share of the width."""

    url: str
    height: int
    title: str = ""
    parts: PreviewParts = PreviewParts()
    aside: str = ""
    map_share: float = 1.0


class MapPreviews:
    """The maps recorded per address and data build (at most *max_entries*, the oldest forgotten first);
    their pages are written to *folder*, served at *url_prefix*. Safe for the server's threads."""

    def __init__(self, folder: Path, url_prefix: str, max_entries: int = MAX_RECORDED) -> None:
        self.folder = folder
        self.url_prefix = url_prefix.rstrip("/")
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._maps: OrderedDict[tuple[str, str, str], RecordedMap] = OrderedDict()

    def record(self, page: str, query: str, version: str, document: str, height: int,
               title: str = "", parts: PreviewParts = PreviewParts()) -> RecordedMap | None:
        """Keep *document* as the map of *page* opened with *query* in data build *version*, *title* the page's
        heading above it and *parts* what the page shows around it; None when its file cannot be written (a
        read-only installation: then there is simply no preview)."""
        name = hashlib.sha256(document.encode("utf-8")).hexdigest()[:20] + ".html"
        target = self.folder / name
        try:
            if not target.is_file():
                self.folder.mkdir(parents=True, exist_ok=True)
                handle, work = tempfile.mkstemp(prefix=".", suffix=".html", dir=self.folder)
                with os.fdopen(handle, "w", encoding="utf-8") as fh:
                    fh.write(document)
                os.chmod(work, 0o644)  # mkstemp makes it private; the server serves it
                os.replace(work, target)
        except OSError:
            return None
        recorded = RecordedMap(f"{self.url_prefix}/{name}", int(height), title, parts)
        with self._lock:
            key = (*address(page, query), version)
            self._maps[key] = recorded
            self._maps.move_to_end(key)
            while len(self._maps) > self.max_entries:
                self._maps.popitem(last=False)
            kept = {Path(m.url).name for m in self._maps.values()}
        self._prune(kept)
        return recorded

    def set_aside(self, page: str, query: str, version: str, aside: str, map_share: float) -> None:
        """Put *aside* (the page's legend column, HTML already escaped) beside the map recorded for this
        address and build, the map taking *map_share* of the width; nothing if none is recorded."""
        with self._lock:
            key = (*address(page, query), version)
            if key in self._maps:
                self._maps[key] = replace(self._maps[key], aside=aside, map_share=min(1.0, max(0.3, map_share)))

    def forget(self, page: str, query: str) -> None:
        """Forget the maps recorded for this address, in every data build (their files are pruned later)."""
        wanted = address(page, query)
        with self._lock:
            for key in [k for k in self._maps if k[:2] == wanted]:
                del self._maps[key]

    def has_page(self, page: str, version: str) -> bool:
        """Whether any address of *page* has a map recorded in data build *version* (it is a map page)."""
        wanted = page.strip("/")
        with self._lock:
            return any(k[0] == wanted and k[2] == version for k in self._maps)

    def lookup(self, page: str, query: str, version: str) -> RecordedMap | None:
        """The map recorded for this address and build, if any."""
        with self._lock:
            return self._maps.get((*address(page, query), version))

    def _prune(self, kept: set[str]) -> None:
        """Remove the folder's old pages beyond twice the kept number (other processes may still use some)."""
        try:
            files = sorted((p for p in self.folder.glob("*.html") if p.name not in kept),
                           key=lambda p: p.stat().st_mtime, reverse=True)
            for old in files[self.max_entries:]:
                old.unlink(missing_ok=True)
        except OSError:
            pass


#: The maps of this server process.
RECORDED = MapPreviews(settings.STATIC_DIR / COPIES_DIR / _FOLDER, f"{STATIC_URL}/{COPIES_DIR}/{_FOLDER}")


def page_title(page: str) -> str:
    """The navigation's title of the page at *page* ("" for an unknown address)."""
    for group in NAVIGATION:
        for nav in group.pages:
            if nav.url_path == page.strip("/"):
                return nav.title
    return ""


def preview_html(recorded: RecordedMap, title: str, base_path: str = "") -> str:
    """The page's heading (*title*: the one recorded with the map, else the navigation's), its recorded map in a
    frame and what the page shows around it, in the preview's frame (:mod:`atlas.page_preview`);
    removed once Streamlit's own map frame has drawn its map."""
    src = html.escape(f"{base_path.rstrip('/')}{recorded.url}", quote=True)
    parts = recorded.parts
    frame = (f'{parts.above}<iframe title="{html.escape(PREVIEW_FRAME_TITLE, quote=True)}" src="{src}" '
             f'sandbox="{FRAME_SANDBOX}" style="display:block;width:100%;height:{recorded.height}px;border:0">'
             f"</iframe>{parts.below}")
    if recorded.aside:  # as the page's columns: the map, and its legend beside it (below it on a phone)
        shares = (recorded.map_share, 1 - recorded.map_share)  # Streamlit's widths, as st.columns(shares)
        frame = (f'<div class="av-spalten"><div class="av-karte" style="{column_style(shares[0], shares)}">{frame}'
                 f'</div><div class="av-beiseite" style="{column_style(shares[1], shares)}">{recorded.aside}</div></div>')
    main = ("" if parts.own_layout else f"<h1>{html.escape(title)}</h1>") + parts.lead + frame
    return preview_frame(main, base_path=base_path, wait_for=STREAMLIT_MAP_FRAME, count=1, inside=MAP_DRAWN,
                         css=COLUMNS_CSS + ELEMENTS_CSS + parts.css, sidebar=not parts.own_layout)


def current_map_preview(page: str, query: str, base_path: str = "") -> str:
    """The preview of a map page's address in the current data build; "" when none was recorded (or on any
    error: a preview is an extra and never breaks the page)."""
    from atlas.atlasdata import data_version

    try:
        recorded = RECORDED.lookup(page, query, data_version())
        title = recorded.title if recorded is not None and recorded.title else page_title(page)
        return preview_html(recorded, title, base_path) if recorded is not None and title else ""
    except Exception:  # noqa: BLE001
        return ""


def worth_recording(page: str, query: str) -> bool:
    """Whether *page* opened with *query* is an address with settings of a map page (one whose maps are
    recorded) that has no map recorded in the current data build: a link someone shared
    (``/profil?gemeinde=…``), or an address a page wrote itself (``/karte?indikator=einwohner``). The server
    then has the warm-up open it (``scripts/warm_up.Requested``), so that its next visitor gets the preview."""
    from atlas.atlasdata import data_version

    try:
        version = data_version()
        return (bool(address(page, query)[1]) and RECORDED.has_page(page, version)
                and RECORDED.lookup(page, query, version) is None)
    except Exception:  # noqa: BLE001 – an extra: never breaks serving the page
        return False
