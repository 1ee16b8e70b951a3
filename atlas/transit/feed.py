"""Reading a GTFS feed (zip) with German errors that name the file, the table and the line.

The tables are read with pandas (all columns as text, then checked and converted here) rather than
with a GTFS library: ``gtfs-kit`` and ``partridge`` read feeds well, but their validation reports in
English and without the line of the problem, and the atlas must tell a coordinator *where* a partial
download or a hand-edited feed is broken. Line numbers count the header as line 1 (a row with a line
break inside quotes shifts the count – rare in GTFS).

What is read: ``stops.txt``, ``trips.txt``, ``stop_times.txt``, ``calendar.txt`` and/or
``calendar_dates.txt`` (required), ``routes.txt``, ``agency.txt``, ``feed_info.txt`` and
``frequencies.txt`` (optional; frequency-based trips are expanded into single trips).
``transfers.txt`` is not read: transfers are modelled by a minimum change time and short walks
between nearby stops (:mod:`atlas.transit.timetable`).

Times are seconds after noon minus 12 h of the service day ("24:30:00" = 88200 s, trips after
midnight keep their service day). Stop times without a time (non-timepoints) are interpolated
linearly along the trip by stop sequence.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from atlas.transit.errors import GtfsError

#: Tables without which no timetable can be computed.
REQUIRED_TABLES: tuple[str, ...] = ("stops.txt", "trips.txt", "stop_times.txt")
#: At least one of these must be present (GTFS: calendar.txt, calendar_dates.txt or both).
CALENDAR_TABLES: tuple[str, ...] = ("calendar.txt", "calendar_dates.txt")
#: German weekday names, Monday first (``date.weekday()`` order).
WOCHENTAGE: tuple[str, ...] = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
_DAY_COLUMNS: tuple[str, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: GTFS ``route_type`` values counted as rail (basic and extended types 100–117, 400–405).
RAIL_ROUTE_TYPES: frozenset[int] = frozenset({0, 1, 2, 5, 7, 12, *range(100, 118), *range(400, 406)})


@dataclass(frozen=True)
class Feed:
    """A GTFS feed read into tables with integer keys.

    Attributes
    ----------
    path:
        The zip file.
    name:
        Publisher (``feed_info.txt``) or agency names (``agency.txt``), else the file name.
    gueltig_von, gueltig_bis:
        Validity: ``feed_info`` start/end dates, else the span of ``calendar``/``calendar_dates``.
    stops:
        One row per stop (position = stop number): ``stop_id``, ``stop_name``, ``lat``, ``lon``,
        ``parent_station``.
    trips:
        One row per trip (position = trip number): ``trip_id``, ``route_id``, ``service_id``,
        ``route_type`` (``-1`` if unknown).
    stop_times:
        Sorted by trip and stop sequence: ``trip`` and ``stop`` (positions), ``seq``, ``arr``, ``dep``
        (seconds of the service day), ``pickup`` and ``dropoff`` (bool: boarding/alighting allowed).
    calendar:
        ``service_id``, seven weekday flags (bool), ``start``, ``end`` (dates); may be empty.
    calendar_dates:
        ``service_id``, ``date``, ``exception_type`` (1 added, 2 removed); may be empty.
    """

    path: Path
    name: str
    gueltig_von: dt.date | None
    gueltig_bis: dt.date | None
    stops: pd.DataFrame
    trips: pd.DataFrame
    stop_times: pd.DataFrame
    calendar: pd.DataFrame
    calendar_dates: pd.DataFrame
    hinweise: tuple[str, ...] = field(default=())

    @property
    def beschriftung(self) -> str:
        """German label, e.g. ``"Fahrplan: VMT (gültig 01.01.2026–31.12.2026)"``."""
        return f"Fahrplan: {self.name} ({self.gueltigkeit})"

    @property
    def gueltigkeit(self) -> str:
        """Validity in German, e.g. ``"gültig 26.05.2014–26.12.2014"``."""
        if self.gueltig_von is None or self.gueltig_bis is None:
            return "Gültigkeit nicht angegeben"
        return f"gültig {self.gueltig_von:%d.%m.%Y}–{self.gueltig_bis:%d.%m.%Y}"

    def services_on(self, day: dt.date) -> set[str]:
        """Service ids running on *day*: ``calendar`` (weekday flag, start ≤ day ≤ end), then the
        exceptions of ``calendar_dates`` (1 adds, 2 removes)."""
        active: set[str] = set()
        cal = self.calendar
        if len(cal):
            col = _DAY_COLUMNS[day.weekday()]
            ok = cal[col].to_numpy(dtype=bool) & (cal["start"] <= day).to_numpy() & (cal["end"] >= day).to_numpy()
            active.update(cal.loc[ok, "service_id"])
        cd = self.calendar_dates
        if len(cd):
            today = cd[cd["date"] == day]
            active.update(today.loc[today["exception_type"] == 1, "service_id"])
            active.difference_update(today.loc[today["exception_type"] == 2, "service_id"])
        return active

    def trips_on(self, day: dt.date) -> np.ndarray:
        """Boolean mask over :attr:`trips`: the trip runs on *day*."""
        return self.trips["service_id"].isin(self.services_on(day)).to_numpy()

    def dates(self) -> list[dt.date]:
        """Every date of the validity period (empty without one)."""
        if self.gueltig_von is None or self.gueltig_bis is None:
            return []
        n = (self.gueltig_bis - self.gueltig_von).days + 1
        return [self.gueltig_von + dt.timedelta(days=i) for i in range(max(n, 0))]

    def typical_date(self, weekday: int) -> dt.date:
        """The date of *weekday* (0 = Monday) in the validity period with the most trips (so a
        holiday or a school-holiday exception is not picked); the earliest of equals.

        Raises
        ------
        GtfsError
            No date of that weekday has any trip.
        """
        best: tuple[int, dt.date] | None = None
        for day in self.dates():
            if day.weekday() != weekday:
                continue
            n = int(self.trips_on(day).sum())
            if n and (best is None or n > best[0]):
                best = (n, day)
        if best is None:
            raise GtfsError(
                f"GTFS-Datei {self.path.name}: An keinem {WOCHENTAGE[weekday]} im Gültigkeitszeitraum "
                f"({self.gueltigkeit}) fährt eine Fahrt."
            )
        return best[1]


# --------------------------------------------------------------------------------------------
# reading


def _where(path: Path, table: str, line: int | None = None) -> str:
    text = f"GTFS-Datei {path.name}, {table}"
    return f"{text}, Zeile {line}" if line is not None else text


def zip_members(zf: zipfile.ZipFile) -> dict[str, str]:
    """Table name → member name (feeds zipped with a top folder are accepted)."""
    out: dict[str, str] = {}
    for member in zf.namelist():
        base = member.rsplit("/", 1)[-1]
        if base.endswith(".txt") and base not in out:
            out[base] = member
    return out


def _read_table(zf: zipfile.ZipFile, members: dict[str, str], path: Path, table: str) -> pd.DataFrame | None:
    if table not in members:
        return None
    try:
        raw = zf.read(members[table])
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise GtfsError(
            f"{_where(path, table)}: Die Datei lässt sich nicht entpacken; das Archiv ist beschädigt oder "
            f"unvollständig heruntergeladen ({exc})."
        ) from exc
    except Exception as exc:  # zlib.error and CRC errors have no common base class
        raise GtfsError(
            f"{_where(path, table)}: Die Datei lässt sich nicht entpacken; das Archiv ist beschädigt oder "
            f"unvollständig heruntergeladen ({exc})."
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise GtfsError(f"{_where(path, table, line)}: Der Text ist nicht UTF-8-kodiert (GTFS verlangt UTF-8).") from exc
    if not text.strip():
        raise GtfsError(f"{_where(path, table)}: Die Datei ist leer (auch die Kopfzeile fehlt).")
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True, engine="c"
        )
    except pd.errors.ParserError as exc:
        raise GtfsError(f"{_where(path, table)}: Die CSV-Datei ist fehlerhaft ({exc}).") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _require_columns(frame: pd.DataFrame, path: Path, table: str, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise GtfsError(
            f"{_where(path, table, 1)} (Kopfzeile): Spalte(n) {', '.join(repr(c) for c in missing)} fehlen; "
            f"vorhanden sind: {', '.join(map(repr, frame.columns))}."
        )


def _first_bad(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def _line(pos: int) -> int:
    """Line of data row *pos* (0-based) in the file: header is line 1."""
    return pos + 2


def _require_values(frame: pd.DataFrame, path: Path, table: str, columns: Sequence[str]) -> None:
    for col in columns:
        empty = (frame[col].str.strip() == "").to_numpy()
        if empty.any():
            pos = _first_bad(empty)
            raise GtfsError(f"{_where(path, table, _line(pos))}: Das Feld {col!r} ist leer.")


def parse_times(values: pd.Series, path: Path, table: str, column: str) -> np.ndarray:
    """Seconds of the service day for ``H:MM:SS`` / ``HH:MM:SS`` texts (NaN for empty ones).

    Each distinct text is parsed once (a timetable repeats the same few thousand times)."""
    codes, uniques = pd.factorize(values.str.strip())
    texts = pd.Series(uniques, dtype=object).astype(str)
    parts = texts.str.extract(r"^(\d{1,3}):([0-5]\d):([0-5]\d)$")
    bad_unique = parts[0].isna().to_numpy() & (texts != "").to_numpy()
    if bad_unique.any():
        bad = np.isin(codes, np.flatnonzero(bad_unique))
        pos = _first_bad(bad)
        raise GtfsError(
            f"{_where(path, table, _line(pos))}: Feld {column!r} hat den Wert {values.iloc[pos]!r}; erwartet "
            f"ist eine Uhrzeit wie 07:45:00 (Stunden über 24 für Fahrten nach Mitternacht)."
        )
    seconds = (parts[0].astype(float) * 3600 + parts[1].astype(float) * 60 + parts[2].astype(float)).to_numpy()
    return seconds[codes] if len(codes) else np.empty(0)


def _parse_dates(values: pd.Series, path: Path, table: str, column: str) -> pd.Series:
    parsed = pd.to_datetime(values.str.strip(), format="%Y%m%d", errors="coerce")
    bad = parsed.isna().to_numpy()
    if bad.any():
        pos = _first_bad(bad)
        raise GtfsError(
            f"{_where(path, table, _line(pos))}: Feld {column!r} hat den Wert {values.iloc[pos]!r}; erwartet "
            f"ist ein Datum wie 20260105 (JJJJMMTT)."
        )
    return parsed.dt.date


def _parse_int(
    values: pd.Series, path: Path, table: str, column: str, *, allowed: Sequence[int] | None = None, default: int | None = None
) -> np.ndarray:
    text = values.str.strip()
    if default is not None:
        text = text.mask(text == "", str(default))
    num = pd.to_numeric(text, errors="coerce")
    bad = num.isna().to_numpy() | (num.to_numpy() % 1 != 0)
    if allowed is not None:
        bad |= ~num.isin(list(allowed)).to_numpy()
    if bad.any():
        pos = _first_bad(bad)
        hint = f" (erlaubt: {', '.join(map(str, allowed))})" if allowed is not None else " (ganze Zahl erwartet)"
        raise GtfsError(f"{_where(path, table, _line(pos))}: Feld {column!r} hat den Wert {values.iloc[pos]!r}{hint}.")
    return num.to_numpy(dtype=np.int64)


def _parse_float(
    values: pd.Series, path: Path, table: str, column: str, lo: float, hi: float, check: np.ndarray | None = None
) -> np.ndarray:
    """Floats in [lo, hi]; rows outside the boolean mask *check* may be empty or invalid (NaN)."""
    num = pd.to_numeric(values.str.strip(), errors="coerce")
    bad = num.isna().to_numpy() | (num < lo).to_numpy() | (num > hi).to_numpy()
    if check is not None:
        bad &= check
    if bad.any():
        pos = _first_bad(bad)
        raise GtfsError(
            f"{_where(path, table, _line(pos))}: Feld {column!r} hat den Wert {values.iloc[pos]!r}; erwartet ist "
            f"eine Zahl zwischen {lo:g} und {hi:g}."
        )
    return num.to_numpy(dtype=float)


def _unknown_reference(
    keys: pd.Series, known: pd.Index | set[str], path: Path, table: str, column: str, target: str
) -> None:
    bad = ~keys.isin(known).to_numpy()
    if bad.any():
        pos = _first_bad(bad)
        raise GtfsError(
            f"{_where(path, table, _line(pos))}: {column} {keys.iloc[pos]!r} kommt in {target} nicht vor "
            f"({int(bad.sum())} solche Zeilen; der Fahrplan ist unvollständig)."
        )


def _duplicates(keys: pd.Series, path: Path, table: str, column: str) -> None:
    dup = keys.duplicated().to_numpy()
    if dup.any():
        pos = _first_bad(dup)
        raise GtfsError(f"{_where(path, table, _line(pos))}: {column} {keys.iloc[pos]!r} kommt doppelt vor.")


def _stops(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    table = "stops.txt"
    _require_columns(frame, path, table, ["stop_id"])
    _require_values(frame, path, table, ["stop_id"])
    _duplicates(frame["stop_id"], path, table, "stop_id")
    loc_type = (
        _parse_int(frame["location_type"], path, table, "location_type", allowed=range(5), default=0)
        if "location_type" in frame.columns
        else np.zeros(len(frame), dtype=np.int64)
    )
    lat = np.full(len(frame), np.nan)
    lon = np.full(len(frame), np.nan)
    placed = loc_type <= 2  # stops, stations and entrances have coordinates; nodes and areas need not
    if placed.any():
        _require_columns(frame, path, table, ["stop_lat", "stop_lon"])
        lat = _parse_float(frame["stop_lat"], path, table, "stop_lat", -90, 90, placed)
        lon = _parse_float(frame["stop_lon"], path, table, "stop_lon", -180, 180, placed)
    return pd.DataFrame(
        {
            "stop_id": frame["stop_id"].str.strip().to_numpy(),
            "stop_name": frame["stop_name"].to_numpy() if "stop_name" in frame.columns else "",
            "lat": lat,
            "lon": lon,
            "location_type": loc_type,
            "parent_station": frame["parent_station"].str.strip().to_numpy() if "parent_station" in frame.columns else "",
        }
    )


def _calendar(frame: pd.DataFrame | None, path: Path) -> pd.DataFrame:
    cols = ["service_id", *_DAY_COLUMNS, "start_date", "end_date"]
    if frame is None:
        return pd.DataFrame(columns=["service_id", *_DAY_COLUMNS, "start", "end"])
    table = "calendar.txt"
    _require_columns(frame, path, table, cols)
    _require_values(frame, path, table, ["service_id"])
    _duplicates(frame["service_id"], path, table, "service_id")
    out = pd.DataFrame({"service_id": frame["service_id"].str.strip().to_numpy()})
    for col in _DAY_COLUMNS:
        out[col] = _parse_int(frame[col], path, table, col, allowed=(0, 1)).astype(bool)
    out["start"] = _parse_dates(frame["start_date"], path, table, "start_date").to_numpy()
    out["end"] = _parse_dates(frame["end_date"], path, table, "end_date").to_numpy()
    return out


def _calendar_dates(frame: pd.DataFrame | None, path: Path) -> pd.DataFrame:
    if frame is None:
        return pd.DataFrame(columns=["service_id", "date", "exception_type"])
    table = "calendar_dates.txt"
    _require_columns(frame, path, table, ["service_id", "date", "exception_type"])
    _require_values(frame, path, table, ["service_id"])
    return pd.DataFrame(
        {
            "service_id": frame["service_id"].str.strip().to_numpy(),
            "date": _parse_dates(frame["date"], path, table, "date").to_numpy(),
            "exception_type": _parse_int(frame["exception_type"], path, table, "exception_type", allowed=(1, 2)),
        }
    )


def _stop_times(frame: pd.DataFrame, path: Path, trip_ids: pd.Index, stop_ids: pd.Index) -> pd.DataFrame:
    table = "stop_times.txt"
    _require_columns(frame, path, table, ["trip_id", "stop_id", "stop_sequence", "arrival_time", "departure_time"])
    _require_values(frame, path, table, ["trip_id", "stop_id"])
    if len(frame) == 0:
        raise GtfsError(f"{_where(path, table)}: Die Datei enthält keine Haltezeiten (nur die Kopfzeile).")
    trip_key = frame["trip_id"].str.strip()
    stop_key = frame["stop_id"].str.strip()
    _unknown_reference(trip_key, trip_ids, path, table, "trip_id", "trips.txt")
    _unknown_reference(stop_key, stop_ids, path, table, "stop_id", "stops.txt")
    seq = _parse_int(frame["stop_sequence"], path, table, "stop_sequence")
    arr = parse_times(frame["arrival_time"], path, table, "arrival_time")
    dep = parse_times(frame["departure_time"], path, table, "departure_time")
    arr = np.where(np.isnan(arr), dep, arr)
    dep = np.where(np.isnan(dep), arr, dep)
    pickup = (
        _parse_int(frame["pickup_type"], path, table, "pickup_type", allowed=range(4), default=0) != 1
        if "pickup_type" in frame.columns
        else np.ones(len(frame), dtype=bool)
    )
    dropoff = (
        _parse_int(frame["drop_off_type"], path, table, "drop_off_type", allowed=range(4), default=0) != 1
        if "drop_off_type" in frame.columns
        else np.ones(len(frame), dtype=bool)
    )
    st = pd.DataFrame(
        {
            "trip": trip_ids.get_indexer(trip_key),
            "stop": stop_ids.get_indexer(stop_key),
            "seq": seq,
            "arr": arr,
            "dep": dep,
            "pickup": pickup,
            "dropoff": dropoff,
            "line": np.arange(len(frame)) + 2,
        }
    )
    st = st.sort_values(["trip", "seq"], kind="stable").reset_index(drop=True)
    trip = st["trip"].to_numpy()
    first = np.r_[True, trip[1:] != trip[:-1]]
    last = np.r_[trip[1:] != trip[:-1], True]
    dup_seq = ~first & (st["seq"].to_numpy() == np.r_[-1, st["seq"].to_numpy()[:-1]])
    if dup_seq.any():
        pos = _first_bad(dup_seq)
        raise GtfsError(
            f"{_where(path, table, int(st['line'].iloc[pos]))}: stop_sequence {int(st['seq'].iloc[pos])} kommt in "
            f"der Fahrt {trip_ids[trip[pos]]!r} doppelt vor."
        )
    missing_end = (first | last) & np.isnan(st["arr"].to_numpy())
    if missing_end.any():
        pos = _first_bad(missing_end)
        raise GtfsError(
            f"{_where(path, table, int(st['line'].iloc[pos]))}: Erster und letzter Halt einer Fahrt brauchen eine "
            f"Ankunfts- und Abfahrtszeit (Fahrt {trip_ids[trip[pos]]!r})."
        )
    if np.isnan(st["arr"].to_numpy()).any():
        st["arr"], st["dep"] = _interpolate(st["arr"].to_numpy(), st["dep"].to_numpy())
    a = st["arr"].to_numpy()
    d = st["dep"].to_numpy()
    bad = (d < a) | np.r_[False, ~first[1:] & (a[1:] < d[:-1])]
    if bad.any():
        pos = _first_bad(bad)
        raise GtfsError(
            f"{_where(path, table, int(st['line'].iloc[pos]))}: Die Zeiten der Fahrt {trip_ids[trip[pos]]!r} gehen "
            f"rückwärts (Ankunft {_hms(a[pos])}, Abfahrt {_hms(d[pos])}, vorige Abfahrt "
            f"{_hms(d[pos - 1]) if pos else '–'})."
        )
    return st


def _interpolate(arr: np.ndarray, dep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Times of non-timepoints, linear by position between the previous departure and the next
    arrival (first and last stop of every trip have times, so both neighbours lie in the same trip)."""
    idx = np.arange(len(arr))
    valid = ~np.isnan(arr)
    prev = np.maximum.accumulate(np.where(valid, idx, -1))
    nxt = np.minimum.accumulate(np.where(valid, idx, len(arr))[::-1])[::-1]
    gap = ~valid
    frac = (idx[gap] - prev[gap]) / (nxt[gap] - prev[gap])
    arr = arr.copy()
    dep = dep.copy()
    arr[gap] = dep[prev[gap]] + (arr[nxt[gap]] - dep[prev[gap]]) * frac
    dep[gap] = arr[gap]
    return arr, dep


