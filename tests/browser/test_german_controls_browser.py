"""Issue 13 point 9 in a real browser: no English word of Streamlit's own controls on any page in German
mode – visible text and the ``aria-label``/``title``/``placeholder`` a screen reader or a hover shows,
also after hovering a table's toolbar, opening its column menu and opening a dropdown (1366 px), and at
phone width (390 px, where the sidebar is collapsed)."""

from __future__ import annotations

import re

import pytest

from atlas.display import STREAMLIT_GERMAN, german_controls_script

pytestmark = pytest.mark.browser

#: Every page of the app (URL paths of app.py); the family page with a search, so its results are drawn.
PAGES = ("", "angebote-finden?ort=Rosa", "meldung", "karte", "erreichbarkeit", "bus-und-bahn", "indikatoren",
         "profil", "sitzung", "quellen", "register", "barrierefreiheit")

#: English words of Streamlit's controls that must not appear in the German UI.
ENGLISH = re.compile(r"\b(Download|Search|Fullscreen|Open|Choose|Copy|Collapse|Expand|Sidebar|Statistics|"
                     r"Sort|Remove|Clear|Select|Close|Running|Stop|Upload|per file)\b")

#: Visible text lines (icons excluded: Material Symbols are ligature names such as "content_copy") and the
#: accessible attributes of every element.
WORDS_JS = """() => {
  const out = new Set();
  document.querySelectorAll('[aria-label],[title],[placeholder]').forEach(e => {
    ['aria-label', 'title', 'placeholder'].forEach(a => { const v = e.getAttribute(a); if (v) out.add(a + ': ' + v); });
  });
  const icons = [...document.querySelectorAll('[data-testid="stIconMaterial"]')];
  icons.forEach(i => i.dataset.atlasIcon = i.textContent);
  icons.forEach(i => { i.textContent = ''; });
  document.body.innerText.split('\\n').forEach(l => { if (l.trim()) { out.add(l.trim()); } });
  icons.forEach(i => { i.textContent = i.dataset.atlasIcon; });
  return [...out];
}"""


def english_words(page) -> list[str]:
    """Lines of visible text and accessible attributes of *page* with an English control word."""
    return sorted(line for line in page.evaluate(WORDS_JS) if ENGLISH.search(line))


def settled_english_words(page, patience_ms: int = 5_000) -> list[str]:
    """:func:`english_words` once the German script has caught up: it rewrites on the next mutation, which on a
    loaded machine can come later than half a second after the page is idle (a CI run once read the phone
    sidebar's "Expand sidebar" before the rewrite). Whatever is still English after *patience_ms* is returned."""
    page.wait_for_timeout(500)  # as long as before: controls drawn late are on the page when first read
    for _ in range(patience_ms // 250):
        if not (english := english_words(page)):
            return english
        page.wait_for_timeout(250)
    return english_words(page)


def _open_column_menu(page, table) -> bool:
    """Open the column menu of *table*'s header (its menu button is drawn on hover inside the header)."""
    box = table.bounding_box()
    for dx in range(40, int(box["width"]) - 10, 16):
        page.mouse.move(box["x"] + dx, box["y"] + 17)
        page.mouse.click(box["x"] + dx, box["y"] + 17)
        menu = page.locator("[data-testid='stDataFrameColumnMenu']")
        try:
            menu.first.wait_for(timeout=400)
            return True
        except Exception:  # noqa: BLE001 - not on the menu button: try further right
            page.keyboard.press("Escape")
    return False


def test_the_translation_table_covers_what_the_script_rewrites():
    script = german_controls_script()
    assert all(english in script for english in STREAMLIT_GERMAN)
    assert '"^Remove (.+)$"' in script  # texts with a variable part: "Remove Kita" -> "Kita entfernen"
    assert all(not ENGLISH.search(german) for german in STREAMLIT_GERMAN.values())


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)])
def test_no_english_control_text_on_any_page(app_url, browser, width, height):
    """At laptop width with hover, table column menu and an open dropdown; at phone width (collapsed sidebar,
    touch) the page as it is."""
    from tests.browser.conftest import _offline_page

    phone = width < 700
    found: dict[str, list[str]] = {}
    menus = 0
    args = {"is_mobile": True, "has_touch": True} if phone else {}
    for wrapper in _offline_page(browser, viewport={"width": width, "height": height}, **args):
        page = wrapper.page
        for path in PAGES:
            page.goto(f"{app_url}/{path}")
            wrapper.wait_for_app(timeout=60_000)
            english = settled_english_words(page)
            if phone:
                if english:
                    found[path or "start"] = english
                continue
            tables = page.locator("[data-testid='stDataFrame']:visible")
            if tables.count():  # the table toolbar (shown on hover) and the column menu
                table = tables.first
                table.scroll_into_view_if_needed()
                table.hover()
                toolbar = page.locator("[data-testid='stElementToolbar'] button:visible")
                toolbar.first.wait_for(timeout=10_000)
                assert set(toolbar.evaluate_all("bs => bs.map(b => b.getAttribute('aria-label'))")) <= set(
                    STREAMLIT_GERMAN.values())
                if _open_column_menu(page, table):
                    menus += 1
                    menu = page.locator("[data-testid='stDataFrameColumnMenu']").first
                    assert "Aufsteigend sortieren" in menu.inner_text()
                    english += english_words(page)
                    page.keyboard.press("Escape")
            dropdowns = page.locator("[data-testid='stSelectbox']:visible input, "
                                     "[data-testid='stMultiSelect']:visible input")
            if dropdowns.count():  # an opened list: "No results" etc.
                dropdowns.first.click()
                page.wait_for_timeout(300)
                english += english_words(page)
                page.keyboard.press("Escape")
            if english:
                found[path or "start"] = sorted(set(english))
        assert wrapper.errors == []
    assert found == {}
    assert phone or menus >= 1  # at least one column menu was really opened and checked
