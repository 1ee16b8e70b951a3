"""Categories of the register as data: ``geodata/kategorien.yaml`` (name, synonyms, short description).

A category typed in another case or spelling ("kita", "Ki-Ta") or as a documented synonym
("Kindergarten") is stored under its canonical name ("Kita"). Matching folds case, umlauts, accents,
spaces and punctuation (:func:`fold`). The file is checked with a small pydantic model: unknown keys,
empty names and a spelling that belongs to two categories are refused with a German message naming the
file and the entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from atlas import settings
from atlas._helpers import normalise_name
from atlas.datafile import load_entries
from atlas.register.errors import CategoryFileError

#: The category file.
KATEGORIEN_FILE: Path = settings.GEODATA_DIR / "kategorien.yaml"


class Kategorie(BaseModel):
    """One category of the register."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    synonyme: tuple[str, ...] = ()
    beschreibung: str

    @field_validator("name", "beschreibung")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("darf nicht leer sein")
        return value.strip()


class KategorienDatei(BaseModel):
    """The whole file: ``kategorien: [...]``."""

    model_config = ConfigDict(extra="forbid")
    kategorien: list[Kategorie]


def fold(text: object) -> str:
    """Key for matching a category: lower case, umlauts spelt out, no accents, spaces or punctuation."""
    return normalise_name(str(text)).replace(" ", "")


@lru_cache(maxsize=4)
def load_kategorien(path: Path = KATEGORIEN_FILE) -> tuple[Kategorie, ...]:
    """The categories of *path*, validated (:class:`CategoryFileError`, a ``RegisterError``, in German otherwise)."""
    result = load_entries(path, Kategorie, "kategorien", entry_label="Kategorie", id_field=None,
                          error=CategoryFileError)
    owner: dict[str, str] = {}
    for kategorie in result:
        for spelling in (kategorie.name, *kategorie.synonyme):
            key = fold(spelling)
            if key in owner and owner[key] != kategorie.name:
                raise CategoryFileError(f"{path.name}: '{spelling}' steht bei mehreren Kategorien "
                                    f"('{owner[key]}' und '{kategorie.name}').")
            owner[key] = kategorie.name
    return tuple(result)


def category_names(kategorien: Iterable[Kategorie] | None = None) -> frozenset[str]:
    """Canonical names (default: of :data:`KATEGORIEN_FILE`)."""
    return frozenset(k.name for k in (load_kategorien() if kategorien is None else kategorien))


def synonym_lookup(kategorien: Iterable[Kategorie] | None = None) -> dict[str, str]:
    """Folded synonym → canonical name (default: of :data:`KATEGORIEN_FILE`)."""
    return {fold(s): k.name for k in (load_kategorien() if kategorien is None else kategorien) for s in k.synonyme}


def resolve(text: str, names: Iterable[str], synonyms: Mapping[str, str]) -> str | None:
    """The canonical category for *text*: an exact name, a name in other case/spelling, or a synonym;
    None when unknown."""
    names = set(names)
    if text in names:
        return text
    key = fold(text)
    if not key:
        return None
    for name in sorted(names):
        if fold(name) == key:
            return name
    return synonyms.get(key)
