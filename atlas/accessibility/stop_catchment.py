"""Stop catchment as a standard: who lives beyond walking distance of any bus stop or station.

The radii are data (``haltestellen_einzugsbereich`` in ``geodata/standards.yaml``, with their source):
by default the BBSR's definition used in the Deutschlandatlas map "Erreichbarkeit von Bus- und
Bahnhaltestellen" – 600 m around a stop, 1,200 m around a railway station (straight-line radius).
The source counts only stops with at least 20 departures per working day; without a timetable the
atlas cannot check that condition and counts every stop (said on the page, :data:`HINWEIS_ABFAHRTEN`).

Stops served *only* on demand (Rufbus / Anruf-Sammeltaxi, product ``taxi`` in the stop register,
column ``rufbus``) are counted separately: a person whose only stop in reach is on-demand is
"nur Rufbus", not "within".

Population within a 1-km cell is assumed to be spread evenly: each cell is sampled at
``raster × raster`` points (default 10 × 10, every 100 m), and the cell's people, children and elderly
are split by the share of points within a catchment. A cell is therefore partly within (e.g. 0.4) –
the result is an estimate and labelled as such.

Only (cell, stop) pairs closer than radius + half a cell diagonal are tested
(``cKDTree.sparse_distance_matrix``), all sample points of a pair at once with numpy; a what-if
("neue Haltestelle hier", :func:`add_stops`) searches only the new stops and keeps the rest.
The obvious GIS alternative – buffer, dissolve, intersect with the cells – is ~100× slower
(``bench/bench_stop_catchment.py``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field
from scipy.spatial import cKDTree

from atlas.accessibility.errors import StandardsError
from atlas.accessibility.origins import Origins
from atlas.accessibility.standards import STANDARDS_PATH
from atlas.datafile import read_yaml, validate

#: Key of the catchment standard in ``standards.yaml`` (beside ``standards``).
YAML_KEY = "haltestellen_einzugsbereich"
#: The source's condition the atlas cannot check without a timetable.
HINWEIS_ABFAHRTEN = (
    "Die Quelle zählt nur Haltestellen mit mindestens 20 Abfahrten je Werktag; ohne Fahrplan prüft der Atlas "
    "die Abfahrten nicht und zählt jede Haltestelle – das Ergebnis ist daher eher zu günstig."
)
#: Status per cell share.
IM_EINZUGSBEREICH = "im_einzugsbereich"
NUR_RUFBUS = "nur_rufbus"
AUSSERHALB = "ausserhalb"


class Einzugsbereich(BaseModel):
    """The catchment standard (``haltestellen_einzugsbereich`` in ``standards.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    label: str = Field(min_length=1)
    #: Radius (m, straight line) around a bus (or tram) stop.
    radius_bus_m: float = Field(gt=0)
    #: Radius (m, straight line) around a railway station.
    radius_bahn_m: float = Field(gt=0)
    #: Radius (m) around an on-demand-only stop (default: the bus radius).
    radius_rufbus_m: float | None = Field(default=None, gt=0)
    art: str = Field(min_length=1)
    quelle: str = Field(min_length=1)
    quelle_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    #: Exact wording of the source where it was read; what is not verified is said here.
    zitat: str | None = None
    hinweis: str | None = None

    @property
    def rufbus_m(self) -> float:
        return self.radius_rufbus_m if self.radius_rufbus_m is not None else self.radius_bus_m

    @property
    def beschreibung(self) -> str:
        return (
            f"Haltestelle in Gehweite: {self.radius_bus_m:g} m um eine Bushaltestelle, {self.radius_bahn_m:g} m um "
            f"einen Bahnhof (Luftlinie; {self.quelle})"
        )


def load_catchment(path: str | os.PathLike[str] | None = None, override: dict[str, Any] | None = None) -> Einzugsbereich:
    """Read the catchment standard from *path* (default ``geodata/standards.yaml``); *override*
    replaces single fields (e.g. radii edited on the page, then ``art`` should be ``eigene_vorgabe``).

    Raises
    ------
    StandardsError
        The file or the key is missing, or a field is invalid (German message naming the field).
    """
    p = Path(path) if path is not None else STANDARDS_PATH
    data = read_yaml(p, error=StandardsError)
    if not isinstance(data, dict) or not isinstance(data.get(YAML_KEY), dict):
        raise StandardsError(f"{p.name}: Der Eintrag {YAML_KEY!r} (Einzugsbereich der Haltestellen) fehlt.")
    entry = {**data[YAML_KEY], **(override or {})}
    return validate(Einzugsbereich, entry, p, where=YAML_KEY, error=StandardsError)


@dataclass(frozen=True)
class Haltestellen:
    """Stops prepared for the catchment: metric coordinates and kind flags (one entry per stop)."""

    ids: np.ndarray
    xy: np.ndarray
    bahn: np.ndarray
    rufbus: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def concat(self, other: Haltestellen) -> Haltestellen:
        return Haltestellen(
            np.concatenate([self.ids, other.ids]),
            np.vstack([self.xy, other.xy]),
            np.concatenate([self.bahn, other.bahn]),
            np.concatenate([self.rufbus, other.rufbus]),
        )


def stops_from_frame(gdf: Any, crs: str) -> Haltestellen:
    """:class:`Haltestellen` from the ``haltestellen`` layer (columns ``id``, ``bahn``, ``rufbus``;
    point geometry), projected to *crs*."""
    import shapely

    g = gdf.to_crs(crs)
    xy = np.asarray(shapely.get_coordinates(g.geometry.values), dtype=float)
    return Haltestellen(
        ids=g["id"].astype(str).to_numpy(dtype=object),
        xy=xy,
        bahn=g["bahn"].fillna(False).astype(bool).to_numpy(),
        rufbus=g["rufbus"].fillna(False).astype(bool).to_numpy(),
    )


def new_stops(xy: np.ndarray, *, bahn: bool = False) -> Haltestellen:
    """Hypothetical regular stops at metric *xy* (what-if "neue Haltestelle hier")."""
    arr = np.atleast_2d(np.asarray(xy, dtype=float))
    n = len(arr)
    return Haltestellen(
        ids=np.array([f"neu-{i + 1}" for i in range(n)], dtype=object),
        xy=arr,
        bahn=np.full(n, bahn),
        rufbus=np.zeros(n, dtype=bool),
    )


def _sample_offsets(zellgroesse_m: float, raster: int) -> np.ndarray:
    step = zellgroesse_m / raster
    centres = (np.arange(raster) + 0.5) * step - zellgroesse_m / 2
    ox, oy = np.meshgrid(centres, centres)
    return np.column_stack([ox.ravel(), oy.ravel()])


def _covered(centres: np.ndarray, offs: np.ndarray, stop_xy: np.ndarray, radius: float) -> np.ndarray:
    """Boolean (n_cells × n_samples): sample point within *radius* of any of *stop_xy*.

    Only (cell, stop) pairs whose centres are closer than radius + half the cell diagonal are tested
    (``cKDTree.sparse_distance_matrix``), then all samples of those pairs at once with numpy."""
    out = np.zeros((len(centres), len(offs)), dtype=bool)
    if len(stop_xy) == 0 or len(centres) == 0:
        return out
    reach = radius + float(np.sqrt((offs**2).sum(axis=1)).max())
    pairs = cKDTree(centres).sparse_distance_matrix(cKDTree(stop_xy), reach, output_type="ndarray")
    if len(pairs) == 0:
        return out
    i = pairs["i"].astype(np.int64)
    j = pairs["j"].astype(np.int64)
    rel = centres[i] - stop_xy[j]  # (P, 2): sample − stop = rel + offset
    d2 = ((rel[:, None, :] + offs[None, :, :]) ** 2).sum(axis=2)
    rows, cols = np.nonzero(d2 <= radius * radius * (1 + 1e-12))
    out[i[rows], cols] = True
    return out


@dataclass(frozen=True)
class Abdeckung:
    """Shares of each origin's area (≈ people) within the catchment.

    ``anteil_regulaer``: within reach of a regular stop or station; ``anteil_nur_rufbus``: only an
    on-demand stop in reach; the rest is beyond every stop.
    """

    origins: Origins
    standard: Einzugsbereich
    regulaer: np.ndarray
    rufbus: np.ndarray
    offsets: np.ndarray

    @property
    def anteil_regulaer(self) -> np.ndarray:
        return np.asarray(self.regulaer.mean(axis=1))

    @property
    def anteil_nur_rufbus(self) -> np.ndarray:
        return np.asarray((self.rufbus & ~self.regulaer).mean(axis=1))

    @property
    def anteil_ausserhalb(self) -> np.ndarray:
        return np.clip(1.0 - self.anteil_regulaer - self.anteil_nur_rufbus, 0.0, 1.0)

    def zellen(self) -> pd.DataFrame:
        """Per origin (index of the cell table): ``ags``, people, the three shares and the estimated
        people, under-15s and over-65s beyond every stop (``*_ausserhalb``) and with on-demand only."""
        o = self.origins
        out = pd.DataFrame(
            {
                "ags": o.ags,
                "einwohner": o.einwohner,
                "u15": o.u15,
                "ue65": o.ue65,
                "anteil_im_einzugsbereich": self.anteil_regulaer,
                "anteil_nur_rufbus": self.anteil_nur_rufbus,
                "anteil_ausserhalb": self.anteil_ausserhalb,
            },
            index=o.index,
        )
        for col in ("einwohner", "u15", "ue65"):
            out[f"{col}_ausserhalb"] = out[col] * out["anteil_ausserhalb"]
            out[f"{col}_nur_rufbus"] = out[col] * out["anteil_nur_rufbus"]
        return out

    def gemeinden(self) -> pd.DataFrame:
        """Per Gemeinde (index ``ags``): people, estimated people beyond every stop and with on-demand
        only (all, under 15, 65+) and the shares of the Gemeinde's people."""
        z = self.zellen().drop(columns=["anteil_im_einzugsbereich", "anteil_nur_rufbus", "anteil_ausserhalb"])
        g = z.groupby("ags", sort=True).sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            for col in ("einwohner", "u15", "ue65"):
                g[f"anteil_{col}_ausserhalb"] = g[f"{col}_ausserhalb"] / g[col].replace(0, np.nan)
            g["anteil_einwohner_nur_rufbus"] = g["einwohner_nur_rufbus"] / g["einwohner"].replace(0, np.nan)
        return g

    def gesamt(self) -> pd.Series:
        z = self.zellen()
        s = z[[c for c in z.columns if c.startswith(("einwohner", "u15", "ue65"))]].sum()
        s["anteil_einwohner_ausserhalb"] = s["einwohner_ausserhalb"] / s["einwohner"] if s["einwohner"] else np.nan
        s["anteil_einwohner_nur_rufbus"] = s["einwohner_nur_rufbus"] / s["einwohner"] if s["einwohner"] else np.nan
        return s


def catchment(
    origins: Origins,
    stops: Haltestellen,
    standard: Einzugsbereich,
    *,
    zellgroesse_m: float = 1000.0,
    raster: int = 10,
) -> Abdeckung:
    """Share of every origin cell within the catchment of a regular stop, of on-demand stops only,
    or of none (square cells of *zellgroesse_m* around the origin, sampled at *raster* × *raster*
    points, every 100 m by default)."""
    offs = _sample_offsets(zellgroesse_m, raster)
    return _with_stops(origins, standard, offs, stops, None)


def _with_stops(
    origins: Origins, standard: Einzugsbereich, offs: np.ndarray, stops: Haltestellen, base: Abdeckung | None
) -> Abdeckung:
    bus = ~stops.bahn & ~stops.rufbus
    regular = _covered(origins.xy, offs, stops.xy[bus], standard.radius_bus_m)
    regular |= _covered(origins.xy, offs, stops.xy[stops.bahn], standard.radius_bahn_m)
    demand = _covered(origins.xy, offs, stops.xy[stops.rufbus & ~stops.bahn], standard.rufbus_m)
    if base is not None:
        regular |= base.regulaer
        demand |= base.rufbus
    return Abdeckung(origins=origins, standard=standard, regulaer=regular, rufbus=demand, offsets=offs)


def add_stops(base: Abdeckung, new: Haltestellen) -> Abdeckung:
    """What-if: *base* with the stops *new* added (only the new stops are searched)."""
    return _with_stops(base.origins, base.standard, base.offsets, new, base)


def catchment_delta(before: Abdeckung, after: Abdeckung) -> pd.DataFrame:
    """Per Gemeinde: people beyond every stop before, after and the change (negative = fewer)."""
    b = before.gemeinden()
    a = after.gemeinden()
    out = pd.DataFrame(index=b.index)
    for col in ("einwohner", "u15", "ue65"):
        out[f"{col}_ausserhalb_vorher"] = b[f"{col}_ausserhalb"]
        out[f"{col}_ausserhalb_nachher"] = a[f"{col}_ausserhalb"]
        out[f"{col}_ausserhalb_differenz"] = a[f"{col}_ausserhalb"] - b[f"{col}_ausserhalb"]
    return out
