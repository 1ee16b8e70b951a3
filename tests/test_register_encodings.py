"""Encodings and cell types of import files (issue 12, point 5): detect, convert or refuse with row and
field – never a stack trace, never silent damage."""

from __future__ import annotations

import io

import openpyxl
import pytest

from atlas.build import BuildResult
from atlas.register.errors import RegisterError
from atlas.register.importer import RegisterGeodata, load_geodata, prepare_import, read_upload, template_header
from atlas.register.store import RegisterStore
from tests.fixtures.synthetic_register import csv_bytes, store, synthetic_row  # noqa: F401


@pytest.fixture(scope="module")
def geo(built: BuildResult) -> RegisterGeodata:
    return load_geodata(built.gpkg)


def _csv_text(rows: list[dict[str, object]]) -> str:
    return csv_bytes(rows).decode("utf-8")


def test_utf8_file_with_one_cp1252_line_is_read_line_by_line_and_says_so() -> None:
    rows = [synthetic_row(1, traeger="Förderverein Müller"), synthetic_row(2, traeger="Straßenbau Größe"),
            synthetic_row(3, traeger="Jugendhilfe Süd")]
    lines = _csv_text(rows).splitlines(keepends=True)
    data = b"".join(line.encode("cp1252") if n == 2 else line.encode("utf-8") for n, line in enumerate(lines))
    table = read_upload(data, "gemischt.csv")
    assert [r["traeger"] for r in table.rows] == ["Förderverein Müller", "Straßenbau Größe", "Jugendhilfe Süd"]
    assert table.hinweise == ["Zeile 3 war nicht in UTF-8 gespeichert und wurde als Windows-1252 gelesen – "
                              "bitte in der Vorschau prüfen."]


def test_whole_cp1252_file_is_read_without_notice_per_line() -> None:
    data = _csv_text([synthetic_row(1, traeger="Förderverein Müller")]).encode("cp1252")
    table = read_upload(data, "windows.csv")
    assert table.rows[0]["traeger"] == "Förderverein Müller"
    assert table.hinweise == ["Die Datei war nicht in UTF-8 gespeichert und wurde als Windows-1252 gelesen."]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_unicode_text_from_excel_is_read(encoding: str) -> None:
    text = csv_bytes([synthetic_row(1, traeger="Förderverein Müller")], delimiter="\t").decode("utf-8")
    data = text.encode(encoding)
    if encoding != "utf-16":  # Excel writes a BOM; without one the NUL pattern tells the byte order
        assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    table = read_upload(data, "unicode.txt")
    assert table.columns[:3] == ["id", "name", "kategorie"]
    assert table.rows[0]["traeger"] == "Förderverein Müller"


def test_nul_byte_is_refused_with_row_and_field_on_every_backend(store: RegisterStore,  # noqa: F811
                                                                  geo: RegisterGeodata) -> None:
    data = _csv_text([synthetic_row(1), synthetic_row(2, name="Kita\x00Sonne")]).encode("utf-8")
    preview = prepare_import(read_upload(data, "nul.csv"), store, geo)
    assert [p.text for p in preview.problems] == [
        "Zeile 3, Feld 'Name' (name): Der Text enthält ein Steuerzeichen (U+0000) – bitte entfernen."]
    assert store.count(include_deleted=True) == 0


@pytest.mark.parametrize(("char", "code"), [("\u200b", "U+200B"), ("\u202e", "U+202E"), ("\u2066", "U+2066"),
                                            ("\ufeff", "U+FEFF"), ("\x1b", "U+001B")])
def test_invisible_and_bidi_characters_are_refused(char: str, code: str, store: RegisterStore,  # noqa: F811
                                                   geo: RegisterGeodata) -> None:
    data = _csv_text([synthetic_row(1, zielgruppe=f"Familien{char}gnp.exe")]).encode("utf-8")
    preview = prepare_import(read_upload(data, "bidi.csv"), store, geo)
    assert [p.text for p in preview.problems] == [
        f"Zeile 2, Feld 'Zielgruppe' (zielgruppe): Der Text enthält ein Steuerzeichen ({code}) – bitte entfernen."]


def _xlsx(row: dict[str, object]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    header = template_header()
    sheet.append(header)
    sheet.append([row.get(h, "") for h in header])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_phone_typed_as_number_is_refused_and_plz_as_number_keeps_its_zero(store: RegisterStore,  # noqa: F811
                                                                                 geo: RegisterGeodata) -> None:
    preview = prepare_import(read_upload(_xlsx(synthetic_row(1, telefon=3693123456, plz=98617)), "a.xlsx"),
                             store, geo)
    assert [p.text for p in preview.problems] == [
        "Zeile 2, Feld 'Telefon' (telefon): Die Telefonnummer steht in Excel als Zahl (3693123456); eine führende 0 "
        "ginge verloren. Bitte die Spalte als Text formatieren und die Nummer neu eintragen."]
    preview = prepare_import(read_upload(_xlsx(synthetic_row(1, plz=7545)), "b.xlsx"), store, geo)
    assert preview.problems == [] and preview.records[0]["plz"] == "07545"


@pytest.mark.parametrize("data", [b"\x00\x01\x02\xff" * 50, b"\xff\xfe" + b"\x00\xd8" * 10, b"", b"\n\n\n",
                                  "name\n\u00e4".encode("utf-32")])
def test_garbage_gives_a_german_error_not_a_trace(data: bytes) -> None:
    try:
        table = read_upload(data, "kaputt.csv")
    except RegisterError as exc:
        assert "kaputt.csv" in str(exc)
    else:
        assert table.rows == [] or table.columns
