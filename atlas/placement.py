"""Placing offers at the best position the data allow, with an honest precision label.

The cascade, best first (``lage_genauigkeit``):

``punkt``
    coordinates kept in the register (set by an editor, an import with lon/lat, an accepted OSM match);
``adresse``
    coordinates from a geocoder for the offer's public address (``atlas geocode``);
``strasse``
    a public transport stop named after the offer's street in the offer's Gemeinde and Ortsteil
    ("Ernststraße, Meiningen"; "Asbach Talstraße, Schmalkalden" for an offer in Asbach);
``einrichtung``
    a stop named after a facility of the offer's kind in its locality ("Schule, Wasungen" for a
    Grundschule in Wasungen; the words per category are data: ``geodata/lage_einrichtungen.yaml``), or
    named after the offer itself (a whole stop name that is a word of the offer's name, not a place:
    "Kiliansberg, Meiningen" for the Regelschule „Am Kiliansberg“);
``ortsteil``
    the locality point of the named Ortsteil – GeoNames, else the Ortsteil as stop names reveal it
    (:func:`atlas.stops.stop_ortsteile`: "Asbach Kirche, Schmalkalden") – or, without an Ortsteil or with
    one no gazetteer knows (a town quarter such as "Jerusalem" in Meiningen), of the Gemeinde's main
    locality, found *inside* the Gemeinde (the hint says the Ortsteil was not found);
``gemeinde``
    the Gemeinde polygon's representative point (only where no locality of the Gemeinde's name exists,
    e.g. Grabfeld).

A stop level is used only when its matching stops agree (all within :data:`STREET_SPREAD_M` or
:data:`FACILITY_SPREAD_M` of their medoid); otherwise the offer falls to the next level (a long street
or several schools in one town say nothing precise).

Every level is computed for every offer (not only the best), so that the typical error of a level can be
*measured* where a better level exists for the same offer: :func:`typical_errors` takes the median
distance between an offer's position at a level and its position at the best better level. Railway
stations with a street address (known exact point) are placed the same way as extra reference cases.
The precision text of popups, cards and tables comes from one function, :func:`precision_label`.

A row whose Gemeinde is empty or unknown is not placed; it is returned with its reason so that nothing is
dropped silently. Offers with a protected address (:func:`is_confidential`) are never placed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import yaml
from pyproj import Transformer
from shapely.geometry import Point

from atlas import schema, settings
from atlas._helpers import is_blank, name_variants, normalise_name
from atlas.stops import place_part, stop_ortsteile, stop_parts

#: Reason recorded for offers with a protected address (they are never put on a map).
CONFIDENTIAL_REASON = "Lage vertraulich (Schutzeinrichtung): nicht auf der Karte, Kontakt über Telefon oder Webseite."

PRECISION_POINT = schema.PRECISION_POINT
PRECISION_ADDRESS = "adresse"
PRECISION_STREET = "strasse"
PRECISION_FACILITY = "einrichtung"
PRECISION_ORTSTEIL = schema.PRECISION_ORTSTEIL
PRECISION_GEMEINDE = schema.PRECISION_GEMEINDE
#: The levels, best first.
LEVELS: tuple[str, ...] = (PRECISION_POINT, PRECISION_ADDRESS, PRECISION_STREET, PRECISION_FACILITY,
                           PRECISION_ORTSTEIL, PRECISION_GEMEINDE)
#: Levels whose position the register keeps (set by a person or a geocoder); the others are derived anew
#: by every build from the offer's address fields.
KEPT_LEVELS: frozenset[str] = frozenset({PRECISION_POINT, PRECISION_ADDRESS})
#: Levels with a position at least as good as a street (reported as "Straße oder genauer").
STREET_OR_BETTER: frozenset[str] = frozenset({PRECISION_POINT, PRECISION_ADDRESS, PRECISION_STREET})

#: Stops of one street farther apart than this from their medoid: the street is too long to say where.
STREET_SPREAD_M = 1000.0
#: Facility stops farther apart than this: several facilities, unclear which.
FACILITY_SPREAD_M = 500.0
#: Fewer comparison cases than this: the median is reported (manifest, Daten & Quellen) but not shown as
#: the level's typical error in popups and cards.
MIN_CASES = 5
#: An unprefixed stop used for an offer in a named Ortsteil must lie this close to the Ortsteil's point.
ORTSTEIL_NEAR_M = 2000.0
#: Shortest word of an offer's name that can match a stop named after the offer (level ``einrichtung``).
NAME_WORD_MIN = 5
#: Middle element of the :func:`facility_counts` keys that count addresses per name word.
NAME_KEY = "@name"

FACILITY_FILE: Path = settings.GEODATA_DIR / "lage_einrichtungen.yaml"

_TO_WGS84 = Transformer.from_crs(settings.METRIC_CRS, settings.MAP_CRS, always_xy=True)
_TO_METRIC = Transformer.from_crs(settings.MAP_CRS, settings.METRIC_CRS, always_xy=True)


def is_confidential(name: object, words: Sequence[str]) -> bool:
    """True when *name* contains one of *words* (case-insensitive), e.g. "Frauenhaus"."""
    folded = str(name or "").casefold()
    return any(word.strip() and word.casefold() in folded for word in words)


# ------------------------------------------------------------------------------------ precision text

_LABELS = {
    "de": {
        PRECISION_POINT: "Lage: gesetzter Punkt",
        PRECISION_ADDRESS: "Lage: Adresse (Geokodierung)",
        PRECISION_STREET: "Lage: Haltestelle der Straße",
        PRECISION_FACILITY: "Lage: Haltestelle an der Einrichtung",
        PRECISION_ORTSTEIL: "Lage: Ortsmitte",
        PRECISION_GEMEINDE: "Lage: Gemeindemitte",
        "": "Lage: Genauigkeit unbekannt",
    },
    "en": {
        PRECISION_POINT: "Location: point set by hand",
        PRECISION_ADDRESS: "Location: address (geocoded)",
        PRECISION_STREET: "Location: stop on the street",
        PRECISION_FACILITY: "Location: stop named after the facility",
        PRECISION_ORTSTEIL: "Location: village centre",
        PRECISION_GEMEINDE: "Location: municipality centre",
        "": "Location: precision unknown",
    },
}
_TYPICAL = {"de": ("typisch ± {}", "Fehler nicht gemessen"), "en": ("typically ± {}", "error not measured")}


def format_metres(metres: float, lang: str = "de") -> str:
    """A typical error in plain words: 40 → "50 m", 310 → "300 m", 1440 → "1,4 km" ("1.4 km" in English)."""
    if metres >= 1000:
        text = f"{metres / 1000:.1f} km"
        return text.replace(".", ",") if lang == "de" else text
    step = 50 if metres < 500 else 100
    return f"{max(step, int(round(metres / step)) * step)} m"


def precision_label(level: object, typical_m: object = None, lang: str = "de") -> str:
    """The one precision text of popups, cards and result tables (German; ``lang="en"`` for the family page).

    *typical_m* is the measured typical error of the level (``lage_fehler_m``); 0 or NaN = not measured
    (said so, no number invented); None = not known to the caller (no remark).

    >>> precision_label("strasse", 310)
    'Lage: Haltestelle der Straße (typisch ± 300 m)'
    >>> precision_label("gemeinde", 1440.0)
    'Lage: Gemeindemitte (typisch ± 1,4 km)'
    >>> precision_label("ortsteil", 0)
    'Lage: Ortsmitte (Fehler nicht gemessen)'
    >>> precision_label("ortsteil")
    'Lage: Ortsmitte'
    >>> precision_label("punkt", 0)
    'Lage: gesetzter Punkt'
    >>> precision_label("gemeinde", 2637, lang="en")
    'Location: municipality centre (typically ± 2.6 km)'
    """
    labels = _LABELS.get(lang, _LABELS["de"])
    key = "" if is_blank(level) else str(level)
    text = labels.get(key, labels[""])
    if key == PRECISION_POINT or typical_m is None:
        return text
    try:
        metres = float(typical_m)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        metres = float("nan")
    typical, unmeasured = _TYPICAL.get(lang, _TYPICAL["de"])
    if metres == metres and metres > 0:  # not NaN
        return f"{text} ({typical.format(format_metres(metres, lang))})"
    return f"{text} ({unmeasured})"


def precision_text(record: Mapping[str, object], lang: str = "de") -> str:
    """:func:`precision_label` for a record of the ``angebote`` layer (``lage_genauigkeit``, ``lage_fehler_m``)."""
    fehler = record.get("lage_fehler_m")
    return precision_label(record.get("lage_genauigkeit"), 0 if is_blank(fehler) else fehler, lang)


def precision_summary(levels: Iterable[object]) -> str:
    """Counts per precision in cascade order: "3 × Haltestelle der Straße, 12 × Ortsmitte, 1 × Gemeindemitte"."""
    counts: dict[str, int] = {}
    for level in levels:
        key = "" if is_blank(level) else str(level)
        counts[key] = counts.get(key, 0) + 1
    order = [*LEVELS, *sorted(k for k in counts if k not in LEVELS)]
    return ", ".join(f"{counts[k]} × {_LABELS['de'].get(k, _LABELS['de']['']).removeprefix('Lage: ')}"
                     for k in order if k in counts)


def is_approximate(level: object) -> bool:
    """True for positions coarser than a street (facility stop, Ortsteil, Gemeinde) or unknown."""
    return str(level or "") not in STREET_OR_BETTER


# ---------------------------------------------------------------------------------- street matching

_CUT = re.compile(r"[\d(,;]")
_GENERIC_STREET_WORDS = frozenset({"straße", "weg", "gasse", "platz", "allee", "ring", "am", "an", "der", "die",
                                   "den", "zum", "zur", "im", "in", "auf", "alte", "neue", "untere", "obere"})
_SPLIT = re.compile(r"[\s\-]+")


def street_tokens(text: object) -> list[str]:
    """Words of a street name, folded; "Str."/"strasse" spelt "straße"; house number and notes cut off.

    >>> street_tokens("Rodebach Str. 77f")
    ['rodebach', 'straße']
    >>> street_tokens("Obertshäuser Platz 1 (Landratsamt)")
    ['obertshäuser', 'platz']
    """
    raw = "" if is_blank(text) else str(text)
    raw = _CUT.split(raw, maxsplit=1)[0].strip().lower().replace("strasse", "straße")
    tokens = []
    for token in _SPLIT.split(raw):
        token = token.strip("„“\"'")
        if not token:
            continue
        if token.endswith("str."):
            token = token[:-4] + "straße"
        tokens.append(token)
    return tokens


def same_street(a: Sequence[str], b: Sequence[str]) -> bool:
    """Do two token lists name the same street? Joined spelling, or word by word with abbreviations.

    >>> same_street(street_tokens("Rodebachstraße 77e"), street_tokens("Rodebach Str. 77f"))
    True
    >>> same_street(street_tokens("W.-Külz-Straße"), street_tokens("Wilhelm-Külz-Straße 3"))
    True
    >>> same_street(street_tokens("Bahnhofstraße"), street_tokens("Bahnhof"))
    False
    >>> same_street(["w."], street_tokens("Westendstraße"))   # one letter is not a street
    False
    """
    if not a or not b:
        return False
    if "".join(t.rstrip(".") for t in a) == "".join(t.rstrip(".") for t in b) and not any(
            t.endswith(".") for t in (*a, *b)):
        return True
    if len(a) != len(b) or len(a) < 2:
        return False
    exact = 0
    for x, y in zip(a, b, strict=True):
        if x == y:
            exact += len(x) >= 4 and x not in _GENERIC_STREET_WORDS
            continue
        short, long_ = (x, y) if x.endswith(".") else (y, x)
        if not (short.endswith(".") and len(short) >= 2 and long_.startswith(short[:-1])):
            return False
    return exact > 0  # "W.-Külz-Straße": at least one distinctive word spelt out


def _contains_street(part_tokens: Sequence[str], street: Sequence[str]) -> bool:
    n = len(part_tokens)
    return any(same_street(part_tokens[i:j], street) for i in range(n) for j in range(i + 1, n + 1))


# ------------------------------------------------------------------------------------ the context

@lru_cache(maxsize=2)
def load_facility_words(path: Path = FACILITY_FILE) -> dict[str, tuple[str, ...]]:
    """kategorie → stop-name words that mark a facility of that kind (``geodata/lage_einrichtungen.yaml``)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): tuple(normalise_name(str(w)) for w in v) for k, v in (raw.get("einrichtungen") or {}).items()}


