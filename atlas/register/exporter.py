"""Exporting the register: CSV and XLSX (import template columns, formula-safe), GeoJSON (RFC 7946, WGS84) and GeoPackage
(EPSG:25832 like the atlas build, via pyogrio/GDAL – for GIS users; the live store stays in the database).

Offers without a position are kept in CSV; GeoJSON gives them ``geometry: null``; the GeoPackage writes
them to a second attribute-only layer ``angebote_ohne_lage`` so nothing is lost.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from atlas import schema, settings
from atlas.register.models import OFFER_FIELDS
from atlas.safe_text import neutralise_cell, xlsx_bytes

#: Columns of every export, in order.
EXPORT_FIELDS: tuple[str, ...] = (*OFFER_FIELDS, "lon", "lat", "ags", "lage_genauigkeit", "lage_hinweis",
                                  "zuletzt_geprueft", "version", "geaendert_am", "geaendert_von")


def _value(record: Mapping[str, object], name: str) -> object:
    value = record.get(name)
    return "" if value is None else value


def to_csv(records: Sequence[Mapping[str, object]]) -> bytes:
    """UTF-8 CSV (with BOM so that spreadsheet programs detect the encoding), RFC 4180 quoting; text cells
    that a spreadsheet would run as a formula get a leading apostrophe (:func:`atlas.safe_text.neutralise_cell`,
    undone by the import, so the file imports unchanged)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_FIELDS)
    for record in records:
        writer.writerow([neutralise_cell(_value(record, f)) for f in EXPORT_FIELDS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(records: Sequence[Mapping[str, object]]) -> bytes:
    """An Excel file (.xlsx, one sheet "Angebote") with the CSV's columns; text cells are typed as text and
    neutralised like the CSV, coordinates and versions stay numbers."""
    rows = ([_value(record, f) for f in EXPORT_FIELDS] for record in records)
    return xlsx_bytes(EXPORT_FIELDS, rows, sheet="Angebote")


def to_geojson(records: Sequence[Mapping[str, object]]) -> bytes:
    """A GeoJSON FeatureCollection in WGS84; offers without a position have ``geometry: null``."""
    features = []
    for record in records:
        lon, lat = record.get("lon"), record.get("lat")
        geometry = ({"type": "Point", "coordinates": [float(lon), float(lat)]}  # type: ignore[arg-type]
                    if lon is not None and lat is not None else None)
        props = {f: _value(record, f) for f in EXPORT_FIELDS if f not in ("lon", "lat")}
        features.append({"type": "Feature", "id": record.get("id"), "geometry": geometry, "properties": props})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode("utf-8")


def to_geopackage(records: Sequence[Mapping[str, object]], path: str | os.PathLike[str]) -> Path:
    """Write layers ``angebote`` (points, EPSG:25832) and ``angebote_ohne_lage`` to *path* (replaced)."""
    target = Path(path)
    if target.exists():
        target.unlink()
    frame = pd.DataFrame([{f: _value(r, f) for f in EXPORT_FIELDS} for r in records], columns=list(EXPORT_FIELDS))
    has_point = frame["lon"].ne("") & frame["lat"].ne("")
    placed = frame[has_point]
    points = gpd.GeoDataFrame(
        placed.drop(columns=["lon", "lat"]).astype(str),
        geometry=gpd.points_from_xy(placed["lon"].astype(float), placed["lat"].astype(float)),
        crs=settings.MAP_CRS,
    ).to_crs(settings.METRIC_CRS)
    pyogrio.write_dataframe(points, target, layer=schema.OFFERS_LAYER, driver="GPKG")
    rest = frame[~has_point].drop(columns=["lon", "lat"]).astype(str)
    pyogrio.write_dataframe(rest, target, layer=schema.UNPLACED_OFFERS_LAYER, driver="GPKG")
    return target


def geopackage_bytes(records: Sequence[Mapping[str, object]], folder: str | os.PathLike[str]) -> bytes:
    """The GeoPackage as bytes (for a download button); written in a temporary folder of its own inside
    *folder* (unique per call: Streamlit serves every session in one process) and removed again."""
    work = Path(tempfile.mkdtemp(prefix=".register-export-", dir=folder))
    try:
        return to_geopackage(records, work / "angebote.gpkg").read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)
