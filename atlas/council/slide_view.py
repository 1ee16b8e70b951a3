"""How the Sitzungsmodus looks: its style for the projector, the arrow keys, a slide's heading – made once here
for the page (``pages/sitzung.py`` draws them with Streamlit's elements) and for the preview of a prepared
session's slide in the server's first answer (:func:`preview_parts`, :mod:`atlas.map_preview`), so that both
show the same slide at the same place. Pure, no Streamlit."""

from __future__ import annotations

import html
from urllib.parse import urlencode

from atlas.map_preview import PreviewParts
from atlas.page_preview import PREVIEW_ID
from atlas.preview_elements import column_style

#: The slide's elements – title, where the presenter is, the way back, the map as high as the screen below the
#: title row, the legend in large type – for the page and, inside the preview's frame, for its preview.
_SLIDE_RULES = {
    ".atlas-slide-title": "font-size:2.3rem;font-weight:700;line-height:1.2;margin:.2rem 0",
    ".atlas-slide-sub": "font-size:1.35rem;color:#333",
    ".atlas-sitzung-ende": "display:inline-block;padding:.45rem .9rem;border:1px solid #888;border-radius:.5rem;"
                           "font-size:1.15rem;font-weight:600;color:inherit;text-decoration:none;min-height:44px;"
                           "line-height:1.6;box-sizing:border-box",  # as Streamlit sets for every element
    ".atlas-legend": "font-size:1.25rem!important",
    ".atlas-legend h4": "font-size:1.3rem!important",
    ".atlas-legend .sw": "width:26px!important;height:18px!important",
}
_MAP_HEIGHT = "height:calc(100vh - 200px)!important;min-height:360px"


def _rules(scope: str) -> str:
    return "\n".join(f"{scope}{selector}{{{rules}}}" for selector, rules in _SLIDE_RULES.items())


#: The page's style: large type, no sidebar, the map as high as the screen below the title row.
PRESENTATION_CSS = f"""
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"] {{display: none !important;}}
.block-container {{max-width: 100% !important; padding: 0.6rem 1.2rem 0.5rem !important;}}
.atlas-slide-source {{font-size: 1.1rem; color: #333;}}
div[data-testid="stButton"] button p {{font-size: 1.3rem; font-weight: 600;}}
iframe[title="streamlit_folium.st_folium"] {{{_MAP_HEIGHT}}}
{_rules("")}
</style>
"""

#: Arrow keys / Page keys click the Weiter/Zurück buttons of the page (no CDN, runs locally) – also when the
#: focus is inside the map's frame (same origin): the listener is attached to every frame's window too.
KEYBOARD_JS = """
<script>
(function () {
  const doc = window.parent.document;
  if (doc.__atlasSitzungKeys) { return; }
  doc.__atlasSitzungKeys = true;
  function onKey(event) {
    if (!doc.querySelector('[data-testid="atlas-slide-title"]')) { return; }  // only in the Sitzungsmodus
    const tag = (event.target && event.target.tagName) || '';
    if (['INPUT', 'TEXTAREA', 'SELECT'].includes(tag) || event.altKey || event.ctrlKey || event.metaKey) { return; }
    let label = null;
    if (event.key === 'ArrowRight' || event.key === 'PageDown') { label = 'Weiter'; }
    if (event.key === 'ArrowLeft' || event.key === 'PageUp') { label = 'Zurück'; }
    if (!label) { return; }
    const button = Array.from(doc.querySelectorAll('button')).find(b => b.innerText.trim().includes(label));
    event.preventDefault();
    event.stopPropagation();
    if (button && !button.disabled) { button.click(); }
  }
  doc.addEventListener('keydown', onKey, true);
  function attachFrames() {
    doc.querySelectorAll('iframe').forEach(function (frame) {
      try {
        const win = frame.contentWindow;
        if (win && !win.__atlasSitzungKeys) { win.__atlasSitzungKeys = true; win.addEventListener('keydown', onKey, true); }
      } catch (e) { /* another origin: not ours */ }
    });
  }
  attachFrames();
  setInterval(attachFrames, 500);
})();
</script>
"""

#: The title row's texts and the way back (the page's and the preview's).
PREV_LABEL, NEXT_LABEL, END_LABEL = "◀ Zurück", "Weiter ▶", "✕ Sitzung beenden"
EXPANDER_LABEL = "Folienfolge zusammenstellen"
END_HREF = "indikatoren"

#: The column weights of the title row and of the map beside its legend (``st.columns``).
NAV_WEIGHTS = (1, 7, 1, 1)
MAP_SHARE = 5 / 6


def slide_heading(title: str, gemeinde: str | None) -> str:
    """A slide's heading: its title (the indicator's name if it has none), with the Gemeinde it zooms to."""
    return title + (f" – {gemeinde}" if gemeinde else "")