@dataclass(frozen=True)
class _Stop:
    name: str
    prefix: str           # normalised Ortsteil the stop name starts with ("" when none)
    parts: tuple[tuple[str, ...], ...]   # street tokens of each "/" part, Ortsteil prefix removed
    words: frozenset[str]                # normalised words of the whole stop part
    xy: tuple[float, float]


@dataclass
class PlacementContext:
    """Everything placement looks up, prepared once (all geometries in the metric CRS)."""

    gemeinden: dict[str, tuple[str, object]]             # normalised name variant → (ags, polygon)
    gemeinde_names: dict[str, str]                        # ags → name
    localities: dict[tuple[str, str], Point]              # (ags, normalised name) → GeoNames point
    stop_localities: dict[tuple[str, str], tuple[str, Point]]  # (ags, normalised name) → (central stop, point)
    stops: dict[str, list[_Stop]] = field(default_factory=dict)  # ags → stops in that Gemeinde
    facility_words: dict[str, tuple[str, ...]] = field(default_factory=dict)


_name_variants = name_variants


def _prefix_of(haltestelle: str, names: Iterable[str]) -> tuple[str, str]:
    """(normalised Ortsteil prefix, rest) of a stop part, longest known name first."""
    words = haltestelle.split()
    known = set(names)
    for n in range(min(3, len(words) - 1), 0, -1):
        head = normalise_name(" ".join(words[:n]))
        if head in known:
            return head, " ".join(words[n:])
    return "", haltestelle


