"""Downloads of the reachability results: CSV tables and a GeoPackage of the grid cells.

CSV files are written for German spreadsheet programs: UTF-8 with byte-order mark, ``;`` as
separator and ``,`` as decimal mark. The GeoPackage is written with pyogrio (GDAL) – the same
library the build uses – into a temporary file whose bytes are returned, because GDAL's GeoPackage
driver needs a real file (SQLite). Every file carries the method and the standard in its columns
or header lines, so an exported table never loses how it was computed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from atlas.accessibility.county import GEMEINDE_SPALTEN
from atlas.safe_text import neutralise_frame

#: Layer name inside the exported GeoPackage.
GPKG_LAYER = "erreichbarkeit_zellen"

#: German headings of the per-cell export.
ZELLEN_SPALTEN: dict[str, str] = {
    "grd_id": "rasterzelle",
    "origin_id": "wohnort_id",
    "anteil": "anteil_der_zelle_geschaetzt",
    "marker": "siedlungspunkt",
    "ags": "ags",
    "einwohner": "einwohner",
    "u15": "unter_15",
    "ue65": "ab_65",
    "distanz_m": "distanz_m",
    "zeit_min": "zeit_min",
    "wert": "wert",
    "einheit": "einheit",
    "standort_id": "naechster_standort_id",
    "standort_name": "naechster_standort",
    "jenseits": "jenseits_standard",
    "klasse": "klasse",
    "wert_vorher": "wert_vorher",
    "jenseits_vorher": "jenseits_vorher",
    "status": "status",
    "methode": "methode",
    "verkehrsmittel": "verkehrsmittel",
    "standard_id": "standard_id",
}


def _csv(frame: pd.DataFrame, header_lines: Sequence[str]) -> bytes:
    head = "".join(f"# {line}\n" for line in header_lines)
    body = neutralise_frame(frame).to_csv(index=False, sep=";", decimal=",")  # no formulas (OWASP)
    return (head + body).encode("utf-8-sig")


def gemeinde_csv(table: pd.DataFrame, header_lines: Sequence[str] = ()) -> bytes:
    """The Gemeinde table (from :func:`atlas.accessibility.county.gemeinde_table`) as CSV with German
    headings; *header_lines* (method, standard, sources) go first as ``#`` comment lines."""
    out = table.rename(columns=GEMEINDE_SPALTEN)
    return _csv(out, header_lines)


def cells_frame(cells: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per-cell results (from :func:`atlas.accessibility.county.cell_results`) without geometry,
    with the export column names."""
    cols = [c for c in ZELLEN_SPALTEN if c in cells.columns]
    return pd.DataFrame(cells[cols]).rename(columns=ZELLEN_SPALTEN).reset_index(drop=True)


def cells_csv(cells: gpd.GeoDataFrame, header_lines: Sequence[str] = ()) -> bytes:
    """Per-cell results as CSV (no geometry; the cell id ``rasterzelle`` is the Census grid id)."""
    return _csv(cells_frame(cells), header_lines)


def cells_gpkg(cells: gpd.GeoDataFrame) -> bytes:
    """Per-cell results with their 1-km polygons (EPSG:25832) as GeoPackage bytes (layer
    :data:`GPKG_LAYER`)."""
    frame = gpd.GeoDataFrame(cells_frame(cells), geometry=cells.geometry.to_numpy(), crs=cells.crs)
    for col in frame.columns:
        if frame[col].dtype == object and col != "geometry":
            frame[col] = frame[col].astype(str)
    with tempfile.TemporaryDirectory(prefix="atlas-export-") as tmp:
        path = Path(tmp) / "erreichbarkeit.gpkg"
        pyogrio.write_dataframe(frame, path, layer=GPKG_LAYER, driver="GPKG")
        return path.read_bytes()
