"""Origins: populated grid cells with population by age group and the Gemeinde key (``ags``)."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from atlas.accessibility._helpers import metric_xy, require_columns
from atlas.accessibility.errors import OriginsError
from atlas.settings import METRIC_CRS

#: Column names of the Census 2021 1-km grid (Eurostat/Destatis GEOSTAT format).
CENSUS_COLUMNS: dict[str, str] = {"einwohner": "T", "u15": "Y_LT15", "ue65": "Y_GE65"}


@dataclass(frozen=True)
class Origins:
    """Origins prepared for computation (all arrays have one entry per origin).

    Attributes
    ----------
    index:
        Index of the GeoDataFrame the origins came from (results are returned with it).
    xy:
        Coordinates in metres (*crs*), shape ``(n, 2)``.
    einwohner, u15, ue65:
        Population in total, under 15, 65 and over.
    ags:
        Gemeinde key per origin (string).
    crs:
        Metric CRS of *xy*.
    """

    index: pd.Index
    xy: np.ndarray
    einwohner: np.ndarray
    u15: np.ndarray
    ue65: np.ndarray
    ags: np.ndarray
    crs: str = METRIC_CRS

    def __len__(self) -> int:
        return len(self.index)

    def subset(self, mask: np.ndarray) -> Origins:
        """The origins where boolean *mask* (or integer positions) selects."""
        return Origins(
            index=self.index[mask],
            xy=self.xy[mask],
            einwohner=self.einwohner[mask],
            u15=self.u15[mask],
            ue65=self.ue65[mask],
            ags=self.ags[mask],
            crs=self.crs,
        )


def prepare_origins(
    gdf: gpd.GeoDataFrame,
    *,
    einwohner: str = "einwohner",
    u15: str = "u15",
    ue65: str = "ue65",
    ags: str = "ags",
    crs: str = METRIC_CRS,
    only_populated: bool = True,
    cap_age_groups: bool = True,
) -> Origins:
    """Turn a GeoDataFrame of grid cells (points or polygons) into :class:`Origins`.

    Parameters
    ----------
    gdf:
        One row per cell; polygons are reduced to their centroid in *crs*.
    einwohner, u15, ue65, ags:
        Names of the columns holding total population, under 15, 65 and over, and the Gemeinde key.
    crs:
        Metric CRS for the computation (default EPSG:25832).
    only_populated:
        Drop cells with ``einwohner == 0`` (they do not change any population figure).
    cap_age_groups:
        Census grid values are perturbed for confidentiality, so in small cells an age group can
        exceed the total; by default such an age group is capped at the total. With ``False`` this
        raises :class:`OriginsError`.

    Raises
    ------
    OriginsError
        A column is missing, a population value is missing, negative or an age group exceeds the total.
    """
    what = "Ausgangspunkte (Rasterzellen)"
    require_columns(gdf, [einwohner, u15, ue65, ags], what, OriginsError)
    pops: dict[str, np.ndarray] = {}
    for label, col in (("einwohner", einwohner), ("u15", u15), ("ue65", ue65)):
        values = pd.to_numeric(gdf[col], errors="coerce").to_numpy(dtype=float)
        bad = np.isnan(values) | (values < 0)
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            raise OriginsError(
                f"{what}: Spalte {col!r} enthält {int(bad.sum())} fehlende oder negative Werte, "
                f"z. B. in Zeile {gdf.index[pos]} ({gdf[col].iloc[pos]!r})."
            )
        pops[label] = values
    for label in ("u15", "ue65"):
        over = pops[label] > pops["einwohner"]
        if over.any() and cap_age_groups:
            pops[label] = np.minimum(pops[label], pops["einwohner"])
        elif over.any():
            pos = int(np.flatnonzero(over)[0])
            raise OriginsError(
                f"{what}: In Zeile {gdf.index[pos]} ist die Altersgruppe {label!r} größer als die "
                f"Einwohnerzahl insgesamt."
            )
    ags_values = gdf[ags]
    if bool(ags_values.isna().any()):
        pos = int(np.flatnonzero(ags_values.isna().to_numpy())[0])
        raise OriginsError(f"{what}: In Zeile {gdf.index[pos]} fehlt der Gemeindeschlüssel (Spalte {ags!r}).")
    xy = metric_xy(gdf, crs, what, OriginsError)
    origins = Origins(
        index=gdf.index,
        xy=xy,
        einwohner=pops["einwohner"],
        u15=pops["u15"],
        ue65=pops["ue65"],
        ags=ags_values.astype(str).to_numpy(dtype=object),
        crs=crs,
    )
    if only_populated:
        origins = origins.subset(origins.einwohner > 0)
    if len(origins) == 0:
        raise OriginsError(f"{what}: Es gibt keine bewohnte Zelle.")
    return origins


def assign_ags(
    cells: gpd.GeoDataFrame,
    gemeinden: gpd.GeoDataFrame,
    *,
    ags: str = "ags",
    crs: str = METRIC_CRS,
) -> gpd.GeoDataFrame:
    """Copy of *cells* with column *ags* taken from the Gemeinde polygon that holds each cell's centroid.

    Cells whose centroid lies in no Gemeinde get the Gemeinde nearest to the centroid (border cells).
    """
    require_columns(gemeinden, [ags], "Gemeindegrenzen", OriginsError)
    pts = gpd.GeoDataFrame(geometry=cells.geometry.to_crs(crs).centroid, index=cells.index)
    gem = gemeinden[[ags, "geometry"]].to_crs(crs)
    joined = gpd.sjoin_nearest(pts, gem, how="left")
    joined = joined[~joined.index.duplicated(keep="first")]
    out = cells.copy()
    out[ags] = joined[ags].astype(str).reindex(cells.index).to_numpy()
    return out


def census_grid_origins(
    grid: gpd.GeoDataFrame,
    gemeinden: gpd.GeoDataFrame,
    *,
    only_kreis: bool = True,
    ags: str = "ags",
    crs: str = METRIC_CRS,
    cap_age_groups: bool = True,
) -> Origins:
    """Origins from the Census 2021 1-km grid (columns ``T``, ``Y_LT15``, ``Y_GE65``).

    *gemeinden* gives the ``ags`` of each cell. With *only_kreis* only cells flagged
    ``centroid_in_sm`` are kept (if that column exists).
    """
    cells = grid
    if only_kreis and "centroid_in_sm" in grid.columns:
        cells = grid[grid["centroid_in_sm"].astype(bool)]
    cells = assign_ags(cells, gemeinden, ags=ags, crs=crs)
    return prepare_origins(
        cells,
        einwohner=CENSUS_COLUMNS["einwohner"],
        u15=CENSUS_COLUMNS["u15"],
        ue65=CENSUS_COLUMNS["ue65"],
        ags=ags,
        crs=crs,
        cap_age_groups=cap_age_groups,
    )
