"""Calibrating the straight-line car model against the Deutschlandatlas.

Model: car minutes from an origin to its nearest site = ``a + b × straight-line km`` (``a``: starting,
parking, the first and last metres; ``b``: minutes per straight-line km, i.e. detour ÷ speed).

Which indicators: every Deutschlandatlas indicator of the catalogue (``geodata/indicators.yaml``) that
names a register category (``kategorie_register``), is measured per Gemeinde in verified minutes
(``einheit: Minuten``, ``einheit_geprueft: true``) and whose category has placed sites – today
``p_grunds`` (Grundschule). The mapping indicator → category is thus data in the catalogue; which
offers count for a category (e.g. a Gemeinschaftsschule with Klasse 1–10 for Grundschule) is data in
``geodata/standards.yaml`` (:mod:`atlas.accessibility.service_levels`).

A fair comparison: the Deutschlandatlas value is, per its description, the car time *within which
half of the Gemeinde's population* reaches the nearest facility – a population-weighted median over
where people live. Ours is computed the same way: for every origin (where people live, see
:mod:`atlas.accessibility.origins`) the straight-line distance to the nearest site, then per Gemeinde
the population-weighted median (:func:`atlas.accessibility.comparison.weighted_median`), origins
belonging to the Gemeinde their point lies in. Because the model is linear and increasing, the median
of the modelled times equals the model applied to the median distance, so fitting the Gemeinde
medians fits the per-origin model exactly.

The fit is a **least-absolute-deviation (LAD) line**, i.e. median regression: the parameters that
minimise the sum of absolute errors, solved as a linear programme with ``scipy.optimize.linprog``
(HiGHS solver). Why LAD: the figures it is judged by – the bar of issue 10 and the "typical error"
shown on the page – are *mean absolute errors* in minutes, and LAD is the estimator that minimises
exactly that loss; like the median it ignores how far a few Gemeinden lie off the line (where the
register and the Deutschlandatlas count different schools: a school missing from the register, one
across the county border, a branch the Deutschlandatlas does not count), so they cannot pull it.
(Until 2026-12 the line was a Theil–Sen fit, ``scipy.stats.theilslopes``: also robust, but it
minimises no error measure; ``bench/bench_travel_model.py`` prints both, with least squares, in-sample and
leave-one-out.) ``r`` is Pearson's correlation (``scipy.stats.pearsonr``) of the
distance medians with the Deutschlandatlas values; the "typical error" is the **leave-one-out** mean
absolute error (each Gemeinde predicted by a line fitted without it), which is honest about how well
the model predicts a Gemeinde it has not seen; the in-sample error is stored beside it. scipy is the
project's numerical library already (cKDTree, csgraph) and is well kept; statsmodels' ``QuantReg``
would give the same line but is not a dependency, and no regression is hand-written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats
from scipy.spatial import cKDTree

from atlas.accessibility.comparison import weighted_median
from atlas.accessibility.origins import Origins
from atlas.accessibility.parameters import Verkehrsparameter, _de
from atlas.accessibility.sites import Sites
from atlas.indicators import Indicator

#: Manifest key of the fit.
MANIFEST_KEY = "pkw_modell"
#: Fewer Gemeinden with values than this: no fit (the assumption stays).
MIN_GEMEINDEN = 10
#: Method named in the manifest and on the page.
FIT_METHODE = ("Gerade kleinster absoluter Abweichungen (Median-Regression, scipy.optimize.linprog/HiGHS), "
               "typischer Fehler: Leave-one-out-MAE")


@dataclass(frozen=True)
class PkwModell:
    """A fitted straight-line car model (stored in ``manifest.json`` under :data:`MANIFEST_KEY`).

    Attributes: ``grundzeit_min`` (intercept a), ``min_pro_km`` (slope b), ``n`` (Gemeinden used),
    ``r`` (Pearson), ``fehler_min`` (typical error: leave-one-out mean absolute error, minutes),
    ``mae_min`` (in-sample mean absolute error), ``datum`` (ISO date of the fit), ``indikatoren``
    (ids, e.g. ``("p_grunds",)``), ``kategorien`` (register categories), ``ausgangspunkte`` (origin
    model used), ``methode`` (how it was fitted), ``km_von``/``km_bis`` (the range of the Gemeinde
    distance medians the line was fitted on: beyond ``km_bis`` the model is an extrapolation – for
    Grundschulen about 6 km, while 30-minute standards reach 18 km and more), ``spearman`` (rank
    correlation of the Gemeinde distance medians – hence of the modelled minutes – with the Deutschlandatlas
    values: what positions, categories and origins achieve, independent of the calibration).
    """

    grundzeit_min: float
    min_pro_km: float
    n: int
    r: float
    fehler_min: float
    mae_min: float
    datum: str
    indikatoren: tuple[str, ...]
    kategorien: tuple[str, ...]
    ausgangspunkte: str = ""
    methode: str = FIT_METHODE
    km_von: float | None = None
    km_bis: float | None = None
    spearman: float | None = None

    def minuten(self, luftlinie_km: np.ndarray | float) -> np.ndarray:
        """Modelled car minutes for straight-line kilometres."""
        return self.grundzeit_min + self.min_pro_km * np.asarray(luftlinie_km, dtype=float)

    def to_manifest(self) -> dict[str, Any]:
        """JSON-ready dict (rounded)."""
        out = asdict(self)
        for key in ("grundzeit_min", "min_pro_km", "r", "fehler_min", "mae_min", "km_von", "km_bis", "spearman"):
            if out[key] is not None:
                out[key] = round(float(out[key]), 4)
        out["indikatoren"], out["kategorien"] = list(self.indikatoren), list(self.kategorien)
        return out

    @classmethod
    def from_manifest(cls, entry: Any) -> PkwModell | None:
        """The model stored in a manifest entry, or None when there is none (or it is unusable)."""
        if not isinstance(entry, dict) or entry.get("grundzeit_min") is None:
            return None
        try:
            return cls(
                grundzeit_min=float(entry["grundzeit_min"]), min_pro_km=float(entry["min_pro_km"]),
                n=int(entry["n"]), r=float(entry["r"]), fehler_min=float(entry["fehler_min"]),
                mae_min=float(entry.get("mae_min") or entry["fehler_min"]), datum=str(entry.get("datum", "")),
                indikatoren=tuple(entry.get("indikatoren", ())), kategorien=tuple(entry.get("kategorien", ())),
                ausgangspunkte=str(entry.get("ausgangspunkte", "")), methode=str(entry.get("methode", FIT_METHODE)),
                km_von=None if entry.get("km_von") is None else float(entry["km_von"]),
                km_bis=None if entry.get("km_bis") is None else float(entry["km_bis"]),
                spearman=None if entry.get("spearman") is None else float(entry["spearman"]),
            )
        except (KeyError, TypeError, ValueError):
            return None


def calibration_indicators(catalogue: Sequence[Indicator], categories_with_sites: set[str]) -> list[Indicator]:
    """Indicators usable for the fit: per Gemeinde, verified minutes, a register category with sites."""
    return [
        i for i in catalogue
        if i.kategorie_register and i.kategorie_register in categories_with_sites and i.ebene == "gemeinde"
        and i.einheit.strip().lower() == "minuten" and i.einheit_geprueft and i.werttyp == "zahl"
    ]


def gemeinde_distances(origins: Origins, sites: Sites) -> pd.DataFrame:
    """Per Gemeinde (index ``ags``): population-weighted median and mean straight-line km from the
    origins to their nearest site (``scipy.spatial.cKDTree``), and the population."""
    dist_km = cKDTree(sites.xy).query(origins.xy, k=1)[0] / 1000.0
    rows = []
    for ags in sorted(set(map(str, origins.ags))):
        m = origins.ags == ags
        w = origins.einwohner[m]
        rows.append({"ags": ags, "median_km": weighted_median(dist_km[m], w),
                     "mittel_km": float(np.average(dist_km[m], weights=w)) if w.sum() > 0 else float("nan"),
                     "einwohner": float(w.sum())})
    return pd.DataFrame(rows).set_index("ags")


def fit_points(origins: Origins, sites_by_indicator: Sequence[tuple[Indicator, Sites]],
               gemeinden: pd.DataFrame) -> pd.DataFrame:
    """The points of the fit: one row per Gemeinde and indicator with ``median_km`` (ours) and
    ``da_wert`` (Deutschlandatlas; -9999 and missing values dropped)."""
    frames = []
    for ind, sites in sites_by_indicator:
        ours = gemeinde_distances(origins, sites)
        da = pd.to_numeric(pd.Series(gemeinden[ind.id].to_numpy(), index=gemeinden["ags"].astype(str)),
                           errors="coerce")
        da = da.mask(da == -9999)
        t = ours.join(da.rename("da_wert"), how="inner").dropna(subset=["median_km", "da_wert"])
        t["indikator"], t["kategorie"] = ind.id, ind.kategorie_register
        frames.append(t.reset_index())
    if not frames:
        return pd.DataFrame(columns=["ags", "median_km", "mittel_km", "einwohner", "da_wert", "indikator", "kategorie"])
    return pd.concat(frames, ignore_index=True)


def lad_line(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Intercept and slope of the least-absolute-deviation line ``y ≈ a + b·x``.

    Linear programme (HiGHS via ``scipy.optimize.linprog``): minimise ``Σ (u_i + v_i)`` subject to
    ``a + b·x_i + u_i − v_i = y_i``, ``u, v ≥ 0`` – at the optimum ``u_i + v_i = |y_i − a − b·x_i|``.
    When several lines share the minimum the solver returns one of them (a vertex: a line through two
    of the points)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    cost = np.concatenate([[0.0, 0.0], np.ones(2 * n)])
    a_eq = np.hstack([np.ones((n, 1)), x[:, None], np.eye(n), -np.eye(n)])
    bounds = [(None, None), (None, None)] + [(0.0, None)] * (2 * n)
    res = optimize.linprog(cost, A_eq=a_eq, b_eq=y, bounds=bounds, method="highs")
    if not res.success:  # pragma: no cover - a feasible, bounded LP; kept as a guard
        raise ValueError(f"LAD-Anpassung fehlgeschlagen: {res.message}")
    return float(res.x[0]), float(res.x[1])


def leave_one_out_mae(x: np.ndarray, y: np.ndarray) -> float:
    """Mean absolute error when each point is predicted by :func:`lad_line` fitted without it."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    err = np.empty(len(x))
    for i in range(len(x)):
        keep = np.arange(len(x)) != i
        a, b = lad_line(x[keep], y[keep])
        err[i] = abs(y[i] - (a + b * x[i]))
    return float(err.mean())


