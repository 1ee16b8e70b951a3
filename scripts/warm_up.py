"""Warm-up visitor: right after the server has started, every page of the app is opened once, headless.

Without it the first visitor after a (re)start pays for everything the process has not done yet: importing
the map and analysis libraries, reading the GeoPackage, preparing the gazetteer, building and rendering each
page's first map (0.5–5 s per page on a small machine, the start page 2 s – measured with this module's own
log). The warm-up does that work before a person comes: it connects to the server's websocket as a browser
does (Streamlit's own protocol, the ``BackMsg``/``ForwardMsg`` protobuf messages of the installed Streamlit),
asks for the start page, learns the app's pages from the navigation message, asks for each page in turn with
its default settings – each in a session of its own, as a first visitor – and waits until its script has
finished; then the addresses it is given (the Sitzungsmodus's prepared slides) – and, while the server runs,
the links with settings that visitors opened before any preview was recorded for them (:class:`Requested`). Its requests carry a secret of
the server process (:data:`atlas.page_preview.WARM_UP_HEADER`): the map pages' maps seen in such a visit become
those addresses' previews (:mod:`atlas.map_preview`). Nothing is drawn and no component is loaded;
the page scripts run for real in the server's runtime, so every ``st.cache_resource`` a first visitor would
fill (data, maps, prepared models) is filled. A page that fails is reported and skipped; the server serves
on either way.

``scripts/serve.py`` starts it in a background thread (switched off with ``ATLAS_VORWAERMEN=0``) and it prints
one line when it is done, ``Standortatlas: … Seiten vorgewärmt …`` – the bench and the browser tests wait for
that line before they time or test anything. Visitors who come earlier are served as before; a cache value
being computed for the warm-up is computed once and shared.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
import urllib.request
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

#: The line printed when the warm-up has ended (successfully or not); waited for by bench and tests.
READY_PREFIX = "Standortatlas: "
READY_MARK = "vorgewärmt"


@dataclass
class PageVisit:
    """One page opened by the warm-up: its address path, seconds until its script finished, problems, and
    the kinds of element the page sent (Streamlit's protocol names: ``selectbox``, ``dataframe`` …)."""

    path: str
    seconds: float
    errors: list[str] = field(default_factory=list)
    elements: set[str] = field(default_factory=set)


@dataclass
class WarmUpReport:
    """What the warm-up did: the pages visited in order, or why it could not start."""

    visits: list[PageVisit] = field(default_factory=list)
    failure: str = ""
    #: The app's pages as the navigation named them (address path → page script hash).
    pages: dict[str, str] = field(default_factory=dict)

    def line(self, total: float) -> str:
        """The one line printed at the end (German, for whoever reads the server's log)."""
        if self.failure:
            return f"{READY_PREFIX}nicht {READY_MARK} ({self.failure}); die Seiten laden beim ersten Besuch."
        parts = ", ".join(f"/{v.path} {v.seconds:.1f} s" for v in self.visits)
        line = f"{READY_PREFIX}{len(self.visits)} Seiten {READY_MARK} in {total:.1f} s: {parts}"
        for visit in self.visits:
            for error in visit.errors:
                line += f"\n{READY_PREFIX}Seite /{visit.path} zeigte beim Vorwärmen einen Fehler: {error}"
        return line


def _rerun_message(page_name: str, page_hash: str, query: str = "") -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page_name
    msg.rerun_script.page_script_hash = page_hash
    return msg.SerializeToString()


def _visit(ws, path: str, page_hash: str, pages: dict[str, str], timeout: float, query: str = "") -> PageVisit:
    """Ask for the page at *path* (with the query string *query*) and read the server's messages until its
    script has finished; the navigation message fills *pages* (address path → page script hash)."""
    from streamlit.proto.Alert_pb2 import Alert
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    start = time.perf_counter()
    ws.send(_rerun_message(path, page_hash, query))
    errors: list[str] = []
    elements: set[str] = set()
    while True:
        msg = ForwardMsg()
        msg.ParseFromString(ws.recv(timeout=timeout))
        kind = msg.WhichOneof("type")
        if kind == "navigation":
            pages.update((p.url_pathname, p.page_script_hash) for p in msg.navigation.app_pages)
        elif kind == "page_not_found":
            errors.append("Seite nicht gefunden")
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            element_kind = str(element.WhichOneof("type"))
            elements.add(element_kind)
            if element_kind == "exception":
                errors.append(element.exception.message or element.exception.type)
            elif element_kind == "alert" and element.alert.format == Alert.ERROR:
                errors.append(element.alert.body)  # the page's own message, e.g. the guard's German one
        elif kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                errors.append("Skript nicht übersetzbar")
            return PageVisit(path, time.perf_counter() - start, errors, elements)


def warm_up(base_url: str, timeout: float = 300.0, addresses: Sequence[tuple[str, str]] = ()) -> WarmUpReport:
    """Open every page of the app at *base_url* (``http://host:port[/base]``) once; see the module docstring.

    The start page first (it names the pages), then every other page in the navigation's order, each in a
    session of its own (as a first visitor opens it), marked as this server's own visit: a map page's map
    becomes that address's preview (:mod:`atlas.map_preview`). Then the *addresses* (page path, query string)
    that people open with settings in them, e.g. the prepared sessions of the Sitzungsmodus."""
    report = WarmUpReport()
    pages = report.pages
    try:
        with _session(base_url) as ws:
            report.visits.append(_visit(ws, "", "", pages, timeout))
        for path, page_hash in list(pages.items()):
            if path:
                with _session(base_url) as ws:
                    report.visits.append(_visit(ws, path, page_hash, pages, timeout))
        for path, query in addresses:
            if path in pages:
                report.visits.append(visit_address(base_url, pages, path, query, timeout))
    except Exception as exc:  # noqa: BLE001 – the server serves on; the log says why it is not warm
        report.failure = f"{type(exc).__name__}: {exc}"
    return report


def _session(base_url: str) -> Any:
    """A fresh session (as a first visitor's) with the server at *base_url*, marked as its own visit."""
    from websockets.sync.client import connect

    from atlas.page_preview import WARM_UP_HEADER, warm_up_token

    ws_url = "ws" + base_url.removeprefix("http") + "/_stcore/stream"
    return connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=30,  # type: ignore[list-item]
                   additional_headers={WARM_UP_HEADER: warm_up_token()})


