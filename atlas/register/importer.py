"""Importing offers from CSV or XLSX: read, check every row, preview, then commit all-or-nothing.

Formats: CSV (UTF-8, with or without BOM; separator ``,`` ``;`` or tab, detected from the header;
RFC 4180 quoting – the public-sources register ``angebote_sm_oeffentliche_quellen.csv`` is read as is)
and XLSX (first sheet, header in row 1; read with openpyxl, the well-kept pure-Python reader of
Excel files, in read-only mode). Column names as in ``geodata/angebote_vorlage.csv``.

Rows without coordinates are placed as in the build (:mod:`atlas.placement`: stop of the street, stop named
after the facility, Ortslage, else the Gemeinde's middle); rows with ``lon``/``lat`` keep that point
(precision ``punkt``).
Offers at a protected address (e.g. Frauenhaus) are never given a position.
"""

from __future__ import annotations

import codecs
import csv
import functools
import hashlib
import io
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import Transformer

from atlas import schema, settings
from atlas.indicators import load_handlungsfelder
from atlas.placement import place_offers
from atlas.register._helpers import clean_text
from atlas.register.errors import RegisterError, ValidationFailed
from atlas.register.models import IMPORT_EXTRA_FIELDS, OFFER_FIELDS, PRECISION_POINT
from atlas.register.seed import records_from_atlas  # noqa: F401 - moved to seed.py, re-exported for one release
from atlas.register.store import ACTION_IMPORT, RegisterStore
from atlas.register.validation import (
    CheckedRows, Problem, ValidationContext, check_header, check_rows, gemeinde_lookup,
)
from atlas.safe_text import restore_cell
from atlas.sources import load_sources

#: Largest file accepted for import (bytes).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: Most data rows accepted in one file.
MAX_ROWS = 20_000
#: The documented import template (header only).
TEMPLATE_FILE: Path = settings.GEODATA_DIR / "angebote_vorlage.csv"

_TO_WGS84 = Transformer.from_crs(settings.METRIC_CRS, settings.MAP_CRS, always_xy=True)
_TO_METRIC = Transformer.from_crs(settings.MAP_CRS, settings.METRIC_CRS, always_xy=True)


@dataclass(frozen=True)
class Table:
    """Rows of an uploaded file: header and one dict per data row (row 2 = first data row)."""

    columns: list[str]
    rows: list[dict[str, object]]
    datei: str = ""
    hinweise: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RegisterGeodata:
    """What checks and placement need from the build: Gemeinden and localities (EPSG:25832), the county
    outline (EPSG:4326) and the words that mark protected addresses."""

    gemeinden: gpd.GeoDataFrame
    orte: gpd.GeoDataFrame
    kreis_wgs84: shapely.Geometry
    vertraulich: tuple[str, ...] = ()
    haltestellen: gpd.GeoDataFrame | None = None  # stops (street/facility/Ortsteil placement), EPSG:25832

    @functools.cached_property
    def outline_key(self) -> str:
        """A short key of the county outline (hash of its WKB), computed once per loaded geodata – for map
        cache keys, instead of hashing the whole outline on every rerun."""
        return hashlib.sha256(shapely.to_wkb(self.kreis_wgs84)).hexdigest()[:16]

    def validation_base(self) -> ValidationContext:
        return ValidationContext(
            handlungsfelder=frozenset(h.label for h in load_handlungsfelder()),
            gemeinden=gemeinde_lookup(self.gemeinden["name"].astype(str)),
            kreis=self.kreis_wgs84,
        )


@dataclass
class ImportPreview:
    """Result of checking a file: cleaned and placed records, every problem, and the file's name."""

    records: list[dict[str, object]]
    problems: list[Problem]
    datei: str = ""
    columns: list[str] = field(default_factory=list)
    hinweise: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.records)

    def frame(self) -> pd.DataFrame:
        """The records as a table for the preview (problems are shown separately)."""
        cols = [*OFFER_FIELDS, "lon", "lat", "lage_genauigkeit", "lage_hinweis", "zuletzt_geprueft"]
        return pd.DataFrame(self.records, columns=cols)


# ---------------------------------------------------------------------------------------- reading