def fit_line(points: pd.DataFrame, *, ausgangspunkte: str = "", today: date | None = None,
             min_gemeinden: int = MIN_GEMEINDEN) -> PkwModell | None:
    """Fit ``da_wert ≈ a + b × median_km`` over *points* (see module docstring); None when fewer than
    *min_gemeinden* points or the slope is not positive (a model where farther is faster is useless)."""
    if len(points) < max(int(min_gemeinden), 3):
        return None
    x = points["median_km"].to_numpy(dtype=float)
    y = points["da_wert"].to_numpy(dtype=float)
    if np.ptp(x) <= 0:
        return None
    a, b = lad_line(x, y)
    if not b > 0:
        return None
    return PkwModell(
        grundzeit_min=a, min_pro_km=b, n=int(len(x)), r=float(stats.pearsonr(x, y).statistic),
        fehler_min=leave_one_out_mae(x, y), mae_min=float(np.mean(np.abs(y - (a + b * x)))),
        datum=(today or date.today()).isoformat(),
        indikatoren=tuple(dict.fromkeys(points["indikator"].astype(str))),
        kategorien=tuple(dict.fromkeys(points["kategorie"].astype(str))), ausgangspunkte=ausgangspunkte,
        km_von=float(x.min()), km_bis=float(x.max()), spearman=float(stats.spearmanr(x, y).statistic),
    )


