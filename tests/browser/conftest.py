"""Browser fixtures: the real app in a subprocess, driven by Playwright in Debian's Chromium.

Every request that does not go to the local app is blocked and recorded, so a test can prove the
pages work without internet (no CDN, no tile server).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from atlas import settings
from atlas.page_preview import PREVIEW_ID
from tests.bench_loader import load_bench_module

CHROMIUM = Path(os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: The warm-up visitor of ``scripts/serve.py``: its health check and the mark of its last line.
WARM_UP = load_bench_module("warm_up", folder="scripts")
WARM_MARK = WARM_UP.READY_MARK


def server_log(data_dir: Path, url: str) -> str:
    """What the server started by :func:`_running_app` for *data_dir* has written so far."""
    return (data_dir / f"streamlit-{url.rsplit(':', 1)[1]}.log").read_text(encoding="utf-8", errors="replace")


@contextmanager
def _running_app(data_dir: Path, extra_args: tuple[str, ...] = (), extra_env: dict[str, str] | None = None
                 ) -> Iterator[str]:
    """Start the app (scripts/serve.py) on a free port with *data_dir* as its data; yield its URL once it is
    ready: it answers its health check and – unless ``ATLAS_VORWAERMEN=0`` in *extra_env* – its warm-up has
    opened every page (so no test competes with the warm-up for the machine).
    *extra_args* go to Streamlit (e.g. ``--secrets.files``), *extra_env* to the server's environment."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium fehlt unter {CHROMIUM}: 'apt-get install -y chromium' ausführen.")
    port = _free_port()
    env = {**os.environ, "ATLAS_DATA_DIR": str(data_dir), **(extra_env or {})}
    warm = env.get("ATLAS_VORWAERMEN", "1") != "0"
    log_path = data_dir / f"streamlit-{port}.log"
    log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, str(settings.PROJECT_ROOT / "scripts" / "serve.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false", *extra_args],
        cwd=settings.PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        if not WARM_UP.wait_healthy(url, time.monotonic() + 60, alive=lambda: proc.poll() is None):
            raise RuntimeError("Streamlit startete nicht:\n" + log_path.read_text())
        deadline = time.monotonic() + 240
        while warm and WARM_MARK not in log_path.read_text(encoding="utf-8", errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Das Vorwärmen endete nicht:\n" + log_path.read_text())
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def app_url(built) -> Iterator[str]:
    """Base URL of the app, started once with the session's build as its data folder."""
    with _running_app(built.gpkg.parent) as url:
        yield url


@pytest.fixture()
def fresh_app_url(built) -> Iterator[str]:
    """A newly started app that has not answered any request yet (no warm-up: ``ATLAS_VORWAERMEN=0``)."""
    with _running_app(built.gpkg.parent, extra_env={"ATLAS_VORWAERMEN": "0"}) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


SETTLED = """() => !!document.querySelector("[data-testid='stApp'][data-test-script-state='notRunning']")
    && !document.querySelector("[data-stale='true']") && !document.getElementById("atlas-vorschau")"""


def wait_until_settled(page, checks: int = 40) -> None:
    """Wait until the page has finished its reruns: the script is not running and no element is greyed out as
    stale, twice in a row 300 ms apart. A map's first report starts one more run, and Streamlit fades the
    elements of the previous run meanwhile; axe would measure the faded colours (seen once in CI: a caption
    at 3.88:1 while it was stale), and a keyboard walk would lose its focus to the rerun."""
    calm = 0
    for _ in range(checks):
        calm = calm + 1 if page.evaluate(SETTLED) else 0
        if calm == 2:
            return
        page.wait_for_timeout(300)
    raise AssertionError("Seite kommt nicht zur Ruhe (Skript läuft oder Elemente bleiben veraltet)")


#: Notes in the page when Streamlit's script state changes after now (``window.__atlasRan``): called when the
#: page is idle, so a change means a run has begun.
_WATCH_RUN = """() => {
  window.__atlasRan = false;
  const app = document.querySelector("[data-testid='stApp']");
  // called after a change, so the state has left "notRunning": a run has begun (it may have ended already)
  new MutationObserver(() => { window.__atlasRan = true; })
    .observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
}"""


def rerun_after(page, action, timeout: float = 60_000) -> None:
    """Do *action* (a key press, a click that changes a control) and wait until Streamlit has run the page for
    it and finished: a fixed pause is not enough on a busy machine, where the run can start later (seen in
    CI: a slider's new value read before its run had begun)."""
    page.evaluate(_WATCH_RUN)
    action()
    page.wait_for_function("() => window.__atlasRan === true", timeout=timeout)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)


@dataclass
class OfflinePage:
    """A Playwright page whose non-local requests are blocked; ``blocked`` lists what was attempted."""

    page: object
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def wait_for_app(self, timeout: float = 30_000) -> None:
        """Wait until Streamlit has finished running the page script and has replaced the page's static
        preview (atlas/page_preview.py; tests/browser/test_page_preview_browser.py checks the preview)."""
        self.page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                                    timeout=timeout)
        self.page.wait_for_selector(f"#{PREVIEW_ID}", state="detached", timeout=timeout)


def _is_local(url: str) -> bool:
    return url.startswith(("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:", "blob:",
                           "about:"))


def _offline_page(browser, **context_args) -> Iterator[OfflinePage]:
    context = browser.new_context(**context_args)
    page = context.new_page()
    wrapper = OfflinePage(page=page)

    def route(r):
        if _is_local(r.request.url):
            return r.continue_()
        wrapper.blocked.append(r.request.url)
        return r.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda exc: wrapper.errors.append(str(exc)))
    yield wrapper
    context.close()


@pytest.fixture()
def desktop_page(browser) -> Iterator[OfflinePage]:
    """Desktop viewport (1400×1000), offline."""
    yield from _offline_page(browser, viewport={"width": 1400, "height": 1000})


@pytest.fixture()
def phone_page(browser) -> Iterator[OfflinePage]:
    """Phone viewport (390×844, touch), offline."""
    yield from _offline_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                             device_scale_factor=2)
