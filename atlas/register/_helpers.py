"""Small private helpers of the register package."""

from __future__ import annotations

import math
from datetime import datetime, timezone

from atlas._helpers import is_blank, normalise_name


def now_iso() -> str:
    """Current time in UTC as ISO-8601 text (seconds)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def clean_text(value: object) -> str:
    """A cell as stripped text; None/NaN become ''. Numbers from spreadsheets lose a trailing '.0'."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def to_float(value: object) -> float | None:
    """A number from a cell ('10,45' and '10.45' both work); None for blank; ValueError for text."""
    if is_blank(value):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        number = float(str(value).strip().replace(",", "."))
    if not math.isfinite(number):
        raise ValueError("not finite")
    return number


def dedup_key(name: object, ort: object, handlungsfeld: object = "") -> tuple[str, str, str]:
    """Key for duplicate detection: folded name, Gemeinde and Handlungsfeld (the register lists one place
    once per Handlungsfeld it serves, e.g. a Mehrgenerationenhaus under 'Familie' and 'Alter')."""
    return (normalise_name(clean_text(name)), normalise_name(clean_text(ort)),
            normalise_name(clean_text(handlungsfeld)))


def name_tokens(name: str) -> set[str]:
    """Significant words of a folded name (stop words and very short words dropped)."""
    stop = {"der", "die", "das", "und", "im", "in", "am", "an", "zum", "zur", "des", "e", "v", "ev", "ggmbh",
            "gmbh", "fuer", "von", "mit"}
    return {w for w in normalise_name(name).split() if len(w) > 2 and w not in stop}
