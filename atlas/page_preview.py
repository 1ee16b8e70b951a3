"""A page's answer as plain HTML in the first response, shown until Streamlit has drawn the page itself.

A first visit of any Streamlit page waits for Streamlit's JavaScript (about 5 MB) before it shows anything: on
this machine 1.1–1.3 s for the smallest Streamlit app (``bench/grundlinie``), on a phone's mobile network 20 s
and more, most of it that download. Where a page's answer is text and links – the start page, the family
page's result cards for a shared link – the server writes that answer into the index page it returns
(``scripts/index_page.py``), made by the same functions the page uses. It is readable at once, its links are
plain links (they work before Streamlit has loaded, opening the page as a direct visit), and a small script
(:data:`REMOVE_SCRIPT`) removes it as soon as Streamlit shows the page's own heading and at least as many of the
named elements (``data-warten-auf``, ``data-anzahl``); without JavaScript it stays.

This module holds what every preview shares: the frame with Streamlit's look (:data:`PREVIEW_CSS`), the
sidebar's navigation (:func:`sidebar_html`, from :mod:`atlas.navigation`) and the removal. Pure, no Streamlit.
"""

from __future__ import annotations

import functools
import html
import json
import secrets

from atlas.navigation import NAVIGATION, NavGroup

#: The element every preview lives in.
PREVIEW_ID = "atlas-vorschau"

#: The request header the server's own warm-up visits send (value: :func:`warm_up_token`); a page's map seen
#: in such a visit becomes that address's preview (:mod:`atlas.map_preview`).
WARM_UP_HEADER = "X-Standortatlas-Vorwaermen"


@functools.cache
def warm_up_token() -> str:
    """A secret of this server process marking its own warm-up visits (new with every start, never sent to
    a browser)."""
    return secrets.token_urlsafe(24)

#: The preview's look: Streamlit's light theme as the atlas configures it (font, sizes, the sidebar's grey and
#: width, the wide layout's margins; measured against Streamlit's page at 1366 and 390 px), so that the change
#: to Streamlit's own page is hardly seen.
PREVIEW_CSS = f"""
#{PREVIEW_ID}{{position:fixed;inset:0;z-index:999990;display:flex;align-items:flex-start;background:#fff;
  overflow:auto;color:#1b1d24;font-family:"Source Sans","Source Sans Pro",sans-serif;font-size:16px;line-height:1.6}}
#{PREVIEW_ID} a.av-link{{color:inherit;text-decoration:none;display:flex;align-items:center;min-height:44px;
  margin:0 0 8px;padding:0 .5rem 0 2.5rem;border-radius:.5rem;box-sizing:border-box;font-size:14px}}
#{PREVIEW_ID} a.av-link:hover{{background:rgba(151,166,195,.15)}}
#{PREVIEW_ID} a:focus-visible{{outline:3px solid #1f5f8b;outline-offset:2px}}
#{PREVIEW_ID} .av-side{{display:none;flex:0 0 300px;box-sizing:border-box;padding:72px 30px 2rem;
  background:#f0f2f6;position:sticky;top:0;height:100vh;overflow:auto}}
#{PREVIEW_ID} .av-side p{{font-size:15.2px;font-weight:700;line-height:24px;margin:25px 0 14px}}
#{PREVIEW_ID} .av-main{{flex:1 1 auto;min-width:0;box-sizing:border-box;padding:8rem 1rem 4rem}}
#{PREVIEW_ID} h1{{font-size:2.75rem;font-weight:700;line-height:1.2;margin:0;padding:1.25rem 0 1rem}}
#{PREVIEW_ID} h2{{font-size:1.75rem;font-weight:600;line-height:1.2;margin:0;padding:.875rem 0}}
#{PREVIEW_ID} p{{margin:0 0 1rem}}
#{PREVIEW_ID} .av-small{{font-size:14px;color:#595959}}
@media (min-width:768px){{#{PREVIEW_ID} .av-side{{display:block}}#{PREVIEW_ID} .av-main{{padding:8rem 5rem 4rem}}}}
"""

