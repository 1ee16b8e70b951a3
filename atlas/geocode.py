"""``atlas geocode``: street addresses of the register → ``adresse`` positions via a Nominatim-compatible geocoder.

For online deployments. Only the offer's *public address* is sent – street, postcode, Gemeinde (and the
country) as a structured Nominatim query; never its name, contact or any other field. The service's usage
policy is kept: at most one request per second (:class:`RateLimiter`), an identifying User-Agent
(``ATLAS_GEOCODER_USER_AGENT``), and every answer is cached on disk (``geocode_cache`` in the data folder),
so a second run sends nothing for addresses already asked. The URL is configurable
(``ATLAS_GEOCODER_URL``, :func:`atlas.settings.geocoder_url`) for a self-hosted Nominatim.

An answer is accepted only when it is unambiguous and precise enough:

* *not found* – no result: the offer keeps its position;
* *outside* – no result inside the offer's Gemeinde (a namesake elsewhere): not used;
* *too coarse* – only a street, place or area (Nominatim ``place_rank`` < :data:`MIN_PLACE_RANK`), or the
  address has no house number: not used (the stop-based ``strasse`` level covers streets);
* *ambiguous* – several house-level results in the Gemeinde more than :data:`AMBIGUOUS_M` apart: not used.

Accepted positions are written to the register as ``lage_genauigkeit = adresse`` with a note naming the
service and the matched address – a normal edit with history (who: ``atlas geocode``). Offline (no
connection) the command says so in German and changes nothing; all changes are made only after every
address was asked. HTTP via ``requests`` (the project's HTTP client).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import requests
import shapely
from pyproj import Transformer

from atlas import settings
from atlas._helpers import is_blank
from atlas.errors import AtlasError
from atlas.placement import KEPT_LEVELS, PRECISION_ADDRESS, PRECISION_POINT, is_confidential

#: Smallest Nominatim ``place_rank`` accepted as an address (30 = house/building; 26–27 = street).
MIN_PLACE_RANK = 28
#: House-level results farther apart than this make the answer ambiguous.
AMBIGUOUS_M = 150.0
#: Seconds between two requests (Nominatim usage policy: at most one per second).
MIN_INTERVAL_S = 1.0
TIMEOUT_S = 20.0
WHO = "atlas geocode"

_HOUSE_NUMBER = re.compile(r"\d")
_TO_METRIC = Transformer.from_crs(settings.MAP_CRS, settings.METRIC_CRS, always_xy=True)


class GeocoderOffline(AtlasError):
    """The geocoder cannot be reached (no connection, DNS failure, timeout)."""


class RateLimiter:
    """At most one call per *interval* seconds; *clock* and *sleep* are injectable (tests use a fake clock)."""

    def __init__(self, interval: float = MIN_INTERVAL_S, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval, self.clock, self.sleep = interval, clock, sleep
        self._last: float | None = None

    def wait(self) -> None:
        now = self.clock()
        if self._last is not None and now - self._last < self.interval:
            self.sleep(self.interval - (now - self._last))
            now = self.clock()
        self._last = now


def address_query(record: Mapping[str, object]) -> dict[str, str] | None:
    """The structured query for an offer's public address, or None when it has no street or no Gemeinde.

    >>> address_query({"name": "Kita X", "telefon": "123", "strasse": "Ernststraße 7", "plz": "98617",
    ...                "ort": "Meiningen"})
    {'street': 'Ernststraße 7', 'postalcode': '98617', 'city': 'Meiningen', 'country': 'Deutschland'}
    """
    street = "" if is_blank(record.get("strasse")) else str(record["strasse"]).strip()
    city = "" if is_blank(record.get("ort")) else str(record["ort"]).strip()
    if not street or not city:
        return None
    street = re.sub(r"\s*\(.*?\)", "", street).strip()  # notes in brackets are not part of the address
    query = {"street": street, "postalcode": "" if is_blank(record.get("plz")) else str(record["plz"]).strip(),
             "city": city, "country": "Deutschland"}
    return {k: v for k, v in query.items() if v}


class AnswerCache:
    """Geocoder answers on disk, one JSON file per (URL, query)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, url: str, query: Mapping[str, str]) -> Path:
        key = json.dumps({"url": url, "q": dict(sorted(query.items()))}, ensure_ascii=False, sort_keys=True)
        return self.folder / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}.json"

    def get(self, url: str, query: Mapping[str, str]) -> list[dict] | None:
        path = self._path(url, query)
        if not path.is_file():
            return None
        try:
            return list(json.loads(path.read_text(encoding="utf-8"))["antwort"])
        except (ValueError, KeyError, OSError):
            return None

    def put(self, url: str, query: Mapping[str, str], answer: list[dict]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(url, query)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"url": url, "anfrage": dict(query), "antwort": answer}, ensure_ascii=False),
                       encoding="utf-8")
        tmp.replace(path)