def visit_address(base_url: str, pages: dict[str, str], path: str, query: str, timeout: float = 300.0) -> PageVisit:
    """Open the page at *path* with the query string *query* in a session of its own (*pages*: the app's
    pages, address path → page script hash, as :func:`warm_up` learned them)."""
    with _session(base_url) as ws:
        visit = _visit(ws, path, pages[path], pages, timeout, query)
    return replace(visit, path=f"{path}?{query}")


#: Addresses with settings remembered per process (each is opened again after a new data build), and how many
#: may wait for their visit at once; further ones are not taken (their link works, only without a preview).
REQUESTED_KEPT = 12
REQUESTED_WAITING = 4
#: Seconds of rest after each such visit: a flood of new links keeps at most about half a core busy.
REQUESTED_REST_S = 1.0


class Requested:
    """Addresses with settings (``/profil?gemeinde=…``, ``/karte?indikator=…``) that someone opened while no
    map was recorded for them (:func:`atlas.map_preview.worth_recording`, asked by ``scripts/serve.py``): the
    warm-up thread opens each once (:func:`start_in_background`), so that the link's next visitor – the
    council members after the one who sent the invitation, a reload – gets its preview, and again after every
    new data build. At most :data:`REQUESTED_KEPT` are remembered, the oldest forgotten first, *forget* called
    for it (the server drops its recorded map, so that links cannot push out the pages' own previews), and at
    most :data:`REQUESTED_WAITING` wait; a link never waits for this (:meth:`ask` returns at once)."""

    def __init__(self, forget: Callable[[str, str], object] = lambda path, query: None,
                 kept: int = REQUESTED_KEPT, waiting: int = REQUESTED_WAITING) -> None:
        self._forget = forget
        self._kept_max = kept
        self._kept: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._waiting: queue.Queue[tuple[str, str]] = queue.Queue(maxsize=waiting)
        self._lock = threading.Lock()

    def ask(self, path: str, query: str) -> bool:
        """Take the address (its parameters in a fixed order) for a visit; False when it is already taken or
        too many wait."""
        from atlas.map_preview import address

        key = address(path, query)
        dropped = []
        with self._lock:
            if key in self._kept:
                return False
            try:
                self._waiting.put_nowait(key)
            except queue.Full:
                return False
            self._kept[key] = None
            while len(self._kept) > self._kept_max:
                dropped.append(self._kept.popitem(last=False)[0])
        for old in dropped:
            self._forget(*old)
        return True

    def next(self, timeout: float) -> tuple[str, str] | None:
        """The next address to open, waiting up to *timeout* seconds; None if none came."""
        try:
            return self._waiting.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return None

    def addresses(self) -> list[tuple[str, str]]:
        """The remembered addresses, oldest first (opened again after a new data build)."""
        with self._lock:
            return list(self._kept)


