"""Text safety in one place: register and user texts shown as text only, safe links, and spreadsheet cells
that cannot run as formulas.

Every text that comes from the register, an import, a report form or a source file is *data*: it must
never become Markdown, HTML, a link, or a spreadsheet formula.

* :func:`plain_text` – removes characters that have no business in a register text: C0/C1 control
  characters (NUL included), zero-width characters and Unicode bidi controls (which can make text read
  differently from what is stored, "Trojan Source"). Line breaks and tabs become plain spaces on request.
* :func:`text_html` – a text as *text only* inside an HTML element that Streamlit's ``st.markdown`` (with
  ``unsafe_allow_html``), a card, a popup or a print list renders: HTML specials escaped, control/bidi
  characters removed, and every line break turned into ``<br>``. The last point is what makes it text
  only: Markdown treats an HTML block as raw HTML *until the first blank line*; a register text with a blank
  line ended the block and everything after it – images from foreign servers, links, headings – was
  rendered as Markdown (the attack on the family page). Without line breaks the block never ends.
* :func:`markdown_text` – a text for plain Markdown (``st.markdown``/``st.caption`` without HTML): every
  Markdown and Streamlit special escaped (:func:`atlas._helpers.escape_markdown`), colons too (no
  auto-links, no ``:material/…:`` or ``:red[…]`` directives), on one line.
* :func:`safe_url` – an ``http(s)`` URL for a value, or None (``javascript:`` and the like are refused).
* :func:`neutralise_cell` / :func:`restore_cell` – spreadsheet formula injection (CSV/XLSX exports): as the
  OWASP "CSV Injection" page recommends, a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return gets a leading apostrophe, so Excel and LibreOffice show it as text. Numbers (int/float)
  stay numbers. A text already starting with an apostrophe followed by one of these characters gets one
  more, so that :func:`restore_cell` (used by the register import) gives back exactly the stored text: the
  register's own export imports unchanged.
* :func:`xlsx_bytes` – a table as an XLSX file (openpyxl) with every text cell neutralised *and* typed as
  text (openpyxl would otherwise store a string starting with ``=`` as a formula).
"""

from __future__ import annotations

import html
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence

import pandas as pd

__all__ = [
    "FORMULA_TRIGGERS", "first_invisible_control", "has_invisible_controls", "markdown_text", "neutralise_cell", "neutralise_frame",
    "plain_text", "restore_cell", "safe_url", "text_html", "xlsx_bytes",
]

_URL = re.compile(r"^(https?://)?([a-z0-9-]+\.)+[a-z]{2,}(/[^\s<>\"']*)?$", re.IGNORECASE)

#: Zero-width characters and bidi controls (Unicode "Cf" characters that change how text reads).
INVISIBLE_CONTROLS = frozenset(
    "\u200b\u200c\u200d\u200e\u200f"          # zero width space / non-joiner / joiner, LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"          # LRE, RLE, PDF, LRO, RLO
    "\u2060\u2061\u2062\u2063\u2064"          # word joiner, invisible operators
    "\u2066\u2067\u2068\u2069"                # LRI, RLI, FSI, PDI
    "\ufeff\u061c\u180e"                      # BOM / zero width no-break space, ALM, Mongolian vowel sep.
)
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\u0085\u2028\u2029\x0b\x0c]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")

#: First characters that make a spreadsheet cell a formula (OWASP CSV Injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def has_invisible_controls(text: str) -> bool:
    """True when *text* contains a control, zero-width or bidi character (see :func:`plain_text`)."""
    return first_invisible_control(text) is not None


def first_invisible_control(text: str) -> str | None:
    """The first control, zero-width or bidi character of *text* as ``U+XXXX``, or None."""
    for ch in text:
        if ch in INVISIBLE_CONTROLS or _CONTROL.match(ch):
            return f"U+{ord(ch):04X}"
    return None


