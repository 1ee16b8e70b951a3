"""What both methods share: the per-origin cost arrays and the method protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from scipy.sparse import csr_matrix

from atlas.accessibility.origins import Origins
from atlas.accessibility.sites import Sites

#: Status codes per origin.
STATUS_OK = "ok"
#: Network method: the origin is farther than ``max_anbindung_m`` from every network node.
STATUS_NOT_SNAPPED = "nicht_angebunden"
#: Network method: no site can be reached from the origin's node (other network component, oneway).
STATUS_UNREACHABLE = "nicht_erreichbar"

STATUS_BESCHREIBUNG: dict[str, str] = {
    STATUS_OK: "Ergebnis berechnet",
    STATUS_NOT_SNAPPED: "Zelle liegt zu weit vom Straßennetz entfernt (keine Anbindung)",
    STATUS_UNREACHABLE: "Kein Standort über das Straßennetz erreichbar",
}


@dataclass(frozen=True)
class NearestCosts:
    """Cost from each origin to its nearest site (arrays of length ``n_origins``).

    ``standort`` is the position of the nearest site in the :class:`Sites` used (``-1`` without
    result); ``distanz_m`` and ``zeit_min`` are NaN where ``status`` is not ``"ok"``.
    ``sites_not_snapped`` lists positions of sites the network method could not attach.
    """

    distanz_m: np.ndarray
    zeit_min: np.ndarray
    standort: np.ndarray
    status: np.ndarray
    sites_not_snapped: np.ndarray

    def __post_init__(self) -> None:
        n = len(self.distanz_m)
        assert len(self.zeit_min) == n and len(self.standort) == n and len(self.status) == n

    def take(self, positions: np.ndarray) -> NearestCosts:
        """Costs of the origins at *positions*."""
        return NearestCosts(
            self.distanz_m[positions],
            self.zeit_min[positions],
            self.standort[positions],
            self.status[positions],
            self.sites_not_snapped,
        )


class Verfahren(Protocol):
    """A reachability method (straight line or network) for one mode."""

    #: ``"luftlinie"`` or ``"netz"``.
    methode: str
    #: ``"walk"``, ``"bike"`` or ``"car"``.
    mode: str

    @property
    def beschreibung(self) -> str:
        """German description of the method and its parameters."""
        ...

    def nearest(self, origins: Origins, sites: Sites) -> NearestCosts:
        """Cost from every origin to its nearest site (by travel time)."""
        ...

    def coverage(
        self, origins: Origins, candidates: Sites, schwelle: float, einheit: str, inclusive: bool
    ) -> csr_matrix:
        """Boolean sparse matrix ``(n_candidates, n_origins)``: a site at the candidate would put the
        origin within the threshold (*einheit* ``"km"`` or ``"min"``; *inclusive* as in
        :func:`atlas.accessibility._helpers.exceeds`)."""
        ...
