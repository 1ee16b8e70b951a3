"""Public transport stops (``haltestellen``) and the Ortsteile their names reveal.

Source: ``haltestellen_db_hafas_sm_buffer15km.geojson`` (``haltestellen`` in ``geodata/sources.yaml``;
PROVENANCE §11): every stop and station of the npm package ``db-hafas-stations`` 2.0.0 in the study
area, built from DB InfraGO's RIS::Stations/StaDa (CC BY 4.0) and OpenStreetMap (ODbL).

The built layer ``haltestellen`` (EPSG:25832) has exactly these columns – other modules rely on them:

=================  ==========================================================================================
``id``             EVA number (text)
``name``           full stop name as in the source, usually "Stop, Gemeinde"
``haltestelle``    the part before the last comma ("Asbach Kirche"); the whole name when there is no comma
``ort``            the part after the last comma ("Schmalkalden"); empty when there is no comma
``ags``            8-digit AGS of the county Gemeinde containing the point; null outside the county
``in_kreis``       True inside the county
``verkehrsmittel`` the products served, as in the source ("bus,taxi")
``bus``            served by bus
``bahn``           served by rail (regional or any other train; trams are not counted)
``rufbus``         served *only* on demand: product ``taxi`` and nothing else
``dhid``           DHID of the German stop register (``ifopt_id``), null when not given
=================  ==========================================================================================

Stop names also name the villages they serve: "Asbach Kirche, Schmalkalden" lies in Asbach, an
Ortsteil of Schmalkalden that GeoNames does not list. :func:`stop_ortsteile` derives such Ortsteile
(name, Gemeinde and a central stop) with a documented rule; placement and the family page's place
search use them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from atlas._helpers import is_blank, normalise_name

#: Columns of the built ``haltestellen`` layer, in order (the contract other modules code against).
STOP_COLUMNS: tuple[str, ...] = ("id", "name", "haltestelle", "ort", "ags", "in_kreis", "verkehrsmittel",
                                 "bus", "bahn", "rufbus", "dhid")

#: Products of the source that mean a train (``tram`` is not counted as rail).
RAIL_PRODUCTS: frozenset[str] = frozenset({"nationalExpress", "national", "regionalExpress", "regional",
                                           "suburban", "subway", "regionalExp", "ice", "ic", "re", "rb"})
#: The on-demand product (Rufbus, Anruf-Sammeltaxi).
ON_DEMAND_PRODUCT = "taxi"


@dataclass(frozen=True)
class StopName:
    """The two parts of a stop name."""

    haltestelle: str
    ort: str


def parse_stop_name(name: object) -> StopName:
    """Split a stop name at its *last* comma: "Stop, Gemeinde" → (Stop, Gemeinde).

    >>> parse_stop_name("Asbach Kirche, Schmalkalden")
    StopName(haltestelle='Asbach Kirche', ort='Schmalkalden')
    >>> parse_stop_name("Kasseler Straße/Aue-Center, Schmalkalden")
    StopName(haltestelle='Kasseler Straße/Aue-Center', ort='Schmalkalden')
    >>> parse_stop_name("Rosa b Schmalkalden")          # a station: no comma, the name is the place
    StopName(haltestelle='Rosa b Schmalkalden', ort='')
    >>> parse_stop_name("Bahnhof, Sankt Blasien, Ort, Kurhaus").ort  # the last comma counts
    'Kurhaus'
    """
    text = "" if is_blank(name) else " ".join(str(name).split())
    if "," not in text:
        return StopName(haltestelle=text, ort="")
    head, _, tail = text.rpartition(",")
    return StopName(haltestelle=head.strip(), ort=tail.strip())


def products(verkehrsmittel: object) -> frozenset[str]:
    """The set of products in a ``verkehrsmittel`` text ("bus,taxi" → {"bus", "taxi"})."""
    if is_blank(verkehrsmittel):
        return frozenset()
    return frozenset(p.strip() for p in str(verkehrsmittel).split(",") if p.strip())


def is_rufbus_only(verkehrsmittel: object) -> bool:
    """True when a stop is served only on demand (product ``taxi`` and nothing else)."""
    return products(verkehrsmittel) == {ON_DEMAND_PRODUCT}


def build_stops(raw: gpd.GeoDataFrame, kreis_gemeinden: gpd.GeoDataFrame, metric_crs: str) -> gpd.GeoDataFrame:
    """The ``haltestellen`` layer from the source frame *raw* (see the module docstring for the columns).

    *kreis_gemeinden* (``ags``, polygons in *metric_crs*) are the county's Gemeinden; a stop outside
    them gets ``ags`` null and ``in_kreis`` False.
    """
    metric = raw.to_crs(metric_crs)
    parts = [parse_stop_name(n) for n in raw["name"]]
    prods = [products(v) for v in raw["verkehrsmittel"]]
    dhid = raw["ifopt_id"] if "ifopt_id" in raw.columns else pd.Series([None] * len(raw), index=raw.index)
    frame = gpd.GeoDataFrame({
        "id": raw["id"].astype(str).str.strip().to_numpy(),
        "name": raw["name"].fillna("").astype(str).to_numpy(),
        "haltestelle": [p.haltestelle for p in parts],
        "ort": [p.ort for p in parts],
        "verkehrsmittel": raw["verkehrsmittel"].fillna("").astype(str).to_numpy(),
        "bus": [("bus" in p) for p in prods],
        "bahn": [bool(p & RAIL_PRODUCTS) for p in prods],
        "rufbus": [p == {ON_DEMAND_PRODUCT} for p in prods],
        "dhid": [None if is_blank(d) else str(d).strip() for d in dhid],
    }, geometry=metric.geometry.to_numpy(), crs=metric_crs)
    points = gpd.GeoDataFrame(geometry=frame.geometry.reset_index(drop=True), crs=metric_crs)
    joined = gpd.sjoin(points, kreis_gemeinden[["ags", "geometry"]], how="left", predicate="within")
    joined = joined[~joined.index.duplicated()]
    ags = [None if is_blank(a) else str(a) for a in joined["ags"]]
    frame.insert(4, "ags", ags)
    frame.insert(5, "in_kreis", [a is not None for a in ags])
    return gpd.GeoDataFrame(frame[[*STOP_COLUMNS, "geometry"]], crs=metric_crs)


# ------------------------------------------------------------------------------- Ortsteile from names

#: Words after an Ortsteil name that mark a stop *in* that village ("Asbach Kirche", "Reurieth Ort").
LOCALITY_WORDS: frozenset[str] = frozenset(normalise_name(w) for w in (
    "Ort", "Ortsmitte", "Mitte", "Dorf", "Dorfmitte", "Dorfplatz", "Kirche", "Schule", "Ortseingang", "Ortsausgang",
    "Wendeplatz", "Wendeschleife", "Abzweig", "Abzw.", "Gasthaus", "Gasthof", "Feuerwehr", "Gemeindeamt", "Rathaus",
    "Markt", "Marktplatz", "Post", "Bahnhof", "Bf", "Kindergarten", "Brücke", "Linde", "Teich", "Siedlung",
    "Gemeindehaus", "Dorfgemeinschaftshaus", "Schulbus", "Anger", "Ortsende", "Kreuzung", "Friedhof", "Sportplatz",
))
#: Stops whose rest names the village centre; preferred as the Ortsteil's point.
CENTRE_WORDS: frozenset[str] = frozenset(normalise_name(w) for w in (
    "Ort", "Ortsmitte", "Mitte", "Dorfmitte", "Dorfplatz", "Kirche", "Markt", "Marktplatz", "Rathaus", "Gemeindeamt",
    "Anger", "Post",
))
_STREET_SUFFIX = re.compile(r"(stra(ß|ss)e|str\.?|weg|gasse|allee|platz|ring|damm|pfad|steig|ufer)$", re.IGNORECASE)
_NOT_A_PLACE = frozenset(normalise_name(w) for w in (
    "Am", "An", "Auf", "Aus", "Bei", "Hinter", "Vor", "Zum", "Zur", "Zu", "Im", "In", "Neue", "Neuer", "Neues", "Alte",
    "Alter", "Altes", "Obere", "Oberer", "Untere", "Unterer", "Große", "Großer", "Kleine", "Kleiner", "Hohe", "Hoher",
    "Bahnhof", "Busbahnhof", "Hauptbahnhof", "Hbf", "Abzweig", "Abzw", "Krankenhaus", "Klinikum", "Schule",
    "Regelschule", "Grundschule", "Gymnasium", "Kindergarten", "Stadion", "Gewerbegebiet", "Industriegebiet",
    "Friedhof", "Kirche", "Markt", "Rathaus", "Post", "Sparkasse", "Ortsmitte", "Mitte", "Sankt", "St", "Bad",
    "Seniorenheim", "Feierabendheim", "Pflegeheim", "Altenheim", "Altersheim", "Kinderheim", "Wohnheim", "Autohof",
))
_BEI = re.compile(r"\s+(b\.?|bei)\s+.*$", re.IGNORECASE)
_BRACKETS = re.compile(r"\s*\(.*?\)\s*")
#: Stops of one derived Ortsteil farther than this from its central stop are not counted (namesakes).
ORTSTEIL_RADIUS_M = 3000.0


def place_part(text: str) -> str:
    """A place name without "b Schmalkalden" / "bei …" and bracketed notes: "Roßdorf b Schmalkalden" → "Roßdorf".

    >>> place_part("Rosa b Schmalkalden")
    'Rosa'
    >>> place_part("Tann (Rhön)")
    'Tann'
    """
    return _BEI.sub("", _BRACKETS.sub(" ", text)).strip()


#: Endings of German village names; a stop named by one such word alone ("Breitenbach, Schmalkalden")
#: names its village.
_PLACE_ENDING = re.compile(
    r"(hausen|bach|dorf|feld|heim|rode|roda|thal|tal|stadt|stedt|berg|born|brunn|ingen|leben|stille|ers|els|"
    r"katz|weid|grund|ach|au|ba|solz|sa|ns|pf)$")
#: Street words: "Auer Straße" makes "Auer" an adjective, not a village.
_STREET_WORDS = frozenset(normalise_name(w) for w in (
    "Straße", "Strasse", "Str.", "Weg", "Gasse", "Allee", "Platz", "Ring", "Tor", "Damm", "Siedlung"))


def _is_place_token(token: str) -> bool:
    """Could *token* be (the first word of) a village name? Not a street, preposition or number."""
    if len(token) < 3 or not token[0].isupper() or "/" in token or "." in token:
        return False
    if any(ch.isdigit() for ch in token):
        return False
    return not (_STREET_SUFFIX.search(token) or normalise_name(token) in _NOT_A_PLACE)


def locality_of(haltestelle: str) -> tuple[str, str] | None:
    """(Ortsteil, rest) when the stop part reads "<Ortsteil> <Zusatz>", else None; pure, no context.

    The first word is taken as the Ortsteil when it can be a place name (see :func:`_is_place_token`)
    and more words follow. Whether it really is one is decided by :func:`stop_ortsteile`, which needs
    evidence from several stops or a locality word.

    >>> locality_of("Asbach Kirche")
    ('Asbach', 'Kirche')
    >>> locality_of("Wernshausen Roßdorfer Straße")
    ('Wernshausen', 'Roßdorfer Straße')
    >>> locality_of("Auer Straße") is None, locality_of("Ernststraße") is None
    (True, True)

    A word followed by a street word is an adjective ("Auer Straße"); :func:`stop_ortsteile` then also
    rejects it for the other stops of that Gemeinde ("Auer Tor").
    """
    words = haltestelle.split()
    if len(words) < 2 or not _is_place_token(words[0]) or normalise_name(words[1]) in _STREET_WORDS:
        return None
    return words[0], " ".join(words[1:])


def _medoid(xy: np.ndarray) -> int:
    """Index of the point with the smallest sum of distances to the others."""
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    return int(d.sum(axis=1).argmin())


def stop_ortsteile(stops: gpd.GeoDataFrame, gemeinde_names: dict[str, str] | None = None) -> gpd.GeoDataFrame:
    """Ortsteile named by stop names, one row each: ``ags``, ``name``, ``haltestellen`` (count), ``zentrum``
    (name of the central stop), point geometry in the CRS of *stops* (the central stop's point).

    Rule (documented, deterministic): within one Gemeinde (``ags`` of the stop), a name X is an Ortsteil when
    the stop part of at least one stop is "X <Ortswort>" (Kirche, Ort, Ortsmitte, Schule, Wendeplatz …, see
    :data:`LOCALITY_WORDS`) or X alone with a village-name ending (-hausen, -bach, -dorf …: "Breitenbach"),
    or when at least two stops read "X …" or "X" alone. X must look like a place name: not a street, not a
    preposition, not an adjective (a word followed by "Straße", "Tor" … in any stop of the Gemeinde: "Auer"). A stop named without comma ("Rosa b Schmalkalden",
    "Reurieth Ort") names its place as well. The point is the stop naming the centre ("X Kirche", "X Ortsmitte",
    "X" …; the medoid among several), else the medoid of all the Ortsteil's stops; stops farther than
    :data:`ORTSTEIL_RADIUS_M` from it are ignored. Names equal to the Gemeinde's own name are kept (they mark
    its main locality). Only stops with an ``ags`` (inside the county) are used.
    """
    del gemeinde_names  # reserved: the Gemeinde is taken from the stop's position (ags), not from its name
    evidence: dict[tuple[str, str], dict[str, object]] = {}
    inside = stops[stops["ags"].notna() & (stops["ags"].astype(str) != "")]
    adjectives: set[tuple[str, str]] = set()
    for halt, ags in zip(inside["haltestelle"], inside["ags"], strict=True):
        for part in stop_parts(str(halt)):
            words = part.split()
            if len(words) >= 2 and normalise_name(words[1]) in _STREET_WORDS:
                adjectives.add((str(ags), normalise_name(words[0])))
    for halt, ort, ags, geom in zip(inside["haltestelle"], inside["ort"], inside["ags"], inside.geometry, strict=True):
        halt = str(halt)
        if not str(ort):  # a station named after its place
            base = place_part(halt)
            words = base.split()
            if words and words[-1] in ("Ort", "Ortsmitte", "Mitte"):
                candidates = [(" ".join(words[:-1]), words[-1])]
            else:
                candidates = [(base, "")]
        else:
            loc = locality_of(halt)
            candidates = [loc] if loc else []
            if " " not in halt and _is_place_token(halt):
                candidates.append((halt, ""))
        for name, rest in candidates:
            if not name or not _is_place_token(name.split()[0]):
                continue
            key = (str(ags), normalise_name(name))
            if key in adjectives:
                continue
            entry = evidence.setdefault(key, {"name": name, "stops": [], "strong": False})
            rest_key = normalise_name(rest)
            strong = (rest_key in LOCALITY_WORDS or not str(ort)
                      or (rest == "" and bool(_PLACE_ENDING.search(name))))
            entry["strong"] = bool(entry["strong"]) or strong
            entry["stops"].append((halt, rest_key, geom))  # type: ignore[attr-defined]
    rows: list[dict[str, object]] = []
    geoms: list[object] = []
    for (ags, _key), entry in sorted(evidence.items()):
        members: list[tuple[str, str, object]] = entry["stops"]  # type: ignore[assignment]
        if not entry["strong"] and len(members) < 2:
            continue
        xy = np.array([[g.x, g.y] for _, _, g in members])  # type: ignore[attr-defined]
        central = [i for i, (_, rest, _) in enumerate(members) if rest in CENTRE_WORDS or rest == ""]
        pool = central or list(range(len(members)))
        centre = pool[_medoid(xy[pool])]
        near = np.sqrt(((xy - xy[centre]) ** 2).sum(axis=1)) <= ORTSTEIL_RADIUS_M
        rows.append({"ags": ags, "name": str(entry["name"]), "haltestellen": int(near.sum()),
                     "zentrum": members[centre][0]})
        geoms.append(members[centre][2])
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=stops.crs) if rows else gpd.GeoDataFrame(
        {"ags": [], "name": [], "haltestellen": [], "zentrum": []}, geometry=[], crs=stops.crs)


def stop_parts(haltestelle: str) -> list[str]:
    """The parts of a stop name separated by "/" ("Kasseler Straße/Aue-Center" → two parts)."""
    return [p.strip() for p in str(haltestelle).split("/") if p.strip()]


def ortsteil_prefix(haltestelle: str, known: Iterable[str]) -> str:
    """The known Ortsteil a stop part starts with ("Asbach Talstraße" → "Asbach"), else ""."""
    words = str(haltestelle).split()
    folded = {normalise_name(k): k for k in known}
    for n in range(min(3, len(words)), 0, -1):
        head = normalise_name(" ".join(words[:n]))
        if head in folded and n < len(words) + 1:
            return folded[head]
    return ""


#: Source label of the Ortsteile that only stop names reveal (shown with search results).
ORTSTEIL_SOURCE = "Haltestellennamen (DB InfraGO)"


def gazetteer_ortsteile(stops: gpd.GeoDataFrame, orte: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Ortsteile named by stops that the GeoNames localities *orte* (``name``, ``ags``) lack, in the form of the
    ``orte`` layer (``name``, ``plz`` empty, ``kreis_name`` empty, ``ags``, ``in_kreis``, ``quelle``), CRS of *stops*.

    For the family page's place search: "Asbach" (Schmalkalden) becomes findable. Names equal to a Gemeinde's
    own name are left out (the Gemeinde is findable already)."""
    derived = stop_ortsteile(stops)
    known = {(str(a), normalise_name(str(n))) for a, n in zip(orte["ags"], orte["name"], strict=True)}
    keep = [(str(a), normalise_name(str(n))) not in known for a, n in zip(derived["ags"], derived["name"], strict=True)]
    new = derived[np.asarray(keep, dtype=bool)] if len(derived) else derived
    return gpd.GeoDataFrame({
        "name": new["name"].astype(str).to_numpy(), "plz": "", "kreis_name": "",
        "ags": new["ags"].astype(str).to_numpy(), "in_kreis": True, "quelle": ORTSTEIL_SOURCE,
    }, geometry=new.geometry.to_numpy(), crs=stops.crs)
