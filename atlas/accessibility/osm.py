"""Reading a road network from an OpenStreetMap ``.osm.pbf`` file (offline, via pyrosm)."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import geopandas as gpd

from atlas.accessibility.errors import NetworkError
from atlas.accessibility.network import RoadNetwork, build_network
from atlas.accessibility.parameters import DEFAULTS, Verkehrsparameter, check_mode
from atlas.settings import METRIC_CRS

#: pyrosm's network type per mode.
PYROSM_NETWORK_TYPE: dict[str, str] = {"walk": "walking", "bike": "cycling", "car": "driving"}


def read_osm_edges(
    path: str | os.PathLike[str], mode: str, *, bounding_box: list[float] | None = None
) -> gpd.GeoDataFrame:
    """Road segments usable by *mode* from an ``.osm.pbf`` file (EPSG:4326, columns ``u``, ``v``,
    ``highway``, ``maxspeed``, ``oneway``, …; one row per segment between two OSM nodes).

    *bounding_box* = ``[minx, miny, maxx, maxy]`` in degrees limits the area read.
    """
    mode = check_mode(mode)
    p = Path(path)
    if not p.is_file():
        raise NetworkError(f"Die OSM-Datei {str(p)!r} wurde nicht gefunden.")
    try:
        import pyrosm
    except ImportError as exc:  # pragma: no cover - dependency declared in pyproject
        raise NetworkError("Zum Lesen von .osm.pbf-Dateien wird das Paket 'pyrosm' benötigt.") from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            osm = pyrosm.OSM(str(p), bounding_box=bounding_box)
            result = osm.get_network(network_type=PYROSM_NETWORK_TYPE[mode], nodes=True)
    except Exception as exc:  # pyrosm raises plain exceptions on broken files
        raise NetworkError(f"Die OSM-Datei {str(p)!r} konnte nicht gelesen werden: {exc}") from exc
    if result is None:
        raise NetworkError(f"Die OSM-Datei {str(p)!r} enthält kein Straßennetz für {mode}.")
    _nodes, edges = result
    if edges is None or len(edges) == 0:
        raise NetworkError(f"Die OSM-Datei {str(p)!r} enthält kein Straßennetz für {mode}.")
    return edges


def network_from_pbf(
    path: str | os.PathLike[str],
    mode: str,
    params: Verkehrsparameter = DEFAULTS,
    *,
    crs: str = METRIC_CRS,
    bounding_box: list[float] | None = None,
) -> RoadNetwork:
    """Read *path* and build the :class:`RoadNetwork` for *mode* in the metric *crs*."""
    edges = read_osm_edges(path, mode, bounding_box=bounding_box)
    return build_network(edges, mode, params, crs=crs, quelle=Path(path).name)
