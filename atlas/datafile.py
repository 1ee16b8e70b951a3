"""One way to read the project's data files (YAML in ``geodata/`` and ``layers/``) with German errors.

Every reader of a data file goes through :func:`read_yaml` (the file as parsed YAML) and
:func:`load_model` / :func:`validate` / :func:`load_entries` (pydantic models). A broken file raises
:class:`~atlas.errors.DataFileError` – or the caller's subclass of it – whose message names the file, the
entry and the field in German, e.g. ``Ebenen-Datei bahnhoefe.yaml: Feld 'stil.farbe' muss eine Farbe wie
#1f78b4 sein.`` pydantic's error details are translated in one place (:func:`german_problem`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from atlas.errors import DataFileError

M = TypeVar("M", bound=BaseModel)

_SIMPLE = {
    "missing": "fehlt",
    "extra_forbidden": "ist kein bekanntes Feld (Tippfehler?)",
    "int_parsing": "muss eine ganze Zahl sein",
    "int_type": "muss eine ganze Zahl sein",
    "int_from_float": "muss eine ganze Zahl sein",
    "bool_parsing": "muss true oder false sein",
    "bool_type": "muss true oder false sein",
    "list_type": "muss eine Liste sein",
    "tuple_type": "muss eine Liste sein",
    "dict_type": "muss eine Zuordnung (Schlüssel: Wert) sein",
    "model_type": "muss eine Zuordnung (Schlüssel: Wert) sein",
    "model_attributes_type": "muss eine Zuordnung (Schlüssel: Wert) sein",
    "too_short": "darf nicht leer sein",
    "string_too_short": "darf nicht leer sein",
    "date_from_datetime_parsing": "muss ein Datum wie 2024-12-31 sein",
    "date_parsing": "muss ein Datum wie 2024-12-31 sein",
}
_BOUNDS = {"greater_than": "gt", "greater_than_equal": "ge", "less_than": "lt", "less_than_equal": "le"}
_BOUND_WORDS = {"gt": "muss größer als {} sein", "ge": "muss mindestens {} sein", "lt": "muss kleiner als {} sein",
                "le": "darf höchstens {} sein"}
_LOWER_ID = "^[a-z0-9_]+$"


def german_problem(err: ErrorDetails | Mapping[str, Any]) -> str:
    """One pydantic error detail as German text, e.g. ``Feld 'stil.radius' liegt außerhalb …``."""
    field = ".".join(str(p) for p in err.get("loc", ())) or "(Eintrag)"
    return f"Feld '{field}' {german_text(err)}"


def german_text(err: ErrorDetails | Mapping[str, Any]) -> str:
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    given = err.get("input")
    if kind in _SIMPLE:
        return _SIMPLE[kind]
    if kind == "value_error":  # our own validators raise ValueError with a German text
        return str(err.get("msg", "")).removeprefix("Value error, ") or "ist ungültig"
    if kind == "literal_error":
        allowed = str(ctx.get("expected", "")).replace(" or ", " oder ")
        return f"muss einer der Werte {allowed} sein (angegeben: {given!r})"
    if kind in _BOUNDS:
        key = _BOUNDS[kind]
        return _BOUND_WORDS[key].format(f"{float(ctx.get(key, 0)):g}") + f" (angegeben: {given!r})"
    if kind in ("float_parsing", "float_type"):
        return f"muss eine Zahl sein (angegeben: {given!r})"
    if kind == "string_type":
        return f"muss ein Text sein (angegeben: {given!r})"
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == _LOWER_ID:
            return "darf nur Kleinbuchstaben, Ziffern und _ enthalten"
        return f"hat nicht die erwartete Form {ctx.get('pattern', '')!r} (angegeben: {given!r})"
    return f"ist ungültig (angegeben: {given!r})"


def german_errors(exc: ValidationError) -> str:
    """All problems of *exc*, German, separated by semicolons."""
    return "; ".join(german_problem(err) for err in exc.errors())


def describe(path: Path | str, label: str = "", where: str = "") -> str:
    """``"<label> <file>, <where>"`` – the start of every message about a data file."""
    name = Path(path).name
    head = f"{label} {name}".strip()
    return f"{head}, {where}" if where else head


#: PyYAML's binding to libyaml parses the data files 10–25 times faster than its pure-Python loader
#: (indicators.yaml: 0.03 s instead of 0.29 s – pages read several files on every rerun); same result.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path, *, error: type[DataFileError] = DataFileError, label: str = "",
              required: bool = True) -> Any:
    """The parsed YAML of *path*. A missing file (when *required*), unreadable bytes or invalid YAML raise
    *error* naming the file; a missing optional file gives None."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        if not required:
            return None
        raise error(f"{describe(path, label)}: Die Datei fehlt ({path}).") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{describe(path, label)}: Die Datei ist nicht lesbar ({exc}).") from exc
    try:
        return yaml.load(text, Loader=_FAST_LOADER)  # a safe loader (libyaml's CSafeLoader)
    except yaml.YAMLError:
        pass
    try:  # the pure-Python loader again: its message shows the line with a caret
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise error(f"{describe(path, label)}: Die Datei ist kein gültiges YAML ({exc}).") from exc


