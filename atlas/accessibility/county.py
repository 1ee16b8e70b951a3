"""The reachability engine applied to the built county data (:class:`~atlas.atlasdata.AtlasData`).

What the *Erreichbarkeit* page does, without Streamlit:

* origins: the populated 1-km cells of layer ``bevoelkerung_1km`` whose centre lies in the Kreis
  (``in_kreis``), with population, under 15 and 65+ from the grid and the Gemeinde key ``ags``;
* destinations: the offers of one ``kategorie`` (layer ``angebote``; placed only at Ortsteil or
  Gemeinde precision), the railway stations (``bahnhoefe``, also those up to 15 km outside the Kreis,
  because people cross the border), or only sites the user sets on the map;
* method: the road network when an ``.osm.pbf`` is configured (environment variable
  ``ATLAS_OSM_PBF``), otherwise the straight line × detour factor; the result says which;
* scenario: hypothetical sites added, existing sites closed, compared with the current state.

Everything is computed in EPSG:25832; map clicks arrive in EPSG:4326 and are converted here (pyproj).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer

from atlas import schema, settings
from atlas.accessibility.base import STATUS_OK, Verfahren
from atlas.accessibility.errors import AccessibilityError, NetworkError, NoSitesError
from atlas.accessibility.evaluation import Bewertung, compute_reachability, evaluate
from atlas.accessibility.network import Netz, RoadNetwork
from atlas.accessibility.origins import Origins, origins_from_layer, prepare_origins
from atlas.accessibility.osm import network_from_pbf
from atlas.accessibility.parameters import DEFAULTS, Verkehrsparameter
from atlas.accessibility.sites import Sites, sites_from_xy
from atlas.accessibility.standards import Standard
from atlas.accessibility.straightline import Luftlinie
from atlas.accessibility.service_levels import serving_mask
from atlas.accessibility.whatif import Delta, scenario_delta
from atlas.atlasdata import AtlasData
from atlas.settings import MAP_CRS, METRIC_CRS

#: Environment variable naming an OpenStreetMap ``.osm.pbf`` extract covering the Kreis.
OSM_PBF_ENV = settings.ENV_OSM_PBF
#: Destination choice: railway stations instead of an offer category.
ZIEL_BAHNHOEFE = "Bahnhöfe und Haltepunkte"
#: Destination choice: only sites the user sets on the map.
ZIEL_EIGENE = "Eigene Standorte (auf der Karte setzen)"
#: Prefix of the ids of hypothetical sites.
HYPOTHETISCH = "hypothetisch"

#: Cell classes of the map, in legend order, with their German label.
KLASSEN: dict[str, str] = {
    "innerhalb": "innerhalb des Standards",
    "jenseits": "jenseits des Standards",
    "neu_erreicht": "durch das Szenario erreicht",
    "neu_jenseits": "durch das Szenario jenseits",
    "ohne_ergebnis": "ohne Ergebnis (kein Anschluss ans Straßennetz)",
    "kein_standort": "kein Standort vorhanden",
}

_TO_METRIC = Transformer.from_crs(MAP_CRS, METRIC_CRS, always_xy=True)
_TO_MAP = Transformer.from_crs(METRIC_CRS, MAP_CRS, always_xy=True)


# ----------------------------------------------------------------------------------- configuration

def osm_pbf_path(value: str | None = None) -> Path | None:
    """The configured ``.osm.pbf`` (argument, else ``ATLAS_OSM_PBF``), or None when none is set.

    Raises :class:`NetworkError` when a path is set but the file does not exist.
    """
    text = value if value is not None else settings.osm_pbf_env()
    if not text.strip():
        return None
    path = Path(text).expanduser()
    if not path.is_file():
        raise NetworkError(
            f"Die in {OSM_PBF_ENV} angegebene OSM-Datei {str(path)!r} wurde nicht gefunden; "
            "es wird mit der Luftlinie gerechnet."
        )
    return path


def county_bbox_wgs84(data: AtlasData, buffer_m: float = 15_000.0) -> list[float]:
    """``[minx, miny, maxx, maxy]`` in degrees of the Kreis buffered by *buffer_m* (for reading OSM)."""
    outline = data[schema.KREIS_LAYER].to_crs(METRIC_CRS).buffer(buffer_m).to_crs(MAP_CRS)
    return [float(v) for v in outline.total_bounds]


def load_network(path: Path, mode: str, bbox: list[float] | None = None,
                 params: Verkehrsparameter = DEFAULTS) -> RoadNetwork:
    """The road network for *mode* from the ``.osm.pbf`` at *path* (limited to *bbox*)."""
    return network_from_pbf(path, mode, params, crs=METRIC_CRS, bounding_box=bbox)


def county_parameters(data: AtlasData) -> Verkehrsparameter:
    """Travel parameters for the built data: the travel model of ``geodata/standards.yaml`` plus the car
    model fitted by the build (``manifest.json``, key ``pkw_modell``; see :mod:`.calibration`)."""
    from atlas.accessibility.calibration import travel_parameters

    return travel_parameters(getattr(data, "manifest", None))


def make_verfahren(mode: str, network: RoadNetwork | None = None, params: Verkehrsparameter = DEFAULTS) -> Verfahren:
    """The network method on *network* if given, else the straight-line method."""
    if network is not None:
        if network.mode != mode:
            raise AccessibilityError(f"Das Straßennetz wurde für {network.mode!r} gebaut, nicht für {mode!r}.")
        return Netz(network, params)
    return Luftlinie(mode, params)


# ------------------------------------------------------------------------------ origins and sites

def _wohnorte(data: AtlasData) -> gpd.GeoDataFrame | None:
    layers = getattr(data, "layers", data)
    layer = layers.get(schema.RESIDENCES_LAYER) if isinstance(layers, dict) else None
    return layer if layer is not None and len(layer) else None


def county_cells(data: AtlasData) -> gpd.GeoDataFrame:
    """The areas the origins stand for (polygons, EPSG:25832), indexed like :func:`county_origins`:
    the parts of the 1-km cells around their settlement points (or the 100-m cells) of layer
    ``wohnorte`` when the build wrote it (index ``origin_id``, column ``grd_id`` = the 1-km cell), else
    the 1-km cells with their centre in the Kreis (index ``grd_id``)."""
    layer = _wohnorte(data)
    if layer is not None:
        return layer.set_index("origin_id", drop=False)
    grid = data[schema.GRID_LAYER]
    cells = grid[grid["in_kreis"].astype(bool)].copy()
    return cells.set_index("grd_id", drop=False)


def county_origins(data: AtlasData) -> Origins:
    """Origins where people live (layer ``wohnorte``, see :mod:`atlas.accessibility.origins`); for a
    build without that layer the populated 1-km cells in the Kreis, measured from the cell centre."""
    layer = _wohnorte(data)
    if layer is not None:
        return origins_from_layer(layer)
    return prepare_origins(county_cells(data), einwohner="einwohner", u15="u15", ue65="ue65", ags="ags")


def offer_categories(data: AtlasData) -> list[str]:
    """Offer categories present in the register (placed or not), sorted."""
    cats = set(data[schema.OFFERS_LAYER]["kategorie"].astype(str)) | set(data[schema.UNPLACED_OFFERS_LAYER]["kategorie"].astype(str))
    return sorted(c for c in cats if c)


def destination_options(data: AtlasData, standard_categories: Sequence[str] = ()) -> list[str]:
    """Destination choices: register categories, categories that only have a standard (to show
    that the register lacks them), the stations and the user's own sites."""
    cats = offer_categories(data)
    extra = sorted(set(standard_categories) - set(cats))
    return [*cats, *extra, ZIEL_BAHNHOEFE, ZIEL_EIGENE]


