"""The declarative layer registry: one YAML file per map layer in ``layers/``.

Adding a layer is a data change: write a file, no code. Each file describes which GeoPackage layer
it shows, its title and description, the sources to attribute, how it is drawn, which fields its
popup shows, whether it is visible by default and which Handlungsfeld it belongs to.

A malformed file raises :class:`atlas.errors.LayerDefinitionError` naming the file and the field.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from atlas import settings
from atlas.datafile import load_model
from atlas.errors import LayerDefinitionError
from atlas.indicators import load_handlungsfelder
from atlas.sources import load_sources

#: How messages name a layer file.
LABEL = "Ebenen-Datei"

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _check_colour(value: str | None) -> str | None:
    if value is not None and not _COLOUR.match(value):
        raise ValueError("muss eine Farbe wie #1f78b4 sein")
    return value


class Style(BaseModel):
    """How a layer is drawn (Leaflet path options, in German)."""

    model_config = ConfigDict(extra="forbid")
    farbe: str = "#333333"
    fuellfarbe: str | None = None
    fuelldeckkraft: float = Field(0.0, ge=0, le=1)
    linienbreite: float = Field(1.0, ge=0, le=20)
    radius: float = Field(6.0, ge=1, le=30)
    strichelung: str | None = None

    _c1 = field_validator("farbe")(lambda cls, v: _check_colour(v))
    _c2 = field_validator("fuellfarbe")(lambda cls, v: _check_colour(v))


class ValueStyle(BaseModel):
    """Colour and symbol for one value of the grouping field."""

    model_config = ConfigDict(extra="forbid")
    farbe: str
    symbol: str = "●"
    _c = field_validator("farbe")(lambda cls, v: _check_colour(v))


class Grouping(BaseModel):
    """Style points by the value of one field (e.g. offers by Handlungsfeld)."""

    model_config = ConfigDict(extra="forbid")
    feld: str
    werte: dict[str, ValueStyle]
    sonst: ValueStyle = ValueStyle(farbe="#666666")


class PopupField(BaseModel):
    """One line of a popup: a field and its German label; ``art`` controls how it is shown."""

    model_config = ConfigDict(extra="forbid")
    feld: str
    label: str
    art: Literal["text", "telefon", "email", "link", "zahl"] = "text"


class LayerDefinition(BaseModel):
    """One map layer."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    titel: str = Field(min_length=1)
    beschreibung: str = ""
    gpkg_ebene: str
    geometrie: Literal["punkt", "flaeche", "linie"]
    art: Literal["punkte", "flaeche", "umriss", "choropleth"]
    quellen: list[str] = Field(min_length=1)
    handlungsfeld: str | None = None
    sichtbar: bool = True
    reihenfolge: int = 50
    symbol: str = "●"
    stil: Style = Style()
    gruppierung: Grouping | None = None
    filter_feld: str | None = None
    tooltip: str | None = None
    popup: list[PopupField] = []
    nur_im_kreis: bool = False
    buendeln: bool = False
    hinweis: str | None = None
    #: Popups and tooltips on an area layer; default: when it has a popup and is not just an outline.
    interaktiv: bool | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "LayerDefinition":
        if self.art == "punkte" and self.geometrie != "punkt":
            raise ValueError("art 'punkte' passt nur zu geometrie 'punkt'")
        return self


def load_layer_file(path: Path) -> LayerDefinition:
    """Read and validate one layer file (through :mod:`atlas.datafile`)."""
    layer = load_model(path, LayerDefinition, label=LABEL, error=LayerDefinitionError)
    known_sources = load_sources()
    for key in layer.quellen:
        if key not in known_sources:
            raise LayerDefinitionError(
                f"Ebenen-Datei {path.name}: Feld 'quellen' nennt die unbekannte Quelle '{key}' "
                f"(bekannt: {', '.join(known_sources)})."
            )
    fields = {h.label for h in load_handlungsfelder()}
    if layer.handlungsfeld is not None and layer.handlungsfeld not in fields:
        raise LayerDefinitionError(
            f"Ebenen-Datei {path.name}: Feld 'handlungsfeld' – '{layer.handlungsfeld}' ist kein Handlungsfeld."
        )
    if layer.gruppierung and layer.gruppierung.feld == "handlungsfeld":
        for value in layer.gruppierung.werte:
            if value not in fields:
                raise LayerDefinitionError(
                    f"Ebenen-Datei {path.name}: Feld 'gruppierung.werte' – '{value}' ist kein Handlungsfeld."
                )
    return layer


@lru_cache(maxsize=4)
def load_layers(folder: Path = settings.LAYERS_DIR) -> tuple[LayerDefinition, ...]:
    """All layer files of *folder*, sorted by ``reihenfolge``; ids must be unique."""
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise LayerDefinitionError(f"Im Ordner {folder} liegen keine Ebenen-Dateien (*.yaml).")
    layers: list[LayerDefinition] = []
    seen: dict[str, str] = {}
    for path in files:
        layer = load_layer_file(path)
        if layer.id in seen:
            raise LayerDefinitionError(
                f"Ebenen-Datei {path.name}: Feld 'id' – '{layer.id}' ist schon in {seen[layer.id]} vergeben."
            )
        seen[layer.id] = path.name
        layers.append(layer)
    return tuple(sorted(layers, key=lambda l: (l.reihenfolge, l.id)))


def check_against_data(layers: tuple[LayerDefinition, ...], columns: dict[str, list[str]]) -> None:
    """Check every layer's GeoPackage layer and fields exist in the built data (*columns* per layer)."""
    for layer in layers:
        if layer.gpkg_ebene not in columns:
            raise LayerDefinitionError(
                f"Ebenen-Datei {layer.id}.yaml: Feld 'gpkg_ebene' – die Ebene '{layer.gpkg_ebene}' gibt es "
                f"in den gebauten Daten nicht."
            )
        available = set(columns[layer.gpkg_ebene])
        wanted = [("popup", p.feld) for p in layer.popup]
        if layer.tooltip:
            wanted.append(("tooltip", layer.tooltip))
        if layer.gruppierung:
            wanted.append(("gruppierung.feld", layer.gruppierung.feld))
        if layer.filter_feld:
            wanted.append(("filter_feld", layer.filter_feld))
        for where, name in wanted:
            if name not in available:
                raise LayerDefinitionError(
                    f"Ebenen-Datei {layer.id}.yaml: Feld '{where}' nennt die Spalte '{name}', "
                    f"die es in der Ebene '{layer.gpkg_ebene}' nicht gibt."
                )
