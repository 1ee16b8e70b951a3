"""The time-expanded graph of one service day, held as edge arrays for ``scipy.sparse.csgraph``.

Why a time-expanded graph on scipy and not RAPTOR: the atlas asks "how long from *every* origin to
the *nearest* site of a category, for every departure minute of a window". RAPTOR answers one origin
and one departure time per run (range-RAPTOR one origin for a whole window); in Python that means
~1,000 origins × runs. On a time-expanded graph the question turns around: a single multi-source
Dijkstra from all sites over the *reversed* graph (``scipy.sparse.csgraph.dijkstra`` in C, with
``min_only=True``) gives, for every departure event at every stop, the earliest arrival at any
site. Each origin and departure minute is then a binary search in the departures of the stops
within walking distance (``numpy.searchsorted``) – all origins and minutes at once.

Nodes (``n`` = number of stop times of the day; the model of Pyrga, Schulz, Wagner and Zaroliagis,
"Efficient models for timetable information in public transportation systems", JEA 2008):

* ``k`` – arrival event of stop time ``k``; ``n + k`` – its departure event;
* ``2n + k`` – the *waiting* node at the stop at the departure time of ``k`` (the chain of waiting
  nodes of one stop, sorted by time, models waiting at the stop).

Edges (weights in seconds = time difference, so a path's weight is arrival − start time):

* ride: departure ``k`` → arrival ``k + 1`` of the same trip;
* stay seated: arrival ``k`` → departure ``k``;
* board: waiting ``k`` → departure ``k`` (if ``pickup_type`` allows boarding);
* wait: waiting node → next waiting node of the same stop;
* alight and change: arrival ``k`` (if ``drop_off_type`` allows) → first waiting node at the same
  stop at least ``umstieg_min_s`` later, and at every stop within ``umstieg_max_m`` at least the
  walking time later (straight line × detour factor at walking speed, at least the change time).

Trips of the previous service day that run past midnight (times ≥ 24:00:00) are included, shifted
by −24 h. The sites and their walking egress edges are added per query (:mod:`atlas.transit.routing`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pyproj import Transformer
from scipy.spatial import cKDTree

from atlas.transit.errors import TransitError
from atlas.transit.feed import Feed

#: Offset so that times of the previous day (negative after the shift) give positive search keys.
_TIME_OFFSET: float = 86400.0
#: Width of one stop's block in the search keys (covers −24 h … +72 h).
_KEY_SPAN: float = 4 * 86400.0
#: csgraph must not see zero weights as "no edge": smallest weight used instead of 0.
MIN_WEIGHT: float = 1e-6


@dataclass(frozen=True)
class Gehparameter:
    """Walking and changing. Every default is an ASSUMPTION of the project, not a measured value.

    Attributes
    ----------
    geschwindigkeit_kmh:
        Walking speed (4.5 km/h, the atlas's walking speed elsewhere).
    umwegfaktor:
        Walking distance ≈ straight line × this factor (1.3 as for the straight-line method).
    max_fussweg_m:
        Longest walk (after the detour factor) from an origin to a stop, from a stop to a site and
        for a walk-only trip: 1,000 m ≈ 13 minutes.
    umstieg_min_s:
        Minimum change time at the same stop (2 minutes).
    umstieg_max_m:
        Longest walk between two stops when changing (after the detour factor): 400 m.
    """

    geschwindigkeit_kmh: float = 4.5
    umwegfaktor: float = 1.3
    max_fussweg_m: float = 1000.0
    umstieg_min_s: float = 120.0
    umstieg_max_m: float = 400.0

    def seconds(self, straight_m: np.ndarray) -> np.ndarray:
        """Walking time in seconds for straight-line distances in metres."""
        return np.asarray(straight_m, dtype=float) * self.umwegfaktor / (self.geschwindigkeit_kmh / 3.6)

    @property
    def max_gerade_m(self) -> float:
        """Straight-line radius that corresponds to :attr:`max_fussweg_m`."""
        return self.max_fussweg_m / self.umwegfaktor


GEHEN = Gehparameter()


def stop_xy(feed: Feed, crs: str) -> np.ndarray:
    """Coordinates of the feed's stops in the metric *crs* (n_stops × 2; NaN where unplaced)."""
    tr = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    x, y = tr.transform(feed.stops["lon"].to_numpy(), feed.stops["lat"].to_numpy())
    return np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])


