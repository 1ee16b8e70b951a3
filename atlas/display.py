"""Tables for people: numbers in German notation (1.234,5), missing values spelt out.

Streamlit's table widget formats numbers with the browser's locale (often English: 4.0404); pages pass
their tables through :func:`german_frame` so that every figure reads the same way as in the maps and
metrics. Integer columns such as ranks stay numeric, so tables remain sortable by rank.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import partial

import numpy as np
import pandas as pd

MISSING = "–"
NO_DATA_LABEL = "keine Angabe"


def format_number(value: float | int | None, decimals: int | None = None) -> str:
    """German number format: 1.234,5 (thousands dot, decimal comma)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_DATA_LABEL
    if decimals is None:
        magnitude = abs(float(value))
        decimals = 0 if magnitude >= 100 or float(value).is_integer() else (1 if magnitude >= 10 else 2)
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def german_number(value: object, decimals: int | None = None) -> str:
    """One value in German notation; '–' for missing values; text passes through unchanged."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return "ja" if value else "nein"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return format_number(float(value), decimals)
    return str(value)


def german_frame(frame: pd.DataFrame, decimals: Mapping[str, int] | None = None,
                 keep_numeric: tuple[str, ...] = ("Rang", "von", "Nr.")) -> pd.DataFrame:
    """A copy of *frame* whose float columns (and integer columns ≥ 10,000) are German-formatted text.

    *decimals* fixes the number of decimals per column; otherwise it follows :func:`format_number`
    (0 from 100 on, 1 from 10 on, else 2). Columns named in *keep_numeric* stay numbers.
    """
    decimals = dict(decimals or {})
    out = frame.copy()
    for column in out.columns:
        if column in keep_numeric:
            continue
        series = out[column]
        if pd.api.types.is_bool_dtype(series):
            out[column] = series.map(lambda v: german_number(v))
        elif pd.api.types.is_float_dtype(series) or (
                pd.api.types.is_integer_dtype(series) and series.abs().max() >= 10_000) or column in decimals:
            out[column] = series.map(partial(german_number, decimals=decimals.get(column)))
        elif pd.api.types.is_object_dtype(series) and series.map(lambda v: isinstance(v, float)).any():
            out[column] = series.map(partial(german_number, decimals=decimals.get(column)))
    return out
