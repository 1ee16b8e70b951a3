"""Results per origin, evaluation against a standard, summaries per Gemeinde and the gap ranking.

Population shares ("anteil_…") are taken over the people *with a result*: people in cells flagged
``nicht_angebunden`` or ``nicht_erreichbar`` are neither within nor beyond the standard and are
reported separately as ``einwohner_ohne_ergebnis``. Mean distance and time are weighted by
``einwohner`` over the cells with a result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from atlas.accessibility.base import STATUS_OK, NearestCosts, Verfahren
from atlas.accessibility.errors import AccessibilityError
from atlas.accessibility.origins import Origins
from atlas.accessibility.parameters import MODE_LABEL
from atlas.accessibility.sites import Sites
from atlas.accessibility.standards import Standard

#: German description of the two method codes.
METHODE_NAME: dict[str, str] = {"netz": "Straßennetz", "luftlinie": "Luftlinie mit Umwegfaktor"}


@dataclass(frozen=True)
class ReachabilityResult:
    """Nearest site per origin, with the method used.

    Attributes
    ----------
    origins, sites:
        The inputs (``costs.standort`` indexes *sites*).
    costs:
        Distance, time, nearest site and status per origin.
    methode:
        ``"netz"`` or ``"luftlinie"``.
    methode_beschreibung:
        German description of the method with its parameters.
    mode:
        ``walk``, ``bike`` or ``car``.
    """

    origins: Origins
    sites: Sites
    costs: NearestCosts
    methode: str
    methode_beschreibung: str
    mode: str

    def zellen(self) -> pd.DataFrame:
        """One row per origin (index of the input GeoDataFrame): ``ags``, population,
        ``distanz_m``, ``zeit_min``, ``standort_id``, ``status``, ``methode``, ``verkehrsmittel``."""
        pos = self.costs.standort
        site_id = np.where(pos >= 0, self.sites.ids[np.maximum(pos, 0)] if len(self.sites) else None, None)
        return pd.DataFrame(
            {
                "ags": self.origins.ags,
                "einwohner": self.origins.einwohner,
                "u15": self.origins.u15,
                "ue65": self.origins.ue65,
                "distanz_m": self.costs.distanz_m,
                "zeit_min": self.costs.zeit_min,
                "standort_id": site_id,
                "status": self.costs.status,
                "methode": self.methode,
                "verkehrsmittel": self.mode,
            },
            index=self.origins.index,
        )

    @property
    def standorte_nicht_angebunden(self) -> list[str]:
        """Ids of sites the network method could not attach to the network (empty for straight line)."""
        return [str(x) for x in self.sites.ids[self.costs.sites_not_snapped]]


def compute_reachability(origins: Origins, sites: Sites, verfahren: Verfahren) -> ReachabilityResult:
    """Nearest site of *sites* for every origin with *verfahren* (:class:`~atlas.accessibility.straightline.Luftlinie`
    or :class:`~atlas.accessibility.network.Netz`)."""
    costs = verfahren.nearest(origins, sites)
    return ReachabilityResult(origins, sites, costs, verfahren.methode, verfahren.beschreibung, verfahren.mode)


def _summary_arrays(keys: np.ndarray | None, w: np.ndarray, u15: np.ndarray, ue65: np.ndarray, ok: np.ndarray,
                    dist: np.ndarray, zeit: np.ndarray, jen: np.ndarray) -> pd.DataFrame:
    """Sums per key with ``numpy.bincount`` (one pass, no pandas groupby: the what-if must stay fast)."""
    if keys is None:
        labels, inv = np.array(["gesamt"], dtype=object), np.zeros(len(w), dtype=np.int64)
    else:
        labels, inv = np.unique(np.asarray(keys).astype(str), return_inverse=True)
    n = len(labels)

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(inv, weights=values, minlength=n)

    w_ok = np.where(ok, w, 0.0)
    sums = {
        "einwohner": total(w), "u15": total(u15), "ue65": total(ue65),
        "einwohner_mit_ergebnis": total(w_ok), "u15_mit_ergebnis": total(np.where(ok, u15, 0.0)),
        "ue65_mit_ergebnis": total(np.where(ok, ue65, 0.0)),
        "_wd": total(np.where(ok, w * np.nan_to_num(dist), 0.0)),
        # infinite times (Bus und Bahn: no connection in the window) count as beyond, not in the mean time
        "_wt": total(np.where(ok & np.isfinite(zeit), w * np.where(np.isfinite(zeit), zeit, 0.0), 0.0)),
        "_wz": total(np.where(ok & np.isfinite(zeit), w, 0.0)),
        "einwohner_jenseits": total(np.where(jen, w, 0.0)), "u15_jenseits": total(np.where(jen, u15, 0.0)),
        "ue65_jenseits": total(np.where(jen, ue65, 0.0)),
    }
    with np.errstate(invalid="ignore", divide="ignore"):
        def ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            return np.where(b == 0, np.nan, a / np.where(b == 0, 1.0, b))

        out = {
            "zellen": np.bincount(inv, minlength=n).astype(int),
            "einwohner": sums["einwohner"], "u15": sums["u15"], "ue65": sums["ue65"],
            "distanz_m_mittel": ratio(sums["_wd"], sums["einwohner_mit_ergebnis"]),
            "zeit_min_mittel": ratio(sums["_wt"], sums["_wz"]),
            "einwohner_jenseits": sums["einwohner_jenseits"], "u15_jenseits": sums["u15_jenseits"],
            "ue65_jenseits": sums["ue65_jenseits"],
            "anteil_einwohner_jenseits": ratio(sums["einwohner_jenseits"], sums["einwohner_mit_ergebnis"]),
            "anteil_u15_jenseits": ratio(sums["u15_jenseits"], sums["u15_mit_ergebnis"]),
            "anteil_ue65_jenseits": ratio(sums["ue65_jenseits"], sums["ue65_mit_ergebnis"]),
            "einwohner_ohne_ergebnis": sums["einwohner"] - sums["einwohner_mit_ergebnis"],
        }
    return pd.DataFrame(out, index=pd.Index(labels, name="ags"))


@dataclass(frozen=True)
class Bewertung:
    """A :class:`ReachabilityResult` evaluated against a :class:`~atlas.accessibility.standards.Standard`."""

    result: ReachabilityResult
    standard: Standard
    jenseits: np.ndarray

    def zellen(self) -> pd.DataFrame:
        """Per origin: :meth:`ReachabilityResult.zellen` plus ``wert`` (in the unit of the standard),
        ``jenseits`` and ``standard_id``."""
        frame = self.result.zellen()
        frame["wert"] = frame["distanz_m"] / 1000.0 if self.standard.einheit == "km" else frame["zeit_min"]
        frame["einheit"] = self.standard.einheit
        frame["jenseits"] = self.jenseits
        frame["standard_id"] = self.standard.id
        return frame

    def _summary(self, by_ags: bool) -> pd.DataFrame:
        r, o = self.result, self.result.origins
        return _summary_arrays(o.ags if by_ags else None, o.einwohner, o.u15, o.ue65, r.costs.status == STATUS_OK,
                               r.costs.distanz_m, r.costs.zeit_min, np.asarray(self.jenseits, dtype=bool))

    def gemeinden(self) -> pd.DataFrame:
        """Per Gemeinde (index ``ags``): population, weighted mean distance/time, number and share of
        people (all, under 15, 65+) beyond the standard, people without result, method."""
        out = self._summary(True)
        out["methode"] = self.result.methode
        return out

    def gesamt(self) -> pd.Series:
        """The same figures as :meth:`gemeinden` for all origins together."""
        out = self._summary(False).iloc[0].astype(object)
        out["methode"] = self.result.methode
        return out

    def groesste_luecken(self, n: int | None = 10, *, nach: str = "einwohner_jenseits") -> pd.DataFrame:
        """Gemeinden ranked by *nach* (default: number of people beyond the standard), ties broken by
        the share beyond; only Gemeinden with someone beyond; column ``rang`` starts at 1."""
        g = self.gemeinden()
        g = g[g["einwohner_jenseits"] > 0]
        g = g.sort_values([nach, "anteil_einwohner_jenseits"], ascending=[False, False], kind="stable")
        g.insert(0, "rang", np.arange(1, len(g) + 1))
        return g if n is None else g.head(n)

    @property
    def titel(self) -> str:
        """German caption, e.g. ``"Grundschule: zu Fuß, jenseits ab 2 km – Straßennetz"``."""
        return f"{self.standard.beschreibung} – {METHODE_NAME.get(self.result.methode, self.result.methode)}"


def evaluate(result: ReachabilityResult, standard: Standard) -> Bewertung:
    """Evaluate *result* against *standard* (the modes must agree)."""
    if result.mode != standard.mode:
        raise AccessibilityError(
            f"Der Standard {standard.id!r} gilt für {MODE_LABEL[standard.mode]}, berechnet wurde aber "
            f"für {MODE_LABEL[result.mode]}."
        )
    mask = standard.jenseits(result.costs.distanz_m, result.costs.zeit_min)
    return Bewertung(result=result, standard=standard, jenseits=mask)
