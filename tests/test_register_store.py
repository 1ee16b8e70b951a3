"""Register store on SQLite and PostgreSQL/PostGIS: seed, history, optimistic locking, soft delete,
restore of versions, transactions, queues, backup/restore."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from atlas.build import BuildResult
from atlas.cli import main as cli_main
from atlas.register import store as store_module
from atlas.register.backup import backup, restore
from atlas.register.errors import ConflictError, RegisterError, ValidationFailed
from atlas.register.importer import load_geodata
from atlas.register.store import SEED_USER, RegisterStore
from atlas.sources import load_sources
from tests.conftest import SOURCE_DIR
from tests.fixtures.synthetic_register import store, synthetic_row, synthetic_rows  # noqa: F401 - fixture



def _source_rows() -> int:
    """Rows of the public-sources register in the source folder – the expectation comes from the data, not
    from today's count (0 without the folder: the data tests here then fail on their ``built`` fixture)."""
    path = SOURCE_DIR / load_sources()["angebote"].datei
    return len(pd.read_csv(path, dtype=str)) if path.is_file() else 0


CSV_ROWS = _source_rows()


@pytest.fixture()
def seeded(store: RegisterStore, built: BuildResult) -> RegisterStore:  # noqa: F811
    assert store.seed_from_atlas(built.gpkg) == CSV_ROWS
    return store


def test_seed_from_built_register_keeps_every_row_with_position_and_precision(seeded: RegisterStore,
                                                                              built: BuildResult) -> None:
    offers = seeded.offers()
    assert len(offers) == CSV_ROWS
    placed = built.manifest_data["angebote"]["verortet"]
    by_precision: dict[str, int] = {}
    for o in offers:
        by_precision[str(o["lage_genauigkeit"])] = by_precision.get(str(o["lage_genauigkeit"]), 0) + 1
    assert {k: by_precision[k] for k in placed} == placed
    first = seeded.offer("SM-0001")
    assert first is not None and first["ort"] == "Meiningen" and first["version"] == 1
    assert 10.2 < first["lon"] < 10.6 and 50.4 < first["lat"] < 50.8  # type: ignore[operator]
    unplaced = [o for o in offers if o["lon"] is None]
    assert len(unplaced) == len(built.manifest_data["angebote"]["ohne_lage"])
    assert all(o["lage_hinweis"] for o in unplaced)
    hist = seeded.history("SM-0001")
    assert [(h["aktion"], h["wer"], h["version"]) for h in hist] == [("erststand", SEED_USER, 1)]
    # a second start does not seed again
    assert seeded.seed_from_atlas(built.gpkg) == 0
    assert seeded.count() == CSV_ROWS


def test_update_keeps_history_with_before_and_after(seeded: RegisterStore) -> None:
    updated = seeded.update_offer("SM-0001", {"telefon": "03693 485-0"}, expected_version=1, who="anna")
    assert updated["telefon"] == "03693 485-0" and updated["version"] == 2 and updated["geaendert_von"] == "anna"
    latest = seeded.history("SM-0001")[0]
    assert latest["aktion"] == "geaendert" and latest["wer"] == "anna" and latest["version"] == 2
    assert latest["vorher"]["telefon"] == "03693 485636" and latest["nachher"]["telefon"] == "03693 485-0"
    # an update that changes nothing does not create a version
    same = seeded.update_offer("SM-0001", {"telefon": "03693 485-0"}, expected_version=2, who="anna")
    assert same["version"] == 2 and len(seeded.history("SM-0001")) == 2


def test_second_editor_gets_conflict_not_silent_overwrite(seeded: RegisterStore) -> None:
    loaded_by_anna = seeded.offer("SM-0002")
    loaded_by_ben = seeded.offer("SM-0002")
    seeded.update_offer("SM-0002", {"oeffnungszeiten": "Mo 8-12"}, loaded_by_anna["version"], "anna")  # type: ignore[index]
    with pytest.raises(ConflictError) as exc:
        seeded.update_offer("SM-0002", {"oeffnungszeiten": "Di 8-12"}, loaded_by_ben["version"], "ben")  # type: ignore[index]
    message = str(exc.value)
    assert message.startswith("Konflikt: Das Angebot 'Stadt Meiningen – Fachbereich Bürgerservice & Generationen' "
                              "wurde inzwischen von anna am ")
    assert "jetzt Version 2, Ihre Vorlage war Version 1" in message and "NICHT gespeichert" in message
    assert seeded.offer("SM-0002")["oeffnungszeiten"] == "Mo 8-12"  # type: ignore[index]


