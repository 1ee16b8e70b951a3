"""Page speed as a user feels it: time until each page's main content is visible, in Chromium (Playwright).

For every page of the app this prints

* **direct, cold**: the page's address opened in a new browser context right after the server is ready
  (first visit of that page by a person in this server process: the server has answered its health check and
  its warm-up visitor, ``scripts/warm_up.py``, has opened every page once – as after a restart of the
  installation; ``--vergleich-vorwaermen`` adds a server without it, and the time from each server's start
  until ready is printed);
* **direct, warm**: the same address opened again in a new context (caches filled);
* **returning**: the address opened in a new tab of a browser that has visited the atlas before
  (Streamlit's own files in its HTTP cache, as for a returning user);
* **sidebar**: the page reached by clicking its link in the sidebar from the start page of a new session (the
  usual way); at once when the start page has finished, or after ``--lesezeit S`` seconds, as a user who
  reads the start page first.

"Main content visible" is the page's own marker: a map frame with its Gemeinden/cells drawn, the result list
of the family page, the first table, or the start page's heading. The start page and a family link's result
cards come first as a static preview in the server's first answer (``atlas/page_preview.py``); their rows
"(Streamlits Seite)" time Streamlit's own page, which replaces the preview. The time is taken in the page: a script in
every page notes, on every animation frame, when the marker first appears visible (looking into the map's
frame too); a direct visit
counts from the navigation's start (``performance.timeOrigin``), a sidebar visit from the mouse press on the
link. Playwright's own end-to-end figures are printed too: they are higher on the map pages, because
Playwright looks for an element inside a frame that does not exist yet at growing intervals (up to 0.5 s).
Bars (issue 13): direct < 2 s (cold and warm), sidebar < 1 s, start page < 1 s. The ratio column compares the
warm direct time with the cold one.

``--vergleich`` measures everything twice on the same data, on two servers started side by side and timed in
turn (page by page, run by run, so that the shared machine's load hits both alike): one with
``ATLAS_KARTEN_CACHE=0`` (every map built and rendered on every rerun – the obvious alternative, and how the
pages worked before ``pages/_maps.py``), one with the map cache (default); it prints both tables and the
ratio without/with cache per page and column. ``--vergleich-ws`` adds a server without websocket compression (Streamlit's default; switched on in
``.streamlit/config.toml``), ``--netz mobil`` runs every tab on an emulated mobile network (1.6 Mbit/s down,
150 ms round trip; Chrome's emulation, which slows a compressed websocket message by its uncompressed size),
``--netz mobil-proxy`` the same figures on the wire, through a throttling proxy (``bench/_throttle.py``).
``--vergleich-gc`` adds a server with Streamlit's default full garbage collection after every script run
(``runner.postScriptGC``, switched off in ``.streamlit/config.toml``). ``--vorher DIR`` adds a checkout of an earlier version
(``git archive <commit> | tar -x -C DIR`` and ``atlas build`` there) as a third server timed in turn.
``--grundlinie`` adds the floor of the stack, ``bench/grundlinie/app.py``: the smallest Streamlit app with the
same configuration, navigation and map technique (one rectangle instead of the county's data), timed in turn
with the atlas on its start page and its Karte – what Streamlit, streamlit-folium and Leaflet cost on this
machine before the atlas adds anything.

Run from the repository root with built data (``atlas build``):
``PYTHONPATH=$PWD python bench/bench_pages.py [--runs 3] [--seiten karte,profil] [--vergleich] [--vorher DIR]``.
Needs Debian's chromium (``/usr/bin/chromium``). The machine's load (1-minute average, before and after)
is printed too: figures on a busy shared machine are upper bounds.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import warm_up  # noqa: E402  – scripts/warm_up.py: the server's health check and its warm-up's last line

CHROMIUM = os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium")
MAP = "iframe[title='streamlit_folium.st_folium']"
#: Marker prefixes looked up in frames: any map frame (a map page's preview or Streamlit's), Streamlit's only.
FRAMED = ("frame:", "streamlit-frame:")


@dataclass(frozen=True)
class PageSpec:
    """A page: its address, sidebar link text and the selector of its main content."""

    path: str
    link: str
    ready: str  #: selector in the page; "frame:" = in a map frame, "streamlit-frame:" = in Streamlit's (:data:`FRAMED`)
    side_ready: str | None = None  #: what shows first when the page is reached without parameters
    name: str = ""  #: the row's name in the tables (default: the address)
    sidebar: bool = True  #: also timed via the sidebar (not for a second marker of the same page)

    @property
    def label(self) -> str:
        return self.name or self.path


PAGES: tuple[PageSpec, ...] = (
    PageSpec("/", "Start", "h1"),  # the first heading: the static preview's (atlas/start_page.py), else Streamlit's
    PageSpec("/", "Start", "[data-testid='stMain'] h1", name="/ (Streamlits Seite)"),
    PageSpec("/angebote-finden?ort=98617", "Angebote in meiner Nähe", ".of-card",  # the preview's, else Streamlit's
             "[data-testid='stMain'] input[type='text']"),
    PageSpec("/angebote-finden?ort=98617", "Angebote in meiner Nähe", "[data-testid='stMain'] .of-card",
             name="/angebote-finden?ort=98617 (Streamlits Seite)", sidebar=False),
    # a map page's map: its preview's (atlas/map_preview.py) or Streamlit's, whichever first; for the pages
    # with a preview (Karte, Erreichbarkeit, Indikatoren, Sozialraumprofil, a prepared session's slide) also
    # Streamlit's own alone
    PageSpec("/karte", "Karte", "frame:path.atlas-gemeinden"),
    PageSpec("/karte", "Karte", "streamlit-frame:path.atlas-gemeinden", name="/karte (Streamlits Karte)",
             sidebar=False),
    PageSpec("/erreichbarkeit", "Erreichbarkeit", "frame:path.atlas-zelle"),
    PageSpec("/erreichbarkeit", "Erreichbarkeit", "streamlit-frame:path.atlas-zelle",
             name="/erreichbarkeit (Streamlits Karte)", sidebar=False),
    PageSpec("/indikatoren", "Indikatoren", "frame:path.atlas-gemeinden"),
    PageSpec("/indikatoren", "Indikatoren", "streamlit-frame:path.atlas-gemeinden",
             name="/indikatoren (Streamlits Karte)", sidebar=False),
    PageSpec("/profil", "Sozialraumprofil", "frame:path.atlas-gemeinden"),
    PageSpec("/profil", "Sozialraumprofil", "streamlit-frame:path.atlas-gemeinden", name="/profil (Streamlits Karte)",
             sidebar=False),
    PageSpec("/sitzung?sitzung=beispiel", "Sitzungsmodus", "frame:path.atlas-gemeinden",
             "[data-testid='stMain'] [data-testid='stButton'] button"),
    PageSpec("/sitzung?sitzung=beispiel", "Sitzungsmodus", "streamlit-frame:path.atlas-gemeinden",
             "[data-testid='stMain'] [data-testid='stButton'] button",
             name="/sitzung?sitzung=beispiel (Streamlits Karte)", sidebar=False),
    PageSpec("/bus-und-bahn", "Bus und Bahn", "frame:path.atlas-zelle"),
    PageSpec("/quellen", "Daten & Quellen", "[data-testid='stDataFrame']"),
    # pages without a map: their form or their text
    PageSpec("/meldung", "Angebot melden", "[data-testid='stMain'] [data-testid='stForm']"),
    PageSpec("/register", "Register (Verwaltung)",  # its login form, or the note that no login is set up
             "[data-testid='stMain'] [data-testid='stForm'], [data-testid='stMain'] [data-testid='stAlert']"),
    PageSpec("/barrierefreiheit", "Erklärung zur Barrierefreiheit", "[data-testid='stMain'] h2"),
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(port: int, env: dict[str, str]) -> tuple[subprocess.Popen, float]:
    """Start a server and wait until it is ready: it answers its health check and – unless
    ``ATLAS_VORWAERMEN=0`` – its warm-up visitor has opened every page (``scripts/warm_up.py``, the line
    "… vorgewärmt …" in its output). Returns the process and the seconds from its start to ready."""
    root = Path(env.pop("_ROOT", ROOT))  # another checkout of the app (``--vorher``)
    app = [env.pop("_APP")] if "_APP" in env else []  # another app (``--grundlinie``)
    warm = env.get("ATLAS_VORWAERMEN", "1") != "0" and (root / "scripts" / "warm_up.py").is_file()
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", prefix="bench-server-", delete=False)  # noqa: SIM115
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, str(root / "scripts" / "serve.py"), *app, "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none",
         "--browser.gatherUsageStats", "false"],
        cwd=root, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(root), **env})
    deadline = started + 300

    def alive() -> bool:
        return proc.poll() is None

    if warm_up.wait_healthy(f"http://127.0.0.1:{port}", deadline, alive):
        while time.monotonic() < deadline and alive():
            text = Path(log.name).read_text(encoding="utf-8", errors="replace")
            if not warm or warm_up.READY_MARK in text:
                ready = time.monotonic() - started
                _LOGS[proc.pid] = log.name
                for line in text.splitlines():
                    if line.startswith(warm_up.READY_PREFIX):
                        print(f"… Server {port}: {line}", file=sys.stderr, flush=True)
                return proc, ready
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"Der Server startete nicht (Protokoll: {log.name}):\n"
                       + Path(log.name).read_text(errors="replace")[-2000:])


#: Network of a phone on a mobile connection (``--netz mobil``): Lighthouse's mobile throttling, 1.6 Mbit/s down,
#: 750 kbit/s up, 150 ms round trip (Chrome DevTools protocol ``Network.emulateNetworkConditions``; it slows
#: a compressed websocket message by its uncompressed size). None: loopback, as fast as the machine.
NETWORKS = {"mobil": {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8,
                      "uploadThroughput": 750e3 / 8}}
NETWORK: dict | None = None
#: ``--netz mobil-proxy``: the same figures, but on the wire – every server is reached through
#: :class:`_throttle.ThrottledProxy`, which slows the bytes that really travel (Chrome's emulation slows a
#: compressed websocket message by its uncompressed size).
PROXY: tuple[float, float, float] | None = None


#: Runs at the start of every page of the bench's browser: on every animation frame it notes (epoch ms, in
#: ``__atlasSeen``) when each page's main content first appears visible – a new element, not one that was
#: there at ``__atlasMark()`` (the start page before a sidebar click) – and the time of the last mouse press
#: (``__atlasClick``). A ``frame:`` marker is looked up inside the page's frames: Streamlit's map frame (same
#: origin, looked into from the page) and a map page's preview (``atlas/map_preview.py``; its frame is
#: sandboxed, so the probe runs in it too and posts its note to the page); a ``streamlit-frame:`` marker only
#: in Streamlit's map frame. The time is taken in a task after the animation frame in which the content was
#: found, i.e. after the browser's work to paint that frame – not when Playwright's polling notices it:
#: Playwright looks for an element inside a frame that is not there yet at growing intervals (up to 0.5 s),
#: which added up to 0.4 s to the map pages (its own end-to-end figures are printed too). The page's and the
#: frame's clocks are both epoch based (``performance.timeOrigin``).
_PROBE = """(() => {
  const ALL = %s;
  const now = () => performance.timeOrigin + performance.now();
  const shown = el => el.getClientRects().length > 0 && (!el.checkVisibility || el.checkVisibility());
  const framedKey = key => key.startsWith("frame:") || key.startsWith("streamlit-frame:");
  if (window !== window.top) {  // a map preview's frame notes its own map and tells the page
    if (!location.pathname.includes("/_kopien/karten/")) return;
    const told = new Set();
    const own = () => {
      for (const [key, sel] of ALL) {
        if (told.has(key) || !key.startsWith("frame:")) continue;
        for (const el of document.querySelectorAll(sel)) {
          if (shown(el)) {
            told.add(key);
            requestAnimationFrame(() => setTimeout(() => window.top.postMessage({atlasSeen: key, at: now()}, "*"), 0));
            break;
          }
        }
      }
      requestAnimationFrame(own);
    };
    requestAnimationFrame(own);
    return;
  }
  let old = new WeakSet();
  window.__atlasSeen = {};
  window.addEventListener("message", e => {
    const key = e.data && e.data.atlasSeen;
    if (typeof key === "string" && !(key in window.__atlasSeen)) window.__atlasSeen[key] = e.data.at;
  });
  const documents = () => {
    const docs = [[false, false, document]];
    for (const frame of document.querySelectorAll("iframe")) {
      try {
        if (frame.contentDocument) docs.push([true, frame.title === "streamlit_folium.st_folium", frame.contentDocument]);
      } catch (e) {}  // other origin
    }
    return docs;
  };
  const applies = (key, framed, streamlits) =>
    framedKey(key) === framed && (!key.startsWith("streamlit-frame:") || streamlits);
  const check = () => {
    for (const [framed, streamlits, doc] of documents()) {
      for (const [key, sel] of ALL) {
        if (key in window.__atlasSeen || !applies(key, framed, streamlits)) continue;
        for (const el of doc.querySelectorAll(sel)) {
          if (!old.has(el) && shown(el)) {  // noted after this frame's rendering work (style, layout, paint)
            window.__atlasSeen[key] = null;
            const noted = window.__atlasSeen;
            requestAnimationFrame(() => setTimeout(() => { noted[key] = now(); performance.mark("atlas-seen " + key); }, 0));
            break;
          }
        }
      }
    }
    requestAnimationFrame(check);
  };
  window.__atlasMark = () => {
    old = new WeakSet();
    for (const [framed, streamlits, doc] of documents()) for (const [key, sel] of ALL)
      if (applies(key, framed, streamlits)) for (const el of doc.querySelectorAll(sel)) old.add(el);
    window.__atlasSeen = {};
  };
  document.addEventListener("mousedown", e => { window.__atlasClick = performance.timeOrigin + e.timeStamp; }, true);
  requestAnimationFrame(check);
})();"""


def _probe_script() -> str:
    """The probe with every page's marker (``[key, selector]``; ``frame:`` and ``streamlit-frame:`` keys are
    looked up in frames)."""
    keys = {sel for spec in PAGES for sel in (spec.ready, spec.side_ready) if sel}
    return _PROBE % json.dumps(sorted([key, key.split(":", 1)[1] if key.startswith(FRAMED) else key] for key in keys))


def _new_context(browser):
    """A new browser context (an empty browser cache) with the probe in every page."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.add_init_script(_probe_script())
    return context


