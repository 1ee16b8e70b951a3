"""Loading the built GeoPackage once: :class:`AtlasData` holds every layer and the manifest.

Pages get one :class:`AtlasData` (cached by the app) and never mutate it. Geometries stay in the
metric CRS; :mod:`atlas.mapview` derives simplified EPSG:4326 copies for drawing.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from atlas import schema, settings
from atlas.schema import LAYER_NAMES
from atlas.errors import DataNotBuiltError


@dataclass(frozen=True)
class AtlasData:
    """All layers of one build plus its manifest."""

    layers: dict[str, pd.DataFrame]
    manifest: dict
    path: Path
    version: str = field(default="")

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.layers[name]

    @property
    def gemeinden(self) -> gpd.GeoDataFrame:
        return self.layers[schema.GEMEINDEN_LAYER]  # type: ignore[return-value]

    @property
    def angebote(self) -> gpd.GeoDataFrame:
        return self.layers[schema.OFFERS_LAYER]  # type: ignore[return-value]

    @property
    def kreis_name(self) -> str:
        return str(self.manifest.get("kreis_name", ""))

    def columns(self) -> dict[str, list[str]]:
        """Column names per layer (for checking layer definitions against the data)."""
        return {name: [c for c in frame.columns if c != "geometry"] for name, frame in self.layers.items()}


def data_version(data: str | os.PathLike[str] | None = None) -> str:
    """A key that changes whenever a new build is written (for caches)."""
    manifest = settings.manifest_path(data)
    gpkg = settings.gpkg_path(data)
    if not (manifest.exists() and gpkg.exists()):
        return ""
    return f"{gpkg.stat().st_mtime_ns}-{manifest.stat().st_mtime_ns}"


def load_atlas(data: str | os.PathLike[str] | None = None) -> AtlasData:
    """Read every layer of the built GeoPackage (the layers of :mod:`atlas.schema` and any other a build
    step wrote); :class:`DataNotBuiltError` when there is none."""
    gpkg = settings.gpkg_path(data)
    manifest_file = settings.manifest_path(data)
    if not gpkg.exists() or not manifest_file.exists():
        raise DataNotBuiltError(
            f"Es gibt noch keine aufbereiteten Daten in {gpkg.parent}. Bitte zuerst 'atlas build' ausführen."
        )
    layers: dict[str, pd.DataFrame] = {}
    # The schema's layers first, then any further layer a build step wrote (e.g. a new map layer).
    built = [str(row[0]) for row in pyogrio.list_layers(gpkg)]
    for name in dict.fromkeys([*LAYER_NAMES, *built]):
        frame = pyogrio.read_dataframe(gpkg, layer=name)
        if not isinstance(frame, gpd.GeoDataFrame):
            frame = pd.DataFrame(frame)
        layers[name] = frame
    for name in (schema.OFFERS_LAYER, schema.UNPLACED_OFFERS_LAYER):
        layers[name] = layers[name].fillna("")
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    return AtlasData(layers=layers, manifest=manifest, path=gpkg, version=data_version(data))
