"""One loader for data files (atlas.datafile), `atlas check` over every data file, and the bar of issue 14:
a new offer category with its standard and topic needs data files only. SYNTHETIC edits of temporary
copies; no source folder needed."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field

from atlas import settings
from atlas.accessibility.errors import StandardsError
from atlas.accessibility.standards import load_standards, standards_for
from atlas.cli import main as cli_main
from atlas.council.errors import SlidesError
from atlas.datacheck import check_data_files
from atlas.datafile import load_entries, load_model, read_yaml
from atlas.errors import CatalogueError, DataFileError, LayerDefinitionError, SourceError
from atlas.offer_search.targets import load_themen, thema_for_kategorie
from atlas.register.categories import category_names, load_kategorien, synonym_lookup
from atlas.register.errors import CategoryFileError
from atlas.register.validation import ValidationContext


class Beispiel(BaseModel):
    """A synthetic model for the loader tests."""

    model_config = ConfigDict(extra="forbid")
    id: str
    radius: float = Field(5.0, ge=1, le=30)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_load_model_reads_and_names_file_and_field_in_german(tmp_path: Path) -> None:
    assert load_model(_write(tmp_path / "gut.yaml", "id: a\nradius: 3\n"), Beispiel) == Beispiel(id="a", radius=3)
    with pytest.raises(DataFileError, match=r"^schlecht.yaml: Feld 'radius' darf höchstens 30 sein \(angegeben: 99\)"):
        load_model(_write(tmp_path / "schlecht.yaml", "id: a\nradius: 99\n"), Beispiel)
    with pytest.raises(DataFileError, match=r"^tippfehler.yaml: Feld 'radus' ist kein bekanntes Feld"):
        load_model(_write(tmp_path / "tippfehler.yaml", "id: a\nradus: 3\n"), Beispiel)
    with pytest.raises(DataFileError, match=r"kaputt.yaml: Die Datei ist kein gültiges YAML"):
        load_model(_write(tmp_path / "kaputt.yaml", "id: [a\n"), Beispiel)
    with pytest.raises(DataFileError, match=r"fehlt.yaml: Die Datei fehlt"):
        load_model(tmp_path / "fehlt.yaml", Beispiel)
    assert read_yaml(tmp_path / "fehlt.yaml", required=False) is None


def test_load_entries_names_the_entry_and_refuses_duplicate_ids(tmp_path: Path) -> None:
    path = _write(tmp_path / "liste.yaml", "eintraege:\n  - id: a\n  - id: b\n    radius: 0\n")
    with pytest.raises(CatalogueError, match=r"^Katalog liste.yaml, Eintrag 'b': Feld 'radius' muss mindestens 1 sein"):
        load_entries(path, Beispiel, "eintraege", label="Katalog", error=CatalogueError)
    _write(path, "eintraege:\n  - id: a\n  - id: a\n")
    with pytest.raises(DataFileError, match="die id 'a' kommt mehrfach vor"):
        load_entries(path, Beispiel, "eintraege")
    _write(path, "andere: 1\n")
    with pytest.raises(DataFileError, match="der Eintrag 'eintraege:' fehlt oder ist keine nicht leere Liste"):
        load_entries(path, Beispiel, "eintraege")


def test_every_malformed_file_error_is_a_data_file_error() -> None:
    for error in (SourceError, LayerDefinitionError, CatalogueError, StandardsError, SlidesError, CategoryFileError):
        assert issubclass(error, DataFileError)


# ----------------------------------------------------------------------------------------- atlas check

@pytest.fixture()
def geodata_copy(tmp_path: Path) -> Path:
    target = tmp_path / "geodata"
    shutil.copytree(settings.GEODATA_DIR, target, ignore=shutil.ignore_patterns("build"))
    return target


def _edit_yaml(path: Path, change: Callable[[dict], object]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_atlas_check_passes_on_the_project_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path / "leer"))  # no build: the files alone are checked
    assert cli_main(["check"]) == 0
    out = capsys.readouterr().out
    for what in ("Kategorien", "Erreichbarkeitsstandards", "Themen", "Zielgruppen", "Folienliste beispiel",
                 "Ebenen-Dateien", "Indikatorkatalog"):
        assert f"geprüft: {what}" in out
    assert "Alle Datendateien sind gültig." in out


def test_atlas_check_names_file_and_field_of_a_broken_file(geodata_copy: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path / "leer"))
    _edit_yaml(geodata_copy / "standards.yaml", lambda d: d["standards"][0].update(mode="rakete"))
    _edit_yaml(geodata_copy / "angebote_themen.yaml", lambda d: d["themen"][0]["kategorien"].append("Zauberschule"))
    assert cli_main(["check", "--geodata", str(geodata_copy)]) == 1
    err = capsys.readouterr().err
    first = yaml.safe_load((settings.GEODATA_DIR / "standards.yaml").read_text(encoding="utf-8"))["standards"][0]
    assert f"standards.yaml, Eintrag 1 (id '{first['id']}'): Feld 'mode' muss einer der Werte" in err
    assert "angebote_themen.yaml: Kategorie 'Zauberschule' steht nicht in kategorien.yaml." in err


def test_a_new_category_with_standard_and_topic_needs_data_files_only(geodata_copy: Path) -> None:
    """The bar of issue 14: three YAML files change, no code; the category is then known to the register,
    has its standard on the Erreichbarkeit page and its topic on the family page."""
    name = "Familienpatenschaft"
    _edit_yaml(geodata_copy / "kategorien.yaml", lambda d: d["kategorien"].append(
        {"name": name, "synonyme": ["Familienpaten"], "beschreibung": "Ehrenamtliche Paten für Familien (synthetisch)"}))
    _edit_yaml(geodata_copy / "standards.yaml", lambda d: d["standards"].append(
        {"id": "familienpatenschaft-pkw-20min", "kategorie": name, "label": "Familienpatenschaft mit dem Pkw (20 min)",
         "mode": "car", "schwelle": 20, "einheit": "min", "art": "eigene_vorgabe",
         "quelle": "Synthetische Vorgabe für den Test"}))
    _edit_yaml(geodata_copy / "angebote_themen.yaml", lambda d: d["themen"].append(
        {"id": "paten", "label": {"de": "Familienpaten", "en": "Family mentors"},
         "handlungsfelder": ["Kinder/Familie/Migration"], "kategorien": [name]}))

    report = check_data_files(geodata_copy)
    assert report.ok, report.problems
    assert not any(name in note for note in report.notes)  # it has a topic

    kategorien = load_kategorien(geodata_copy / "kategorien.yaml")
    context = ValidationContext(kategorien=category_names(kategorien), kategorie_synonyme=synonym_lookup(kategorien))
    assert context.kategorie("familienpaten") == name  # register import and forms accept it (synonym, any case)
    (standard,) = standards_for(name, load_standards(geodata_copy / "standards.yaml"))
    assert standard.jenseits(np.array([0.0, 0.0]), np.array([10.0, 25.0])).tolist() == [False, True]
    assert thema_for_kategorie(load_themen(geodata_copy / "angebote_themen.yaml"))[name] == "paten"
