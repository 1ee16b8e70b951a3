"""Deutschlandatlas workbook (``Deutschlandatlas-Daten.xlsx``) → one CSV per sheet.

The workbook has one sheet per spatial level and Gebietsstand (``Deutschlandatlas_GEM1222``,
``…_VBGEM1219``, ``…_KRS1220`` …); the first column is the regional key (stored as a number, so
leading zeros are lost), then the name and the indicators (``-9999`` = no data). For every ``da_*``
source of ``geodata/sources.yaml`` the matching sheet is written as CSV: the key as zero-padded text
(8 digits; 9 for Gemeindeverbände from Gebietsstand 2022 on), rows filtered to the Kreise that
intersect the study area by the key's first five digits, every other cell unchanged (numbers written
as Python writes them, empty cells empty). Read with ``openpyxl`` (read-only mode; the standard
reader for .xlsx, already pulled in by pandas' Excel support).
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl

from atlas.errors import SourceError
from atlas.sources import Source

DA_PAGE = "https://www.deutschlandatlas.bund.de/SharedDocs/Downloads/DE/Deutschlandatlas-Daten.html"
DA_TITEL = "Deutschlandatlas (Arbeitsmappe Deutschlandatlas-Daten.xlsx)"
DA_ORIGINAL = "Deutschlandatlas-Daten.xlsx"


def sheet_name(source: Source) -> str:
    """Sheet of the workbook that a ``da_*`` source comes from, e.g. ``Deutschlandatlas_GEM1222``."""
    return "Deutschlandatlas_" + source.key.removeprefix("da_").upper()


def key_width(source: Source) -> int:
    """Digits of the regional key: 9 for Gemeindeverbände from Gebietsstand 2022 on, else 8."""
    column = source.schluessel or ""
    if column.startswith("VBG") and column[-2:].isdigit() and int(column[-2:]) >= 22:
        return 9
    return 8


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _key_text(value: object, width: int) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().zfill(width)


def open_workbook(path: Path) -> openpyxl.Workbook:
    """The workbook, read-only; :class:`SourceError` when it is not an .xlsx file."""
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise SourceError(f"{DA_TITEL}: {path.name} ist keine lesbare Excel-Arbeitsmappe ({exc}).") from exc


def convert_sheet(workbook: openpyxl.Workbook, source: Source, kreise: tuple[str, ...] | list[str]) -> str:
    """CSV text of the sheet for *source*, filtered to *kreise*."""
    name = sheet_name(source)
    if name not in workbook.sheetnames:
        raise SourceError(f"{DA_TITEL}: das Tabellenblatt '{name}' fehlt.")
    rows = workbook[name].iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    while header and header[-1] == "":
        header.pop()
    if not header or header[0] != source.schluessel:
        raise SourceError(
            f"{DA_TITEL}: Tabellenblatt '{name}' beginnt nicht mit der Schlüsselspalte '{source.schluessel}'."
        )
    width = key_width(source)
    wanted = set(kreise)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        if row is None or not row or row[0] is None:
            continue
        key = _key_text(row[0], width)
        if key[:5] not in wanted:
            continue
        cells = list(row[: len(header)]) + [None] * (len(header) - len(row))
        writer.writerow([key, *(_cell(v) for v in cells[1:])])
    return buffer.getvalue()