def site_records(data: AtlasData, ziel: str) -> gpd.GeoDataFrame:
    """The placed sites of destination *ziel* with ``id``, ``name``, ``ort``, ``lage_genauigkeit``,
    ``kategorie`` (EPSG:25832). Empty for :data:`ZIEL_EIGENE` and for a category without placed offers.
    A category's sites include offers of other categories that count for it by a rule
    (``zaehlt_auch_fuer`` in ``geodata/standards.yaml``, :mod:`atlas.accessibility.service_levels`)."""
    if ziel == ZIEL_EIGENE:
        return gpd.GeoDataFrame({"id": [], "name": [], "ort": [], "lage_genauigkeit": [], "kategorie": []},
                                geometry=gpd.GeoSeries([], crs=METRIC_CRS))
    if ziel == ZIEL_BAHNHOEFE:
        st = data[schema.STATIONS_LAYER]
        out = gpd.GeoDataFrame({
            "id": st["ibnr"].astype(str).to_numpy(),
            "name": st["name"].astype(str).to_numpy(),
            "ort": st["ort"].fillna("").astype(str).to_numpy(),
            "lage_genauigkeit": "adresse",
            "kategorie": ZIEL_BAHNHOEFE,
        }, geometry=st.geometry.to_numpy(), crs=st.crs)
        return out.to_crs(METRIC_CRS)
    offers = data[schema.OFFERS_LAYER]
    sel = offers[serving_mask(offers, ziel)]  # own category plus offers a rule adds (standards.yaml)
    return gpd.GeoDataFrame(sel[["id", "name", "ort", "lage_genauigkeit", "kategorie"]].astype(str),
                            geometry=sel.geometry, crs=offers.crs).to_crs(METRIC_CRS).reset_index(drop=True)


