"""Checks of register rows (import, editing, OSM candidates): every problem in German, with row and field.

Pure functions without I/O: the caller passes a :class:`ValidationContext` (categories, Handlungsfelder,
Gemeinden and the county outline, the offers already in the register). A row is checked completely –
all problems of all rows are reported, not only the first one.

Rules (documented in the import template section of the README):

* ``name`` and ``kategorie`` and ``handlungsfeld`` are required; category and Handlungsfeld must be known;
  a category in other case or spelling, or a synonym listed in ``geodata/kategorien.yaml``, is stored under
  its canonical name ("kita", "Kindergarten" → "Kita");
* ``plz`` five digits; ``telefon`` digits and the usual separators (several numbers with ``;``, ``bzw.``
  or ``oder``); ``email`` one address; ``website`` a web address (``http(s)://`` or a bare domain –
  any other scheme such as ``javascript:`` is refused); ``quelle_url`` parts separated by `` ; ``, a
  part with a scheme must be ``http(s)``;
* ``ort`` one of the county's Gemeinden; ``lon``/``lat`` (optional, WGS84) both or neither, inside the
  county; ``zuletzt_geprueft`` a date (``2025-03-01`` or ``01.03.2025``), not in the future;
* ``id`` (optional) letters, digits, ``-_.``; a row whose id or whose name+Gemeinde already exists in the
  register or earlier in the same file is a duplicate – unless the Handlungsfeld differs (the register
  lists a place once per Handlungsfeld it serves).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import shapely
from shapely.geometry.base import BaseGeometry

from atlas._helpers import normalise_name
from atlas.register._helpers import clean_text, dedup_key, to_float
from atlas.register.categories import category_names, fold, synonym_lookup
from atlas.register.models import EXPORT_ONLY_FIELDS, FIELD_LABELS, IMPORT_EXTRA_FIELDS, OFFER_FIELDS
from atlas.safe_text import first_invisible_control, safe_url

#: Categories the register knows from the start, from ``geodata/kategorien.yaml`` (the categories of the
#: public-sources register plus the kinds of facility read from OpenStreetMap; see
#: :mod:`atlas.register.categories`). Categories already used in the store are allowed as well.
BASIS_KATEGORIEN: frozenset[str] = category_names()

MAX_NAME_LENGTH = 300
MAX_TEXT_LENGTH = 2000

_PLZ = re.compile(r"^\d{5}$")
_PHONE_WORDS = re.compile(r"\b(bzw\.?|oder|und|Tel\.?|Fax\.?|Durchwahl)", re.IGNORECASE)
_PHONE_CHARS = re.compile(r"^[0-9 +()/\-–.,;]+$")
_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[a-z]{2,}$", re.IGNORECASE)
_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,40}$")
_HTTP = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
_PRECISION = re.compile(r"^[a-zäöüß_\-]{1,30}$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """One problem: file row (header = row 1), field name and German message."""

    zeile: int | None
    feld: str
    meldung: str

    @property
    def text(self) -> str:
        label = FIELD_LABELS.get(self.feld, self.feld)
        where = f"Zeile {self.zeile}, " if self.zeile is not None else ""
        return f"{where}Feld '{label}' ({self.feld}): {self.meldung}"


@dataclass(frozen=True)
class ValidationContext:
    """What rows are checked against.

    *gemeinden* maps folded Gemeinde names (and short variants such as 'breitungen' for
    'Breitungen/Werra') to the official name; empty = no check. *kreis* is the county outline in
    EPSG:4326 (None = no check). *existing* maps (folded name, Gemeinde, Handlungsfeld) → id of active offers;
    *existing_ids* holds every id in the store (deleted ones too: an id is never reused).
    """

    kategorien: frozenset[str] = BASIS_KATEGORIEN
    kategorie_synonyme: Mapping[str, str] = field(default_factory=synonym_lookup)
    handlungsfelder: frozenset[str] = frozenset()
    gemeinden: Mapping[str, str] = field(default_factory=dict)
    kreis: BaseGeometry | None = None
    existing: Mapping[tuple[str, str, str], str] = field(default_factory=dict)
    existing_ids: frozenset[str] = frozenset()

    _kategorie_lookup: dict[str, str] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        if self.kreis is not None:
            shapely.prepare(self.kreis)
        lookup = dict(self.kategorie_synonyme)
        for name in sorted(self.kategorien, reverse=True):  # names win over synonyms; stable choice
            lookup[fold(name)] = name
        object.__setattr__(self, "_kategorie_lookup", lookup)

    def kategorie(self, text: str) -> str | None:
        """The canonical category for *text* (exact, other case/spelling, or synonym); None when unknown."""
        if text in self.kategorien:
            return text
        return self._kategorie_lookup.get(fold(text)) if fold(text) else None


@dataclass
class CheckedRows:
    """Cleaned rows (text fields stripped, lon/lat as floats, dates normalised) and all problems."""

    records: list[dict[str, object]]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems

    def rows_with_problems(self) -> list[int]:
        return sorted({p.zeile for p in self.problems if p.zeile is not None})


def _allowed(values: Iterable[str], limit: int = 40) -> str:
    items = sorted(values)
    text = ", ".join(items[:limit])
    return text + (", …" if len(items) > limit else "")


def check_phone(text: str) -> str | None:
    """None when *text* looks like one or more phone numbers, else the German problem."""
    stripped = _PHONE_WORDS.sub(" ", text)
    digits = re.sub(r"\D", "", stripped)
    if not _PHONE_CHARS.match(stripped) or len(digits) < 5:
        return f"Telefonnummer '{text}' ist ungültig: nur Ziffern, Leerzeichen und + ( ) / - erlaubt, mindestens 5 Ziffern."
    return None


def check_email(text: str) -> str | None:
    if not _EMAIL.match(text):
        return f"E-Mail-Adresse '{text}' ist ungültig (Beispiel: info@beispiel.de)."
    return None


def check_website(text: str) -> str | None:
    for part in (p.strip() for p in text.split(" ; ")):
        if part and safe_url(part) is None:
            return (f"Webadresse '{part}' ist ungültig: nur http(s)-Adressen oder Domains wie "
                    "www.beispiel.de sind erlaubt.")
    return None


def check_source_url(text: str) -> str | None:
    parts = [p.strip() for p in text.split(" ; ") if p.strip()]
    for part in parts:
        if _SCHEME.match(part) and not part.lower().startswith(("http://", "https://")):
            return f"Quellenangabe '{part}' ist ungültig: nur http(s)-Adressen sind als Link erlaubt."
        if any(ch in part for ch in '<>"'):
            return f"Quellenangabe '{part}' enthält unerlaubte Zeichen (< > \")."
    if parts and not any(safe_url(p) or _HTTP.match(p) for p in parts):
        return "Die Quellenangabe braucht mindestens eine Webadresse (http(s)://…)."
    return None


def parse_date(text: str) -> date:
    """'2025-03-01' or '01.03.2025' (also '2025-03-01 00:00:00' from spreadsheets) → date; ValueError."""
    text = text.strip()[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", text.strip()) else text.strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def gemeinde_lookup(names: Iterable[str]) -> dict[str, str]:
    """Folded name variants → official Gemeinde name ('Breitungen/Werra' also as 'breitungen')."""
    lookup: dict[str, str] = {}
    for name in names:
        lookup.setdefault(normalise_name(name), name)
        for sep in ("/", "(", ","):
            if sep in name:
                lookup.setdefault(normalise_name(name.split(sep)[0]), name)
    return lookup


_Bad = Callable[[str, str], None]


def check_record(raw: Mapping[str, object], ctx: ValidationContext, zeile: int | None = None,
                 today: date | None = None) -> tuple[dict[str, object], list[Problem]]:
    """Clean and check one row (without duplicate checks); returns the cleaned record and its problems."""
    rec: dict[str, object] = {f: clean_text(raw.get(f)) for f in OFFER_FIELDS}
    problems: list[Problem] = []

    def bad(feld: str, meldung: str) -> None:
        problems.append(Problem(zeile, feld, meldung))

    _check_texts(rec, bad)
    _excel_cells(raw, rec, bad)
    _check_identity(rec, ctx, bad)
    _check_contact(rec, ctx, bad)
    _check_position(raw, rec, ctx, bad)
    _check_date(raw, rec, today or date.today(), bad)
    return rec, problems


def _check_texts(rec: dict[str, object], bad: _Bad) -> None:
    """Length and invisible control characters of every text field."""
    for name in OFFER_FIELDS:
        value = str(rec[name])
        if len(value) > (MAX_NAME_LENGTH if name == "name" else MAX_TEXT_LENGTH):
            bad(name, f"Der Text ist zu lang ({len(value)} Zeichen).")
        control = first_invisible_control(value)
        if control:  # NUL breaks PostgreSQL; zero-width and bidi characters make text read differently
            bad(name, f"Der Text enthält ein Steuerzeichen ({control}) – bitte entfernen.")


def _excel_cells(raw: Mapping[str, object], rec: dict[str, object], bad: _Bad) -> None:
    """Phone numbers and postcodes that a spreadsheet stored as numbers."""
    phone_cell, plz_cell = raw.get("telefon"), raw.get("plz")
    if isinstance(phone_cell, (int, float)) and not isinstance(phone_cell, bool):
        bad("telefon", f"Die Telefonnummer steht in Excel als Zahl ({clean_text(phone_cell)}); eine führende 0 "
                       "ginge verloren. Bitte die Spalte als Text formatieren und die Nummer neu eintragen.")
        rec["telefon"] = ""
    if (isinstance(plz_cell, (int, float)) and not isinstance(plz_cell, bool) and float(plz_cell).is_integer()
            and 0 < plz_cell < 100_000):
        rec["plz"] = f"{int(plz_cell):05d}"  # a PLZ always has five digits: Excel dropped the leading 0


def _check_identity(rec: dict[str, object], ctx: ValidationContext, bad: _Bad) -> None:
    """Id, name, category (canonical spelling) and Handlungsfeld."""
    if rec["id"] and not _ID.match(str(rec["id"])):
        bad("id", f"Kennung '{rec['id']}' ist ungültig: nur Buchstaben, Ziffern, - _ . (höchstens 40 Zeichen).")
    if not rec["name"]:
        bad("name", "Der Name fehlt.")
    kategorie = str(rec["kategorie"])
    if not kategorie:
        bad("kategorie", "Die Kategorie fehlt.")
    elif ctx.kategorie(kategorie) is None:
        bad("kategorie", f"Unbekannte Kategorie '{kategorie}' (erlaubt: {_allowed(ctx.kategorien)}).")
    else:
        rec["kategorie"] = ctx.kategorie(kategorie)
    feld = str(rec["handlungsfeld"])
    if ctx.handlungsfelder:
        if not feld:
            bad("handlungsfeld", "Das Handlungsfeld fehlt.")
        elif feld not in ctx.handlungsfelder:
            bad("handlungsfeld", f"Unbekanntes Handlungsfeld '{feld}' (erlaubt: {_allowed(ctx.handlungsfelder)}).")


def _check_contact(rec: dict[str, object], ctx: ValidationContext, bad: _Bad) -> None:
    """Postcode, phone, e-mail, web and source addresses, and the Gemeinde (official spelling)."""
    if rec["plz"] and not _PLZ.match(str(rec["plz"])):
        bad("plz", f"PLZ '{rec['plz']}' ist ungültig: fünf Ziffern erwartet.")
    for name, check in (("telefon", check_phone), ("email", check_email), ("website", check_website),
                        ("quelle_url", check_source_url)):
        if rec[name]:
            message = check(str(rec[name]))
            if message:
                bad(name, message)
    ort = str(rec["ort"])
    if ort and ctx.gemeinden:
        official = ctx.gemeinden.get(normalise_name(ort))
        if official is None:
            bad("ort", f"Gemeinde '{ort}' gehört nicht zum Landkreis.")
        else:
            rec["ort"] = official


def _check_position(raw: Mapping[str, object], rec: dict[str, object], ctx: ValidationContext, bad: _Bad) -> None:
    """lon/lat (WGS84, together, inside the Kreis) and, for the register's own export, their precision."""
    lon_raw, lat_raw = raw.get("lon"), raw.get("lat")
    lon = lat = None
    unreadable = False
    try:
        lon = to_float(lon_raw)
    except ValueError:
        bad("lon", f"Längengrad '{clean_text(lon_raw)}' ist keine Zahl.")
        unreadable = True
    try:
        lat = to_float(lat_raw)
    except ValueError:
        bad("lat", f"Breitengrad '{clean_text(lat_raw)}' ist keine Zahl.")
        unreadable = True
    if (lon is None) != (lat is None) and not unreadable:
        bad("lon" if lon is None else "lat", "Längen- und Breitengrad nur zusammen angeben.")
    elif lon is not None and lat is not None:
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            bad("lon", f"Koordinaten ({lon}, {lat}) sind keine WGS84-Grad.")
        elif ctx.kreis is not None and not shapely.contains_xy(ctx.kreis, lon, lat):
            bad("lon", f"Der Punkt ({lon:.5f}, {lat:.5f}) liegt außerhalb des Landkreises.")
    rec["lon"], rec["lat"] = lon, lat
    precision = clean_text(raw.get("lage_genauigkeit"))
    if precision and lon is not None and lat is not None:  # the register's own export: keep its precision
        if not _PRECISION.match(precision):
            bad("lage_genauigkeit", f"Lagegenauigkeit '{precision}' ist ungültig (z. B. punkt, ortsteil, gemeinde).")
        else:
            rec["lage_genauigkeit"] = precision
            rec["lage_hinweis"] = clean_text(raw.get("lage_hinweis"))