def section(raw: Any, key: str, path: Path | str, *, kind: type = list, error: type[DataFileError] = DataFileError,
            label: str = "", required: bool = True) -> Any:
    """``raw[key]`` checked to be a non-empty *kind* (list or dict); None when optional and absent."""
    value = raw.get(key) if isinstance(raw, Mapping) else None
    if value is None and not required:
        return None
    if not isinstance(value, kind) or not value:
        what = "Liste" if kind is list else "Zuordnung"
        raise error(f"{describe(path, label)}: der Eintrag '{key}:' fehlt oder ist keine nicht leere {what}.")
    return value


def validate(model: type[M], data: Any, path: Path | str, *, where: str = "", label: str = "",
             error: type[DataFileError] = DataFileError) -> M:
    """*data* as *model*; *error* naming file, entry and every invalid field in German."""
    if not isinstance(data, Mapping):
        raise error(f"{describe(path, label, where)}: erwartet wird eine Zuordnung (Schlüssel: Wert).")
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        raise error(f"{describe(path, label, where)}: {german_errors(exc)}.") from exc


def load_model(path: Path, model: type[M], *, key: str | None = None, label: str = "",
               error: type[DataFileError] = DataFileError) -> M:
    """Read *path* and validate it (or its entry *key*) as *model* – the one loader for data files."""
    raw = read_yaml(path, error=error, label=label)
    if key is not None:
        raw = section(raw, key, path, kind=dict, error=error, label=label)
    return validate(model, raw, path, label=label, error=error)


def load_entries(path: Path, model: type[M], key: str, *, entry_label: str = "Eintrag", label: str = "",
                 id_field: str | None = "id", error: type[DataFileError] = DataFileError) -> list[M]:
    """The list *key* of *path*, every entry validated as *model*; messages name the entry by number and
    id (``indicators.yaml, Indikator 'bev_dicht': Feld 'label' darf nicht leer sein.``); ids must be
    unique when the model has *id_field* (None: entries are named by number only, no uniqueness check)."""
    entries: Sequence[Any] = section(read_yaml(path, error=error, label=label), key, path, error=error, label=label)
    result: list[M] = []
    seen: set[object] = set()
    for number, entry in enumerate(entries, start=1):
        ident = entry.get(id_field) if id_field and isinstance(entry, Mapping) else None
        where = f"{entry_label} '{ident}'" if ident not in (None, "") else f"{entry_label} {number}"
        item = validate(model, entry, path, where=where, label=label, error=error)
        value = getattr(item, id_field, None) if id_field else None
        if value is not None:
            if value in seen:
                raise error(f"{describe(path, label, where)}: die id '{value}' kommt mehrfach vor.")
            seen.add(value)
        result.append(item)
    return result