def _new_page(context):
    """A new tab of *context*, on the emulated network of ``--netz`` if one is chosen."""
    page = context.new_page()
    if NETWORK is not None:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", NETWORK)
    return page


def _ready_key(spec: PageSpec, sidebar: bool = False) -> str:
    return spec.side_ready if sidebar and spec.side_ready else spec.ready


def _wait_ready(page, spec: PageSpec, timeout: float = 120_000, sidebar: bool = False) -> None:
    """Wait until the page's marker is there – for a map, in Streamlit's map frame (a preview comes before)."""
    ready = _ready_key(spec, sidebar)
    if ready.startswith(FRAMED):
        page.frame_locator(MAP).first.locator(ready.split(":", 1)[1]).first.wait_for(timeout=timeout)
    else:
        page.locator(ready).first.wait_for(timeout=timeout)


def _seen(page, key: str, start_expr: str) -> float:
    """Seconds from *start_expr* (epoch ms in the page) until the probe saw *key*'s content (NaN if it
    did not: the probe is stricter than Playwright only if the content never became visible)."""
    for _ in range(20):
        start, seen = page.evaluate(f"() => [{start_expr}, (window.__atlasSeen || {{}})[{key!r}]]")
        if seen is not None and start is not None:
            return (seen - start) / 1000
        page.wait_for_timeout(50)
    return float("nan")