def apply_model(params: Verkehrsparameter, model: PkwModell | None) -> Verkehrsparameter:
    """*params* with the fitted car model (unchanged without a model)."""
    if model is None:
        return params
    return replace(params, pkw_grundzeit_min=model.grundzeit_min, pkw_min_pro_km=model.min_pro_km,
                   pkw_modell_hinweis=modell_kurztext(model), pkw_fehler_min=model.fehler_min)


def modell_kurztext(model: PkwModell) -> str:
    """``"angepasst an Deutschlandatlas p_grunds, 39 Gemeinden, r = 0,84, typisch ± 1,2 min, Stand 2026-12-01"``."""
    span = (f", geprüft bis {_de(round(model.km_bis, 1))} km Luftlinie" if model.km_bis is not None else "")
    return (f"angepasst an Deutschlandatlas {', '.join(model.indikatoren)}, {model.n} Gemeinden, "
            f"r = {_de(round(model.r, 2))}, typisch ± {_de(round(model.fehler_min, 1))} min{span}, Stand {model.datum}")


def model_from_manifest(manifest: dict | None) -> PkwModell | None:
    """The fit stored in a build's manifest (None when the build had none)."""
    return PkwModell.from_manifest((manifest or {}).get(MANIFEST_KEY))


def travel_parameters(manifest: dict | None = None) -> Verkehrsparameter:
    """The parameters every part of the atlas uses: travel model of ``geodata/standards.yaml`` plus the
    car fit of the build (*manifest*)."""
    from atlas.accessibility.parameters import load_verkehrsmodell

    return apply_model(load_verkehrsmodell(), model_from_manifest(manifest))


