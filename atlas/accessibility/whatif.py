"""What-if scenarios: add or remove sites and compare with the current situation.

Adding sites is incremental: the cost from every origin to the *new* sites is computed once and
merged with the current costs by an element-wise minimum (a new site must be strictly faster to win,
so ties keep the existing site). Removing sites recomputes only the origins whose nearest site was
removed (for the network method this is one more multi-source dijkstra run).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from atlas.accessibility.base import STATUS_OK, NearestCosts, Verfahren
from atlas.accessibility.errors import AccessibilityError, NoSitesError
from atlas.accessibility.evaluation import Bewertung, ReachabilityResult, compute_reachability, evaluate
from atlas.accessibility.sites import Sites


def _check(result: ReachabilityResult, verfahren: Verfahren) -> None:
    if result.methode != verfahren.methode or result.mode != verfahren.mode:
        raise AccessibilityError(
            "Das Szenario muss mit demselben Verfahren und Verkehrsmittel berechnet werden wie die Ausgangslage "
            f"(Ausgangslage: {result.methode}/{result.mode}, angegeben: {verfahren.methode}/{verfahren.mode})."
        )


def add_sites(result: ReachabilityResult, verfahren: Verfahren, new: Sites) -> ReachabilityResult:
    """*result* with the sites *new* added (appended to ``result.sites``)."""
    _check(result, verfahren)
    dup = set(map(str, new.ids)) & set(map(str, result.sites.ids))
    if dup:
        raise AccessibilityError(f"Neue Standorte haben bereits vergebene Kennungen: {', '.join(sorted(dup))}.")
    cand = verfahren.nearest(result.origins, new)
    old = result.costs
    old_t = np.where(np.isnan(old.zeit_min), np.inf, old.zeit_min)
    new_t = np.where(np.isnan(cand.zeit_min), np.inf, cand.zeit_min)
    better = new_t < old_t
    n_old = len(result.sites)
    costs = NearestCosts(
        distanz_m=np.where(better, cand.distanz_m, old.distanz_m),
        zeit_min=np.where(better, cand.zeit_min, old.zeit_min),
        standort=np.where(better, cand.standort + n_old, old.standort),
        status=np.where(better, STATUS_OK, old.status),
        sites_not_snapped=np.concatenate([old.sites_not_snapped, cand.sites_not_snapped + n_old]),
    )
    return ReachabilityResult(result.origins, result.sites.concat(new), costs, result.methode, result.methode_beschreibung, result.mode)


def remove_sites(result: ReachabilityResult, verfahren: Verfahren, ids: Iterable[str]) -> ReachabilityResult:
    """*result* without the sites with the given *ids*; only affected origins are recomputed."""
    _check(result, verfahren)
    ids = [str(i) for i in ids]
    known = set(map(str, result.sites.ids))
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise AccessibilityError(f"Unbekannte Standorte können nicht entfernt werden: {', '.join(unknown)}.")
    drop = np.isin(result.sites.ids.astype(str), ids)
    if drop.all():
        raise NoSitesError("Nach dem Entfernen bleibt kein Standort übrig; die Erreichbarkeit kann nicht berechnet werden.")
    remaining = result.sites.subset(~drop)
    new_pos = np.cumsum(~drop) - 1  # old position → new position (for kept sites)
    old = result.costs
    affected = (old.standort >= 0) & drop[np.maximum(old.standort, 0)]
    standort = np.where(old.standort >= 0, new_pos[np.maximum(old.standort, 0)], -1)
    distanz, zeit, status = old.distanz_m.copy(), old.zeit_min.copy(), old.status.copy()
    if affected.any():
        sub = verfahren.nearest(result.origins.subset(affected), remaining)
        distanz[affected], zeit[affected] = sub.distanz_m, sub.zeit_min
        standort[affected], status[affected] = sub.standort, sub.status
    kept_unsnapped = old.sites_not_snapped[~drop[old.sites_not_snapped]] if len(old.sites_not_snapped) else old.sites_not_snapped
    costs = NearestCosts(distanz, zeit, standort, status, new_pos[kept_unsnapped])
    return ReachabilityResult(result.origins, remaining, costs, result.methode, result.methode_beschreibung, result.mode)


def what_if(
    result: ReachabilityResult,
    verfahren: Verfahren,
    *,
    add: Sites | None = None,
    remove: Iterable[str] | None = None,
) -> ReachabilityResult:
    """Add the sites *add*, then remove the sites *remove* (ids); returns the new result.

    Adding first lets a scenario replace all current sites by new ones.
    """
    if not getattr(verfahren, "inkrementell", True):
        return _recompute(result, verfahren, add, remove)
    out = result
    if add is not None and len(add):
        out = add_sites(out, verfahren, add)
    if remove is not None:
        out = remove_sites(out, verfahren, remove)
    return out


def _recompute(result: ReachabilityResult, verfahren: Verfahren, add: Sites | None,
               remove: Iterable[str] | None) -> ReachabilityResult:
    """Full recomputation, for methods whose results cannot be merged site by site (the timetable's
    median over departure minutes: the median of a minimum is not the minimum of medians)."""
    _check(result, verfahren)
    sites = result.sites.concat(add) if add is not None and len(add) else result.sites
    if remove is not None:
        gone = set(map(str, remove))
        sites = sites.subset(np.array([str(i) not in gone for i in sites.ids], dtype=bool))
    if len(sites) == 0:
        raise NoSitesError("Im Szenario bleibt kein Standort übrig; die Erreichbarkeit kann nicht berechnet werden.")
    return compute_reachability(result.origins, sites, verfahren)


@dataclass(frozen=True)
class Delta:
    """Change between two evaluations against the same standard.

    ``gemeinden``: per ``ags`` the figures before (``_vorher``), after (``_nachher``) and the
    difference (``_delta`` = after − before); ``gesamt``: the same for all origins.
    """

    gemeinden: pd.DataFrame
    gesamt: pd.Series


#: Figures compared in a :class:`Delta`.
DELTA_COLUMNS: tuple[str, ...] = (
    "einwohner_jenseits",
    "u15_jenseits",
    "ue65_jenseits",
    "anteil_einwohner_jenseits",
    "distanz_m_mittel",
    "zeit_min_mittel",
)


def _compare(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    same = before.index.equals(after.index)
    cols: dict[str, np.ndarray] = {}
    for col in DELTA_COLUMNS:
        b = before[col].to_numpy(dtype=float)
        a = after[col].to_numpy(dtype=float) if same else after[col].astype(float).reindex(before.index).to_numpy()
        cols[f"{col}_vorher"], cols[f"{col}_nachher"], cols[f"{col}_delta"] = b, a, a - b
    return pd.DataFrame(cols, index=before.index)


def delta(before: Bewertung, after: Bewertung) -> Delta:
    """Per Gemeinde and in total: how the figures change from *before* to *after*."""
    if before.standard.id != after.standard.id:
        raise AccessibilityError("Vorher und nachher müssen mit demselben Standard bewertet sein.")
    g = _compare(before.gemeinden(), after.gemeinden())
    t = _compare(before.gesamt().to_frame().T, after.gesamt().to_frame().T).iloc[0]
    return Delta(gemeinden=g, gesamt=t)


def scenario_delta(
    bewertung: Bewertung,
    verfahren: Verfahren,
    *,
    add: Sites | None = None,
    remove: Iterable[str] | None = None,
) -> tuple[Bewertung, Delta]:
    """Apply a what-if to the evaluated *bewertung*; returns the new evaluation and the delta."""
    new = evaluate(what_if(bewertung.result, verfahren, add=add, remove=remove), bewertung.standard)
    return new, delta(bewertung, new)
