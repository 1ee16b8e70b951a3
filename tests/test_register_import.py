"""Import (CSV/XLSX) with row-and-field messages, all-or-nothing commit, and exports."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import openpyxl
import pyogrio
import pytest

from atlas import settings
from atlas.build import BuildResult
from atlas.register.errors import RegisterError, ValidationFailed
from atlas.register.exporter import to_csv, to_geojson, to_geopackage
from atlas.register.importer import (
    MAX_UPLOAD_BYTES, RegisterGeodata, commit_import, load_geodata, prepare_import, read_file, read_upload,
    template_header,
)
from atlas.register.store import RegisterStore
from atlas.register.validation import ValidationContext, check_rows
from tests.fixtures.synthetic_register import csv_bytes, store, synthetic_row, synthetic_rows  # noqa: F401

CSV = settings.source_dir() / "angebote_sm_oeffentliche_quellen.csv"


@pytest.fixture(scope="module")
def geo(built: BuildResult) -> RegisterGeodata:
    return load_geodata(built.gpkg)


def test_template_header_matches_documented_file() -> None:
    header = (settings.GEODATA_DIR / "angebote_vorlage.csv").read_text(encoding="utf-8").strip().split(",")
    assert header == template_header()


def test_public_sources_csv_imports_as_is_with_build_placement(store: RegisterStore, geo: RegisterGeodata,  # noqa: F811
                                                                built: BuildResult, source_angebote) -> None:
    preview = prepare_import(read_file(CSV), store, geo)
    rows = len(source_angebote)  # every row of the file
    assert preview.problems == [] and len(preview.records) == rows
    ids = commit_import(preview, store, "anna")
    assert len(ids) == rows and ids[0] == source_angebote["id"].iloc[0]
    placed = pyogrio.read_dataframe(built.gpkg, layer="angebote").to_crs(settings.MAP_CRS).set_index("id")
    for offer in store.offers():
        if offer["id"] in placed.index:
            row = placed.loc[offer["id"]]
            assert offer["lage_genauigkeit"] == row["lage_genauigkeit"]
            assert abs(offer["lon"] - row.geometry.x) < 1e-5 and abs(offer["lat"] - row.geometry.y) < 1e-5  # type: ignore[operator]
        else:
            assert offer["lon"] is None and offer["lage_hinweis"]
    # the same file again: every row is a duplicate, nothing stored
    again = prepare_import(read_file(CSV), store, geo)
    assert len({p.zeile for p in again.problems}) == rows
    assert again.problems[0].text == "Zeile 2, Feld 'Kennung' (id): Kennung 'SM-0001' gibt es schon im Register."


def _ten_bad_rows() -> list[dict[str, object]]:
    rows = synthetic_rows(20)
    bad = {
        1: {"name": ""}, 3: {"kategorie": "Zauberschule"}, 5: {"plz": "9861"}, 7: {"telefon": "ruf an"},
        9: {"email": "info(at)beispiel.de"}, 11: {"website": "javascript:alert(1)"},
        13: {"lon": "9.678", "lat": "50.553"}, 15: {"ort": "Fulda"}, 17: {"zuletzt_geprueft": "31.02.2025"},
        19: {"name": "synthetisches angebot 00001", "ort": "Schmalkalden", "handlungsfeld": "Bildung/Schule"},
    }
    for index, change in bad.items():
        rows[index].update(change)
    return rows


EXPECTED_BAD = [
    "Zeile 3, Feld 'Name' (name): Der Name fehlt.",
    "Zeile 5, Feld 'Kategorie' (kategorie): Unbekannte Kategorie 'Zauberschule'",
    "Zeile 7, Feld 'PLZ' (plz): PLZ '9861' ist ungültig: fünf Ziffern erwartet.",
    "Zeile 9, Feld 'Telefon' (telefon): Telefonnummer 'ruf an' ist ungültig",
    "Zeile 11, Feld 'E-Mail' (email): E-Mail-Adresse 'info(at)beispiel.de' ist ungültig (Beispiel: info@beispiel.de).",
    "Zeile 13, Feld 'Webseite' (website): Webadresse 'javascript:alert(1)' ist ungültig",
    "Zeile 15, Feld 'Längengrad' (lon): Der Punkt (9.67800, 50.55300) liegt außerhalb des Landkreises.",
    "Zeile 17, Feld 'Gemeinde' (ort): Gemeinde 'Fulda' gehört nicht zum Landkreis.",
    "Zeile 19, Feld 'Zuletzt geprüft' (zuletzt_geprueft): Datum '31.02.2025' ist ungültig",
    "Zeile 21, Feld 'Name' (name): Doppelt: 'synthetisches angebot 00001' in 'Schmalkalden' steht schon in Zeile 2.",
]


def test_file_with_ten_bad_rows_reports_all_ten_and_stores_none(store: RegisterStore, geo: RegisterGeodata) -> None:  # noqa: F811
    table = read_upload(csv_bytes(_ten_bad_rows(), delimiter=";"), "angebote.csv")
    preview = prepare_import(table, store, geo)
    texts = [p.text for p in preview.problems]
    assert len(texts) == 10
    for text, expected in zip(texts, EXPECTED_BAD, strict=True):
        assert text.startswith(expected), (text, expected)
    with pytest.raises(ValidationFailed, match="Import abgelehnt: 10 Problem\\(e\\) in 10 Zeile\\(n\\); nichts"):
        commit_import(preview, store, "anna")
    assert store.count(include_deleted=True) == 0


def test_duplicate_of_existing_offer_is_named(store: RegisterStore, geo: RegisterGeodata) -> None:  # noqa: F811
    store.insert_offers([synthetic_row(7)], "anna")
    preview = prepare_import(read_upload(csv_bytes([synthetic_row(7)]), "x.csv"), store, geo)
    assert [p.text for p in preview.problems] == [
        "Zeile 2, Feld 'Name' (name): Doppelt: 'Synthetisches Angebot 00007' in 'Schmalkalden' gibt es schon im "
        "Register (Kennung A-0001)."]


def test_xlsx_import_with_coordinates_and_dates(store: RegisterStore, geo: RegisterGeodata) -> None:  # noqa: F811
    book = openpyxl.Workbook()
    sheet = book.active
    header = template_header()
    sheet.append(header)
    row = synthetic_row(3, lon=10.417, lat=50.568, zuletzt_geprueft=date(2025, 3, 1), plz=98617)
    sheet.append([row[h] for h in header])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = prepare_import(read_upload(buffer.getvalue(), "liste.xlsx"), store, geo)
    assert preview.problems == []
    record = preview.records[0]
    assert (record["plz"], record["zuletzt_geprueft"], record["lage_genauigkeit"], record["ags"]) == (
        "98617", "2025-03-01", "punkt", "16066042")
    commit_import(preview, store, "anna")
    assert store.offer("A-0001")["zuletzt_geprueft"] == "2025-03-01"  # type: ignore[index]


def test_upload_limits_and_unreadable_files() -> None:
    with pytest.raises(RegisterError, match="ist zu groß .* höchstens 5 MB"):
        read_upload(b"x" * (MAX_UPLOAD_BYTES + 1), "gross.csv")
    with pytest.raises(RegisterError, match="unbekanntes Format: erlaubt sind .csv und .xlsx"):
        read_upload(b"abc", "liste.pdf")
    with pytest.raises(RegisterError, match="keine gültige Excel-Datei"):
        read_upload(b"not a zip", "liste.xlsx")


def test_header_problems_are_reported_on_row_one(store: RegisterStore, geo: RegisterGeodata) -> None:  # noqa: F811
    preview = prepare_import(read_upload(b"titel,kategorie\nA,Kita\n", "a.csv"), store, geo)
    assert [p.text for p in preview.problems] == [
        "Zeile 1, Feld 'Name' (name): Pflichtspalte fehlt in der Kopfzeile.",
        "Zeile 1, Feld 'titel' (titel): Unbekannte Spalte 'titel' (erlaubt: " + ", ".join(template_header()) + ").",
    ]


def test_script_name_is_kept_as_text_and_javascript_source_refused() -> None:
    rows = [synthetic_row(1, name="<script>alert(1)</script>", quelle_url="javascript:alert(1)")]
    checked = check_rows(rows, ValidationContext())
    assert [p.text for p in checked.problems] == [
        "Zeile 2, Feld 'Quelle' (quelle_url): Quellenangabe 'javascript:alert(1)' ist ungültig: nur http(s)-Adressen "
        "sind als Link erlaubt."]
    assert checked.records[0]["name"] == "<script>alert(1)</script>"


def test_exports_csv_geojson_geopackage(tmp_path: Path) -> None:
    records = [
        {**synthetic_row(1), "id": "A-1", "lon": 10.417, "lat": 50.568, "version": 1},
        {**synthetic_row(2), "id": "A-2", "lon": None, "lat": None, "version": 1, "name": 'Mit "Anführungszeichen", Komma'},
    ]
    text = to_csv(records).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("id,name,kategorie")
    assert '"Mit ""Anführungszeichen"", Komma"' in text
    geo = json.loads(to_geojson(records))
    assert geo["features"][0]["geometry"] == {"type": "Point", "coordinates": [10.417, 50.568]}
    assert geo["features"][1]["geometry"] is None
    path = to_geopackage(records, tmp_path / "r.gpkg")
    points = pyogrio.read_dataframe(path, layer="angebote")
    rest = pyogrio.read_dataframe(path, layer="angebote_ohne_lage")
    assert points.crs.to_string() == settings.METRIC_CRS and list(points["id"]) == ["A-1"] and list(rest["id"]) == ["A-2"]
    back = points.to_crs(settings.MAP_CRS).geometry.iloc[0]
    assert abs(back.x - 10.417) < 1e-7 and abs(back.y - 50.568) < 1e-7
