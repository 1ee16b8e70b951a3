"""Modes, default speeds and detour factor, and the German names of the two methods.

All numbers in :class:`Verkehrsparameter` are **assumptions** of the project, not measured values;
they are meant to be overridden (``dataclasses.replace``) where better local figures exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, get_args

#: Modes of travel the engine computes.
Mode = Literal["walk", "bike", "car"]
#: The two methods; every result says which one was used.
Methode = Literal["netz", "luftlinie"]

MODES: tuple[str, ...] = get_args(Mode)

#: German names of the modes, for messages and tables.
MODE_LABEL: Mapping[str, str] = MappingProxyType({"walk": "zu Fuß", "bike": "Fahrrad", "car": "Pkw"})


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
    """

    umwegfaktor: float = 1.3
    geschwindigkeit_kmh: Mapping[str, float] = field(default_factory=lambda: DEFAULT_SPEED_KMH)
    anbindung_kmh: Mapping[str, float] = field(default_factory=lambda: DEFAULT_ACCESS_SPEED_KMH)
    max_anbindung_m: float = 710.0
    pkw_highway_kmh: Mapping[str, float] = field(default_factory=lambda: DEFAULT_CAR_SPEED_BY_HIGHWAY)
    pkw_sonstige_kmh: float = DEFAULT_CAR_SPEED_OTHER
    pkw_faktor: float = 1.0

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
    return (
        f"Luftlinie × Umwegfaktor {_de(params.umwegfaktor)}, {MODE_LABEL[mode]} mit "
        f"{_de(params.speed(mode))} km/h (Näherung ohne Straßennetz; Annahmen, keine Messwerte)"
    )


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
