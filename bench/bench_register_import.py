"""Benchmark: import of 5,000 SYNTHETIC rows (checked, placed and committed in one transaction) against
the obvious alternative, a naive row-by-row insert with one transaction per row (no checks).

Run: ``.venv/bin/python bench/bench_register_import.py`` (uses the built GeoPackage; builds it into a
temporary folder when there is none). With ATLAS_TEST_DATABASE_URL set, PostgreSQL is measured too.
Prints figures and ratios; the bar is < 5 s for validation + commit of 5,000 rows.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from atlas import settings  # noqa: E402
from atlas.register._helpers import now_iso  # noqa: E402
from atlas.register.importer import commit_import, load_geodata, prepare_import, read_upload  # noqa: E402
from atlas.register.models import angebote, historie  # noqa: E402
from atlas.register.store import RegisterStore  # noqa: E402
from tests.fixtures.synthetic_register import csv_bytes, synthetic_rows  # noqa: E402

N = 5000


def _gpkg(tmp: Path) -> Path:
    gpkg = settings.gpkg_path()
    if gpkg.exists():
        return gpkg
    from atlas.build import build

    return build(data=tmp / "data").gpkg


def _naive(store: RegisterStore, records: list[dict]) -> None:
    """One transaction per row: INSERT offer, INSERT history, COMMIT."""
    for i, rec in enumerate(records):
        values = {k: rec.get(k) or "" for k in ("name", "kategorie", "handlungsfeld", "ort", "plz", "telefon")}
        with store.engine.begin() as conn:
            conn.execute(angebote.insert().values(id=f"N-{i}", **values, geaendert_am=now_iso(), geaendert_von="bench"))
            conn.execute(historie.insert().values(angebot_id=f"N-{i}", version=1, aktion="import", wer="bench",
                                                  wann=now_iso(), nachher=values))


def run(label: str, make_store, geo, data: bytes) -> None:
    store = make_store()
    t0 = time.perf_counter()
    table = read_upload(data, "bench.csv")
    t1 = time.perf_counter()
    preview = prepare_import(table, store, geo)
    t2 = time.perf_counter()
    assert not preview.problems, preview.problems[:3]
    commit_import(preview, store, "bench")
    t3 = time.perf_counter()
    assert store.count() == N
    naive_store = make_store()
    t4 = time.perf_counter()
    _naive(naive_store, preview.records)
    t5 = time.perf_counter()
    total = t3 - t0
    print(f"[{label}] {N} Zeilen: lesen {t1 - t0:.2f} s, prüfen+verorten {t2 - t1:.2f} s, speichern {t3 - t2:.2f} s "
          f"= {total:.2f} s (Ziel < 5 s: {'erfüllt' if total < 5 else 'VERFEHLT'})")
    print(f"[{label}] naiv zeilenweise (1 Transaktion je Zeile, ohne Prüfung): {t5 - t4:.2f} s "
          f"→ Stapel-Speichern {((t5 - t4) / max(t3 - t2, 1e-9)):.1f}× schneller als naiv; "
          f"ganzer Import inkl. Prüfung {((t5 - t4) / total):.1f}× schneller")
    store.dispose()
    naive_store.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        geo = load_geodata(_gpkg(tmp))
        data = csv_bytes(synthetic_rows(N))
        counter = iter(range(100))

        def sqlite_store() -> RegisterStore:
            return RegisterStore.open(f"sqlite:///{tmp / f'bench{next(counter)}.sqlite'}")

        run("SQLite", sqlite_store, geo, data)
        url = os.environ.get("ATLAS_TEST_DATABASE_URL")
        if url:
            def pg_store() -> RegisterStore:
                store = RegisterStore.open(url, create=False)
                store.drop_all()
                store.create_schema()
                return store

            run("PostgreSQL", pg_store, geo, data)
            with sa.create_engine(url).begin() as conn:
                conn.execute(sa.text("DROP TABLE IF EXISTS angebote, angebote_historie, meldungen, osm_kandidaten"))


if __name__ == "__main__":
    main()