def unplaced_offers(data: AtlasData, kategorie: str) -> pd.DataFrame:
    """Offers of *kategorie* the build could not place (table ``angebote_ohne_lage``)."""
    frame = data[schema.UNPLACED_OFFERS_LAYER]
    return frame[frame["kategorie"] == kategorie]


def county_sites(data: AtlasData, ziel: str) -> Sites:
    """Sites of destination *ziel* (see :func:`site_records`).

    Raises :class:`NoSitesError` with a German message when there is none: for a category that the
    register does not contain, that it lacks it; for offers that exist but have no map position,
    how many there are; for :data:`ZIEL_EIGENE`, that sites must first be set on the map.
    """
    rec = site_records(data, ziel)
    if len(rec) == 0:
        if ziel == ZIEL_EIGENE:
            raise NoSitesError("Noch keine eigenen Standorte: Klicken Sie in die Karte, um Standorte zu setzen.")
        unplaced = unplaced_offers(data, ziel)
        if len(unplaced):
            raise NoSitesError(
                f"Die {len(unplaced)} Angebot(e) der Kategorie „{ziel}“ haben keine Kartenlage "
                f"({'; '.join(sorted(set(unplaced['grund'].astype(str))))}); die Erreichbarkeit kann nicht berechnet werden."
            )
        raise NoSitesError(
            f"Im Angebotsregister gibt es kein Angebot der Kategorie „{ziel}“. Ohne Standort kann die "
            "Erreichbarkeit nicht berechnet werden – jeder Wohnort liegt damit jenseits jedes Standards. "
            "Setzen Sie Standorte auf der Karte (Ziel „Eigene Standorte“) oder ergänzen Sie das Register."
        )
    xy = np.column_stack([rec.geometry.x.to_numpy(), rec.geometry.y.to_numpy()])
    kategorie = None if ziel in (ZIEL_BAHNHOEFE, ZIEL_EIGENE) else ziel
    return Sites(ids=rec["id"].astype(str).to_numpy(dtype=object), xy=xy, kategorie=kategorie, crs=METRIC_CRS)


def xy_from_lonlat(lonlat: Sequence[tuple[float, float]] | np.ndarray) -> np.ndarray:
    """Metric coordinates (n × 2, EPSG:25832) of (lon, lat) pairs in degrees."""
    arr = np.atleast_2d(np.asarray(lonlat, dtype=float)).reshape(-1, 2)
    x, y = _TO_METRIC.transform(arr[:, 0], arr[:, 1])
    return np.column_stack([x, y])


def lonlat_from_xy(xy: np.ndarray) -> np.ndarray:
    """(lon, lat) pairs in degrees of metric coordinates (EPSG:25832)."""
    arr = np.atleast_2d(np.asarray(xy, dtype=float)).reshape(-1, 2)
    lon, lat = _TO_MAP.transform(arr[:, 0], arr[:, 1])
    return np.column_stack([lon, lat])


def hypothetical_sites(lonlat: Sequence[tuple[float, float]]) -> Sites | None:
    """Hypothetical sites from map clicks (lon, lat), ids ``hypothetisch-1, -2, …``; None if none."""
    if len(lonlat) == 0:
        return None
    return sites_from_xy(xy_from_lonlat(lonlat), prefix=HYPOTHETISCH)


# ------------------------------------------------------------------------------------- the analysis

@dataclass(frozen=True)
class Analyse:
    """Current state (``basis``; None when there are no existing sites), the scenario (``aktuell``:
    with hypothetical sites added and closed sites removed; equal to ``basis`` without changes)
    and the change between them (``delta``; None without a scenario or without a basis)."""

    basis: Bewertung | None
    aktuell: Bewertung
    delta: Delta | None

    @property
    def szenario_aktiv(self) -> bool:
        """True when the scenario differs from the current state."""
        return self.delta is not None or self.basis is None

    @property
    def methode(self) -> str:
        """``"luftlinie"`` or ``"netz"``."""
        return self.aktuell.result.methode

    @property
    def methode_beschreibung(self) -> str:
        """German description of the method and its parameters."""
        return self.aktuell.result.methode_beschreibung


