"""Destinations: any point GeoDataFrame, optionally filtered to one offer category."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np

from atlas.accessibility._helpers import metric_xy
from atlas.accessibility.errors import NoSitesError
from atlas.settings import METRIC_CRS


@dataclass(frozen=True)
class Sites:
    """Sites prepared for computation.

    Attributes
    ----------
    ids:
        Identifier per site (from the id column, else the GeoDataFrame index), as strings.
    xy:
        Coordinates in metres (*crs*), shape ``(n, 2)``.
    kategorie:
        Offer category the sites were filtered to (``None`` if not filtered).
    """

    ids: np.ndarray
    xy: np.ndarray
    kategorie: str | None = None
    crs: str = METRIC_CRS

    def __len__(self) -> int:
        return len(self.ids)

    def subset(self, mask: np.ndarray) -> Sites:
        """The sites where boolean *mask* (or integer positions) selects."""
        return Sites(ids=self.ids[mask], xy=self.xy[mask], kategorie=self.kategorie, crs=self.crs)

    def concat(self, other: Sites) -> Sites:
        """These sites followed by *other* (same CRS)."""
        return Sites(
            ids=np.concatenate([self.ids, other.ids]),
            xy=np.vstack([self.xy, other.xy]),
            kategorie=self.kategorie,
            crs=self.crs,
        )


def _label(kategorie: str | None) -> str:
    return f"der Kategorie {kategorie!r}" if kategorie else "ohne Kategorie-Filter"


def prepare_sites(
    gdf: gpd.GeoDataFrame,
    *,
    kategorie: str | None = None,
    kategorie_col: str = "kategorie",
    id_col: str | None = "id",
    crs: str = METRIC_CRS,
) -> Sites:
    """Turn a point GeoDataFrame into :class:`Sites`, optionally keeping one *kategorie*.

    Raises
    ------
    NoSitesError
        No site is left (empty table or a category without sites); the message names the category
        and, for an unknown category, lists the categories present.
    """
    if kategorie is not None:
        if kategorie_col not in gdf.columns:
            raise NoSitesError(
                f"Die Standorttabelle hat keine Spalte {kategorie_col!r}; nach der Kategorie "
                f"{kategorie!r} kann nicht gefiltert werden."
            )
        present = sorted(map(str, gdf[kategorie_col].dropna().unique()))
        gdf = gdf[gdf[kategorie_col] == kategorie]
        if len(gdf) == 0:
            raise NoSitesError(
                f"Es gibt keine Standorte der Kategorie {kategorie!r}; die Erreichbarkeit kann nicht "
                f"berechnet werden. Vorhandene Kategorien: {', '.join(present) or '(keine)'}."
            )
    if len(gdf) == 0:
        msg = f"Es gibt keine Standorte {_label(kategorie)}; die Erreichbarkeit kann nicht berechnet werden."
        raise NoSitesError(msg)
    what = f"Standorte {_label(kategorie)}"
    xy = metric_xy(gdf, crs, what, NoSitesError)
    if id_col is not None and id_col in gdf.columns:
        ids = gdf[id_col].astype(str).to_numpy(dtype=object)
    else:
        ids = gdf.index.astype(str).to_numpy(dtype=object)
    return Sites(ids=ids, xy=xy, kategorie=kategorie, crs=crs)


def sites_from_xy(xy: np.ndarray, ids: list[str] | None = None, *, prefix: str = "neu", crs: str = METRIC_CRS) -> Sites:
    """Sites from raw metric coordinates (e.g. candidate locations in a what-if scenario)."""
    arr = np.atleast_2d(np.asarray(xy, dtype=float))
    if arr.shape[0] == 0:
        raise NoSitesError("Es wurden keine Standorte angegeben.")
    if ids is None:
        ids = [f"{prefix}-{i + 1}" for i in range(arr.shape[0])]
    return Sites(ids=np.asarray(ids, dtype=object), xy=arr, crs=crs)