def wait_healthy(base_url: str, deadline: float, alive: Callable[[], bool] = lambda: True) -> bool:
    """True once the server at *base_url* answers its health check; False when the monotonic *deadline*
    passes or *alive* (e.g. "the server process still runs") turns false first. Used by the warm-up, the
    bench and the browser tests alike."""
    while time.monotonic() < deadline and alive():
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def server_url() -> str:
    """Where this process's Streamlit server listens, from Streamlit's configuration (read once it runs)."""
    from streamlit import config

    address = config.get_option("server.address") or "127.0.0.1"
    if address in ("0.0.0.0", "::"):
        address = "127.0.0.1"
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"http://{address}:{config.get_option('server.port')}" + (f"/{base}" if base else "")


#: Seconds between two looks at the data build's version (two file dates) once the server is warm.
BUILD_CHECK_S = 2.0


def new_builds(version: Callable[[], str], wait: Callable[[], bool], seen: str | None = None) -> Iterator[str]:
    """Each new data build's *version* (new against *seen*, by default the version at the first look) once it
    has stayed the same for one more look (``atlas build`` replaces the GeoPackage and then its manifest, so the
    version changes twice within a moment). *wait* waits until the next look and returns False when the
    watching ends. A version "" (no build) is never yielded."""
    seen = version() if seen is None else seen
    while wait():
        now = version()
        if now == seen:
            continue
        if not wait():
            return
        if version() != now:  # still being written: look again
            continue
        seen = now
        if now:
            yield now


def _pause() -> bool:
    """Wait until the next look at the data build (:data:`BUILD_CHECK_S`); the watching never ends by itself."""
    time.sleep(BUILD_CHECK_S)
    return True


def _pause_opening(url: str, pages: dict[str, str], requested: Requested) -> Callable[[], bool]:
    """:func:`_pause`, opening the *requested* addresses that come meanwhile (one line in the log each)."""

    def pause() -> bool:
        deadline = time.monotonic() + BUILD_CHECK_S
        while (left := deadline - time.monotonic()) > 0:
            if (wanted := requested.next(left)) is None or wanted[0] not in pages:
                continue
            try:
                visit = visit_address(url, pages, *wanted)
                outcome = f"in {visit.seconds:.1f} s" + (f", Fehler: {'; '.join(visit.errors)}" if visit.errors else "")
            except Exception as exc:  # noqa: BLE001 – the server serves on
                outcome = f"nicht möglich ({type(exc).__name__}: {exc})"
            print(f"{READY_PREFIX}Adresse /{wanted[0]}?{wanted[1]} für ihre Vorschau geöffnet {outcome}",
                  file=sys.stdout, flush=True)
            time.sleep(REQUESTED_REST_S)
        return True

    return pause


def start_in_background(startup_timeout: float = 120.0, data_version: Callable[[], str] | None = None,
                        after_new_build: Callable[[], object] | None = None,
                        addresses: Callable[[], Sequence[tuple[str, str]]] = tuple,
                        requested: Requested | None = None) -> threading.Thread:
    """Start the warm-up in a daemon thread of the server process: it waits until the server answers its
    health check, warms every page and prints the report's line (stdout, flushed).

    Given *data_version* (the atlas's :func:`atlas.atlasdata.data_version`), it then warms again after every
    new data build – the register's "Karten jetzt aktualisieren" or ``atlas build`` while the server runs –
    and calls *after_new_build*: without it, the first visitor of each page after a rebuild would wait for
    the new build's data and maps, and the map pages would have no preview until the next restart.
    *addresses* names further addresses to open each time (:func:`warm_up`). Between the looks at the data
    build it opens the addresses *requested* by visitors (:class:`Requested`), and those too after every new
    data build."""

    def every_address() -> list[tuple[str, str]]:
        return [*addresses(), *(requested.addresses() if requested is not None else ())]

    def run() -> None:
        start = time.monotonic()
        deadline = start + startup_timeout
        while time.monotonic() < deadline:  # Streamlit's configuration is final once its runtime exists
            from streamlit.runtime import Runtime

            if Runtime.exists():
                break
            time.sleep(0.1)
        url = server_url()
        warmed = data_version() if data_version is not None else ""  # a build during the warm-up is warmed again
        if wait_healthy(url, deadline):
            report = warm_up(url, addresses=every_address())
        else:
            report = WarmUpReport(failure="der Server antwortete nicht")
        print(report.line(time.monotonic() - start), file=sys.stdout, flush=True)
        if data_version is None or report.failure:
            return
        pause = _pause if requested is None else _pause_opening(url, report.pages, requested)
        for version in new_builds(data_version, pause, seen=warmed):
            begun = time.monotonic()
            report = warm_up(url, addresses=every_address())
            if after_new_build is not None:
                after_new_build()
            print(f"{READY_PREFIX}neuer Datenstand ({version}): " + report.line(time.monotonic() - begun)
                  .removeprefix(READY_PREFIX), file=sys.stdout, flush=True)

    thread = threading.Thread(target=run, name="atlas-vorwaermen", daemon=True)
    thread.start()
    return thread
