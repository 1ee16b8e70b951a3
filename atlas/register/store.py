"""The register store: one interface over SQLite (default) and PostgreSQL/PostGIS.

Choice of library: SQLAlchemy 2 Core (well kept, one dialect layer for both databases, parametrised SQL
everywhere, ``executemany`` batching for bulk inserts; psycopg 3 as the PostgreSQL driver). The store
is opened from ``ATLAS_DATABASE_URL`` when set (e.g. ``postgresql+psycopg://user:pw@host/db``), else a
SQLite file ``register.sqlite`` in the data directory (:func:`atlas.settings.data_dir`).

Guarantees:

* every change is kept in ``angebote_historie`` (who, when, snapshot before and after, action);
  deleting only sets ``geloescht``; any earlier version can be restored (itself a new version);
* optimistic locking: each offer has a ``version``; a change names the version it was based on and is
  refused with :class:`ConflictError` when someone else changed the offer in between (no silent overwrite);
* bulk imports run in one transaction: an error half-way leaves the store unchanged;
* public reports and OSM candidates wait in queues (``meldungen``, ``osm_kandidaten``) and never change
  the register by themselves.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from atlas import schema, settings
from atlas.register._helpers import clean_text, dedup_key, now_iso
from atlas.register.errors import ConflictError, RegisterError, ValidationFailed
from atlas.register.models import (
    EDITABLE_FIELDS, OFFER_FIELDS, angebote, historie, meldungen, metadata, osm_kandidaten, postgis_ddl,
)
from atlas.register.seed import ACTION_SEED, SEED_USER, seed_from_atlas  # noqa: F401 - re-exported
from atlas.register.validation import ValidationContext, check_record

#: Name of the SQLite file in the data directory.
SQLITE_NAME = "register.sqlite"
#: Rows per INSERT batch in bulk imports.
BATCH_SIZE = 1000
#: Actions written to the history.
ACTION_CREATE, ACTION_IMPORT = "angelegt", "import"
ACTION_UPDATE, ACTION_DELETE, ACTION_RESTORE, ACTION_VERIFY = "geaendert", "geloescht", "wiederhergestellt", "geprueft"

_SNAPSHOT_FIELDS = ("id", *EDITABLE_FIELDS, "geloescht", "version")


def database_url(url: str | None = None, data: str | os.PathLike[str] | None = None) -> str:
    """*url*, else ``ATLAS_DATABASE_URL``, else the SQLite file in the data directory."""
    if url:
        return url
    env = settings.database_url_env()
    if env:
        return env
    folder = settings.data_dir(data)
    return f"sqlite:///{folder / SQLITE_NAME}"


def _snapshot(row: Mapping[str, object]) -> dict[str, object]:
    snap = {k: row.get(k) for k in _SNAPSHOT_FIELDS}
    snap["geloescht"] = bool(snap["geloescht"])
    return snap


def _refuse_nul(records: Iterable[Mapping[str, object]]) -> None:
    """NUL characters cannot be stored in PostgreSQL text and are never meant: refuse in German."""
    for record in records:
        for key, value in record.items():
            if isinstance(value, str) and "\x00" in value:
                raise RegisterError(f"Nicht gespeichert: das Feld '{key}' enthält ein Nullzeichen (NUL).")


def _insert_batch(conn: Connection, table: sa.Table, rows: Sequence[Mapping[str, object]]) -> None:
    """One executemany INSERT (parametrised)."""
    if rows:
        conn.execute(table.insert(), list(rows))


def _offer_values(record: Mapping[str, object]) -> dict[str, object]:
    values: dict[str, object] = {f: clean_text(record.get(f)) for f in OFFER_FIELDS[1:]}
    for key in ("ags", "lage_genauigkeit", "lage_hinweis"):
        values[key] = clean_text(record.get(key))
    for key in ("lon", "lat"):
        value = record.get(key)
        values[key] = None if value is None or value == "" else float(value)  # type: ignore[arg-type]
    values["zuletzt_geprueft"] = record.get("zuletzt_geprueft") or None
    return values


class RegisterStore:
    """The register in one database (see module docstring)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.backend = engine.dialect.name

    # ------------------------------------------------------------------------------------- opening
    @classmethod
    def open(cls, url: str | None = None, data: str | os.PathLike[str] | None = None,
             create: bool = True) -> RegisterStore:
        """Open (and by default create the tables of) the store at *url* (see :func:`database_url`)."""
        url = database_url(url, data)
        try:
            if url.startswith("sqlite"):
                path = url.split("///", 1)[-1]
                if path and path != ":memory:":
                    Path(path).parent.mkdir(parents=True, exist_ok=True)
                engine = sa.create_engine(url, connect_args={"timeout": 30})

                @sa.event.listens_for(engine, "connect")
                def _pragmas(dbapi_conn, _record) -> None:  # pragma: no cover - trivial
                    cur = dbapi_conn.cursor()
                    cur.execute("PRAGMA journal_mode=WAL")
                    cur.execute("PRAGMA synchronous=NORMAL")
                    cur.close()
            else:
                engine = sa.create_engine(url, pool_pre_ping=True)
        except (sa.exc.ArgumentError, ImportError) as exc:
            raise RegisterError(f"Die Datenbankadresse ist ungültig oder der Treiber fehlt: {exc}") from exc
        store = cls(engine)
        if create:
            store.create_schema()
        return store

    def create_schema(self) -> None:
        """Create missing tables (and on PostgreSQL the PostGIS geometry column); idempotent."""
        try:
            with self.engine.begin() as conn:
                metadata.create_all(conn)
                if self.backend == "postgresql":
                    has_postgis = conn.execute(sa.text(
                        "SELECT 1 FROM pg_extension WHERE extname = 'postgis'")).first() is not None
                    for statement in postgis_ddl()[(1 if has_postgis else 0):]:
                        conn.execute(sa.text(statement))
        except sa.exc.OperationalError as exc:
            raise RegisterError(f"Die Datenbank ist nicht erreichbar: {exc.orig}") from exc
        except sa.exc.ProgrammingError as exc:
            raise RegisterError(f"Die Datenbank konnte nicht eingerichtet werden (PostGIS installiert?): {exc.orig}") from exc

    def drop_all(self) -> None:
        """Remove every register table (tests, restore into a fresh database)."""
        with self.engine.begin() as conn:
            metadata.drop_all(conn)

    def dispose(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------------------------- reading
    def count(self, include_deleted: bool = False) -> int:
        query = sa.select(sa.func.count()).select_from(angebote)
        if not include_deleted:
            query = query.where(angebote.c.geloescht.is_(False))
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def offers(self, include_deleted: bool = False) -> list[dict[str, object]]:
        """All offers (active ones unless *include_deleted*), ordered by id."""
        query = sa.select(*[c for c in angebote.c if c.name != "geom"]).order_by(angebote.c.id)
        if not include_deleted:
            query = query.where(angebote.c.geloescht.is_(False))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def offer(self, offer_id: str) -> dict[str, object] | None:
        with self.engine.connect() as conn:
            row = self._get(conn, offer_id)
        return dict(row) if row is not None else None

    @staticmethod
    def _get(conn: Connection, offer_id: str) -> Mapping[str, object] | None:
        query = sa.select(*[c for c in angebote.c if c.name != "geom"]).where(angebote.c.id == offer_id)
        return cast("Mapping[str, object] | None", conn.execute(query).mappings().first())

    def categories(self) -> set[str]:
        with self.engine.connect() as conn:
            return {r for r in conn.execute(sa.select(angebote.c.kategorie).distinct()).scalars() if r}

    def history(self, offer_id: str) -> list[dict[str, object]]:
        """History of one offer, newest first."""
        query = (sa.select(historie).where(historie.c.angebot_id == offer_id)
                 .order_by(historie.c.version.desc(), historie.c.nr.desc()))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def validation_context(self, base: ValidationContext) -> ValidationContext:
        """*base* plus the store's categories, active offers (duplicates) and every id ever used."""
        existing: dict[tuple[str, str, str], str] = {}
        ids: set[str] = set()
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(angebote.c.id, angebote.c.name, angebote.c.ort, angebote.c.handlungsfeld,
                                          angebote.c.geloescht))
            for oid, name, ort, feld, deleted in rows:
                ids.add(oid)
                if not deleted:
                    existing.setdefault(dedup_key(name, ort, feld), oid)
        return ValidationContext(kategorien=base.kategorien | frozenset(self.categories()),
                                 kategorie_synonyme=base.kategorie_synonyme, handlungsfelder=base.handlungsfelder, gemeinden=base.gemeinden,
                                 kreis=base.kreis, existing=existing, existing_ids=frozenset(ids))

    # ------------------------------------------------------------------------------------- writing
    @staticmethod
    def _next_ids(conn: Connection, n: int) -> list[str]:
        """*n* new ids continuing the register's numbering (e.g. SM-0181, SM-0182, …)."""
        prefix, highest = "A", 0
        counts: dict[str, int] = {}
        for (oid,) in conn.execute(sa.select(angebote.c.id)):
            match = re.match(r"^(.*?)-?(\d+)$", str(oid))
            if match:
                counts[match.group(1)] = counts.get(match.group(1), 0) + 1
        if counts:
            prefix = max(counts, key=lambda k: counts[k]) or "A"
        for (oid,) in conn.execute(sa.select(angebote.c.id).where(angebote.c.id.like(f"{prefix}-%"))):
            tail = str(oid)[len(prefix) + 1:]
            if tail.isdigit():
                highest = max(highest, int(tail))
        return [f"{prefix}-{highest + i:04d}" for i in range(1, n + 1)]

    def _lock_for_insert(self, conn: Connection) -> None:
        """Serialise transactions that allocate ids and check duplicates (first statement of a transaction).

        SQLite: ``BEGIN IMMEDIATE`` takes the database's write lock now instead of at the first write, so a
        second writer waits (busy timeout) before it reads the ids. PostgreSQL: ``SHARE ROW EXCLUSIVE`` on
        ``angebote`` conflicts with itself and with row changes, not with readers.
        """
        if self.backend == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif self.backend == "postgresql":
            conn.execute(sa.text("LOCK TABLE angebote IN SHARE ROW EXCLUSIVE MODE"))

    @staticmethod
    def _duplicates_in_store(conn: Connection, records: Sequence[Mapping[str, object]], first_line: int) -> list:
        """Rows of *records* whose id exists or whose name+Gemeinde+Handlungsfeld is an active offer – read
        inside the committing transaction, so a parallel import that committed first is seen."""
        from atlas.register.validation import Problem

        ids: set[str] = set()
        active: dict[tuple[str, str, str], str] = {}
        for oid, name, ort, feld, deleted in conn.execute(sa.select(
                angebote.c.id, angebote.c.name, angebote.c.ort, angebote.c.handlungsfeld, angebote.c.geloescht)):
            ids.add(str(oid))
            if not deleted:
                active.setdefault(dedup_key(name, ort, feld), str(oid))
        problems = []
        for offset, record in enumerate(records):
            zeile = first_line + offset
            oid = clean_text(record.get("id"))
            key = dedup_key(record.get("name"), record.get("ort"), record.get("handlungsfeld"))
            if oid and oid in ids:
                problems.append(Problem(zeile, "id", f"Kennung '{oid}' gibt es inzwischen im Register "
                                                     "(gerade von jemand anderem gespeichert)."))
            elif key in active:
                problems.append(Problem(zeile, "name", f"Doppelt: '{clean_text(record.get('name'))}' in "
                                                       f"'{clean_text(record.get('ort')) or '–'}' gibt es inzwischen "
                                                       f"im Register (Kennung {active[key]})."))
        return problems

    def insert_offers(self, records: Sequence[Mapping[str, object]], who: str, action: str = ACTION_IMPORT,
                      comment: str = "", first_line: int = 2) -> list[str]:
        """Insert *records* (checked beforehand) in ONE transaction with their history; returns the ids.

        The transaction first takes the insert lock (:meth:`_lock_for_insert`), then checks ids and
        duplicates against the store as it is *now* (:class:`ValidationFailed` naming the file rows, counted
        from *first_line*) and allocates new ids for records without one – so two imports at the same moment
        neither collide on ids nor store the same offer twice. Any error rolls everything back.
        """
        when = now_iso()
        _refuse_nul(records)
        try:
            with self.engine.begin() as conn:
                self._lock_for_insert(conn)
                problems = self._duplicates_in_store(conn, records, first_line)
                if problems:
                    raise ValidationFailed(
                        f"Speichern abgelehnt, nichts wurde gespeichert: {len(problems)} Zeile(n) gibt es "
                        "inzwischen schon im Register.", problems)
                missing = sum(1 for r in records if not clean_text(r.get("id")))
                new_ids = iter(self._next_ids(conn, missing))
                rows: list[dict[str, object]] = []
                for record in records:
                    oid = clean_text(record.get("id")) or next(new_ids)
                    rows.append({"id": oid, **_offer_values(record), "geloescht": False, "version": 1,
                                 "geaendert_am": when, "geaendert_von": who})
                hist = [{"angebot_id": r["id"], "version": 1, "aktion": action, "wer": who, "wann": when,
                         "vorher": None, "nachher": _snapshot(r), "kommentar": comment} for r in rows]
                for start in range(0, len(rows), BATCH_SIZE):
                    _insert_batch(conn, angebote, rows[start:start + BATCH_SIZE])
                    _insert_batch(conn, historie, hist[start:start + BATCH_SIZE])
        except sa.exc.IntegrityError as exc:
            raise RegisterError("Speichern abgebrochen, nichts wurde übernommen: eine Kennung gibt es schon "
                                "im Register.") from exc
        except sa.exc.OperationalError as exc:
            raise RegisterError("Speichern abgebrochen, nichts wurde übernommen: die Datenbank ist gerade belegt "
                                "oder nicht erreichbar. Bitte gleich noch einmal versuchen.") from exc
        return [str(r["id"]) for r in rows]

    def create_offer(self, record: Mapping[str, object], who: str, ctx: ValidationContext | None = None,
                     comment: str = "") -> dict[str, object]:
        """Create one offer (checked against *ctx* including duplicates when given)."""
        if ctx is not None:
            from atlas.register.validation import check_rows

            checked = check_rows([record], self.validation_context(ctx), first_line=1)
            if checked.problems:
                raise ValidationFailed("Das Angebot wurde nicht gespeichert: "
                                       + "; ".join(p.meldung for p in checked.problems), checked.problems)
        (oid,) = self.insert_offers([record], who, ACTION_CREATE, comment)
        return self.offer(oid)  # type: ignore[return-value]

    def _change(self, offer_id: str, expected_version: int, who: str, action: str,
                compute: Callable[[Mapping[str, object]], dict[str, object]], comment: str = "") -> dict[str, object]:
        """Apply ``compute(current_row) -> changes`` under optimistic locking, with history."""
        with self.engine.begin() as conn:
            current = self._get(conn, offer_id)
            if current is None:
                raise RegisterError(f"Das Angebot '{offer_id}' gibt es nicht.")
            if int(cast(int, current["version"])) != int(expected_version):
                raise ConflictError(
                    f"Konflikt: Das Angebot '{current['name']}' wurde inzwischen von {current['geaendert_von']} "
                    f"am {current['geaendert_am']} geändert (jetzt Version {current['version']}, Ihre Vorlage war "
                    f"Version {expected_version}). Ihre Änderung wurde NICHT gespeichert – bitte neu laden und "
                    "die Änderung erneut eintragen.")
            changes = compute(current)
            before = _snapshot(current)
            after = {**before, **changes}
            if after == before:
                return dict(current)
            new_version = int(expected_version) + 1
            when = now_iso()
            result = conn.execute(
                sa.update(angebote)
                .where(angebote.c.id == offer_id, angebote.c.version == int(expected_version))
                .values(**changes, version=new_version, geaendert_am=when, geaendert_von=who)
            )
            if result.rowcount != 1:
                raise ConflictError(f"Konflikt: Das Angebot '{current['name']}' wurde gerade von jemand anderem "
                                    "geändert. Ihre Änderung wurde NICHT gespeichert – bitte neu laden.")
            after["version"] = new_version
            conn.execute(historie.insert().values(
                angebot_id=offer_id, version=new_version, aktion=action, wer=who, wann=when,
                vorher=before, nachher=after, kommentar=comment))
            row = self._get(conn, offer_id)
        return dict(row)  # type: ignore[arg-type]

    def update_offer(self, offer_id: str, changes: Mapping[str, object], expected_version: int, who: str,
                     ctx: ValidationContext | None = None, comment: str = "") -> dict[str, object]:
        """Change fields of one offer; :class:`ConflictError` when *expected_version* is outdated."""
        _refuse_nul([changes])
        unknown = set(changes) - set(EDITABLE_FIELDS)
        if unknown:
            raise RegisterError(f"Diese Felder können nicht geändert werden: {', '.join(sorted(unknown))}.")
        if {"lon", "lat"} & set(changes) and "lage_genauigkeit" not in changes and changes.get("lon") not in (None, ""):
            changes = {**changes, "lage_genauigkeit": schema.PRECISION_POINT}  # a person set the point

        def compute(current: Mapping[str, object]) -> dict[str, object]:
            merged = {**dict(current), **changes}
            values = _offer_values(merged)
            if ctx is not None:
                full = self.validation_context(ctx)
                _rec, problems = check_record(merged, full)
                key = dedup_key(values["name"], values["ort"], values["handlungsfeld"])
                other = full.existing.get(key)
                if other is not None and other != offer_id:
                    from atlas.register.validation import Problem

                    problems.append(Problem(None, "name", f"Doppelt: '{values['name']}' in '{values['ort']}' gibt es "
                                                          f"schon im Register (Kennung {other})."))
                if problems:
                    raise ValidationFailed("Nicht gespeichert: " + "; ".join(p.text for p in problems), problems)
            return {k: values[k] for k in changes if k in values}

        return self._change(offer_id, expected_version, who, ACTION_UPDATE, compute, comment)

    def delete_offer(self, offer_id: str, expected_version: int, who: str, comment: str = "") -> dict[str, object]:
        """Soft delete (the offer stays in the store and its history; it can be restored)."""
        return self._change(offer_id, expected_version, who, ACTION_DELETE, lambda _c: {"geloescht": True}, comment)

    def mark_verified(self, offer_id: str, expected_version: int, who: str, day: date | None = None
                      ) -> dict[str, object]:
        """Set 'zuletzt geprüft' (default today)."""
        value = (day or date.today()).isoformat()
        return self._change(offer_id, expected_version, who, ACTION_VERIFY, lambda _c: {"zuletzt_geprueft": value})

    def restore_version(self, offer_id: str, version: int, expected_version: int, who: str) -> dict[str, object]:
        """Make the state of *version* (from the history) current again, as a new version."""
        with self.engine.connect() as conn:
            entry = conn.execute(sa.select(historie.c.nachher).where(
                historie.c.angebot_id == offer_id, historie.c.version == int(version))
                .order_by(historie.c.nr.desc())).first()
        if entry is None or not entry[0]:
            raise RegisterError(f"Version {version} des Angebots '{offer_id}' gibt es nicht.")
        state = dict(entry[0])
        restored = {k: state.get(k) for k in EDITABLE_FIELDS}
        restored["geloescht"] = bool(state.get("geloescht"))
        return self._change(offer_id, expected_version, who, ACTION_RESTORE, lambda _c: restored,
                            comment=f"Stand von Version {version}")

    # ---------------------------------------------------------------------------------- seeding
    def seed_from_atlas(self, gpkg: str | os.PathLike[str]) -> int:
        """Deprecated alias of :func:`atlas.register.seed.seed_from_atlas` (kept for one release)."""
        return seed_from_atlas(self, gpkg)

    # ---------------------------------------------------------------------------------- reports
    def add_report(self, art: str, beschreibung: str, name: str = "", ort: str = "", kontakt: str = "",
                   angebot_id: str | None = None) -> int:
        """Put one public report into the moderation queue; returns its number."""
        with self.engine.begin() as conn:
            result = conn.execute(meldungen.insert().values(
                art=art, beschreibung=beschreibung, name=name, ort=ort, kontakt=kontakt,
                angebot_id=angebot_id or None, eingegangen=now_iso(), status="offen"))
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def reports(self, status: str | None = None) -> list[dict[str, object]]:
        query = sa.select(meldungen).order_by(meldungen.c.nr.desc())
        if status:
            query = query.where(meldungen.c.status == status)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def reports_since(self, iso_time: str) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(meldungen)
                                    .where(meldungen.c.eingegangen >= iso_time)).scalar_one())

    def set_report_status(self, nr: int, status: str, who: str, notiz: str = "") -> None:
        """Set the status; closing a report ('erledigt', 'abgelehnt') deletes the reporter's contact."""
        if status not in ("offen", "erledigt", "abgelehnt"):
            raise RegisterError(f"Unbekannter Status '{status}'.")
        values: dict[str, object] = {"status": status, "bearbeitet_von": who, "bearbeitet_am": now_iso(),
                                     "notiz": notiz}
        if status != "offen":
            values["kontakt"] = ""  # no longer needed
        with self.engine.begin() as conn:
            result = conn.execute(sa.update(meldungen).where(meldungen.c.nr == int(nr)).values(**values))
            if result.rowcount != 1:
                raise RegisterError(f"Die Meldung {nr} gibt es nicht.")

    def delete_report_contact(self, nr: int, who: str) -> None:
        """Delete the reporter's contact of report *nr* (on request)."""
        with self.engine.begin() as conn:
            result = conn.execute(sa.update(meldungen).where(meldungen.c.nr == int(nr)).values(
                kontakt="", bearbeitet_von=who, bearbeitet_am=now_iso()))
            if result.rowcount != 1:
                raise RegisterError(f"Die Meldung {nr} gibt es nicht.")

    def purge_report_contacts(self, older_than_days: int, now_iso_text: str | None = None) -> int:
        """Delete contacts of reports received more than *older_than_days* days ago; returns how many."""
        from datetime import datetime, timedelta

        now = datetime.fromisoformat(now_iso_text or now_iso())
        limit = (now - timedelta(days=older_than_days)).isoformat(timespec="seconds")
        with self.engine.begin() as conn:
            result = conn.execute(sa.update(meldungen).where(meldungen.c.eingegangen < limit,
                                                             meldungen.c.kontakt != "").values(kontakt=""))
            return int(result.rowcount or 0)

    # ---------------------------------------------------------------------------------- OSM queue
    def add_candidates(self, candidates: Iterable[Mapping[str, object]]) -> tuple[int, int]:
        """Queue candidates not queued before (by OSM type and id); returns (added, already queued)."""
        rows = list(candidates)
        with self.engine.begin() as conn:
            known = {(t, int(i)) for t, i in conn.execute(sa.select(osm_kandidaten.c.osm_typ, osm_kandidaten.c.osm_id))}
            when = now_iso()
            new = [{**c, "eingelesen": when, "status": "offen"} for c in rows
                   if (c["osm_typ"], int(cast(int, c["osm_id"]))) not in known]
            _insert_batch(conn, osm_kandidaten, new)
        return len(new), len(rows) - len(new)

    def candidates(self, status: str | None = "offen") -> list[dict[str, object]]:
        query = sa.select(osm_kandidaten).order_by(osm_kandidaten.c.kategorie, osm_kandidaten.c.name)
        if status:
            query = query.where(osm_kandidaten.c.status == status)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def accept_candidate(self, nr: int, who: str, overrides: Mapping[str, object] | None = None,
                         ctx: ValidationContext | None = None) -> dict[str, object]:
        """Take an OSM candidate into the register (a new offer with point precision)."""
        from atlas.register.osm_candidates import candidate_to_record

        with self.engine.connect() as conn:
            row = conn.execute(sa.select(osm_kandidaten).where(osm_kandidaten.c.nr == int(nr))).mappings().first()
        if row is None or row["status"] != "offen":
            raise RegisterError(f"Der Vorschlag {nr} ist nicht (mehr) offen.")
        record = {**candidate_to_record(dict(row)), **(overrides or {})}
        offer = self.create_offer(record, who, ctx, comment=f"aus OpenStreetMap {row['osm_typ']}/{row['osm_id']}")
        with self.engine.begin() as conn:
            conn.execute(sa.update(osm_kandidaten).where(osm_kandidaten.c.nr == int(nr)).values(
                status="uebernommen", angebot_id=offer["id"], bearbeitet_von=who))
        return offer

    def reject_candidate(self, nr: int, who: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.update(osm_kandidaten).where(osm_kandidaten.c.nr == int(nr)).values(
                status="verworfen", bearbeitet_von=who))
