"""Public transport stops: the npm package ``db-hafas-stations`` 2.0.0 → ``haltestellen_…geojson``.

The package (built by its author from DB InfraGO's RIS::Stations and StaDa APIs; data CC BY 4.0 and
OpenStreetMap contributors, ODbL – see its ``license-data.md``) holds ``package/full.ndjson``: one JSON
object per stop or station (``id`` = EVA number, ``name``, ``type`` stop/station, ``location.latitude/
longitude``, ``products`` {nationalExpress, national, regionalExpress, regional, suburban, subway, tram,
bus, taxi, ferry: bool}, ``weight``, ``station`` {id, name} for a stop of a station, ``ifoptId`` (DHID),
``transitAuthority``). The file has ~290,000 lines (≈120 MB): it is read line by line from the archive
and only points inside the study area are kept (a bounding-box test first, then the buffer polygon).
Properties are renamed as in PROVENANCE §11 of the source folder. Standard library only (tarfile, json).
"""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Iterable, Iterator

import geopandas as gpd
import pandas as pd

from atlas import settings
from atlas.download.study_area import StudyArea
from atlas.errors import SourceError

HAFAS_STOPS_URL = "https://registry.npmjs.org/db-hafas-stations/-/db-hafas-stations-2.0.0.tgz"
HAFAS_STOPS_TITEL = "Haltestellen (npm-Paket db-hafas-stations 2.0.0)"
HAFAS_STOPS_PAGE = "https://www.npmjs.com/package/db-hafas-stations"
HAFAS_STOPS_ORIGINAL = "db-hafas-stations-2.0.0.tgz"
#: Product order of the package (``verkehrsmittel`` lists the true ones in this order, e.g. "tram,bus").
PRODUCT_ORDER = ("nationalExpress", "national", "regionalExpress", "regional", "suburban", "subway", "tram",
                 "bus", "taxi", "ferry")
STOP_COLUMNS = ["id", "name", "typ", "verkehrsmittel", "gewicht", "station_id", "station_name", "ifopt_id", "verbund"]


def _lines(raw: bytes) -> Iterator[bytes]:
    """Lines of ``package/full.ndjson`` in the npm tarball (or of *raw* itself when it is NDJSON)."""
    if raw[:2] != b"\x1f\x8b":
        yield from io.BytesIO(raw)
        return
    try:
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:gz") as archive:
            handle = archive.extractfile(archive.getmember("package/full.ndjson"))
            if handle is None:
                raise KeyError("package/full.ndjson")
            yield from handle
    except KeyError as exc:
        raise SourceError(f"{HAFAS_STOPS_TITEL}: im Paket fehlt die Datei package/full.ndjson.") from exc
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise SourceError(f"{HAFAS_STOPS_TITEL}: das Paket ist kein gültiges .tgz-Archiv ({exc}).") from exc


def stop_row(rec: dict) -> dict | None:
    """One record as a row with the source folder's property names, or None without id/location."""
    location = rec.get("location") or {}
    lat, lon = location.get("latitude"), location.get("longitude")
    if rec.get("id") in (None, "") or lat is None or lon is None:
        return None
    prods = rec.get("products") or {}
    station = rec.get("station") or {}
    return {
        "id": str(rec["id"]), "name": rec.get("name"), "typ": rec.get("type"),
        "verkehrsmittel": ",".join(p for p in PRODUCT_ORDER if prods.get(p)),
        "gewicht": rec.get("weight"), "station_id": station.get("id"), "station_name": station.get("name"),
        "ifopt_id": rec.get("ifoptId"), "verbund": rec.get("transitAuthority"),
        "lon": float(lon), "lat": float(lat),
    }


def read_stops(raw: bytes, bbox: tuple[float, float, float, float] | None = None) -> list[dict]:
    """Rows of the stops whose point lies in *bbox* (west, south, east, north in degrees; None = all)."""
    rows: list[dict] = []
    for number, line in enumerate(_lines(raw), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as exc:
            raise SourceError(f"{HAFAS_STOPS_TITEL}: full.ndjson, Zeile {number} ist kein gültiges JSON.") from exc
        row = stop_row(rec)
        if row is None:
            continue
        if bbox is not None and not (bbox[0] <= row["lon"] <= bbox[2] and bbox[1] <= row["lat"] <= bbox[3]):
            continue
        rows.append(row)
    return rows


def convert_stops(rows: Iterable[dict], area: StudyArea) -> gpd.GeoDataFrame:
    """Stops inside the study area's buffer (EPSG:4326), in file order."""
    frame = pd.DataFrame(list(rows), columns=[*STOP_COLUMNS, "lon", "lat"])
    stops = gpd.GeoDataFrame(frame[STOP_COLUMNS], geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
                             crs=settings.MAP_CRS)
    kept = stops[area.intersects(stops)].copy()
    if kept.empty:
        raise SourceError(f"{HAFAS_STOPS_TITEL}: keine Haltestelle liegt im Studiengebiet.")
    kept["gewicht"] = pd.to_numeric(kept["gewicht"], errors="coerce")
    return kept.reset_index(drop=True)


def area_bbox(area: StudyArea) -> tuple[float, float, float, float]:
    """The study area's buffer as (west, south, east, north) in degrees."""
    west, south, east, north = area.buffer_in(settings.MAP_CRS).bounds
    return float(west), float(south), float(east), float(north)