def test_soft_delete_and_restore_of_any_earlier_version(seeded: RegisterStore) -> None:
    seeded.update_offer("SM-0003", {"name": "Neuer Name"}, 1, "anna")
    seeded.update_offer("SM-0003", {"plz": "98544", "telefon": "03682 1234"}, 2, "anna")
    deleted = seeded.delete_offer("SM-0003", 3, "ben", comment="geschlossen")
    assert deleted["geloescht"] is True and deleted["version"] == 4
    assert seeded.count() == CSV_ROWS - 1 and seeded.count(include_deleted=True) == CSV_ROWS
    assert "SM-0003" not in {o["id"] for o in seeded.offers()}
    restored = seeded.restore_version("SM-0003", version=1, expected_version=4, who="carla")
    assert restored["geloescht"] is False and restored["version"] == 5
    assert restored["name"].startswith("Stadtverwaltung Zella-Mehlis")  # type: ignore[union-attr]
    assert restored["telefon"] == ""
    actions = [h["aktion"] for h in seeded.history("SM-0003")]
    assert actions == ["wiederhergestellt", "geloescht", "geaendert", "geaendert", "erststand"]
    with pytest.raises(RegisterError, match="Version 9 des Angebots 'SM-0003' gibt es nicht"):
        seeded.restore_version("SM-0003", 9, 5, "carla")


def test_mark_verified_sets_date(seeded: RegisterStore) -> None:
    from datetime import date

    result = seeded.mark_verified("SM-0004", 1, "anna", day=date(2025, 3, 1))
    assert result["zuletzt_geprueft"] == "2025-03-01"
    assert seeded.history("SM-0004")[0]["aktion"] == "geprueft"


def test_update_is_validated_and_rejects_javascript_url(seeded: RegisterStore, built: BuildResult) -> None:
    ctx = load_geodata(built.gpkg).validation_base()
    with pytest.raises(ValidationFailed, match="Webadresse 'javascript:alert\\(1\\)' ist ungültig"):
        seeded.update_offer("SM-0001", {"website": "javascript:alert(1)"}, 1, "anna", ctx=ctx)
    assert seeded.offer("SM-0001")["version"] == 1  # type: ignore[index]


def test_create_assigns_next_id_and_refuses_duplicate(seeded: RegisterStore, built: BuildResult) -> None:
    ctx = load_geodata(built.gpkg).validation_base()
    offer = seeded.create_offer(synthetic_row(1), "anna", ctx)
    assert offer["id"] == "SM-0181" and offer["version"] == 1
    with pytest.raises(ValidationFailed, match="gibt es schon im Register \\(Kennung SM-0181\\)"):
        seeded.create_offer(synthetic_row(1), "anna", ctx)


def test_failure_half_way_through_bulk_insert_leaves_store_unchanged(seeded: RegisterStore,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}
    original = store_module._insert_batch

    def failing(conn, table, rows):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:  # offers of batch 1 and their history are written, then the failure
            raise RuntimeError("Stromausfall (simuliert)")
        original(conn, table, rows)

    monkeypatch.setattr(store_module, "BATCH_SIZE", 100)
    monkeypatch.setattr(store_module, "_insert_batch", failing)
    with pytest.raises(RuntimeError, match="simuliert"):
        seeded.insert_offers(synthetic_rows(250), "anna")
    assert calls["n"] == 3
    assert seeded.count(include_deleted=True) == CSV_ROWS
    with seeded.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM angebote_historie")).scalar_one() == CSV_ROWS


