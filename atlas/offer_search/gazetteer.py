"""Where am I: finding the searched place from a typed name, postcode, map tap or the device location.

Sources of names (all from the built GeoPackage; no online geocoder):

* ``orte`` – GeoNames postal-code localities (name, postcode, Gemeinde key), the Ortslagen;
* ``gemeinden`` and ``nachbar_gemeinden`` – Gemeinde names; a Gemeinde whose main locality has the same
  name is an *alias* of that locality, otherwise it is its own entry at the polygon's representative
  point ("Gemeindemitte");
* optional **address sources** (street + house number), see below.

Typo tolerance: names are folded (:func:`atlas._helpers.normalise_name`: case, umlauts, hyphens),
so "Zella Mehlis" equals "Zella-Mehlis"; remaining typos are scored with **rapidfuzz** (well-kept,
C++-backed Levenshtein/Indel ratios; far faster and more robust than ``difflib``). Suggestions for an
unknown name need a close score (:data:`SCORE_SUGGEST`, or :data:`SCORE_SUGGEST_SAME_START` with the same
first letter), so a place far away ("Berlin") is not turned into a village that merely looks alike
("Belrieth"). A 5-digit number is a postcode; a postcode with several localities ("98617") is answered
at once with its main locality (the main place of the most populous Gemeinde) and the others are kept
as :attr:`Lookup.alternativen` for the user to switch to.

Pluggable address sources
-------------------------
A street address cannot be found from the data above. An address source is any object with a
``name`` (shown as source), an ``attribution`` and ``lookup(query, limit) -> list[Place]`` (the
:class:`AddressSource` protocol). Pass sources to :class:`Gazetteer`; they are asked first when the
query looks like an address (a street word followed by a house number, e.g. "Schlossplatz 1,
Meiningen"). :class:`CsvAddressSource` is a ready implementation for a CSV with the columns
``strasse, hausnummer, plz, ort, lon, lat`` (WGS84) – e.g. an export of the official house coordinates
(Hauskoordinaten, HK-DE) or of OSM ``addr:*`` nodes; set ``ATLAS_ADRESSEN_CSV`` to its path and
:func:`address_sources_from_env` adds it. Without a source, an address query says so and falls back
to the place named after the comma.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from rapidfuzz import fuzz, process
from scipy.spatial import cKDTree

from atlas import schema, settings
from atlas._helpers import is_blank, name_variants, normalise_name
from atlas.errors import AtlasError
from atlas.offer_search._helpers import clean_query

#: Kinds of places.
ART_ORT = "ort"
ART_GEMEINDE = "gemeinde"
ART_PUNKT = "punkt"
ART_ADRESSE = "adresse"

#: Lookup outcomes.
GEFUNDEN = "gefunden"          # exactly one place
AUSWAHL = "auswahl"            # several places fit: let the user choose
UNBEKANNT = "unbekannt"        # nothing fits well; ``places`` holds suggestions (may be empty)
LEER = "leer"                  # empty input

#: Score (0–100, rapidfuzz) from which a name counts as meant despite typos, and below which it is
#: not even suggested.
SCORE_MATCH = 85.0
SCORE_SUGGEST = 80.0
SCORE_SUGGEST_SAME_START = 70.0
#: Candidates within this many points of the best are offered as choices.
SCORE_TIE = 4.0
ENV_ADDRESS_CSV = settings.ENV_ADDRESS_CSV

_TO_METRIC = Transformer.from_crs(settings.MAP_CRS, settings.METRIC_CRS, always_xy=True)
_TO_MAP = Transformer.from_crs(settings.METRIC_CRS, settings.MAP_CRS, always_xy=True)
_PLZ = re.compile(r"(?<!\d)(\d{5})(?!\d)")
_DIGITS = re.compile(r"\d")
_HOUSE_NUMBER = re.compile(r"[a-z]{3,}\s+\d{1,4}\s*[a-z]?\b")
_STREET = re.compile(
    r"(strasse|str|weg|platz|gasse|allee|ring|damm|ufer|markt|chaussee|steig|pfad|berg|hof|graben|tor|leite)"
    r"\s+\d{1,4}\s*[a-z]?\b")


@dataclass(frozen=True)
class Place:
    """A searched place; coordinates in EPSG:25832."""

    key: str
    name: str
    art: str
    x: float
    y: float
    plz: str = ""
    gemeinde: str = ""
    kreis: str = ""
    in_kreis: bool = True
    quelle: str = ""  # where the place comes from; for points: the nearest locality's name

    @property
    def label(self) -> str:
        """Unambiguous display label, e.g. ``"Herpf · 98617 · Gemeinde Meiningen"``."""
        parts = [self.name]
        if self.plz:
            parts.append(self.plz)
        if self.art == ART_GEMEINDE:
            parts[0] = f"Gemeinde {self.name}"
        elif self.gemeinde and normalise_name(self.gemeinde) != normalise_name(self.name):
            parts.append(f"Gemeinde {self.gemeinde}")
        if not self.in_kreis and self.kreis:
            parts.append(self.kreis)
        return " · ".join(parts)

    @property
    def lonlat(self) -> tuple[float, float]:
        lon, lat = _TO_MAP.transform(self.x, self.y)
        return float(lon), float(lat)


@dataclass(frozen=True)
class Lookup:
    """Result of a text lookup: status plus places (the place, the choices or the suggestions)."""

    status: str
    places: tuple[Place, ...] = ()
    query: str = ""
    gekuerzt: bool = False            # input was longer than allowed and was cut
    korrigiert: bool = False          # the match is spelt differently from the input
    adresse_ohne_quelle: bool = False  # input looked like a street address, but no address source exists
    hinweise: tuple[str, ...] = field(default_factory=tuple)
    alternativen: tuple[Place, ...] = ()  # other places the input may mean (e.g. same postcode)

    @property
    def place(self) -> Place | None:
        return self.places[0] if self.status == GEFUNDEN else None


@runtime_checkable
class AddressSource(Protocol):
    """A pluggable source of street addresses (see module docstring)."""

    name: str
    attribution: str

    def lookup(self, query: str, limit: int = 8) -> list[Place]:
        """Places for an address query, best first; empty when nothing fits."""
        ...


class CsvAddressSource:
    """Addresses from a CSV (``strasse, hausnummer, plz, ort, lon, lat``; WGS84), matched with rapidfuzz."""

    def __init__(self, path: str | os.PathLike[str], name: str = "Adressen", attribution: str = "",
                 kreis_polygon: object | None = None) -> None:
        self.path = Path(path)
        self.name = name
        self.attribution = attribution or f"Adressen: {self.path.name}"
        required = ("strasse", "hausnummer", "plz", "ort", "lon", "lat")
        try:
            with self.path.open(encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                missing = [c for c in required if c not in (reader.fieldnames or [])]
                if missing:
                    raise AtlasError(f"Adressdatei {self.path.name}: es fehlen die Spalten {', '.join(missing)}.")
                rows = list(reader)
        except OSError as exc:
            raise AtlasError(f"Adressdatei {self.path} kann nicht gelesen werden: {exc}") from exc
        self._rows: list[dict[str, str]] = []
        xs, ys = [], []
        for number, row in enumerate(rows, start=2):
            try:
                lon, lat = float(row["lon"]), float(row["lat"])
            except (TypeError, ValueError) as exc:
                raise AtlasError(f"Adressdatei {self.path.name}, Zeile {number}: lon/lat sind keine Zahlen.") from exc
            x, y = _TO_METRIC.transform(lon, lat)
            xs.append(x)
            ys.append(y)
            self._rows.append(row)
        self._keys = [normalise_name(f"{r['strasse']} {r['hausnummer']}") for r in self._rows]
        self._xy = np.column_stack([xs, ys]) if xs else np.empty((0, 2))
        self._kreis = kreis_polygon

    def lookup(self, query: str, limit: int = 8) -> list[Place]:
        text, _ = clean_query(query)
        first, _, rest = text.partition(",")
        street = normalise_name(first)
        rest_norm = normalise_name(rest)
        if not street or not self._keys:
            return []
        exact = [(k, 100.0, i) for i, k in enumerate(self._keys) if k == street]
        hits = exact or process.extract(street, self._keys, scorer=fuzz.ratio, limit=max(limit * 4, 20),
                                        score_cutoff=SCORE_MATCH)
        number = re.search(r"(\d{1,4})\s*([a-z]?)\s*$", street)
        if number and not exact:
            wanted = normalise_name(number.group(0))
            same = [h for h in hits if normalise_name(self._rows[h[2]]["hausnummer"]) == wanted]
            hits = same or hits
        places = []
        for _, _score, i in hits:
            row = self._rows[i]
            if rest_norm and rest_norm not in (normalise_name(row["ort"]), row["plz"]) and \
                    fuzz.ratio(rest_norm, normalise_name(row["ort"])) < SCORE_MATCH:
                continue
            x, y = self._xy[i]
            inside = bool(shapely.contains_xy(self._kreis, x, y)) if self._kreis is not None else True
            places.append(Place(key=f"adresse:{i}", name=f"{row['strasse']} {row['hausnummer']}", art=ART_ADRESSE,
                                x=float(x), y=float(y), plz=row["plz"], gemeinde=row["ort"], in_kreis=inside,
                                quelle=self.name))
            if len(places) >= limit:
                break
        return places


def address_sources_from_env(kreis_polygon: object | None = None) -> list[AddressSource]:
    """The address sources configured by environment (``ATLAS_ADRESSEN_CSV``); empty when none."""
    path = settings.address_csv_env()
    if not path:
        return []
    return [CsvAddressSource(path, kreis_polygon=kreis_polygon)]


_variants = name_variants


class Gazetteer:
    """All searchable places of one build; pure, built once per build (the page caches it)."""

    def __init__(self, orte: gpd.GeoDataFrame, gemeinden: gpd.GeoDataFrame,
                 nachbar_gemeinden: gpd.GeoDataFrame | None = None, kreis: gpd.GeoDataFrame | None = None,
                 address_sources: Sequence[AddressSource] = ()) -> None:
        crs = settings.METRIC_CRS
        orte = orte.to_crs(crs)
        gemeinden = gemeinden.to_crs(crs)
        self.kreis_polygon = shapely.union_all(kreis.to_crs(crs).geometry.to_numpy()) if kreis is not None \
            else shapely.union_all(gemeinden.geometry.to_numpy())
        self.address_sources = list(address_sources)
        kreis_ags = {str(a) for a in gemeinden["ags"]}
        gem_names: dict[str, tuple[str, str]] = {str(a): (str(n), "") for a, n in zip(gemeinden["ags"], gemeinden["name"],
                                                                                        strict=True)}
        frames = [gemeinden.assign(kreis_name="")]
        if nachbar_gemeinden is not None and len(nachbar_gemeinden):
            nb = nachbar_gemeinden.to_crs(crs)
            nb = nb[~nb["ags"].astype(str).isin(kreis_ags)]
            for a, n, k in zip(nb["ags"], nb["name"], nb.get("kreis_name", pd.Series([""] * len(nb))), strict=True):
                gem_names.setdefault(str(a), (str(n), "" if is_blank(k) else str(k)))
            frames.append(nb)
        all_gem = pd.concat([f[["ags", "name", "geometry"] + (["kreis_name"] if "kreis_name" in f else [])]
                             for f in frames], ignore_index=True)

        places: list[Place] = []
        aliases: list[list[str]] = []
        population = {str(a): float(e) for a, e in zip(gemeinden["ags"], gemeinden.get("einwohner", pd.Series(
            [0.0] * len(gemeinden))), strict=True) if not is_blank(e)}
        weight: dict[int, float] = {}
        # Localities, merged per (Gemeinde, name): GeoNames repeats a place once per postcode.
        merged: dict[tuple[str, str], int] = {}
        for rec, geom in zip(orte.drop(columns="geometry").to_dict("records"), orte.geometry, strict=True):
            ags = "" if is_blank(rec.get("ags")) else str(rec["ags"])
            norm = normalise_name(str(rec["name"]))
            key = (ags, norm)
            plz = "" if is_blank(rec.get("plz")) else str(rec["plz"])
            if key in merged:
                i = merged[key]
                old = places[i]
                if plz and plz not in old.plz.split(", "):
                    places[i] = Place(**{**old.__dict__, "plz": f"{old.plz}, {plz}".strip(", ")})
                continue
            gname, kname = gem_names.get(ags, ("", ""))
            in_kreis = bool(rec.get("in_kreis")) if "in_kreis" in rec else ags in kreis_ags
            kreis_label = kname or ("" if is_blank(rec.get("kreis_name")) else str(rec.get("kreis_name")))
            merged[key] = len(places)
            places.append(Place(key=f"ort:{ags}:{norm.replace(' ', '-')}", name=str(rec["name"]), art=ART_ORT,
                                x=float(geom.x), y=float(geom.y), plz=plz, gemeinde=gname, kreis=kreis_label,
                                in_kreis=in_kreis,
                                quelle="GeoNames" if is_blank(rec.get("quelle")) else str(rec["quelle"])))
            aliases.append(_variants(str(rec["name"])))
        # Gemeinden: alias of their main locality, else their own entry at the representative point.
        for rec, geom in zip(all_gem.drop(columns="geometry").to_dict("records"), all_gem.geometry, strict=True):
            ags = str(rec["ags"])
            variants = _variants(str(rec["name"]))
            main = next((merged[(ags, v)] for v in variants if (ags, v) in merged), None)
            if main is not None:
                aliases[main].extend(v for v in variants if v not in aliases[main])
                weight[main] = max(weight.get(main, 0.0), population.get(ags, 0.0) + 1.0)
                continue
            point = geom.representative_point()
            kname = "" if is_blank(rec.get("kreis_name")) else str(rec.get("kreis_name"))
            places.append(Place(key=f"gemeinde:{ags}", name=str(rec["name"]), art=ART_GEMEINDE, x=float(point.x),
                                y=float(point.y), gemeinde=str(rec["name"]), kreis=kname,
                                in_kreis=ags in kreis_ags, quelle="Gemeindegrenzen (BKG)"))
            aliases.append(variants)

        self.places: tuple[Place, ...] = tuple(places)
        self._weight = weight
        self._by_key = {p.key: p for p in places}
        self._names: list[str] = []
        self._owner: list[int] = []
        for i, variants in enumerate(aliases):
            for v in variants:
                self._names.append(v)
                self._owner.append(i)
        self._by_plz: dict[str, list[int]] = {}
        for i, p in enumerate(places):
            for plz in p.plz.split(", "):
                if plz:
                    self._by_plz.setdefault(plz, []).append(i)
        ort_idx = [i for i, p in enumerate(places) if p.art == ART_ORT]
        self._ort_idx = np.asarray(ort_idx, dtype=np.int64)
        self._name_set = frozenset(self._names)
        self._tree = cKDTree(np.array([[places[i].x, places[i].y] for i in ort_idx]))

    # ------------------------------------------------------------------------------------ lookups

    def by_key(self, key: str) -> Place | None:
        """The place with this key (as carried in a shared URL), or None."""
        return self._by_key.get(str(key))

    def weight(self, i: int) -> float:
        """Importance of ``places[i]`` for labels and postcodes: 1 + the population of the Gemeinde whose
        main locality it is (0 for other places)."""
        return self._weight.get(i, 0.0)

    def has_name(self, text: str) -> bool:
        """True when *text* is exactly (after folding) the name of a known place."""
        return normalise_name(str(text)) in self._name_set

    def lookup(self, query: object, limit: int = 20) -> Lookup:
        """Find places for the text *query* (name, Ortsteil, Gemeinde, postcode, or address)."""
        text, cut = clean_query(query)
        norm = normalise_name(text)
        if not norm:
            return Lookup(LEER, query=text, gekuerzt=cut)
        hinweise: list[str] = []
        address_like = bool(_STREET.search(norm))
        if self.address_sources and (address_like or _HOUSE_NUMBER.search(norm)):
            for source in self.address_sources:
                found = source.lookup(text, limit=limit)
                if len(found) == 1:
                    return Lookup(GEFUNDEN, tuple(found), query=text, gekuerzt=cut)
                if found:
                    return Lookup(AUSWAHL, tuple(found), query=text, gekuerzt=cut)
        adresse_ohne_quelle = address_like and not self.address_sources
        if address_like:
            # Fall back to the place part: drop the part holding the street and house number.
            parts = [p for p in re.split(r"[,;]", text) if not _STREET.search(normalise_name(p))]
            rest = " ".join(parts)
            # "Schlossplatz 1 Meiningen" (no comma): keep what follows the house number.
            if not normalise_name(rest):
                tail = _STREET.split(norm)
                rest = tail[-1] if tail else ""
            norm = normalise_name(rest)
            if not norm:
                return Lookup(UNBEKANNT, query=text, gekuerzt=cut, adresse_ohne_quelle=adresse_ohne_quelle)
        result = self._lookup_norm(norm, limit)
        return Lookup(result.status, result.places, query=text, gekuerzt=cut, korrigiert=result.korrigiert,
                      adresse_ohne_quelle=adresse_ohne_quelle, hinweise=tuple(hinweise),
                      alternativen=result.alternativen)

    def _lookup_norm(self, norm: str, limit: int) -> Lookup:
        plz_match = _PLZ.search(norm)
        if plz_match:
            return self._lookup_plz(norm, plz_match.group(1), limit)
        if _DIGITS.search(norm):
            norm = normalise_name(_DIGITS.sub(" ", norm))
            if not norm:
                return Lookup(UNBEKANNT)
        exact = sorted({o for n, o in zip(self._names, self._owner, strict=True) if n == norm})
        if exact and not any(self.places[i].in_kreis for i in exact):
            # "Steinbach" is a village outside the Kreis, but "Steinbach-Hallenberg" is inside: offer both.
            exact = sorted(set(exact) | {o for n, o in zip(self._names, self._owner, strict=True)
                                         if n.startswith(norm + " ") and self.places[o].in_kreis})
        if exact:
            chosen = tuple(self._sorted(exact))
            return Lookup(GEFUNDEN if len(chosen) == 1 else AUSWAHL, chosen[:limit])
        return self._lookup_fuzzy(norm, limit)

    def _lookup_plz(self, norm: str, plz: str, limit: int) -> Lookup:
        """A postcode (plus, optionally, a place name that narrows its places)."""
        rest = normalise_name(norm.replace(plz, " "))
        idx = self._by_plz.get(plz, [])
        if not idx:
            near = sorted({i for code, ids in self._by_plz.items() if code[:3] == plz[:3] for i in ids},
                          key=lambda i: self.places[i].name)
            return Lookup(UNBEKANNT, tuple(self.places[i] for i in near[:limit]))
        if rest:
            scored = [(self._score(rest, i), i) for i in idx]
            good = [i for s, i in scored if s >= SCORE_MATCH]
            if good:
                idx = good
        if len(idx) > 1 and not rest:
            # A bare postcode: answer at once with its main locality, keep the others as alternatives.
            main = max(idx, key=lambda i: (self._weight.get(i, 0.0), self.places[i].in_kreis,
                                           self.places[i].art == ART_ORT))
            others = tuple(sorted((self.places[i] for i in idx if i != main),
                                  key=lambda p: (p.art != ART_ORT, p.name)))
            return Lookup(GEFUNDEN, (self.places[main],), alternativen=others[:limit])
        chosen = tuple(sorted((self.places[i] for i in idx), key=lambda p: (p.art != ART_ORT, p.name)))
        return Lookup(GEFUNDEN if len(chosen) == 1 else AUSWAHL, chosen[:limit])

    def _lookup_fuzzy(self, norm: str, limit: int) -> Lookup:
        """Typo-tolerant match (rapidfuzz ratio) and prefix typing; suggestions below the match score."""
        best: dict[int, float] = {}
        for _, score, j in process.extract(norm, self._names, scorer=fuzz.ratio, limit=60,
                                           score_cutoff=SCORE_SUGGEST * 0.8):
            owner = self._owner[j]
            best[owner] = max(best.get(owner, 0.0), float(score))
        # Prefix typing ("Steinbach" → "Steinbach-Hallenberg") counts as a good match.
        if len(norm) >= 4:
            for n, owner in zip(self._names, self._owner, strict=True):
                if n.startswith(norm + " ") or (n.startswith(norm) and len(norm) >= 6):
                    best[owner] = max(best.get(owner, 0.0), SCORE_MATCH + 5.0)
        if not best:
            return Lookup(UNBEKANNT)
        top = max(best.values())
        if top >= SCORE_MATCH:
            chosen_idx = [i for i, s in best.items() if s >= max(SCORE_MATCH, top - SCORE_TIE)]
            chosen = tuple(self._sorted(chosen_idx, best))
            return Lookup(GEFUNDEN if len(chosen) == 1 else AUSWAHL, chosen[:limit], korrigiert=True)
        suggestions = [i for i, s in best.items() if s >= SCORE_SUGGEST or (
            s >= SCORE_SUGGEST_SAME_START and any(n[:1] == norm[:1] for n, o in zip(self._names, self._owner,
                                                                                    strict=True) if o == i))]
        return Lookup(UNBEKANNT, tuple(self._sorted(suggestions, best))[:8])

    def _score(self, norm: str, i: int) -> float:
        return max((fuzz.ratio(norm, n) for n, o in zip(self._names, self._owner, strict=True) if o == i),
                   default=0.0)

    def _sorted(self, idx: Sequence[int], scores: dict[int, float] | None = None) -> list[Place]:
        """Best score first, then places inside the Kreis, localities before Gemeinden, by name."""
        scores = scores or {}
        return [self.places[i] for i in sorted(
            idx, key=lambda i: (-scores.get(i, 100.0), not self.places[i].in_kreis, self.places[i].art != ART_ORT,
                                self.places[i].name, self.places[i].plz))]

    # ---------------------------------------------------------------------------- points (map, GPS)

    def point(self, lat: float, lon: float, name: str = "Punkt auf der Karte", precision: int = 4) -> Place:
        """A place for a tapped or located point (WGS84), named after the nearest locality.

        Coordinates are rounded to *precision* decimals (4 ≈ 10 m; the device location uses 3 ≈ 100 m so
        that a shared link does not reveal a home address).
        """
        lat_r, lon_r = round(float(lat), precision), round(float(lon), precision)
        if not (-90 <= lat_r <= 90 and -180 <= lon_r <= 180):
            raise AtlasError("Die Koordinaten liegen außerhalb des gültigen Bereichs.")
        x, y = _TO_METRIC.transform(lon_r, lat_r)
        near, _ = self.nearest_locality(x, y)
        inside = bool(shapely.contains_xy(self.kreis_polygon, x, y))
        return Place(key=f"punkt:{lat_r:.{precision}f},{lon_r:.{precision}f}", name=name, art=ART_PUNKT,
                     x=float(x), y=float(y), gemeinde=near.gemeinde if near else "",
                     kreis=near.kreis if near else "", in_kreis=inside,
                     quelle=near.name if near else "")

    def nearest_locality(self, x: float, y: float) -> tuple[Place | None, float]:
        """The nearest GeoNames locality and its straight-line distance (m)."""
        if len(self._ort_idx) == 0:
            return None, float("nan")
        d, j = self._tree.query([x, y], k=1)
        return self.places[int(self._ort_idx[int(j)])], float(d)

    def contains(self, x: float, y: float) -> bool:
        """True when the point (EPSG:25832) lies inside the Landkreis."""
        return bool(shapely.contains_xy(self.kreis_polygon, x, y))


def parse_point(value: object) -> tuple[float, float] | None:
    """``"50.6453,10.4213"`` → ``(lat, lon)``; None for anything else (never raises)."""
    text, _ = clean_query(value)
    m = re.fullmatch(r"\s*(-?\d{1,2}(?:\.\d{1,7})?)\s*,\s*(-?\d{1,3}(?:\.\d{1,7})?)\s*", text)
    if not m:
        return None
    lat, lon = float(m.group(1)), float(m.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def gazetteer_from_atlas(data: object, address_sources: Sequence[AddressSource] | None = None) -> Gazetteer:
    """The gazetteer for an :class:`atlas.atlasdata.AtlasData` (plus env-configured address sources)."""
    layers = data.layers  # type: ignore[attr-defined]
    orte = layers[schema.PLACES_LAYER]
    if layers.get(schema.STOPS_LAYER) is not None:  # Ortsteile only stop names reveal ("Asbach Kirche, Schmalkalden")
        from atlas.stops import gazetteer_ortsteile

        extra = gazetteer_ortsteile(layers[schema.STOPS_LAYER], orte).to_crs(orte.crs)
        orte = pd.concat([orte, extra], ignore_index=True) if len(extra) else orte
    gaz = Gazetteer(orte, layers[schema.GEMEINDEN_LAYER], layers.get(schema.NEIGHBOUR_GEMEINDEN_LAYER), layers.get(schema.KREIS_LAYER))
    gaz.address_sources = list(address_sources) if address_sources is not None \
        else address_sources_from_env(gaz.kreis_polygon)
    return gaz
