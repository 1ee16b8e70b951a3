"""Nearest offers to a place: filter by topic, target group, step-free access and "open today",
rank by estimated distance, estimate travel times.

Method (stated on the page and in the PDF): straight-line distance in EPSG:25832 × the detour factor
of :class:`atlas.accessibility.parameters.Verkehrsparameter` (1.3), travel time = that distance / the
mode's speed from the same parameters (walk 4.5, bike 15 km/h; the car uses the model fitted to the
Deutschlandatlas when the page passes the build's parameters, see
:func:`atlas.accessibility.calibration.travel_parameters`) – the reachability engine's straight-line
method, reused so both parts of the atlas estimate alike. All values are estimates
("ca."). The whole register is a few hundred rows: one vectorised numpy pass answers in well under a
millisecond (bench/bench_offer_search.py); the nearest railway station of every offer is precomputed
once with ``scipy.spatial.cKDTree``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from atlas import schema, settings
from atlas._helpers import is_blank
from atlas.placement import is_approximate, precision_rank
from atlas.accessibility.parameters import DEFAULTS, MODES, Verkehrsparameter
from atlas.offer_search.opening_hours import OFFEN, UNBEKANNT, DayStatus, status_on
from atlas.offer_search.targets import (
    SONSTIGES,
    STUFENFREI_JA,
    STUFENFREI_UNBEKANNT,
    Thema,
    Zielgruppe,
    Zugangsregeln,
    groups_of,
    load_themen,
    load_zielgruppen,
    load_zugang,
    thema_for_kategorie,
)

#: Register fields carried into results (cards, PDF).
REGISTER_FIELDS = ("id", "name", "kategorie", "handlungsfeld", "traeger", "strasse", "plz", "ort", "ortsteil",
                   "telefon", "email", "website", "oeffnungszeiten", "zielgruppe", "quelle_url", "quelle_stand",
                   "lage_genauigkeit", "lage_hinweis", "grund")

DEFAULT_LIMIT = 10


@dataclass(frozen=True)
class Station:
    """The nearest railway station of an offer (straight line)."""

    name: str
    ibnr: str
    stufenfrei: str
    x: float
    y: float
    distanz_m: float


@dataclass(frozen=True)
class Offer:
    """One register row prepared for searching."""

    record: Mapping[str, str]
    x: float
    y: float
    thema: str
    zielgruppen: tuple[str, ...]
    stufenfrei: str
    stufenfrei_beleg: str = ""
    bahnhof: Station | None = None

    @property
    def ungefaehr(self) -> bool:
        """True: placed coarser than a street (facility stop, Ortslage, Gemeinde centre)."""
        return is_approximate(self.record.get("lage_genauigkeit", ""))

    def __getitem__(self, key: str) -> str:
        return str(self.record.get(key, "") or "")


@dataclass(frozen=True)
class Filter:
    """What the user asked for; empty sets mean "all"."""

    themen: frozenset[str] = frozenset()
    zielgruppen: frozenset[str] = frozenset()
    mit_allgemeinen: bool = True
    nur_stufenfrei: bool = False
    nur_heute_offen: bool = False


@dataclass(frozen=True)
class Hit:
    """One ranked result."""

    offer: Offer
    rang: int
    luftlinie_m: float
    weg_m: float
    minuten: Mapping[str, float]
    heute: DayStatus


@dataclass(frozen=True)
class SearchResult:
    """Ranked hits plus what the page must say about the rest."""

    hits: tuple[Hit, ...]
    passend: int
    tag: date
    params: Verkehrsparameter
    ausgeblendet_stufenfrei_unbekannt: int = 0
    zeiten_unbekannt: int = 0        # "open today" asked: offers with unknown hours, listed after the open ones
    heute_offen: int = 0             # "open today" asked: offers known to be open today
    ohne_lage: tuple[Offer, ...] = field(default_factory=tuple)


class OfferIndex:
    """The register prepared once per build: coordinates, topics, target groups, access, stations."""

    def __init__(self, offers: Sequence[Offer], unplaced: Sequence[Offer], themen: Sequence[Thema],
                 zielgruppen: Sequence[Zielgruppe]) -> None:
        self.offers = tuple(offers)
        self.unplaced = tuple(unplaced)
        self.themen = tuple(themen)
        self.zielgruppen = tuple(zielgruppen)
        self.xy = np.array([[o.x, o.y] for o in self.offers], dtype=float).reshape(-1, 2)
        self.thema = np.array([o.thema for o in self.offers], dtype=object)
        gids = [g.id for g in self.zielgruppen]
        self._group_col = {g: i for i, g in enumerate(gids)}
        self.groups = np.zeros((len(self.offers), len(gids)), dtype=bool)
        for i, o in enumerate(self.offers):
            for g in o.zielgruppen:
                self.groups[i, self._group_col[g]] = True
        self.allgemein_cols = [self._group_col[g.id] for g in self.zielgruppen if g.allgemein]
        self.stufenfrei = np.array([o.stufenfrei for o in self.offers], dtype=object)
        self.precise = np.array([precision_rank(o.record.get("lage_genauigkeit")) for o in self.offers])
        self.names = np.array([o["name"].casefold() for o in self.offers], dtype=object)
        self.hours_text = [o["oeffnungszeiten"] for o in self.offers]

    # ------------------------------------------------------------------------------------ building

    @classmethod
    def build(cls, angebote: gpd.GeoDataFrame, bahnhoefe: gpd.GeoDataFrame | None = None,
              ohne_lage: pd.DataFrame | None = None, themen: Sequence[Thema] | None = None,
              zielgruppen: Sequence[Zielgruppe] | None = None, zugang: Zugangsregeln | None = None) -> OfferIndex:
        """Prepare the register (*angebote* with point geometries, any CRS; converted to EPSG:25832)."""
        themen = tuple(themen if themen is not None else load_themen())
        zielgruppen = tuple(zielgruppen if zielgruppen is not None else load_zielgruppen())
        zugang = zugang if zugang is not None else load_zugang()
        by_kat = thema_for_kategorie(themen)
        frame = angebote.to_crs(settings.METRIC_CRS) if angebote.crs is not None else angebote
        xs = frame.geometry.x.to_numpy(dtype=float) if len(frame) else np.empty(0)
        ys = frame.geometry.y.to_numpy(dtype=float) if len(frame) else np.empty(0)
        stations = _stations(bahnhoefe)
        nearest: list[Station | None] = [None] * len(frame)
        if stations is not None and len(frame):
            tree = cKDTree(stations[1])
            dist, idx = tree.query(np.column_stack([xs, ys]), k=1)
            recs = stations[0]
            for i, (d, j) in enumerate(zip(dist, idx, strict=True)):
                rec = recs[int(j)]
                nearest[i] = Station(name=rec["name"], ibnr=rec["ibnr"], stufenfrei=rec["stufenfrei"],
                                     x=float(stations[1][j, 0]), y=float(stations[1][j, 1]), distanz_m=float(d))
        offers = [
            _offer(rec, float(x), float(y), by_kat, zielgruppen, zugang, nearest[i])
            for i, (rec, x, y) in enumerate(zip(_records(frame), xs, ys, strict=True))
        ]
        unplaced = [] if ohne_lage is None else [
            _offer(rec, float("nan"), float("nan"), by_kat, zielgruppen, zugang, None) for rec in _records(ohne_lage)
        ]
        return cls(offers, unplaced, themen, zielgruppen)

    # ------------------------------------------------------------------------------------ filtering

    def mask(self, filt: Filter) -> np.ndarray:
        """Rows that pass topic and target-group filters (not step-free / opening hours)."""
        keep = np.ones(len(self.offers), dtype=bool)
        if filt.themen:
            keep &= np.isin(self.thema, list(filt.themen))
        if filt.zielgruppen:
            cols = [self._group_col[g] for g in filt.zielgruppen if g in self._group_col]
            wanted = self.groups[:, cols].any(axis=1) if cols else np.zeros(len(self.offers), dtype=bool)
            if filt.mit_allgemeinen and self.allgemein_cols:
                wanted |= self.groups[:, self.allgemein_cols].any(axis=1)
            keep &= wanted
        return keep

    def matches_unplaced(self, filt: Filter) -> tuple[Offer, ...]:
        """Offers without a location that fit the topic / group filter (shown separately)."""
        allgemein = {g.id for g in self.zielgruppen if g.allgemein}
        out = []
        for o in self.unplaced:
            if filt.themen and o.thema not in filt.themen:
                continue
            groups = set(o.zielgruppen)
            if filt.zielgruppen and not (groups & filt.zielgruppen or (filt.mit_allgemeinen and groups & allgemein)):
                continue
            if filt.nur_stufenfrei and o.stufenfrei != STUFENFREI_JA:
                continue
            out.append(o)
        return tuple(out)


def _stations(bahnhoefe: gpd.GeoDataFrame | None) -> tuple[list[dict[str, str]], np.ndarray] | None:
    if bahnhoefe is None or len(bahnhoefe) == 0:
        return None
    frame = bahnhoefe.to_crs(settings.METRIC_CRS)
    recs = [{"name": str(r.get("name", "")), "ibnr": str(r.get("ibnr", "")),
             "stufenfrei": "" if is_blank(r.get("stufenfrei")) else str(r.get("stufenfrei"))}
            for r in frame.drop(columns="geometry").to_dict("records")]
    return recs, np.column_stack([frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy()])


def _records(frame: pd.DataFrame) -> list[dict[str, str]]:
    cols = [c for c in REGISTER_FIELDS if c in frame.columns]
    return [{k: "" if is_blank(v) else str(v) for k, v in rec.items()} for rec in frame[cols].to_dict("records")]


def _offer(rec: dict[str, str], x: float, y: float, by_kat: Mapping[str, str], groups: Sequence[Zielgruppe],
           zugang: Zugangsregeln, station: Station | None) -> Offer:
    status, beleg = zugang.classify(rec)
    return Offer(record=rec, x=x, y=y, thema=by_kat.get(rec.get("kategorie", ""), SONSTIGES),
                 zielgruppen=groups_of(rec.get("kategorie", ""), rec.get("zielgruppe", ""), groups),
                 stufenfrei=status, stufenfrei_beleg=beleg, bahnhof=station)


# ---------------------------------------------------------------------------------------- search

def travel_minutes(weg_m: float | np.ndarray, params: Verkehrsparameter = DEFAULTS) -> dict[str, float | np.ndarray]:
    """Minutes per mode for a (detour-corrected) distance in metres – the engine's straight-line model
    (:meth:`Verkehrsparameter.zeit_luftlinie_min`: the calibrated car model when the build has one)."""
    luft = np.asarray(weg_m, dtype=float) / params.umwegfaktor
    return {mode: params.zeit_luftlinie_min(mode, luft) for mode in MODES}


def search(index: OfferIndex, x: float, y: float, filt: Filter = Filter(), day: date | None = None,
           limit: int = DEFAULT_LIMIT, params: Verkehrsparameter = DEFAULTS) -> SearchResult:
    """The *limit* nearest offers to (x, y) (EPSG:25832) that pass *filt*, nearest first.

    Ties (offers at the same Ortslage) are ordered by location precision (Ortslage before Gemeinde
    centre), then by name. "Open today" uses *day* (default: today) and never hides an offer whose hours
    are unknown: those follow the offers known to be open (nearest first within each group) and are
    counted in :attr:`SearchResult.zeiten_unbekannt`; only offers known to be closed are dropped.
    """
    day = day or date.today()
    keep = index.mask(filt)
    hidden_access = 0
    if filt.nur_stufenfrei:
        hidden_access = int((keep & (index.stufenfrei == STUFENFREI_UNBEKANNT)).sum())
        keep &= index.stufenfrei == STUFENFREI_JA
    rows = np.flatnonzero(keep)
    statuses: dict[str, DayStatus] = {}

    def status(i: int) -> DayStatus:
        text = index.hours_text[i]
        if text not in statuses:
            statuses[text] = status_on(text, day)
        return statuses[text]

    unknown_hours = open_today = 0
    group = np.zeros(len(rows), dtype=int)
    if filt.nur_heute_offen and len(rows):
        arts = np.array([status(int(i)).art for i in rows], dtype=object)
        keep_rows = (arts == OFFEN) | (arts == UNBEKANNT)
        unknown_hours = int((arts == UNBEKANNT).sum())
        open_today = int((arts == OFFEN).sum())
        group = (arts[keep_rows] == UNBEKANNT).astype(int)
        rows = rows[keep_rows]
    d = np.hypot(index.xy[rows, 0] - x, index.xy[rows, 1] - y) if len(rows) else np.empty(0)
    order = np.lexsort((index.names[rows], index.precise[rows], np.round(d, 1), group)) if len(rows) \
        else np.empty(0, int)
    top = order[: max(int(limit), 0)]
    hits = []
    for rank, j in enumerate(top, start=1):
        i = int(rows[j])
        luft = float(d[j])
        weg = luft * params.umwegfaktor
        hits.append(Hit(offer=index.offers[i], rang=rank, luftlinie_m=luft, weg_m=weg,
                        minuten={m: float(v) for m, v in travel_minutes(weg, params).items()}, heute=status(i)))
    return SearchResult(hits=tuple(hits), passend=int(len(rows)), tag=day, params=params,
                        ausgeblendet_stufenfrei_unbekannt=hidden_access, zeiten_unbekannt=unknown_hours,
                        heute_offen=open_today,
                        ohne_lage=index.matches_unplaced(filt))


def index_from_atlas(data: object) -> OfferIndex:
    """The :class:`OfferIndex` for an :class:`atlas.atlasdata.AtlasData`."""
    layers = data.layers  # type: ignore[attr-defined]
    return OfferIndex.build(layers[schema.OFFERS_LAYER], layers.get(schema.STATIONS_LAYER), layers.get(schema.UNPLACED_OFFERS_LAYER))