def make_context(gemeinden: gpd.GeoDataFrame, localities: gpd.GeoDataFrame,
                 stops: gpd.GeoDataFrame | None = None,
                 facility_words: Mapping[str, Sequence[str]] | None = None) -> PlacementContext:
    """The lookup tables for *gemeinden* (``ags``, ``name``), GeoNames *localities* (``name``, ``ags``) and the
    built ``haltestellen`` layer *stops* (optional: without it only ``ortsteil``/``gemeinde`` are possible)."""
    if localities.crs != gemeinden.crs or (stops is not None and stops.crs != gemeinden.crs):
        raise ValueError("gemeinden, localities and stops must share one CRS")
    by_name: dict[str, tuple[str, object]] = {}
    for ags, name, geom in zip(gemeinden["ags"], gemeinden["name"], gemeinden.geometry, strict=True):
        for variant in _name_variants(str(name)):
            by_name.setdefault(variant, (str(ags), geom))
    loc: dict[tuple[str, str], Point] = {}
    for ags, name, geom in zip(localities["ags"], localities["name"], localities.geometry, strict=True):
        if not is_blank(ags):
            loc.setdefault((str(ags), normalise_name(str(name))), geom)
    context = PlacementContext(
        gemeinden=by_name, gemeinde_names={str(a): str(n) for a, n in zip(gemeinden["ags"], gemeinden["name"],
                                                                           strict=True)},
        localities=loc, stop_localities={},
        facility_words={k: tuple(v) for k, v in (facility_words if facility_words is not None
                                                 else load_facility_words()).items()})
    if stops is None or stops.empty:
        return context
    inside = stops[stops["ags"].notna() & (stops["ags"].astype(str) != "")]
    derived = stop_ortsteile(inside)
    for ags, name, centre, geom in zip(derived["ags"], derived["name"], derived["zentrum"], derived.geometry,
                                       strict=True):
        context.stop_localities[(str(ags), normalise_name(str(name)))] = (str(centre), geom)
    names_by_ags: dict[str, set[str]] = {}
    for ags, name in [*context.stop_localities, *loc]:
        names_by_ags.setdefault(ags, set()).add(name)
    for name, halt, ags, geom in zip(inside["name"], inside["haltestelle"], inside["ags"], inside.geometry,
                                     strict=True):
        prefix, rest = _prefix_of(str(halt), names_by_ags.get(str(ags), set()))
        parts = tuple(tuple(street_tokens(p)) for p in stop_parts(rest))
        words = frozenset(normalise_name(w) for w in re.split(r"[\s/]+", str(halt)) if w)
        context.stops.setdefault(str(ags), []).append(
            _Stop(name=str(name), prefix=prefix, parts=parts, words=words, xy=(geom.x, geom.y)))
    return context


