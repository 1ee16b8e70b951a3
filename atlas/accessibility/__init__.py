"""Reachability engine: how far and how long from populated grid cells to the nearest site.

Two methods, one interface (:class:`~atlas.accessibility.base.Verfahren`); every result records
which one was used (``methode`` = ``"luftlinie"`` / ``"netz"`` plus a German description):

* :class:`Luftlinie` – straight-line distance × detour factor at a constant speed (cKDTree);
* :class:`Netz` – shortest paths in an OSM road network (scipy.sparse + csgraph.dijkstra).

Typical use::

    origins = prepare_origins(cells_gdf)                      # einwohner, u15, ue65, ags
    sites = prepare_sites(offers_gdf, kategorie="Grundschule")
    std = load_standards()["grundschule-fuss-2km"]
    verfahren = Netz(network_from_pbf("region.osm.pbf", std.mode))   # or Luftlinie(std.mode)
    bew = evaluate(compute_reachability(origins, sites, verfahren), std)
    bew.gemeinden(); bew.groesste_luecken(10)
    neu, d = scenario_delta(bew, verfahren, add=sites_from_xy([[x, y]]))
    best_new_sites(bew, verfahren, k=5).auswahl

Modules: :mod:`.parameters` (modes, speeds – assumptions), :mod:`.origins`, :mod:`.sites`,
:mod:`.straightline`, :mod:`.network`, :mod:`.osm`, :mod:`.standards`, :mod:`.evaluation`,
:mod:`.whatif`, :mod:`.covering`, :mod:`.errors`. Applied to the built county data (not imported
here, they need :mod:`atlas.atlasdata`): :mod:`.county` (origins, sites, method, scenario, Gemeinde
table), :mod:`.comparison` (Deutschlandatlas plausibility check), :mod:`.export` (CSV, GeoPackage),
:mod:`.gapmap` (the folium map of the page). No Streamlit here.
"""

from atlas.accessibility.base import STATUS_NOT_SNAPPED, STATUS_OK, STATUS_UNREACHABLE, NearestCosts, Verfahren
from atlas.accessibility.covering import CoveringResult, best_new_sites
from atlas.accessibility.errors import (
    AccessibilityError,
    NetworkError,
    NoSitesError,
    OriginsError,
    StandardsError,
)
from atlas.accessibility.evaluation import Bewertung, ReachabilityResult, compute_reachability, evaluate
from atlas.accessibility.network import Netz, NetworkMethod, RoadNetwork, build_network
from atlas.accessibility.origins import Origins, assign_ags, census_grid_origins, prepare_origins
from atlas.accessibility.osm import network_from_pbf, read_osm_edges
from atlas.accessibility.parameters import DEFAULTS, Verkehrsparameter
from atlas.accessibility.sites import Sites, prepare_sites, sites_from_xy
from atlas.accessibility.standards import Standard, check_categories, load_standards, standards_for
from atlas.accessibility.straightline import Luftlinie, StraightLineMethod
from atlas.accessibility.whatif import Delta, add_sites, delta, remove_sites, scenario_delta, what_if

__all__ = [
    "DEFAULTS",
    "STATUS_NOT_SNAPPED",
    "STATUS_OK",
    "STATUS_UNREACHABLE",
    "AccessibilityError",
    "Bewertung",
    "CoveringResult",
    "Delta",
    "Luftlinie",
    "NearestCosts",
    "Netz",
    "NetworkMethod",
    "NetworkError",
    "NoSitesError",
    "Origins",
    "OriginsError",
    "ReachabilityResult",
    "RoadNetwork",
    "Sites",
    "Standard",
    "StandardsError",
    "StraightLineMethod",
    "Verfahren",
    "Verkehrsparameter",
    "add_sites",
    "assign_ags",
    "best_new_sites",
    "build_network",
    "census_grid_origins",
    "check_categories",
    "compute_reachability",
    "delta",
    "evaluate",
    "load_standards",
    "network_from_pbf",
    "prepare_origins",
    "prepare_sites",
    "read_osm_edges",
    "remove_sites",
    "scenario_delta",
    "sites_from_xy",
    "standards_for",
    "what_if",
]
