"""App-wide accessibility style: focus outline, readable captions, skip link and the page language.

One module for everything every page needs (issue 15, WCAG 2.1 AA / BITV 2.0); ``app.py`` draws it on
every run, before the page. Pure strings and functions, testable without Streamlit.

Why each part exists (measured with axe-core on the landed app):

- Streamlit draws captions (``st.caption``) in the text colour at 60 % opacity (#828180 on white,
  contrast 3.9:1 – WCAG 1.4.3 asks for 4.5:1). This CSS draws them opaque in #595959 (7.0:1).
- Streamlit draws a focus ring only on some widgets; WCAG 2.4.7 asks for a visible focus everywhere.
- A skip link (WCAG 2.4.1) is the first focusable element of the page and moves the focus to the main
  content, past the navigation.
- Streamlit writes ``<html lang="en">`` into its index.html and has no setting for it (upstream issue
  streamlit/streamlit#15726, open; the pull request #16024 adding ``st.set_page_config(page_lang=…)`` was
  closed unmerged; not in Streamlit 1.67). The atlas is German (WCAG 3.1.1), the family page can switch
  to English. :func:`page_script` sets the document language and the skip link with a small script
  (``st.html(..., unsafe_allow_javascript=True)``: it runs in the page's own document, no iframe).
  Screen readers that read the page before the script has run hear the first moment in English.
"""

from __future__ import annotations

import json

#: Contrast-checked colours (relative to white): text 15.3:1, faded text 7.0:1, focus ring 7.0:1.
TEXT_COLOUR = "#1b1d24"
CAPTION_COLOUR = "#595959"
FOCUS_COLOUR = "#1f5f8b"

SKIP_LINK_ID = "atlas-skip-link"
MAIN_ID = "inhalt"
SKIP_LINK_TEXT = {"de": "Zum Inhalt springen", "en": "Skip to main content"}
LANGUAGES = ("de", "en")

#: Plain tables (:func:`atlas.display.html_table`): limited height, header kept in view, numbers right-aligned;
#: in the pages' style and in the previews of the first HTML (:mod:`atlas.map_preview`).
TABLE_CSS = f"""
.atlas-tabelle-box {{ max-height: 28rem; overflow: auto; max-width: 100%; border: 1px solid #d5d9e0;
  border-radius: 0.4rem; }}
.atlas-tabelle-box.atlas-tabelle-ganz {{ max-height: none; }}
.atlas-tabelle {{ border-collapse: collapse; width: 100%; font-size: 0.95rem; color: {TEXT_COLOUR}; }}
.atlas-tabelle th, .atlas-tabelle td {{ padding: 0.35rem 0.6rem; border-bottom: 1px solid #e3e6eb;
  text-align: left; vertical-align: top; }}
.atlas-tabelle thead th {{ position: sticky; top: 0; background: #eef1f5; font-weight: 600; }}
.atlas-tabelle td.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
"""

APP_CSS = f"""
<style>
/* WCAG 1.4.3: captions and other faded text at ≥ 4.5:1 */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] p,
[data-testid="stTooltipHoverTarget"] {{ color: {CAPTION_COLOUR}; opacity: 1; }}
/* WCAG 2.4.7: a clearly visible focus on every focusable element */
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible, select:focus-visible,
summary:focus-visible, [role="button"]:focus-visible, [role="tab"]:focus-visible, [role="option"]:focus-visible,
[role="radio"]:focus-visible, [role="checkbox"]:focus-visible, [role="switch"]:focus-visible,
[role="slider"]:focus-visible, [role="combobox"]:focus-visible, [tabindex]:focus-visible,
/* Chromium makes scrollable containers (e.g. the sidebar) keyboard-focusable without a tabindex */
div:focus-visible, section:focus-visible, main:focus-visible {{
  outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px !important;
}}
[data-baseweb="input"]:focus-within, [data-baseweb="select"] > div:focus-within,
[data-baseweb="textarea"]:focus-within {{
  outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 1px;
}}
/* WCAG 2.4.1: skip link, visible when focused */
#{SKIP_LINK_ID} {{
  position: fixed; left: 0.5rem; top: -4rem; z-index: 1000100; padding: 0.6rem 1rem;
  background: #ffffff; color: {FOCUS_COLOUR}; font-weight: 600; border: 3px solid {FOCUS_COLOUR};
  border-radius: 0.3rem; text-decoration: underline;
}}
#{SKIP_LINK_ID}:focus {{ top: 0.5rem; }}
/* Streamlit's own skip link says "Skip to main content" in English on a German page: ours replaces it */
[data-testid="stSkipToContent"] {{ display: none !important; }}
{TABLE_CSS}/* the app's own navigation (app.py): group headings */
.atlas-nav-group {{ font-weight: 700; font-size: 0.95rem; margin: 0.8rem 0 0.1rem 0; color: {TEXT_COLOUR}; }}
</style>
"""


