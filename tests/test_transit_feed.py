"""Reading GTFS feeds: the REAL Cairns feed (tests/fixtures/real_gtfs.py) and SYNTHETIC broken feeds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from atlas import settings
from atlas.transit import GtfsError, read_feed
from tests.fixtures import synthetic_gtfs as syn
from tests.fixtures.real_gtfs import cairns_gtfs


@pytest.fixture(scope="module")
def cairns() -> Path:
    return cairns_gtfs()


def test_real_feed_name_validity_and_calendar(cairns: Path) -> None:
    """calendar.txt of the Cairns feed: weekday service 26.05.–26.12.2014, Sunday service until 28.12.2014;
    calendar_dates.txt removes the weekday service on Monday 09.06.2014 and adds the Sunday service."""
    feed = read_feed(cairns)
    assert feed.name == "Department of Transport and Main Roads - TransLink Division (qconnect)"
    assert (feed.gueltig_von, feed.gueltig_bis) == (dt.date(2014, 5, 26), dt.date(2014, 12, 28))
    assert "gültig 26.05.2014–28.12.2014" in feed.beschriftung
    assert feed.services_on(dt.date(2014, 5, 26)) == {"CNS2014-CNS_MUL-Weekday-00"}
    assert feed.services_on(dt.date(2014, 6, 9)) == {"CNS2014-CNS_MUL-Sunday-00"}
    assert feed.services_on(dt.date(2014, 5, 30)) == {"CNS2014-CNS_MUL-Weekday-00", "CNS2014-CNS_MUL-Weekday-00-0000100"}
    # the typical Monday is a regular one, not the holiday with the Sunday timetable
    assert feed.typical_date(0) != dt.date(2014, 6, 9)
    assert feed.typical_date(0).weekday() == 0


def test_real_feed_times_in_seconds(cairns: Path) -> None:
    """stop_times.txt: trip …-4165878 leaves Warren St (750337) at 05:50:00 = 21000 s; trip …-4166108
    leaves at 24:50:00 = 89400 s (after midnight, kept on its service day)."""
    feed = read_feed(cairns)
    st = feed.stop_times
    trip = feed.trips.index[feed.trips["trip_id"] == "CNS2014-CNS_MUL-Weekday-00-4165878"][0]
    first = st[st["trip"] == trip].iloc[0]
    assert feed.stops["stop_id"].iloc[first["stop"]] == "750337"
    assert first["dep"] == 5 * 3600 + 50 * 60
    late = feed.trips.index[feed.trips["trip_id"] == "CNS2014-CNS_MUL-Weekday-00-4166108"][0]
    assert st[st["trip"] == late]["dep"].iloc[0] == 24 * 3600 + 50 * 60


def test_synthetic_feed_reads(tmp_path: Path) -> None:
    feed = read_feed(syn.write_feed(tmp_path / "gut.zip"))
    assert feed.name == "Testbus Synthetisch"
    assert len(feed.stops) == 5 and len(feed.trips) == 4 and len(feed.stop_times) == 9
    assert feed.services_on(dt.date(2026, 1, 6)) == set()  # weekday service removed by calendar_dates
    assert feed.typical_date(5) == dt.date(2026, 1, 10)


def _error(path: Path) -> str:
    with pytest.raises(GtfsError) as err:
        read_feed(path)
    return str(err.value)


def test_missing_file(tmp_path: Path) -> None:
    msg = _error(tmp_path / "fehlt.zip")
    assert "fehlt.zip" in msg and "gibt es nicht" in msg


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "fahrplan.zip"
    path.write_text("stop_id,stop_name\n", encoding="utf-8")
    msg = _error(path)
    assert "fahrplan.zip" in msg and "kein lesbares ZIP-Archiv" in msg


def test_truncated_download(tmp_path: Path) -> None:
    full = syn.write_feed(tmp_path / "voll.zip").read_bytes()
    path = tmp_path / "halb.zip"
    path.write_bytes(full[: len(full) // 2])
    msg = _error(path)
    assert "halb.zip" in msg and ("beschädigt" in msg or "unvollständig" in msg)


def test_partial_feed_names_missing_table(tmp_path: Path) -> None:
    msg = _error(syn.write_feed(tmp_path / "teil.zip", drop=("stop_times.txt",)))
    assert "teil.zip" in msg and "stop_times.txt" in msg and "Es fehlt" in msg


def test_no_calendar(tmp_path: Path) -> None:
    msg = _error(syn.write_feed(tmp_path / "k.zip", drop=("calendar.txt", "calendar_dates.txt")))
    assert "calendar.txt oder calendar_dates.txt" in msg


def test_bad_time_names_table_line_and_field(tmp_path: Path) -> None:
    # line 3 of stop_times.txt = second data row (T1 at B)
    data = syn.replace("stop_times.txt", "T1,07:10:00,07:10:00,B,2", "T1,07:1x:00,07:10:00,B,2")
    msg = _error(syn.write_feed(tmp_path / "f.zip", data))
    assert "GTFS-Datei f.zip, stop_times.txt, Zeile 3" in msg and "'arrival_time'" in msg and "07:1x:00" in msg


def test_unknown_stop_reference(tmp_path: Path) -> None:
    data = syn.replace("stop_times.txt", "T2,07:50:00,07:50:00,C,2", "T2,07:50:00,07:50:00,Z,2")
    msg = _error(syn.write_feed(tmp_path / "f.zip", data))
    assert "stop_times.txt, Zeile 6" in msg and "'Z'" in msg and "stops.txt" in msg


def test_unknown_service(tmp_path: Path) -> None:
    data = syn.replace("trips.txt", "R1,S,T4", "R1,X,T4")
    msg = _error(syn.write_feed(tmp_path / "f.zip", data))
    assert "trips.txt, Zeile 5" in msg and "'X'" in msg and "calendar" in msg


def test_missing_column(tmp_path: Path) -> None:
    data = syn.tables()
    data["stops.txt"] = data["stops.txt"].replace("stop_lat", "breite")
    msg = _error(syn.write_feed(tmp_path / "f.zip", data))
    assert "stops.txt, Zeile 1" in msg and "'stop_lat'" in msg


def test_backward_times(tmp_path: Path) -> None:
    data = syn.replace("stop_times.txt", "T1,07:20:00,07:20:00,C,3", "T1,07:05:00,07:05:00,C,3")
    msg = _error(syn.write_feed(tmp_path / "f.zip", data))
    assert "stop_times.txt, Zeile 4" in msg and "rückwärts" in msg and "'T1'" in msg


def test_bad_date(tmp_path: Path) -> None:
    data = syn.replace("calendar.txt", "20260131\nS", "2026-01-31\nS")
    msg = _error(syn.write_feed(tmp_path / "f.zip", data))
    assert "calendar.txt, Zeile 2" in msg and "'end_date'" in msg


def test_gtfs_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ATLAS_GTFS", raising=False)
    assert settings.gtfs_path() is None
    monkeypatch.setenv("ATLAS_GTFS", str(tmp_path / "vmt.zip"))
    assert settings.gtfs_path() == (tmp_path / "vmt.zip").resolve()
