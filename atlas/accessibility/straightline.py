"""Straight-line method: distance × detour factor at a constant speed, nearest site by cKDTree."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.spatial import cKDTree

from atlas.accessibility._helpers import REL_TOL, exceeds
from atlas.accessibility.base import STATUS_OK, NearestCosts
from atlas.accessibility.errors import NoSitesError
from atlas.accessibility.origins import Origins
from atlas.accessibility.parameters import DEFAULTS, Verkehrsparameter, beschreibung_luftlinie, check_mode
from atlas.accessibility.sites import Sites


class StraightLineMethod:
    """Straight-line method for one mode.

    distance = Euclidean distance (metric CRS) × ``umwegfaktor``; time = distance / speed of the mode,
    or for the car with a calibrated model (:attr:`Verkehrsparameter.pkw_kalibriert`) intercept +
    minutes per km × straight-line km. Time grows with distance, so the nearest site by distance is
    the nearest by time.
    """

    methode = "luftlinie"

    def __init__(self, mode: str, params: Verkehrsparameter = DEFAULTS) -> None:
        self.mode = check_mode(mode)
        self.params = params

    @property
    def beschreibung(self) -> str:
        """German description of the method and its parameters."""
        return beschreibung_luftlinie(self.mode, self.params)

    def nearest(self, origins: Origins, sites: Sites) -> NearestCosts:
        """Nearest site per origin via ``scipy.spatial.cKDTree`` (exact Euclidean nearest neighbour)."""
        if len(sites) == 0:
            raise NoSitesError("Es gibt keine Standorte; die Erreichbarkeit kann nicht berechnet werden.")
        tree = cKDTree(sites.xy)
        d, idx = tree.query(origins.xy, k=1)
        luft = np.asarray(d, dtype=float)
        return NearestCosts(
            distanz_m=luft * self.params.umwegfaktor,
            zeit_min=self.params.zeit_luftlinie_min(self.mode, luft),
            standort=np.asarray(idx, dtype=np.int64),
            status=np.full(len(origins), STATUS_OK, dtype=object),
            sites_not_snapped=np.empty(0, dtype=np.int64),
        )

    def coverage(
        self, origins: Origins, candidates: Sites, schwelle: float, einheit: str, inclusive: bool
    ) -> csr_matrix:
        """Candidates × origins within the threshold, from ``cKDTree.sparse_distance_matrix``."""
        luft_m = (float(schwelle) * 1000.0 / self.params.umwegfaktor if einheit == "km"
                  else self.params.luftlinie_fuer_zeit_m(self.mode, float(schwelle)))
        radius = luft_m * (1.0 + 10 * REL_TOL) + 1e-6
        pairs = cKDTree(candidates.xy).sparse_distance_matrix(cKDTree(origins.xy), radius, output_type="ndarray")
        luft = pairs["v"]
        value = (luft * self.params.umwegfaktor / 1000.0 if einheit == "km"
                 else self.params.zeit_luftlinie_min(self.mode, luft))
        keep = ~exceeds(value, schwelle, inclusive)
        return csr_matrix(
            (np.ones(int(keep.sum()), dtype=bool), (pairs["i"][keep], pairs["j"][keep])),
            shape=(len(candidates), len(origins)),
        )


#: Deprecated German name of :class:`StraightLineMethod` (identifiers are English, see README *Contributing*);
#: kept for one release.
Luftlinie = StraightLineMethod
