"""GeoPackage export and OSM upload use a temporary file per call: two users at once (Streamlit serves every
session in one process) must each receive their own file."""

from __future__ import annotations

import threading
from pathlib import Path

import pyogrio

from atlas.register import osm_candidates
from atlas.register.exporter import geopackage_bytes
from tests.fixtures.synthetic_register import synthetic_row


def _record(i: int) -> dict[str, object]:
    row = synthetic_row(i, id=f"T-{i:04d}")
    row.update(lon=10.4 + i / 1000, lat=50.6, ags="16066048", lage_genauigkeit="punkt", lage_hinweis="",
               version=1, geaendert_am="2025-01-01T00:00:00+00:00", geaendert_von="test")
    return row


def test_parallel_geopackage_exports_each_get_their_own_file(tmp_path: Path) -> None:
    results: dict[int, bytes] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def run(n: int) -> None:
        records = [_record(1000 * n + i) for i in range(1, 200 + n)]
        barrier.wait()
        try:
            results[n] = geopackage_bytes(records, tmp_path)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for n, data in results.items():
        path = tmp_path / f"check-{n}.gpkg"
        path.write_bytes(data)
        frame = pyogrio.read_dataframe(path, layer="angebote")
        assert len(frame) == 199 + n
        assert set(frame["id"]) == {f"T-{1000 * n + i:04d}" for i in range(1, 200 + n)}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"check-{n}.gpkg" for n in range(6))


def test_parallel_osm_uploads_read_their_own_file(tmp_path: Path, monkeypatch) -> None:
    seen: dict[int, bytes] = {}
    barrier = threading.Barrier(4)

    def fake_read(path: Path) -> list:
        barrier.wait(timeout=10)  # every upload is on disk at the same time
        return [Path(path).read_bytes()]

    monkeypatch.setattr(osm_candidates, "read_osm_file", fake_read)

    def run(n: int) -> None:
        seen[n] = osm_candidates.read_osm_upload(f"<osm n='{n}'/>".encode() * (n + 1), "upload.osm", tmp_path)[0]

    threads = [threading.Thread(target=run, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {n: f"<osm n='{n}'/>".encode() * (n + 1) for n in range(4)}
    assert list(tmp_path.iterdir()) == []
