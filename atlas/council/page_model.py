"""View-model helpers of the council pages (Sozialraumprofil, Indikatoren, Sitzungsmodus), without Streamlit."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

import pandas as pd


def default_gemeinde(gemeinden: pd.DataFrame) -> str:
    """The Gemeinde a page opens with when the address names none: the most populous one (ties by key).

    Derived from the data, so the atlas works for any Kreis."""
    frame = gemeinden.assign(_ags=gemeinden["ags"].astype(str),
                             _ew=pd.to_numeric(gemeinden["einwohner"], errors="coerce").fillna(-1))
    return str(frame.sort_values(["_ew", "_ags"], ascending=[False, True]).iloc[0]["_ags"])


def choose_gemeinde(wanted: str | None, names: Mapping[str, str], default: str) -> tuple[str, str | None]:
    """The Gemeinde to show for the address value *wanted* (key), with a German warning if it is unknown."""
    if wanted is None:
        return default, None
    if wanted in names:
        return wanted, None
    return default, f"Unbekannter Gemeindeschlüssel „{wanted}“ in der Adresse; gezeigt wird {names[default]}."


_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


def data_date(stands: Iterable[str]) -> str | None:
    """The data's date: the newest full date (TT.MM.JJJJ) among the sources' ``stand`` texts – not the
    day the atlas was built. None when no source names a full date."""
    found: list[dt.date] = []
    for text in stands:
        for day, month, year in _DATE.findall(str(text)):
            try:
                found.append(dt.date(int(year), int(month), int(day)))
            except ValueError:
                continue
    return max(found).strftime("%d.%m.%Y") if found else None


def local_time(iso: str, zone: str = "Europe/Berlin") -> str:
    """An ISO timestamp (UTC if it has no zone) as local German time: ``01.12.2026, 13:05 Uhr``."""
    stamp = dt.datetime.fromisoformat(iso)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.astimezone(ZoneInfo(zone)).strftime("%d.%m.%Y, %H:%M Uhr")
