"""German / English texts of the offer search, from a small translation table kept as data
(``geodata/angebote_finden_texte.yaml``), plus number formatting per language.

Plain German is the default; English is a switch. Register texts (names, opening hours, target groups)
are not translated – the page says so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from atlas import settings
from atlas.errors import CatalogueError
from atlas.offer_search._helpers import load_yaml

TEXTS_FILE: Path = settings.GEODATA_DIR / "angebote_finden_texte.yaml"
LANGUAGES = ("de", "en")
LANGUAGE_LABELS = {"de": "Deutsch", "en": "English"}


@lru_cache(maxsize=4)
def load_texts(path: Path = TEXTS_FILE) -> dict[str, dict[str, str]]:
    """key → {de, en}; every key needs both languages (German error naming the key)."""
    entries = load_yaml(path, "texte")
    if not isinstance(entries, dict):
        raise CatalogueError(f"{path.name}: 'texte' muss eine Zuordnung Schlüssel → {{de, en}} sein.")
    table: dict[str, dict[str, str]] = {}
    for key, value in entries.items():
        if not isinstance(value, dict) or any(not isinstance(value.get(lang), str) for lang in LANGUAGES):
            raise CatalogueError(f"{path.name}, Text '{key}': braucht 'de' und 'en'.")
        table[str(key)] = {lang: value[lang] for lang in LANGUAGES}
    return table


def check_language(lang: object) -> str:
    """*lang* if supported, else German."""
    return lang if lang in LANGUAGES else "de"  # type: ignore[return-value]


@dataclass(frozen=True)
class Texts:
    """Texts and number formats for one language."""

    lang: str = "de"

    def __call__(self, key: str, **values: object) -> str:
        entry = load_texts()[key]
        text = entry.get(self.lang) or entry["de"]
        return text.format(**values) if values else text

    def label(self, bilingual: Mapping[str, str]) -> str:
        """Pick the language from a ``{de, en}`` mapping (topics, target groups)."""
        return bilingual.get(self.lang) or bilingual.get("de", "")

    def number(self, value: float, decimals: int = 1) -> str:
        text = f"{value:,.{decimals}f}"
        if self.lang == "de":
            text = text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
        return text

    def km(self, metres: float) -> str:
        """``"ca. 2,7 km"``; under 1 km: ``"unter 1 km"``; from 10 km without decimals."""
        if metres < 1000:
            return self("unter_km")
        km = metres / 1000.0
        return self("km", ca=self("ca"), wert=self.number(km, 1 if km < 10 else 0))

    def minutes(self, minutes: float) -> str:
        """``"ca. 47 Min."``, ``"ca. 1 Std. 5 Min."``."""
        total = max(1, round(minutes))
        if total < 60:
            return self("min", ca=self("ca"), wert=total)
        return self("std_min", ca=self("ca"), h=total // 60, m=total % 60)

    def under_minutes(self, minutes: float) -> str:
        return self("unter_min", wert=max(1, math.ceil(minutes)))

    def yes_no(self, value: str) -> str:
        return {"ja": self("ja"), "nein": self("nein"), "teilweise": self("teilweise")}.get(value, value or "?")
