"""Departures per stop from the SYNTHETIC line (tests/fixtures/synthetic_gtfs.py), Monday 05.01.2026:
T1 A→B→C, T2 A→C, T3 E→D run; T4 is Saturday only. Departures = boarding stops that are not a trip's last."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from atlas.transit import read_feed
from atlas.transit.departures import departures_per_feed_stop, register_departures
from tests.fixtures import synthetic_gtfs as syn

MONDAY = dt.date(2026, 1, 5)


def test_departures_per_feed_stop(tmp_path: Path) -> None:
    feed = read_feed(syn.write_feed(tmp_path / "l.zip"))
    deps = dict(zip(feed.stops["stop_id"], departures_per_feed_stop(feed, MONDAY), strict=True))
    assert deps == {"A": 2, "B": 1, "C": 0, "D": 0, "E": 1}
    saturday = dict(zip(feed.stops["stop_id"], departures_per_feed_stop(feed, dt.date(2026, 1, 10)), strict=True))
    assert saturday["A"] == 1 and saturday["B"] == 0


def test_register_stops_matched_by_dhid_then_by_place(tmp_path: Path) -> None:
    """Register stop 1 has DHID 'A' (exact id) → 2; stop 2 has no DHID and lies 20 m from B → 1; stop 3 lies
    30 m from C and 70 m from E, so only C is within 50 m → 0; stop 4 has an unknown DHID and is far away → 0."""
    feed = read_feed(syn.write_feed(tmp_path / "l.zip"))
    reg = pd.DataFrame({"dhid": ["A", None, "", "de:16066:9999"]})
    xy = np.array([[syn.X0 + 0, syn.Y0], [syn.X0 + 5000, syn.Y0 + 20], [syn.X0 + 10000, syn.Y0 + 30],
                   [syn.X0 + 40000, syn.Y0 + 40000]])
    out = register_departures(feed, MONDAY, reg, xy, syn.CRS)
    assert out.tolist() == [2, 1, 0, 0]
