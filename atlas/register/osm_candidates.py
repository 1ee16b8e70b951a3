"""Candidates for the register from OpenStreetMap: schools, kindergartens, doctors, pharmacies and
social facilities, read offline from an Overpass JSON export or an OSM file (.osm XML or .osm.pbf).

Library choice: pyosmium (``osmium``, the official Python bindings of libosmium) reads OSM XML and PBF
alike and resolves way node locations in one pass; Overpass JSON is plain JSON. Ways are reduced to the
mean of their node positions (Overpass: the ``center`` from ``out center``). Relations are skipped in OSM
files (their area needs assembling); Overpass gives them a ``center`` and they are read.

Candidates only go into a review queue (:meth:`RegisterStore.add_candidates`); the coordinator accepts
or rejects each. Before that they are de-duplicated against the register: a candidate is a duplicate of
an active offer in the same Gemeinde when the folded names are equal or share a specific word (generic
words such as "Kita", "Grundschule" or "Apotheke" do not count).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer

from atlas import settings
from atlas._helpers import normalise_name
from atlas.register._helpers import name_tokens
from atlas.register.errors import RegisterError
from atlas.register.models import PRECISION_POINT

_TO_METRIC = Transformer.from_crs(settings.MAP_CRS, settings.METRIC_CRS, always_xy=True)

#: Words that name the kind of facility rather than the facility itself.
GENERIC_WORDS = frozenset({
    "kita", "kindergarten", "kindertagesstaette", "kindertageseinrichtung", "kinderkrippe", "krippe", "hort",
    "schule", "grundschule", "regelschule", "gymnasium", "staatliche", "staatl", "foerderschule",
    "gemeinschaftsschule", "berufsschule", "apotheke", "praxis", "arztpraxis", "arzt", "aerztin", "facharzt",
    "allgemeinmedizin", "zahnarzt", "haus", "evangelische", "katholische", "kommunale", "integrative",
})

_SOCIAL_FOR = {
    "senior": "Armut im Alter", "child": "Kinder/Familie/Migration", "juvenile": "Kinder/Familie/Migration",
    "family": "Kinder/Familie/Migration", "migrant": "Kinder/Familie/Migration", "refugee": "Kinder/Familie/Migration",
    "homeless": "Infrastruktur/Wohnen", "disabled": "Gesundheit", "mental_health": "Gesundheit",
    "addiction": "Gesundheit", "woman": "Gleichstellung", "victim": "Gleichstellung",
    "poor": "Konsum und Schulden", "unemployed": "Arbeitsmarkt/Wirtschaft",
}


def classify(tags: Mapping[str, str]) -> tuple[str, str] | None:
    """(Kategorie, Handlungsfeld) for an OSM object, or None when it is not a wanted kind of facility."""
    amenity = tags.get("amenity", "")
    healthcare = tags.get("healthcare", "")
    if amenity == "school":
        return "Schule", "Bildung/Schule"
    if amenity == "kindergarten":
        return "Kita", "Kinder/Familie/Migration"
    if amenity == "doctors" or healthcare == "doctor":
        return "Arztpraxis", "Gesundheit"
    if amenity == "pharmacy" or healthcare == "pharmacy":
        return "Apotheke", "Gesundheit"
    if amenity == "social_facility":
        target = tags.get("social_facility:for", "").split(";")[0].strip()
        return "Soziale Einrichtung", _SOCIAL_FOR.get(target, "Infrastruktur/Wohnen")
    return None


@dataclass(frozen=True)
class OsmFeature:
    """One OSM object of a wanted kind: type ('node'/'way'/'relation'), id, position (WGS84), tags."""

    osm_typ: str
    osm_id: int
    lon: float
    lat: float
    tags: dict[str, str]


# ------------------------------------------------------------------------------------------ reading

def read_overpass_json(data: bytes | str, name: str = "Overpass-Export") -> list[OsmFeature]:
    """Wanted objects from an Overpass API JSON answer (``[out:json]``; ways/relations with ``out center``
    or with their nodes included)."""
    try:
        doc = json.loads(data)
        elements = doc["elements"]
    except (ValueError, KeyError, TypeError) as exc:
        raise RegisterError(f"{name} ist keine Overpass-JSON-Datei (Schlüssel 'elements' fehlt).") from exc
    nodes = {e["id"]: (e["lon"], e["lat"]) for e in elements
             if isinstance(e, dict) and e.get("type") == "node" and "lat" in e and "lon" in e}
    result: list[OsmFeature] = []
    for element in elements:
        if not isinstance(element, dict):
            continue
        tags = {str(k): str(v) for k, v in (element.get("tags") or {}).items()}
        if classify(tags) is None:
            continue
        kind = element.get("type")
        position: tuple[float, float] | None = None
        if kind == "node" and "lat" in element:
            position = (float(element["lon"]), float(element["lat"]))
        elif "center" in element:
            position = (float(element["center"]["lon"]), float(element["center"]["lat"]))
        elif element.get("geometry"):
            pts = [(g["lon"], g["lat"]) for g in element["geometry"] if g]
            position = tuple(np.mean(pts, axis=0)) if pts else None  # type: ignore[assignment]
        elif kind == "way" and element.get("nodes"):
            pts = [nodes[n] for n in element["nodes"] if n in nodes]
            position = tuple(np.mean(pts, axis=0)) if pts else None  # type: ignore[assignment]
        if position is None or kind not in ("node", "way", "relation"):
            continue
        result.append(OsmFeature(str(kind), int(element["id"]), float(position[0]), float(position[1]), tags))
    return result


def read_osm_file(path: str | os.PathLike[str]) -> list[OsmFeature]:
    """Wanted nodes and ways from an ``.osm`` (XML) or ``.osm.pbf`` file, read with pyosmium."""
    import osmium

    p = Path(path)
    if not p.is_file():
        raise RegisterError(f"Die OSM-Datei {p.name} wurde nicht gefunden.")
    result: list[OsmFeature] = []
    try:
        processor = osmium.FileProcessor(str(p)).with_locations()
        obj: Any  # pyosmium yields Node | Way | Relation | …; the is_*() checks below narrow it
        for obj in processor:
            if obj.is_relation():
                continue
            tags = {t.k: t.v for t in obj.tags}
            if classify(tags) is None:
                continue
            if obj.is_node():
                if obj.location.valid():
                    result.append(OsmFeature("node", obj.id, obj.location.lon, obj.location.lat, tags))
            elif obj.is_way():
                pts = [(n.lon, n.lat) for n in obj.nodes if n.location.valid()]
                if len(pts) > 1 and pts[0] == pts[-1]:  # closed ring: count the first node once
                    pts = pts[:-1]
                if pts:
                    lon, lat = np.mean(pts, axis=0)
                    result.append(OsmFeature("way", obj.id, float(lon), float(lat), tags))
    except RuntimeError as exc:
        raise RegisterError(f"Die OSM-Datei {p.name} konnte nicht gelesen werden: {exc}") from exc
    return result


def read_osm_upload(data: bytes, name: str, folder: str | os.PathLike[str]) -> list[OsmFeature]:
    """Read an uploaded file by its name: ``.json`` (Overpass) or ``.osm`` / ``.osm.pbf`` (via a temporary file)."""
    lower = name.lower()
    if lower.endswith(".json"):
        return read_overpass_json(data, name)
    if lower.endswith((".osm", ".osm.pbf", ".pbf")):
        suffix = ".osm.pbf" if lower.endswith(".pbf") else ".osm"
        handle, name_tmp = tempfile.mkstemp(prefix=".osm-upload-", suffix=suffix, dir=folder)  # unique per call
        target = Path(name_tmp)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            return read_osm_file(target)
        finally:
            target.unlink(missing_ok=True)
    raise RegisterError(f"Die Datei {name} hat ein unbekanntes Format: erlaubt sind .json (Overpass), .osm, .osm.pbf.")


# ------------------------------------------------------------------------------------- candidates

@dataclass
class CandidateResult:
    """New candidates for the queue, duplicates of register offers (candidate, offer id), and counts."""

    neu: list[dict[str, object]] = field(default_factory=list)
    duplikate: list[tuple[dict[str, object], str]] = field(default_factory=list)
    ausserhalb: int = 0


def _specific(name: str) -> set[str]:
    return name_tokens(name) - GENERIC_WORDS


def is_same_facility(name_a: str, name_b: str) -> bool:
    """Names of the same facility? Equal after folding, or sharing a specific (non-generic) word."""
    if normalise_name(name_a) == normalise_name(name_b):
        return True
    return bool(_specific(name_a) & _specific(name_b))


def _address(tags: Mapping[str, str]) -> str:
    street = tags.get("addr:street", "")
    number = tags.get("addr:housenumber", "")
    return f"{street} {number}".strip()


def build_candidates(features: Iterable[OsmFeature], gemeinden: gpd.GeoDataFrame, kreis_wgs84: shapely.Geometry,
                     offers: Sequence[Mapping[str, object]], quelle: str = "") -> CandidateResult:
    """Turn *features* into queue rows: keep those inside the county, name their Gemeinde, and set aside
    duplicates of active *offers*. *gemeinden* (EPSG:25832) needs ``name`` and ``geometry``."""
    items = list(features)
    result = CandidateResult()
    if not items:
        return result
    lon = np.array([f.lon for f in items])
    lat = np.array([f.lat for f in items])
    inside = shapely.contains_xy(kreis_wgs84, lon, lat)
    result.ausserhalb = int((~inside).sum())
    x, y = _TO_METRIC.transform(lon, lat)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=settings.METRIC_CRS)
    joined = gpd.sjoin(pts, gemeinden[["name", "geometry"]], how="left", predicate="within")
    gem_name = joined[~joined.index.duplicated()]["name"].fillna("").to_numpy()
    by_ort: dict[str, list[Mapping[str, object]]] = {}
    for offer in offers:
        by_ort.setdefault(normalise_name(str(offer.get("ort") or "")), []).append(offer)
    for feature, ok, ort in zip(items, inside, gem_name, strict=True):
        if not ok:
            continue
        kategorie, feld = classify(feature.tags)  # type: ignore[misc]
        tags = feature.tags
        name = tags.get("name", "").strip() or f"{kategorie} (in OpenStreetMap ohne Namen)"
        row: dict[str, object] = {
            "osm_typ": feature.osm_typ, "osm_id": feature.osm_id, "name": name, "kategorie": kategorie,
            "handlungsfeld": feld, "strasse": _address(tags), "plz": tags.get("addr:postcode", ""),
            "ort": str(ort), "telefon": tags.get("phone", tags.get("contact:phone", "")),
            "email": tags.get("email", tags.get("contact:email", "")),
            "website": tags.get("website", tags.get("contact:website", "")),
            "oeffnungszeiten": tags.get("opening_hours", ""), "lon": round(feature.lon, 7),
            "lat": round(feature.lat, 7), "tags": dict(tags), "quelle": quelle,
        }
        match = next((str(o["id"]) for o in by_ort.get(normalise_name(str(ort)), [])
                      if is_same_facility(name, str(o.get("name") or ""))), None)
        if match is not None:
            result.duplikate.append((row, match))
        else:
            result.neu.append(row)
    return result


def candidate_to_record(row: Mapping[str, object], today: date | None = None) -> dict[str, object]:
    """A queued candidate as a register record (position from OSM, source = the OSM object's page)."""
    return {
        "name": row["name"], "kategorie": row["kategorie"], "handlungsfeld": row["handlungsfeld"],
        "traeger": "", "strasse": row.get("strasse", ""), "plz": row.get("plz", ""), "ort": row.get("ort", ""),
        "ortsteil": "", "telefon": row.get("telefon", ""), "email": row.get("email", ""),
        "website": row.get("website", ""), "oeffnungszeiten": row.get("oeffnungszeiten", ""), "zielgruppe": "",
        "quelle_url": f"https://www.openstreetmap.org/{row['osm_typ']}/{row['osm_id']}",
        "quelle_stand": f"OpenStreetMap, eingelesen {str(row.get('eingelesen') or (today or date.today()).isoformat())[:10]}",
        "lon": row["lon"], "lat": row["lat"], "lage_genauigkeit": PRECISION_POINT,
        "lage_hinweis": "Koordinaten aus OpenStreetMap",
    }