# -------------------------------------------------------------------------------------- candidates

@dataclass(frozen=True)
class Candidate:
    """One level's position for one offer."""

    level: str
    point: Point
    hint: str


def _medoid_ok(points: list[tuple[float, float]], spread: float) -> tuple[float, float] | None:
    xy = np.asarray(points, dtype=float)
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    centre = int(d.sum(axis=1).argmin())
    if d[centre].max() > spread:
        return None
    return float(xy[centre, 0]), float(xy[centre, 1])


def _local(context: PlacementContext, ags: str, ortsteil: str, matches: list[_Stop]) -> list[_Stop]:
    """The matching stops that lie in the offer's locality (Ortsteil, else the main locality)."""
    main = set(_name_variants(context.gemeinde_names.get(ags, "")))
    if ortsteil:
        own = [s for s in matches if s.prefix == ortsteil]
        if own:
            return own
        point = _ortsteil_point(context, ags, ortsteil)
        if point is None:  # an Ortsteil no gazetteer knows (a town quarter): the town's own stops
            return [s for s in matches if s.prefix == "" or s.prefix in main]
        return [s for s in matches if s.prefix in ("", *main)
                and np.hypot(s.xy[0] - point[0].x, s.xy[1] - point[0].y) <= ORTSTEIL_NEAR_M]
    return [s for s in matches if s.prefix == "" or s.prefix in main]


def _ortsteil_point(context: PlacementContext, ags: str, name: str) -> tuple[Point, str] | None:
    point = context.localities.get((ags, name))
    if point is not None:
        return point, "GeoNames"
    found = context.stop_localities.get((ags, name))
    if found is not None:
        return found[1], f"Haltestellennamen, Haltestelle „{found[0]}“"
    return None


def facility_counts(records: Iterable[Mapping[str, object]], context: PlacementContext
                    ) -> dict[tuple[str, str, str], int]:
    """(ags, normalised Ortsteil or "", facility word) → number of offers whose category uses that word; and
    (ags, :data:`NAME_KEY`, word of an offer's name) → number of different street addresses among the offers
    of that Gemeinde whose name has that word (a stop named "Landratsamt" says nothing about which of two
    Landratsamt addresses an offer has)."""
    counts: dict[tuple[str, str, str], int] = {}
    addresses: dict[tuple[str, str, str], set[str]] = {}
    for record in records:
        match = None if is_blank(record.get("ort")) else context.gemeinden.get(normalise_name(str(record.get("ort"))))
        if match is None:
            continue
        raw = "" if is_blank(record.get("ortsteil")) else str(record.get("ortsteil"))
        ortsteil = normalise_name(place_part(raw)) if raw else ""
        for word in set(context.facility_words.get(str(record.get("kategorie") or ""), ())):
            key = (match[0], ortsteil, word)
            counts[key] = counts.get(key, 0) + 1
        street = " ".join(street_tokens(record.get("strasse")))
        number = re.search(r"\d+\s*[a-z]?", "" if is_blank(record.get("strasse")) else str(record.get("strasse")).lower())
        for word in name_words(record.get("name")):
            found = addresses.setdefault((match[0], NAME_KEY, word), set())
            if street:
                found.add(street + (" " + number.group(0).replace(" ", "") if number else ""))
    for key, found in addresses.items():
        counts[key] = len(found)
    return counts


