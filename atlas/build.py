"""The build pipeline: source files → one GeoPackage (``atlas.gpkg``) + ``manifest.json``.

Layers written (all geometries in the metric CRS EPSG:25832):

``gemeinden``           the Gemeinden of the Kreis with AGS, name, area, Zensus 2022 population, estimated
                        age groups and the Deutschlandatlas indicators of the catalogue;
``kreis``               the Kreis outline (dissolved Gemeinden) with the Kreis indicators;
``nachbar_gemeinden``   Gemeinden around the Kreis for context (VG250-EW; Bavaria from VG5000 2021);
``nachbar_kreise``      neighbouring Kreise (VG5000 2021);
``bevoelkerung_1km``    populated 1 km cells (Census 2021 grid) with age groups and the Gemeinde of the centroid;
``orte``                GeoNames localities (gazetteer);
``bahnhoefe``           railway stations;
``haltestellen``        public transport stops (bus, tram, rail; see :mod:`atlas.stops` for the columns);
``angebote``            offers of the register at the best precision available (see :mod:`atlas.placement`);
``angebote_ohne_lage``  offers that could not be placed, with the reason (attribute table).

Age groups per Gemeinde (documented rule, shown as an estimate in the UI): each populated grid cell is
split over the Gemeinden it overlaps in proportion to the overlapping area; the shares of the three
age groups summed this way are applied to the Zensus 2022 Gemeinde total and rounded with the
largest-remainder method, so that the groups add up to the official total.

The build is idempotent and atomic: everything is computed and validated first, written to temporary
files in the target folder, then moved into place. A failure leaves the previous build untouched.

Concurrent builds (two editors pressing "Karten jetzt aktualisieren", build threads in one Streamlit
process, or a command-line build next to the app) are serialised by a lock file ``.atlas-build.lock`` in
the data folder (:func:`build_lock`, package ``filelock``: a well-kept cross-platform lock that works
between processes *and* between threads of one process, released by the OS when a process dies – a
hand-written ``fcntl`` lock would do neither on Windows nor across threads sharing one descriptor). Every
build writes into its own temporary folder (``tempfile.mkdtemp`` in the data folder, so the final
``os.replace`` stays on one file system and is atomic); readers see the previous GeoPackage until the new
one is complete. Temporary files left by a killed build are removed by the next build, under the lock.
"""

from __future__ import annotations

import functools
import inspect
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from filelock import FileLock, Timeout

from atlas import schema, settings
from atlas._helpers import file_sha256, normalise_name
from atlas.errors import BuildError, SourceError
from atlas.indicators import Indicator, load_catalogue
from atlas.placement import PlacementContext, PlacementResult, finish, make_context, place_offers
from atlas.sources import Source, load_sources, read_table, read_vector
from atlas.stops import build_stops

LOG = logging.getLogger(__name__)

NO_DATA = -9999.0

#: Layer names in the GeoPackage (defined in :mod:`atlas.schema`, re-exported here for existing imports).
LAYER_NAMES = schema.LAYER_NAMES


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    gpkg: Path
    manifest: Path
    manifest_data: dict


# --------------------------------------------------------------------------------------------- reading

def _read_all(folder: Path) -> dict[str, pd.DataFrame]:
    """Read every source; missing or broken files raise :class:`SourceError` before anything is built."""
    frames: dict[str, pd.DataFrame] = {}
    for key, source in load_sources().items():
        if source.format == "vector":
            frames[key] = read_vector(source, folder)
        else:
            frames[key] = read_table(source, folder)
    return frames


