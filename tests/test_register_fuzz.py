"""Fuzz test of the importer (issue 12, bar): ≥ 1,000 generated hostile rows in generated files – encodings,
control and bidi characters, formulas, Markdown, oversized fields, broken quoting, wrong column counts,
damaged XLSX. Seeded generator (reproducible; the seed is in the failure message). Every file must either
be refused with German messages (RegisterError or problems) – and then the store is unchanged – or import
cleanly; no other exception may escape."""

from __future__ import annotations

import csv
import io
import random

import openpyxl
import pytest

from atlas.build import BuildResult
from atlas.errors import AtlasError
from atlas.register.importer import RegisterGeodata, commit_import, load_geodata, prepare_import, read_upload
from atlas.register.store import RegisterStore
from tests.fixtures.synthetic_register import csv_bytes, store, synthetic_row  # noqa: F401

SEED = 20261201
FILES = 130
HOSTILE = [
    "=1+1", "=HYPERLINK(\"https://evil.example\",\"x\")", "+49 3693 1", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
    "![x](https://evil.example/t.png)", "\n\n# Titel\n\n", "[klick](javascript:alert(1))", "<script>alert(1)</script>",
    "a\x00b", "\u202egnp.exe", "\u200b", "\u2066x\u2069", "\ufeff", "\x1b[31m", "\"", "\"\"", ";", ",", "\t",
    "Zella-Mehlis", "kita", "KINDERGARTEN", "Zauberschule", "98617", "7545", "x" * 3000, "ä" * 400, "😀", "𝔘𝔫𝔦",
    "http://", "www.beispiel.de", "javascript:alert(1)", "01.03.2025", "31.02.2025", "2999-01-01", "NaN", "inf",
    "10,4", "50.6", "-999", "", " ", "'=quoted", "''", "SM-0001", "A-0001", "../../etc/passwd", "DROP TABLE angebote;",
]
COLUMNS = ["id", "name", "kategorie", "handlungsfeld", "traeger", "strasse", "plz", "ort", "ortsteil", "telefon",
           "email", "website", "oeffnungszeiten", "zielgruppe", "quelle_url", "quelle_stand", "lon", "lat",
           "zuletzt_geprueft"]


@pytest.fixture(scope="module")
def geo(built: BuildResult) -> RegisterGeodata:
    return load_geodata(built.gpkg)


def _row(rng: random.Random, i: int, clean: bool = False) -> dict[str, object]:
    row = synthetic_row(10_000 + i)
    for _ in range(0 if clean else rng.randint(0, 4)):
        field = rng.choice(COLUMNS)
        value = rng.choice(HOSTILE)
        row[field] = value if rng.random() < 0.7 else f"{row.get(field, '')}{value}"
    return row


def _csv_bytes(rng: random.Random, rows: list[dict[str, object]]) -> bytes:
    buffer = io.StringIO()
    delimiter = rng.choice([",", ";", "\t"])
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=rng.choice(["\n", "\r\n"]),
                        quoting=rng.choice([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    header = list(rows[0])
    if rng.random() < 0.1:
        header = header + [rng.choice(["extra", "name", "", "=cmd"])]
    writer.writerow(header)
    for row in rows:
        values = [str(row.get(h, "")) for h in header]
        if rng.random() < 0.05:
            values = values[: rng.randint(0, len(values))] + ["zu", "viele", "werte"][: rng.randint(0, 3)]
        writer.writerow(values)
    text = buffer.getvalue()
    kind = rng.random()
    if kind < 0.45:
        data = text.encode("utf-8", errors="surrogatepass")
    elif kind < 0.6:
        data = text.encode("cp1252", errors="replace")
    elif kind < 0.7:
        data = text.encode("utf-16")
    elif kind < 0.8:  # UTF-8 with single Windows-1252 lines
        lines = text.splitlines(keepends=True)
        data = b"".join(line.encode("cp1252", errors="replace") if rng.random() < 0.2 else line.encode("utf-8")
                        for line in lines)
    elif kind < 0.9:  # random damage
        raw = bytearray(text.encode("utf-8"))
        for _ in range(rng.randint(1, 20)):
            if raw:
                raw[rng.randrange(len(raw))] = rng.randrange(256)
        data = bytes(raw)
    else:
        data = "\ufeff".encode() + text.encode("utf-8")
    if rng.random() < 0.03:
        data = data[: rng.randint(0, len(data))]  # truncated
    return data


def _xlsx_bytes(rng: random.Random, rows: list[dict[str, object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for row in rows:
        values: list[object] = []
        for h in COLUMNS:
            value = row.get(h, "")
            if h in ("telefon", "plz") and rng.random() < 0.2:
                value = rng.choice([3693123456, 7545, 98617.0, -1, 1e20])
            values.append(value)
        try:
            sheet.append(values)
        except Exception:  # noqa: BLE001 - openpyxl refuses some control characters itself: leave them out
            sheet.append([("" if isinstance(v, str) and any(ord(c) < 32 for c in v) else v) for v in values])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if rng.random() < 0.2:
        raw = bytearray(data)
        for _ in range(rng.randint(1, 5)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        data = bytes(raw)
    return data


def _state(store: RegisterStore) -> list[dict[str, object]]:  # noqa: F811
    return store.offers(include_deleted=True)


def test_importer_survives_hostile_files_and_refusals_leave_the_store_unchanged(store: RegisterStore,  # noqa: F811
                                                                                 geo: RegisterGeodata) -> None:
    rng = random.Random(SEED)
    rows_total = refused = committed = 0
    before = _state(store)
    for n in range(FILES):
        clean = rng.random() < 0.15  # some valid files, so that refusals are measured against commits
        rows = [_row(rng, n * 100 + i, clean) for i in range(rng.randint(1, 16))]
        rows_total += len(rows)
        xlsx = rng.random() < 0.2
        data = (csv_bytes(rows) if clean else _xlsx_bytes(rng, rows) if xlsx else _csv_bytes(rng, rows))
        name = f"fuzz-{n}.{'xlsx' if xlsx and not clean else rng.choice(['csv', 'txt'])}"
        try:
            preview = prepare_import(read_upload(data, name), store, geo)
            if preview.problems:
                refused += 1
                assert all(p.text for p in preview.problems)
            else:
                commit_import(preview, store, "fuzz")
                committed += 1
                before = _state(store)
                continue
        except AtlasError as exc:
            refused += 1
            assert str(exc), (SEED, n)
        except Exception as exc:  # pragma: no cover - the failure this test is about
            pytest.fail(f"Datei {n} (Seed {SEED}): unerwartete Ausnahme {type(exc).__name__}: {exc}")
        assert _state(store) == before, (SEED, n)
    assert rows_total >= 1000
    assert refused > FILES // 2 and committed > 0  # the generator produces both kinds
