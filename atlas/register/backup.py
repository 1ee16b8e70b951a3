"""Backup and restore of the whole register store as one JSON file (gzip when the name ends in ``.gz``).

The file is backend-neutral: a backup of the SQLite store can be restored into PostgreSQL and back.
Restore checks the file completely first, then replaces every table in ONE transaction – a broken file
or an error half-way leaves the store as it was.
"""

from __future__ import annotations

import gzip
import json
import logging
import math
import os
import tempfile
import zlib
from pathlib import Path

import sqlalchemy as sa

from atlas.register._helpers import now_iso
from atlas.register.errors import RegisterError
from atlas.register.models import TABLES
from atlas.register.store import RegisterStore

LOG = logging.getLogger(__name__)

FORMAT = "standortatlas-register"
FORMAT_VERSION = 1


def _open_write(path: Path, compressed: bool):
    return gzip.open(path, "wt", encoding="utf-8") if compressed else path.open("w", encoding="utf-8")


def _columns(table: sa.Table) -> list[sa.Column]:
    return [c for c in table.c if c.name != "geom"]


def backup(store: RegisterStore, path: str | os.PathLike[str], include_contacts: bool = False) -> dict[str, int]:
    """Write every table to *path* (atomically: temporary file, then rename); returns rows per table.

    Reporters' contacts (``meldungen.kontakt``) are left out unless *include_contacts* (personal data that
    a backup lying around longer than the report must not keep)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    doc: dict[str, object] = {"format": FORMAT, "version": FORMAT_VERSION, "erstellt": now_iso(),
                              "backend": store.backend, "tabellen": {}}
    counts: dict[str, int] = {}
    with store.engine.connect() as conn:
        for table in TABLES:
            cols = _columns(table)
            rows = [dict(r) for r in conn.execute(sa.select(*cols).order_by(*table.primary_key.columns)).mappings()]
            if table.name == "meldungen" and not include_contacts:
                rows = [{**r, "kontakt": ""} for r in rows]
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


def _check_value(column: sa.Column, value: object) -> str | None:
    """The German problem with *value* for *column*, or None when it can be written."""
    if value is None:
        return None if column.nullable else "Wert fehlt"
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return None if isinstance(value, bool) else "ja/nein erwartet"
    if isinstance(kind, sa.Integer):
        return None if isinstance(value, int) and not isinstance(value, bool) else "ganze Zahl erwartet"
    if isinstance(kind, sa.Float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        return None if ok else "Zahl erwartet"
    if isinstance(kind, sa.JSON):
        return None if isinstance(value, dict) else "JSON-Objekt erwartet"
    if isinstance(kind, sa.String):
        if not isinstance(value, str):
            return "Text erwartet"
        if kind.length is not None and len(value) > kind.length:
            return f"höchstens {kind.length} Zeichen"
        if "\x00" in value:
            return "enthält ein Steuerzeichen (U+0000)"
    return None


def _check_rows(table: sa.Table, rows: list) -> str | None:
    """The first problem of *rows* for *table* as 'Tabelle …, Eintrag n, Feld …: …', or None."""
    columns = {c.name: c for c in _columns(table)}
    required = [c for c in columns.values() if not c.nullable and c.server_default is None
                and not isinstance(c.type, sa.Boolean)]
    keys = [c.name for c in table.primary_key.columns]
    seen: set[tuple[object, ...]] = set()
    for number, row in enumerate(rows, start=1):
        where = f"Tabelle '{table.name}', Eintrag {number}"
        if not isinstance(row, dict):
            return f"{where}: kein Objekt"
        unknown = sorted(set(row) - set(columns))
        if unknown:
            return f"{where}: unbekanntes Feld '{unknown[0]}'"
        for column in required:
            if row.get(column.name) is None:
                return f"{where}, Feld '{column.name}': Wert fehlt"
        for name, value in row.items():
            problem = _check_value(columns[name], value)
            if problem:
                return f"{where}, Feld '{name}': {problem}"
        key = tuple(row.get(k) for k in keys)
        if key in seen:
            return f"{where}, Feld '{keys[0]}': die Kennung '{key[0]}' steht doppelt"
        seen.add(key)
        if table.name == "angebote" and int(row.get("version", 1)) < 1:  # type: ignore[call-overload]
            return f"{where}, Feld 'version': muss mindestens 1 sein"
    return None


def read_backup(path: str | os.PathLike[str]) -> dict:
    """Read and check a backup file completely – format, tables, every field's type, length and key –
    before anything is written; :class:`RegisterError` with ONE German sentence otherwise."""
    source = Path(path)
    try:
        if source.suffix == ".gz":
            try:
                with gzip.open(source, "rt", encoding="utf-8") as handle:
                    raw = handle.read()
            except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
                if isinstance(exc, FileNotFoundError):
                    raise
                raise RegisterError(f"Die Sicherung {source.name} ist beschädigt oder keine gzip-Datei; "
                                    "nichts wurde geändert.") from exc
        else:
            raw = source.read_text("utf-8")
        doc = json.loads(raw)
    except FileNotFoundError as exc:
        raise RegisterError(f"Die Sicherung {source.name} gibt es nicht.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise RegisterError(f"Die Sicherung {source.name} ist nicht lesbar ({type(exc).__name__}).") from exc
    except ValueError as exc:
        raise RegisterError(f"Die Sicherung {source.name} ist beschädigt (kein gültiges JSON); nichts wurde "
                            "geändert.") from exc
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
        problem = _check_rows(table, rows)
        if problem:
            raise RegisterError(f"Die Sicherung {source.name} ist ungültig: {problem}.")
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
        LOG.error("Wiederherstellung aus %s fehlgeschlagen", path, exc_info=True)
        reason = type(getattr(exc, "orig", None) or exc).__name__
        raise RegisterError(f"Die Wiederherstellung ist fehlgeschlagen, der Bestand ist unverändert ({reason}; "
                            "Einzelheiten im Protokoll).") from exc
    return counts
