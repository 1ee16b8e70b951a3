"""Best *k* new sites: greedy maximal covering of the people beyond a standard.

Given candidate locations (by default the populated cells themselves), a candidate *covers* an
origin when a site there would bring the origin within the standard. The people covered by a set
of candidates, counting only people currently beyond the standard, is a monotone submodular set
function; the greedy algorithm (repeatedly take the candidate that covers the most still-uncovered
people) therefore reaches at least (1 − 1/e) ≈ 63 % of the best possible coverage with *k* sites
(Nemhauser, Wolsey & Fisher 1978). Each step is one sparse matrix–vector product (numpy/scipy).
Ties go to the candidate listed first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

from atlas.accessibility.base import Verfahren
from atlas.accessibility.errors import AccessibilityError
from atlas.accessibility.evaluation import Bewertung
from atlas.accessibility.sites import Sites, sites_from_xy

#: Population columns that can be maximised.
GEWICHTE: tuple[str, ...] = ("einwohner", "u15", "ue65")


@dataclass(frozen=True)
class CoveringResult:
    """Outcome of :func:`best_new_sites`.

    ``auswahl``: one row per chosen site in the order chosen – ``rang``, ``kandidat_id``, ``x``, ``y``
    (metric CRS), people gained (``einwohner_gewonnen``, ``u15_gewonnen``, ``ue65_gewonnen``), the
    cumulative gain and the people still beyond afterwards. ``jenseits_vorher``: people beyond the
    standard before (in the *gewicht* column). ``abdeckung``: the candidate × origin matrix used.
    """

    auswahl: pd.DataFrame
    jenseits_vorher: float
    gewicht: str
    abdeckung: csr_matrix
    kandidaten: Sites

    def als_standorte(self) -> Sites:
        """The chosen sites, ready for :func:`atlas.accessibility.whatif.add_sites`."""
        pos = self.auswahl["kandidat_pos"].to_numpy(dtype=np.int64)
        return Sites(ids=np.asarray([f"vorschlag-{i + 1}" for i in range(len(pos))], dtype=object),
                     xy=self.kandidaten.xy[pos], kategorie=self.kandidaten.kategorie, crs=self.kandidaten.crs)


def best_new_sites(
    bewertung: Bewertung,
    verfahren: Verfahren,
    k: int = 5,
    *,
    kandidaten: Sites | None = None,
    gewicht: str = "einwohner",
) -> CoveringResult:
    """Choose up to *k* new sites that bring the most people (column *gewicht*) within the standard.

    Stops early when no candidate gains anyone. *kandidaten* defaults to the populated origin cells.
    """
    if k < 1:
        raise AccessibilityError(f"Die Zahl der neuen Standorte muss mindestens 1 sein (angegeben: {k}).")
    if gewicht not in GEWICHTE:
        raise AccessibilityError(f"Unbekannte Gewichtung {gewicht!r}; erlaubt sind: {', '.join(GEWICHTE)}.")
    res, std = bewertung.result, bewertung.standard
    origins = res.origins
    if kandidaten is None:
        kandidaten = sites_from_xy(origins.xy, [str(i) for i in origins.index], crs=origins.crs)
    cover = verfahren.coverage(origins, kandidaten, std.schwelle, std.einheit, std.inclusive).tocsr()
    pops = {"einwohner": origins.einwohner, "u15": origins.u15, "ue65": origins.ue65}
    beyond = np.asarray(bewertung.jenseits, dtype=bool).copy()
    w = np.where(beyond, pops[gewicht], 0.0)
    before = float(w.sum())
    rows: list[dict[str, object]] = []
    total = 0.0
    for step in range(k):
        gain = cover @ w
        j = int(np.argmax(gain))
        if gain[j] <= 0:
            break
        idx = cover.indices[cover.indptr[j] : cover.indptr[j + 1]]
        idx = idx[beyond[idx]]
        gained = {f"{c}_gewonnen": float(pops[c][idx].sum()) for c in GEWICHTE}
        total += float(w[idx].sum())
        beyond[idx] = False
        w[idx] = 0.0
        rows.append(
            {
                "rang": step + 1,
                "kandidat_id": str(kandidaten.ids[j]),
                "kandidat_pos": j,
                "x": float(kandidaten.xy[j, 0]),
                "y": float(kandidaten.xy[j, 1]),
                **gained,
                f"{gewicht}_gewonnen_kumuliert": total,
                f"{gewicht}_jenseits_danach": before - total,
            }
        )
    return CoveringResult(pd.DataFrame(rows), before, gewicht, cover, kandidaten)
