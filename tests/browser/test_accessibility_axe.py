"""axe-core on every page (issue 15): no serious or critical WCAG 2.1 A/AA finding.

axe-core comes from the PyPI package ``axe-playwright-python``, which ships ``axe.min.js`` (no CDN,
no npm at test time). It is injected into the page's own document AND into every frame (the map
frames of streamlit-folium, Streamlit's component frames), because axe only sees the document it runs
in. Rules: the tags wcag2a, wcag2aa, wcag21a, wcag21aa; every finding of impact "serious" or
"critical" fails the test, listed with rule, element and axe's explanation.

Matrix: every page of the navigation, the family page in German, English and Leichte Sprache (with a
search result, so the offer cards are audited too) and the Sitzungsmodus with a slide, each at 390 px (phone) and
1366 px (laptop/projector). One server and one browser context per width are reused.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Iterator

import pytest

from tests.browser.conftest import OfflinePage, _offline_page, wait_until_settled

pytestmark = pytest.mark.browser

AXE_SOURCE = (importlib.resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")

#: (URL path, what must be on it) – every page of app.py's navigation plus the states with more content.
PAGES = [
    ("", "Standortatlas"),
    ("angebote-finden", "Angebote in meiner Nähe"),
    ("angebote-finden?ort=Meiningen", "Angebote in meiner Nähe"),
    ("angebote-finden?ort=Meiningen&lang=en", "Services near me"),
    ("meldung", "Angebot melden"),
    ("karte", "Karte"),
    ("erreichbarkeit", "Erreichbarkeit"),
    ("bus-und-bahn", "Bus und Bahn"),
    ("indikatoren", "Indikatoren"),
    ("profil", "Sozialraumprofil"),
    ("sitzung", "Sitzungsmodus"),
    ("sitzung?sitzung=beispiel&nr=1", "Folie 1 von"),
    ("quellen", "Daten & Quellen"),
    ("register", "Register"),
    ("barrierefreiheit", "Erklärung zur Barrierefreiheit"),
]
WIDTHS = {"390": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
          "1366": {"viewport": {"width": 1366, "height": 768}}}

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, iframes: false,
                                          resultTypes: ['violations']});
  return {
    passes: result.passes.length,
    violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 200)})),
    })),
  };
}"""


@pytest.fixture(scope="module")
def width_pages(browser) -> Iterator[dict[str, OfflinePage]]:
    """One offline browser context per width, reused by all pages of this module."""
    generators = {}
    pages = {}
    for name, args in WIDTHS.items():
        generators[name] = _offline_page(browser, **args)
        pages[name] = next(generators[name])
    yield pages
    for gen in generators.values():
        next(gen, None)


def audit(frame) -> dict:
    """Inject axe-core into *frame* (once) and return its result for the WCAG 2.1 A/AA rules."""
    if not frame.evaluate("() => typeof window.axe === 'object'"):
        frame.evaluate(AXE_SOURCE)
    return frame.evaluate(RUN_AXE, WCAG_TAGS)


def blocking_findings(frame_url: str, result: dict) -> list[str]:
    lines = []
    for violation in result["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"]:
            lines.append(f"{frame_url}: {violation['id']} ({violation['impact']}) {violation['help']} – "
                         f"{node['target']} – {node['summary']} – {node['html']}")
    return lines


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize(("path", "marker"), PAGES, ids=[p or "start" for p, _ in PAGES])
def test_no_serious_axe_findings(app_url, width_pages, width, path, marker):
    wrapper = width_pages[width]
    page = wrapper.page
    page.goto(f"{app_url}/{path}")
    wrapper.wait_for_app(timeout=60_000)
    page.locator("[data-testid='stMain']").get_by_text(marker, exact=False).first.wait_for(timeout=30_000)
    # Every map frame must have drawn its map before it is audited.
    map_frames = page.locator("iframe[title='streamlit_folium.st_folium']")
    for i in range(map_frames.count()):
        map_frames.nth(i).content_frame.locator(".leaflet-container").first.wait_for(state="attached",
                                                                                      timeout=30_000)
    page.wait_for_timeout(500)
    for _ in range(20):  # a frame that was just remounted shows up in page.frames a moment later
        if len(page.frames) >= 1 + map_frames.count():
            break
        page.wait_for_timeout(500)
    wait_until_settled(page)

    findings, audited = audit_all_frames(page)
    assert audited >= 1 + map_frames.count(), "nicht jede Kartenansicht wurde geprüft"
    assert not findings, f"{len(findings)} schwere axe-Befunde auf /{path} bei {width} px:\n" + "\n".join(findings)


def audit_all_frames(page) -> tuple[list[str], int]:
    """Blocking findings over the page's document and every frame in it, and how many documents were audited."""
    findings: list[str] = []
    audited = 0
    frames = list(page.frames)
    # A map frame remounted a moment ago may be missing from page.frames for a while (seen once under load):
    # take each map iframe's own document too.
    for handle in page.locator("iframe[title='streamlit_folium.st_folium']").element_handles():
        inner = handle.content_frame()
        if inner is not None and inner not in frames:
            frames.append(inner)
    for frame in frames:
        result = audit(frame)
        assert result["passes"] > 0, f"axe prüfte in {frame.url} nichts"
        findings += blocking_findings(frame.url, result)
        audited += 1
    return findings, audited


@pytest.mark.parametrize("width", list(WIDTHS))
def test_leichte_sprache_by_keyboard_without_serious_findings(app_url, width_pages, width):
    """The switch "Leichte Sprache" is reached and turned on with the keyboard; the plain page passes axe."""
    from atlas.plain_language import load_plain_texts
    from tests.browser.test_accessibility_keyboard import tab_to

    wrapper = width_pages[width]
    page = wrapper.page
    page.goto(f"{app_url}/angebote-finden?ort=Meiningen")
    wrapper.wait_for_app(timeout=60_000)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    tab_to(page, "el.closest('[data-testid=\"stCheckbox\"]') && "
                 "el.closest('[data-testid=\"stCheckbox\"]').innerText.includes('Leichte Sprache')")
    page.keyboard.press("Space")
    main = page.locator("[data-testid='stMain']")
    main.get_by_role("heading", name=load_plain_texts()["titel"]).wait_for(timeout=30_000)
    wrapper.wait_for_app(timeout=60_000)
    assert page.evaluate("document.documentElement.lang") == "de"
    wait_until_settled(page)
    findings, _ = audit_all_frames(page)
    assert not findings, "\n".join(findings)


def test_page_language_follows_the_family_page_switch(app_url, width_pages):
    """``<html lang>`` is German on the atlas pages and English on the family page in English mode."""
    wrapper = width_pages["1366"]
    page = wrapper.page
    page.goto(f"{app_url}/karte")
    wrapper.wait_for_app(timeout=60_000)
    page.wait_for_function("document.documentElement.lang === 'de'", timeout=10_000)
    page.goto(f"{app_url}/angebote-finden?lang=en")
    wrapper.wait_for_app(timeout=60_000)
    # The English page is drawn first (its first run may be slow on a busy machine; the check right after
    # the load can see the page before its script has started), then its language must follow at once.
    page.locator("[data-testid='stMain']").get_by_role("heading", name="Services near me").wait_for(timeout=60_000)
    page.wait_for_function("document.documentElement.lang === 'en'", timeout=10_000)
    assert page.locator("#atlas-skip-link").inner_text() == "Skip to main content"