def _to_metric(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame.to_crs(settings.METRIC_CRS)


def _valid(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Repair invalid polygons (make_valid keeps the area), keep polygonal parts only."""
    invalid = ~frame.geometry.is_valid
    if invalid.any():
        repaired = shapely.make_valid(frame.geometry[invalid].to_numpy())
        repaired = [shapely.union_all(shapely.get_parts(g)[shapely.get_type_id(shapely.get_parts(g)) >= 3])
                    for g in repaired]
        frame = frame.copy()
        frame.loc[invalid, frame.geometry.name] = repaired
    return frame


# ----------------------------------------------------------------------------------------- Gemeinden

def _zensus_population(zensus: pd.DataFrame, kreis: str, source: Source) -> pd.Series:
    """Zensus 2022 population by 8-digit AGS (from the 12-digit ARS) for the Kreis."""
    ars = zensus["1_variable_attribute_code"].astype(str).str.strip()
    rows = zensus[ars.str.startswith(kreis)].copy()
    if rows.empty:
        raise SourceError(f"Quelldatei {source.datei} enthält keine Gemeinde des Kreises {kreis}.")
    values = pd.to_numeric(rows["value"], errors="coerce")
    bad = values.isna()
    if bad.any():
        line = int(rows.index[bad.to_numpy()][0]) + 2
        raise SourceError(f"Quelldatei {source.datei}, Zeile {line}, Feld 'value': keine gültige Einwohnerzahl.")
    ars12 = rows["1_variable_attribute_code"].astype(str)
    ags = ars12.str[:5] + ars12.str[-3:]
    return pd.Series(values.astype(int).to_numpy(), index=ags.to_numpy(), name="einwohner")


def _largest_remainder(total: int, shares: np.ndarray) -> np.ndarray:
    """Integers proportional to *shares* that sum exactly to *total*."""
    raw = shares / shares.sum() * total
    floor = np.floor(raw).astype(int)
    rest = total - floor.sum()
    order = np.argsort(-(raw - floor), kind="stable")
    floor[order[:rest]] += 1
    return floor


def _age_groups(gemeinden: gpd.GeoDataFrame, grid: gpd.GeoDataFrame) -> pd.DataFrame:
    """Estimated age groups per Gemeinde (see module docstring for the rule)."""
    cells = grid[["u15", "a15_64", "ue65", "geometry"]].copy()
    cells["cell_area"] = cells.geometry.area
    pieces = gpd.overlay(cells, gemeinden[["ags", "geometry"]], how="intersection", keep_geom_type=True)
    weight = pieces.geometry.area / pieces["cell_area"]
    sums = pieces[["u15", "a15_64", "ue65"]].multiply(weight, axis=0).groupby(pieces["ags"]).sum()
    rows = []
    for ags, total in zip(gemeinden["ags"], gemeinden["einwohner"], strict=True):
        shares = sums.loc[ags].to_numpy(dtype=float) if ags in sums.index else np.zeros(3)
        if shares.sum() <= 0:
            raise BuildError(f"Für die Gemeinde {ags} liegen im 1-km-Raster keine Altersangaben vor.")
        u15, mid, old = _largest_remainder(int(total), shares)
        rows.append({"ags": ags, "einw_u15": u15, "einw_15_64": mid, "einw_65plus": old,
                     "raster_einwohner_gewichtet": round(float(shares.sum()), 1)})
    frame = pd.DataFrame(rows).set_index("ags")
    frame["anteil_u15"] = (frame["einw_u15"] / gemeinden.set_index("ags")["einwohner"] * 100).round(1)
    frame["anteil_65plus"] = (frame["einw_65plus"] / gemeinden.set_index("ags")["einwohner"] * 100).round(1)
    return frame


def _numeric_indicator(values: pd.Series, indicator: Indicator) -> pd.Series:
    if indicator.werttyp == "klasse":
        return values.astype("string")
    numbers = pd.to_numeric(values, errors="coerce")
    return numbers.mask(numbers == NO_DATA)


def _verband_name(name: str) -> str:
    return normalise_name(str(name).split(",")[0])


def _join_indicators(
    gemeinden: pd.DataFrame,
    frames: dict[str, pd.DataFrame],
    sources: dict[str, Source],
    verband_of: dict[str, str],
    catalogue: tuple[Indicator, ...],
    level: str,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Attach the catalogue's indicators of *level* ('gemeinde' or 'gemeindeverband') to *gemeinden*."""
    by_file = {s.datei: s for s in sources.values()}
    coverage: dict[str, int] = {}
    out = gemeinden.copy()
    # Crosswalk of older 8-digit Gemeindeverband keys to the 9-digit keys, by name within the Kreis.
    names_9: dict[tuple[str, str], str] = {}
    if "da_vbgem1222" in frames:
        v22 = frames["da_vbgem1222"]
        for key, name in zip(v22["VBG1222"], v22["Gemeindeverbandsname"], strict=True):
            names_9[(str(key)[:5], _verband_name(name))] = str(key)
    for indicator in catalogue:
        if indicator.ebene != level or not indicator.datei:
            continue
        source = by_file.get(indicator.datei)
        if source is None or not source.verknuepfen or source.key not in frames:
            continue
        table = frames[source.key]
        if indicator.spalte not in table.columns:
            raise SourceError(
                f"Quelldatei {source.datei} ist fehlerhaft: es fehlt die Spalte '{indicator.spalte}' "
                f"(Indikator '{indicator.id}' im Katalog)."
            )
        keys = table[source.schluessel].astype(str)
        if level == "gemeindeverband" and keys.str.len().max() == 8:
            name_col = "Gemeindeverbandsname"
            keys = pd.Series([names_9.get((k[:5], _verband_name(n)), "") for k, n in
                              zip(keys, table[name_col], strict=True)], index=table.index)
        values = _numeric_indicator(table[indicator.spalte], indicator)
        lookup = pd.Series(values.to_numpy(), index=keys.to_numpy())
        lookup = lookup[~lookup.index.duplicated()]
        join_keys = out["ags"] if level == "gemeinde" else out["ags"].map(verband_of)
        out[indicator.id] = join_keys.map(lookup).to_numpy()
        coverage[indicator.id] = int(pd.notna(out[indicator.id]).sum())
    return out, coverage


def _build_gemeinden(frames: dict[str, pd.DataFrame], sources: dict[str, Source], kreis: str,
                     grid: gpd.GeoDataFrame, catalogue: tuple[Indicator, ...]
                     ) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, dict[str, int]]:
    vg250 = _valid(_to_metric(frames["gemeinden"]))
    vg250["ags"] = vg250["ags"].astype(str).str.zfill(8)
    own = vg250[vg250["ags"].str.startswith(kreis)].copy()
    if own.empty:
        raise SourceError(
            f"Quelldatei {sources['gemeinden'].datei} enthält keine Gemeinde mit Kreisschlüssel {kreis}."
        )
    population = _zensus_population(frames["zensus_gemeinden"], kreis, sources["zensus_gemeinden"])
    missing = sorted(set(own["ags"]) - set(population.index))
    extra = sorted(set(population.index) - set(own["ags"]))
    if missing or extra:
        raise BuildError(
            "Gemeindegrenzen und Zensus passen nicht zusammen: "
            + (f"ohne Zensuszahl: {', '.join(missing)}; " if missing else "")
            + (f"ohne Grenze: {', '.join(extra)}" if extra else "")
        )
    gem = gpd.GeoDataFrame({
        "ags": own["ags"].to_numpy(),
        "name": own["name"].astype(str).to_numpy(),
        "flaeche_km2": (own.geometry.area / 1e6).round(2).to_numpy(),
        "einwohner": own["ags"].map(population).astype(int).to_numpy(),
    }, geometry=own.geometry.to_numpy(), crs=settings.METRIC_CRS)
    gem["dichte"] = (gem["einwohner"] / gem["flaeche_km2"]).round(1)
    ages = _age_groups(gem, grid)
    gem = gem.join(ages, on="ags")
    gem["altersgruppen_geschaetzt"] = True

    vg5000 = frames["vg5000_gem"]
    verband_of = {str(a): str(r)[:9] for a, r in zip(vg5000["AGS"], vg5000["ARS"], strict=True)}
    gem, cov_g = _join_indicators(gem, frames, sources, verband_of, catalogue, "gemeinde")
    gem, cov_v = _join_indicators(gem, frames, sources, verband_of, catalogue, "gemeindeverband")
    gem["verband_ars"] = gem["ags"].map(verband_of)
    gem = gem.sort_values("name", key=lambda s: s.map(normalise_name)).reset_index(drop=True)

    # Neighbours: VG250-EW outside the Kreis, plus VG5000 Gemeinden of Länder VG250 does not cover here.
    others = vg250[~vg250["ags"].str.startswith(kreis)]
    neighbours = gpd.GeoDataFrame({
        "ags": others["ags"].to_numpy(), "name": others["name"].astype(str).to_numpy(),
        "kreis_name": others["county"].astype(str).to_numpy(),
        "grenzen_quelle": "VG250-EW",
    }, geometry=others.geometry.to_numpy(), crs=settings.METRIC_CRS)
    covered_laender = set(vg250["ags"].str[:2])
    v5 = _valid(_to_metric(vg5000))
    v5 = v5[~v5["AGS"].astype(str).str[:2].isin(covered_laender)]
    if not v5.empty:
        krs_names = dict(zip(frames["vg5000_krs"]["AGS"].astype(str), frames["vg5000_krs"]["GEN"], strict=True))
        extra_n = gpd.GeoDataFrame({
            "ags": v5["AGS"].astype(str).to_numpy(), "name": v5["GEN"].astype(str).to_numpy(),
            "kreis_name": v5["AGS"].astype(str).str[:5].map(krs_names).fillna("").to_numpy(),
            "grenzen_quelle": "VG5000 (Stand 01.01.2021, grob)",
        }, geometry=v5.geometry.to_numpy(), crs=settings.METRIC_CRS)
        neighbours = pd.concat([neighbours, extra_n], ignore_index=True)
    return gem, gpd.GeoDataFrame(neighbours, crs=settings.METRIC_CRS), {**cov_g, **cov_v}


def _build_kreis(gem: gpd.GeoDataFrame, frames: dict[str, pd.DataFrame], sources: dict[str, Source],
                 kreis: str, catalogue: tuple[Indicator, ...]
                 ) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, dict[str, int]]:
    krs = _valid(_to_metric(frames["vg5000_krs"]))
    krs["AGS"] = krs["AGS"].astype(str)
    own = krs[krs["AGS"] == kreis]
    name = f"{own['BEZ'].iloc[0]} {own['GEN'].iloc[0]}" if not own.empty else f"Kreis {kreis}"
    outline = shapely.coverage_union_all(gem.geometry.to_numpy())
    attrs: dict[str, object] = {
        "ags": kreis, "name": name, "einwohner": int(gem["einwohner"].sum()),
        "flaeche_km2": round(float(outline.area / 1e6), 2),
        "einw_u15": int(gem["einw_u15"].sum()), "einw_65plus": int(gem["einw_65plus"].sum()),
    }
    coverage: dict[str, int] = {}
    by_file = {s.datei: s for s in sources.values()}
    for indicator in catalogue:
        if indicator.ebene != "kreis" or not indicator.datei:
            continue
        source = by_file.get(indicator.datei)
        if source is None or source.key not in frames or not source.verknuepfen:
            continue
        table = frames[source.key]
        if indicator.spalte not in table.columns:
            raise SourceError(f"Quelldatei {source.datei} ist fehlerhaft: es fehlt die Spalte '{indicator.spalte}'.")
        row = table[table[source.schluessel].astype(str).str[:5] == kreis]
        value = _numeric_indicator(row[indicator.spalte], indicator)
        attrs[indicator.id] = value.iloc[0] if len(value) else None
        coverage[indicator.id] = int(len(value) > 0 and pd.notna(value.iloc[0]))
    kreis_frame = gpd.GeoDataFrame([attrs], geometry=[outline], crs=settings.METRIC_CRS)
    nachbarn = krs[krs["AGS"] != kreis]
    nachbar_kreise = gpd.GeoDataFrame({
        "ags": nachbarn["AGS"].to_numpy(),
        "name": (nachbarn["BEZ"].astype(str) + " " + nachbarn["GEN"].astype(str)).to_numpy(),
    }, geometry=nachbarn.geometry.to_numpy(), crs=settings.METRIC_CRS)
    return kreis_frame, nachbar_kreise, coverage


