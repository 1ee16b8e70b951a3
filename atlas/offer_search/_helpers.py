"""Private helpers of :mod:`atlas.offer_search`: YAML loading with German errors, cleaning user text."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from atlas._helpers import escape_markdown as _escape_markdown
from atlas.datafile import read_yaml
from atlas.errors import CatalogueError

#: Longest place query that is looked up; longer input is cut (and the page says so).
MAX_QUERY_CHARS = 100

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def load_yaml(path: Path, top_key: str) -> Any:
    """Read *path* (through :func:`atlas.datafile.read_yaml`) and return its ``top_key`` entry;
    :class:`CatalogueError` (German) when broken."""
    content = read_yaml(path, error=CatalogueError)
    if not isinstance(content, dict) or top_key not in content:
        raise CatalogueError(f"{path.name}: der Eintrag '{top_key}:' fehlt.")
    return content[top_key]


def compile_patterns(patterns: object, where: str) -> tuple[re.Pattern[str], ...]:
    """Compile a list of regular expressions (case-insensitive); German error naming *where*."""
    if patterns is None:
        return ()
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise CatalogueError(f"{where}: muss eine Liste von Texten sein.")
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern, re.IGNORECASE))
        except re.error as exc:
            raise CatalogueError(f"{where}: das Muster {pattern!r} ist kein gültiger regulärer Ausdruck ({exc}).") from exc
    return tuple(compiled)


def bilingual(value: object, where: str) -> dict[str, str]:
    """A ``{de: ..., en: ...}`` label; both languages are required."""
    if not isinstance(value, dict) or not all(isinstance(value.get(k), str) and value[k].strip() for k in ("de", "en")):
        raise CatalogueError(f"{where}: braucht einen deutschen und einen englischen Text (de: …, en: …).")
    return {"de": value["de"].strip(), "en": value["en"].strip()}


def clean_query(text: object) -> tuple[str, bool]:
    """User input made safe to process: control characters removed, whitespace collapsed, at most
    :data:`MAX_QUERY_CHARS` characters. Returns ``(text, was_cut)``. Nothing is logged or stored."""
    if text is None:
        return "", False
    value = unicodedata.normalize("NFC", str(text))
    value = _CONTROL.sub(" ", value)
    value = " ".join(value.split())
    if len(value) > MAX_QUERY_CHARS:
        return value[:MAX_QUERY_CHARS].rstrip(), True
    return value, False


def escape_markdown(text: str) -> str:
    """Escape Markdown and HTML specials so user text shows literally in Streamlit Markdown; colons too,
    so that typed or register text never turns into an automatic link."""
    return _escape_markdown(text).replace(":", "\\:")