#: Removes the preview once Streamlit shows the page itself: a heading in its main area and at least
#: ``data-anzahl`` elements matching ``data-warten-auf`` – frames (same origin) count only once their page
#: holds an element matching ``data-im-rahmen`` (a map frame that has drawn its map; then no heading is
#: needed: the Sitzungsmodus has none, and a page's map comes after its heading). A page that ends without
#: them (an error message instead of the page, another answer than the preview's) is shown too: when
#: Streamlit's script has finished and its page has kept elements for 1.5 s (5 s while a frame is there that
#: has not drawn yet). Checked on every change of Streamlit's page and twice a second. No ``//`` comments.
REMOVE_SCRIPT = f"""<script>(function () {{
  var shell = document.getElementById({json.dumps(PREVIEW_ID)});
  if (!shell) {{ return; }}
  var jump = shell.getAttribute('data-springen'), target = jump && shell.querySelector(jump);
  if (target) {{ shell.scrollTop = Math.max(0, target.offsetTop - 64); }}
  var wanted = shell.getAttribute('data-warten-auf') || 'h1', count = Number(shell.getAttribute('data-anzahl')) || 0;
  var inside = shell.getAttribute('data-im-rahmen');
  var since = 0, timer = 0, observer = null;
  function drawn(el) {{
    if (!inside) {{ return true; }}
    try {{ return !!(el.contentDocument && el.contentDocument.querySelector(inside)); }} catch (e) {{ return false; }}
  }}
  function shown() {{
    var main = document.querySelector('[data-testid="stMain"]');
    if (!main) {{ return false; }}
    var found = Array.prototype.filter.call(main.querySelectorAll(wanted), drawn);
    if ((inside || main.querySelector('h1')) && found.length >= count) {{ return true; }}
    var app = document.querySelector('[data-testid="stApp"]');
    var ended = app && app.getAttribute('data-test-script-state') === 'notRunning'
      && main.querySelector('[data-testid="stElementContainer"]');
    if (!ended) {{ since = 0; return false; }}
    since = since || Date.now();
    return Date.now() - since > (inside && main.querySelector(wanted) ? 5000 : 1500);
  }}
  function check() {{
    if (!shown()) {{ return; }}
    if (observer) {{ observer.disconnect(); }}
    clearInterval(timer);
    shell.remove();
  }}
  observer = new MutationObserver(check);
  observer.observe(document.getElementById('root') || document.body, {{childList: true, subtree: true}});
  timer = setInterval(check, 500);
}})();</script>"""


def link_html(base_path: str, url_path: str, label: str) -> str:
    """A plain link to a page below the app's *base_path* (``""`` or ``"/atlas"``), drawn like Streamlit's
    page links (44 px high)."""
    href = html.escape(f"{base_path.rstrip('/')}/{url_path}", quote=True)
    return f'<a class="av-link" href="{href}">{html.escape(label)}</a>'


def sidebar_html(base_path: str, groups: tuple[NavGroup, ...] = NAVIGATION) -> str:
    """The sidebar's navigation as plain links (shown from 768 px, where Streamlit shows its sidebar open)."""
    parts = ['<nav class="av-side" aria-label="Seiten">']
    for group in groups:
        if group.label:
            parts.append(f"<p>{html.escape(group.label)}</p>")
        parts.extend(link_html(base_path, p.url_path, p.title) for p in group.pages)
    parts.append("</nav>")
    return "".join(parts)


def preview_frame(main_html: str, *, base_path: str, wait_for: str, count: int, css: str = "",
                  lang: str = "de", jump_to: str = "", inside: str = "", sidebar: bool = True) -> str:
    """*main_html* (already escaped) in the preview's frame with the sidebar (unless not *sidebar*: a page
    with a frame of its own), its style (plus *css*) and, last,
    :data:`REMOVE_SCRIPT`, which waits for *count* elements matching *wait_for* in Streamlit's page (frames:
    once their page holds an element matching *inside*) and first scrolls the preview to the element *jump_to*
    (a selector; as the page itself scrolls to its results)."""
    attrs = f' data-springen="{html.escape(jump_to, quote=True)}"' if jump_to else ""
    attrs += f' data-im-rahmen="{html.escape(inside, quote=True)}"' if inside else ""
    return (f"<style>{PREVIEW_CSS}{css}</style>"
            f'<div id="{PREVIEW_ID}" lang="{html.escape(lang, quote=True)}"{attrs} '
            f'data-warten-auf="{html.escape(wait_for, quote=True)}" data-anzahl="{int(count)}">'
            f'{sidebar_html(base_path) if sidebar else ""}<div class="av-main">{main_html}</div></div>{REMOVE_SCRIPT}')