def plain_text(value: object, *, single_line: bool = False) -> str:
    """*value* as text without control, zero-width and bidi characters (NFC-normalised). None/NaN → ''.
    With *single_line*, line breaks and tabs become spaces."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = _CONTROL.sub("", text)
    text = "".join(ch for ch in text if ch not in INVISIBLE_CONTROLS)
    if single_line:
        text = _LINE_BREAKS.sub(" ", text).replace("\t", " ")
    return text


def text_html(value: object) -> str:
    """*value* as text only inside an HTML element (see module docstring). None/NaN → ''."""
    text = plain_text(value).strip()
    if not text:
        return ""
    escaped = html.escape(text, quote=True).replace("\t", " ")
    return _LINE_BREAKS.sub("<br>", escaped)


def markdown_text(value: object) -> str:
    """*value* as text only in Markdown (see module docstring). None/NaN → ''."""
    from atlas._helpers import escape_markdown

    text = " ".join(plain_text(value, single_line=True).split())
    return escape_markdown(text).replace(":", "\\:")


def safe_url(value: str) -> str | None:
    """An ``http(s)`` URL for *value*, or None when it is not a plain web address (e.g. ``javascript:``)."""
    text = str(value).strip()
    if not text or not _URL.match(text):
        return None
    return text if text.lower().startswith(("http://", "https://")) else f"https://{text}"


# ------------------------------------------------------------------------------------ spreadsheets

def neutralise_cell(value: object) -> object:
    """A cell for a CSV/XLSX export: text starting with a formula character gets a leading apostrophe;
    numbers, booleans and None pass unchanged (see module docstring)."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(FORMULA_TRIGGERS) or (value.startswith("'") and value[1:2] and value[1] in FORMULA_TRIGGERS):
        return "'" + value
    return value


def restore_cell(value: object) -> object:
    """Undo :func:`neutralise_cell` for a cell read from an import file."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and (
            value[1] in FORMULA_TRIGGERS or (value[1] == "'" and value[2:3] and value[2] in FORMULA_TRIGGERS)):
        return value[1:]
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of *frame* with every text cell neutralised (numeric columns unchanged)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_cell).astype(object)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[object]], sheet: str = "Tabelle") -> bytes:
    """An XLSX file (openpyxl, write-only) with *header* and *rows*; text cells neutralised and typed as
    text, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])

    def cell(value: object) -> WriteOnlyCell:
        value = neutralise_cell(plain_text(value) if isinstance(value, str) else value)
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # never a formula
        return c

    ws.append([cell(h) for h in header])
    for row in rows:
        ws.append([cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[a-z]{2,}$", re.IGNORECASE)
_PHONE = re.compile(r"^[+0-9 ()/\-]{5,}$")


def contact_html(value: object, kind: str = "text") -> str:
    """One text value as escaped HTML; links only for values that pass the checks: ``tel:`` for
    ``kind="telefon"``, ``mailto:`` for ``"email"``, http(s) via :func:`safe_url` for ``"link"`` (several
    separated by " ; "). Here, not in :mod:`atlas.mapview`, so text-only pages (the family result cards)
    need no map library; :func:`atlas.mapview.field_html` adds number formatting on top."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).strip()
    if not text:
        return ""
    escaped = text_html(text)  # text only: escaped, no line breaks
    if kind == "telefon" and _PHONE.match(text):
        number = re.sub(r"[^+0-9]", "", text)
        return f'<a href="tel:{number}">{escaped}</a>'
    if kind == "email" and _EMAIL.match(text):
        return f'<a href="mailto:{html.escape(text, quote=True)}">{escaped}</a>'
    if kind == "link":
        links = []
        for part in (p.strip() for p in text.split(" ; ")):
            url = safe_url(part)
            label = text_html(part if len(part) <= 60 else part[:57] + "…")
            links.append(f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener noreferrer">'
                         f"{label}</a>" if url else label)
        return "<br>".join(links)
    return escaped
