"""Cutting a GTFS feed to a study area (SYNTHETIC line, tests/fixtures/synthetic_gtfs.py), and the
download pipeline with a local file instead of the network."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas.download import transit as dt_
from atlas.transit import GtfsError, read_feed
from atlas.transit.clip import clip_feed
from tests.fixtures import synthetic_gtfs as syn


def _bbox(x0: float, y0: float, x1: float, y1: float) -> list[float]:
    lon0, lat0 = syn.lonlat(x0, y0)
    lon1, lat1 = syn.lonlat(x1, y1)
    return [min(lon0, lon1), min(lat0, lat1), max(lon0, lon1), max(lat0, lat1)]


def test_clip_keeps_trips_with_two_stops_inside(tmp_path: Path) -> None:
    """Box around A (0 m) and B (5 km): T1 (A, B, C) stops twice inside and is kept with all three stops,
    including C outside; T2, T4 (A, C) and T3 (E, D) stop at most once inside and are dropped; only
    service W remains in calendar.txt/calendar_dates.txt."""
    src = syn.write_feed(tmp_path / "gross.zip")
    out = clip_feed(src, tmp_path / "klein.zip", _bbox(-100, -100, 5100, 100))
    feed = read_feed(out)
    assert list(feed.trips["trip_id"]) == ["T1"]
    assert sorted(feed.stops["stop_id"]) == ["A", "B", "C"]
    assert len(feed.stop_times) == 3
    assert set(feed.calendar["service_id"]) == {"W"} and set(feed.calendar_dates["service_id"]) == {"W"}
    assert feed.name == "Testbus Synthetisch"


def test_clip_empty_area_and_broken_source(tmp_path: Path) -> None:
    src = syn.write_feed(tmp_path / "gross.zip")
    with pytest.raises(GtfsError, match="Keine Fahrt"):
        clip_feed(src, tmp_path / "leer.zip", _bbox(50_000, 50_000, 60_000, 60_000))
    assert not (tmp_path / "leer.zip").exists()
    bad = tmp_path / "kaputt.zip"
    bad.write_text("kein zip", encoding="utf-8")
    with pytest.raises(GtfsError, match="kaputt.zip"):
        clip_feed(bad, tmp_path / "x.zip", _bbox(0, 0, 1, 1))


def test_download_from_local_file_is_clipped(tmp_path: Path) -> None:
    src = syn.write_feed(tmp_path / "deutschland.zip")
    path = dt_.download_gtfs(tmp_path / "quellen", "nv", bbox=_bbox(-100, -100, 5100, 100), aus_datei=src)
    assert path.name == "fahrplan_gtfs_nv.zip" and list(read_feed(path).trips["trip_id"]) == ["T1"]
    assert src.is_file()  # the user's own file is kept


def test_cli_cuts_to_the_built_county(tmp_path: Path, built, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --bbox the area is the built Kreis + 15 km; the synthetic line lies inside it."""
    from atlas.cli import main

    src = syn.write_feed(tmp_path / "deutschland.zip")
    dest = tmp_path / "quellen"
    assert main(["fahrplan", "--dest", str(dest), "--aus-datei", str(src), "--data", str(built.gpkg.parent)]) == 0
    assert "ATLAS_GTFS=" in capsys.readouterr().out
    assert len(read_feed(dest / "fahrplan_gtfs_nv.zip").trips) == 4
    assert main(["fahrplan", "--dest", str(dest), "--aus-datei", str(src), "--data", str(tmp_path / "fehlt")]) == 1
    assert "--bbox" in capsys.readouterr().err
