"""Comparing Gemeinden: ranks among the Gemeinden, the Kreis value, side-by-side tables.

Ranks use competition ranking (ties share the best rank: 1, 2, 2, 4 – pandas ``rank(method="min")``).
Rank 1 is the *most favourable* value when the indicator's direction is known (highest for
"höher = besser", lowest for "höher = schlechter"); for neutral indicators rank 1 is simply the
highest value. Gemeinden without a value get no rank.

The Kreis value of a Gemeinde indicator is taken from the ``kreis`` layer when that layer has the
same column; otherwise it is *computed* and labelled as such: the sum for population counts, total
population over total area for densities, and the population-weighted mean of the Gemeinden with a
value (weights: Zensus 2022 population) for everything else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from atlas.council._helpers import is_missing, numeric
from atlas.indicators import Indicator

RANK_NOTE: dict[str, str] = {
    "hoeher_besser": "Rang 1 = höchster Wert (höher ist günstiger)",
    "hoeher_schlechter": "Rang 1 = niedrigster Wert (niedriger ist günstiger)",
    "neutral": "Rang 1 = höchster Wert (keine Wertung)",
}
#: Indicators that are population counts (Kreis value = sum) or densities (population / area).
SUM_IDS = frozenset({"einwohner", "einw_u15", "einw_15_64", "einw_65plus"})
DENSITY_IDS = frozenset({"dichte", "bev_dicht"})


def ranks(values: Sequence[float] | pd.Series, direction: str = "neutral") -> pd.Series:
    """Rank of each value (1 = most favourable, see module doc); ``<NA>`` for missing values."""
    series = numeric(pd.Series(values))
    ascending = direction == "hoeher_schlechter"
    return series.rank(method="min", ascending=ascending, na_option="keep").astype("Int64")


@dataclass(frozen=True)
class KreisWert:
    """The Kreis value of an indicator and how it was obtained."""

    wert: float | None
    berechnet: bool
    erlaeuterung: str

    @property
    def art(self) -> str:
        """Short label: 'Kreiswert (Daten)' or 'Kreiswert (berechnet)'."""
        return "Kreiswert (berechnet)" if self.berechnet else "Kreiswert (Daten)"


def kreis_value(gemeinden: pd.DataFrame, kreis: pd.DataFrame, indicator: Indicator) -> KreisWert:
    """The Kreis value of *indicator*: from the ``kreis`` layer if it has the column, else computed."""
    col = indicator.id
    if col in kreis.columns and len(kreis):
        value = pd.to_numeric(kreis[col], errors="coerce").iloc[0]
        if not is_missing(value):
            return KreisWert(float(value), False, f"Wert des Landkreises laut {indicator.quelle}")
    if col not in gemeinden.columns:
        return KreisWert(None, True, "Keine Werte vorhanden.")
    values = numeric(gemeinden[col])
    pop = numeric(gemeinden["einwohner"])
    have = values.notna() & pop.notna()
    missing = int((~have).sum())
    gap = f"; {missing} Gemeinde(n) ohne Angabe nicht berücksichtigt" if missing else ""
    if not have.any():
        return KreisWert(None, True, "Keine Gemeinde hat einen Wert.")
    if col in SUM_IDS:
        return KreisWert(float(values[have].sum()), True, f"berechnet: Summe der Gemeinden{gap}")
    if col in DENSITY_IDS and "flaeche_km2" in gemeinden.columns:
        area = numeric(gemeinden["flaeche_km2"])
        ok = have & area.notna()
        return KreisWert(float(pop[ok].sum() / area[ok].sum()), True,
                         f"berechnet: Einwohner (Zensus 2022) je km² Fläche aller Gemeinden{gap}")
    weights = pop[have]
    value = float(np.average(values[have], weights=weights))
    return KreisWert(value, True,
                     f"berechnet: bevölkerungsgewichtetes Mittel der {int(have.sum())} Gemeinden "
                     f"(Gewicht: Einwohner Zensus 2022){gap}")


def column_label(indicator: Indicator) -> str:
    """Column header with the unit when it is verified."""
    return f"{indicator.label} ({indicator.einheit})" if indicator.einheit_geprueft else indicator.label


def ranking_table(gemeinden: pd.DataFrame, indicators: Sequence[Indicator]) -> pd.DataFrame:
    """All Gemeinden with the value and rank of each indicator (numeric columns, sortable).

    Columns: ``Gemeinde``, ``Gemeindeschlüssel``, then per indicator its label and ``Rang: label``.
    """
    out = pd.DataFrame({"Gemeinde": gemeinden["name"].astype(str).to_numpy(),
                        "Gemeindeschlüssel": gemeinden["ags"].astype(str).to_numpy()})
    for ind in indicators:
        values = numeric(gemeinden[ind.id]).to_numpy()
        out[column_label(ind)] = values
        out[f"Rang: {ind.label}"] = ranks(values, ind.richtung).array
    return out


def compare_pair(gemeinden: pd.DataFrame, first: Indicator, second: Indicator) -> pd.DataFrame:
    """Both indicators side by side for every Gemeinde, with ranks (sorted by the first rank)."""
    table = ranking_table(gemeinden, [first, second])
    return table.sort_values(f"Rang: {first.label}", na_position="last", kind="stable").reset_index(drop=True)


def rank_correlation(gemeinden: pd.DataFrame, first: Indicator, second: Indicator) -> tuple[float | None, int]:
    """Spearman rank correlation of the two indicators over the Gemeinden with both values, and n."""
    a, b = numeric(gemeinden[first.id]), numeric(gemeinden[second.id])
    both = a.notna() & b.notna()
    n = int(both.sum())
    if n < 3 or a[both].nunique() < 2 or b[both].nunique() < 2:
        return None, n
    return float(a[both].corr(b[both], method="spearman")), n


def gemeinde_vs_kreis(gemeinden: pd.DataFrame, kreis: pd.DataFrame, indicators: Sequence[Indicator],
                      ags: str) -> pd.DataFrame:
    """One row per indicator: the Gemeinde's value, rank among all, the Kreis value and its kind.

    Columns: ``id``, ``Indikator``, ``Einheit``, ``Gemeinde``, ``Kreis``, ``Kreiswert``,
    ``Abweichung`` (Gemeinde − Kreis), ``Rang``, ``von`` (Gemeinden with a value), ``Rangregel``.
    """
    pos = np.flatnonzero(gemeinden["ags"].astype(str).to_numpy() == str(ags))
    if len(pos) == 0:
        from atlas.council.errors import CouncilError
        raise CouncilError(f"Unbekannte Gemeinde (Gemeindeschlüssel {ags}).")
    i = int(pos[0])
    rows = []
    for ind in indicators:
        values = numeric(gemeinden[ind.id])
        r = ranks(values, ind.richtung)
        own = values.iloc[i]
        kw = kreis_value(gemeinden, kreis, ind)
        diff = None if is_missing(own) or kw.wert is None or ind.id in SUM_IDS else float(own) - kw.wert
        rows.append({
            "id": ind.id, "Indikator": ind.label, "Einheit": ind.unit_label,
            "Gemeinde": None if is_missing(own) else float(own), "Kreis": kw.wert, "Kreiswert": kw.art,
            "Abweichung": diff, "Rang": None if pd.isna(r.iloc[i]) else int(r.iloc[i]),
            "von": int(values.notna().sum()), "Rangregel": RANK_NOTE[ind.richtung],
        })
    return pd.DataFrame(rows)
