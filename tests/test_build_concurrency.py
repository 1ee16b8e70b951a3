"""Two builds at once (threads in one process, as Streamlit runs sessions; or two processes) must not
break the live GeoPackage; a killed build's temporary files are cleaned; a failed write keeps the previous
GeoPackage."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pyogrio
import pytest

from atlas import build as build_module
from atlas import settings
from atlas.build import LAYER_NAMES, build

from tests.conftest import SOURCE_DIR

#: Every test here reads the third-party source folder (tests/conftest.py)
pytestmark = [pytest.mark.data, pytest.mark.slow]


def _layers(path: Path) -> set[str]:
    return {str(name) for name, _geom in pyogrio.list_layers(path)}


def test_two_builds_in_threads_at_once_leave_a_complete_geopackage(tmp_path):
    data = tmp_path / "data"
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def run() -> None:
        barrier.wait()
        try:
            build(source=SOURCE_DIR, data=data, use_register=False)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    gpkg = data / settings.GPKG_NAME
    assert _layers(gpkg) == set(LAYER_NAMES)
    for name in LAYER_NAMES:
        pyogrio.read_dataframe(gpkg, layer=name, max_features=1)
    leftovers = [p.name for p in data.iterdir() if p.name.startswith(".atlas-")
                 and not p.name.endswith(".lock")]
    assert leftovers == []


def test_failed_write_keeps_the_previous_geopackage(tmp_path, monkeypatch):
    data = tmp_path / "data"
    first = build(source=SOURCE_DIR, data=data, use_register=False)
    before = first.gpkg.read_bytes()

    def broken(layers, target):
        Path(target).write_bytes(b"half written")
        raise OSError("Datenträger voll")

    monkeypatch.setattr(build_module, "_write", broken)
    with pytest.raises(OSError):
        build(source=SOURCE_DIR, data=data, use_register=False)
    assert first.gpkg.read_bytes() == before
    assert [p.name for p in data.iterdir() if p.name.startswith(".atlas-") and not p.name.endswith(".lock")] == []


def test_stale_temporary_files_of_a_killed_build_are_removed(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    stale_dir = data / ".atlas-build-killed123"
    stale_dir.mkdir()
    (stale_dir / settings.GPKG_NAME).write_bytes(b"x" * 1000)
    stale_old_style = data / ".atlas-tmp4711.gpkg"
    stale_old_style.write_bytes(b"x")
    build(source=SOURCE_DIR, data=data, use_register=False)
    assert not stale_dir.exists()
    assert not stale_old_style.exists()


def test_build_lock_serialises_across_processes(tmp_path):
    """While another process holds the build lock, a build waits instead of writing at the same time."""
    data = tmp_path / "data"
    data.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from atlas.build import build_lock\n"
         f"with build_lock({str(data)!r}):\n"
         "    print('held', flush=True); sys.stdin.readline()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(build_module.BuildBusy):
            with build_module.build_lock(data, timeout=0.2):
                pass
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)
    with build_module.build_lock(data, timeout=5):
        pass
