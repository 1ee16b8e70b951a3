"""The Sozialraumprofil of one Gemeinde: population, estimated age groups, density, reachability,
offers in and near it, the nearest station, and its rank among all Gemeinden for every indicator.

Distances are measured in EPSG:25832 (metres). "Near" means: the offer's point lies at most
``radius_m`` from the Gemeinde's boundary (so the Gemeinde itself is included). The nearest station
is measured from the Gemeinde's population centre: the population-weighted mean of the centres of
its 1-km grid cells (Census 2021 grid); without populated cells, a point inside the polygon.

Our own straight-line estimate (:func:`straight_line_table`) uses only the public API of
:mod:`atlas.accessibility` and is optional: when that package cannot be used, the profile simply
has no such table and says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from atlas import schema
from atlas.atlasdata import AtlasData
from atlas.council._helpers import attribution_for, numeric
from atlas.council.compare import gemeinde_vs_kreis, kreis_value
from atlas.council.errors import CouncilError
from atlas.council.profile_stops import StopFacts
from atlas.indicator_choice import map_indicators
from atlas.errors import AtlasError
from atlas.indicators import Indicator, load_handlungsfelder

DEFAULT_RADIUS_M = 5000.0
AGE_GROUPS: tuple[tuple[str, str], ...] = (
    ("einw_u15", "unter 15 Jahre"),
    ("einw_15_64", "15 bis 64 Jahre"),
    ("einw_65plus", "65 Jahre und älter"),
)
ESTIMATE_NOTE = ("Altersgruppen sind geschätzt: Anteile aus dem 1-km-Raster (Census 2021), "
                 "auf die Einwohnerzahl des Zensus 2022 hochgerechnet.")
PROFILE_SOURCES = ["gemeinden", "zensus_gemeinden", "raster_1km", "angebote", "bahnhoefe", "da_gem1222"]


@dataclass(frozen=True)
class Altersgruppe:
    """One (estimated) age group."""

    label: str
    einwohner: int
    anteil: float  # percent of the Gemeinde's population


@dataclass(frozen=True)
class NaechsterBahnhof:
    """The station nearest to the population centre."""

    name: str
    ort: str
    distanz_m: float
    in_gemeinde: bool
    stufenfrei: str


@dataclass(frozen=True)
class Profil:
    """Everything the profile page and the PDF show for one Gemeinde."""

    ags: str
    name: str
    kreis_name: str
    einwohner: int
    flaeche_km2: float
    dichte: float
    kreis_dichte: float | None
    altersgruppen: list[Altersgruppe]
    erreichbarkeit: pd.DataFrame       # rows of gemeinde_vs_kreis for the p_* indicators
    angebote: pd.DataFrame              # Handlungsfeld, Kategorie, in der Gemeinde, im Umkreis
    angebote_gesamt: tuple[int, int]    # (in der Gemeinde, im Umkreis)
    angebote_ungefaehr: int             # offers in the Gemeinde placed only at its centre
    radius_m: float
    schwerpunkt: tuple[float, float]    # population centre, EPSG:25832
    bahnhof: NaechsterBahnhof | None
    bahnhoefe_in_gemeinde: list[str]
    raenge: pd.DataFrame                # rows of gemeinde_vs_kreis for every map indicator
    eigene_schaetzung: pd.DataFrame | None = None
    eigene_hinweis: str = ""
    quellen: list[str] = field(default_factory=list)
    haltestellen: StopFacts | None = None  # stops and catchment (atlas.council.profile_stops)

    @property
    def altersgruppen_hinweis(self) -> str:
        return ESTIMATE_NOTE


def reachability_indicators(indicators: Sequence[Indicator]) -> list[Indicator]:
    """The Deutschlandatlas reachability indicators (ids ``p_*``) among *indicators*."""
    return [ind for ind in indicators if ind.id.startswith("p_")]


def _row(gemeinden: pd.DataFrame, ags: str) -> pd.Series:
    match = gemeinden[gemeinden["ags"].astype(str) == str(ags)]
    if match.empty:
        raise CouncilError(f"Unbekannte Gemeinde (Gemeindeschlüssel {ags}).")
    return match.iloc[0]


def population_centre(cells: gpd.GeoDataFrame, polygon: shapely.Geometry, ags: str) -> tuple[float, float]:
    """Population-weighted mean of the centres of the cells with ``ags`` (metric CRS); a point on
    the polygon's surface when there are no populated cells."""
    own = cells[(cells["ags"].astype(str) == str(ags)) & (numeric(cells["einwohner"]) > 0)]
    if len(own):
        centres = own.geometry.centroid
        w = numeric(own["einwohner"]).to_numpy()
        return float(np.average(centres.x, weights=w)), float(np.average(centres.y, weights=w))
    point = polygon.point_on_surface()
    return float(point.x), float(point.y)


