"""Shared data helper of the benchmarks (run as scripts: ``python bench/bench_….py``)."""

from __future__ import annotations

import tempfile
from pathlib import Path


def county_data():
    """The built GeoPackage (``atlas build``); built from the source folder into a temporary folder when
    it is missing or cannot be read (e.g. an old build without a newer layer)."""
    from atlas.atlasdata import load_atlas
    from atlas.build import build
    from atlas.settings import source_dir

    try:
        return load_atlas()
    except Exception:  # noqa: BLE001 - no usable build: make one for this run
        tmp = Path(tempfile.mkdtemp(prefix="atlas-bench-"))
        build(source=source_dir(), data=tmp)
        return load_atlas(tmp)
