"""Departures per stop and day from a GTFS feed – to apply the catchment source's condition
"mindestens 20 Abfahrten pro Werktag" (BBSR/Deutschlandatlas) when a timetable is given.

A departure is a stop time of a trip running that day at which boarding is allowed and which is not the
trip's last stop. Register stops (layer ``haltestellen``) are matched to feed stops by DHID – the German
stop id; DELFI feeds use it as ``stop_id``, platforms extend it (``de:16066:1234:1:1`` belongs to
``de:16066:1234``) – and, where that finds nothing, by every feed stop within ``max_m`` metres (both
directions of a road usually are two feed stops).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from atlas.transit.feed import Feed
from atlas.transit.timetable import stop_xy

#: The source's threshold (departures per working day).
MIN_ABFAHRTEN = 20


def departures_per_feed_stop(feed: Feed, day: dt.date) -> np.ndarray:
    """Departures on *day* per feed stop (array over :attr:`Feed.stops` positions)."""
    st = feed.stop_times
    runs = feed.trips_on(day)[st["trip"].to_numpy()]
    trip = st["trip"].to_numpy()
    last = np.r_[trip[1:] != trip[:-1], True]
    ok = runs & st["pickup"].to_numpy(dtype=bool) & ~last
    return np.bincount(st["stop"].to_numpy()[ok], minlength=len(feed.stops))


def register_departures(feed: Feed, day: dt.date, register: pd.DataFrame, xy: np.ndarray, crs: str,
                        max_m: float = 50.0) -> np.ndarray:
    """Departures on *day* per register stop (rows of *register* with column ``dhid``; metric *xy*)."""
    per_feed = departures_per_feed_stop(feed, day)
    ids = feed.stops["stop_id"].astype(str).to_numpy()
    # DHID match: exact or as a prefix of platform ids
    by_prefix: dict[str, int] = {}
    for sid, n in zip(ids, per_feed, strict=True):
        parts = sid.split(":")
        for k in range(min(3, len(parts)), len(parts) + 1):
            key = ":".join(parts[:k])
            by_prefix[key] = by_prefix.get(key, 0) + int(n)
    dhid = register["dhid"].fillna("").astype(str).to_numpy() if "dhid" in register.columns else np.full(len(xy), "")
    out = np.array([by_prefix.get(d, -1) if d else -1 for d in dhid], dtype=np.int64)
    # spatial fallback
    missing = out < 0
    if missing.any():
        fxy = stop_xy(feed, crs)
        placed = np.isfinite(fxy).all(axis=1)
        tree = cKDTree(fxy[placed])
        counts = per_feed[placed]
        near = tree.query_ball_point(xy[missing], max_m)
        out[missing] = [int(counts[idx].sum()) if idx else 0 for idx in near]
    return out
