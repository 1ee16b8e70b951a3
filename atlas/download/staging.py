"""All-or-nothing writing into the source folder.

Everything is first written into a hidden staging folder inside the destination (same file system, so
``os.replace`` is atomic per file). Only when every automatic source has been fetched and converted
are the files moved into place; on any error the staging folder is removed and the destination keeps
exactly the files it had.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio


class Staging:
    """A hidden folder in *dest* collecting finished files, committed with :meth:`commit`."""

    def __init__(self, dest: Path) -> None:
        self.dest = dest
        self._created_dest = not dest.exists()
        dest.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=".download-", dir=dest))
        self.raw = self.root / "originale"
        self.raw.mkdir()
        self.files: dict[str, Path] = {}

    def _target(self, name: str) -> Path:
        path = self.root / name
        self.files[name] = path
        return path

    def write_text(self, name: str, text: str) -> None:
        self._target(name).write_text(text, encoding="utf-8", newline="")

    def write_csv(self, name: str, frame: pd.DataFrame, sep: str = ",") -> None:
        self.write_text(name, frame.to_csv(sep=sep, index=False, lineterminator="\n"))

    def write_geojson(self, name: str, frame: gpd.GeoDataFrame) -> None:
        pyogrio.write_dataframe(frame, self._target(name), driver="GeoJSON", layer=Path(name).stem)

    def write_gpkg(self, name: str, frame: gpd.GeoDataFrame, layer: str) -> None:
        pyogrio.write_dataframe(frame, self._target(name), driver="GPKG", layer=layer)

    def copy(self, name: str, source: Path) -> None:
        shutil.copyfile(source, self._target(name))

    def commit(self) -> list[Path]:
        """Move the finished files into *dest* (each with ``os.replace``); return their final paths."""
        written = []
        for name, path in self.files.items():
            final = self.dest / name
            os.replace(path, final)
            written.append(final)
        return written

    def discard(self) -> None:
        """Remove the staging folder (and *dest* when it was created for this run and is empty)."""
        shutil.rmtree(self.root, ignore_errors=True)
        if self._created_dest and self.dest.is_dir() and not any(self.dest.iterdir()):
            self.dest.rmdir()
