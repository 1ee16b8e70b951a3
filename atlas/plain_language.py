"""Leichte Sprache for the family page (issue 15): a plain-language version of its texts, kept as data.

``geodata/angebote_finden_leichte_sprache.yaml`` holds plain-language versions of the page's German texts,
under the same keys as ``angebote_finden_texte.yaml``. :class:`PlainTexts` behaves like the German
:class:`~atlas.offer_search.i18n.Texts` (German numbers, German labels for topics) but takes a text from the
plain-language file when it has one. Keys that the file does not have stay in standard German, so the
file can grow text by text. Loading checks that every key exists in the main table and that a plain text
uses no placeholder that the German text does not fill (German errors naming the file and key).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from atlas import settings
from atlas.errors import CatalogueError
from atlas.offer_search.i18n import Texts, load_texts

PLAIN_FILE: Path = settings.GEODATA_DIR / "angebote_finden_leichte_sprache.yaml"


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@lru_cache(maxsize=4)
def load_plain_texts(path: Path = PLAIN_FILE) -> dict[str, str]:
    """key → plain-language text, checked against the page's German texts."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CatalogueError(f"Die Datei {path.name} fehlt ({path}).") from exc
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path.name} ist kein gültiges YAML: {exc}") from exc
    entries = content.get("leichte_sprache") if isinstance(content, dict) else None
    if not isinstance(entries, dict):
        raise CatalogueError(f"{path.name}: der Eintrag 'leichte_sprache:' fehlt oder ist keine Zuordnung.")
    german = load_texts()
    table: dict[str, str] = {}
    for key, text in entries.items():
        if key not in german:
            raise CatalogueError(f"{path.name}, Text '{key}': diesen Schlüssel gibt es in der Seite nicht.")
        if not isinstance(text, str) or not text.strip():
            raise CatalogueError(f"{path.name}, Text '{key}': braucht einen Text.")
        extra = _placeholders(text) - _placeholders(german[key]["de"])
        if extra:
            raise CatalogueError(f"{path.name}, Text '{key}': unbekannte Platzhalter {sorted(extra)}.")
        table[str(key)] = text.strip()
    return table


@dataclass(frozen=True)
class PlainTexts(Texts):
    """German texts in Leichte Sprache where available, else standard German (numbers as in German)."""

    lang: str = "de"

    def __call__(self, key: str, **values: object) -> str:
        plain = load_plain_texts().get(key)
        if plain is None:
            return super().__call__(key, **values)
        return plain.format(**values) if values else plain
