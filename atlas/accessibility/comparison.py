"""Plausibility check: our estimated car travel times per Gemeinde against the Deutschlandatlas.

Where the offers register holds a category that the Deutschlandatlas also measures (field
``kategorie_register`` in ``geodata/indicators.yaml``, e.g. ``p_grunds`` → Grundschule), both values
are put side by side per Gemeinde. The Deutschlandatlas states the car time *within which half of the
Gemeinde's population reaches the facility* (Thünen accessibility model, routed); the comparable
figure of ours is therefore the **population-weighted median** of the car minutes of the Gemeinde's
grid cells – not the mean.

The two differ for known reasons, listed by :func:`differences`: our register is incomplete and
holds only offers inside the Kreis (the Deutschlandatlas also counts facilities across the border),
our positions are approximate (Ortsteil or Gemeinde centre), our time is a straight-line estimate
unless a road network is configured, and population, years and Gebietsstand differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from atlas.accessibility.errors import AccessibilityError
from atlas.accessibility.evaluation import ReachabilityResult
from atlas.accessibility.origins import origins_note
from atlas.indicators import Indicator


def indicators_for_category(kategorie: str, catalogue: Sequence[Indicator]) -> list[Indicator]:
    """Deutschlandatlas indicators of *catalogue* whose ``kategorie_register`` is *kategorie*."""
    return [i for i in catalogue if i.kategorie_register == kategorie and i.datei]


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """Smallest value such that at least half of the total weight has a value ≤ it (NaN values and
    zero weights are ignored; NaN when nothing is left)."""
    v = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    keep = ~np.isnan(v) & (w > 0)
    v, w = v[keep], w[keep]
    if len(v) == 0:
        return float("nan")
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    cum = np.cumsum(w)
    return float(v[np.searchsorted(cum, 0.5 * cum[-1] * (1 - 1e-12))])


@dataclass(frozen=True)
class Vergleich:
    """Side-by-side table per Gemeinde and a short summary.

    ``tabelle`` columns: ``ags``, ``name``, ``unser_median_min``, ``unser_mittel_min``, ``da_wert``,
    ``differenz`` (ours − Deutschlandatlas, NaN where either is missing).
    """

    indikator: Indicator
    tabelle: pd.DataFrame
    methode: str
    methode_beschreibung: str
    #: Origin model of the result (:data:`atlas.accessibility.origins.MODELL_TEXT`).
    ausgangspunkte: str = "raster_1km"

    @property
    def einheit_da(self) -> str:
        """Unit of the Deutschlandatlas value as the catalogue states it."""
        return self.indikator.unit_label

    @property
    def spalten(self) -> dict[str, str]:
        """German headings with units, method and years."""
        stand = self.indikator.quelle
        jahr = f"Bezugsjahr {self.indikator.bezugsjahr}" if self.indikator.bezugsjahr else "Bezugsjahr nicht angegeben"
        geb = f", Gebietsstand {self.indikator.gebietsstand}" if self.indikator.gebietsstand else ""
        art = "Luftlinie-Schätzung" if self.methode == "luftlinie" else "Straßennetz"
        return {
            "name": "Gemeinde",
            "ags": "AGS",
            "unser_median_min": f"Standortatlas: Pkw-Minuten, Median der Einwohner ({art}, Zensus 2022, Register heute)",
            "unser_mittel_min": "Standortatlas: Pkw-Minuten, Mittel der Einwohner",
            "da_wert": f"{self.indikator.label} ({self.einheit_da}; {stand}, {jahr}{geb})",
            "differenz": "Differenz Standortatlas − Deutschlandatlas (min)",
        }

    def zusammenfassung(self) -> dict[str, float]:
        """Number of Gemeinden compared, median difference, share where ours is larger, and the
        Spearman rank correlation of the two columns."""
        t = self.tabelle.dropna(subset=["unser_median_min", "da_wert"])
        if len(t) == 0:
            return {"gemeinden": 0.0, "median_differenz": float("nan"), "anteil_unser_groesser": float("nan"),
                    "rangkorrelation": float("nan")}
        rho = t["unser_median_min"].rank().corr(t["da_wert"].rank()) if len(t) > 2 else float("nan")
        return {
            "gemeinden": float(len(t)),
            "median_differenz": float(t["differenz"].median()),
            "anteil_unser_groesser": float((t["differenz"] > 0).mean()),
            "rangkorrelation": float(rho),
        }


def compare_with_deutschlandatlas(result: ReachabilityResult, gemeinden: pd.DataFrame, indicator: Indicator) -> Vergleich:
    """Our car minutes per Gemeinde (weighted median and mean over the cells) beside the
    Deutschlandatlas value of *indicator* (column ``indicator.id`` of *gemeinden*).

    *result* must be computed for the car (``mode == "car"``); -9999 and missing values of the
    Deutschlandatlas become NaN.
    """
    if result.mode != "car":
        raise AccessibilityError("Der Vergleich mit dem Deutschlandatlas braucht Pkw-Fahrzeiten (Verkehrsmittel Pkw).")
    if indicator.id not in gemeinden.columns:
        raise AccessibilityError(f"Die Gemeindetabelle hat keine Spalte {indicator.id!r} (Deutschlandatlas).")
    z = result.zellen()
    rows = []
    for ags, part in z.groupby("ags", sort=True):
        w = part["einwohner"].to_numpy(dtype=float)
        t = part["zeit_min"].to_numpy(dtype=float)
        ok = ~np.isnan(t) & (w > 0)
        mean = float(np.sum(w[ok] * t[ok]) / np.sum(w[ok])) if ok.any() else float("nan")
        rows.append({"ags": str(ags), "unser_median_min": weighted_median(t, w), "unser_mittel_min": mean})
    ours = pd.DataFrame(rows)
    gem = pd.DataFrame({"ags": gemeinden["ags"].astype(str).to_numpy(), "name": gemeinden["name"].to_numpy(),
                        "da_wert": pd.to_numeric(gemeinden[indicator.id], errors="coerce").to_numpy(dtype=float)})
    gem.loc[gem["da_wert"] == -9999, "da_wert"] = np.nan
    table = gem.merge(ours, on="ags", how="left")
    table["differenz"] = table["unser_median_min"] - table["da_wert"]
    table = table[["ags", "name", "unser_median_min", "unser_mittel_min", "da_wert", "differenz"]]
    table = table.sort_values("name", kind="stable").reset_index(drop=True)
    return Vergleich(indicator, table, result.methode, result.methode_beschreibung, result.origins.modell)


def differences(
    vergleich: Vergleich,
    *,
    n_sites: int,
    n_unplaced: int,
    n_gemeinde_precision: int,
    register_note: str | None = None,
) -> list[str]:
    """German sentences explaining why the two columns differ (shown under the table)."""
    ind = vergleich.indikator
    out: list[str] = []
    text = f"Unser Register enthält {n_sites} Standort(e) dieser Kategorie mit Kartenlage"
    if n_unplaced:
        text += f" ({n_unplaced} weitere ohne Lage)"
    text += "."
    if register_note:
        text += f" {register_note}"
    out.append(text + " Fehlende Einrichtungen machen unsere Zeiten länger.")
    out.append(
        "Das Register enthält nur Angebote im Landkreis; der Deutschlandatlas zählt auch Einrichtungen jenseits "
        "der Kreisgrenze. In Randgemeinden sind unsere Zeiten deshalb eher zu lang."
    )
    out.append(
        "Die Lage unserer Standorte ist ungefähr (Ortsteil- oder Gemeindemitte, keine Adresskoordinate"
        + (f"; {n_gemeinde_precision} nur Gemeindemitte" if n_gemeinde_precision else "")
        + "). Wohnorte: " + origins_note(vergleich.ausgangspunkte)
    )
    if vergleich.methode == "luftlinie":
        out.append(
            "Unsere Zeit ist eine Schätzung aus der Luftlinie "
            f"({vergleich.methode_beschreibung}); der Deutschlandatlas routet über das Straßennetz "
            "(Thünen-Erreichbarkeitsmodell)."
        )
        if ind.id in vergleich.methode_beschreibung:
            out.append(
                f"Das Pkw-Modell wurde an genau diese Deutschlandatlas-Werte ({ind.id}) angepasst: Der Vergleich "
                "zeigt die verbleibende Streuung, keine unabhängige Prüfung."
            )
    else:
        out.append(f"Beide Werte sind geroutet, aber mit verschiedenen Modellen ({vergleich.methode_beschreibung}).")
    year = f"Bezugsjahr {ind.bezugsjahr}" if ind.bezugsjahr else "ohne angegebenes Bezugsjahr"
    out.append(
        f"Zeitstand: Deutschlandatlas {ind.quelle}, {year}, Gebietsstand {ind.gebietsstand or 'nicht angegeben'}; "
        "unsere Werte: Register in seinem heutigen Stand, Einwohner Zensus 2022."
    )
    if not ind.einheit_geprueft:
        out.append(f"Die Einheit des Deutschlandatlas-Werts „{ind.label}“ ist nicht geprüft; der Vergleich ist nur grob.")
    return out
