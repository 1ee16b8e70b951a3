"""Population sources: Zensus 2022 Gemeinde table (GENESIS flat CSV) and the Census 2021 1 km grid.

Zensus 2022, table 1000A-0000 "Bevölkerung kompakt", as exported by the Zensus database in the
GENESIS "flat" CSV format: semicolon-separated, one row per Gemeinde, 14 columns
(``statistics_code … 1_variable_attribute_code`` (12-digit ARS) ``… value … value_q``). The rows of
the Kreise intersecting the study area are kept, all columns unchanged.

Eurostat Census 2021 population grid (V2.x), ``ESTAT_Census_2021_V2.csv`` inside the GISCO zip: one row
per 1 km cell with ``GRD_ID`` (``CRS3035RES1000mN<north>E<east>``, lower-left corner in EPSG:3035), the
counts ``T, M, F, Y_LT15, Y_1564, Y_GE65, EMP, NAT, EU_OTH, OTH, SAME, CHG_IN, CHG_OUT``, ``LAND_SURFACE``,
``POPULATED`` and the confidentiality flags ``*_CI``. The file covers Europe, so it is read in chunks
with pandas and pre-filtered by the study area's box before any geometry is built. Cleaning follows the
repository behind ``PROVENANCE.md``: unpopulated cells (``T`` = 0, not confidential) are dropped,
-9999 or empty counts become 0, ``*_CI`` flags become 0/1; ``nb`` (= 1), ``E``, ``N`` and
``centroid_in_sm`` (cell centre inside the requested Kreis) are added.
"""

from __future__ import annotations

import io
import re
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from atlas.download.study_area import StudyArea
from atlas.errors import SourceError

ZENSUS_PAGE = "https://ergebnisse.zensus2022.de/datenbank/online/statistic/1000A/table/1000A-0000"
ZENSUS_TITEL = "Zensus 2022, Tabelle 1000A-0000 (Bevölkerung kompakt)"
ZENSUS_ORIGINAL = "1000A-0000_de_flat.csv"
ZENSUS_COLUMNS = ["statistics_code", "statistics_label", "time_code", "time_label", "time",
                  "1_variable_code", "1_variable_label", "1_variable_attribute_code",
                  "1_variable_attribute_label", "value", "value_unit", "value_variable_code",
                  "value_variable_label", "value_q"]

GRID_URLS = (
    "https://gisco-services.ec.europa.eu/census/2021/Eurostat_Census-GRID_2021_V2.2.zip",
    "https://gisco-services.ec.europa.eu/census/2021/Eurostat_Census-GRID_2021_V2.1.zip",
    "https://gisco-services.ec.europa.eu/census/2021/Eurostat_Census-GRID_2021_V2-0.zip",
)
GRID_PAGE = "https://ec.europa.eu/eurostat/web/gisco/geodata/population-distribution/population-grids"
GRID_TITEL = "Census 2021 population grid 1 km (Eurostat/GISCO)"
GRID_ORIGINAL = "Eurostat_Census-GRID_2021_V2.2.zip"
GRID_CRS = "EPSG:3035"
GRID_LAYER = "census2021_grid1km"
COUNTS = ["T", "M", "F", "Y_LT15", "Y_1564", "Y_GE65", "EMP", "NAT", "EU_OTH", "OTH", "SAME", "CHG_IN",
          "CHG_OUT"]
FLAGS = [f"{c}_CI" for c in COUNTS]
_REQUIRED = ["GRD_ID", "T", "Y_LT15", "Y_1564", "Y_GE65"]
_GRD = re.compile(r"N(\d+)E(\d+)$")
_CHUNK_ROWS = 250_000


# ------------------------------------------------------------------------------------------ Zensus