#: One visit's time: (seconds as the page saw it, seconds as Playwright's driver saw it).
Timing = tuple[float, float]


def _visit(page, base: str, spec: PageSpec) -> Timing:
    """Seconds from opening the page's address in *page* until its main content is visible: from the
    navigation's start (``performance.timeOrigin``) to the probe's note, and Playwright's end to end."""
    start = time.perf_counter()
    page.goto(base + spec.path)
    _wait_ready(page, spec)
    driver = time.perf_counter() - start
    return _seen(page, spec.ready, "performance.timeOrigin"), driver


def _direct(browser, base: str, spec: PageSpec) -> Timing:
    context = _new_context(browser)
    elapsed = _visit(_new_page(context), base, spec)
    context.close()
    return elapsed


def _returning(context, base: str, spec: PageSpec) -> Timing:
    """A direct visit in a browser that has been here before (Streamlit's files in its HTTP cache, as for
    a returning user): a new tab of *context*, whose cache a first visit filled."""
    page = _new_page(context)
    elapsed = _visit(page, base, spec)
    page.close()
    return elapsed


#: Seconds on the start page before the sidebar click (``--lesezeit``; a user reads before clicking).
READING_TIME = 0.0


def _via_sidebar(browser, base: str, spec: PageSpec) -> Timing:
    context = _new_context(browser)
    page = _new_page(context)
    page.goto(base + "/")
    page.locator("h1").first.wait_for(timeout=60_000)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
    link = page.locator("[data-testid='stSidebar'] a").filter(has_text=spec.link).first
    if READING_TIME:
        page.wait_for_timeout(READING_TIME * 1000)
    page.evaluate("() => window.__atlasMark()")  # what the start page shows is not the new page's content
    start = time.perf_counter()
    link.click()
    if spec.path != "/":
        page.wait_for_url(lambda url: spec.path.split("?")[0] in url, timeout=60_000)
    _wait_ready(page, spec, sidebar=True)
    driver = time.perf_counter() - start
    elapsed = _seen(page, _ready_key(spec, sidebar=True), "window.__atlasClick"), driver
    context.close()
    return elapsed


