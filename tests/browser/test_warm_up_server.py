"""The warm-up visitor against the real server (``scripts/serve.py`` starts it; ``scripts/warm_up.py``).

Every server of the browser tests is warmed before its first test (``_running_app`` waits for the line), so
every map test there also shows that a warmed server still draws its maps for people (the map component is
registered by the server's own runtime, not by the warm-up)."""

from __future__ import annotations

import re
import urllib.request

from atlas.navigation import NAVIGATION
from tests.browser.conftest import WARM_MARK, _running_app, server_log


def _navigation_paths() -> set[str]:
    """The address paths of every page in the app's navigation (``atlas/navigation.py``; the start page is "")."""
    return {p.url_path for group in NAVIGATION for p in group.pages}


def _warm_line(log: str) -> str:
    return next(line for line in log.splitlines() if WARM_MARK in line)


def test_warm_up_opens_every_page_of_the_navigation_without_error(app_url, built):
    log = server_log(built.gpkg.parent, app_url)
    line = _warm_line(log)
    visited = re.findall(r"(?:: |, )/([a-z-]*) \d+\.\d s", line)
    assert visited[0] == "" and set(visited) == _navigation_paths() and len(visited) == len(set(visited)), line
    assert "zeigte beim Vorwärmen einen Fehler" not in log, log


def test_warm_up_reports_pages_that_show_an_error_and_the_server_serves_on(tmp_path):
    """No built data and no source folder: every data page shows its German error; the warm-up names them in
    the server's log, and the server keeps answering."""
    data = tmp_path / "leer"
    data.mkdir()
    with _running_app(data, extra_env={"ATLAS_SOURCE_DIR": str(tmp_path / "fehlt")}) as url:
        log = server_log(data, url)
        assert "Standortatlas: " in _warm_line(log) and "nicht vorgewärmt" not in _warm_line(log)
        errors = [line for line in log.splitlines() if "zeigte beim Vorwärmen einen Fehler" in line]
        assert any(line.startswith("Standortatlas: Seite / zeigte") and "noch keine aufbereiteten Daten" in line
                   for line in errors), log
        assert any("Seite /karte zeigte" in line for line in errors), log
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as response:
            assert response.read().decode().strip() == "ok"