def _decode(raw: bytes, titel: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SourceError(f"{titel}: die Datei ist weder UTF-8 noch Windows-1252 kodiert.")  # pragma: no cover


def convert_zensus(raw: bytes, kreise: tuple[str, ...] | list[str], kreis: str) -> pd.DataFrame:
    """Rows of the GENESIS flat CSV whose ARS starts with one of *kreise* (all columns as text)."""
    text = _decode(raw, ZENSUS_TITEL)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SourceError(f"{ZENSUS_TITEL}: die Datei ist kein gültiges CSV ({exc}).") from exc
    missing = [c for c in ZENSUS_COLUMNS if c not in frame.columns]
    if missing:
        raise SourceError(
            f"{ZENSUS_TITEL}: es fehlt die Spalte '{missing[0]}' – bitte in der Zensusdatenbank das Format "
            "„CSV (flat)“ wählen."
        )
    tables = set(frame["statistics_code"].str.strip())
    if tables - {"1000A"}:
        raise SourceError(f"{ZENSUS_TITEL}: die Datei enthält die Tabelle {sorted(tables)[0]}, erwartet ist 1000A.")
    ars = frame["1_variable_attribute_code"].str.strip()
    keep = (ars.str.len() == 12) & ars.str[:5].isin(list(kreise))
    out = frame.loc[keep, ZENSUS_COLUMNS].reset_index(drop=True)
    if not out["1_variable_attribute_code"].str.startswith(kreis).any():
        raise SourceError(f"{ZENSUS_TITEL}: die Datei enthält keine Gemeinde des Kreises {kreis}.")
    return out


# -------------------------------------------------------------------------------------------- grid

@contextmanager
def open_grid_csv(path: Path) -> Iterator[IO[bytes]]:
    """Binary stream of the grid CSV, from the GISCO zip or from a CSV file."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            preferred = [n for n in members if "census_2021" in n.lower()] or members
            if not preferred:
                raise SourceError(f"{GRID_TITEL}: das Archiv {path.name} enthält keine CSV-Datei.")
            with archive.open(preferred[0]) as handle:
                yield handle
    else:
        with open(path, "rb") as handle:
            yield handle


def _clean_counts(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values.replace("", "0"), errors="coerce").fillna(0)
    return numbers.where(numbers >= 0, 0).astype("int64")


def _clean_flags(values: pd.Series) -> pd.Series:
    return (~values.str.strip().isin(["", "0", "0.0"])).astype("int64")


def convert_census_grid(stream: IO[bytes], area: StudyArea) -> gpd.GeoDataFrame:
    """Populated 1 km cells intersecting the study area (EPSG:3035), in the source folder's layout."""
    buffer = area.buffer_in(GRID_CRS)
    outline = area.outline_in(GRID_CRS)
    x0, y0, x1, y1 = buffer.bounds
    parts: list[pd.DataFrame] = []
    try:
        reader = pd.read_csv(stream, dtype=str, keep_default_na=False, chunksize=_CHUNK_ROWS, encoding="utf-8")
        for number, chunk in enumerate(reader):
            if number == 0:
                missing = [c for c in _REQUIRED if c not in chunk.columns]
                if missing:
                    raise SourceError(f"{GRID_TITEL}: der Datei fehlt die Spalte '{missing[0]}'.")
            coords = chunk["GRD_ID"].str.extract(_GRD)
            north = pd.to_numeric(coords[0], errors="coerce")
            east = pd.to_numeric(coords[1], errors="coerce")
            near = (east >= x0 - 1000) & (east <= x1) & (north >= y0 - 1000) & (north <= y1)
            if near.any():
                part = chunk[near.to_numpy()].copy()
                part["E"] = east[near].astype("int64").to_numpy()
                part["N"] = north[near].astype("int64").to_numpy()
                parts.append(part)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SourceError(f"{GRID_TITEL}: die CSV-Datei ist nicht lesbar ({type(exc).__name__}: {exc}).") from exc
    if not parts:
        raise SourceError(f"{GRID_TITEL}: die Datei enthält keine Rasterzelle im Untersuchungsgebiet.")
    cells = pd.concat(parts, ignore_index=True)
    counts = [c for c in COUNTS if c in cells.columns]
    flags = [c for c in FLAGS if c in cells.columns]
    out = pd.DataFrame({"GRD_ID": cells["GRD_ID"].str.strip()})
    for column in counts:
        out[column] = _clean_counts(cells[column])
    if "LAND_SURFACE" in cells.columns:
        out["LAND_SURFACE"] = pd.to_numeric(cells["LAND_SURFACE"].replace("", np.nan), errors="coerce")
    for column in flags:
        out[column] = _clean_flags(cells[column])
    out["nb"] = 1
    out["E"] = cells["E"]
    out["N"] = cells["N"]
    confidential = out["T_CI"] == 1 if "T_CI" in out.columns else pd.Series(False, index=out.index)
    out = out[(out["T"] > 0) | confidential]
    squares = shapely.box(out["E"], out["N"], out["E"] + 1000, out["N"] + 1000)
    grid = gpd.GeoDataFrame(out, geometry=squares, crs=GRID_CRS)
    grid = grid[shapely.intersects(grid.geometry.to_numpy(), buffer)].copy()
    centres = shapely.points(grid["E"] + 500, grid["N"] + 500)
    grid["centroid_in_sm"] = shapely.within(centres, outline)
    grid = grid[[*(c for c in grid.columns if c != "geometry"), "geometry"]]
    return grid.sort_values(["N", "E"], kind="stable").reset_index(drop=True)
