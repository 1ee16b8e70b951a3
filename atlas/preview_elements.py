"""Streamlit's elements as plain HTML, for a page's preview in the server's first answer (:mod:`atlas.map_preview`).

What a page shows above its map – captions, notices, a row of controls, key figures, a tab bar – is drawn here
with the sizes, margins and colours of Streamlit's elements in the atlas's light theme (measured against
Streamlit's page at 1366 and 390 px: 16 px between elements, columns as ``st.columns`` sizes them and stacked
below 640 px), so that it takes the same room and the map is where Streamlit's page will show it. The page
notes what it draws (``pages/_map_preview.Above``) and the same texts come here: Markdown is rendered with
markdown-it-py (CommonMark, raw HTML escaped), as Streamlit's frontend renders it for these texts (bold,
emphasis, links, escapes). They are not controls yet: they work once Streamlit's page is there.
Pure, no Streamlit.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt

from atlas.page_preview import PREVIEW_ID

#: The elements' look (paragraphs inside the preview's frame, whose own rule for ``p`` they override).
ELEMENTS_CSS = f"""
.av-vorspann{{font-size:14px;line-height:1.6;color:#595959;margin:0 0 1rem}}
.av-hinweis{{box-sizing:border-box;padding:16px;border-radius:8px;font-size:16px;line-height:24px;margin:0 0 1rem}}
#{PREVIEW_ID} .av-vorspann>p:last-child,#{PREVIEW_ID} .av-hinweis>p:last-child{{margin:0}}
.av-hinweis strong,.av-vorspann strong{{font-weight:600}}
.av-info{{background:#edf5ff;color:#244fb4}}.av-warning{{background:#fffce7;color:#926c05}}
.av-success{{background:#dff5e6;color:#177233}}.av-error{{background:#ffecec;color:#7d353b}}
.av-felder{{display:flex;gap:1rem;margin:0 0 1rem}}
.av-felder>div{{min-width:0}}
.av-feld{{height:68px;font-size:14px}}
.av-feld>span{{display:block;height:24px;line-height:24px;margin:0 0 4px}}
.av-feld>div{{height:40px;line-height:38px;box-sizing:border-box;border:1px solid #f0f2f6;border-radius:.5rem;
  background:#f0f2f6;padding:0 .75rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;font-size:16px}}
.av-unten{{align-items:flex-end}}.av-unten>.av-vorspann{{margin:0}}
.av-knopfspalte>span{{display:flex;align-items:center;justify-content:center;box-sizing:border-box;height:40px;
  border:1px solid rgba(47,45,43,.2);border-radius:8px;padding:4px 12px;font-size:14px;color:rgba(47,45,43,.4);
  white-space:nowrap;overflow:hidden}}
.av-kennzahlen{{display:flex;gap:1rem;margin:0 0 1rem}}.av-kennzahlen>div{{min-width:0}}
.av-kennzahlen span{{display:block;height:24px;line-height:24px;font-size:14px;color:#595959;white-space:nowrap;
  overflow:hidden;text-overflow:ellipsis}}
.av-kennzahlen strong{{display:block;height:52px;box-sizing:border-box;padding:0 0 4px;font-size:36px;
  line-height:48px;font-weight:400;white-space:nowrap}}
.av-kennzahlen em{{display:block;font-style:normal;font-size:14px}}
.av-reiter{{display:flex;gap:1rem;height:40px;box-sizing:border-box;margin:0 0 1rem;border-bottom:1px solid #e6e9ef;font-size:14px;
  line-height:40px;white-space:nowrap;overflow:hidden}}
.av-reiter>span:first-child{{color:#1f5f8b;border-bottom:2px solid #1f5f8b}}
@media (max-width:640px){{.av-felder,.av-kennzahlen{{flex-direction:column;align-items:stretch}}
  .av-felder>div,.av-kennzahlen>div{{flex-basis:auto!important}}}}
"""

#: Streamlit's alert kinds (``st.info`` …) and the class of each in the preview.
ALERT_KINDS = ("info", "warning", "success", "error")


@functools.cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False})


def markdown_html(text: str) -> str:
    """*text* (Markdown, as given to ``st.markdown``/``st.caption``) as HTML; raw HTML in it is escaped."""
    return _markdown().render(text).strip()


def column_style(weight: float, weights: Sequence[float]) -> str:
    """A column's width as ``st.columns`` gives it: ``flex: 1 1 calc(share - gap)`` (then the room left is
    shared equally)."""
    share = 100 * weight / (sum(weights) or 1.0)
    return f"flex:1 1 calc({share:.4f}% - 1rem)"


@dataclass(frozen=True)
class Caption:
    """``st.caption(text)``."""

    text: str


@dataclass(frozen=True)
class Alert:
    """``st.info(text)`` (*kind*: one of :data:`ALERT_KINDS`)."""

    kind: str
    text: str


@dataclass(frozen=True)
class Metrics:
    """A row of ``st.metric`` in equal columns: (label, value, change or None) each."""

    figures: tuple[tuple[str, str, str | None], ...]


@dataclass(frozen=True)
class Tabs:
    """``st.tabs(labels)``, the first tab open (what follows is its content)."""

    labels: tuple[str, ...]


@dataclass(frozen=True)
class CaptionButton:
    """A caption beside a button, in ``st.columns(weights, vertical_alignment="bottom")``."""

    text: str
    button: str
    weights: tuple[float, float] = (3, 1)


Block = Caption | Alert | Metrics | Tabs | CaptionButton


def fields_html(fields: Sequence[tuple[str, str, float]]) -> str:
    """A row of controls as they will look (label, the value shown, column weight as in ``st.columns``;
    stacked on a phone as Streamlit stacks columns), with the heights of Streamlit's select boxes."""
    weights = [w for _, _, w in fields]
    row = "".join(f'<div class="av-feld" style="{column_style(weight, weights)}"><span>{html.escape(label)}</span>'
                  f"<div>{html.escape(value)}</div></div>" for label, value, weight in fields)
    return f'<div class="av-felder">{row}</div>' if fields else ""


def metrics_html(figures: Sequence[tuple[str, str, str | None]]) -> str:
    """Key figures as ``st.metric`` in equal columns (label, value, change or None)."""
    cells = "".join(
        f'<div style="{column_style(1, [1] * len(figures))}"><span>{html.escape(label)}</span>'
        f"<strong>{html.escape(value)}</strong>" + (f"<em>{html.escape(delta)}</em>" if delta else "") + "</div>"
        for label, value, delta in figures)
    return f'<div class="av-kennzahlen">{cells}</div>' if figures else ""


def tabs_html(labels: Sequence[str]) -> str:
    """A tab bar, the first tab open."""
    return '<div class="av-reiter">' + "".join(f"<span>{html.escape(t)}</span>" for t in labels) + "</div>"


def block_html(block: Block) -> str:
    """One noted element as HTML."""
    if isinstance(block, Tabs):
        return tabs_html(block.labels)
    if isinstance(block, CaptionButton):
        return (f'<div class="av-felder av-unten"><div class="av-vorspann" style="{column_style(block.weights[0], block.weights)}">'
                f'{markdown_html(block.text)}</div><div class="av-knopfspalte" style="{column_style(block.weights[1], block.weights)}">'
                f"<span>{html.escape(block.button)}</span></div></div>")
    if isinstance(block, Caption):
        return f'<div class="av-vorspann">{markdown_html(block.text)}</div>'
    if isinstance(block, Alert):
        kind = block.kind if block.kind in ALERT_KINDS else "info"
        return f'<div class="av-hinweis av-{kind}">{markdown_html(block.text)}</div>'
    return metrics_html(block.figures)


def blocks_html(blocks: Sequence[Block]) -> str:
    """Noted elements, in the page's order."""
    return "".join(block_html(b) for b in blocks)


def lead_html(caption: str, fields: Sequence[tuple[str, str, float]], tabs: Sequence[str]) -> str:
    """What a page shows between its title and its map: a caption (plain text), a row of controls (label, the
    value shown, column weight as in ``st.columns``) and a tab bar, the first tab open."""
    return (f'<p class="av-vorspann">{html.escape(caption)}</p>' if caption else "") + fields_html(fields) + \
        (tabs_html(tabs) if tabs else "")