def travel_time_note(params: Verkehrsparameter, *, methode: str = "luftlinie", lang: str = "de") -> str:
    """The one sentence that states the car model and its typical error (Erreichbarkeit page, family
    cards, printouts). *methode* ``"netz"``: routed times, the fit does not apply."""
    if methode == "netz":
        return ("Pkw-Zeiten: kürzester Weg im Straßennetz (OpenStreetMap); nicht an den Deutschlandatlas angepasst."
                if lang == "de" else "Car times: shortest path on the road network (OpenStreetMap); not calibrated.")
    if not params.pkw_kalibriert:
        if lang != "de":
            return (f"Car times: straight line × {params.umwegfaktor:g} at {params.speed('car'):g} km/h "
                    "(an assumption, not calibrated).")
        return (f"Pkw-Zeiten: Luftlinie × {_de(params.umwegfaktor)} bei {_de(params.speed('car'))} km/h "
                "(Annahme, nicht angepasst).")
    a = _de(round(float(params.pkw_grundzeit_min), 1))  # type: ignore[arg-type]
    b = _de(round(float(params.pkw_min_pro_km), 2))  # type: ignore[arg-type]
    if lang != "de":
        err = f"{float(params.pkw_fehler_min or 0):.1f}"
        return (f"Car times: {a.replace(',', '.')} min + {b.replace(',', '.')} min per km as the crow flies, "
                f"fitted to the Deutschlandatlas; typically ± {err} min.")
    return f"Pkw-Zeiten: {a} min + {b} min je km Luftlinie, {params.pkw_modell_hinweis}."


def model_report(manifest: dict | None) -> list[str]:
    """German lines for *Daten & Quellen*: the car model of the build (or why there is none), the
    walking/cycling assumptions with their sources and how the origins were placed."""
    from atlas.accessibility.parameters import load_verkehrsmodell

    entry = (manifest or {}).get(MANIFEST_KEY) or {}
    model = PkwModell.from_manifest(entry)
    walk = load_verkehrsmodell()
    lines = []
    if model is None:
        lines.append("Pkw-Zeiten: keine Anpassung an den Deutschlandatlas möglich"
                     + (f" ({entry['hinweis']})" if entry.get("hinweis") else "")
                     + f"; es gilt Luftlinie × {_de(walk.umwegfaktor)} bei {_de(walk.speed('car'))} km/h (Annahme).")
    else:
        lines.append(
            f"Pkw-Zeiten ohne Straßennetz: {_de(round(model.grundzeit_min, 2))} min + {_de(round(model.min_pro_km, 3))} "
            f"min je km Luftlinie, angepasst an Deutschlandatlas {', '.join(model.indikatoren)} "
            f"({', '.join(model.kategorien)}) in {model.n} Gemeinden am {model.datum}: r = {_de(round(model.r, 2))}"
            + (f", Rangkorrelation (Spearman) {_de(round(model.spearman, 2))}" if model.spearman is not None else "")
            + ", "
            f"typischer Fehler ± {_de(round(model.fehler_min, 1))} min je Gemeinde (Leave-one-out; in der "
            f"Anpassung selbst {_de(round(model.mae_min, 1))} min). {model.methode}."
            + (f" Angepasst auf Luftlinien von {_de(round(model.km_von, 1))} bis {_de(round(model.km_bis, 1))} km "
               "(Median je Gemeinde); für längere Wege ist die Gerade eine Verlängerung, nicht geprüft."
               if model.km_von is not None and model.km_bis is not None else ""))
    lines.append(f"Fuß und Rad: Luftlinie × Umwegfaktor {_de(walk.umwegfaktor)}, {_de(walk.speed('walk'))} bzw. "
                 f"{_de(walk.speed('bike'))} km/h. Quellen: {walk.umweg_quelle}; {walk.tempo_quelle}.")
    if model is not None and model.ausgangspunkte:
        from atlas.accessibility.origins import origins_note

        lines.append("Wohnorte: " + origins_note(model.ausgangspunkte))
    return lines
