"""The warm-up visitor against the real server (``scripts/serve.py`` starts it; ``scripts/warm_up.py``).

Every server of the browser tests is warmed before its first test (``_running_app`` waits for the line), so
every map test there also shows that a warmed server still draws its maps for people (the map component is
registered by the server's own runtime, not by the warm-up)."""

from __future__ import annotations

import html
import os
import re
import shutil
import time
import urllib.request

from atlas import settings
from atlas.council.slides import available_decks, load_named_deck
from atlas.map_preview import PREVIEW_FRAME_TITLE
from atlas.navigation import NAVIGATION
from tests.browser.conftest import WARM_MARK, _running_app, server_log


def _navigation_paths() -> set[str]:
    """The address paths of every page in the app's navigation (``atlas/navigation.py``; the start page is "")."""
    return {p.url_path for group in NAVIGATION for p in group.pages}


#: The map preview's frame in a served index page (atlas/map_preview.py).
PREVIEW_FRAME = f'<iframe title="{PREVIEW_FRAME_TITLE}"'


def _served(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def _warm_line(log: str) -> str:
    return next(line for line in log.splitlines() if WARM_MARK in line)


def test_warm_up_opens_every_page_of_the_navigation_without_error(app_url, built):
    log = server_log(built.gpkg.parent, app_url)
    line = _warm_line(log)
    visited = re.findall(r"(?:: |, )/([a-z-]*) \d+\.\d s", line)
    assert visited[0] == "" and set(visited) == _navigation_paths() and len(visited) == len(set(visited)), line
    # then every slide of the prepared sessions (a presenter's link, slide by slide)
    slides = re.findall(r"(?:: |, )/sitzung\?sitzung=([a-z_-]+)&nr=(\d+) \d+\.\d s", line)
    decks = available_decks()
    assert decks and slides == [(name, str(nr)) for name in decks for nr in range(1, len(load_named_deck(name)) + 1)]
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


def test_a_new_build_while_the_server_runs_is_warmed_again(tmp_path, built):
    """A rebuild while the server runs (the register's button, ``atlas build``): the server warms every page
    again for the new build, and the Karte's first visit has its map preview again (looked up for the data
    build at the time of the request, so it was recorded for the new one)."""
    data = tmp_path / "daten"
    shutil.copytree(built.gpkg.parent, data, ignore=shutil.ignore_patterns("*.log"))
    with _running_app(data) as url:
        assert PREVIEW_FRAME in _served(f"{url}/karte")
        for path in (settings.gpkg_path(data), settings.manifest_path(data)):  # as a build replaces them
            os.utime(path)
        deadline = time.monotonic() + 240
        while "neuer Datenstand" not in server_log(data, url):
            assert time.monotonic() < deadline, server_log(data, url)
            time.sleep(0.5)
        line = next(line for line in server_log(data, url).splitlines() if "neuer Datenstand" in line)
        visited = re.findall(r"(?:: |, )/([a-z-]*) \d+\.\d s", line)
        assert WARM_MARK in line and set(visited) == _navigation_paths(), line
        assert "zeigte beim Vorwärmen einen Fehler" not in server_log(data, url)
        assert PREVIEW_FRAME in _served(f"{url}/karte")


def test_a_link_with_settings_gets_its_preview_from_its_next_visit_on(app_url, built, atlas_data):
    """A Sozialraumprofil link with a Gemeinde (as in a council invitation) that no warm-up opened: its first
    answer has no preview; the server has the warm-up open it (one line in its log), and from then on the
    link's answer carries the map preview under that Gemeinde's profile. The Gemeinde is one no earlier test
    has opened (taken from the data and the server's log), not the page's default."""
    from atlas.council.page_model import default_gemeinde

    log = server_log(built.gpkg.parent, app_url)
    gemeinden = atlas_data.gemeinden.sort_values("ags", ascending=False)
    row = next(r for r in gemeinden.itertuples() if r.ags != default_gemeinde(atlas_data.gemeinden)
               and f"/profil?gemeinde={r.ags} " not in log)
    link = f"{app_url}/profil?gemeinde={row.ags}"
    assert PREVIEW_FRAME not in _served(link)
    deadline = time.monotonic() + 120
    while f"Adresse /profil?gemeinde={row.ags} für ihre Vorschau geöffnet in" not in server_log(built.gpkg.parent, app_url):
        assert time.monotonic() < deadline, server_log(built.gpkg.parent, app_url)[-3000:]
        time.sleep(0.5)
    page = _served(link)
    assert PREVIEW_FRAME in page and html.escape(row.name) in page
