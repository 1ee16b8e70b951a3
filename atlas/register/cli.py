"""Register commands for the ``atlas`` command line: ``atlas backup``, ``atlas restore``, ``atlas passwort-hash``.

:func:`add_commands` is called by :mod:`atlas.cli` with its sub-parser collection.
"""

from __future__ import annotations

import argparse
import getpass
import sys


def _cmd_backup(args: argparse.Namespace) -> int:
    from atlas.register.backup import backup
    from atlas.register.store import RegisterStore

    store = RegisterStore.open(args.database, args.data)
    counts = backup(store, args.datei, include_contacts=args.mit_kontakten)
    print(f"Sicherung geschrieben: {args.datei} ({', '.join(f'{k} {v}' for k, v in counts.items())})")
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from atlas.register.backup import read_backup, restore
    from atlas.register.store import RegisterStore

    read_backup(args.datei)
    store = RegisterStore.open(args.database, args.data)
    if not args.ja and store.count(include_deleted=True):
        print(f"Der Bestand enthält {store.count(include_deleted=True)} Angebote und würde ersetzt. "
              "Zum Bestätigen mit --ja aufrufen.", file=sys.stderr)
        return 1
    counts = restore(store, args.datei)
    print(f"Wiederhergestellt aus {args.datei}: {', '.join(f'{k} {v}' for k, v in counts.items())}")
    return 0


def _cmd_hash(args: argparse.Namespace) -> int:
    from atlas.register.auth import hash_password

    # Never from the command line (it would stay in the shell history and the process list): a hidden
    # prompt on a terminal, else one line from standard input (e.g. `printf '%s\n' "$PW" | atlas passwort-hash`).
    if sys.stdin.isatty():
        password = getpass.getpass("Passwort: ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < 10:
        print("Fehler: Das Passwort muss mindestens 10 Zeichen haben.", file=sys.stderr)
        return 1
    print(hash_password(password))
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the register's sub-commands to the ``atlas`` parser."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database", help="Datenbankadresse (Standard: ATLAS_DATABASE_URL oder SQLite im Datenordner)")
    common.add_argument("--data", help="Datenordner (Standard: ATLAS_DATA_DIR oder geodata/build)")
    p_backup = sub.add_parser("backup", parents=[common], help="Angebotsregister in eine Datei sichern (JSON, .gz möglich)")
    p_backup.add_argument("datei", help="Zieldatei, z. B. register-2025-03-01.json.gz")
    p_backup.add_argument("--mit-kontakten", action="store_true",
                          help="Kontaktangaben der Meldenden mitsichern (sonst weggelassen)")
    p_backup.set_defaults(func=_cmd_backup)
    p_restore = sub.add_parser("restore", parents=[common], help="Angebotsregister aus einer Sicherung wiederherstellen")
    p_restore.add_argument("datei", help="Sicherungsdatei")
    p_restore.add_argument("--ja", action="store_true", help="vorhandenen Bestand ohne Rückfrage ersetzen")
    p_restore.set_defaults(func=_cmd_restore)
    p_hash = sub.add_parser("passwort-hash", help="Passwort-Hash für [admin] users in secrets.toml erzeugen (Passwort verdeckt oder über stdin)")
    p_hash.set_defaults(func=_cmd_hash)