def _hms(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _expand_frequencies(
    freq: pd.DataFrame, path: Path, trips: pd.DataFrame, st: pd.DataFrame, trip_ids: pd.Index
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Replace each frequency-based trip by single trips at ``start_time``, ``+ headway_secs`` …
    ``< end_time`` (the template's times are shifted so its first departure is the start)."""
    table = "frequencies.txt"
    _require_columns(freq, path, table, ["trip_id", "start_time", "end_time", "headway_secs"])
    key = freq["trip_id"].str.strip()
    _unknown_reference(key, trip_ids, path, table, "trip_id", "trips.txt")
    start = parse_times(freq["start_time"], path, table, "start_time")
    end = parse_times(freq["end_time"], path, table, "end_time")
    headway = _parse_int(freq["headway_secs"], path, table, "headway_secs")
    if (headway <= 0).any():
        pos = _first_bad(headway <= 0)
        raise GtfsError(f"{_where(path, table, _line(pos))}: headway_secs muss größer als 0 sein.")
    templates = set(trip_ids.get_indexer(key))
    keep_trips = [i for i in range(len(trips)) if i not in templates]
    new_trips = [trips.iloc[keep_trips]]
    new_st = [st[~st["trip"].isin(templates)]]
    next_trip = len(trips)
    for row in range(len(freq)):
        t = int(trip_ids.get_indexer([key.iloc[row]])[0])
        tpl = st[st["trip"] == t]
        offset0 = float(tpl["dep"].iloc[0])
        for k, begin in enumerate(np.arange(start[row], end[row], headway[row])):
            trip_row = trips.iloc[[t]].copy()
            trip_row["trip_id"] = f"{trip_row['trip_id'].iloc[0]}#{row + 1}.{k + 1}"
            new_trips.append(trip_row)
            copy = tpl.copy()
            copy["arr"] = copy["arr"] - offset0 + begin
            copy["dep"] = copy["dep"] - offset0 + begin
            copy["trip"] = next_trip
            new_st.append(copy)
            next_trip += 1
    trips_out = pd.concat(new_trips, ignore_index=True)
    # renumber trips to positions in trips_out
    old_to_new = {old: new for new, old in enumerate(keep_trips)}
    st_out = pd.concat(new_st, ignore_index=True)
    st_out["trip"] = st_out["trip"].map(lambda x: old_to_new.get(x, x - len(trips) + len(keep_trips)))
    return trips_out, st_out.sort_values(["trip", "seq"], kind="stable").reset_index(drop=True)


def read_feed(path: str | Path) -> Feed:
    """Read and check the GTFS zip at *path*.

    Raises
    ------
    GtfsError
        The file is missing, not a zip, truncated, lacks a required table or column, or a value is
        invalid or refers to something missing; the message names file, table and line.
    """
    path = Path(path)
    if not path.is_file():
        raise GtfsError(f"GTFS-Datei {path}: Die Datei gibt es nicht (ATLAS_GTFS prüfen).")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise GtfsError(
            f"GTFS-Datei {path.name}: Das ist kein lesbares ZIP-Archiv (beschädigt oder unvollständig "
            f"heruntergeladen?): {exc}"
        ) from exc
    with zf:
        members = zip_members(zf)
        missing = [t for t in REQUIRED_TABLES if t not in members]
        if missing or not any(t in members for t in CALENDAR_TABLES):
            need = missing + ([] if any(t in members for t in CALENDAR_TABLES) else ["calendar.txt oder calendar_dates.txt"])
            raise GtfsError(
                f"GTFS-Datei {path.name}: Es fehlt {', '.join(need)}; ein Fahrplan braucht stops.txt, trips.txt, "
                f"stop_times.txt und calendar.txt oder calendar_dates.txt (vorhanden: "
                f"{', '.join(sorted(members)) or 'nichts'})."
            )
        tables = {
            t: _read_table(zf, members, path, t)
            for t in (
                *REQUIRED_TABLES,
                *CALENDAR_TABLES,
                "routes.txt",
                "agency.txt",
                "feed_info.txt",
                "frequencies.txt",
            )
        }
    stops = _stops(tables["stops.txt"], path)  # type: ignore[arg-type]
    calendar = _calendar(tables["calendar.txt"], path)
    calendar_dates = _calendar_dates(tables["calendar_dates.txt"], path)

    trips_raw = tables["trips.txt"]
    assert trips_raw is not None
    _require_columns(trips_raw, path, "trips.txt", ["route_id", "service_id", "trip_id"])
    _require_values(trips_raw, path, "trips.txt", ["trip_id", "service_id"])
    _duplicates(trips_raw["trip_id"], path, "trips.txt", "trip_id")
    services = set(calendar["service_id"]) | set(calendar_dates["service_id"])
    _unknown_reference(
        trips_raw["service_id"].str.strip(), services, path, "trips.txt", "service_id", "calendar.txt/calendar_dates.txt"
    )
    trips = pd.DataFrame(
        {
            "trip_id": trips_raw["trip_id"].str.strip().to_numpy(),
            "route_id": trips_raw["route_id"].str.strip().to_numpy(),
            "service_id": trips_raw["service_id"].str.strip().to_numpy(),
        }
    )
    routes = tables["routes.txt"]
    trips["route_type"] = -1
    if routes is not None and {"route_id", "route_type"} <= set(routes.columns):
        rt = _parse_int(routes["route_type"], path, "routes.txt", "route_type")
        lookup = dict(zip(routes["route_id"].str.strip(), rt, strict=True))
        trips["route_type"] = trips["route_id"].map(lookup).fillna(-1).astype(np.int64)

    trip_ids = pd.Index(trips["trip_id"])
    stop_ids = pd.Index(stops["stop_id"])
    st = _stop_times(tables["stop_times.txt"], path, trip_ids, stop_ids)  # type: ignore[arg-type]
    used = np.unique(st["stop"].to_numpy())
    unplaced = used[np.isnan(stops["lat"].to_numpy()[used])]
    if len(unplaced):
        raise GtfsError(
            f"{_where(path, 'stops.txt', int(unplaced[0]) + 2)}: Der Halt {stops['stop_id'].iloc[unplaced[0]]!r} "
            f"wird in stop_times.txt angefahren, hat aber keine Koordinaten."
        )
    hinweise: list[str] = []
    if tables["frequencies.txt"] is not None and len(tables["frequencies.txt"]):
        trips, st = _expand_frequencies(tables["frequencies.txt"], path, trips, st, trip_ids)
        hinweise.append("Takt-Fahrten aus frequencies.txt wurden in Einzelfahrten umgerechnet.")

    name, von, bis = _name_and_validity(path, tables["feed_info.txt"], tables["agency.txt"], calendar, calendar_dates)
    return Feed(
        path=path,
        name=name,
        gueltig_von=von,
        gueltig_bis=bis,
        stops=stops,
        trips=trips,
        stop_times=st.drop(columns=["line"]),
        calendar=calendar,
        calendar_dates=calendar_dates,
        hinweise=tuple(hinweise),
    )


def _name_and_validity(
    path: Path,
    feed_info: pd.DataFrame | None,
    agency: pd.DataFrame | None,
    calendar: pd.DataFrame,
    calendar_dates: pd.DataFrame,
) -> tuple[str, dt.date | None, dt.date | None]:
    name = ""
    von: dt.date | None = None
    bis: dt.date | None = None
    if feed_info is not None and len(feed_info):
        if "feed_publisher_name" in feed_info.columns:
            name = feed_info["feed_publisher_name"].iloc[0].strip()
        for col in ("feed_start_date", "feed_end_date"):
            if col in feed_info.columns and feed_info[col].iloc[0].strip():
                value = _parse_dates(feed_info[col].iloc[:1], path, "feed_info.txt", col).iloc[0]
                if col == "feed_start_date":
                    von = value
                else:
                    bis = value
    if not name and agency is not None and "agency_name" in agency.columns and len(agency):
        name = ", ".join(dict.fromkeys(a.strip() for a in agency["agency_name"] if a.strip()))
    if not name:
        name = path.stem
    starts: list[dt.date] = list(calendar["start"]) + list(
        calendar_dates.loc[calendar_dates["exception_type"] == 1, "date"]
    )
    ends: list[dt.date] = list(calendar["end"]) + list(calendar_dates.loc[calendar_dates["exception_type"] == 1, "date"])
    if von is None and starts:
        von = min(starts)
    if bis is None and ends:
        bis = max(ends)
    return name, von, bis