def analyse(
    origins: Origins,
    sites: Sites | None,
    verfahren: Verfahren,
    standard: Standard,
    *,
    add: Sites | None = None,
    remove: Sequence[str] = (),
) -> Analyse:
    """Evaluate the current state and the scenario (add *add*, close the sites *remove*).

    Raises :class:`NoSitesError` when there is no site at all (none existing and none added, or all
    closed).
    """
    if sites is None or len(sites) == 0:
        if add is None or len(add) == 0:
            raise NoSitesError("Es gibt keine Standorte; die Erreichbarkeit kann nicht berechnet werden.")
        if remove:
            raise AccessibilityError("Ohne bestehende Standorte kann kein Standort geschlossen werden.")
        return Analyse(None, evaluate(compute_reachability(origins, add, verfahren), standard), None)
    basis = evaluate(compute_reachability(origins, sites, verfahren), standard)
    if (add is None or len(add) == 0) and not remove:
        return Analyse(basis, basis, None)
    neu, d = scenario_delta(basis, verfahren, add=add, remove=list(remove) or None)
    return Analyse(basis, neu, d)


def cell_classes(a: Analyse) -> np.ndarray:
    """Class per origin (keys of :data:`KLASSEN`), in the order of the origins."""
    now = np.asarray(a.aktuell.jenseits, dtype=bool)
    ok = a.aktuell.result.costs.status == STATUS_OK
    out = np.where(now, "jenseits", "innerhalb").astype(object)
    if a.basis is not None and a.delta is not None:
        before = np.asarray(a.basis.jenseits, dtype=bool)
        out[before & ~now & ok] = "neu_erreicht"
        out[~before & now] = "neu_jenseits"
    out[~ok] = "ohne_ergebnis"
    return out


def _share_columns(cells: gpd.GeoDataFrame) -> list[str]:
    """Columns of the origin layer ``wohnorte`` that say which part of a cell an origin stands for."""
    return [c for c in ("origin_id", "anteil", "marker") if c in cells.columns]


def cell_results(a: Analyse, cells: gpd.GeoDataFrame, site_names: dict[str, str] | None = None) -> gpd.GeoDataFrame:
    """Per populated cell (polygon, EPSG:25832): population, distance (m), time (min), value in the
    unit of the standard, nearest site (id and name), beyond or not, the class and – with a
    scenario – the value before. Index ``grd_id``."""
    z = a.aktuell.zellen()
    out = cells.loc[z.index, ["grd_id", *_share_columns(cells), "geometry"]].copy()
    out["ags"] = z["ags"].to_numpy()
    for col in ("einwohner", "u15", "ue65", "distanz_m", "zeit_min", "wert", "einheit", "standort_id", "status",
                "jenseits", "methode", "verkehrsmittel", "standard_id"):
        out[col] = z[col].to_numpy()
    names = site_names or {}
    out["standort_name"] = [names.get(str(s), str(s)) if s is not None else "" for s in z["standort_id"]]
    out["klasse"] = cell_classes(a)
    if a.basis is not None and a.delta is not None:
        zb = a.basis.zellen()
        out["wert_vorher"] = zb["wert"].reindex(z.index).to_numpy()
        out["jenseits_vorher"] = zb["jenseits"].reindex(z.index).to_numpy()
    return gpd.GeoDataFrame(out, geometry="geometry", crs=cells.crs)


def cells_without_sites(origins: Origins, cells: gpd.GeoDataFrame, standard: Standard) -> gpd.GeoDataFrame:
    """Per-cell table like :func:`cell_results` for the case that there is no site at all: no
    distance, class ``kein_standort`` (the map still shows where people live)."""
    out = cells.loc[origins.index, ["grd_id", *_share_columns(cells), "geometry"]].copy()
    out["ags"] = origins.ags
    out["einwohner"], out["u15"], out["ue65"] = origins.einwohner, origins.u15, origins.ue65
    out["distanz_m"] = np.nan
    out["zeit_min"] = np.nan
    out["wert"] = np.nan
    out["einheit"] = standard.einheit
    out["standort_id"] = None
    out["standort_name"] = ""
    out["jenseits"] = False
    out["klasse"] = "kein_standort"
    out["standard_id"] = standard.id
    return gpd.GeoDataFrame(out, geometry="geometry", crs=cells.crs)