Row = tuple[PageSpec, float, float, float, float]
COLUMNS = ("cold", "warm", "back", "side")


#: Each started server's log file (deleted when the server is stopped; kept, and named, if it fails to start).
_LOGS: dict[int, str] = {}


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    if log := _LOGS.pop(proc.pid, None):
        Path(log).unlink(missing_ok=True)


def _time_page(browser, bases: list[str], spec: PageSpec, runs: int) -> list[dict[str, list[Timing]]]:
    """*spec* timed on every server (*bases*) in turn: cold, *runs* warm, *runs* returning, *runs* via the
    sidebar; a page that never shows its content keeps the columns measured so far."""
    times: list[dict[str, list[Timing]]] = [{k: [] for k in COLUMNS} for _ in bases]
    contexts = []
    try:
        for i, base in enumerate(bases):
            times[i]["cold"].append(_direct(browser, base, spec))
        for _ in range(runs):
            for i, base in enumerate(bases):
                times[i]["warm"].append(_direct(browser, base, spec))
        for base in bases:  # a browser that has visited the atlas before
            contexts.append(_new_context(browser))
            _returning(contexts[-1], base, PAGES[0])
        for _ in range(runs):
            for i, base in enumerate(bases):
                times[i]["back"].append(_returning(contexts[i], base, spec))
        for _ in range(runs if spec.path != "/" and spec.sidebar else 0):  # sidebar visits begin on the start page
            for i, base in enumerate(bases):
                times[i]["side"].append(_via_sidebar(browser, base, spec))
    except Exception as exc:  # noqa: BLE001 – a page that never shows its content is a result too
        print(f"{spec.label}: Hauptinhalt nicht sichtbar ({type(exc).__name__})", file=sys.stderr)
    finally:
        for context in contexts:
            context.close()
    return times