@dataclass(frozen=True)
class Zeitgraph:
    """The time-expanded graph of one service day (see the module docstring for nodes and edges).

    Attributes
    ----------
    datum:
        The service day.
    stop, trip, arr, dep, dropoff:
        Per stop time (event) of the day: stop and trip position, times in seconds, alighting allowed.
    wait_order:
        Events sorted by stop and departure time (the waiting chains).
    wait_key:
        Search keys of :attr:`wait_order` (stop block + time) for :meth:`first_departure`.
    edges_from, edges_to, edges_w:
        The edges without the sites.
    stop_xy:
        Stop coordinates in :attr:`crs` (metres).
    """

    datum: dt.date
    stop: np.ndarray
    trip: np.ndarray
    arr: np.ndarray
    dep: np.ndarray
    dropoff: np.ndarray
    wait_order: np.ndarray
    wait_key: np.ndarray
    edges_from: np.ndarray
    edges_to: np.ndarray
    edges_w: np.ndarray
    stop_xy: np.ndarray
    crs: str
    gehen: Gehparameter
    fahrten: int

    @property
    def n_events(self) -> int:
        return len(self.stop)

    @property
    def n_nodes(self) -> int:
        """Arrival, departure and waiting nodes (sites come after them)."""
        return 3 * self.n_events

    def first_departure(self, stops: np.ndarray, times: np.ndarray) -> np.ndarray:
        """Position in :attr:`wait_order` of the first departure at ``stops[i]`` not before
        ``times[i]`` (broadcast), ``-1`` where the stop has no later departure that day."""
        stops = np.asarray(stops)
        key = stops * _KEY_SPAN + (np.asarray(times, dtype=float) + _TIME_OFFSET)
        pos = np.searchsorted(self.wait_key, key, side="left")
        inside = pos < len(self.wait_key)
        pos_c = np.minimum(pos, len(self.wait_key) - 1)
        same = inside & (self.stop[self.wait_order[pos_c]] == stops)
        return np.where(same, pos_c, -1)


def _day_events(feed: Feed, day: dt.date) -> pd.DataFrame:
    st = feed.stop_times
    today = st[feed.trips_on(day)[st["trip"].to_numpy()]]
    prev = st[feed.trips_on(day - dt.timedelta(days=1))[st["trip"].to_numpy()]]
    late = prev.groupby("trip")["arr"].transform("max") >= 86400.0
    prev = prev[late.to_numpy()].copy()
    prev["arr"] -= 86400.0
    prev["dep"] -= 86400.0
    prev["trip"] = prev["trip"] + len(feed.trips)  # a different trip (same number would merge rides)
    return pd.concat([today, prev], ignore_index=True).sort_values(["trip", "seq"], kind="stable")


