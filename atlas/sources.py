"""The third-party input files: their description (``geodata/sources.yaml``), reading and checking.

Every reader raises :class:`atlas.errors.SourceError` with a German message that names the file when
it is missing, unreadable or lacks a column the build relies on.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd
from pydantic import BaseModel, ConfigDict

from atlas import settings
from atlas.datafile import read_yaml, section, validate
from atlas.errors import SourceError

SOURCES_FILE: Path = settings.GEODATA_DIR / "sources.yaml"
#: How messages name the file.
LABEL = "Quellenbeschreibung"


class Source(BaseModel):
    """One input file as described in ``geodata/sources.yaml``."""

    model_config = ConfigDict(extra="forbid")

    key: str
    datei: str
    format: Literal["vector", "csv"]
    titel: str
    erzeuger: str
    stand: str
    lizenz: str
    namensnennung: str
    spalten: list[str]
    download: str | None = None
    trennzeichen: str = ","
    ebene: str | None = None
    schluessel: str | None = None
    gebietsstand: str | None = None
    verknuepfen: bool = True
    grund: str | None = None
    vertraulich: list[str] = []


@lru_cache(maxsize=4)
def load_sources(path: Path = SOURCES_FILE) -> dict[str, Source]:
    """Read the source descriptions, keyed by source key."""
    entries = section(read_yaml(path, error=SourceError, label=LABEL), "sources", path, kind=dict,
                      error=SourceError, label=LABEL)
    return {key: validate(Source, {"key": key, **(entry if isinstance(entry, dict) else {})}, path,
                          where=f"Eintrag '{key}'", label=LABEL, error=SourceError)
            for key, entry in entries.items()}


def source_path(source: Source, folder: Path) -> Path:
    """Full path of *source* in *folder*; :class:`SourceError` when it is missing."""
    path = folder / source.datei
    if not folder.is_dir():
        raise SourceError(
            f"Der Quellordner {folder} existiert nicht. Geben Sie ihn mit --source oder ATLAS_SOURCE_DIR an."
        )
    if not path.is_file():
        raise SourceError(
            f"Quelldatei fehlt: {source.datei} ({source.titel}) wurde im Quellordner {folder} nicht gefunden."
        )
    return path


def _check_columns(frame: pd.DataFrame, source: Source) -> None:
    missing = [col for col in source.spalten if col not in frame.columns]
    if missing:
        names = ", ".join(f"'{m}'" for m in missing)
        raise SourceError(
            f"Quelldatei {source.datei} ist fehlerhaft: es fehlt die Spalte {names}."
            if len(missing) == 1
            else f"Quelldatei {source.datei} ist fehlerhaft: es fehlen die Spalten {names}."
        )
    if frame.empty:
        raise SourceError(f"Quelldatei {source.datei} ist fehlerhaft: sie enthält keine Zeilen.")


def read_table(source: Source, folder: Path) -> pd.DataFrame:
    """Read a CSV source as text columns (keys keep their leading zeros)."""
    path = source_path(source, folder)
    try:
        frame = pd.read_csv(path, sep=source.trennzeichen, dtype=str, keep_default_na=False,
                            na_values=[""], encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, OSError) as exc:
        raise SourceError(
            f"Quelldatei {source.datei} ist beschädigt oder kein gültiges CSV ({type(exc).__name__}: {exc})."
        ) from exc
    _check_columns(frame, source)
    return frame


def read_vector(source: Source, folder: Path) -> gpd.GeoDataFrame:
    """Read a vector source (GeoJSON or GeoPackage layer) and check it has a CRS and geometries."""
    path = source_path(source, folder)
    try:
        frame = gpd.read_file(path, layer=source.ebene) if source.ebene else gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several error types for broken files
        raise SourceError(
            f"Quelldatei {source.datei} ist beschädigt oder kein gültiger Geodatensatz ({exc})."
        ) from exc
    _check_columns(frame, source)
    if frame.crs is None:
        raise SourceError(f"Quelldatei {source.datei} ist fehlerhaft: ihr Koordinatensystem ist nicht angegeben.")
    if frame.geometry.isna().any() or frame.geometry.is_empty.any():
        bad = int((frame.geometry.isna() | frame.geometry.is_empty).to_numpy().argmax())
        raise SourceError(f"Quelldatei {source.datei} ist fehlerhaft: Objekt {bad + 1} hat keine Geometrie.")
    return frame


def attributions(keys: Iterable[str] | None = None) -> list[str]:
    """Distinct attribution texts (``namensnennung``) of the given (or all) sources, in file order."""
    wanted = None if keys is None else set(keys)
    return attribution_texts(k for k in load_sources() if wanted is None or k in wanted)


def attribution_texts(keys: Iterable[str]) -> list[str]:
    """The one attribution lookup: distinct ``namensnennung`` texts of the source *keys*, in the given order
    (keys not in ``geodata/sources.yaml`` are left out)."""
    sources = load_sources()
    texts: list[str] = []
    for key in keys:
        if key in sources and sources[key].namensnennung not in texts:
            texts.append(sources[key].namensnennung)
    return texts