# ------------------------------------------------------------------------------------ points and grid

def _build_grid(raw: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    grid = _to_metric(raw)
    return gpd.GeoDataFrame({
        "grd_id": raw["GRD_ID"].astype(str).to_numpy(),
        "einwohner": pd.to_numeric(raw["T"]).astype(int).to_numpy(),
        "u15": pd.to_numeric(raw["Y_LT15"]).astype(int).to_numpy(),
        "a15_64": pd.to_numeric(raw["Y_1564"]).astype(int).to_numpy(),
        "ue65": pd.to_numeric(raw["Y_GE65"]).astype(int).to_numpy(),
    }, geometry=grid.geometry.to_numpy(), crs=settings.METRIC_CRS)


def _assign_ags(points: gpd.GeoSeries, areas: gpd.GeoDataFrame) -> np.ndarray:
    """AGS of the polygon each point lies in ('' outside all)."""
    frame = gpd.GeoDataFrame(geometry=points.reset_index(drop=True), crs=points.crs)
    joined = gpd.sjoin(frame, areas[["ags", "geometry"]], how="left", predicate="within")
    joined = joined[~joined.index.duplicated()]
    return joined["ags"].fillna("").astype(str).to_numpy()


def _build_orte(raw: pd.DataFrame, all_gemeinden: gpd.GeoDataFrame, kreis: str) -> gpd.GeoDataFrame:
    lat = pd.to_numeric(raw["latitude"], errors="coerce")
    lon = pd.to_numeric(raw["longitude"], errors="coerce")
    keep = lat.notna() & lon.notna()
    pts = gpd.GeoSeries(gpd.points_from_xy(lon[keep], lat[keep]), crs=settings.MAP_CRS).to_crs(settings.METRIC_CRS)
    orte = gpd.GeoDataFrame({
        "name": raw.loc[keep, "place_name"].astype(str).to_numpy(),
        "plz": raw.loc[keep, "postal_code"].astype(str).str.zfill(5).to_numpy(),
        "kreis_schluessel": raw.loc[keep, "admin_code3"].fillna("").astype(str).to_numpy(),
        "kreis_name": raw.loc[keep, "admin_name3"].fillna("").astype(str).to_numpy()
        if "admin_name3" in raw.columns else "",
    }, geometry=pts.to_numpy(), crs=settings.METRIC_CRS)
    orte["ags"] = _assign_ags(orte.geometry, all_gemeinden)
    orte["in_kreis"] = orte["ags"].str.startswith(kreis)
    return orte


def _build_bahnhoefe(raw: gpd.GeoDataFrame, all_gemeinden: gpd.GeoDataFrame, kreis: str) -> gpd.GeoDataFrame:
    metric = _to_metric(raw)
    stations = gpd.GeoDataFrame({
        "ibnr": raw["ibnr"].astype(str).to_numpy(),
        "name": raw["name"].astype(str).to_numpy(),
        "kategorie": pd.to_numeric(raw["category"], errors="coerce").to_numpy(),
        "strasse": raw["street"].fillna("").astype(str).to_numpy(),
        "plz": raw["zipcode"].fillna("").astype(str).to_numpy(),
        "ort": raw["city"].fillna("").astype(str).to_numpy(),
        "stufenfrei": raw["has_stepless_access"].fillna("unbekannt").astype(str)
        .map({"yes": "ja", "no": "nein", "partial": "teilweise"}).fillna("unbekannt").to_numpy(),
    }, geometry=metric.geometry.to_numpy(), crs=settings.METRIC_CRS)
    stations["ags"] = _assign_ags(stations.geometry, all_gemeinden)
    stations["in_kreis"] = stations["ags"].str.startswith(kreis)
    return stations


OFFER_COLUMNS = list(schema.OFFER_COLUMNS)


def _build_angebote(raw: pd.DataFrame, gem: gpd.GeoDataFrame, context: PlacementContext, source: Source
                    ) -> tuple[gpd.GeoDataFrame, pd.DataFrame, list[dict[str, str]], PlacementResult]:
    ids = raw["id"]
    if ids.isna().any():
        line = int(ids.isna().to_numpy().argmax()) + 2
        raise SourceError(f"Quelldatei {source.datei}, Zeile {line}, Feld 'id': die Kennung fehlt.")
    dup = ids[ids.duplicated()]
    if not dup.empty:
        line = int(dup.index[0]) + 2
        raise SourceError(f"Quelldatei {source.datei}, Zeile {line}, Feld 'id': Kennung '{dup.iloc[0]}' ist doppelt.")
    names = raw["name"]
    if names.isna().any():
        line = int(names.isna().to_numpy().argmax()) + 2
        raise SourceError(f"Quelldatei {source.datei}, Zeile {line}, Feld 'name': der Name fehlt.")
    offers = raw[OFFER_COLUMNS].astype(object).where(raw[OFFER_COLUMNS].notna(), "")
    result = place_offers(offers, gem, confidential=source.vertraulich, context=context)
    placed = result.placed
    placed["zuletzt_geprueft"] = ""
    unplaced = result.unplaced
    if unplaced.empty:
        unplaced = pd.DataFrame(columns=[*OFFER_COLUMNS, "grund"])
    unplaced.insert(len(OFFER_COLUMNS), "zuletzt_geprueft", "")
    if len(placed) + len(unplaced) != len(raw):
        raise BuildError("Beim Verorten der Angebote sind Zeilen verloren gegangen.")
    return placed, unplaced, result.notes, result


def _register_offers(url: str, gem: gpd.GeoDataFrame, source: Source, context: PlacementContext
                     ) -> tuple[gpd.GeoDataFrame, pd.DataFrame, object] | None:
    """Offers from the register store at *url* (active ones), or None when there is no store with offers.

    Positions set by a person or a geocoder (``punkt``, ``adresse``) are kept; all other offers are placed
    anew by the cascade of :mod:`atlas.placement` from their address fields, so better source data (e.g. the
    stop register) improve them at every build. Offers with a protected address are never placed.
    """
    from atlas.register.store import RegisterStore

    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        return None
    store = RegisterStore.open(url)
    try:
        records = store.offers()
    finally:
        store.dispose()
    if not records:
        return None
    rows = [{**{col: ("" if rec.get(col) is None else str(rec.get(col))) for col in OFFER_COLUMNS},
             "zuletzt_geprueft": str(rec.get("zuletzt_geprueft") or ""), "lon": rec.get("lon"), "lat": rec.get("lat"),
             "lage_genauigkeit": str(rec.get("lage_genauigkeit") or ""), "lage_hinweis": str(rec.get("lage_hinweis") or "")}
            for rec in records]
    frame = pd.DataFrame(rows).drop(columns=["lage_hinweis"]).astype(object)
    result = place_offers(frame, gem, confidential=source.vertraulich, context=context)
    placed = result.placed
    if len(placed):
        inside = _assign_ags(placed.geometry, gem)
        placed["ags"] = [a or old for a, old in zip(inside, placed["ags"], strict=True)]
    unplaced = result.unplaced.reindex(columns=[*OFFER_COLUMNS, "zuletzt_geprueft", "grund"])
    return placed, unplaced, result


# --------------------------------------------------------------------------------------------- checks

def _validate(layers: dict[str, pd.DataFrame], population_total: int) -> None:
    for name, frame in layers.items():
        if isinstance(frame, gpd.GeoDataFrame):
            if frame.crs is None or frame.crs.to_string() != settings.METRIC_CRS:
                raise BuildError(f"Ebene {name}: Koordinatensystem ist nicht {settings.METRIC_CRS}.")
            bad = ~frame.geometry.is_valid
            if bad.any():
                raise BuildError(f"Ebene {name}: Objekt {int(bad.to_numpy().argmax()) + 1} hat eine ungültige Geometrie.")
    gem = layers[schema.GEMEINDEN_LAYER]
    if gem["ags"].duplicated().any():
        raise BuildError(f"Ebene gemeinden: AGS {gem.loc[gem['ags'].duplicated(), 'ags'].iloc[0]} ist doppelt.")
    if int(gem["einwohner"].sum()) != population_total:
        raise BuildError("Ebene gemeinden: Einwohnersumme weicht von der Zensussumme ab.")
    age_sum = gem[["einw_u15", "einw_15_64", "einw_65plus"]].sum(axis=1)
    if not (age_sum == gem["einwohner"]).all():
        raise BuildError("Ebene gemeinden: Altersgruppen ergeben nicht die Einwohnerzahl.")


# ---------------------------------------------------------------------------------------------- write

#: Lock file of the build in the data folder (see module docstring).
LOCK_NAME = ".atlas-build.lock"
#: Prefix of the per-build temporary folders (and of the old per-process temporary files).
TMP_PREFIX = ".atlas-build-"
_OLD_TMP_PATTERNS = (".atlas-tmp*.gpkg", f".{settings.MANIFEST_NAME}.tmp*")
#: Seconds a build waits for another one to finish before giving up.
LOCK_TIMEOUT_S = 900.0


class BuildBusy(BuildError):
    """Another build holds the lock for longer than the caller wanted to wait."""


@contextmanager
def build_lock(data: str | os.PathLike[str], timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the build lock of the data folder *data* (across processes and threads); :class:`BuildBusy`
    (German) after *timeout* seconds."""
    folder = Path(data)
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(folder / LOCK_NAME), thread_local=False, is_singleton=False)
    try:
        lock.acquire(timeout=timeout)
    except Timeout as exc:
        raise BuildBusy("Die Daten werden gerade von jemand anderem neu aufbereitet. "
                        "Bitte in ein paar Minuten erneut versuchen.") from exc
    try:
        yield
    finally:
        lock.release()


def remove_stale_temporaries(out_dir: Path) -> list[str]:
    """Remove temporary files of killed builds in *out_dir*; call only while holding :func:`build_lock`
    (then no other build is writing). Returns the names removed."""
    removed: list[str] = []
    if not out_dir.is_dir():
        return removed
    for path in out_dir.glob(f"{TMP_PREFIX}*"):
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        removed.append(path.name)
    for pattern in _OLD_TMP_PATTERNS:
        for path in out_dir.glob(pattern):
            path.unlink(missing_ok=True)
            removed.append(path.name)
    if removed:
        LOG.warning("Reste abgebrochener Builds entfernt: %s", ", ".join(sorted(removed)))
    return removed


def _serialised(func: Callable[..., BuildResult]) -> Callable[..., BuildResult]:
    """Run the build under :func:`build_lock` of its data folder, after removing stale temporaries."""
    signature = inspect.signature(func)

    @functools.wraps(func)
    def wrapper(*args: object, **kwargs: object) -> BuildResult:
        bound = signature.bind(*args, **kwargs)
        out_dir = settings.data_dir(bound.arguments.get("data"))  # type: ignore[arg-type]
        with build_lock(out_dir):
            remove_stale_temporaries(out_dir)
            return func(*args, **kwargs)

    return wrapper


def _write(layers: dict[str, pd.DataFrame], target: Path) -> None:
    if target.exists():
        target.unlink()
    for name in dict.fromkeys([*LAYER_NAMES, *layers]):  # the schema's layers (required), then any further one
        frame = layers[name]
        if isinstance(frame, gpd.GeoDataFrame):
            pyogrio.write_dataframe(frame, target, layer=name, driver="GPKG")
        else:
            pyogrio.write_dataframe(frame.astype(str), target, layer=name, driver="GPKG")


def _publish(layers: dict[str, pd.DataFrame], manifest_data: dict, gpkg: Path, manifest: Path) -> None:
    """Write into a temporary folder of this build, then move GeoPackage and manifest into place."""
    work = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=gpkg.parent))
    try:
        tmp_gpkg, tmp_manifest = work / gpkg.name, work / manifest.name
        _write(layers, tmp_gpkg)
        tmp_manifest.write_text(json.dumps(manifest_data, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp_gpkg, gpkg)
        os.replace(tmp_manifest, manifest)
    finally:
        shutil.rmtree(work, ignore_errors=True)


@_serialised
def build(source: str | os.PathLike[str] | None = None, data: str | os.PathLike[str] | None = None,
          kreis: str | None = None, register_url: str | None = None, use_register: bool = True) -> BuildResult:
    """Build the GeoPackage from *source* into *data* for Kreis *kreis* (see :mod:`atlas.settings`).

    Offers come from the offers register store (``register_url``, else ``ATLAS_DATABASE_URL``, else the
    SQLite file in *data*) when it exists and holds offers, so that the coordinator's edits reach the maps;
    otherwise (first build) from the public-sources CSV. ``use_register=False`` forces the CSV.
    """
    started = time.perf_counter()
    folder = settings.source_dir(source)
    out_dir = settings.data_dir(data)
    kreis = settings.kreis_ags(kreis)
    sources = load_sources()
    catalogue = load_catalogue()
    frames = _read_all(folder)

    grid_all = _build_grid(frames["raster_1km"])
    gem, neighbours, cov_gem = _build_gemeinden(frames, sources, kreis, grid_all, catalogue)
    kreis_frame, nachbar_kreise, cov_krs = _build_kreis(gem, frames, sources, kreis, catalogue)
    all_gem = pd.concat([gem[["ags", "geometry"]], neighbours[["ags", "geometry"]]], ignore_index=True)
    all_gem = gpd.GeoDataFrame(all_gem, crs=settings.METRIC_CRS)
    grid_all["ags"] = _assign_ags(grid_all.geometry.centroid, gem)
    grid_all["in_kreis"] = grid_all["ags"] != ""
    orte = _build_orte(frames["orte"], all_gem, kreis)
    stations = _build_bahnhoefe(frames["bahnhoefe"], all_gem, kreis)
    stops = build_stops(frames["haltestellen"], gem[["ags", "geometry"]], settings.METRIC_CRS)
    context = make_context(gem[["ags", "name", "geometry"]], orte[["name", "ags", "geometry"]], stops)
    from_store = None
    if use_register:
        from atlas.register.store import database_url

        from_store = _register_offers(database_url(register_url, out_dir), gem, sources["angebote"], context)
    if from_store is not None:
        placed, unplaced, result = from_store
        notes, offers_from = result.notes, "register"  # type: ignore[attr-defined]
    else:
        placed, unplaced, notes, result = _build_angebote(frames["angebote"], gem, context, sources["angebote"])
        offers_from = "csv"
    placed, lage_report = finish(result, gem, stations, context)  # type: ignore[arg-type]

    layers: dict[str, pd.DataFrame] = {
        schema.GEMEINDEN_LAYER: gem, schema.KREIS_LAYER: kreis_frame, schema.NEIGHBOUR_GEMEINDEN_LAYER: neighbours,
        schema.NEIGHBOUR_KREISE_LAYER: nachbar_kreise, schema.GRID_LAYER: grid_all, schema.PLACES_LAYER: orte,
        schema.STATIONS_LAYER: stations, schema.STOPS_LAYER: stops, schema.OFFERS_LAYER: placed,
        schema.UNPLACED_OFFERS_LAYER: unplaced,
    }
    from atlas.accessibility.origins import build_wohnorte, stop_markers, zensus_100m_source  # where people live

    layers[schema.RESIDENCES_LAYER] = build_wohnorte(grid_all, gem, orte, stop_markers(layers, folder), zensus_100m_source(folder))
    population_total = int(_zensus_population(frames["zensus_gemeinden"], kreis, sources["zensus_gemeinden"]).sum())
    _validate(layers, population_total)

    out_dir.mkdir(parents=True, exist_ok=True)
    gpkg = out_dir / settings.GPKG_NAME
    manifest = out_dir / settings.MANIFEST_NAME
    precision = placed["lage_genauigkeit"].value_counts().to_dict() if len(placed) else {}
    manifest_data = {
        "erstellt": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "kreis_ags": kreis,
        "kreis_name": str(kreis_frame["name"].iloc[0]),
        "quellordner": str(folder),
        "quellen": {
            key: {"datei": s.datei, "sha256": file_sha256(folder / s.datei),
                  "bytes": (folder / s.datei).stat().st_size, "verknuepft": s.verknuepfen,
                  **({"grund": s.grund} if s.grund else {})}
            for key, s in sources.items()
        },
        "ebenen": {name: int(len(frame)) for name, frame in layers.items()},
        "einwohner_zensus_2022": population_total,
        "einwohner_raster_im_kreis": int(grid_all.loc[grid_all["in_kreis"], "einwohner"].sum()),
        "angebote": {
            "quelle": offers_from,
            "gesamt": int(len(placed) + len(unplaced)),
            "verortet": {str(k): int(v) for k, v in precision.items()},
            "ohne_lage": [{"id": str(r["id"]), "name": str(r["name"]), "grund": str(r["grund"])}
                          for r in unplaced.to_dict("records")],
            "hinweise": notes,
            "lage": lage_report,
        },
        "indikatoren_werte": {**cov_gem, **{f"kreis:{k}": v for k, v in cov_krs.items()}},
        "gemeinden_anzahl": int(len(gem)),
    }
    from atlas.accessibility.calibration import MANIFEST_KEY
    from atlas.accessibility.calibration_build import manifest_entry  # needs the layers above

    manifest_data[MANIFEST_KEY] = manifest_entry(layers, catalogue)
    _publish(layers, manifest_data, gpkg, manifest)
    LOG.info("Build fertig in %.1f s: %s", time.perf_counter() - started, gpkg)
    manifest_data["dauer_s"] = round(time.perf_counter() - started, 2)
    return BuildResult(gpkg=gpkg, manifest=manifest, manifest_data=manifest_data)