class Geocoder:
    """A Nominatim-compatible ``/search`` endpoint with rate limit and on-disk cache."""

    def __init__(self, url: str | None = None, cache: AnswerCache | None = None, session: requests.Session | None = None,
                 limiter: RateLimiter | None = None, user_agent: str | None = None) -> None:
        self.url = settings.geocoder_url(url)
        self.cache = cache
        self.session = session or requests.Session()
        self.limiter = limiter or RateLimiter()
        self.user_agent = user_agent or settings.geocoder_user_agent()
        self.requests_sent = 0

    def search(self, query: Mapping[str, str]) -> list[dict]:
        """The service's results for *query* (cached answers are not asked again)."""
        if self.cache is not None:
            cached = self.cache.get(self.url, query)
            if cached is not None:
                return cached
        self.limiter.wait()
        params = {**query, "format": "jsonv2", "limit": "5", "countrycodes": "de", "addressdetails": "0"}
        try:
            response = self.session.get(self.url, params=params, timeout=TIMEOUT_S,
                                        headers={"User-Agent": self.user_agent, "Accept-Language": "de"})
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise GeocoderOffline(
                f"Der Geokodierdienst {self.url} ist nicht erreichbar (keine Verbindung?). Es wurde nichts geändert."
            ) from exc
        self.requests_sent += 1
        if response.status_code != 200:
            raise AtlasError(f"Der Geokodierdienst {self.url} antwortete mit HTTP {response.status_code}. "
                             "Es wurde nichts geändert.")
        try:
            answer = response.json()
        except ValueError as exc:
            raise AtlasError(f"Der Geokodierdienst {self.url} lieferte kein JSON. Es wurde nichts geändert.") from exc
        if not isinstance(answer, list):
            raise AtlasError(f"Der Geokodierdienst {self.url} lieferte keine Trefferliste. Es wurde nichts geändert.")
        if self.cache is not None:
            self.cache.put(self.url, query, answer)
        return answer


@dataclass(frozen=True)
class Outcome:
    """What the geocoder's answer means for one offer."""

    id: str
    status: str            # "gefunden", "nicht_gefunden", "ausserhalb", "zu_grob", "mehrdeutig", "ohne_adresse"
    text: str
    lon: float | None = None
    lat: float | None = None


def judge(offer_id: str, query: Mapping[str, str], answer: Iterable[Mapping[str, object]],
          gemeinde_wgs84: shapely.Geometry) -> Outcome:
    """Decide on one answer (see module docstring); *gemeinde_wgs84* is the offer's Gemeinde polygon."""
    results = list(answer)
    if not results:
        return Outcome(offer_id, "nicht_gefunden", "Adresse nicht gefunden.")
    inside = []
    for r in results:
        try:
            lon, lat = float(r["lon"]), float(r["lat"])  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError):
            continue
        if gemeinde_wgs84.covers(shapely.Point(lon, lat)):
            inside.append((r, lon, lat))
    if not inside:
        return Outcome(offer_id, "ausserhalb", "Kein Treffer in der Gemeinde des Angebots (nur gleichnamige anderswo).")
    if not _HOUSE_NUMBER.search(query.get("street", "")):
        return Outcome(offer_id, "zu_grob", "Adresse ohne Hausnummer: nur die Straße bestimmbar.")
    houses = [(r, lon, lat) for r, lon, lat in inside if _rank(r) >= MIN_PLACE_RANK]
    if not houses:
        return Outcome(offer_id, "zu_grob", "Nur Straße oder Ort gefunden, keine Hausadresse.")
    xy = [_TO_METRIC.transform(lon, lat) for _, lon, lat in houses]
    spread = max(math.dist(a, b) for a in xy for b in xy)
    if spread > AMBIGUOUS_M:
        return Outcome(offer_id, "mehrdeutig", f"Mehrdeutig: {len(houses)} Treffer bis {spread:.0f} m auseinander.")
    best, lon, lat = houses[0]
    return Outcome(offer_id, "gefunden", str(best.get("display_name") or ""), round(lon, 6), round(lat, 6))