def _median(values: list[Timing], which: int, wanted: int) -> float:
    return statistics.median(v[which] for v in values) if len(values) == wanted else float("nan")


def _warm_browser(pw):
    """Debian's Chromium, headless, with one page opened and closed: a visitor's browser is running already,
    and the first tab after a launch is slow (seconds on a machine that has been idle) – no property of any
    server."""
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
    blank = browser.new_page()
    blank.set_content("<h1>Standortatlas</h1><script>document.title = 'warm'</script>")
    blank.close()
    return browser


def measure(specs: tuple[PageSpec, ...], runs: int,
            variants: list[dict[str, str]]) -> tuple[list[list[Row]], list[list[Row]], list[float]]:
    """One fresh server per variant (its environment), then every page timed on all servers in turn –
    cold, *runs* warm, returning and via the sidebar (medians) – so that a change of the machine's load
    during the run hits all variants alike. Returns the rows per variant as the page saw them (the
    probe) and as Playwright's driver saw them, and each server's seconds from its start until ready."""
    from playwright.sync_api import sync_playwright

    servers = []
    startups: list[float] = []
    try:
        for env in variants:
            port = _free_port()
            proc, startup = _start_server(port, dict(env))
            startups.append(startup)
            if PROXY is not None:
                from _throttle import ThrottledProxy

                port = ThrottledProxy(port, *PROXY).start()
            servers.append((proc, f"http://127.0.0.1:{port}"))
        rows: list[list[Row]] = [[] for _ in variants]
        driver_rows: list[list[Row]] = [[] for _ in variants]
        with sync_playwright() as pw:
            browser = _warm_browser(pw)
            for spec in specs:
                times = _time_page(browser, [base for _, base in servers], spec, runs)
                for i, t in enumerate(times):
                    for which, target in ((0, rows), (1, driver_rows)):
                        row = (spec, *(_median(t[k], which, 1 if k == "cold" else runs) for k in COLUMNS))
                        target[i].append(row)  # type: ignore[arg-type]
                    print(f"… {spec.label} [{i}]: " + " / ".join(f"{v:.2f}" for v in rows[i][-1][1:])
                          + "  (Playwright: " + " / ".join(f"{v:.2f}" for v in driver_rows[i][-1][1:]) + ")",
                          file=sys.stderr, flush=True)
            browser.close()
    finally:
        for proc, _ in servers:
            _stop(proc)
    return rows, driver_rows, startups


