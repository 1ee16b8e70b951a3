"""View-model helpers of the council pages (Sozialraumprofil, Indikatoren, Sitzungsmodus), without Streamlit."""

from __future__ import annotations

from collections.abc import Mapping

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