def _rank(result: Mapping[str, object]) -> int:
    try:
        return int(result.get("place_rank") or 0)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0


@dataclass
class GeocodeReport:
    """What a run did (German summary in :meth:`lines`)."""

    outcomes: list[Outcome] = field(default_factory=list)
    stored: list[str] = field(default_factory=list)
    requests_sent: int = 0
    url: str = ""

    def lines(self) -> list[str]:
        counts: dict[str, int] = {}
        for o in self.outcomes:
            counts[o.status] = counts.get(o.status, 0) + 1
        labels = {"gefunden": "gefunden", "nicht_gefunden": "nicht gefunden", "ausserhalb": "nur außerhalb der Gemeinde",
                  "zu_grob": "zu ungenau", "mehrdeutig": "mehrdeutig"}
        out = [f"Geokodierdienst: {self.url} – {self.requests_sent} Anfrage(n), Rest aus dem Zwischenspeicher.",
               f"{len(self.outcomes)} Adresse(n) geprüft: "
               + ", ".join(f"{labels.get(k, k)} {v}" for k, v in sorted(counts.items())),
               f"{len(self.stored)} Angebot(e) mit Lage „Adresse“ gespeichert."]
        out.extend(f"  {o.id}: {o.text}" for o in self.outcomes if o.status != "gefunden")
        return out


def candidates(records: Iterable[Mapping[str, object]], confidential: Iterable[str], again: bool = False
               ) -> list[Mapping[str, object]]:
    """Offers to geocode: with street and Gemeinde, not confidential, not set by a person (``punkt``) and –
    unless *again* – not geocoded already."""
    words = list(confidential)
    skip = {PRECISION_POINT} if again else set(KEPT_LEVELS)
    return [r for r in records if address_query(r) is not None and not is_confidential(r.get("name"), words)
            and str(r.get("lage_genauigkeit") or "") not in skip]


def geocode_register(store: object, gemeinden_wgs84: Mapping[str, shapely.Geometry], geocoder: Geocoder,
                     confidential: Iterable[str] = (), dry_run: bool = False, again: bool = False) -> GeocodeReport:
    """Geocode the register's offers (see module docstring); *gemeinden_wgs84* maps Gemeinde name → polygon.

    Every address is asked first; only then are the accepted positions written (nothing when offline)."""
    report = GeocodeReport(url=geocoder.url)
    todo = candidates(store.offers(), confidential, again)  # type: ignore[attr-defined]
    by_name = {str(k).casefold(): v for k, v in gemeinden_wgs84.items()}
    accepted: list[tuple[Mapping[str, object], Outcome, str]] = []
    for record in todo:
        query = address_query(record)
        assert query is not None
        polygon = by_name.get(str(record.get("ort")).casefold())
        if polygon is None:
            report.outcomes.append(Outcome(str(record["id"]), "ausserhalb", "Gemeinde nicht im Landkreis."))
            continue
        outcome = judge(str(record["id"]), query, geocoder.search(query), polygon)
        report.outcomes.append(outcome)
        if outcome.status == "gefunden":
            accepted.append((record, outcome, ", ".join(query.values())))
    report.requests_sent = geocoder.requests_sent
    if dry_run:
        return report
    for record, outcome, asked in accepted:
        store.update_offer(str(record["id"]), {  # type: ignore[attr-defined]
            "lon": outcome.lon, "lat": outcome.lat, "lage_genauigkeit": PRECISION_ADDRESS,
            "lage_hinweis": f"Adresse geokodiert ({geocoder.url}): {outcome.text} – angefragt: {asked}"[:500],
        }, expected_version=int(record["version"]), who=WHO, comment="Lage aus der Adresse (Geokodierung)")  # type: ignore[call-overload]
        report.stored.append(str(record["id"]))
    return report