def measure_restarts(specs: tuple[PageSpec, ...], variants: list[dict[str, str]]) -> list[list[float]]:
    """``--neustart``: for every page and every variant a newly started server (ready as
    :func:`_start_server` waits for it), and the page's address as the very first visit of a person – a shared
    link opened right after a restart of the installation. Returns the seconds per variant and page (in the
    page, as :func:`_visit`), the servers of a page started and timed in turn."""
    from playwright.sync_api import sync_playwright

    seconds: list[list[float]] = [[] for _ in variants]
    with sync_playwright() as pw:
        browser = _warm_browser(pw)
        for spec in specs:
            for i, env in enumerate(variants):
                port = _free_port()
                proc, _ = _start_server(port, dict(env))
                try:
                    seconds[i].append(_direct(browser, f"http://127.0.0.1:{port}", spec)[0])
                except Exception as exc:  # noqa: BLE001 – a page that never shows its content is a result too
                    print(f"{spec.label}: Hauptinhalt nicht sichtbar ({type(exc).__name__})", file=sys.stderr)
                    seconds[i].append(float("nan"))
                finally:
                    _stop(proc)
                print(f"… Neustart {spec.label} [{i}]: {seconds[i][-1]:.2f}", file=sys.stderr, flush=True)
        browser.close()
    return seconds


def _link_with_settings() -> PageSpec:
    """A Sozialraumprofil link with a Gemeinde other than the page's default (as in a council invitation),
    from the built data: no warm-up opens it, so its first visit comes without a preview and the server then
    has it opened (``scripts/warm_up.Requested``) – its later visits show whether it has one."""
    from _data import county_data

    from atlas.council.page_model import default_gemeinde

    gem = county_data().gemeinden
    ags = next(a for a in sorted(gem["ags"].astype(str), reverse=True) if a != default_gemeinde(gem))
    return PageSpec(f"/profil?gemeinde={ags}", "Sozialraumprofil", "frame:path.atlas-gemeinden",
                    name="/profil?gemeinde=… (geteilter Link)", sidebar=False)