def test_reports_and_candidates_wait_in_queues_and_never_change_register(seeded: RegisterStore) -> None:
    nr = seeded.add_report("falsch", "Telefonnummer ist veraltet", angebot_id="SM-0001")
    assert seeded.reports("offen")[0]["nr"] == nr
    seeded.set_report_status(nr, "erledigt", "anna", "geprüft")
    assert seeded.reports("offen") == [] and seeded.reports()[0]["bearbeitet_von"] == "anna"
    assert seeded.offer("SM-0001")["version"] == 1  # type: ignore[index]
    cand = {"osm_typ": "node", "osm_id": 1, "name": "Synthetische Apotheke", "kategorie": "Apotheke",
            "handlungsfeld": "Gesundheit", "ort": "Meiningen", "lon": 10.417, "lat": 50.568, "tags": {"amenity": "pharmacy"}}
    assert seeded.add_candidates([cand]) == (1, 0)
    assert seeded.add_candidates([cand]) == (0, 1)
    queued = seeded.candidates()
    assert seeded.count() == CSV_ROWS
    offer = seeded.accept_candidate(int(queued[0]["nr"]), "anna")
    assert offer["quelle_url"] == "https://www.openstreetmap.org/node/1" and offer["lage_genauigkeit"] == "punkt"
    assert seeded.candidates() == [] and seeded.count() == CSV_ROWS + 1


def test_postgis_geometry_follows_lon_lat(store: RegisterStore) -> None:  # noqa: F811
    store.insert_offers([synthetic_row(1, id="T-1", lon=10.4, lat=50.6)], "anna")
    if store.backend != "postgresql":
        assert store.backend == "sqlite"
        return
    store.update_offer("T-1", {"lon": 10.45, "lat": 50.65}, 1, "anna")
    with store.engine.connect() as conn:
        x, y, srid = conn.execute(sa.text("SELECT ST_X(geom), ST_Y(geom), ST_SRID(geom) FROM angebote "
                                          "WHERE id = :id"), {"id": "T-1"}).one()
    assert (x, y, srid) == (10.45, 50.65, 4326)


def test_backup_restore_round_trip_and_cli(seeded: RegisterStore, tmp_path: Path) -> None:
    seeded.update_offer("SM-0001", {"telefon": "03693 1"}, 1, "anna")
    seeded.add_report("fehlt", "Die Tafel in Wasungen fehlt", name="Tafel Wasungen")
    target = tmp_path / "sicherung.json.gz"
    counts = backup(seeded, target)
    assert counts == {"angebote": CSV_ROWS, "angebote_historie": CSV_ROWS + 1, "meldungen": 1, "osm_kandidaten": 0}
    seeded.delete_offer("SM-0001", 2, "ben")
    seeded.insert_offers(synthetic_rows(3), "ben")
    assert restore(seeded, target)["angebote"] == CSV_ROWS
    assert seeded.count() == CSV_ROWS and seeded.offer("SM-0001")["telefon"] == "03693 1"  # type: ignore[index]
    # sequences continue after restore (PostgreSQL identity)
    assert seeded.add_report("fehlt", "Noch ein fehlendes Angebot") == 2
    # a broken file changes nothing
    broken = tmp_path / "kaputt.json"
    broken.write_text(json.dumps({"format": "standortatlas-register", "version": 1, "tabellen": {}}))
    with pytest.raises(RegisterError, match="Tabelle 'angebote' fehlt"):
        restore(seeded, broken)
    assert seeded.count() == CSV_ROWS


def test_cli_backup_and_restore_on_sqlite(tmp_path: Path, built: BuildResult, capsys: pytest.CaptureFixture) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    RegisterStore.open(url).seed_from_atlas(built.gpkg)
    target = tmp_path / "b.json"
    assert cli_main(["backup", "--database", url, str(target)]) == 0
    assert "Sicherung geschrieben" in capsys.readouterr().out
    assert cli_main(["restore", "--database", url, str(target)]) == 1
    assert "Zum Bestätigen mit --ja" in capsys.readouterr().err
    assert cli_main(["restore", "--database", url, "--ja", str(target)]) == 0
    assert cli_main(["restore", "--database", url, "--ja", str(tmp_path / "fehlt.json")]) == 1
    assert "Die Sicherung fehlt.json gibt es nicht." in capsys.readouterr().err
