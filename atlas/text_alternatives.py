"""Text alternatives for maps (issue 15, WCAG 1.1.1 and 1.4.1): what a map shows, as words and tables.

A screen reader cannot read a Leaflet map, and a colour scale alone excludes people who cannot tell its
shades apart (or who look at a projector in a bright room). Every map of the atlas therefore comes with

- a short sentence (:func:`extremes_sentence`): "Höchster Wert: Oberhof 14,6 Minuten; niedrigster: …",
- a ranked table of the Gemeinden (:func:`ranked_table`), drawn as a real HTML table, and
- on choropleths the class number as a label in each Gemeinde (:func:`class_labels`), so that the
  legend can be read without comparing colours (Sitzungsmodus, PNG and PDF of the Sozialraumprofil).

Pure functions on plain sequences; no Streamlit, no folium (the map layer is built by the callers).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import pandas as pd

from atlas.display import format_number

NO_VALUE = "keine Angabe"


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def _with_unit(value: float, unit: str, decimals: int | None) -> str:
    text = format_number(value, decimals)
    return f"{text} {unit}".strip() if unit else text


def _names_and(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    if len(names) > 3:
        return f"{', '.join(names[:3])} und {len(names) - 3} weitere"
    return f"{', '.join(names[:-1])} und {names[-1]}"


@dataclass(frozen=True)
class Extremes:
    """Highest and lowest value with the places that have them (ties kept), and what is missing."""

    highest: float | None
    highest_names: tuple[str, ...]
    lowest: float | None
    lowest_names: tuple[str, ...]
    count: int
    missing: tuple[str, ...]


def extremes(names: Sequence[str], values: Sequence[object]) -> Extremes:
    """Highest and lowest of *values* (paired with *names*); places with missing values are listed."""
    if len(names) != len(values):
        raise ValueError("names und values müssen gleich lang sein.")
    pairs = [(str(n), float(cast(float, v))) for n, v in zip(names, values, strict=True) if not _is_missing(v)]
    missing = tuple(str(n) for n, v in zip(names, values, strict=True) if _is_missing(v))
    if not pairs:
        return Extremes(None, (), None, (), 0, missing)
    high = max(v for _, v in pairs)
    low = min(v for _, v in pairs)
    return Extremes(high, tuple(sorted(n for n, v in pairs if v == high)), low,
                    tuple(sorted(n for n, v in pairs if v == low)), len(pairs), missing)


def extremes_sentence(names: Sequence[str], values: Sequence[object], unit: str = "",
                      decimals: int | None = None, what: str = "") -> str:
    """One sentence for a screen reader: highest and lowest value with their places, and the gaps.

    >>> extremes_sentence(["Oberhof", "Meiningen", "Rhönblick"], [14.6, 2.05, None], "Minuten")
    'Höchster Wert: Oberhof 14,6 Minuten; niedrigster: Meiningen 2,05 Minuten (2 Gemeinden mit Wert; keine Angabe für Rhönblick).'
    """
    ext = extremes(names, values)
    prefix = f"{what}: " if what else ""
    if ext.highest is None:
        return f"{prefix}Für keine Gemeinde liegt ein Wert vor."
    parts = [f"Höchster Wert: {_names_and(ext.highest_names)} {_with_unit(ext.highest, unit, decimals)}"]
    if ext.count > 1 and ext.lowest != ext.highest:
        parts.append(f"niedrigster: {_names_and(ext.lowest_names)} {_with_unit(float(cast(float, ext.lowest)), unit, decimals)}")
    elif ext.count > 1:
        parts = [f"Alle Gemeinden haben denselben Wert: {_with_unit(ext.highest, unit, decimals)}"]
    tail = f"{ext.count} Gemeinde{'n' if ext.count != 1 else ''} mit Wert"
    if ext.missing:
        tail += f"; {NO_VALUE} für {_names_and(ext.missing)}"
    return f"{prefix}{'; '.join(parts)} ({tail})."


def ranked_table(names: Sequence[str], values: Sequence[object], unit: str = "", decimals: int | None = None,
                 value_label: str = "Wert", descending: bool = True) -> pd.DataFrame:
    """Gemeinden ranked by value (highest first unless *descending* is False), values as German text.

    Ties share a rank (1, 2, 2, 4); places without a value come last with rank "–" and "keine Angabe".
    The columns are text, so the table reads the same in a screen reader as on screen.
    """
    if len(names) != len(values):
        raise ValueError("names und values müssen gleich lang sein.")
    present = [(str(n), float(cast(float, v))) for n, v in zip(names, values, strict=True) if not _is_missing(v)]
    present.sort(key=lambda p: (-p[1] if descending else p[1], p[0]))
    rows = []
    rank = 0
    previous: float | None = None
    for i, (name, value) in enumerate(present, start=1):
        if value != previous:
            rank = i
            previous = value
        rows.append({"Rang": str(rank), "Gemeinde": name, value_label: _with_unit(value, unit, decimals)})
    for name, raw in zip(names, values, strict=True):
        if _is_missing(raw):
            rows.append({"Rang": "–", "Gemeinde": str(name), value_label: NO_VALUE})
    return pd.DataFrame(rows, columns=["Rang", "Gemeinde", value_label])


def class_labels(classes: Sequence[int | None]) -> list[str]:
    """The label written into each Gemeinde of a choropleth: its class number 1…k ('–' without value).

    The legend shows the same numbers next to the colours, so the map can be read without colours.
    """
    return ["–" if c is None else str(int(c) + 1) for c in classes]


def legend_with_numbers(labels: Sequence[str]) -> list[str]:
    """Legend texts prefixed with their class number: ``["1: bis 2,5", "2: 2,5 – 5", …]``."""
    return [f"{i}: {label}" for i, label in enumerate(labels, start=1)]