def candidates_for(record: Mapping[str, object], ags: str, polygon: object, context: PlacementContext,
                   facility_count: Mapping[tuple[str, str, str], int] | None = None) -> dict[str, Candidate]:
    """Every derived level's position for one offer (``strasse`` … ``gemeinde``; not the kept levels).

    *facility_count* (from :func:`facility_counts` over all offers placed together) limits the ``einrichtung``
    level to offers that are the only one of their kind in their locality; None treats the offer as alone."""
    facility_count = facility_count or {}
    out: dict[str, Candidate] = {}
    ort = str(record.get("ort") or "")
    ortsteil_raw = "" if is_blank(record.get("ortsteil")) else str(record.get("ortsteil"))
    ortsteil = normalise_name(place_part(ortsteil_raw)) if ortsteil_raw else ""
    stops = context.stops.get(ags, [])
    street = street_tokens(record.get("strasse"))
    if stops and street and len("".join(street)) >= 4:
        matches = [s for s in stops if any(_contains_street(p, street) for p in s.parts)]
        local = _local(context, ags, ortsteil, matches)
        if local:
            xy = _medoid_ok([s.xy for s in local], STREET_SPREAD_M)
            if xy is not None:
                names = sorted({s.name for s in local})
                out[PRECISION_STREET] = Candidate(PRECISION_STREET, Point(xy), "Haltestelle " + ", ".join(
                    f"„{n}“" for n in names[:3]) + f" an der Straße {' '.join(street).title()}")
    words = context.facility_words.get(str(record.get("kategorie") or ""), ())
    if stops and words:
        matches = [s for s in stops if s.words & set(words)]
        local = _local(context, ags, ortsteil, matches)
        if ortsteil and ortsteil not in _name_variants(ort):
            local = [s for s in local if s.prefix == ortsteil]  # a village's own stop, not the town's
        # only when this offer is the one facility of that kind in its locality: a "Schule" stop in a
        # town with two schools of the register says nothing about which one
        shared = {w for s in local for w in s.words & set(words)}
        if any(facility_count.get((ags, ortsteil, w), 0) > 1 for w in shared):
            local = []
        if local:
            xy = _medoid_ok([s.xy for s in local], FACILITY_SPREAD_M)
            if xy is not None:
                names = sorted({s.name for s in local})
                out[PRECISION_FACILITY] = Candidate(PRECISION_FACILITY, Point(xy), "Haltestelle " + ", ".join(
                    f"„{n}“" for n in names[:3]) + " (nach der Einrichtung benannt)")
    if stops and PRECISION_FACILITY not in out:
        named = _named_stop(record, ags, ortsteil, context, stops, facility_count)
        if named is not None:
            out[PRECISION_FACILITY] = named
    locality = _locality_candidate(context, ags, ort, ortsteil, ortsteil_raw)
    if locality is not None:
        out[PRECISION_ORTSTEIL] = locality
    out[PRECISION_GEMEINDE] = Candidate(
        PRECISION_GEMEINDE, polygon.representative_point(),  # type: ignore[attr-defined]
        f"Mitte der Gemeinde {ort}" + (f"; Ortsteil '{ortsteil_raw}' nicht im Ortsverzeichnis" if ortsteil_raw
                                       and PRECISION_ORTSTEIL not in out else ""))
    return out


def _locality_candidate(context: PlacementContext, ags: str, ort: str, ortsteil: str, ortsteil_raw: str
                        ) -> Candidate | None:
    """``ortsteil``: the named Ortsteil's point; without an Ortsteil, or with one no gazetteer knows (a town
    quarter such as "Jerusalem" in Meiningen), the Gemeinde's main locality – as for an offer without an
    Ortsteil, so never worse than that offer (the hint says the Ortsteil was not found)."""
    if ortsteil:
        found = _ortsteil_point(context, ags, ortsteil)
        if found is not None:
            return Candidate(PRECISION_ORTSTEIL, found[0], f"Ortslage {ortsteil_raw} ({found[1]})")
    unknown = f"; Ortsteil '{ortsteil_raw}' nicht im Ortsverzeichnis" if ortsteil else ""
    for variant in _name_variants(ort):
        found = _ortsteil_point(context, ags, variant)
        if found is not None:
            return Candidate(PRECISION_ORTSTEIL, found[0], f"Ortslage {ort} (Hauptort, {found[1]}){unknown}")
    return None


_NAME_SPLIT = re.compile(r"[\s\-–/,;:()„“\"'.!?+&]+")


def name_words(name: object) -> set[str]:
    """Distinctive words of an offer's name (folded like :func:`street_tokens`, at least
    :data:`NAME_WORD_MIN` letters): "Regelschule „Am Kiliansberg“ Meiningen" → {"regelschule", "kiliansberg",
    "meiningen"}; place and facility words are removed by :func:`_named_stop`."""
    raw = "" if is_blank(name) else str(name).lower()
    return {w for w in _NAME_SPLIT.split(raw) if len(w) >= NAME_WORD_MIN and not any(c.isdigit() for c in w)}


