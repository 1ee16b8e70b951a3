"""Reachability standards as data: loading and validating ``geodata/standards.yaml``.

Each entry names an offer category, a mode, a threshold (``schwelle``) with its unit (``km`` or
``min``) and the source it comes from. A person counts as *beyond* the standard ("jenseits") when
the value of the nearest site is

* ``vergleich: ">"`` (default): strictly greater than the threshold – exactly at the threshold is
  still within the standard ("erreichbar innerhalb von 20 min");
* ``vergleich: ">="``: greater than or equal – for rules worded "ab 2 km" / "mindestens 2 km"
  (ThürSchFG: transport is needed when the way to school is at least 2 km long).

Values within a relative tolerance of 1e-9 count as equal to the threshold.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from atlas.accessibility._helpers import exceeds
from atlas.accessibility.errors import StandardsError
from atlas.accessibility.parameters import MODE_LABEL, StandardMode
from atlas.datafile import german_text, read_yaml
from atlas.settings import STANDARDS_FILE

#: Default location of the standards file.
STANDARDS_PATH: Path = STANDARDS_FILE

#: German names of the fields (for error messages).
_FIELD_LABEL: dict[str, str] = {
    "id": "id",
    "kategorie": "kategorie",
    "label": "label",
    "mode": "mode",
    "schwelle": "schwelle",
    "einheit": "einheit",
    "vergleich": "vergleich",
    "art": "art",
    "quelle": "quelle",
    "quelle_url": "quelle_url",
    "hinweis": "hinweis",
}


class Standard(BaseModel):
    """One reachability standard (one entry of ``standards.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    #: Unique key, lower case letters, digits and ``-``.
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    #: Offer category as in the ``kategorie`` column of the offers table.
    kategorie: str = Field(min_length=1)
    #: Short German label for tables and maps.
    label: str = Field(min_length=1)
    #: Travel mode (:data:`atlas.accessibility.parameters.StandardMode`; ``pt`` = Bus und Bahn, atlas.transit).
    mode: StandardMode
    #: Threshold value (> 0) in *einheit*.
    schwelle: float = Field(gt=0)
    #: ``km`` (distance) or ``min`` (travel time).
    einheit: Literal["km", "min"]
    #: ``">"``: beyond when value > schwelle; ``">="``: beyond when value >= schwelle.
    vergleich: Literal[">", ">="] = ">"
    #: ``rechtsnorm`` (law), ``planungsrichtwert`` (planning guideline), ``deskriptiv`` (observed
    #: value), ``eigene_vorgabe`` (set by the user on the page, not from a source).
    art: Literal["rechtsnorm", "planungsrichtwert", "deskriptiv", "eigene_vorgabe"]
    #: Citation of the source.
    quelle: str = Field(min_length=1)
    #: Address of the source, if known.
    quelle_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    #: Remarks, e.g. on assumptions in assigning the category.
    hinweis: str | None = None

    @property
    def inclusive(self) -> bool:
        """True when a value exactly at the threshold counts as beyond (``vergleich: ">="``)."""
        return self.vergleich == ">="

    @property
    def beschreibung(self) -> str:
        """German one-line description, e.g. ``"Grundschule: zu Fuß, jenseits ab 2 km"``."""
        rel = "ab" if self.inclusive else "über"
        zahl = f"{self.schwelle:g}".replace(".", ",")
        return f"{self.kategorie}: {MODE_LABEL[self.mode]}, jenseits {rel} {zahl} {self.einheit}"

    def jenseits(self, distanz_m: np.ndarray, zeit_min: np.ndarray) -> np.ndarray:
        """Boolean mask: beyond the standard (NaN – no result – is never beyond)."""
        values = np.asarray(distanz_m, dtype=float) / 1000.0 if self.einheit == "km" else np.asarray(zeit_min, dtype=float)
        return exceeds(values, self.schwelle, self.inclusive)


def parse_standards(data: Any, source: str = "standards.yaml") -> dict[str, Standard]:
    """Validate already-parsed YAML *data* (mapping with a ``standards`` list) and return the
    standards by id. *source* names the file in error messages."""
    if not isinstance(data, dict) or "standards" not in data:
        raise StandardsError(f"{source}: Die Datei muss einen Schlüssel 'standards' mit einer Liste von Einträgen haben.")
    entries = data["standards"]
    if not isinstance(entries, list) or not entries:
        raise StandardsError(f"{source}: 'standards' muss eine nicht leere Liste sein.")
    result: dict[str, Standard] = {}
    for pos, entry in enumerate(entries, start=1):
        ident = entry.get("id") if isinstance(entry, dict) else None
        where = f"{source}, Eintrag {pos}" + (f" (id {ident!r})" if ident else "")
        if not isinstance(entry, dict):
            raise StandardsError(f"{where}: Der Eintrag muss eine Zuordnung von Feldern sein.")
        try:
            std = Standard.model_validate(entry)
        except ValidationError as exc:
            parts = []
            for err in exc.errors():
                field = ".".join(str(x) for x in err.get("loc", ())) or "?"
                parts.append(f"Feld {_FIELD_LABEL.get(field, field)!r} {german_text(err)}")
            raise StandardsError(f"{where}: " + "; ".join(parts) + ".") from None
        if std.id in result:
            raise StandardsError(f"{where}: Die id {std.id!r} kommt mehrfach vor.")
        result[std.id] = std
    return result


def load_standards(path: str | os.PathLike[str] | None = None) -> dict[str, Standard]:
    """Read and validate the standards file (default ``geodata/standards.yaml``)."""
    p = Path(path) if path is not None else STANDARDS_PATH
    if not p.is_file():
        raise StandardsError(f"Die Datei mit den Erreichbarkeitsstandards {str(p)!r} wurde nicht gefunden.")
    return parse_standards(read_yaml(p, error=StandardsError), source=p.name)


def standards_for(kategorie: str, standards: dict[str, Standard]) -> list[Standard]:
    """The standards that apply to offer category *kategorie* (possibly none)."""
    return [s for s in standards.values() if s.kategorie == kategorie]


def check_categories(standards: dict[str, Standard], kategorien: set[str] | list[str]) -> None:
    """Raise :class:`StandardsError` naming every standard whose ``kategorie`` is not in *kategorien*
    (e.g. the categories of the offers table)."""
    known = set(kategorien)
    unknown = [f"{s.id} ({s.kategorie!r})" for s in standards.values() if s.kategorie not in known]
    if unknown:
        raise StandardsError(
            "Erreichbarkeitsstandards mit einer Kategorie, die in den Angeboten nicht vorkommt: "
            + ", ".join(unknown)
            + "."
        )


#: German names of the kinds of standard (field ``art``).
ART_LABEL: dict[str, str] = {
    "rechtsnorm": "Rechtsnorm",
    "planungsrichtwert": "Planungsrichtwert",
    "deskriptiv": "beschreibender Vergleichswert (keine Norm)",
    "eigene_vorgabe": "eigene Vorgabe (keine Quelle)",
}

#: Suggested threshold when a category has no standard in the file (a user assumption, labelled so).
DEFAULT_OWN: dict[str, float | str] = {"mode": "car", "schwelle": 20.0, "einheit": "min"}


def adjusted_standard(
    base: Standard | None,
    kategorie: str,
    *,
    mode: str | None = None,
    schwelle: float | None = None,
    einheit: str | None = None,
) -> Standard:
    """The standard the user works with on the page.

    Returns *base* unchanged when nothing differs from it. Otherwise (or without *base*) a new
    :class:`Standard` of ``art="eigene_vorgabe"`` whose ``quelle`` says that it was set by the user
    and, if there was a base standard, which source value it replaces. Invalid values raise
    :class:`StandardsError` with a German message naming the field.
    """
    mode = mode if mode is not None else (base.mode if base else str(DEFAULT_OWN["mode"]))
    schwelle = float(schwelle) if schwelle is not None else (base.schwelle if base else float(DEFAULT_OWN["schwelle"]))
    einheit = einheit if einheit is not None else (base.einheit if base else str(DEFAULT_OWN["einheit"]))
    if base is not None and (mode, float(schwelle), einheit) == (base.mode, base.schwelle, base.einheit):
        return base
    slug = "".join(ch if ch.isalnum() and ch.isascii() else "-" for ch in kategorie.lower()).strip("-") or "kategorie"
    entry = {
        "id": f"eigen-{slug}-{mode}",
        "kategorie": kategorie,
        "label": f"{kategorie}: eigene Vorgabe",
        "mode": mode,
        "schwelle": schwelle,
        "einheit": einheit,
        "vergleich": base.vergleich if base is not None else ">",
        "art": "eigene_vorgabe",
        "quelle": (
            f"Eigene Vorgabe auf der Seite (ersetzt: {str(base.schwelle).removesuffix('.0').replace('.', ',')} {base.einheit} {_mode_label(base.mode)}, "
            f"{base.quelle})"
            if base is not None
            else "Eigene Vorgabe auf der Seite; für diese Kategorie gibt es keinen Standard in standards.yaml"
        ),
    }
    return parse_standards({"standards": [entry]}, source="Eingabe auf der Seite")[str(entry["id"])]


def _mode_label(mode: str) -> str:
    return MODE_LABEL[mode]


def load_register_notes(path: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """Notes on how complete the offers register is, per category (``registerhinweise`` in the
    standards file; empty when the section is missing)."""
    p = Path(path) if path is not None else STANDARDS_PATH
    data = read_yaml(p, error=StandardsError, required=False)
    notes = data.get("registerhinweise") if isinstance(data, dict) else None
    if notes is None:
        return {}
    if not isinstance(notes, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in notes.items()):
        raise StandardsError(f"{p.name}: 'registerhinweise' muss eine Zuordnung Kategorie → Text sein.")
    return dict(notes)
