"""Setting an offer's point by hand (precision ``punkt``) and taking positions from matching OSM objects.

An editor sets or moves an offer's point by clicking the map, typing coordinates or pasting a map link;
:func:`parse_position` reads the text (pure, tested), :func:`position_changes` checks the point lies in the
county and gives the register changes (``lon``, ``lat``, ``ags``, ``lage_genauigkeit = punkt``, a note).
The store keeps every change in the history.

Accepted link formats (no network needed; short links such as ``maps.app.goo.gl`` or ``osm.org/go`` cannot
be resolved offline and are refused with a German message):

* OpenStreetMap: ``…/#map=17/50.58834/10.48473``, ``?mlat=50.588&mlon=10.484``, ``?lat=…&lon=…``,
  ``/way/…`` is not a position;
* Google Maps: ``…/place/…/@50.58,10.48,17z/data=…!3d50.5883!4d10.4847`` (the place's own point wins over
  the view centre ``@…``), ``…/@50.58,10.48,17z``, ``?q=50.58,10.48``, ``?ll=…``, ``?query=…``;
* ``geo:50.58,10.48`` URIs;
* typed coordinates: "50.58834, 10.48473", "50,58834 10,48473" (German decimal comma), with N/E or °.
  In Germany latitude (47–56) and longitude (5–16) do not overlap, so the order is recognised.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

import geopandas as gpd
import shapely
from pyproj import Transformer

from atlas import schema, settings
from atlas.register.errors import RegisterError

_TO_METRIC = Transformer.from_crs(settings.MAP_CRS, settings.METRIC_CRS, always_xy=True)
_NUMBER = r"[-+]?\d{1,3}(?:[.,]\d+)?"
_PAIR = re.compile(rf"({_NUMBER})\s*°?\s*[NS]?\s*[,;/\s]\s*({_NUMBER})\s*°?\s*[EOW]?", re.IGNORECASE)
_GOOGLE_PLACE = re.compile(r"!3d(-?\d+\.\d+)!4d(-?\d+\.\d+)")
_AT = re.compile(r"@(-?\d+\.\d+),(-?\d+\.\d+)")
_OSM_MAP = re.compile(r"map=\d+(?:\.\d+)?/(-?\d+\.\d+)/(-?\d+\.\d+)")
_SHORT_LINKS = ("goo.gl", "maps.app.goo.gl", "osm.org/go", "openstreetmap.org/go/", "g.co/")


class PositionError(RegisterError):
    """A position that cannot be read or lies outside the county (German message)."""


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _ordered(a: float, b: float) -> tuple[float, float]:
    """(lon, lat) from a pair in either order (German latitudes 47–56 and longitudes 5–16 do not overlap)."""
    if 40 <= a <= 60 and -10 <= b <= 30 and not (40 <= b <= 60):
        return b, a
    if 40 <= b <= 60 and -10 <= a <= 30:
        return a, b
    if -90 <= a <= 90 and -180 <= b <= 180:
        return b, a  # the usual "lat, lon" order of map services
    raise PositionError(f"Die Zahlen {a} und {b} sind keine Koordinaten (Breite/Länge in Grad).")


def parse_position(text: object) -> tuple[float, float]:
    """(lon, lat) in WGS84 from typed coordinates or a map link (formats: see module docstring).

    >>> parse_position("50.58834, 10.48473")
    (10.48473, 50.58834)
    >>> parse_position("50,58834 10,48473")
    (10.48473, 50.58834)
    >>> parse_position("https://www.openstreetmap.org/#map=17/50.58834/10.48473")
    (10.48473, 50.58834)
    >>> parse_position("https://www.google.com/maps/place/X/@50.5,10.4,17z/data=!3d50.58834!4d10.48473")
    (10.48473, 50.58834)
    """
    raw = "" if text is None else str(text).strip()
    if not raw:
        raise PositionError("Bitte Koordinaten eingeben, einen Kartenlink einfügen oder in die Karte klicken.")
    lowered = raw.lower()
    if any(short in lowered for short in _SHORT_LINKS):
        raise PositionError("Kurzlinks (z. B. maps.app.goo.gl, osm.org/go) lassen sich hier nicht auflösen. Bitte "
                            "den vollständigen Link aus der Adresszeile einfügen oder die Koordinaten eintippen.")
    if lowered.startswith("geo:"):
        return _from_pair(raw[4:].split(";")[0].split("?")[0])
    if lowered.startswith(("http://", "https://", "www.")) or "maps" in lowered or "openstreetmap" in lowered:
        return _from_url(raw)
    return _from_pair(raw)


def _from_pair(text: str) -> tuple[float, float]:
    match = _PAIR.search(text.strip())
    if match is None:
        raise PositionError(f"„{text[:60]}“ enthält keine Koordinaten. Beispiel: 50.58834, 10.48473 "
                            "(Breite, Länge) oder ein Link von OpenStreetMap oder Google Maps.")
    return _ordered(_number(match.group(1)), _number(match.group(2)))


def _from_url(url: str) -> tuple[float, float]:
    decoded = unquote(url)
    place = _GOOGLE_PLACE.search(decoded)
    if place:
        return float(place.group(2)), float(place.group(1))
    parts = urlsplit(decoded if "://" in decoded else f"https://{decoded}")
    query = {k.lower(): v[0] for k, v in parse_qs(parts.query).items()}
    for lat_key, lon_key in (("mlat", "mlon"), ("lat", "lon")):
        if lat_key in query and lon_key in query:
            return _ordered(_number(query[lat_key]), _number(query[lon_key]))
    for key in ("q", "ll", "query", "center", "destination"):
        if key in query:
            match = _PAIR.search(query[key])
            if match:
                return _ordered(_number(match.group(1)), _number(match.group(2)))
    for pattern in (_OSM_MAP, _AT):
        match = pattern.search(decoded)
        if match:
            return float(match.group(2)), float(match.group(1))
    raise PositionError("In diesem Link steht keine Position (z. B. „#map=17/50.588/10.484“ bei OpenStreetMap "
                        "oder „@50.588,10.484“ bei Google Maps). Bitte in der Karte auf das Angebot klicken und den "
                        "Link aus der Adresszeile kopieren.")


def format_position(lon: float, lat: float) -> str:
    """"50,58834° N, 10,48473° O" (German notation)."""
    return f"{lat:.5f}° N, {lon:.5f}° O".replace(".", ",")


def ags_at(lon: float, lat: float, gemeinden: gpd.GeoDataFrame) -> str:
    """AGS of the county Gemeinde containing the point ('' outside); *gemeinden* in EPSG:25832 (``ags``)."""
    x, y = _TO_METRIC.transform(lon, lat)
    hits = gemeinden[gemeinden.geometry.covers(shapely.Point(x, y))]
    return str(hits["ags"].iloc[0]) if len(hits) else ""


def position_changes(lon: float, lat: float, geo: object, how: str) -> dict[str, object]:
    """The register changes for a point set by hand (*how*: "Karte", "Koordinaten", "Link", "OpenStreetMap").

    *geo* is the register's :class:`~atlas.register.importer.RegisterGeodata` (county outline in WGS84,
    Gemeinden in EPSG:25832). A point outside the county is refused with a German message."""
    kreis = geo.kreis_wgs84  # type: ignore[attr-defined]
    if not kreis.covers(shapely.Point(lon, lat)):
        raise PositionError(f"Der Punkt {format_position(lon, lat)} liegt außerhalb des Landkreises – nicht "
                            "gespeichert. Bitte prüfen (Breite und Länge vertauscht? anderer Ort gleichen Namens?).")
    ags = ags_at(lon, lat, geo.gemeinden)  # type: ignore[attr-defined]
    return {"lon": round(float(lon), 6), "lat": round(float(lat), 6), "ags": ags,
            "lage_genauigkeit": schema.PRECISION_POINT, "lage_hinweis": f"Punkt gesetzt ({how})"}


# ------------------------------------------------------------------------------------------ OSM matches

@dataclass(frozen=True)
class OsmMatch:
    """An OSM object that is the same facility as an offer already in the register."""

    offer_id: str
    offer_name: str
    osm_name: str
    osm_ref: str          # "node/123"
    lon: float
    lat: float

    @property
    def label(self) -> str:
        return f"{self.offer_id} – {self.offer_name} ⇐ OSM {self.osm_ref} „{self.osm_name}“"


def osm_import_with_matches(store: object, geo: object, data: bytes, name: str, folder: str
                            ) -> tuple[str, list[OsmMatch]]:
    """Read an OSM upload: new objects go to the candidate queue (as before), objects matching an offer of the
    register are returned as :class:`OsmMatch` so that the editor can move the offer to the OSM point."""
    from atlas.register.osm_candidates import build_candidates, read_osm_upload

    features = read_osm_upload(data, name, folder)
    offers = store.offers()  # type: ignore[attr-defined]
    result = build_candidates(features, geo.gemeinden, geo.kreis_wgs84, offers, name)  # type: ignore[attr-defined]
    added, known = store.add_candidates(result.neu)  # type: ignore[attr-defined]
    names = {str(o["id"]): str(o.get("name") or "") for o in offers}
    matches = [OsmMatch(offer_id, names.get(offer_id, ""), str(row["name"]), f"{row['osm_typ']}/{row['osm_id']}",
                        float(row["lon"]), float(row["lat"]))  # type: ignore[arg-type]
               for row, offer_id in result.duplikate]
    text = (f"{added} neue Vorschläge; {known} waren schon in der Liste, {len(matches)} passen zu Angeboten im "
            f"Register (deren Lage kann unten auf den OSM-Punkt gesetzt werden), {result.ausserhalb} liegen "
            "außerhalb des Landkreises.")
    return text, matches


def match_changes(match: OsmMatch, geo: object) -> dict[str, object]:
    """Register changes that move the matched offer to the OSM point (``punkt``, with its AGS)."""
    changes = position_changes(match.lon, match.lat, geo, f"OpenStreetMap {match.osm_ref}")
    changes["lage_hinweis"] = f"Koordinaten aus OpenStreetMap ({match.osm_ref})"
    return changes


def candidate_overrides(candidate: Mapping[str, object], geo: object) -> dict[str, object]:
    """What an accepted OSM candidate gets besides its own fields: the AGS of the Gemeinde at its point."""
    gemeinden = geo.gemeinden  # type: ignore[attr-defined]
    return {"ags": ags_at(float(candidate["lon"]), float(candidate["lat"]), gemeinden)}  # type: ignore[arg-type]


def pick(matches: Sequence[OsmMatch], label: str) -> OsmMatch | None:
    return next((m for m in matches if m.label == label), None)


# --------------------------------------------------------------------------------------- page support

def chosen_point(text: object, clicked: Mapping[str, object] | None) -> tuple[float, float, str] | None:
    """(lon, lat, how) from the editor's inputs: typed text or pasted link wins over a map click; None when
    neither is given. :class:`PositionError` for text that cannot be read."""
    raw = "" if text is None else str(text).strip()
    if raw:
        how = "Link" if "://" in raw or raw.lower().startswith(("www.", "geo:")) else "Koordinaten"
        lon, lat = parse_position(raw)
        return lon, lat, how
    if clicked and clicked.get("lat") is not None and clicked.get("lng") is not None:
        return float(clicked["lng"]), float(clicked["lat"]), "Karte"  # type: ignore[arg-type]
    return None


def position_base_map(offer: Mapping[str, object], geo: object, online: bool = False) -> object:
    """A small click map around the offer (county outline; the current point grey). Leaflet is served
    locally; the OpenStreetMap background only when *online*. The new point is a layer of its own
    (:func:`new_point_layer`), exchanged on the standing map: a click does not reload it or move its view.
    The map stays, so it must also fit itself when its closed expander is opened (:class:`RefitUntilTouched`)."""
    import folium

    from atlas.leaflet import RefitUntilTouched, offline_map

    kreis = geo.kreis_wgs84  # type: ignore[attr-defined]
    lon, lat = offer.get("lon"), offer.get("lat")
    if lon is not None and lat is not None:
        d = 0.02
        bounds = (float(lat) - d, float(lon) - d * 1.6, float(lat) + d, float(lon) + d * 1.6)  # type: ignore[arg-type]
    else:
        west, south, east, north = kreis.bounds
        bounds = (south, west, north, east)
    fmap = offline_map(bounds, zoom_start=14, max_zoom=19)
    # drawn in the closed expander at size 0 (Leaflet then fits to its smallest zoom); fitted again when opened
    RefitUntilTouched(bounds).add_to(fmap)
    if online:
        folium.TileLayer("OpenStreetMap", attr="© OpenStreetMap contributors", max_zoom=19).add_to(fmap)
    folium.GeoJson(shapely.geometry.mapping(kreis), name="Landkreis", interactive=False,
                   style_function=lambda _f: {"color": "#444444", "weight": 2, "fill": False}).add_to(fmap)
    if lon is not None and lat is not None:
        folium.CircleMarker([float(lat), float(lon)], radius=7, color="#555555", fill=True,  # type: ignore[arg-type]
                            fill_opacity=0.6, tooltip="bisherige Lage").add_to(fmap)
    return fmap


#: Colour of the new point on the editor's map (the current one is grey).
NEW_POINT_COLOUR = "#c0392b"


def new_point_layer(new: tuple[float, float] | None) -> object:
    """The new point (lon, lat) as a red marker in a layer of its own; an empty layer when there is none."""
    import folium

    layer = folium.FeatureGroup(name="neue Lage")
    if new is not None:
        folium.CircleMarker([new[1], new[0]], radius=8, color=NEW_POINT_COLOUR, fill=True, fill_opacity=0.9,
                            tooltip="neue Lage").add_to(layer)
    return layer