def _check_date(raw: Mapping[str, object], rec: dict[str, object], today: date, bad: _Bad) -> None:
    """``zuletzt_geprueft``: a date, not in the future, stored as ISO text (None when empty)."""
    checked = clean_text(raw.get("zuletzt_geprueft"))
    rec["zuletzt_geprueft"] = None
    if checked:
        try:
            day = parse_date(checked)
        except ValueError:
            bad("zuletzt_geprueft", f"Datum '{checked}' ist ungültig (Beispiel: 2025-03-01 oder 01.03.2025).")
        else:
            if day > today:
                bad("zuletzt_geprueft", f"Datum '{checked}' liegt in der Zukunft.")
            rec["zuletzt_geprueft"] = day.isoformat()


def check_rows(rows: Sequence[Mapping[str, object]], ctx: ValidationContext, first_line: int = 2,
               today: date | None = None) -> CheckedRows:
    """Check every row (file row numbers start at *first_line*) including duplicates against the
    register and within the file."""
    records: list[dict[str, object]] = []
    problems: list[Problem] = []
    seen_ids: dict[str, int] = {}
    seen_keys: dict[tuple[str, str, str], int] = {}
    for offset, raw in enumerate(rows):
        zeile = first_line + offset
        rec, row_problems = check_record(raw, ctx, zeile, today)
        problems.extend(row_problems)
        oid = str(rec["id"])
        if oid:
            if oid in ctx.existing_ids:
                problems.append(Problem(zeile, "id", f"Kennung '{oid}' gibt es schon im Register."))
            elif oid in seen_ids:
                problems.append(Problem(zeile, "id", f"Kennung '{oid}' steht schon in Zeile {seen_ids[oid]}."))
            seen_ids.setdefault(oid, zeile)
        if rec["name"]:
            key = dedup_key(rec["name"], rec["ort"], rec["handlungsfeld"])
            if key in ctx.existing:
                problems.append(Problem(zeile, "name", f"Doppelt: '{rec['name']}' in '{rec['ort'] or '–'}' gibt es "
                                                        f"schon im Register (Kennung {ctx.existing[key]})."))
            elif key in seen_keys:
                problems.append(Problem(zeile, "name", f"Doppelt: '{rec['name']}' in '{rec['ort'] or '–'}' steht "
                                                        f"schon in Zeile {seen_keys[key]}."))
            seen_keys.setdefault(key, zeile)
        records.append(rec)
    return CheckedRows(records=records, problems=problems)


def check_header(columns: Sequence[str]) -> list[Problem]:
    """Problems with the header row: required columns missing, unknown columns."""
    known = set(OFFER_FIELDS) | set(IMPORT_EXTRA_FIELDS) | set(EXPORT_ONLY_FIELDS)
    problems = [Problem(1, c, "Pflichtspalte fehlt in der Kopfzeile.") for c in ("name", "kategorie")
                if c not in columns]
    problems += [Problem(1, str(c), f"Unbekannte Spalte '{c}' (erlaubt: {', '.join(OFFER_FIELDS + IMPORT_EXTRA_FIELDS)}).")
                 for c in columns if c and c not in known]
    dupes = {c for c in columns if list(columns).count(c) > 1}
    problems += [Problem(1, str(c), "Spalte steht mehrfach in der Kopfzeile.") for c in sorted(dupes)]
    return problems
