"""Earliest-arrival travel times by bus and train from every origin to the nearest site.

One query (:func:`travel_times`):

1. the sites become extra nodes of the day's time-expanded graph (:mod:`.timetable`), linked from
   every arrival event at a stop within walking distance (egress walk);
2. one ``scipy.sparse.csgraph.dijkstra(indices=sites, min_only=True)`` over the *reversed* graph
   gives, for every waiting node (stop × departure time), the earliest arrival at any site and
   which site that is;
3. for every origin, every stop within walking distance (access walk) and every departure minute
   of the window, the first departure at that stop after arriving on foot is found by binary search;
   the earliest arrival over those stops – or walking all the way, if the site is within walking
   distance – gives the travel time for that minute.

Per origin the result is the **median** travel time over the departure minutes of the window (as in
Conveyal/r5's travel time matrices: it includes the waiting for the next bus at home, which a
minimum would hide), plus the best and the share of minutes with any connection. "Nearest" means
fastest by arrival time; the site reported is the one reached at the median departure.

Precision: origins are the centres of 1-km cells and walks are straight lines × detour factor, so a
single cell's time can be off by several minutes; the timetable times themselves are exact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from atlas.accessibility.base import STATUS_OK, NearestCosts
from atlas.accessibility.errors import AccessibilityError, NoSitesError
from atlas.accessibility.origins import Origins
from atlas.accessibility.sites import Sites
from atlas.transit.errors import TransitError
from atlas.transit.feed import WOCHENTAGE, Feed
from atlas.transit.timetable import GEHEN, MIN_WEIGHT, Gehparameter, Zeitgraph, build_timetable

#: Mode code of public transport in results (beside ``walk``, ``bike``, ``car``).
MODE_PT = "pt"
#: German name of the mode.
MODE_PT_LABEL = "Bus und Bahn"


@dataclass(frozen=True)
class Abfahrtsfenster:
    """Departure window: every ``takt_min`` minutes from ``von`` (inclusive) to ``bis`` (exclusive)."""

    von: dt.time = dt.time(7, 0)
    bis: dt.time = dt.time(9, 0)
    takt_min: int = 1

    def seconds(self) -> np.ndarray:
        """Departure times in seconds of the service day."""
        a = self.von.hour * 3600 + self.von.minute * 60
        b = self.bis.hour * 3600 + self.bis.minute * 60
        if b <= a or self.takt_min <= 0:
            raise TransitError(
                f"Das Abfahrtsfenster {self.von:%H:%M}–{self.bis:%H:%M} ist leer; das Ende muss nach dem Anfang liegen."
            )
        return np.arange(a, b, self.takt_min * 60, dtype=float)

    @property
    def text(self) -> str:
        return f"{self.von:%H:%M}–{self.bis:%H:%M} Uhr"


@dataclass(frozen=True)
class Fahrzeiten:
    """Result per origin (arrays of length ``n_origins``).

    ``median_min``/``best_min`` are NaN without any connection; ``anteil_verbunden`` is the share of
    departure minutes with a connection; ``standort`` the site position (``-1`` without result);
    ``nur_fuss`` marks origins whose median trip is a walk only.
    """

    median_min: np.ndarray
    best_min: np.ndarray
    anteil_verbunden: np.ndarray
    standort: np.ndarray
    nur_fuss: np.ndarray


def _de(value: float) -> str:
    """Number in German notation, shortest form (1.3 → "1,3")."""
    return f"{value:g}".replace(".", ",")


def _pairs_within(a_xy: np.ndarray, b_xy: np.ndarray, radius: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, distance) for all points ``a[i]``, ``b[j]`` closer than *radius* (metres)."""
    if len(a_xy) == 0 or len(b_xy) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    m = cKDTree(a_xy).sparse_distance_matrix(cKDTree(b_xy), radius, output_type="ndarray")
    return m["i"].astype(np.int64), m["j"].astype(np.int64), m["v"].astype(float)