def build_timetable(feed: Feed, day: dt.date, crs: str, gehen: Gehparameter = GEHEN) -> Zeitgraph:
    """The time-expanded graph of *day* with stops projected to the metric *crs*.

    Raises
    ------
    TransitError
        No trip runs on *day*.
    """
    ev = _day_events(feed, day)
    if len(ev) == 0:
        raise TransitError(
            f"Am {day:%d.%m.%Y} fährt laut Fahrplan {feed.name!r} keine Fahrt ({feed.gueltigkeit}); "
            f"bitte einen anderen Tag wählen."
        )
    n = len(ev)
    stop = ev["stop"].to_numpy(dtype=np.int64)
    trip = ev["trip"].to_numpy(dtype=np.int64)
    arr = ev["arr"].to_numpy(dtype=float)
    dep = ev["dep"].to_numpy(dtype=float)
    pickup = ev["pickup"].to_numpy(dtype=bool)
    dropoff = ev["dropoff"].to_numpy(dtype=bool)
    k = np.arange(n, dtype=np.int64)
    src: list[np.ndarray] = []
    dst: list[np.ndarray] = []
    wts: list[np.ndarray] = []

    # ride (departure k → arrival k+1 of the same trip) and stay seated (arrival k → departure k)
    same = trip[1:] == trip[:-1]
    src += [n + k[:-1][same], k]
    dst += [k[1:][same], n + k]
    wts += [arr[1:][same] - dep[:-1][same], dep - arr]
    # board (waiting k → departure k)
    src.append(2 * n + k[pickup])
    dst.append(n + k[pickup])
    wts.append(np.zeros(int(pickup.sum())))
    # waiting chains per stop
    wait_order = np.lexsort((dep, stop))
    ws = stop[wait_order]
    chain = ws[1:] == ws[:-1]
    src.append(2 * n + wait_order[:-1][chain])
    dst.append(2 * n + wait_order[1:][chain])
    wts.append(dep[wait_order[1:][chain]] - dep[wait_order[:-1][chain]])
    wait_key = ws * _KEY_SPAN + (dep[wait_order] + _TIME_OFFSET)

    xy = stop_xy(feed, crs)
    # changes: same stop with the minimum change time, nearby stops with the walk
    used = np.unique(stop)
    tree = cKDTree(xy[used])
    pairs = tree.query_pairs(gehen.umstieg_max_m / gehen.umwegfaktor, output_type="ndarray")
    a = np.concatenate([used, used[pairs[:, 0]], used[pairs[:, 1]]])
    b = np.concatenate([used, used[pairs[:, 1]], used[pairs[:, 0]]])
    dist = np.linalg.norm(xy[a] - xy[b], axis=1)
    t_change = np.maximum(gehen.seconds(dist), gehen.umstieg_min_s)
    order = np.argsort(a, kind="stable")
    a, b, t_change = a[order], b[order], t_change[order]
    n_stops = len(feed.stops)
    start = np.searchsorted(a, np.arange(n_stops), side="left")
    deg = np.searchsorted(a, np.arange(n_stops), side="right") - start
    alight = k[dropoff]
    reps = deg[stop[alight]]
    ev_rep = np.repeat(alight, reps)
    offs = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
    pair_idx = start[stop[ev_rep]] + offs
    target_stop = b[pair_idx]
    ready = arr[ev_rep] + t_change[pair_idx]
    key = target_stop * _KEY_SPAN + (ready + _TIME_OFFSET)
    pos = np.searchsorted(wait_key, key, side="left")
    ok = pos < n
    pos_c = np.minimum(pos, n - 1)
    ok &= ws[pos_c] == target_stop
    tgt_event = wait_order[pos_c[ok]]
    src.append(ev_rep[ok])
    dst.append(2 * n + tgt_event)
    wts.append(dep[tgt_event] - arr[ev_rep[ok]])

    f = np.concatenate(src)
    t = np.concatenate(dst)
    w = np.maximum(np.concatenate(wts), MIN_WEIGHT)
    # one edge per node pair (the sparse matrix would add duplicates up): keep the lightest
    order = np.lexsort((w, t, f))
    f, t, w = f[order], t[order], w[order]
    first = np.r_[True, (f[1:] != f[:-1]) | (t[1:] != t[:-1])]
    return Zeitgraph(
        datum=day,
        stop=stop,
        trip=trip,
        arr=arr,
        dep=dep,
        dropoff=dropoff,
        wait_order=wait_order,
        wait_key=wait_key,
        edges_from=f[first],
        edges_to=t[first],
        edges_w=w[first],
        stop_xy=xy,
        crs=crs,
        gehen=gehen,
        fahrten=int(len(np.unique(trip))),
    )