def _utf16_order(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when *data* looks like UTF-16 text without a BOM (NUL in every other byte)."""
    sample = data[:400]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.6 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.6 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """The text of a CSV upload and notices about how it was read.

    UTF-8 (with or without BOM) and UTF-16/UTF-32 with BOM – Excel's "Unicode-Text" – or UTF-16 without BOM
    (detected by its NUL bytes) are decoded as such. Otherwise each line is decoded on its own: a file from
    Windows (Windows-1252) is read as such, and a UTF-8 file with a few Windows-1252 lines (pasted from another
    program) keeps its UTF-8 lines intact – the other lines are named in a notice so they can be checked in
    the preview. A line that is neither is refused with its number.
    """
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec), []
            except UnicodeDecodeError as exc:
                raise RegisterError(f"Die Datei {name} ist als Unicode-Text ({codec.upper()}) gespeichert, aber "
                                    "beschädigt.") from exc
    order = _utf16_order(data)
    if order:
        try:
            return data.decode(order), []
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: read line by line below
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    parts: list[str] = []
    cp1252_lines: list[int] = []
    utf8_non_ascii = 0
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        try:
            parts.append(line.decode("utf-8-sig" if number == 1 else "utf-8"))
            utf8_non_ascii += not line.isascii()
        except UnicodeDecodeError:
            try:
                parts.append(line.decode("cp1252"))
            except UnicodeDecodeError as exc:
                raise RegisterError(f"Die Datei {name}, Zeile {number}: die Zeichen sind weder UTF-8 noch "
                                    "Windows-1252 – bitte die Datei als UTF-8 speichern.") from exc
            cp1252_lines.append(number)
    if not utf8_non_ascii:
        return "".join(parts), ["Die Datei war nicht in UTF-8 gespeichert und wurde als Windows-1252 gelesen."]
    shown = ", ".join(str(n) for n in cp1252_lines[:20]) + (" …" if len(cp1252_lines) > 20 else "")
    label = "Zeile" if len(cp1252_lines) == 1 else "Zeilen"
    verb = "war" if len(cp1252_lines) == 1 else "waren"
    verb2 = "wurde" if len(cp1252_lines) == 1 else "wurden"
    return "".join(parts), [f"{label} {shown} {verb} nicht in UTF-8 gespeichert und {verb2} als Windows-1252 "
                            "gelesen – bitte in der Vorschau prüfen."]


def _read_csv(data: bytes, name: str) -> Table:
    text, notices = _decode(data, name)
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise RegisterError(f"Die Datei {name} ist leer.") from None
    except csv.Error as exc:
        raise RegisterError(f"Die Datei {name} ist keine gültige CSV-Datei: {exc}") from exc
    rows: list[dict[str, object]] = []
    try:
        for line_no, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                raise RegisterError(f"Die Datei {name}, Zeile {line_no}: mehr Werte ({len(values)}) als Spalten "
                                    f"in der Kopfzeile ({len(header)}) – Anführungszeichen prüfen.")
            cells: list[object] = [restore_cell(v) for v in values]  # undo the export's formula neutralisation
            rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True)))
    except csv.Error as exc:
        raise RegisterError(f"Die Datei {name} ist keine gültige CSV-Datei: {exc}") from exc
    return Table(columns=header, rows=rows, datei=name, hinweise=notices)


def _read_xlsx(data: bytes, name: str) -> Table:
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    damaged = f"Die Datei {name} ist keine gültige Excel-Datei (.xlsx) oder beschädigt."
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise RegisterError(damaged) from exc
    except Exception as exc:  # noqa: BLE001 - hostile files make openpyxl/zlib/XML raise anything (fuzz test)
        raise RegisterError(damaged) from exc

    try:
        sheet = book.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header_raw = next(values, None)
        if header_raw is None:
            raise RegisterError(f"Die Datei {name} ist leer.")
        header = [clean_text(h) for h in header_raw]
        while header and not header[-1]:
            header.pop()
        rows: list[dict[str, object]] = []
        for row in values:
            cells = list(row[:len(header)]) + [None] * max(0, len(header) - len(row))
            if all(clean_text(c) == "" for c in cells):
                continue
            rows.append({h: ("" if c is None else (c.isoformat() if isinstance(c, date) else restore_cell(c)))
                         for h, c in zip(header, cells, strict=True)})
    except RegisterError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet (zlib, XML, cell types) is read lazily here
        raise RegisterError(damaged) from exc
    finally:
        book.close()
    return Table(columns=header, rows=rows, datei=name)


def read_upload(data: bytes, name: str) -> Table:
    """Read an uploaded CSV or XLSX file; :class:`RegisterError` (German) for size, type or format problems."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise RegisterError(f"Die Datei {name} ist zu groß ({len(data) / 1e6:.1f} MB); erlaubt sind höchstens "
                            f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
    suffix = Path(name).suffix.lower()
    if suffix in (".csv", ".txt"):
        table = _read_csv(data, name)
    elif suffix == ".xlsx":
        table = _read_xlsx(data, name)
    else:
        raise RegisterError(f"Die Datei {name} hat ein unbekanntes Format: erlaubt sind .csv und .xlsx.")
    if len(table.rows) > MAX_ROWS:
        raise RegisterError(f"Die Datei {name} hat {len(table.rows)} Zeilen; erlaubt sind höchstens {MAX_ROWS}.")
    return table


def read_file(path: str | os.PathLike[str]) -> Table:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise RegisterError(f"Die Datei {p} ist nicht lesbar: {exc}") from exc
    return read_upload(data, p.name)


# ---------------------------------------------------------------------------------------- geodata

def load_geodata(gpkg: str | os.PathLike[str] | None = None) -> RegisterGeodata:
    """Gemeinden, localities and county outline from the built GeoPackage."""
    path = Path(gpkg) if gpkg else settings.gpkg_path()
    if not path.exists():
        raise RegisterError(f"Es gibt noch keine aufbereiteten Daten ({path}); bitte zuerst 'atlas build' ausführen.")
    gem = pyogrio.read_dataframe(path, layer=schema.GEMEINDEN_LAYER, columns=["ags", "name"])
    orte = pyogrio.read_dataframe(path, layer=schema.PLACES_LAYER, columns=["name", "ags"])
    kreis = pyogrio.read_dataframe(path, layer=schema.KREIS_LAYER, columns=[])
    outline = kreis.to_crs(settings.MAP_CRS).union_all()
    orte = orte[orte["ags"].fillna("") != ""]
    layers = {name for name, _kind in pyogrio.list_layers(path)}
    stops = (pyogrio.read_dataframe(path, layer=schema.STOPS_LAYER, columns=["name", "haltestelle", "ort", "ags"])
             if schema.STOPS_LAYER in layers else None)
    return RegisterGeodata(gemeinden=gem, orte=orte, kreis_wgs84=outline,
                           vertraulich=tuple(load_sources()["angebote"].vertraulich), haltestellen=stops)


def place_records(records: Sequence[Mapping[str, object]], geo: RegisterGeodata) -> list[dict[str, object]]:
    """Records with lon/lat, ags, lage_genauigkeit and lage_hinweis filled in (see module docstring)."""
    out = [dict(r) for r in records]
    with_point = [i for i, r in enumerate(out) if r.get("lon") is not None and r.get("lat") is not None]
    if with_point:
        lon = np.array([float(out[i]["lon"]) for i in with_point])  # type: ignore[arg-type]
        lat = np.array([float(out[i]["lat"]) for i in with_point])  # type: ignore[arg-type]
        x, y = _TO_METRIC.transform(lon, lat)
        pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=settings.METRIC_CRS)
        joined = gpd.sjoin(pts, geo.gemeinden[["ags", "geometry"]], how="left", predicate="within")
        joined = joined[~joined.index.duplicated()]
        for pos, ags in zip(with_point, joined["ags"].fillna(""), strict=True):
            out[pos].update(ags=str(ags), lage_genauigkeit=str(out[pos].get("lage_genauigkeit") or PRECISION_POINT),
                            lage_hinweis=str(out[pos].get("lage_hinweis") or "Koordinaten angegeben"))
    rest = [i for i in range(len(out)) if i not in set(with_point)]
    if rest:
        frame = pd.DataFrame([{"_pos": i, **{k: out[i].get(k, "") for k in ("id", "name", "ort", "ortsteil", "strasse",
                                                                             "kategorie")}} for i in rest])
        result = place_offers(frame, geo.gemeinden[["ags", "name", "geometry"]], geo.orte[["name", "ags", "geometry"]],
                              confidential=geo.vertraulich, stops=geo.haltestellen)
        if len(result.placed):
            x, y = _TO_WGS84.transform(result.placed.geometry.x.to_numpy(), result.placed.geometry.y.to_numpy())
            for pos, ags, prec, hint, lo, la in zip(result.placed["_pos"], result.placed["ags"],
                                                    result.placed["lage_genauigkeit"], result.placed["lage_hinweis"],
                                                    x, y, strict=True):
                out[int(pos)].update(lon=round(float(lo), 6), lat=round(float(la), 6), ags=str(ags),
                                     lage_genauigkeit=str(prec), lage_hinweis=str(hint))
        for record in result.unplaced.to_dict("records"):
            out[int(record["_pos"])].update(lon=None, lat=None, ags="", lage_genauigkeit="",
                                            lage_hinweis=str(record["grund"]))
    return out


