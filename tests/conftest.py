"""Shared fixtures: one real build of the county's data per test session.

The real source files are read from ``ATLAS_SOURCE_DIR`` (default ``../shared/geodata-src``); they are
third-party data and are not part of the repository.

Markers (see pyproject.toml): every test that needs the source folder carries ``data`` – set automatically
for tests using one of :data:`DATA_FIXTURES`,
explicitly for the rest. CI runs all markers; ``pytest -m "not data"`` runs the unit tests on synthetic
fixtures on a machine without the folder. A ``data`` test run without the folder FAILS with a message that
says so (no test is skipped).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from atlas import settings
from atlas.atlasdata import AtlasData, load_atlas
from atlas.build import BuildResult, build

SOURCE_DIR = settings.source_dir()
# Page errors are raised again after the German message (pages/_guard.py), so tests see them.
os.environ.setdefault("ATLAS_DEBUG", "1")
#: Fixtures that read the third-party source folder; a test using one is marked ``data``.
DATA_FIXTURES = frozenset({"built", "atlas_data", "source_copy", "source_folder", "source_angebote", "source_kreis"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if DATA_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.data)


def pytest_report_header(config: pytest.Config) -> list[str]:
    lines = [f"Quellordner: {SOURCE_DIR}" + ("" if SOURCE_DIR.is_dir() else
                                             " – FEHLT (Tests mit Marker 'data' schlagen fehl)")]
    if os.environ.get("ATLAS_TEST_DATABASE_URL"):
        lines.append("PostgreSQL-Tests: werden gesammelt (ATLAS_TEST_DATABASE_URL gesetzt)")
    elif os.environ.get("CI", "").lower() == "true":
        lines.append("PostgreSQL-Tests: CI=true ohne ATLAS_TEST_DATABASE_URL – sie werden gesammelt und schlagen fehl")
    else:
        lines.append("PostgreSQL-Tests: NICHT gesammelt (ATLAS_TEST_DATABASE_URL nicht gesetzt; "
                     "scripts/test.sh setzt sie, CI verlangt sie)")
    return lines


def require_source_folder() -> Path:
    """The source folder; a clear test failure when it is missing."""
    if not SOURCE_DIR.is_dir():
        pytest.fail(f"Quellordner {SOURCE_DIR} fehlt: dieser Test (Marker 'data') braucht die Quelldaten. "
                    "ATLAS_SOURCE_DIR auf den Ordner setzen – oder ohne ihn nur die Unit-Tests laufen lassen: "
                    "pytest -m 'not data'.", pytrace=False)
    return SOURCE_DIR


@pytest.fixture(scope="session")
def source_folder() -> Path:
    """The real source folder (fails clearly when it is missing)."""
    return require_source_folder()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, source_folder: Path) -> BuildResult:
    """The real build, written once into a temporary data folder."""
    return build(source=source_folder, data=tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def atlas_data(built: BuildResult) -> AtlasData:
    return load_atlas(built.gpkg.parent)


@pytest.fixture(scope="session")
def source_angebote(source_folder: Path) -> pd.DataFrame:
    """The offers register as it is in the source folder (expectations derive from it, never from counts)."""
    from atlas.sources import load_sources

    return pd.read_csv(source_folder / load_sources()["angebote"].datei, dtype=str, keep_default_na=False)


@dataclass(frozen=True)
class SourceKreis:
    """The county as its source files state it, read with pandas and pyogrio only (not through the build):
    the expectations of tests about the whole county derive from here, never from today's counts."""

    ags: tuple[str, ...]  #: AGS of the county's Gemeinden in the VG250 file
    einwohner: int  #: Zensus 2022 population of these Gemeinden (sum of the Zensus file's rows)
    einwohner_je_ags: dict[str, int]  #: Zensus 2022 population per Gemeinde (8-digit AGS from the 12-digit ARS)

    def german(self, ags: str) -> str:
        """The population of Gemeinde *ags* written as a German page shows it ("5.805")."""
        return f"{self.einwohner_je_ags[ags]:,}".replace(",", ".")


@pytest.fixture(scope="session")
def source_kreis(source_folder: Path) -> SourceKreis:
    import pyogrio

    from atlas.sources import load_sources

    sources, kreis = load_sources(), settings.kreis_ags()
    gem = pyogrio.read_dataframe(source_folder / sources["gemeinden"].datei, columns=["ags"], read_geometry=False)
    ags = gem["ags"].astype(str)
    zensus = pd.read_csv(source_folder / sources["zensus_gemeinden"].datei, sep=sources["zensus_gemeinden"].trennzeichen,
                         dtype=str)
    rows = zensus[zensus["1_variable_attribute_code"].str.strip().str.startswith(kreis)]
    ars = rows["1_variable_attribute_code"].str.strip()
    per_ags = dict(zip(ars.str[:5] + ars.str[-3:], pd.to_numeric(rows["value"]).astype(int), strict=True))
    return SourceKreis(ags=tuple(sorted(set(ags[ags.str.startswith(kreis)]))),
                       einwohner=int(pd.to_numeric(rows["value"]).sum()),
                       einwohner_je_ags={k: int(v) for k, v in per_ags.items()})


@pytest.fixture()
def source_copy(tmp_path: Path, source_folder: Path) -> Path:
    """A writable copy of the source folder, for tests that break a file."""
    target = tmp_path / "src"
    shutil.copytree(source_folder, target)
    for path in target.iterdir():
        path.chmod(0o644)
    return target