def offers_by_category(offers: gpd.GeoDataFrame, polygon: shapely.Geometry, ags: str,
                       radius_m: float = DEFAULT_RADIUS_M) -> pd.DataFrame:
    """Count offers per category in the Gemeinde (by its key) and within *radius_m* of its boundary.

    Columns ``Handlungsfeld``, ``Kategorie``, ``in der Gemeinde``, ``im Umkreis``; only categories
    with at least one offer in the radius; ordered by Handlungsfeld (strategy order) and category.
    """
    if offers.empty:
        return pd.DataFrame(columns=["Handlungsfeld", "Kategorie", "in der Gemeinde", "im Umkreis"])
    inside = offers["ags"].astype(str) == str(ags)
    near = offers.geometry.distance(polygon) <= radius_m
    frame = pd.DataFrame({"Handlungsfeld": offers["handlungsfeld"].astype(str).to_numpy(),
                          "Kategorie": offers["kategorie"].astype(str).to_numpy(),
                          "in der Gemeinde": inside.to_numpy().astype(int),
                          "im Umkreis": (near | inside).to_numpy().astype(int)})
    table = frame.groupby(["Handlungsfeld", "Kategorie"], as_index=False).sum()
    table = table[table["im Umkreis"] > 0]
    order = {h.label: i for i, h in enumerate(load_handlungsfelder())}
    table = table.assign(_o=table["Handlungsfeld"].map(order).fillna(99))
    return table.sort_values(["_o", "Kategorie"]).drop(columns="_o").reset_index(drop=True)


def offers_near_count(offers: gpd.GeoDataFrame, polygon: shapely.Geometry, ags: str,
                      radius_m: float = DEFAULT_RADIUS_M) -> int:
    """Number of offers in the Gemeinde or within *radius_m* of its boundary."""
    if offers.empty:
        return 0
    near = (offers.geometry.distance(polygon) <= radius_m) | (offers["ags"].astype(str) == str(ags))
    return int(near.sum())


def nearest_station(stations: gpd.GeoDataFrame, point: tuple[float, float], ags: str) -> NaechsterBahnhof | None:
    """The station nearest to *point* (metric CRS, straight line)."""
    if stations.empty:
        return None
    d = stations.geometry.distance(shapely.Point(point)).to_numpy()
    i = int(np.argmin(d))
    row = stations.iloc[i]
    return NaechsterBahnhof(name=str(row["name"]), ort=str(row.get("ort", "")), distanz_m=float(d[i]),
                            in_gemeinde=str(row.get("ags", "")) == str(ags),
                            stufenfrei=str(row.get("stufenfrei", "") or ""))


def straight_line_table(data: AtlasData) -> tuple[pd.DataFrame | None, str]:
    """Our own straight-line reachability estimate per Gemeinde and standard, or (None, reason).

    Uses :mod:`atlas.accessibility` (origins: populated 1-km cells in the Kreis; sites: offers of the
    standard's category; :class:`~atlas.accessibility.Luftlinie`). Columns: ``ags``, ``standard``,
    ``Angebot``, ``Maß`` (e.g. 'zu Fuß, km'), ``Mittel`` (population-weighted), ``Anteil jenseits (%)``,
    ``Verfahren``.
    """
    try:
        from atlas.accessibility import (
            Luftlinie,
            compute_reachability,
            evaluate,
            load_standards,
            prepare_origins,
            prepare_sites,
        )
    except ImportError as exc:  # the engine is optional for the profile
        return None, f"Eigene Schätzung nicht verfügbar ({exc})."
    try:
        cells = data[schema.GRID_LAYER]
        cells = cells[cells["in_kreis"].astype(bool)]
        origins = prepare_origins(cells)
        offers = data.angebote
        present = set(offers["kategorie"].astype(str))
        rows = []
        for std in load_standards().values():
            if std.kategorie not in present:
                continue
            verfahren = Luftlinie(std.mode)
            bew = evaluate(compute_reachability(origins, prepare_sites(offers, kategorie=std.kategorie),
                                                verfahren), std)
            per = bew.gemeinden()
            value_col = "distanz_m_mittel" if std.einheit == "km" else "zeit_min_mittel"
            factor = 1 / 1000.0 if std.einheit == "km" else 1.0
            for ags, rec in per.iterrows():
                rows.append({"ags": str(ags), "standard": std.id, "Angebot": std.kategorie,
                             "Standard": std.label, "Einheit": std.einheit,
                             "Mittel": float(rec[value_col]) * factor if pd.notna(rec[value_col]) else None,
                             "Anteil jenseits (%)": float(rec["anteil_einwohner_jenseits"]) * 100
                             if pd.notna(rec["anteil_einwohner_jenseits"]) else None,
                             "Verfahren": verfahren.beschreibung})
    except (AtlasError, KeyError, ValueError) as exc:
        return None, f"Eigene Schätzung nicht verfügbar: {exc}"
    note = ("Eigene Schätzung: Luftlinie mit Umwegfaktor von den bewohnten 1-km-Rasterzellen zum nächsten "
            "Angebot der Kategorie im Landkreis (Angebote nur ungefähr verortet, Angebote jenseits der "
            "Kreisgrenze nicht erfasst); Mittel gewichtet mit den Einwohnern.")
    return pd.DataFrame(rows), note