def _named_stop(record: Mapping[str, object], ags: str, ortsteil: str, context: PlacementContext,
                stops: list[_Stop], facility_count: Mapping[tuple[str, str, str], int]) -> Candidate | None:
    """``einrichtung`` by the offer's own name: a stop of its locality whose name (a whole "/"-part after
    the Ortsteil) is one word of the offer's name – "Kiliansberg, Meiningen" for the Regelschule „Am
    Kiliansberg“, "Lutherschule, Zella-Mehlis" for the Regelschule Lutherschule. Words that name a place
    (Gemeinde, Ortsteil, locality) or a kind of facility (``geodata/lage_einrichtungen.yaml``: "Schule",
    "Kita" …) do not count – they say nothing about which building; nor does a word that offers at
    different street addresses of the Gemeinde share (*facility_count*, :func:`facility_counts`)."""
    words = name_words(record.get("name"))
    generic = {normalise_name(w) for ws in context.facility_words.values() for w in ws}
    places = {name for (a, name) in (*context.localities, *context.stop_localities) if a == ags}
    places |= set(_name_variants(context.gemeinde_names.get(ags, "")))
    words = {w for w in words if normalise_name(w) not in generic | places}
    if not words:
        return None
    matches = [s for s in stops if any(len(p) == 1 and p[0] in words for p in s.parts)]
    if any(facility_count.get((ags, NAME_KEY, p[0]), 0) > 1 for s in matches for p in s.parts if len(p) == 1):
        return None
    local = _local(context, ags, ortsteil, matches)
    if not local:
        return None
    xy = _medoid_ok([s.xy for s in local], FACILITY_SPREAD_M)
    if xy is None:
        return None
    names = sorted({s.name for s in local})
    return Candidate(PRECISION_FACILITY, Point(xy), "Haltestelle " + ", ".join(f"„{n}“" for n in names[:3])
                     + " (nach dem Namen des Angebots benannt)")


def _kept_candidate(record: Mapping[str, object]) -> Candidate | None:
    """The register's own position (``punkt``/``adresse`` with lon/lat in WGS84), if any."""
    level = str(record.get("lage_genauigkeit") or "")
    lon, lat = record.get("lon"), record.get("lat")
    if level not in KEPT_LEVELS or is_blank(lon) or is_blank(lat):
        return None
    x, y = _TO_METRIC.transform(float(lon), float(lat))  # type: ignore[arg-type]
    hint = str(record.get("lage_hinweis") or "") or ("Koordinaten im Register" if level == PRECISION_POINT
                                                     else "Adresse geokodiert")
    return Candidate(level, Point(x, y), hint)


# ------------------------------------------------------------------------------------------ placing

@dataclass(frozen=True)
class PlacementResult:
    """Placed offers (GeoDataFrame, metric CRS), the rows that could not be placed, notes, and every level's
    position per offer id (for measuring typical errors)."""

    placed: gpd.GeoDataFrame
    unplaced: pd.DataFrame
    notes: list[dict[str, str]] = field(default_factory=list)
    levels: dict[str, dict[str, Point]] = field(default_factory=dict)


def place_offers(
    offers: pd.DataFrame,
    gemeinden: gpd.GeoDataFrame,
    localities: gpd.GeoDataFrame | None = None,
    confidential: Sequence[str] = (),
    stops: gpd.GeoDataFrame | None = None,
    context: PlacementContext | None = None,
) -> PlacementResult:
    """Place *offers* (``id``, ``name``, ``ort``; optional ``ortsteil``, ``strasse``, ``kategorie`` and the
    register's ``lon``/``lat``/``lage_genauigkeit``) in the CRS of *gemeinden* by the cascade of the module
    docstring. *localities* are GeoNames points (``name``, ``ags``), *stops* the built ``haltestellen`` layer
    (optional); or *context* prepared by :func:`make_context` instead of both."""
    if context is None and localities is None:
        raise ValueError("place_offers needs localities or a prepared context")
    ctx = context or make_context(gemeinden, localities, stops)  # type: ignore[arg-type]
    rows: list[dict[str, object]] = []
    geoms: list[Point] = []
    unplaced: list[dict[str, object]] = []
    notes: list[dict[str, str]] = []
    levels: dict[str, dict[str, Point]] = {}
    records = offers.to_dict("records")
    counts = facility_counts(records, ctx)
    for record in records:
        if is_confidential(record.get("name"), confidential):
            unplaced.append({**record, "grund": CONFIDENTIAL_REASON})
            continue
        kept = _kept_candidate(record)
        ort = record.get("ort")
        match = None if is_blank(ort) else ctx.gemeinden.get(normalise_name(str(ort)))
        if kept is None and match is None:
            grund = ("Keine Gemeinde angegeben (Spalte 'ort' leer)." if is_blank(ort)
                     else f"Gemeinde '{ort}' liegt nicht im Landkreis.")
            unplaced.append({**record, "grund": grund})
            continue
        found = candidates_for(record, match[0], match[1], ctx, counts) if match is not None else {}
        if kept is not None:
            found[kept.level] = kept
        best = next(found[level] for level in LEVELS if level in found)
        levels[str(record.get("id"))] = {level: c.point for level, c in found.items()}
        if "Ortsteil '" in best.hint and "nicht im Ortsverzeichnis" in best.hint:
            notes.append({"id": str(record.get("id")), "hinweis": best.hint})
        out = {k: v for k, v in record.items() if k not in ("lon", "lat")}
        ags = match[0] if match is not None else str(record.get("ags") or "")
        rows.append({**out, "ags": ags, "lage_genauigkeit": best.level, "lage_hinweis": best.hint})
        geoms.append(best.point)
    placed = gpd.GeoDataFrame(rows, geometry=geoms, crs=gemeinden.crs)
    return PlacementResult(placed=placed, unplaced=pd.DataFrame(unplaced), notes=notes, levels=levels)


