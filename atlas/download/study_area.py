"""The study area: the Kreis's Gemeinden dissolved and buffered by 15 km (EPSG:25832).

This reproduces the rule of ``PROVENANCE.md`` for any Kreis: the Gemeinden whose AGS starts with the
Kreis key are dissolved into one outline in the metric CRS, the outline is buffered by 15,000 m, and a
feature is "in the study area" when it intersects that buffer. Tables without geometry are filtered
to the Kreise (VG5000) that intersect the buffer.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from atlas import settings
from atlas.errors import SourceError

#: Buffer around the Kreis outline, metres.
BUFFER_M: float = 15_000.0


@dataclass(frozen=True)
class StudyArea:
    """Kreis outline and its 15 km buffer, both in EPSG:25832."""

    kreis: str
    name: str
    bez: str
    outline: BaseGeometry
    buffer: BaseGeometry
    n_gemeinden: int
    pop: int
    area_km2: float
    kreise: tuple[str, ...] = field(default=())

    def with_kreise(self, kreise: list[str]) -> "StudyArea":
        """A copy that knows the Kreis keys intersecting the buffer (for filtering tables)."""
        return replace(self, kreise=tuple(sorted(kreise)))

    def intersects(self, frame: gpd.GeoDataFrame | gpd.GeoSeries) -> np.ndarray:
        """Boolean mask: which geometries of *frame* intersect the buffer."""
        geoms = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else frame
        metric = geoms.to_crs(settings.METRIC_CRS)
        return np.asarray(shapely.intersects(metric.to_numpy(), self.buffer), dtype=bool)

    def buffer_in(self, crs: str) -> BaseGeometry:
        """The buffer polygon in another CRS."""
        return gpd.GeoSeries([self.buffer], crs=settings.METRIC_CRS).to_crs(crs).iloc[0]

    def outline_in(self, crs: str) -> BaseGeometry:
        """The Kreis outline in another CRS."""
        return gpd.GeoSeries([self.outline], crs=settings.METRIC_CRS).to_crs(crs).iloc[0]


def study_area(gemeinden: gpd.GeoDataFrame, kreis: str, name: str, bez: str) -> StudyArea:
    """Study area of *kreis* from Gemeinden with columns ``ags`` and ``pop`` (any CRS)."""
    own = gemeinden[gemeinden["ags"].astype(str).str.startswith(kreis)]
    if own.empty:
        raise SourceError(
            f"In den Gemeindegrenzen (VG250-EW) gibt es keine Gemeinde mit dem Kreisschlüssel {kreis}."
        )
    metric = own.to_crs(settings.METRIC_CRS)
    outline = shapely.union_all(metric.geometry.to_numpy())
    return StudyArea(
        kreis=kreis, name=name, bez=bez, outline=outline, buffer=outline.buffer(BUFFER_M),
        n_gemeinden=int(len(own)), pop=int(own["pop"].fillna(0).astype(int).sum()),
        area_km2=round(float(outline.area / 1e6), 2),
    )


def study_area_frames(area: StudyArea) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The two helper layers of the source folder: buffer (study area) and Kreis outline, EPSG:4326."""
    attrs = {"ags": area.kreis, "bez": area.bez, "n_gemeinden": area.n_gemeinden, "pop": area.pop,
             "area_km2": area.area_km2}
    buffer = gpd.GeoDataFrame([{**attrs, "name": f"{area.name} + 15 km buffer"}],
                              geometry=[area.buffer], crs=settings.METRIC_CRS).to_crs(settings.MAP_CRS)
    outline = gpd.GeoDataFrame([{**attrs, "name": area.name}], geometry=[area.outline],
                               crs=settings.METRIC_CRS).to_crs(settings.MAP_CRS)
    order = ["ags", "name", "bez", "n_gemeinden", "pop", "area_km2", "geometry"]
    return buffer[order], outline[order]
