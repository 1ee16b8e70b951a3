"""The app-wide accessibility style (atlas.ui_style): language, skip link, contrast of the fixed colours."""

from __future__ import annotations

import re

from atlas import ui_style


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast_on_white(hex_colour: str) -> float:
    return 1.05 / (_luminance(hex_colour) + 0.05)


def test_fixed_colours_reach_wcag_aa_on_white():
    assert _contrast_on_white(ui_style.CAPTION_COLOUR) >= 4.5
    assert _contrast_on_white(ui_style.TEXT_COLOUR) >= 4.5
    assert _contrast_on_white(ui_style.FOCUS_COLOUR) >= 3.0  # non-text contrast, WCAG 1.4.11


def test_page_script_sets_the_language_and_the_skip_link_text():
    german = ui_style.page_script("de")
    english = ui_style.page_script("en")
    assert 'documentElement.lang = "de"' in german and "Zum Inhalt springen" in german
    assert 'documentElement.lang = "en"' in english and "Skip to main content" in english


def test_unknown_or_hostile_language_falls_back_to_german():
    script = ui_style.page_script('en"; alert(1); "')
    assert 'documentElement.lang = "de"' in script
    assert "alert" not in script
    assert ui_style.page_language("fr") == "de"


def test_css_keeps_captions_opaque_and_focus_visible():
    assert re.search(r"stCaptionContainer.*opacity: 1", ui_style.APP_CSS, re.S)
    assert ":focus-visible" in ui_style.APP_CSS and ui_style.FOCUS_COLOUR in ui_style.APP_CSS
    assert f"#{ui_style.SKIP_LINK_ID}:focus" in ui_style.APP_CSS


def test_page_script_survives_being_joined_into_one_line():
    """Streamlit may put the script on one line: a ``//`` comment would then swallow the rest."""
    script = ui_style.page_script("de")
    body = script.split("<script>", 1)[1].split("</script>", 1)[0]
    assert "//" not in body.replace("'#'", "")