def _chosen(words: list[str], floor: bool) -> tuple[PageSpec, ...]:
    """The pages to time: those whose address or link text contains one of *words* (all without), with the
    shared link; only the floor app's two pages for *floor*."""
    specs = tuple(s for s in PAGES if s.path in ("/", "/karte")) if floor else (*PAGES, _link_with_settings())
    return tuple(s for s in specs if not words or any(w in f"{s.path} {s.link.lower()}" for w in words))


def _load() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def _table(title: str, rows: list[Row], runs: int, load: tuple[float, float]) -> None:
    print(f"{title} (Sekunden; Median aus {runs}; Last {load[0]:.1f} vorher / {load[1]:.1f} nachher "
          f"auf {os.cpu_count()} Kernen)")
    print(f"{'Seite':<46}{'direkt kalt':>12}{'direkt warm':>12}{'wiederkehr.':>12}{'Seitenleiste':>13}"
          f"{'warm/kalt':>10}  Ziel (kalt / leerer Browser-Cache / wiederkehrend)")
    for spec, cold, warm, back, side in rows:
        goal_direct = 1.0 if spec.path == "/" else 2.0
        side_ok = spec.path == "/" or not spec.sidebar or side < 1.0
        verdict = " / ".join("ok" if t < goal_direct and side_ok else "verfehlt" for t in (cold, warm, back))
        side_text = "–" if spec.path == "/" or not spec.sidebar else f"{side:.2f}"  # sidebar visits begin on the start page
        print(f"{spec.label:<46}{cold:>12.2f}{warm:>12.2f}{back:>12.2f}{side_text:>13}{warm / cold:>10.2f}  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="warm repetitions per page (median is shown)")
    parser.add_argument("--seiten", default="", help="only pages whose address or link text contains one of these words "
                                                     "(comma-separated), e.g. karte,profil")
    parser.add_argument("--vergleich", action="store_true",
                        help="measure without and with the map cache (two servers, timed in turn) and print the ratio")
    parser.add_argument("--vergleich-gc", action="store_true",
                        help="also measure with Streamlit's full garbage collection after every run (its default; "
                             "the app turns it off in .streamlit/config.toml) and print the ratio")
    parser.add_argument("--vergleich-ws", action="store_true",
                        help="also measure without websocket compression (Streamlit's default; the app turns it on in "
                             ".streamlit/config.toml) and print the ratio")
    parser.add_argument("--vergleich-vorwaermen", action="store_true",
                        help="also measure a server without its warm-up visitor (ATLAS_VORWAERMEN=0): the first visit "
                             "of every page then pays for loading the data and building its maps")
    parser.add_argument("--neustart", action="store_true",
                        help="only the first visit of every page on a newly started server (one server per page and "
                             "variant; with --vergleich-vorwaermen also without the warm-up)")
    parser.add_argument("--netz", choices=[*sorted(NETWORKS), "mobil-proxy"], default=None,
                        help="emulate a network in every tab, e.g. 'mobil': 1.6 Mbit/s down, 150 ms round trip "
                             "(Chrome's emulation); 'mobil-proxy': the same on the wire, through a throttling proxy")
    parser.add_argument("--lesezeit", type=float, default=0.0,
                        help="seconds on the start page before the sidebar click (default 0: click at once)")
    parser.add_argument("--grundlinie", action="store_true",
                        help="also time the floor of the stack (bench/grundlinie/app.py: Streamlit, streamlit-folium "
                             "and Leaflet with one rectangle) on the start page and the Karte")
    parser.add_argument("--vorher", default="", help="a checkout of an earlier version (e.g. `git archive` of a "
                                                     "commit, data built there) timed side by side as 'vorher'")
    args = parser.parse_args()
    global READING_TIME, NETWORK, PROXY
    READING_TIME = args.lesezeit
    NETWORK = NETWORKS.get(args.netz or "")
    if args.netz == "mobil-proxy":
        mobile = NETWORKS["mobil"]
        PROXY = (mobile["downloadThroughput"] * 8, mobile["uploadThroughput"] * 8, mobile["latency"] / 1000)
    specs = _chosen([w for w in args.seiten.split(",") if w], args.grundlinie)
    variants = [("ohne Kartencache (ATLAS_KARTEN_CACHE=0)", {"ATLAS_KARTEN_CACHE": "0"})] if args.vergleich else []
    if args.vergleich_gc:
        variants.append(("mit gc.collect nach jedem Lauf (Streamlits Voreinstellung)",
                         {"STREAMLIT_RUNNER_POST_SCRIPT_GC": "true"}))
    if args.vergleich_ws:
        variants.append(("ohne Websocket-Kompression (Streamlits Voreinstellung)",
                         {"STREAMLIT_SERVER_ENABLE_WEBSOCKET_COMPRESSION": "false"}))
    if args.vergleich_vorwaermen:
        variants.append(("ohne Vorwärmen (ATLAS_VORWAERMEN=0)", {"ATLAS_VORWAERMEN": "0"}))
    variants.append(("wie ausgeliefert (Kartencache, kein gc.collect nach jedem Lauf, Websocket-Kompression)",
                     {"ATLAS_KARTEN_CACHE": "1"}))
    if args.grundlinie:
        variants.insert(0, ("Untergrenze: Streamlit + streamlit-folium + Leaflet, ein Rechteck (bench/grundlinie)",
                            {"_APP": str(ROOT / "bench" / "grundlinie" / "app.py")}))
    if args.vorher:
        earlier = Path(args.vorher).resolve()
        variants.insert(0, (f"vorher ({earlier.name})", {"_ROOT": str(earlier),
                                                          "ATLAS_DATA_DIR": str(earlier / "geodata" / "build")}))
    before = _load()
    if args.neustart:
        firsts = measure_restarts(specs, [env for _, env in variants])
        print(f"Erster Besuch einer Seite direkt nach dem Serverstart (je Seite ein neuer Server, bereit wie "
              f"beschrieben; Sekunden bis zum sichtbaren Hauptinhalt; Last {before:.1f} vorher / {_load():.1f} nachher "
              f"auf {os.cpu_count()} Kernen)")
        print(f"{'Seite':<46}" + "".join(f"{title.split(' (')[0][:22]:>24}" for title, _ in variants))
        for k, spec in enumerate(specs):
            print(f"{spec.label:<46}" + "".join(f"{firsts[i][k]:>24.2f}" for i in range(len(variants))))
        return
    measured, driven, startups = measure(specs, args.runs, [env for _, env in variants])
    load = (before, _load())
    for (title, _), startup in zip(variants, startups, strict=True):
        print(f"Serverstart bis bereit (antwortet; Seiten vorgewärmt, wo eingeschaltet): {startup:.1f} s – {title}")
    print()
    results = [(title, rows, load) for (title, _), rows in zip(variants, measured, strict=True)]
    for title, rows, load in results:
        net = f", Netz {args.netz}" if args.netz else ""
        _table(f"Seiten bis zum sichtbaren Hauptinhalt{net}, {title}", rows, args.runs, load)
        print()
    _table(f"Dieselben Besuche, von Playwright aus gemessen (mit dessen Abfrageintervallen), {variants[-1][0]}",
           driven[-1], args.runs, load)
    print()
    final = results[-1]
    for title, rows, _ in results[:-1]:
        print(f"Verhältnis {title} / {final[0]} (> 1: {final[0]} ist schneller)")
        print(f"{'Seite':<46}{'direkt kalt':>12}{'direkt warm':>12}{'wiederkehr.':>12}{'Seitenleiste':>13}")
        for (spec, *plain), (_, *cached) in zip(rows, final[1], strict=True):
            ratios = [p / c if c else float("nan") for p, c in zip(plain, cached, strict=True)]
            print(f"{spec.label:<46}{ratios[0]:>12.2f}{ratios[1]:>12.2f}{ratios[2]:>12.2f}{ratios[3]:>13.2f}")
        print()


if __name__ == "__main__":
    main()
