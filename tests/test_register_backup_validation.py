"""Restore validates every field before writing; a damaged file gives ONE German message (issue 12,
point 7)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from atlas.cli import main as cli_main
from atlas.register.backup import backup, read_backup, restore
from atlas.register.errors import RegisterError
from atlas.register.store import RegisterStore
from tests.fixtures.synthetic_register import store, synthetic_rows  # noqa: F401


@pytest.fixture()
def filled(store: RegisterStore) -> RegisterStore:  # noqa: F811
    store.insert_offers(synthetic_rows(5), "anna")
    store.add_report("fehlt", "Die Tafel in Wasungen fehlt.", name="Tafel", kontakt="a@b.de")
    return store


def _doc(store: RegisterStore, tmp_path: Path) -> dict:  # noqa: F811
    target = tmp_path / "sicherung.json"
    backup(store, target)
    return json.loads(target.read_text("utf-8"))


def _write(tmp_path: Path, doc: dict, name: str = "kaputt.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), "utf-8")
    return path


@pytest.mark.parametrize(("table", "field", "value", "expected"), [
    ("angebote", "version", "drei", "Tabelle 'angebote', Eintrag 2, Feld 'version': ganze Zahl erwartet"),
    ("angebote", "lon", "zehn", "Tabelle 'angebote', Eintrag 2, Feld 'lon': Zahl erwartet"),
    ("angebote", "name", 42, "Tabelle 'angebote', Eintrag 2, Feld 'name': Text erwartet"),
    ("angebote", "name", None, "Tabelle 'angebote', Eintrag 2, Feld 'name': Wert fehlt"),
    ("angebote", "geloescht", "nein", "Tabelle 'angebote', Eintrag 2, Feld 'geloescht': ja/nein erwartet"),
    ("angebote", "id", "x" * 41, "Tabelle 'angebote', Eintrag 2, Feld 'id': höchstens 40 Zeichen"),
    ("angebote", "telefon", "a\x00b", "Tabelle 'angebote', Eintrag 2, Feld 'telefon': enthält ein Steuerzeichen (U+0000)"),
    ("angebote_historie", "nachher", "kein Objekt", "Tabelle 'angebote_historie', Eintrag 2, Feld 'nachher': "
                                                    "JSON-Objekt erwartet"),
    ("meldungen", "nr", 1.5, "Tabelle 'meldungen', Eintrag 1, Feld 'nr': ganze Zahl erwartet"),
])
def test_wrong_value_types_are_refused_before_writing(filled: RegisterStore, tmp_path: Path, table: str,
                                                      field: str, value: object, expected: str) -> None:
    doc = _doc(filled, tmp_path)
    entry = 1 if table == "meldungen" else 2
    doc["tabellen"][table][entry - 1][field] = value
    before = filled.offers(include_deleted=True)
    with pytest.raises(RegisterError) as exc:
        restore(filled, _write(tmp_path, doc))
    assert str(exc.value) == f"Die Sicherung kaputt.json ist ungültig: {expected}."
    assert filled.offers(include_deleted=True) == before


def test_duplicate_ids_are_refused_in_german_without_sql(filled: RegisterStore, tmp_path: Path) -> None:
    doc = _doc(filled, tmp_path)
    doc["tabellen"]["angebote"][1]["id"] = doc["tabellen"]["angebote"][0]["id"]
    with pytest.raises(RegisterError) as exc:
        restore(filled, _write(tmp_path, doc))
    assert str(exc.value) == ("Die Sicherung kaputt.json ist ungültig: Tabelle 'angebote', Eintrag 2, Feld 'id': "
                              "die Kennung 'A-0001' steht doppelt.")
    assert len(str(exc.value)) < 300


def test_flipped_byte_in_gz_backup_gives_one_german_message(filled: RegisterStore, tmp_path: Path) -> None:
    target = tmp_path / "sicherung.json.gz"
    backup(filled, target)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    broken = tmp_path / "kaputt.json.gz"
    broken.write_bytes(bytes(data))
    with pytest.raises(RegisterError) as exc:
        read_backup(broken)
    assert str(exc.value) == "Die Sicherung kaputt.json.gz ist beschädigt oder keine gzip-Datei; nichts wurde geändert."
    truncated = tmp_path / "kurz.json.gz"
    truncated.write_bytes(target.read_bytes()[:40])
    with pytest.raises(RegisterError, match="Die Sicherung kurz.json.gz ist beschädigt"):
        read_backup(truncated)
    not_gzip = tmp_path / "text.json.gz"
    not_gzip.write_text("{}", "utf-8")
    with pytest.raises(RegisterError, match="Die Sicherung text.json.gz ist beschädigt"):
        read_backup(not_gzip)


def test_cli_restore_of_a_damaged_file_prints_one_line(filled: RegisterStore, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture) -> None:
    target = tmp_path / "sicherung.json.gz"
    backup(filled, target)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    url = filled.engine.url.render_as_string(hide_password=False)
    assert cli_main(["restore", "--database", url, "--ja", str(target)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1 and "beschädigt" in err


def test_valid_backup_still_restores(filled: RegisterStore, tmp_path: Path) -> None:
    target = tmp_path / "ok.json.gz"
    backup(filled, target)
    with gzip.open(target, "rt", encoding="utf-8") as handle:
        assert json.load(handle)["format"] == "standortatlas-register"
    assert restore(filled, target)["angebote"] == 5
