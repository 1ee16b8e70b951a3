"""The indicator catalogue (``geodata/indicators.yaml``) and the Handlungsfelder (``geodata/handlungsfelder.yaml``).

Both are data maintained by people. Loading validates every entry; a malformed entry raises
:class:`atlas.errors.CatalogueError` naming the file, the entry and the field.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from atlas import settings
from atlas._helpers import is_blank
from atlas.datafile import load_entries
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
        if self.einheit_geprueft:
            return self.einheit
        if self.einheit.strip().lower() in ("", "unbekannt"):
            return "nicht geprüft"  # the source names no unit: no "unbekannt" noise
        return f"{self.einheit} (Einheit nicht geprüft)"


@lru_cache(maxsize=4)
def load_handlungsfelder(path: Path = HANDLUNGSFELDER_FILE) -> tuple[Handlungsfeld, ...]:
    """The Handlungsfelder in the strategy's order."""
    return tuple(load_entries(path, Handlungsfeld, "handlungsfelder", entry_label="Handlungsfeld",
                              id_field="label", error=CatalogueError))


@lru_cache(maxsize=4)
def load_catalogue(path: Path = INDICATORS_FILE,
                   handlungsfelder_path: Path = HANDLUNGSFELDER_FILE) -> tuple[Indicator, ...]:
    """All indicators of the catalogue, validated (ids unique, Handlungsfeld one of the strategy's)."""
    valid_fields = {h.label for h in load_handlungsfelder(handlungsfelder_path)}
    result = load_entries(path, Indicator, "indicators", entry_label="Indikator", error=CatalogueError)
    for indicator in result:
        if indicator.handlungsfeld not in valid_fields:
            raise CatalogueError(
                f"{path.name}, Indikator '{indicator.id}': Feld 'handlungsfeld' – "
                f"'{indicator.handlungsfeld}' ist kein Handlungsfeld der Strategie."
            )
    return tuple(result)


def indicator_by_id(indicator_id: str) -> Indicator:
    """Look one indicator up; ``KeyError`` with a German message when it is unknown."""
    for indicator in load_catalogue():
        if indicator.id == indicator_id:
            return indicator
    raise KeyError(f"Unbekannter Indikator '{indicator_id}'.")