def build_profile(data: AtlasData, ags: str, *, radius_m: float = DEFAULT_RADIUS_M,
                  estimates: tuple[pd.DataFrame | None, str] | None = None,
                  stops: dict[str, StopFacts] | None = None) -> Profil:
    """The profile of Gemeinde *ags*. *estimates* is the result of :func:`straight_line_table`
    (computed once for all Gemeinden by the caller) or None to leave our own estimate out; *stops*
    the first part of :func:`atlas.council.profile_stops.stop_facts` (also computed once)."""
    gem = data.gemeinden
    row = _row(gem, ags)
    polygon = row.geometry
    einwohner = int(row["einwohner"])
    groups = [Altersgruppe(label, int(row[col]), float(row[col]) / einwohner * 100 if einwohner else float("nan"))
              for col, label in AGE_GROUPS if col in gem.columns and pd.notna(row[col])]
    indicators = map_indicators(gem.columns)
    ranks_table = gemeinde_vs_kreis(gem, data[schema.KREIS_LAYER], indicators, ags)
    reach_ids = [ind.id for ind in reachability_indicators(indicators)]
    reach = ranks_table[ranks_table["id"].isin(reach_ids)].reset_index(drop=True)
    offers = offers_by_category(data.angebote, polygon, ags, radius_m)
    in_gem = data.angebote[data.angebote["ags"].astype(str) == str(ags)]
    approx = int((in_gem["lage_genauigkeit"] == "gemeinde").sum()) if "lage_genauigkeit" in in_gem else 0
    centre = population_centre(data[schema.GRID_LAYER], polygon, ags)
    stations = data[schema.STATIONS_LAYER]
    own_stations = sorted(stations.loc[stations["ags"].astype(str) == str(ags), "name"].astype(str))
    dichte_ind = next((ind for ind in indicators if ind.id == "dichte"), None)
    kreis_dichte = kreis_value(gem, data[schema.KREIS_LAYER], dichte_ind).wert if dichte_ind else None
    own: pd.DataFrame | None = None
    own_note = "Eigene Schätzung nicht berechnet."
    if estimates is not None:
        table, own_note = estimates
        if table is not None:
            own = table[table["ags"] == str(ags)].drop(columns=["ags"]).reset_index(drop=True)
    return Profil(
        ags=str(ags), name=str(row["name"]), kreis_name=data.kreis_name, einwohner=einwohner,
        flaeche_km2=float(row["flaeche_km2"]), dichte=float(row["dichte"]), kreis_dichte=kreis_dichte,
        altersgruppen=groups, erreichbarkeit=reach, angebote=offers,
        angebote_gesamt=(len(in_gem), offers_near_count(data.angebote, polygon, ags, radius_m)),
        angebote_ungefaehr=approx, radius_m=float(radius_m), schwerpunkt=centre,
        bahnhof=nearest_station(stations, centre, ags), bahnhoefe_in_gemeinde=own_stations,
        raenge=ranks_table, eigene_schaetzung=own, eigene_hinweis=own_note,
        quellen=attribution_for(PROFILE_SOURCES) + (
            ["Haltestellen: DB InfraGO AG, CC BY 4.0; © OpenStreetMap-Mitwirkende (ODbL)"] if stops else []),
        haltestellen=(stops or {}).get(str(ags)),
    )
