"""Build-time side of the car-model calibration: fit on the built layers, entry for the manifest.

Kept apart from :mod:`atlas.accessibility.calibration` because it needs the county's origins and sites
(:mod:`atlas.accessibility.county`), which in turn read the fitted parameters from ``calibration`` –
so the imports run one way: calibration ← county ← calibration_build ← build.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from atlas import schema
from atlas.accessibility.calibration import PkwModell, calibration_indicators, fit_line, fit_points
from atlas.accessibility.county import county_origins, county_sites, site_records
from atlas.accessibility.errors import AccessibilityError
from atlas.indicators import Indicator


def fit_from_atlas(data: Any, catalogue: Sequence[Indicator], *, today: date | None = None) -> tuple[PkwModell | None, str]:
    """Fit on built layers (an :class:`~atlas.atlasdata.AtlasData` or anything indexable like it).

    Returns the model (or None) and a German note why there is none.
    """
    cats = {str(c) for c in data[schema.OFFERS_LAYER]["kategorie"].astype(str)}
    inds = [i for i in calibration_indicators(catalogue, cats) if i.id in data[schema.GEMEINDEN_LAYER].columns]
    if not inds:
        return None, "Kein Deutschlandatlas-Indikator in geprüften Minuten zu einer Kategorie mit Standorten."
    try:
        origins = county_origins(data)
        pairs = [(i, county_sites(data, str(i.kategorie_register))) for i in inds
                 if len(site_records(data, str(i.kategorie_register)))]
    except AccessibilityError as exc:
        return None, str(exc)
    points = fit_points(origins, pairs, data[schema.GEMEINDEN_LAYER])
    model = fit_line(points, ausgangspunkte=str(getattr(origins, "modell", "") or ""), today=today)
    if model is None:
        return None, f"Zu wenige oder ungeeignete Vergleichswerte ({len(points)} Gemeinden) für eine Anpassung."
    return model, ""


def manifest_entry(layers: Any, catalogue: Sequence[Indicator], *, today: date | None = None) -> dict[str, Any]:
    """What the build stores under :data:`MANIFEST_KEY`: the fit, or ``{"grundzeit_min": None, "hinweis": …}``."""
    model, note = fit_from_atlas(layers, catalogue, today=today)
    return model.to_manifest() if model is not None else {"grundzeit_min": None, "hinweis": note}
