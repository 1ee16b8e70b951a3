"""Classification and colours for Gemeinde maps (choropleths).

Class breaks come from mapclassify (quantiles, equal intervals, natural breaks/Fisher-Jenks, or manual
breaks). Colours are ColorBrewer sequential schemes, which are colour-blind safe, oriented by the
indicator's direction: the darkest class always marks the *less favourable* end when the direction
is known (for "höher = besser" the scheme is reversed), a neutral blue scheme otherwise. Gemeinden
without a value get a distinct grey.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal

import mapclassify
import numpy as np
import pandas as pd

from atlas.display import NO_DATA_LABEL, format_number  # noqa: F401  (re-exported)

Method = Literal["quantile", "gleiche_intervalle", "natuerliche_brueche", "manuell"]

METHOD_LABELS: dict[str, str] = {
    "quantile": "Quantile (gleich viele Gemeinden je Klasse)",
    "gleiche_intervalle": "Gleiche Intervalle",
    "natuerliche_brueche": "Natürliche Brüche (Fisher-Jenks)",
    "manuell": "Eigene Grenzen",
}

NO_DATA_COLOUR = "#bdbdbd"

# ColorBrewer (Cynthia Brewer, colorbrewer2.org) sequential schemes, 3–7 classes.
_YL_OR_RD = {
    3: ["#ffeda0", "#feb24c", "#f03b20"],
    4: ["#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"],
    5: ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"],
    6: ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"],
    7: ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"],
}
_BLUES = {
    3: ["#deebf7", "#9ecae1", "#3182bd"],
    4: ["#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"],
    5: ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"],
    6: ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"],
    7: ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"],
}


def palette(k: int, direction: str) -> list[str]:
    """*k* colours from light to dark for values from low to high, oriented by *direction*."""
    if not 3 <= k <= 7:
        raise ValueError("Es sind 3 bis 7 Klassen möglich.")
    if direction == "hoeher_schlechter":
        return list(_YL_OR_RD[k])
    if direction == "hoeher_besser":
        return list(reversed(_YL_OR_RD[k]))
    return list(_BLUES[k])


@dataclass(frozen=True)
class LegendEntry:
    """One class of the legend."""

    lower: float | None
    upper: float | None
    colour: str
    count: int
    label: str


@dataclass(frozen=True)
class Classification:
    """Result of classifying one indicator over the Gemeinden."""

    colours: list[str]          # one colour per input value (no-data grey for missing)
    classes: list[int | None]   # class index per value, None for missing
    bins: list[float]           # upper bounds
    legend: list[LegendEntry]
    method: str
    k: int


def _classifier(y: np.ndarray, method: str, k: int, manual_breaks: list[float] | None):
    if method == "manuell":
        if not manual_breaks:
            raise ValueError("Für eigene Grenzen bitte mindestens eine Grenze angeben.")
        breaks = sorted({float(b) for b in manual_breaks})
        if breaks[-1] < y.max():
            breaks.append(float(y.max()))
        return mapclassify.UserDefined(y, bins=breaks)
    if k < 2:
        return mapclassify.UserDefined(y, bins=[float(y.max())])
    if method == "quantile":
        return mapclassify.Quantiles(y, k=k)
    if method == "gleiche_intervalle":
        return mapclassify.EqualInterval(y, k=k)
    if method == "natuerliche_brueche":
        return mapclassify.FisherJenks(y, k=k)
    raise ValueError(f"Unbekanntes Klassifizierungsverfahren '{method}'.")


def classify(values: pd.Series | np.ndarray | list[float], method: Method = "quantile", k: int = 5,
             direction: str = "neutral", manual_breaks: list[float] | None = None) -> Classification:
    """Classify *values* into *k* classes (fewer if there are fewer distinct values)."""
    series = pd.to_numeric(pd.Series(values), errors="coerce").astype(float)
    valid = series.dropna()
    if valid.empty:
        return Classification([NO_DATA_COLOUR] * len(series), [None] * len(series), [], [
            LegendEntry(None, None, NO_DATA_COLOUR, len(series), NO_DATA_LABEL)], method, 0)
    distinct = valid.nunique()
    with warnings.catch_warnings():
        # mapclassify warns when ties leave fewer distinct classes; the legend shows the real classes.
        warnings.simplefilter("ignore", UserWarning)
        classifier = _classifier(valid.to_numpy(), method, min(k, distinct), manual_breaks)
    bins = [float(b) for b in classifier.bins]
    n_classes = len(bins)
    colours_for = palette(max(3, min(7, n_classes)), direction)
    if n_classes < 3:  # spread few classes over the scheme's range
        idx = np.linspace(0, len(colours_for) - 1, n_classes).round().astype(int)
        colours_for = [colours_for[i] for i in idx]
    elif n_classes > 7:
        raise ValueError("Es sind höchstens 7 Klassen möglich.")
    yb = pd.Series(np.asarray(classifier.yb), index=valid.index)
    classes: list[int | None] = [int(yb[i]) if i in yb.index else None for i in series.index]
    colours = [colours_for[c] if c is not None else NO_DATA_COLOUR for c in classes]
    legend: list[LegendEntry] = []
    lower = float(valid.min())
    for i, upper in enumerate(bins):
        count = int((yb == i).sum())
        label = f"{format_number(lower)} – {format_number(upper)}" if i == 0 else \
            f"über {format_number(bins[i - 1])} – {format_number(upper)}"
        legend.append(LegendEntry(lower if i == 0 else bins[i - 1], upper, colours_for[i], count, label))
    missing = int(series.isna().sum())
    if missing:
        legend.append(LegendEntry(None, None, NO_DATA_COLOUR, missing, NO_DATA_LABEL))
    return Classification(colours, classes, bins, legend, method, n_classes)