# ------------------------------------------------------------------------------------ typical error

@dataclass(frozen=True)
class LevelError:
    """The measured typical error of one level."""

    level: str
    median_m: float | None
    n: int
    gegen: dict[str, int]     # better level compared with → number of cases

    @property
    def reliable(self) -> bool:
        """Enough comparison cases (:data:`MIN_CASES`) to state the median as the level's typical error."""
        return self.median_m is not None and self.n >= MIN_CASES

    def as_manifest(self) -> dict[str, object]:
        return {"median_m": None if self.median_m is None else round(self.median_m),
                "n": self.n, "verglichen_mit": self.gegen, "belastbar": self.reliable}


def typical_errors(levels: Iterable[Mapping[str, Point]]) -> dict[str, LevelError]:
    """Median distance, per level, between a case's position at that level and at its best better level.

    *levels* holds, per case (offer or reference station), the point of every level it has. A level with
    no case that also has a better level is "not measured" (``median_m`` None) – no number is invented.
    """
    distances: dict[str, list[float]] = {level: [] for level in LEVELS}
    against: dict[str, dict[str, int]] = {level: {} for level in LEVELS}
    for case in levels:
        present = [level for level in LEVELS if level in case]
        for i, level in enumerate(present):
            if i == 0:
                continue
            best = present[0]
            distances[level].append(float(case[level].distance(case[best])))
            against[level][best] = against[level].get(best, 0) + 1
    return {level: LevelError(level, float(np.median(d)) if d else None, len(d), against[level])
            for level, d in distances.items()}


def reference_cases(stations: gpd.GeoDataFrame, gemeinden: gpd.GeoDataFrame,
                    context: PlacementContext) -> list[dict[str, Point]]:
    """Railway stations of the county with a street address as reference cases: the exact station point
    (as ``punkt``) and the positions the cascade derives from their street and Gemeinde."""
    polygons = dict(zip(gemeinden["ags"].astype(str), gemeinden.geometry, strict=True))
    cases: list[dict[str, Point]] = []
    for name, street, ags, geom in zip(stations["name"], stations["strasse"], stations["ags"], stations.geometry,
                                       strict=True):
        ags = str(ags or "")
        if ags not in polygons or is_blank(street):
            continue
        # the station's place as its Ortsteil when the gazetteers know it ("Benshausen" in Zella-Mehlis)
        place = normalise_name(place_part(str(name)))
        known = (ags, place) in context.localities or (ags, place) in context.stop_localities
        record = {"strasse": street, "ort": context.gemeinde_names.get(ags, ""),
                  "ortsteil": place_part(str(name)) if known else "", "kategorie": ""}
        found = candidates_for(record, ags, polygons[ags], context)
        cases.append({PRECISION_POINT: geom, **{level: c.point for level, c in found.items()}})
    return cases


def distinct_points(placed: gpd.GeoDataFrame, decimals: int = 0) -> int:
    """How many distinct positions the placed offers sit on (metric coordinates rounded to *decimals*)."""
    if placed.empty:
        return 0
    xy = np.round(np.c_[placed.geometry.x.to_numpy(), placed.geometry.y.to_numpy()], decimals)
    return int(len(np.unique(xy, axis=0)))


def share_street_or_better(placed: pd.DataFrame) -> float:
    """Share (0–1) of the placed offers at ``strasse`` precision or better."""
    if len(placed) == 0:
        return 0.0
    return float(placed["lage_genauigkeit"].isin(sorted(STREET_OR_BETTER)).mean())


def placement_report(placed: gpd.GeoDataFrame, errors: Mapping[str, LevelError]) -> dict[str, object]:
    """The manifest's placement figures: distinct points, share at street or better, typical errors."""
    return {
        "verschiedene_punkte": distinct_points(placed),
        "anteil_strasse_oder_genauer": round(share_street_or_better(placed), 3),
        "typischer_fehler_m": {level: e.as_manifest() for level, e in errors.items()},
        "methode_fehler": (
            "Median des Abstands zwischen der Lage eines Angebots auf dieser Stufe und seiner Lage auf der "
            "besten genaueren Stufe, wo es beide gibt; dazu die Bahnhöfe des Kreises mit Straßenadresse "
            "(genauer Punkt bekannt, zählen als gesetzter Punkt), gleich verortet. Der Fehler der genaueren Stufe "
            f"ist darin nicht abgezogen. Unter {MIN_CASES} Vergleichsfällen wird kein typischer Fehler angezeigt."),
    }


