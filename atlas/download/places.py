"""Point sources: GeoNames postal-code localities and DB railway stations.

GeoNames ``DE.zip`` holds ``DE.txt``: tab-separated, UTF-8, **no header**, twelve columns (country code,
postal code, place name, admin name/code 1–3, latitude, longitude, accuracy). The values are kept as
text exactly as published (keys keep their leading zeros); the GeoNames column names are added.

The npm package ``db-stations`` 5.0.2 holds ``package/full.ndjson``: one JSON object per line
(``id`` = IBNR, ``ril100``, ``name``, ``location.latitude/longitude``, ``address.city/zipcode/street``,
``category``, ``federalState``, ``hasSteplessAccess``, ``hasLocalPublicTransport``, ``hasParking``,
``hasMobilityService``, ``productLine.productLine/segment`` …). Both are filtered to points inside
the study area. Parsing uses the standard library (``tarfile``, ``zipfile``, ``json``).
"""

from __future__ import annotations

import io
import json
import tarfile
import zipfile

import geopandas as gpd
import pandas as pd

from atlas import settings
from atlas.download.study_area import StudyArea
from atlas.errors import SourceError

GEONAMES_URL = "https://download.geonames.org/export/zip/DE.zip"
GEONAMES_TITEL = "GeoNames-Postleitzahlen (DE.zip)"
GEONAMES_COLUMNS = ["country_code", "postal_code", "place_name", "admin_name1", "admin_code1",
                    "admin_name2", "admin_code2", "admin_name3", "admin_code3", "latitude", "longitude",
                    "accuracy"]

DB_STATIONS_URL = "https://registry.npmjs.org/db-stations/-/db-stations-5.0.2.tgz"
DB_STATIONS_TITEL = "Bahnhöfe (npm-Paket db-stations 5.0.2)"
STATION_COLUMNS = ["ibnr", "ril100", "name", "category", "city", "zipcode", "street", "federal_state",
                   "has_stepless_access", "has_local_public_transport", "has_parking",
                   "has_mobility_service", "product_line", "segment"]


# ------------------------------------------------------------------------------------------ GeoNames

def geonames_text(raw: bytes) -> bytes:
    """``DE.txt`` from the zip (or *raw* itself when it already is the text file)."""
    if raw[:2] != b"PK":
        return raw
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            member = next((n for n in archive.namelist()
                           if n.lower().endswith(".txt") and "readme" not in n.lower()), None)
            if member is None:
                raise SourceError(f"{GEONAMES_TITEL}: das Archiv enthält keine Datendatei (DE.txt).")
            return archive.read(member)
    except zipfile.BadZipFile as exc:
        raise SourceError(f"{GEONAMES_TITEL}: die Datei ist kein gültiges ZIP-Archiv ({exc}).") from exc


def read_geonames(raw: bytes) -> pd.DataFrame:
    """The GeoNames postal-code table (all text) with the GeoNames column names."""
    text = geonames_text(raw)
    try:
        frame = pd.read_csv(io.BytesIO(text), sep="\t", header=None, dtype=str, keep_default_na=False,
                            quoting=3, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SourceError(f"{GEONAMES_TITEL}: DE.txt ist nicht lesbar ({type(exc).__name__}: {exc}).") from exc
    if frame.shape[1] != len(GEONAMES_COLUMNS):
        raise SourceError(
            f"{GEONAMES_TITEL}: DE.txt hat {frame.shape[1]} Spalten, erwartet sind {len(GEONAMES_COLUMNS)} "
            "(tabulatorgetrennt, ohne Kopfzeile)."
        )
    frame.columns = GEONAMES_COLUMNS
    return frame


def convert_geonames(frame: pd.DataFrame, area: StudyArea) -> pd.DataFrame:
    """Localities whose point lies in the study area, in the order of the original file."""
    lat = pd.to_numeric(frame["latitude"], errors="coerce")
    lon = pd.to_numeric(frame["longitude"], errors="coerce")
    bad = lat.isna() | lon.isna()
    if bad.any():
        line = int(bad.to_numpy().argmax()) + 1
        raise SourceError(f"{GEONAMES_TITEL}: DE.txt, Zeile {line}: Breite/Länge fehlen oder sind keine Zahlen.")
    points = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=settings.MAP_CRS)
    return frame[area.intersects(points)].reset_index(drop=True)


# -------------------------------------------------------------------------------------- DB stations

def stations_ndjson(raw: bytes) -> bytes:
    """``package/full.ndjson`` from the npm tarball (or *raw* itself when it already is NDJSON)."""
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:gz") as archive:
            member = archive.getmember("package/full.ndjson")
            handle = archive.extractfile(member)
            if handle is None:
                raise KeyError("package/full.ndjson")
            return handle.read()
    except KeyError as exc:
        raise SourceError(f"{DB_STATIONS_TITEL}: im Paket fehlt die Datei package/full.ndjson.") from exc
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise SourceError(f"{DB_STATIONS_TITEL}: das Paket ist kein gültiges .tgz-Archiv ({exc}).") from exc


def read_db_stations(raw: bytes) -> list[dict]:
    """The station records (one dict per NDJSON line)."""
    records: list[dict] = []
    for number, line in enumerate(stations_ndjson(raw).decode("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except ValueError as exc:
            raise SourceError(f"{DB_STATIONS_TITEL}: full.ndjson, Zeile {number} ist kein gültiges JSON.") from exc
    if not records:
        raise SourceError(f"{DB_STATIONS_TITEL}: full.ndjson enthält keine Bahnhöfe.")
    return records


def _station_row(rec: dict) -> dict | None:
    location = rec.get("location") or {}
    lat, lon = location.get("latitude"), location.get("longitude")
    if rec.get("id") in (None, "") or lat is None or lon is None:
        return None
    address = rec.get("address") or {}
    product = rec.get("productLine") or {}
    return {
        "ibnr": str(rec["id"]), "ril100": rec.get("ril100"), "name": rec.get("name"),
        "category": rec.get("category"), "city": address.get("city"), "zipcode": address.get("zipcode"),
        "street": address.get("street"), "federal_state": rec.get("federalState"),
        "has_stepless_access": rec.get("hasSteplessAccess"),
        "has_local_public_transport": rec.get("hasLocalPublicTransport"),
        "has_parking": rec.get("hasParking"), "has_mobility_service": rec.get("hasMobilityService"),
        "product_line": product.get("productLine"), "segment": product.get("segment"),
        "lon": float(lon), "lat": float(lat),
    }


def convert_db_stations(records: list[dict], area: StudyArea) -> gpd.GeoDataFrame:
    """Stations with an IBNR and a location inside the study area (EPSG:4326), in file order."""
    rows = [row for rec in records if (row := _station_row(rec)) is not None]
    frame = pd.DataFrame(rows, columns=[*STATION_COLUMNS, "lon", "lat"])
    stations = gpd.GeoDataFrame(frame[STATION_COLUMNS], geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
                                crs=settings.MAP_CRS)
    kept = stations[area.intersects(stations)].copy()
    kept["category"] = pd.to_numeric(kept["category"], errors="coerce").astype("Int32")
    for column in ("has_local_public_transport", "has_parking"):
        kept[column] = kept[column].astype("boolean")
    return kept.reset_index(drop=True)
