"""Categories as data (geodata/kategorien.yaml): forgiving matching, synonyms, and the round trip of the
register's own CSV and XLSX export (issue 12, point 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas.build import BuildResult
from atlas.register.categories import KATEGORIEN_FILE, load_kategorien
from atlas.register.errors import RegisterError
from atlas.register.exporter import EXPORT_FIELDS, to_csv, to_xlsx
from atlas.register.importer import RegisterGeodata, commit_import, load_geodata, prepare_import, read_upload
from atlas.register.store import RegisterStore
from atlas.register.validation import ValidationContext, check_rows
from tests.fixtures.synthetic_register import csv_bytes, open_test_store, store, synthetic_row  # noqa: F401


@pytest.fixture(scope="module")
def geo(built: BuildResult) -> RegisterGeodata:
    return load_geodata(built.gpkg)


def test_every_category_of_the_file_is_allowed_and_synonyms_are_unique() -> None:
    kategorien = load_kategorien()
    names = [k.name for k in kategorien]
    assert len(names) == len(set(names))
    ctx = ValidationContext()
    assert set(names) <= set(ctx.kategorien)
    for k in kategorien:
        for synonym in k.synonyme:
            checked = check_rows([synthetic_row(1, kategorie=synonym)], ctx)
            assert checked.problems == [] and checked.records[0]["kategorie"] == k.name, synonym


@pytest.mark.parametrize("written", ["kita", "KITA", "Ki-Ta", " kita ", "Kindergarten", "kindertagesstätte",
                                     "Kindertagesstaette"])
def test_category_in_other_case_or_as_synonym_maps_to_the_canonical_name(written: str) -> None:
    checked = check_rows([synthetic_row(1, kategorie=written)], ValidationContext())
    assert checked.problems == []
    assert checked.records[0]["kategorie"] == "Kita"


def test_unknown_category_is_still_refused_with_row_and_field() -> None:
    checked = check_rows([synthetic_row(1, kategorie="Zauberschule")], ValidationContext())
    assert [p.text.split(" (erlaubt")[0] for p in checked.problems] == [
        "Zeile 2, Feld 'Kategorie' (kategorie): Unbekannte Kategorie 'Zauberschule'"]


def test_broken_category_file_gives_a_german_message(tmp_path: Path) -> None:
    bad = tmp_path / "kategorien.yaml"
    bad.write_text("kategorien:\n  - name: Kita\n    synonyme: [Krippe]\n    beschreibung: a\n"
                   "  - name: Krippe\n    beschreibung: b\n", encoding="utf-8")
    with pytest.raises(RegisterError, match="kategorien.yaml: 'Krippe' steht bei mehreren Kategorien"):
        load_kategorien(bad)
    bad.write_text("kategorien:\n  - name: Kita\n    farbe: rot\n", encoding="utf-8")
    with pytest.raises(RegisterError, match=r"kategorien.yaml, Kategorie 1"):
        load_kategorien(bad)
    assert KATEGORIEN_FILE.name == "kategorien.yaml"


_COMPARED = [f for f in EXPORT_FIELDS if f not in ("version", "geaendert_am", "geaendert_von")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_own_export_imports_again_unchanged(fmt: str, store: RegisterStore, geo: RegisterGeodata,  # noqa: F811
                                            built: BuildResult, tmp_path: Path) -> None:
    """Seed from the build (real register, every precision), add hostile-looking but valid rows, export,
    import into an empty store of the same backend: every exported field comes back unchanged."""
    store.seed_from_atlas(built.gpkg)
    extra = [synthetic_row(1, name="=1+1 Treff", telefon="+49 3693 123456", zielgruppe="-Familien-",
                           oeffnungszeiten="@home; 'Mo 8-12'", traeger="'=quoted"),
             synthetic_row(2, kategorie="kindergarten", lon="10.417", lat="50.568", zuletzt_geprueft="01.03.2025")]
    preview = prepare_import(read_upload(csv_bytes(extra), "extra.csv"), store, geo)
    assert preview.problems == []
    commit_import(preview, store, "anna")
    before = store.offers()
    exported = to_csv(before) if fmt == "csv" else to_xlsx(before)

    store.drop_all()
    store.create_schema()
    preview = prepare_import(read_upload(exported, f"angebote.{fmt}"), store, geo)
    assert preview.problems == []
    commit_import(preview, store, "ben")
    after = store.offers()
    assert len(after) == len(before)
    for old, new in zip(before, after, strict=True):
        assert {f: old[f] for f in _COMPARED} == {f: new[f] for f in _COMPARED}, old["id"]
