"""Modes, default speeds and detour factor, and the German names of the two methods.

The numbers in :class:`Verkehrsparameter` are **assumptions** of the project unless replaced:
walking and cycling speed and the detour factor come, with their sources, from the section
``verkehrsmodell`` of ``geodata/standards.yaml`` (:func:`load_verkehrsmodell`); the straight-line car
model ``minutes = Grundzeit + Minuten je km × Luftlinie`` is fitted at build time against the
Deutschlandatlas (:mod:`atlas.accessibility.calibration`) and stored in the manifest. Without a fit the
car uses the old assumption (detour factor at 50 km/h).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, get_args

import numpy as np

from atlas.datafile import read_yaml
from atlas.settings import STANDARDS_FILE

#: Modes of travel the engine computes.
Mode = Literal["walk", "bike", "car"]
#: Modes a standard may name: the road modes plus public transport (``pt``, timetable, atlas.transit).
StandardMode = Literal[Mode, "pt"]
#: The two methods; every result says which one was used.
Methode = Literal["netz", "luftlinie"]

MODES: tuple[str, ...] = get_args(Mode)

#: German names of the modes, for messages and tables.
MODE_LABEL: Mapping[str, str] = MappingProxyType(
    {"walk": "zu Fuß", "bike": "Fahrrad", "car": "Pkw", "pt": "Bus und Bahn"}  # pt: atlas.transit (GTFS timetable)
)


def _frozen(d: dict[str, float]) -> Mapping[str, float]:
    return MappingProxyType(dict(d))


#: Speeds (km/h) on the network or along the straight line. ASSUMPTIONS: walking 4.5 km/h and
#: cycling 15 km/h are common planning values; 50 km/h for the car is a plausible rural door-to-door
#: average (used only by the straight-line method; the network method uses maxspeed per road).
DEFAULT_SPEED_KMH: Mapping[str, float] = _frozen({"walk": 4.5, "bike": 15.0, "car": 50.0})

#: Speed (km/h) of the access leg from an origin or a site to the nearest network node (straight
#: line). ASSUMPTION: on foot / by bike at the mode's speed; by car 20 km/h (slow access roads,
#: parking) – the access leg is short compared with the trip.
DEFAULT_ACCESS_SPEED_KMH: Mapping[str, float] = _frozen({"walk": 4.5, "bike": 15.0, "car": 20.0})

#: Car speed (km/h) by OSM ``highway`` type where no usable ``maxspeed`` tag exists. ASSUMPTION:
#: German statutory limits (100 km/h outside built-up areas, 50 inside) scaled down for road class.
DEFAULT_CAR_SPEED_BY_HIGHWAY: Mapping[str, float] = _frozen(
    {
        "motorway": 120.0,
        "motorway_link": 60.0,
        "trunk": 100.0,
        "trunk_link": 50.0,
        "primary": 80.0,
        "primary_link": 40.0,
        "secondary": 70.0,
        "secondary_link": 40.0,
        "tertiary": 60.0,
        "tertiary_link": 30.0,
        "unclassified": 50.0,
        "residential": 30.0,
        "living_street": 7.0,
        "service": 20.0,
        "road": 30.0,
        "track": 15.0,
    }
)
#: Car speed (km/h) for a highway type missing from the table above (ASSUMPTION).
DEFAULT_CAR_SPEED_OTHER: float = 30.0

#: Values of German ``maxspeed`` zone tags (km/h). ``DE:motorway`` has no limit: the
#: motorway default above is used.
MAXSPEED_ZONES: Mapping[str, float] = _frozen(
    {"de:urban": 50.0, "de:rural": 100.0, "de:living_street": 7.0, "de:zone30": 30.0, "walk": 7.0}
)


@dataclass(frozen=True)
class Verkehrsparameter:
    """Parameters of both methods. Every default is an assumption (see module constants).

    Attributes
    ----------
    umwegfaktor:
        Straight-line method: network distance ≈ straight-line distance × this factor (1.3 is a
        common value for German rural road networks; ASSUMPTION).
    geschwindigkeit_kmh:
        Speed per mode (km/h) for the straight-line method and for walk/bike on the network.
    anbindung_kmh:
        Speed per mode on the access leg (origin/site → nearest network node).
    max_anbindung_m:
        Network method: an origin farther than this from every network node is flagged
        ``nicht_angebunden`` (not dropped). 710 m ≈ half the diagonal of a 1-km cell: farther
        means no road of the network lies in the cell at all.
    pkw_highway_kmh, pkw_sonstige_kmh:
        Car speed by ``highway`` type where ``maxspeed`` is missing or unusable.
    pkw_faktor:
        Multiplies every car speed on the network (1.0 = drive at the limit; lower values model
        junctions and bends).
    pkw_grundzeit_min, pkw_min_pro_km:
        Straight-line method, car: when both are set, car minutes = ``pkw_grundzeit_min`` +
        ``pkw_min_pro_km`` × straight-line km (the calibrated model; the intercept stands for
        starting, parking and the first and last metres). ``None``: detour factor at the car speed.
    pkw_modell_hinweis:
        German note on where the car model comes from (fit, date, typical error), for descriptions.
    pkw_fehler_min:
        Typical error of the fitted car model in minutes (leave-one-out, per Gemeinde).
    umweg_quelle, tempo_quelle:
        Sources of the detour factor and of the walking/cycling speeds (from the standards file).
    """

    umwegfaktor: float = 1.3
    geschwindigkeit_kmh: Mapping[str, float] = field(default_factory=lambda: DEFAULT_SPEED_KMH)
    anbindung_kmh: Mapping[str, float] = field(default_factory=lambda: DEFAULT_ACCESS_SPEED_KMH)
    max_anbindung_m: float = 710.0
    pkw_highway_kmh: Mapping[str, float] = field(default_factory=lambda: DEFAULT_CAR_SPEED_BY_HIGHWAY)
    pkw_sonstige_kmh: float = DEFAULT_CAR_SPEED_OTHER
    pkw_faktor: float = 1.0
    pkw_grundzeit_min: float | None = None
    pkw_min_pro_km: float | None = None
    pkw_modell_hinweis: str = ""
    pkw_fehler_min: float | None = None
    umweg_quelle: str = ""
    tempo_quelle: str = ""

    @property
    def pkw_kalibriert(self) -> bool:
        """True when the straight-line car time comes from the fitted model."""
        return self.pkw_grundzeit_min is not None and self.pkw_min_pro_km is not None

    def zeit_luftlinie_min(self, mode: str, luftlinie_m: np.ndarray | float) -> np.ndarray:
        """Straight-line method: minutes for a straight-line distance in metres (*not* detoured).

        Car with a fitted model: intercept + minutes per km × km; otherwise distance × detour factor
        at the mode's speed.
        """
        d = np.asarray(luftlinie_m, dtype=float)
        if check_mode(mode) == "car" and self.pkw_kalibriert:
            return float(self.pkw_grundzeit_min) + float(self.pkw_min_pro_km) * d / 1000.0  # type: ignore[arg-type]
        return d * self.umwegfaktor / (self.speed(mode) * 1000.0 / 60.0)

    def luftlinie_fuer_zeit_m(self, mode: str, minuten: float) -> float:
        """Inverse of :meth:`zeit_luftlinie_min`: the largest straight-line distance (m) reached
        within *minuten* (0 when even the intercept is longer)."""
        if check_mode(mode) == "car" and self.pkw_kalibriert:
            return max(0.0, (float(minuten) - float(self.pkw_grundzeit_min)) / float(self.pkw_min_pro_km) * 1000.0)  # type: ignore[arg-type]
        return float(minuten) * self.speed(mode) * 1000.0 / 60.0 / self.umwegfaktor

    def speed(self, mode: str) -> float:
        """Speed in km/h for *mode* (straight line; walk and bike on the network)."""
        return float(self.geschwindigkeit_kmh[check_mode(mode)])

    def access_speed(self, mode: str) -> float:
        """Speed in km/h on the access leg for *mode*."""
        return float(self.anbindung_kmh[check_mode(mode)])


#: The defaults used when no parameters are given.
DEFAULTS = Verkehrsparameter()


def check_mode(mode: str) -> str:
    """Return *mode* if it is one of ``walk``, ``bike``, ``car``; raise a German error otherwise."""
    if mode not in MODES:
        from atlas.accessibility.errors import AccessibilityError

        raise AccessibilityError(
            f"Unbekanntes Verkehrsmittel {mode!r}; erlaubt sind: walk (zu Fuß), bike (Fahrrad), car (Pkw)."
        )
    return mode


def _de(value: float) -> str:
    """Number in German notation (decimal comma), shortest form: 1.3 → ``"1,3"``."""
    return f"{value:g}".replace(".", ",")


def beschreibung_luftlinie(mode: str, params: Verkehrsparameter) -> str:
    """German description of the straight-line method with its parameters."""
    if mode == "car" and params.pkw_kalibriert:
        text = (
            f"Pkw-Minuten = {_de(round(float(params.pkw_grundzeit_min), 2))} min + "  # type: ignore[arg-type]
            f"{_de(round(float(params.pkw_min_pro_km), 2))} min je km Luftlinie"  # type: ignore[arg-type]
        )
        return text + (f" ({params.pkw_modell_hinweis})" if params.pkw_modell_hinweis else "")
    quelle = "; ".join(q for q in (params.umweg_quelle, params.tempo_quelle) if q)
    return (
        f"Luftlinie × Umwegfaktor {_de(params.umwegfaktor)}, {MODE_LABEL[mode]} mit "
        f"{_de(params.speed(mode))} km/h (Näherung ohne Straßennetz; "
        + (f"Quellen: {quelle})" if quelle else "Annahmen, keine Messwerte)")
    )


# ------------------------------------------------------------------------- the model as data

#: Key of the travel-model section in ``geodata/standards.yaml``.
MODELL_KEY = "verkehrsmodell"


def parse_verkehrsmodell(data: Any, source: str = "standards.yaml") -> Verkehrsparameter:
    """:class:`Verkehrsparameter` from the ``verkehrsmodell`` section of the standards file.

    Expected fields: ``umwegfaktor`` (> 1) with ``umwegfaktor_quelle``, ``geschwindigkeit_kmh`` with
    ``walk``, ``bike``, ``car`` (> 0) and ``geschwindigkeit_quelle``. A missing section gives the
    defaults; a bad value a German :class:`~atlas.accessibility.errors.StandardsError` naming the field.
    """
    from atlas.accessibility.errors import StandardsError

    section = data.get(MODELL_KEY) if isinstance(data, dict) else None
    if section is None:
        return DEFAULTS
    if not isinstance(section, dict):
        raise StandardsError(f"{source}: '{MODELL_KEY}' muss eine Zuordnung von Feldern sein.")
    faktor = section.get("umwegfaktor", DEFAULTS.umwegfaktor)
    if not isinstance(faktor, (int, float)) or isinstance(faktor, bool) or not 1.0 <= float(faktor) <= 3.0:
        raise StandardsError(f"{source}, {MODELL_KEY}: Feld 'umwegfaktor' muss eine Zahl zwischen 1 und 3 sein "
                             f"(angegeben: {faktor!r}).")
    speeds = dict(DEFAULT_SPEED_KMH)
    given = section.get("geschwindigkeit_kmh") or {}
    if not isinstance(given, dict):
        raise StandardsError(f"{source}, {MODELL_KEY}: Feld 'geschwindigkeit_kmh' muss eine Zuordnung "
                             "walk/bike/car → km/h sein.")
    for mode, value in given.items():
        if mode not in MODES:
            raise StandardsError(f"{source}, {MODELL_KEY}: Feld 'geschwindigkeit_kmh.{mode}' ist kein bekanntes "
                                 "Verkehrsmittel (walk, bike, car).")
        if not isinstance(value, (int, float)) or isinstance(value, bool) or float(value) <= 0:
            raise StandardsError(f"{source}, {MODELL_KEY}: Feld 'geschwindigkeit_kmh.{mode}' muss eine Zahl "
                                 f"größer als 0 sein (angegeben: {value!r}).")
        speeds[mode] = float(value)
    return replace(
        DEFAULTS,
        umwegfaktor=float(faktor),
        geschwindigkeit_kmh=_frozen(speeds),
        umweg_quelle=str(section.get("umwegfaktor_quelle") or ""),
        tempo_quelle=str(section.get("geschwindigkeit_quelle") or ""),
    )


def load_verkehrsmodell(path: str | os.PathLike[str] | None = None) -> Verkehrsparameter:
    """The travel model of ``geodata/standards.yaml`` (section ``verkehrsmodell``), without a car fit."""
    p = Path(path) if path is not None else STANDARDS_FILE
    from atlas.accessibility.errors import StandardsError

    return parse_verkehrsmodell(read_yaml(p, error=StandardsError, required=False), source=p.name)


def beschreibung_netz(mode: str, params: Verkehrsparameter, quelle: str) -> str:
    """German description of the network method with its parameters."""
    if mode == "car":
        tempo = "Pkw mit zulässiger Höchstgeschwindigkeit (maxspeed, sonst Richtwert je Straßentyp)"
        if params.pkw_faktor != 1.0:
            tempo += f" × {_de(params.pkw_faktor)}"
        richtung = "Einbahnstraßen beachtet"
    else:
        tempo = f"{MODE_LABEL[mode]} mit {_de(params.speed(mode))} km/h"
        richtung = "ohne Fahrtrichtung"
    return (
        f"Kürzester Weg im OSM-Straßennetz ({quelle}), {tempo}, {richtung}; Anbindung der Zellen "
        f"bis {_de(params.max_anbindung_m)} m Luftlinie mit {_de(params.access_speed(mode))} km/h"
    )