def source_keys(ziel: str) -> list[str]:
    """Keys of ``geodata/sources.yaml`` whose attribution the page and map must show for *ziel*."""
    keys = ["raster_1km", "gemeinden"]
    if ziel == ZIEL_BAHNHOEFE:
        keys.append("bahnhoefe")
    elif ziel != ZIEL_EIGENE:
        keys.append("angebote")
    return keys


#: Columns of the Gemeinde table and their German headings.
GEMEINDE_SPALTEN: dict[str, str] = {
    "rang": "Rang",
    "name": "Gemeinde",
    "ags": "AGS",
    "einwohner": "Einwohner (Raster)",
    "distanz_km_mittel": "Ø Entfernung (km)",
    "zeit_min_mittel": "Ø Zeit (min)",
    "einwohner_jenseits": "jenseits: Einwohner",
    "anteil_jenseits_prozent": "jenseits: Anteil (%)",
    "u15_jenseits": "jenseits: unter 15",
    "ue65_jenseits": "jenseits: 65 und älter",
    "einwohner_jenseits_vorher": "jenseits vorher",
    "einwohner_jenseits_delta": "Veränderung jenseits",
    "einwohner_ohne_ergebnis": "Einwohner ohne Ergebnis",
}


def gemeinde_table(a: Analyse, gemeinden: pd.DataFrame) -> pd.DataFrame:
    """One row per Gemeinde with cells, ranked by people beyond the standard (then share, name).

    Columns: see :data:`GEMEINDE_SPALTEN` (internal names). Means are population-weighted over the
    cells of the Gemeinde; ``rang`` is set only for Gemeinden with someone beyond (else NA). With a
    scenario the figures are those of the scenario, plus ``einwohner_jenseits_vorher`` and
    ``_delta``. ``einwohner_ohne_ergebnis`` appears only when some cell has no result.
    """
    g = a.aktuell.gemeinden()
    names = gemeinden.set_index(gemeinden["ags"].astype(str))["name"]
    out = pd.DataFrame(index=g.index)
    out["name"] = names.reindex(g.index).fillna("").to_numpy()
    out["ags"] = g.index.astype(str)
    out["einwohner"] = g["einwohner"].round().astype("int64")
    out["distanz_km_mittel"] = (g["distanz_m_mittel"] / 1000.0).round(2)
    out["zeit_min_mittel"] = g["zeit_min_mittel"].round(1)
    out["einwohner_jenseits"] = g["einwohner_jenseits"].round().astype("int64")
    out["anteil_jenseits_prozent"] = (g["anteil_einwohner_jenseits"] * 100.0).round(1)
    out["u15_jenseits"] = g["u15_jenseits"].round().astype("int64")
    out["ue65_jenseits"] = g["ue65_jenseits"].round().astype("int64")
    if a.delta is not None:
        d = a.delta.gemeinden
        out["einwohner_jenseits_vorher"] = d["einwohner_jenseits_vorher"].reindex(g.index).round().astype("int64")
        out["einwohner_jenseits_delta"] = d["einwohner_jenseits_delta"].reindex(g.index).round().astype("int64")
    if float(g["einwohner_ohne_ergebnis"].sum()) > 0:
        out["einwohner_ohne_ergebnis"] = g["einwohner_ohne_ergebnis"].round().astype("int64")
    out = out.sort_values(["einwohner_jenseits", "anteil_jenseits_prozent", "name"],
                          ascending=[False, False, True], kind="stable")
    rank = pd.array([pd.NA] * len(out), dtype="Int64")
    has = out["einwohner_jenseits"].to_numpy() > 0
    rank[has] = np.arange(1, int(has.sum()) + 1)
    out.insert(0, "rang", rank)
    return out.reset_index(drop=True)


def totals(a: Analyse) -> dict[str, float]:
    """Key figures for the whole Kreis: people (all, under 15, 65+) beyond the standard, their share,
    and – with a scenario – the same before (``…_vorher``)."""
    now = a.aktuell.gesamt()
    out = {k: float(now[k]) for k in ("einwohner", "einwohner_jenseits", "u15_jenseits", "ue65_jenseits",
                                      "anteil_einwohner_jenseits", "einwohner_ohne_ergebnis")}
    if a.delta is not None and a.basis is not None:
        before = a.basis.gesamt()
        for k in ("einwohner_jenseits", "u15_jenseits", "ue65_jenseits", "anteil_einwohner_jenseits"):
            out[f"{k}_vorher"] = float(before[k])
    return out
