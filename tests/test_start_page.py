"""The start page's content and its static preview (atlas/start_page.py), from synthetic manifests."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from atlas import start_page
from atlas.page_preview import REMOVE_SCRIPT
from atlas.navigation import NAVIGATION, page

ROOT = Path(__file__).resolve().parent.parent

#: A synthetic manifest with round numbers (not the county's: the test checks formatting, not today's data).
MANIFEST = {"einwohner_zensus_2022": 12345, "gemeinden_anzahl": 7, "angebote": {"gesamt": 1200}}


class _Links(HTMLParser):
    """Every link (href, text) and heading text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.headings: list[str] = []
        self._href: str | None = None
        self._heading = False
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs)["href"], []
        elif tag in ("h1", "h2"):
            self._heading, self._text = True, []

    def handle_data(self, data):
        self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text)))
            self._href = None
        elif tag in ("h1", "h2") and self._heading:
            self.headings.append("".join(self._text))
            self._heading = False


def _parsed(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def test_figures_are_german_numbers_and_a_dash_where_the_build_has_none():
    content = start_page.start_content("Landkreis Beispiel", MANIFEST, ("© Quelle A",))
    assert content.title == "Standortatlas Landkreis Beispiel"
    assert content.figures == (("Einwohner (Zensus 2022)", "12.345"), ("Gemeinden", "7"),
                               ("Angebote im Register", "1.200"))
    empty = start_page.start_content("Landkreis Beispiel", {}, ())
    assert [value for _, value in empty.figures] == ["–", "–", "–"]


def test_every_link_leads_to_a_page_of_the_navigation():
    content = start_page.start_content("Landkreis Beispiel", MANIFEST, ())
    listed = {p.module for group in NAVIGATION for p in group.pages}
    assert {link.module for link in content.links} <= listed
    for link in content.links:
        assert link.url_path == page(link.module).url_path and (ROOT / link.module).is_file()
    assert content.family_links[0].module == "pages/angebote_finden.py"  # families first


def test_preview_shows_the_same_words_numbers_and_links_as_the_page():
    content = start_page.start_content("Landkreis Beispiel", MANIFEST, ("© GeoBasis-DE / BKG", "© Statistik"))
    html = start_page.preview_html(content)
    parsed = _parsed(html)
    assert parsed.headings == [content.title, content.section]
    main_links = [(f"/{link.url_path}", link.label) for link in content.links]
    nav_links = [(f"/{p.url_path}", p.title) for group in NAVIGATION for p in group.pages]
    assert parsed.links == nav_links + main_links  # the sidebar first, then the page in order
    for _, value in content.figures:
        assert f"<dd>{value}</dd>" in html
    assert "© GeoBasis-DE / BKG · © Statistik" in html and content.caveat in html
    assert f'data-anzahl="{len(content.links)}"' in html  # what Streamlit's page must show before it goes
    assert html.endswith(REMOVE_SCRIPT)


def test_preview_links_stay_below_the_apps_base_address():
    content = start_page.start_content("Landkreis Beispiel", MANIFEST, ())
    hrefs = [href for href, _ in _parsed(start_page.preview_html(content, "/atlas/")).links]
    assert hrefs and all(href.startswith("/atlas/") for href in hrefs)
    assert "/atlas/karte" in hrefs and "/atlas/" in hrefs  # a page and the start page itself


def test_preview_escapes_every_text():
    hostile = '<img src=x onerror="alert(1)">'
    content = start_page.start_content(hostile, MANIFEST, (hostile,))
    html = start_page.preview_html(content, '"><script>alert(2)</script>')
    assert "<img" not in html and "alert(2)</script>" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert len(re.findall(r"<script>", html)) == 1  # only the removal script


def test_current_preview_follows_the_build(tmp_path, monkeypatch):
    """Made from the build's manifest in the data folder; without a build there is no preview."""
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    start_page._preview.cache_clear()
    assert start_page.current_preview() == ""
    (tmp_path / "manifest.json").write_text('{"kreis_name": "Landkreis Test", "gemeinden_anzahl": 3}',
                                            encoding="utf-8")
    (tmp_path / "atlas.gpkg").write_bytes(b"")
    html = start_page.current_preview()
    assert "Standortatlas Landkreis Test" in html and "<dd>3</dd>" in html


@pytest.mark.parametrize("module", ["pages/start.py", "pages/karte.py", "pages/barrierefreiheit.py"])
def test_navigation_lookup(module):
    assert page(module).module == module


def test_navigation_lookup_names_an_unknown_page():
    with pytest.raises(KeyError, match="pages/gibt_es_nicht.py"):
        page("pages/gibt_es_nicht.py")
