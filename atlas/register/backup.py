"""Backup and restore of the whole register store as one JSON file (gzip when the name ends in ``.gz``).

The file is backend-neutral: a backup of the SQLite store can be restored into PostgreSQL and back.
Restore checks the file completely first, then replaces every table in ONE transaction – a broken file
or an error half-way leaves the store as it was.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from pathlib import Path

import sqlalchemy as sa

from atlas.register._helpers import now_iso
from atlas.register.errors import RegisterError
from atlas.register.models import TABLES
from atlas.register.store import RegisterStore

FORMAT = "standortatlas-register"
FORMAT_VERSION = 1


def _open_write(path: Path, compressed: bool):
    return gzip.open(path, "wt", encoding="utf-8") if compressed else path.open("w", encoding="utf-8")


def _columns(table: sa.Table) -> list[sa.Column]:
    return [c for c in table.c if c.name != "geom"]


def backup(store: RegisterStore, path: str | os.PathLike[str]) -> dict[str, int]:
    """Write every table to *path* (atomically: temporary file, then rename); returns rows per table."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    doc: dict[str, object] = {"format": FORMAT, "version": FORMAT_VERSION, "erstellt": now_iso(),
                              "backend": store.backend, "tabellen": {}}
    counts: dict[str, int] = {}
    with store.engine.connect() as conn:
        for table in TABLES:
            cols = _columns(table)
            rows = [dict(r) for r in conn.execute(sa.select(*cols).order_by(*table.primary_key.columns)).mappings()]
            doc["tabellen"][table.name] = rows  # type: ignore[index]
            counts[table.name] = len(rows)
    handle_fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle_fd)
    tmp = Path(tmp_name)
    try:
        with _open_write(tmp, target.suffix == ".gz") as handle:
            json.dump(doc, handle, ensure_ascii=False)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return counts


def read_backup(path: str | os.PathLike[str]) -> dict:
    """Read and check a backup file; :class:`RegisterError` (German) when it is not one."""
    source = Path(path)
    try:
        raw = gzip.open(source, "rt", encoding="utf-8").read() if source.suffix == ".gz" else source.read_text("utf-8")
        doc = json.loads(raw)
    except (OSError, ValueError, EOFError) as exc:
        raise RegisterError(f"Die Sicherung {source.name} ist nicht lesbar: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise RegisterError(f"Die Datei {source.name} ist keine Sicherung des Angebotsregisters.")
    if doc.get("version") != FORMAT_VERSION:
        raise RegisterError(f"Die Sicherung {source.name} hat die unbekannte Formatversion {doc.get('version')}.")
    tables = doc.get("tabellen")
    if not isinstance(tables, dict):
        raise RegisterError(f"Die Sicherung {source.name} enthält keine Tabellen.")
    for table in TABLES:
        rows = tables.get(table.name)
        if not isinstance(rows, list):
            raise RegisterError(f"Die Sicherung {source.name}: Tabelle '{table.name}' fehlt.")
        allowed = {c.name for c in _columns(table)}
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict) or set(row) - allowed:
                raise RegisterError(f"Die Sicherung {source.name}: Tabelle '{table.name}', Eintrag {number} ist "
                                    "ungültig (unbekannte Felder).")
    return doc


def restore(store: RegisterStore, path: str | os.PathLike[str]) -> dict[str, int]:
    """Replace the store's content by the backup at *path* in one transaction; returns rows per table."""
    doc = read_backup(path)
    counts: dict[str, int] = {}
    try:
        with store.engine.begin() as conn:
            for table in reversed(TABLES):
                conn.execute(table.delete())
            for table in TABLES:
                rows = doc["tabellen"][table.name]
                if rows:
                    conn.execute(table.insert(), rows)
                counts[table.name] = len(rows)
            if store.backend == "postgresql":
                for table in TABLES:
                    if "nr" in table.c:
                        conn.execute(sa.text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'nr'), "  # noqa: S608 - fixed names
                            f"COALESCE((SELECT MAX(nr) FROM {table.name}), 0) + 1, false)"))
    except sa.exc.SQLAlchemyError as exc:
        raise RegisterError(f"Die Wiederherstellung ist fehlgeschlagen, der Bestand ist unverändert: {exc}") from exc
    return counts