def heading_html(heading: str, nr: int, count: int, deck_title: str) -> str:
    """The slide's heading and where the presenter is ("Folie 2 von 4 · …"), escaped."""
    return (f'<div class="atlas-slide-title" data-testid="atlas-slide-title">{html.escape(heading)}</div>'
            f'<div class="atlas-slide-sub">Folie {nr} von {count} · {html.escape(deck_title)}</div>')


def end_link_html() -> str:
    """The way back to the app (a plain link: it works with the keyboard and before Streamlit has loaded)."""
    return f'<a class="atlas-sitzung-ende" href="{END_HREF}" target="_self">{html.escape(END_LABEL)}</a>'


#: The preview's own frame: Streamlit's page as the Sitzungsmodus shows it (no sidebar, its margins, the
#: collapsed expander, the title row's buttons, the map as high as the screen), measured against Streamlit's page
#: at 1920, 1366 and 390 px; all rules inside the preview, so that nothing stays once it is removed.
_P = f"#{PREVIEW_ID}"
PREVIEW_CSS = f"""
{_P} .av-main{{padding:2.6rem 1.2rem .5rem}}
{_P} .av-aufklapp{{box-sizing:border-box;height:40px;border:1px solid rgba(49,51,63,.2);border-radius:.5rem;
  padding:0 1rem 0 2.25rem;font-size:14px;line-height:38px;margin:0 0 1rem;position:relative}}
{_P} .av-aufklapp::before{{content:"›";position:absolute;left:1rem;font-size:18px}}
{_P} .av-folienkopf{{display:flex;gap:1rem;align-items:center;margin:0 0 1rem}}
{_P} .av-folienkopf>div{{min-width:0}}
{_P} .av-knopf{{display:flex;align-items:center;justify-content:center;box-sizing:border-box;height:43px;width:100%;
  border:1px solid rgba(49,51,63,.2);border-radius:.5rem;font-size:1.3rem;font-weight:600;color:inherit;
  text-decoration:none;white-space:nowrap;overflow:hidden}}
{_P} span.av-knopf{{color:rgba(49,51,63,.4)}}
{_P} iframe{{{_MAP_HEIGHT}}}
{_rules(_P + " ")}
@media (max-width:640px){{{_P} .av-folienkopf{{flex-direction:column;align-items:stretch}}}}
"""

#: In the preview, → and ← (Bild ab/auf) follow its Weiter/Zurück links, as Streamlit's page does with its buttons.
_PREVIEW_KEYS = f"""<script>(function () {{
  document.addEventListener('keydown', function (event) {{
    var shell = document.getElementById('{PREVIEW_ID}');
    if (!shell || event.altKey || event.ctrlKey || event.metaKey) {{ return; }}
    var rel = (event.key === 'ArrowRight' || event.key === 'PageDown') ? 'next'
      : (event.key === 'ArrowLeft' || event.key === 'PageUp') ? 'prev' : '';
    var link = rel && shell.querySelector('a[rel="' + rel + '"]');
    if (link) {{ event.preventDefault(); window.location.assign(link.href); }}
  }});
}})();</script>"""


def _column(weight: int, inner: str) -> str:
    """A column of the title row with Streamlit's widths."""
    return f'<div style="{column_style(weight, NAV_WEIGHTS)}">{inner}</div>'


def _step(label: str, query: dict[str, str], nr: int | None, rel: str) -> str:
    if nr is None:
        return f'<span class="av-knopf" aria-disabled="true">{html.escape(label)}</span>'
    href = html.escape("?" + urlencode({**query, "nr": str(nr)}), quote=True)
    return f'<a class="av-knopf" rel="{rel}" href="{href}">{html.escape(label)}</a>'


def preview_parts(heading: str, nr: int, count: int, deck_title: str, query: dict[str, str]) -> PreviewParts:
    """The slide's preview around its map: the collapsed expander, the title row (Zurück and Weiter as links to
    the neighbouring slides' addresses, built from the page's *query*) and the way back; no sidebar."""
    row = (_column(1, _step(PREV_LABEL, query, nr - 1 if nr > 1 else None, "prev"))
           + _column(7, heading_html(heading, nr, count, deck_title))
           + _column(1, _step(NEXT_LABEL, query, nr + 1 if nr < count else None, "next"))
           + _column(1, end_link_html()))
    lead = (f'<div class="av-aufklapp">{html.escape(EXPANDER_LABEL)}</div>'
            f'<div class="av-folienkopf">{row}</div>{_PREVIEW_KEYS}')
    return PreviewParts(lead=lead, css=PREVIEW_CSS, own_layout=True)
