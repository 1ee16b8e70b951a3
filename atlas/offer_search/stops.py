"""Nearest bus stop or station for the family page: "Haltestelle Ernststraße, ca. 250 m".

Pure functions on the ``haltestellen`` layer of the build (columns ``id``, ``name``, ``haltestelle``,
``ort``, ``rufbus``; points in EPSG:25832). The distance is the straight line from the searched place or
from the offer's position – which is often only the Ortslage, so the card says "ab der ungefähren Lage"
then – rounded to 50 m (from 1 km to 0.1 km); the walking minutes use the atlas's walking speed and
detour factor (assumptions, :mod:`atlas.accessibility.parameters`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from atlas import schema
from atlas.accessibility.parameters import DEFAULTS, Verkehrsparameter
from atlas.offer_search.i18n import Texts


@dataclass(frozen=True)
class NearestStop:
    """The nearest stop to a point: name parts, straight-line metres, walking minutes, on-demand only."""

    haltestelle: str
    ort: str
    luftlinie_m: float
    minuten: float
    rufbus: bool


class StopIndex:
    """The stops in a cKDTree (metric coordinates) for nearest-stop queries."""

    def __init__(self, frame: pd.DataFrame, xy: np.ndarray) -> None:
        self.haltestelle = [str(v) for v in frame["haltestelle"].fillna(frame["name"]).to_numpy()]
        self.ort = [str(v) if isinstance(v, str) else "" for v in frame["ort"].to_numpy()]
        self.rufbus = frame["rufbus"].fillna(False).astype(bool).to_numpy()
        self.tree = cKDTree(xy) if len(xy) else None

    @classmethod
    def from_layer(cls, gdf: object) -> StopIndex | None:
        """From the ``haltestellen`` GeoDataFrame (EPSG:25832); None for a missing or empty layer."""
        if gdf is None or not hasattr(gdf, "geometry") or len(gdf) == 0:  # type: ignore[arg-type]
            return None
        g = gdf.to_crs("EPSG:25832")  # type: ignore[attr-defined]
        xy = np.column_stack([g.geometry.x.to_numpy(), g.geometry.y.to_numpy()])
        return cls(g, xy)

    def nearest(self, x: float, y: float, params: Verkehrsparameter = DEFAULTS) -> NearestStop | None:
        if self.tree is None:
            return None
        d, i = self.tree.query([x, y], k=1)
        i = int(i)
        minutes = float(params.zeit_luftlinie_min("walk", float(d)))
        return NearestStop(self.haltestelle[i], self.ort[i], float(d), minutes, bool(self.rufbus[i]))


def index_from_atlas(data: object) -> StopIndex | None:
    """The stop index of the built atlas (None when the build has no stops layer)."""
    layers = getattr(data, "layers", {})
    return StopIndex.from_layer(layers.get(schema.STOPS_LAYER))


def rounded_metres(metres: float) -> float:
    """Metres rounded for display: to 50 m (at least 50), from 1 km to 100 m."""
    if metres < 1000:
        return max(50.0, round(metres / 50.0) * 50.0)
    return round(metres / 100.0) * 100.0


def stop_text(stop: NearestStop, t: Texts, *, ort_des_ziels: str = "", ungefaehr: bool = False) -> str:
    """``"Haltestelle Ernststraße, ca. 250 m (zu Fuß ca. 4 Min.)"``; the stop's place is added when it
    differs from *ort_des_ziels*; on-demand-only stops and approximate positions are said."""
    name = stop.haltestelle if not stop.ort or stop.ort == ort_des_ziels else f"{stop.haltestelle} ({stop.ort})"
    m = rounded_metres(stop.luftlinie_m)
    dist = f"{t('ca')} {t.number(m, 0)} m" if m < 1000 else f"{t('ca')} {t.number(m / 1000, 1)} km"
    text = t("haltestelle_text", name=name, dist=dist, zeit=t.minutes(stop.minuten))
    if stop.rufbus:
        text += " " + t("haltestelle_rufbus")
    if ungefaehr:
        text += " " + t("haltestelle_ungefaehr")
    return text
