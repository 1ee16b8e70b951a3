"""Shared fixtures: one real build of the county's data per test session.

The real source files are read from ``ATLAS_SOURCE_DIR`` (default ``../shared/geodata-src``); they are
third-party data and are not part of the repository.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from atlas import settings
from atlas.atlasdata import AtlasData, load_atlas
from atlas.build import BuildResult, build

SOURCE_DIR = settings.source_dir()


def pytest_configure(config: pytest.Config) -> None:
    if not SOURCE_DIR.is_dir():
        raise pytest.UsageError(
            f"Quellordner {SOURCE_DIR} fehlt: ATLAS_SOURCE_DIR auf den Ordner mit den Quelldaten setzen."
        )


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The real build, written once into a temporary data folder."""
    return build(source=SOURCE_DIR, data=tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def atlas_data(built: BuildResult) -> AtlasData:
    return load_atlas(built.gpkg.parent)


@pytest.fixture(scope="session")
def source_angebote() -> pd.DataFrame:
    """The offers register as it is in the source folder (expectations derive from it, never from counts)."""
    from atlas.sources import load_sources

    return pd.read_csv(SOURCE_DIR / load_sources()["angebote"].datei, dtype=str, keep_default_na=False)


@pytest.fixture()
def source_copy(tmp_path: Path) -> Path:
    """A writable copy of the source folder, for tests that break a file."""
    target = tmp_path / "src"
    shutil.copytree(SOURCE_DIR, target)
    for path in target.iterdir():
        path.chmod(0o644)
    return target