def earliest_arrival_at_stops(graph: Zeitgraph, site_xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per waiting node (in :attr:`Zeitgraph.wait_order` order): earliest arrival (s) at any site
    when ready to depart there, and the site's position (``inf`` / ``-1`` if none is reached)."""
    g = graph.gehen
    n = graph.n_events
    used = np.unique(graph.stop)
    si, sj, sd = _pairs_within(graph.stop_xy[used], site_xy, g.max_gerade_m)
    si = used[si]
    # egress: every arrival event (alighting allowed) at a stop near a site → that site's node
    order = np.argsort(si, kind="stable")
    si, sj, sd = si[order], sj[order], sd[order]
    n_stops = len(graph.stop_xy)
    start = np.searchsorted(si, np.arange(n_stops), side="left")
    deg = np.searchsorted(si, np.arange(n_stops), side="right") - start
    alight = np.flatnonzero(graph.dropoff)
    reps = deg[graph.stop[alight]]
    ev = np.repeat(alight, reps)
    offs = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
    p = start[graph.stop[ev]] + offs
    n_nodes = graph.n_nodes + len(site_xy)
    f = np.concatenate([graph.edges_from, ev])
    t = np.concatenate([graph.edges_to, graph.n_nodes + sj[p]])
    w = np.concatenate([graph.edges_w, np.maximum(g.seconds(sd[p]), MIN_WEIGHT)])
    # reversed graph: row = head of the edge (no duplicate pairs: egress pairs are unique per event × site)
    rev = csr_matrix((w, (t, f)), shape=(n_nodes, n_nodes))
    sources = np.arange(graph.n_nodes, n_nodes)
    dist, _pred, src = dijkstra(rev, directed=True, indices=sources, min_only=True, return_predecessors=True)
    wait_nodes = 2 * n + graph.wait_order
    ea = graph.dep[graph.wait_order] + dist[wait_nodes]
    site = np.where(np.isfinite(ea), src[wait_nodes] - graph.n_nodes, -1)
    return ea, site


def travel_times(
    graph: Zeitgraph, origin_xy: np.ndarray, site_xy: np.ndarray, fenster: Abfahrtsfenster
) -> Fahrzeiten:
    """Median, best travel time and share of connected minutes from every origin to the nearest site."""
    if len(site_xy) == 0:
        raise NoSitesError("Es gibt keine Standorte; die Erreichbarkeit kann nicht berechnet werden.")
    g = graph.gehen
    times = fenster.seconds()
    ea, site_of = earliest_arrival_at_stops(graph, site_xy)
    n_o = len(origin_xy)
    n_t = len(times)
    best = np.full((n_o, n_t), np.inf)
    best_site = np.full((n_o, n_t), -1, dtype=np.int64)
    # access walk: origin → stops within walking distance
    used = np.unique(graph.stop)
    oi, sj, d = _pairs_within(origin_xy, graph.stop_xy[used], g.max_gerade_m)
    if len(oi):
        stops = used[sj]
        ready = times[None, :] + g.seconds(d)[:, None]
        pos = graph.first_departure(stops[:, None], ready)
        arrival = np.where(pos >= 0, ea[np.maximum(pos, 0)], np.inf)
        sites = np.where(pos >= 0, site_of[np.maximum(pos, 0)], -1)
        order = np.argsort(oi, kind="stable")
        oi, arrival, sites = oi[order], arrival[order], sites[order]
        starts = np.flatnonzero(np.r_[True, oi[1:] != oi[:-1]])
        mins = np.minimum.reduceat(arrival, starts, axis=0)
        group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(oi)]))
        hit = arrival == mins[group]
        row = np.where(hit, np.arange(len(oi))[:, None], len(oi))
        first_row = np.minimum.reduceat(row, starts, axis=0)
        chosen_site = np.where(first_row < len(oi), sites[np.minimum(first_row, len(oi) - 1), np.arange(n_t)], -1)
        best[oi[starts]] = mins
        best_site[oi[starts]] = chosen_site
    # walking all the way (within the walking limit)
    dd, jj = cKDTree(site_xy).query(origin_xy, k=1, distance_upper_bound=g.max_gerade_m)
    walkable = np.isfinite(dd)
    walk_only = np.zeros((n_o, n_t), dtype=bool)
    if walkable.any():
        walk_arr = times[None, :] + g.seconds(dd[walkable])[:, None]
        better = walk_arr <= best[walkable]
        walk_only[walkable] = better
        best[walkable] = np.where(better, walk_arr, best[walkable])
        best_site[walkable] = np.where(better, jj[walkable][:, None], best_site[walkable])
    travel = (best - times[None, :]) / 60.0
    connected = np.isfinite(travel)
    ordered = np.argsort(travel, axis=1, kind="stable")
    mid = ordered[:, (n_t - 1) // 2]  # lower median: a real departure minute
    rows = np.arange(n_o)
    median = np.median(travel, axis=1)
    median = np.where(np.isfinite(median), median, np.nan)
    best_min = np.where(connected.any(axis=1), travel.min(axis=1), np.nan)
    standort = np.where(np.isfinite(median), best_site[rows, mid], -1)
    return Fahrzeiten(
        median_min=median,
        best_min=best_min,
        anteil_verbunden=connected.mean(axis=1),
        standort=standort,
        nur_fuss=walk_only[rows, mid] & np.isfinite(median),
    )


@dataclass
class Fahrplan:
    """Reachability method "Bus und Bahn" from a GTFS feed, usable wherever the engine takes a
    :class:`~atlas.accessibility.base.Verfahren` (``nearest``; ``coverage`` is not offered).

    The day's graph is built once per CRS and reused for every category and scenario.
    """

    feed: Feed
    datum: dt.date
    fenster: Abfahrtsfenster = field(default_factory=Abfahrtsfenster)
    gehen: Gehparameter = GEHEN
    methode: str = "fahrplan"
    mode: str = MODE_PT
    #: What-if scenarios recompute in full (:func:`atlas.accessibility.whatif.what_if`): the median over
    #: departure minutes of the nearest of old ∪ new sites is not the minimum of the two medians.
    inkrementell: bool = False
    _graphs: dict[str, Zeitgraph] = field(default_factory=dict, repr=False)

    @classmethod
    def for_weekday(cls, feed: Feed, weekday: int, fenster: Abfahrtsfenster | None = None) -> Fahrplan:
        """For the typical date of *weekday* (0 = Monday) in the feed's validity period."""
        return cls(feed, feed.typical_date(weekday), fenster or Abfahrtsfenster())

    def graph(self, crs: str) -> Zeitgraph:
        if crs not in self._graphs:
            self._graphs[crs] = build_timetable(self.feed, self.datum, crs, self.gehen)
        return self._graphs[crs]

    @property
    def beschreibung(self) -> str:
        g = self.gehen
        takt = "Minute" if self.fenster.takt_min == 1 else f"{self.fenster.takt_min}. Minute"
        return (
            f"{MODE_PT_LABEL} nach {self.feed.beschriftung}, {WOCHENTAGE[self.datum.weekday()]} "
            f"{self.datum:%d.%m.%Y}, Abfahrt {self.fenster.text} (Median über jede {takt}); Fußwege bis "
            f"{_de(g.max_fussweg_m)} m (Luftlinie × {_de(g.umwegfaktor)}, {_de(g.geschwindigkeit_kmh)} km/h), "
            f"Umstieg ab {_de(g.umstieg_min_s / 60)} min; Lage der Zellen: Mittelpunkt des 1-km-Rasters "
            f"(Annahmen, keine Messwerte); ohne Verbindung im Zeitfenster gilt ein Wohnort als jenseits jedes "
            f"Standards"
        )

    def nearest(self, origins: Origins, sites: Sites) -> NearestCosts:
        """Median travel time (minutes) from every origin to the fastest site. Origins without a
        connection in more than half of the window get an *infinite* time with status ``ok``: for a
        person without a car "no bus" is the largest gap, so they count as beyond every standard (the
        mean times of :mod:`atlas.accessibility.evaluation` leave them out). Distances are not defined
        for a timetable trip and are NaN."""
        if len(sites) == 0:
            raise NoSitesError("Es gibt keine Standorte; die Erreichbarkeit kann nicht berechnet werden.")
        if sites.crs != origins.crs:
            raise AccessibilityError("Ausgangspunkte und Standorte haben verschiedene Koordinatensysteme.")
        res = travel_times(self.graph(origins.crs), origins.xy, sites.xy, self.fenster)
        ok = np.isfinite(res.median_min)
        return NearestCosts(
            distanz_m=np.full(len(origins), np.nan),
            zeit_min=np.where(ok, res.median_min, np.inf),
            standort=res.standort.astype(np.int64),
            status=np.full(len(origins), STATUS_OK, dtype=object),
            sites_not_snapped=np.empty(0, dtype=np.int64),
        )

    def coverage(self, origins: Origins, candidates: Sites, schwelle: float, einheit: str, inclusive: bool) -> csr_matrix:
        raise AccessibilityError(
            "Vorschläge für die besten neuen Standorte gibt es für Bus und Bahn nicht (dafür müsste der "
            "Fahrplan für jeden Kandidaten einzeln gerechnet werden); bitte ein anderes Verkehrsmittel wählen "
            "oder einzelne Standorte im Was-wäre-wenn prüfen."
        )
