"""Small private helpers of :mod:`atlas.council`."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from atlas.choropleth import format_number
from atlas.indicators import Indicator
from atlas.sources import attribution_texts, load_sources

_GERMAN = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+),\d+$")
_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def is_missing(value: object) -> bool:
    """True for None and NaN."""
    return value is None or (isinstance(value, float | np.floating) and math.isnan(float(value)))


def numeric(series: pd.Series) -> pd.Series:
    """*series* as float, anything not numeric as NaN."""
    return pd.to_numeric(series, errors="coerce").astype(float)


def value_text(value: object, indicator: Indicator | None = None) -> str:
    """A value in German number format with the (verified) unit."""
    if is_missing(value):
        return format_number(None)
    text = format_number(float(value))  # type: ignore[arg-type]
    if indicator is not None and indicator.einheit_geprueft:
        return f"{text} {indicator.einheit}"
    return text


def parse_german_number(text: str) -> float:
    """German or plain number text → float; ``ValueError`` with a German message otherwise.

    '7,25' → 7.25; '1.234,5' → 1234.5; '2.500' → 2500 (dot before exactly three digits, no comma:
    thousands, as written in German); '0.5' and '2.75' → decimal point.
    """
    raw = text.strip().replace("\u2009", "").replace(" ", "")
    if not raw:
        raise ValueError("Leere Angabe ist keine Zahl.")
    if "," in raw:
        if not _GERMAN.match(raw):
            raise ValueError(f"'{text.strip()}' ist keine Zahl.")
        return float(raw.replace(".", "").replace(",", "."))
    if _THOUSANDS.match(raw):
        return float(raw.replace(".", ""))
    if not _PLAIN.match(raw):
        raise ValueError(f"'{text.strip()}' ist keine Zahl.")
    return float(raw)


def source_text(indicator: Indicator) -> str:
    """'Quelle: …, Bezugsjahr …, Gebietsstand …' – the line under every indicator map."""
    parts = [f"Quelle: {indicator.quelle}"]
    if indicator.bezugsjahr:
        parts.append(f"Bezugsjahr {indicator.bezugsjahr}")
    if indicator.gebietsstand:
        parts.append(f"Gebietsstand {indicator.gebietsstand}")
    if indicator.ebene == "gemeindeverband":
        parts.append("Wert des Gemeindeverbands")
    if not indicator.einheit_geprueft:
        parts.append("Einheit nicht geprüft")
    return ", ".join(parts)


def attribution_for(keys: list[str]) -> list[str]:
    """Attribution texts (deduplicated) of the given source keys (:func:`atlas.sources.attribution_texts`)."""
    return attribution_texts(keys)


def indicator_source_keys(indicator: Indicator) -> list[str]:
    """Source keys whose file is the indicator's file (empty for values our build computes)."""
    if not indicator.datei:
        return ["zensus_gemeinden", "raster_1km"] if indicator.id.startswith(("anteil", "einw")) else \
            ["zensus_gemeinden"]
    return [key for key, src in load_sources().items() if src.datei == indicator.datei]