def with_typical_error(placed: gpd.GeoDataFrame, errors: Mapping[str, LevelError]) -> gpd.GeoDataFrame:
    """*placed* with a column ``lage_fehler_m``: the measured typical error of each offer's level in whole
    metres; 0 = not measured or too few cases (and for ``punkt``, which is the reference itself)."""
    out = placed.copy()
    medians = {level: e.median_m if e.reliable else None for level, e in errors.items()}
    out["lage_fehler_m"] = [0 if medians.get(str(lv)) is None else int(round(float(medians[str(lv)])))  # type: ignore[arg-type]
                            for lv in out["lage_genauigkeit"]] if len(out) else []
    return out


def to_wgs84(point: Point) -> tuple[float, float]:
    """(lon, lat) of a metric point."""
    lon, lat = _TO_WGS84.transform(point.x, point.y)
    return float(lon), float(lat)


def finish(result: PlacementResult, gemeinden: gpd.GeoDataFrame, stations: gpd.GeoDataFrame | None,
           context: PlacementContext) -> tuple[gpd.GeoDataFrame, dict[str, object]]:
    """The placed offers with ``lage_fehler_m`` and the manifest report, errors measured on the offers and
    on the county's railway stations with a street address (*stations*: the ``bahnhoefe`` layer)."""
    cases: list[Mapping[str, Point]] = list(result.levels.values())
    if stations is not None and len(stations):
        inside = stations[stations["ags"].astype(str).isin(set(gemeinden["ags"].astype(str)))]
        cases.extend(reference_cases(inside, gemeinden, context))
    errors = typical_errors(cases)
    report = placement_report(result.placed, errors)
    report["faelle"] = {"angebote": len(result.levels), "bahnhoefe": len(cases) - len(result.levels)}
    return with_typical_error(result.placed, errors), report


def precision_rank(level: object) -> int:
    """Position of *level* in the cascade (0 = ``punkt``); unknown levels last."""
    key = "" if is_blank(level) else str(level)
    return LEVELS.index(key) if key in LEVELS else len(LEVELS)


_LEVEL_TEXT = {
    PRECISION_POINT: "Koordinaten im Register (gesetzt, importiert oder OSM-Treffer übernommen)",
    PRECISION_ADDRESS: "Adresse über einen Geocoder (atlas geocode)",
    PRECISION_STREET: "Haltestelle, die nach der Straße des Angebots heißt (gleiche Gemeinde, gleicher Ortsteil)",
    PRECISION_FACILITY: "Haltestelle, die nach einer Einrichtung dieser Art im Ort heißt (z. B. „Schule“)",
    PRECISION_ORTSTEIL: "Ortslage des Ortsteils oder Hauptorts (GeoNames, sonst aus Haltestellennamen)",
    PRECISION_GEMEINDE: "Mitte der Gemeinde (innerer Punkt der Gemeindefläche)",
}


def placement_view(manifest_angebote: Mapping[str, object]) -> tuple[str, pd.DataFrame]:
    """For Daten & Quellen: a sentence on the placement and a table per level (count, typical error, basis)."""
    placed = dict(manifest_angebote.get("verortet") or {})  # type: ignore[call-overload]
    report = dict(manifest_angebote.get("lage") or {})  # type: ignore[call-overload]
    errors = dict(report.get("typischer_fehler_m") or {})
    rows = []
    for level in LEVELS:
        err = errors.get(level) or {}
        median = err.get("median_m")
        against = ", ".join(f"{n} × {_LABELS['de'][k].removeprefix('Lage: ')}"
                            for k, n in (err.get("verglichen_mit") or {}).items())
        rows.append({
            "Stufe": _LABELS["de"][level].removeprefix("Lage: "), "Woher die Lage kommt": _LEVEL_TEXT[level],
            "Angebote": int(placed.get(level, 0)),
            "typischer Fehler": ("Bezug (genau)" if level == PRECISION_POINT else
                                 "nicht gemessen" if not median else
                                 f"± {format_metres(float(median))}" + (
                                     "" if err.get("belastbar") else " (zu wenige Fälle, nicht belastbar)")),
            "gemessen an": (f"{err.get('n', 0)} {'Fall' if err.get('n') == 1 else 'Fällen'} ({against})"
                            if err.get("n") else "–"),
        })
    sentence = (
        f"{manifest_angebote.get('gesamt', 0)} Angebote im Register, {sum(placed.values())} auf der Karte an "
        f"**{report.get('verschiedene_punkte', '?')} verschiedenen Punkten**; "
        f"{round(100 * float(report.get('anteil_strasse_oder_genauer', 0)))} % liegen an ihrer Straße oder genauer. "
        f"Typischer Fehler je Stufe: {report.get('methode_fehler', '')}")
    return sentence, pd.DataFrame(rows)
