"""Network method: shortest paths in a road network held as ``scipy.sparse.csr_matrix``.

The network is built from an edge table (one row per road segment with OSM node ids ``u``, ``v``
and a line geometry), e.g. read from an ``.osm.pbf`` by :mod:`atlas.accessibility.osm`:

* edge length = length of the geometry in the metric CRS (EPSG:25832 by default);
* travel time per mode: walk and bike at constant speed; car at the ``maxspeed`` tag or, where that
  is missing, a default per ``highway`` type (:class:`~atlas.accessibility.parameters.Verkehrsparameter`);
* direction: walk and bike ignore one-way streets (simplification: ``oneway:bicycle`` and contraflow
  are not read); the car respects ``oneway=yes/true/1`` and ``oneway=-1``;
* parallel edges between the same two nodes keep the fastest one; only the largest (weakly)
  connected component is kept, so that origins do not snap to isolated fragments.

Origins and sites are attached to the nearest node (``cKDTree``); the access leg (straight line at
``anbindung_kmh``) is added at both ends. All sites enter one run of
``scipy.sparse.csgraph.dijkstra(indices=..., min_only=True)`` on the *reversed* graph, so the result
is the travel time from each origin *to* its nearest site. Each site gets a virtual node linked to
its network node with its access time, which makes the access leg at the site exact and lets
``dijkstra`` report which site is nearest even when several sites share a node.

"Nearest" means fastest; the reported distance is the length of that fastest path (for walk and
bike the fastest path is the shortest one).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from atlas.accessibility._helpers import exceeds, minutes
from atlas.accessibility.base import STATUS_NOT_SNAPPED, STATUS_OK, STATUS_UNREACHABLE, NearestCosts
from atlas.accessibility.errors import NetworkError, NoSitesError
from atlas.accessibility.origins import Origins
from atlas.accessibility.parameters import (
    DEFAULTS,
    MAXSPEED_ZONES,
    Verkehrsparameter,
    beschreibung_netz,
    check_mode,
)
from atlas.accessibility.sites import Sites
from atlas.settings import METRIC_CRS

#: Smallest edge weight: csgraph must not see zero weights (they could be read as "no edge").
_MIN_WEIGHT: float = 1e-9
#: Values of the ``oneway`` tag meaning "only in the direction of the way" / "only against it".
_ONEWAY_FORWARD = frozenset({"yes", "true", "1"})
_ONEWAY_BACKWARD = frozenset({"-1", "reverse"})


def parse_maxspeed(value: object) -> float:
    """Speed in km/h of an OSM ``maxspeed`` value (``"50"``, ``"30 mph"``, ``"DE:urban"``, ``"50;30"``).

    Returns NaN for missing or unusable values (``"none"``, ``"signals"``, ``"DE:motorway"``).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    text = str(value).strip().lower()
    if ";" in text:
        parts = [parse_maxspeed(p) for p in text.split(";")]
        parts = [p for p in parts if not math.isnan(p)]
        return min(parts) if parts else math.nan
    if text in MAXSPEED_ZONES:
        return float(MAXSPEED_ZONES[text])
    factor = 1.0
    if text.endswith("mph"):
        factor, text = 1.609344, text[:-3].strip()
    elif text.endswith("km/h"):
        text = text[:-4].strip()
    try:
        speed = float(text) * factor
    except ValueError:
        return math.nan
    return speed if speed > 0 else math.nan


def car_speeds(highway: pd.Series, maxspeed: pd.Series | None, params: Verkehrsparameter = DEFAULTS) -> np.ndarray:
    """Car speed (km/h) per edge: ``maxspeed`` where usable, else the default of the ``highway`` type,
    times ``params.pkw_faktor``."""
    hw = highway.astype("string").fillna("").str.lower()
    default = hw.map(lambda h: params.pkw_highway_kmh.get(h, params.pkw_sonstige_kmh)).to_numpy(dtype=float)
    if maxspeed is None:
        speed = default
    else:
        ms = maxspeed.astype("string")
        uniq = pd.unique(ms.dropna())
        parsed = {u: parse_maxspeed(u) for u in uniq}
        tagged = ms.map(lambda v: parsed.get(v, math.nan) if v is not pd.NA else math.nan).to_numpy(dtype=float)
        speed = np.where(np.isnan(tagged), default, tagged)
    return speed * params.pkw_faktor


