"""Two imports at the same moment (two editors, two processes or two sessions) on SQLite and PostgreSQL:
ids are allocated and duplicates checked inside the committing transaction (issue 12, point 4)."""

from __future__ import annotations

import threading

import pytest

from atlas.build import BuildResult
from atlas.register import store as store_module
from atlas.register.errors import ValidationFailed
from atlas.register.importer import RegisterGeodata, commit_import, load_geodata, prepare_import, read_upload
from atlas.register.store import RegisterStore
from tests.fixtures.synthetic_register import csv_bytes, store, synthetic_row, synthetic_rows  # noqa: F401


@pytest.fixture(scope="module")
def geo(built: BuildResult) -> RegisterGeodata:
    return load_geodata(built.gpkg)


def _second_handle(store: RegisterStore) -> RegisterStore:  # noqa: F811
    """Another engine on the same database, like a second process."""
    return RegisterStore.open(store.engine.url.render_as_string(hide_password=False), create=False)


def _commit_both(previews, stores, who=("anna", "ben")) -> list[object]:
    results: list[object] = [None, None]
    barrier = threading.Barrier(2)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = commit_import(previews[i], stores[i], who[i])
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_two_imports_without_ids_at_once_both_commit_with_distinct_ids(store: RegisterStore,  # noqa: F811
                                                                        geo: RegisterGeodata, monkeypatch) -> None:
    other = _second_handle(store)
    try:
        previews = [prepare_import(read_upload(csv_bytes(synthetic_rows(30, start=1 + 100 * i)), f"f{i}.csv"),
                                   s, geo) for i, s in enumerate((store, other))]
        assert all(p.problems == [] for p in previews)
        # make the race certain: both transactions have allocated their ids before either inserts
        original = RegisterStore._next_ids
        gate = threading.Barrier(2)

        def slow_next_ids(conn, n):
            ids = original(conn, n)
            try:
                gate.wait(timeout=3)
            except threading.BrokenBarrierError:
                pass  # the other import waits for our lock: no race to provoke
            return ids

        monkeypatch.setattr(RegisterStore, "_next_ids", staticmethod(slow_next_ids))
        results = _commit_both(previews, (store, other))
    finally:
        other.dispose()
    assert [type(r) for r in results] == [list, list], results
    ids = [i for r in results for i in r]  # type: ignore[union-attr]
    assert len(ids) == 60 == len(set(ids)) == store.count()


def test_same_rows_with_different_ids_at_once_store_them_only_once(store: RegisterStore,  # noqa: F811
                                                                    geo: RegisterGeodata) -> None:
    other = _second_handle(store)
    try:
        files = [[synthetic_row(i, id=f"{prefix}-{i:04d}") for i in range(1, 21)] for prefix in ("X", "Y")]
        previews = [prepare_import(read_upload(csv_bytes(rows), f"{n}.csv"), s, geo)
                    for n, rows, s in zip("ab", files, (store, other), strict=True)]
        assert all(p.problems == [] for p in previews)  # each preview alone is fine
        results = _commit_both(previews, (store, other))
    finally:
        other.dispose()
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(refused) == 1 and sum(isinstance(r, list) for r in results) == 1, results
    assert "Doppelt" in refused[0].problems[0].meldung and refused[0].problems[0].zeile == 2
    assert "nichts wurde gespeichert" in str(refused[0])
    assert store.count() == 20


def test_duplicate_check_at_commit_also_without_a_race(store: RegisterStore, geo: RegisterGeodata) -> None:  # noqa: F811
    preview = prepare_import(read_upload(csv_bytes(synthetic_rows(3)), "a.csv"), store, geo)
    later = prepare_import(read_upload(csv_bytes(synthetic_rows(3)), "b.csv"), store, geo)
    commit_import(preview, store, "anna")
    with pytest.raises(ValidationFailed) as exc:
        commit_import(later, store, "ben")
    assert [p.zeile for p in exc.value.problems] == [2, 3, 4]
    assert store.count() == 3
    assert store_module.BATCH_SIZE > 0