# ---------------------------------------------------------------------------------------- import

def prepare_import(table: Table, store: RegisterStore, geo: RegisterGeodata,
                   today: date | None = None) -> ImportPreview:
    """Check every row of *table* against the register and place the rows; nothing is written."""
    header_problems = check_header(table.columns)
    if any(p.meldung.startswith("Pflichtspalte") for p in header_problems):
        return ImportPreview(records=[], problems=header_problems, datei=table.datei, columns=table.columns,
                             hinweise=table.hinweise)
    ctx = store.validation_context(geo.validation_base())
    checked: CheckedRows = check_rows(table.rows, ctx, first_line=2, today=today)
    problems = header_problems + checked.problems
    records = place_records(checked.records, geo) if not problems else checked.records
    if not table.rows:
        problems.append(Problem(None, "name", f"Die Datei {table.datei} enthält keine Datenzeilen."))
    return ImportPreview(records=records, problems=problems, datei=table.datei, columns=table.columns,
                         hinweise=table.hinweise)


def commit_import(preview: ImportPreview, store: RegisterStore, who: str) -> list[str]:
    """Write a checked preview in ONE transaction; refused when it has any problem."""
    if preview.problems:
        raise ValidationFailed(f"Import abgelehnt: {len(preview.problems)} Problem(e) in "
                               f"{len({p.zeile for p in preview.problems})} Zeile(n); nichts wurde gespeichert.",
                               preview.problems)
    return store.insert_offers(preview.records, who, ACTION_IMPORT, comment=f"Import aus {preview.datei}")


def template_header() -> list[str]:
    """Column names of the import template."""
    return [*OFFER_FIELDS, *IMPORT_EXTRA_FIELDS]
