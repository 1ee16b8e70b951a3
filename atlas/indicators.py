"""The indicator catalogue (``geodata/indicators.yaml``) and the Handlungsfelder (``geodata/handlungsfelder.yaml``).

Both are data maintained by people. Loading validates every entry; a malformed entry raises
:class:`atlas.errors.CatalogueError` naming the file, the entry and the field.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from atlas import settings
from atlas._helpers import is_blank
from atlas.errors import CatalogueError

INDICATORS_FILE: Path = settings.GEODATA_DIR / "indicators.yaml"
HANDLUNGSFELDER_FILE: Path = settings.GEODATA_DIR / "handlungsfelder.yaml"

Direction = Literal["hoeher_besser", "hoeher_schlechter", "neutral"]
Level = Literal["gemeinde", "gemeindeverband", "kreis"]


class Handlungsfeld(BaseModel):
    """One action field of the county's poverty-prevention strategy."""

    model_config = ConfigDict(extra="ignore")
    id: str
    label: str
    kurz: str | None = None


class Indicator(BaseModel):
    """One indicator with its meaning, unit, source and direction."""

    model_config = ConfigDict(extra="ignore")

    id: str
    spalte: str | None = None
    datei: str | None = None
    ebene: Level
    gebietsstand: str | None = None
    label: str
    beschreibung: str = ""
    einheit: str
    einheit_geprueft: bool = False
    bezugsjahr: int | None = None
    richtung: Direction
    handlungsfeld: str
    quelle: str
    beleg: str | None = None
    kategorie_register: str | None = None
    werttyp: Literal["zahl", "klasse"] = "zahl"

    @field_validator("id", "label", "einheit", "quelle", "handlungsfeld")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if is_blank(value):
            raise ValueError("darf nicht leer sein")
        return value

    @property
    def unit_label(self) -> str:
        """Unit for legends: '(Einheit nicht geprüft)' when the unit is not verified."""
        return self.einheit if self.einheit_geprueft else f"{self.einheit} (Einheit nicht geprüft)"


_GERMAN_PYDANTIC = {
    "missing": "fehlt",
    "literal_error": "hat einen nicht erlaubten Wert",
    "string_type": "muss Text sein",
    "int_parsing": "muss eine ganze Zahl sein",
    "int_type": "muss eine ganze Zahl sein",
    "bool_parsing": "muss true oder false sein",
    "bool_type": "muss true oder false sein",
    "value_error": "ist ungültig",
}


def german_validation_message(exc: ValidationError) -> tuple[str, str]:
    """(field path, German description) of the first problem in a pydantic error."""
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "(Eintrag)"
    text = _GERMAN_PYDANTIC.get(first["type"], "ist ungültig")
    if first["type"] == "literal_error":
        allowed = first.get("ctx", {}).get("expected", "")
        text += f" (erlaubt: {allowed})"
    if first["type"] == "value_error" and "darf nicht leer sein" in first.get("msg", ""):
        text = "darf nicht leer sein"
    return field, text


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(f"Die Datei {path.name} fehlt oder ist nicht lesbar ({exc}).") from exc
    except yaml.YAMLError as exc:
        raise CatalogueError(f"Die Datei {path.name} ist kein gültiges YAML: {exc}") from exc


@lru_cache(maxsize=4)
def load_handlungsfelder(path: Path = HANDLUNGSFELDER_FILE) -> tuple[Handlungsfeld, ...]:
    """The Handlungsfelder in the strategy's order."""
    raw = _read_yaml(path)
    entries = raw.get("handlungsfelder") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(f"Die Datei {path.name} braucht eine Liste 'handlungsfelder'.")
    result = []
    for number, entry in enumerate(entries, start=1):
        try:
            result.append(Handlungsfeld(**entry))
        except (ValidationError, TypeError) as exc:
            raise CatalogueError(f"{path.name}, Eintrag {number}: ungültig ({exc}).") from exc
    return tuple(result)


@lru_cache(maxsize=4)
def load_catalogue(path: Path = INDICATORS_FILE,
                   handlungsfelder_path: Path = HANDLUNGSFELDER_FILE) -> tuple[Indicator, ...]:
    """All indicators of the catalogue, validated."""
    valid_fields = {h.label for h in load_handlungsfelder(handlungsfelder_path)}
    raw = _read_yaml(path)
    entries = raw.get("indicators") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(f"Die Datei {path.name} braucht eine Liste 'indicators'.")
    seen: set[str] = set()
    result: list[Indicator] = []
    for number, entry in enumerate(entries, start=1):
        name = entry.get("id", f"Nr. {number}") if isinstance(entry, dict) else f"Nr. {number}"
        if not isinstance(entry, dict):
            raise CatalogueError(f"{path.name}, Eintrag {number}: muss eine Zuordnung (Schlüssel: Wert) sein.")
        try:
            indicator = Indicator(**entry)
        except ValidationError as exc:
            field, text = german_validation_message(exc)
            raise CatalogueError(f"{path.name}, Indikator '{name}': Feld '{field}' {text}.") from exc
        if indicator.id in seen:
            raise CatalogueError(f"{path.name}, Indikator '{name}': die id ist doppelt vergeben.")
        if indicator.handlungsfeld not in valid_fields:
            raise CatalogueError(
                f"{path.name}, Indikator '{name}': Feld 'handlungsfeld' – '{indicator.handlungsfeld}' "
                f"ist kein Handlungsfeld der Strategie."
            )
        seen.add(indicator.id)
        result.append(indicator)
    return tuple(result)


def indicator_by_id(indicator_id: str) -> Indicator:
    """Look one indicator up; ``KeyError`` with a German message when it is unknown."""
    for indicator in load_catalogue():
        if indicator.id == indicator_id:
            return indicator
    raise KeyError(f"Unbekannter Indikator '{indicator_id}'.")
