"""Cut a large GTFS feed (e.g. gtfs.de's feed of all Germany) down to a study area.

The national feeds hold tens of millions of stop times – too much to read into memory at once. This
streams ``stop_times.txt`` in chunks (pandas ``chunksize``) and keeps every trip that stops at least
twice inside the bounding box, with *all* its stops (a bus leaving the county still counts for the
part inside). Stops, trips, routes, agencies, calendars and transfers are reduced to what those trips
use; ``shapes.txt`` is dropped (not needed for travel times). The result is written atomically and
then checked with :func:`atlas.transit.read_feed`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from atlas.transit.errors import GtfsError
from atlas.transit.feed import read_feed, zip_members

#: Tables copied (filtered) into the clipped feed.
_KEEP = ("agency.txt", "feed_info.txt", "routes.txt", "trips.txt", "stops.txt", "stop_times.txt", "calendar.txt",
         "calendar_dates.txt", "frequencies.txt", "transfers.txt")
CHUNK_ROWS = 2_000_000


def _read(zf: zipfile.ZipFile, members: dict[str, str], name: str) -> pd.DataFrame | None:
    if name not in members:
        return None
    with zf.open(members[name]) as fh:
        return pd.read_csv(io.TextIOWrapper(fh, encoding="utf-8-sig"), dtype=str, keep_default_na=False)


def _other_tables(zf: zipfile.ZipFile, members: dict[str, str], tables: dict[str, pd.DataFrame],
                  keep_trips: set[str], used_stops: set[str]) -> None:
    """Add routes, calendars, frequencies, transfers, agency and feed_info reduced to the kept trips."""
    trips = tables["trips.txt"]
    services = set(trips["service_id"])
    for name in _KEEP:
        if name in tables or name not in members:
            continue
        frame = _read(zf, members, name)
        assert frame is not None
        if name == "routes.txt":
            frame = frame[frame["route_id"].isin(set(trips["route_id"]))]
        elif name in ("calendar.txt", "calendar_dates.txt"):
            frame = frame[frame["service_id"].isin(services)]
        elif name == "frequencies.txt":
            frame = frame[frame["trip_id"].isin(keep_trips)]
        elif name == "transfers.txt" and {"from_stop_id", "to_stop_id"} <= set(frame.columns):
            frame = frame[frame["from_stop_id"].isin(used_stops) & frame["to_stop_id"].isin(used_stops)]
        tables[name] = frame


def clip_feed(source: str | Path, target: str | Path, bbox: Sequence[float], *, chunk_rows: int = CHUNK_ROWS) -> Path:
    """Write the part of feed *source* inside *bbox* (``[min_lon, min_lat, max_lon, max_lat]``) to *target*.

    Raises
    ------
    GtfsError
        The source is not a readable feed, or no trip stops twice inside the box.
    """
    source, target = Path(source), Path(target)
    min_lon, min_lat, max_lon, max_lat = (float(v) for v in bbox)
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise GtfsError(f"GTFS-Datei {source.name}: Das ist kein lesbares ZIP-Archiv ({exc}).") from exc
    with zf:
        members = zip_members(zf)
        for need in ("stops.txt", "trips.txt", "stop_times.txt"):
            if need not in members:
                raise GtfsError(f"GTFS-Datei {source.name}: Es fehlt {need}.")
        stops = _read(zf, members, "stops.txt")
        assert stops is not None
        lat = pd.to_numeric(stops.get("stop_lat"), errors="coerce")
        lon = pd.to_numeric(stops.get("stop_lon"), errors="coerce")
        inside = set(stops.loc[(lat >= min_lat) & (lat <= max_lat) & (lon >= min_lon) & (lon <= max_lon), "stop_id"])
        # pass 1: trips with at least two stop times inside the box
        counts: dict[str, int] = {}
        with zf.open(members["stop_times.txt"]) as fh:
            for chunk in pd.read_csv(io.TextIOWrapper(fh, encoding="utf-8-sig"), dtype=str, keep_default_na=False,
                                     usecols=["trip_id", "stop_id"], chunksize=chunk_rows):
                hit = chunk.loc[chunk["stop_id"].isin(inside), "trip_id"].value_counts()
                for trip, n in hit.items():
                    counts[trip] = counts.get(trip, 0) + int(n)
        keep_trips = {t for t, n in counts.items() if n >= 2}
        if not keep_trips:
            raise GtfsError(
                f"GTFS-Datei {source.name}: Keine Fahrt hält mindestens zweimal im Gebiet "
                f"{min_lon:.3f}–{max_lon:.3f}° Ost, {min_lat:.3f}–{max_lat:.3f}° Nord."
            )
        # pass 2: all stop times of those trips
        parts = []
        with zf.open(members["stop_times.txt"]) as fh:
            for chunk in pd.read_csv(io.TextIOWrapper(fh, encoding="utf-8-sig"), dtype=str, keep_default_na=False,
                                     chunksize=chunk_rows):
                parts.append(chunk[chunk["trip_id"].isin(keep_trips)])
        stop_times = pd.concat(parts, ignore_index=True)
        used_stops = set(stop_times["stop_id"])
        parents = set(stops.loc[stops["stop_id"].isin(used_stops), "parent_station"]) if "parent_station" in stops \
            else set()
        tables: dict[str, pd.DataFrame] = {
            "stops.txt": stops[stops["stop_id"].isin(used_stops | (parents - {""}))],
            "stop_times.txt": stop_times,
        }
        trips = _read(zf, members, "trips.txt")
        assert trips is not None
        tables["trips.txt"] = trips[trips["trip_id"].isin(keep_trips)]
        _other_tables(zf, members, tables, keep_trips, used_stops)
    part = target.with_name(target.name + ".part")
    with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as out:
        for name, frame in tables.items():
            out.writestr(name, frame.to_csv(index=False, lineterminator="\n"))
    try:
        read_feed(part)
    except GtfsError:
        part.unlink(missing_ok=True)
        raise
    part.replace(target)
    return target


def trips_inside(path: str | Path) -> int:
    """Number of trips of a (clipped) feed – for messages."""
    return int(np.asarray(read_feed(path).trips["trip_id"]).size)