@dataclass(frozen=True)
class RoadNetwork:
    """A directed road network for one mode (edge ``tail[i] → head[i]`` may be travelled).

    Attributes
    ----------
    mode:
        ``walk``, ``bike`` or ``car``.
    node_ids:
        Original (OSM) node id per node.
    xy:
        Node coordinates in metres (*crs*), shape ``(n_nodes, 2)``.
    tail, head, laenge_m, zeit_min:
        Directed edges with their length (m) and travel time (min).
    quelle:
        Where the network came from (file name), for the method description.
    """

    mode: str
    node_ids: np.ndarray
    xy: np.ndarray
    tail: np.ndarray
    head: np.ndarray
    laenge_m: np.ndarray
    zeit_min: np.ndarray
    crs: str = METRIC_CRS
    quelle: str = "OSM"

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.node_ids)

    @property
    def n_edges(self) -> int:
        """Number of directed edges."""
        return len(self.tail)

    @cached_property
    def tree(self) -> cKDTree:
        """Spatial index of the nodes for snapping."""
        return cKDTree(self.xy)

    def matrix(self, weight: str = "zeit", *, reverse: bool = False) -> csr_matrix:
        """Sparse adjacency matrix weighted by ``"zeit"`` (min) or ``"laenge"`` (m).

        With *reverse* the edges point from head to tail (for paths *to* a set of targets).
        """
        data = self.zeit_min if weight == "zeit" else self.laenge_m
        rows, cols = (self.head, self.tail) if reverse else (self.tail, self.head)
        return csr_matrix((np.maximum(data, _MIN_WEIGHT), (rows, cols)), shape=(self.n_nodes, self.n_nodes))

    def snap(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Nearest node (position) and straight-line distance (m) for each point of *xy*."""
        d, idx = self.tree.query(np.asarray(xy, dtype=float), k=1)
        return np.asarray(idx, dtype=np.int64), np.asarray(d, dtype=float)


def build_network(
    edges: gpd.GeoDataFrame,
    mode: str,
    params: Verkehrsparameter = DEFAULTS,
    *,
    crs: str = METRIC_CRS,
    quelle: str = "OSM",
    largest_component: bool = True,
) -> RoadNetwork:
    """Build a :class:`RoadNetwork` for *mode* from an edge table.

    *edges* needs columns ``u``, ``v`` (node ids of the first and last point of the geometry) and
    line geometries; ``highway``, ``maxspeed`` and ``oneway`` are used where present.
    """
    mode = check_mode(mode)
    for col in ("u", "v"):
        if col not in edges.columns:
            raise NetworkError(f"Straßennetz: Spalte {col!r} fehlt in der Kantentabelle.")
    if edges.crs is None:
        raise NetworkError("Straßennetz: Das Koordinatensystem (CRS) der Kanten fehlt.")
    edges = edges[edges.geometry.notna() & ~edges.geometry.is_empty]
    if len(edges) == 0:
        raise NetworkError(f"Straßennetz: Für {mode} gibt es keine Kanten.")
    geom = edges.geometry.to_crs(crs).values
    length = np.asarray(shapely.length(geom), dtype=float)
    start = shapely.get_coordinates(shapely.get_point(geom, 0))
    end = shapely.get_coordinates(shapely.get_point(geom, -1))

    codes, uniques = pd.factorize(np.concatenate([edges["u"].to_numpy(), edges["v"].to_numpy()]))
    m = len(edges)
    u, v = codes[:m].astype(np.int64), codes[m:].astype(np.int64)
    xy = np.empty((len(uniques), 2), dtype=float)
    xy[u] = start
    xy[v] = end

    if mode == "car":
        speed = car_speeds(
            edges["highway"] if "highway" in edges.columns else pd.Series([""] * m, index=edges.index),
            edges["maxspeed"] if "maxspeed" in edges.columns else None,
            params,
        )
        if "oneway" in edges.columns:
            ow = edges["oneway"].astype("string").fillna("").str.strip().str.lower().to_numpy(dtype=object)
        else:
            ow = np.full(m, "", dtype=object)
        if "junction" in edges.columns:
            junction = edges["junction"].astype("string").fillna("").str.lower().to_numpy(dtype=object)
            ow = np.where((ow == "") & np.isin(junction, ["roundabout", "circular"]), "yes", ow)
        forward = ~np.isin(ow, list(_ONEWAY_BACKWARD))
        backward = ~np.isin(ow, list(_ONEWAY_FORWARD))
    else:
        speed = np.full(m, params.speed(mode))
        forward = backward = np.ones(m, dtype=bool)
    time = minutes(length, 1.0) / speed  # minutes(length, 1 km/h) / speed == minutes at speed

    tail = np.concatenate([u[forward], v[backward]])
    head = np.concatenate([v[forward], u[backward]])
    lens = np.concatenate([length[forward], length[backward]])
    times = np.concatenate([time[forward], time[backward]])
    keep = tail != head
    tail, head, lens, times = tail[keep], head[keep], lens[keep], times[keep]
    # parallel edges: keep the fastest
    order = np.lexsort((times, head, tail))
    tail, head, lens, times = tail[order], head[order], lens[order], times[order]
    first = np.ones(len(tail), dtype=bool)
    first[1:] = (tail[1:] != tail[:-1]) | (head[1:] != head[:-1])
    tail, head, lens, times = tail[first], head[first], lens[first], times[first]

    node_ids = np.asarray(uniques)
    if largest_component and len(tail):
        n = len(node_ids)
        graph = csr_matrix((np.ones(len(tail)), (tail, head)), shape=(n, n))
        _, labels = connected_components(graph, directed=True, connection="weak")
        main = np.argmax(np.bincount(labels))
        node_keep = labels == main
        new_pos = np.full(n, -1, dtype=np.int64)
        new_pos[node_keep] = np.arange(int(node_keep.sum()))
        ek = node_keep[tail]
        tail, head, lens, times = new_pos[tail[ek]], new_pos[head[ek]], lens[ek], times[ek]
        node_ids, xy = node_ids[node_keep], xy[node_keep]
    return RoadNetwork(
        mode=mode,
        node_ids=node_ids,
        xy=xy,
        tail=tail,
        head=head,
        laenge_m=lens,
        zeit_min=times,
        crs=crs,
        quelle=quelle,
    )


def path_lengths(pred: np.ndarray, edge_length: np.ndarray) -> np.ndarray:
    """Sum of *edge_length* along the predecessor tree from every node to its root.

    *pred* is ``dijkstra``'s predecessor array (negative = root or unreached); *edge_length[i]* is
    the length of the edge ``pred[i] → i``. Pointer jumping: ``O(n log depth)``, fully vectorised.
    """
    n = len(pred)
    anc = np.where(pred < 0, np.arange(n), pred).astype(np.int64)
    acc = np.where(pred < 0, 0.0, edge_length).astype(float)
    while True:
        nxt = anc[anc]
        if np.array_equal(nxt, anc):
            return acc
        acc = acc + acc[anc]
        anc = nxt


class NetworkMethod:
    """Network method for the mode of *network* (``methode = "netz"``; the old name ``Netz`` is an alias).

    Parameters
    ----------
    network:
        The road network (see :func:`build_network`, :func:`atlas.accessibility.osm.network_from_pbf`).
    params:
        Access speed and maximum snapping distance are taken from here.
    chunk_cells:
        Coverage computation: at most this many matrix cells (candidates × nodes) per dijkstra call.
    """

    methode = "netz"

    def __init__(self, network: RoadNetwork, params: Verkehrsparameter = DEFAULTS, *, chunk_cells: int = 20_000_000) -> None:
        self.network = network
        self.mode = network.mode
        self.params = params
        self.chunk_cells = chunk_cells
        self._rev_time = network.matrix("zeit", reverse=True)
        self._rev_len = network.matrix("laenge", reverse=True)

    @property
    def beschreibung(self) -> str:
        """German description of the method and its parameters."""
        return beschreibung_netz(self.mode, self.params, self.network.quelle)

    def _snap_sites(self, sites: Sites) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        node, d = self.network.snap(sites.xy)
        ok = d <= self.params.max_anbindung_m
        if not ok.any():
            raise NoSitesError(
                f"Keiner der {len(sites)} Standorte liegt näher als {self.params.max_anbindung_m:g} m am "
                f"Straßennetz ({self.network.quelle}); die Erreichbarkeit im Netz kann nicht berechnet werden."
            )
        return node, d, ok

    def nearest(self, origins: Origins, sites: Sites) -> NearestCosts:
        """Fastest path from every origin to its nearest site (one multi-source dijkstra run)."""
        if len(sites) == 0:
            raise NoSitesError("Es gibt keine Standorte; die Erreichbarkeit kann nicht berechnet werden.")
        net, va = self.network, self.params.access_speed(self.mode)
        n = net.n_nodes
        s_node, s_d, s_ok = self._snap_sites(sites)
        sp = np.flatnonzero(s_ok)
        k = len(sp)
        virtual = n + np.arange(k)
        # reversed graph plus one virtual source per site: virtual → site node, weight = access leg
        rows = np.concatenate([net.head, virtual])
        cols = np.concatenate([net.tail, s_node[sp]])
        t = np.maximum(np.concatenate([net.zeit_min, minutes(s_d[sp], va)]), _MIN_WEIGHT)
        length = np.concatenate([net.laenge_m, s_d[sp]])
        g = csr_matrix((t, (rows, cols)), shape=(n + k, n + k))
        dist, pred, src = dijkstra(g, directed=True, indices=virtual, min_only=True, return_predecessors=True)
        gl = csr_matrix((np.maximum(length, _MIN_WEIGHT), (rows, cols)), shape=(n + k, n + k))
        has_pred = pred >= 0
        edge_len = np.zeros(n + k)
        edge_len[has_pred] = np.asarray(gl[pred[has_pred], np.flatnonzero(has_pred)]).ravel()
        plen = path_lengths(pred, edge_len)

        o_node, o_d = net.snap(origins.xy)
        n_o = len(origins)
        status = np.full(n_o, STATUS_OK, dtype=object)
        snapped = o_d <= self.params.max_anbindung_m
        status[~snapped] = STATUS_NOT_SNAPPED
        reach = snapped & np.isfinite(dist[o_node])
        status[snapped & ~reach] = STATUS_UNREACHABLE
        zeit = np.full(n_o, np.nan)
        distanz = np.full(n_o, np.nan)
        standort = np.full(n_o, -1, dtype=np.int64)
        zeit[reach] = dist[o_node[reach]] + minutes(o_d[reach], va)
        distanz[reach] = plen[o_node[reach]] + o_d[reach]
        standort[reach] = sp[src[o_node[reach]] - n]
        return NearestCosts(distanz, zeit, standort, status, sites_not_snapped=np.flatnonzero(~s_ok))

    def coverage(
        self, origins: Origins, candidates: Sites, schwelle: float, einheit: str, inclusive: bool
    ) -> csr_matrix:
        """Candidates × origins within the threshold: dijkstra from each candidate (``limit`` = threshold).

        Minutes are measured on the time graph; kilometres on the length graph (for the car this is
        the shortest, not the fastest path – a simplification).
        """
        net, va = self.network, self.params.access_speed(self.mode)
        c_node, c_d = net.snap(candidates.xy)
        o_node, o_d = net.snap(origins.xy)
        o_idx = np.flatnonzero(o_d <= self.params.max_anbindung_m)
        c_idx = np.flatnonzero(c_d <= self.params.max_anbindung_m)
        if einheit == "km":
            graph, limit = self._rev_len, float(schwelle) * 1000.0
            c_cost, o_cost, scale = c_d, o_d, 1.0 / 1000.0
        else:
            graph, limit = self._rev_time, float(schwelle)
            c_cost, o_cost, scale = minutes(c_d, va), minutes(o_d, va), 1.0
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        step = max(1, self.chunk_cells // max(net.n_nodes, 1))
        for start in range(0, len(c_idx), step):
            chunk = c_idx[start : start + step]
            d = dijkstra(graph, directed=True, indices=c_node[chunk], limit=limit * (1 + 1e-6) + 1e-6)
            d = np.atleast_2d(d)[:, o_node[o_idx]]
            cost = (d + c_cost[chunk][:, None] + o_cost[o_idx][None, :]) * scale
            ok = np.isfinite(cost) & ~exceeds(cost, schwelle, inclusive)
            r, c = np.nonzero(ok)
            rows.append(chunk[r])
            cols.append(o_idx[c])
        r_all = np.concatenate(rows) if rows else np.empty(0, dtype=np.int64)
        c_all = np.concatenate(cols) if cols else np.empty(0, dtype=np.int64)
        return csr_matrix(
            (np.ones(len(r_all), dtype=bool), (r_all, c_all)), shape=(len(candidates), len(origins))
        )


#: Deprecated German name of :class:`NetworkMethod` (identifiers are English, see README *Contributing*);
#: kept for one release.
Netz = NetworkMethod