#: Focus ring inside the map frames (Leaflet draws a 1 px browser default on the map, none of its own):
#: the map itself (arrow keys pan, +/- zoom), its buttons, markers and the legend's summary.
MAP_FOCUS_CSS = f"""
<style>
.leaflet-container:focus-visible, .leaflet-container a:focus-visible, .leaflet-container button:focus-visible,
.leaflet-container summary:focus-visible, .leaflet-marker-icon:focus-visible, .leaflet-interactive:focus-visible {{
  outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: -3px;
}}
.leaflet-marker-icon:focus-visible {{ outline-offset: 2px; }}
</style>
"""


#: Accessible name of every map frame (streamlit-folium titles its iframe "streamlit_folium.st_folium", which a
#: screen reader would read out): what it is and where its content stands in words.
MAP_FRAME_NAME = {"de": "Karte – ihr Inhalt steht auch als Text unter der Karte",
                  "en": "Map – its content is also given as text below the map"}

#: Name of a plain table's box when it scrolls – wider than the screen (a phone), or a long table in a box of
#: limited height (:func:`atlas.display.html_table`): the box then becomes a Tab stop, so the keyboard can
#: scroll it too (WCAG 2.1.1, axe rule scrollable-region-focusable).
SCROLL_TABLE_NAME = {"de": "Tabelle, verschiebbar", "en": "Table, scrollable"}


def page_language(lang: str) -> str:
    """The BCP 47 code for the page: 'de' unless *lang* is a supported other language."""
    return lang if lang in LANGUAGES else "de"


def page_script(lang: str = "de") -> str:
    """A ``<script>`` that sets ``<html lang>``, puts the skip link first into the page, names the map
    frames (:data:`MAP_FRAME_NAME` as ``aria-label``, kept on frames added later by a MutationObserver) and
    makes a plain table (:func:`atlas.display.html_table`) that scrolls, sideways or in its box, a named Tab
    stop (:data:`SCROLL_TABLE_NAME`; checked at most once per frame, because reading a box's widths makes the
    browser lay out the page).

    No ``//`` comments in the script: Streamlit may join its lines. The skip link is inserted once
    before Streamlit's root element (React does not manage it; Streamlit's own English one is hidden) and
    moves the focus to the main content area (Streamlit's ``<main id="stMain">``; an element without id
    gets ``id="inhalt"`` and ``tabindex="-1"``).
    """
    code = page_language(lang)
    text = json.dumps(SKIP_LINK_TEXT[code])
    return f"""<script>
(function () {{
  const doc = document;
  doc.documentElement.lang = {json.dumps(code)};
  function main() {{
    const el = doc.querySelector('[data-testid="stMain"]') || doc.querySelector('main') || doc.querySelector('section.main');
    if (el && !el.id) {{ el.id = {json.dumps(MAIN_ID)}; }}
    if (el && !el.hasAttribute('tabindex')) {{ el.setAttribute('tabindex', '-1'); }}
    return el;
  }}
  main();
  let link = doc.getElementById({json.dumps(SKIP_LINK_ID)});
  if (!link) {{
    link = doc.createElement('a');
    link.id = {json.dumps(SKIP_LINK_ID)};
    const target = main();
    link.href = '#' + ((target && target.id) || {json.dumps(MAIN_ID)});
    link.addEventListener('click', function (event) {{
      const target = main();
      if (!target) {{ return; }}
      event.preventDefault();
      target.focus();
      target.scrollIntoView();
    }});
    doc.body.insertBefore(link, doc.body.firstChild);
  }}
  link.textContent = {text};
  window.atlasMapFrameName = {json.dumps(MAP_FRAME_NAME[code])};
  function nameFrames() {{
    doc.querySelectorAll('iframe[title="streamlit_folium.st_folium"]').forEach(function (frame) {{
      if (frame.getAttribute('aria-label') !== window.atlasMapFrameName) {{
        frame.setAttribute('aria-label', window.atlasMapFrameName);
      }}
    }});
  }}
  window.atlasScrollTableName = {json.dumps(SCROLL_TABLE_NAME[code])};
  function reachTables() {{
    doc.querySelectorAll('.atlas-tabelle-box').forEach(function (box) {{
      const scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls && box.getAttribute('tabindex') !== '0') {{
        box.setAttribute('tabindex', '0');
        box.setAttribute('role', 'region');
        box.setAttribute('aria-label', window.atlasScrollTableName);
      }} else if (!scrolls && box.hasAttribute('tabindex')) {{
        box.removeAttribute('tabindex');
        box.removeAttribute('role');
        box.removeAttribute('aria-label');
      }}
    }});
  }}
  let tablesDue = false;
  function label() {{
    nameFrames();
    if (!tablesDue && doc.querySelector('.atlas-tabelle-box')) {{
      tablesDue = true;
      window.requestAnimationFrame(function () {{ tablesDue = false; reachTables(); }});
    }}
  }}
  label();
  if (!window.atlasFrameObserver) {{
    window.atlasFrameObserver = new MutationObserver(label);
    window.atlasFrameObserver.observe(doc.body, {{childList: true, subtree: true}});
    window.addEventListener('resize', reachTables);
  }}
}})();
</script>"""
