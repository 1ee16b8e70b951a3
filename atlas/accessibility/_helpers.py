"""Private helpers shared by the modules of :mod:`atlas.accessibility`."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from atlas.accessibility.errors import AccessibilityError

#: Relative tolerance when comparing a value with a threshold: 1999.9999999 m counts as 2 km.
REL_TOL: float = 1e-9


def require_columns(df: pd.DataFrame, columns: Iterable[str], what: str, error: type[AccessibilityError]) -> None:
    """Raise *error* naming every column of *columns* missing from *df* (*what* names the table)."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        names = ", ".join(repr(c) for c in missing)
        raise error(
            f"{what}: Spalte(n) {names} fehlen; vorhanden sind: {', '.join(map(str, df.columns))}."
        )


def metric_xy(gdf: gpd.GeoDataFrame, crs: str, what: str, error: type[AccessibilityError]) -> np.ndarray:
    """Coordinates (n × 2, metres in *crs*) of the points of *gdf*; polygons give their centroid.

    Raises *error* if the GeoDataFrame has no CRS or holds empty/missing geometries.
    """
    if gdf.crs is None:
        raise error(f"{what}: Das Koordinatensystem (CRS) fehlt; bitte z. B. mit set_crs angeben.")
    geom = gdf.geometry
    bad = geom.isna() | geom.is_empty
    if bool(bad.any()):
        first = ", ".join(map(str, list(gdf.index[bad.to_numpy()])[:5]))
        raise error(f"{what}: {int(bad.sum())} Zeile(n) ohne Lage (Geometrie fehlt), z. B. Index {first}.")
    geom = geom.to_crs(crs)
    if not bool((geom.geom_type == "Point").all()):
        geom = geom.centroid
    return np.ascontiguousarray(shapely.get_coordinates(geom.values), dtype=float)


def minutes(distance_m: np.ndarray | float, speed_kmh: float) -> np.ndarray:
    """Travel time in minutes for *distance_m* at *speed_kmh*."""
    return np.asarray(distance_m, dtype=float) / (speed_kmh * 1000.0 / 60.0)


def metres(time_min: np.ndarray | float, speed_kmh: float) -> np.ndarray:
    """Distance in metres covered in *time_min* at *speed_kmh*."""
    return np.asarray(time_min, dtype=float) * (speed_kmh * 1000.0 / 60.0)


def exceeds(values: np.ndarray, threshold: float, inclusive: bool) -> np.ndarray:
    """Boolean mask: *values* beyond *threshold*.

    ``inclusive=False``: beyond means ``value > threshold``; ``inclusive=True``: ``value >= threshold``.
    Values within a relative tolerance of :data:`REL_TOL` count as equal to the threshold. NaN
    (no result) is never beyond.
    """
    v = np.asarray(values, dtype=float)
    equal = np.isclose(v, threshold, rtol=REL_TOL, atol=0.0)
    with np.errstate(invalid="ignore"):
        if inclusive:
            return (v > threshold) | equal
        return (v > threshold) & ~equal


