"""The "Erklärung zur Barrierefreiheit" (BITV 2.0 § 7, ThürBITVO § 3) as data: ``geodata/barrierefreiheit.yaml``.

The statement changes with every audit and with the operator; it is kept as data so that a Landkreis can
update it without touching code. This module reads and checks it (German errors naming the file and
field); the page ``pages/barrierefreiheit.py`` only draws it. Feedback sent from that page goes into the
register's moderation queue as a report of kind :data:`atlas.register.reports.BARRIER_KIND`.

(Not to be confused with :mod:`atlas.accessibility`, which computes *reachability* – Erreichbarkeit.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from atlas import settings
from atlas.datafile import load_model
from atlas.errors import CatalogueError

STATEMENT_FILE: Path = settings.GEODATA_DIR / "barrierefreiheit.yaml"

STATUS_TEXT = {
    "vereinbar": "Der Standortatlas ist mit der BITV 2.0 vollständig vereinbar.",
    "teilweise_vereinbar": "Der Standortatlas ist mit der BITV 2.0 teilweise vereinbar. "
                           "Die unten genannten Inhalte sind (noch) nicht vollständig barrierefrei.",
    "nicht_vereinbar": "Der Standortatlas ist mit der BITV 2.0 nicht vereinbar.",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Gap(_Model):
    """A known barrier, with what the atlas offers instead."""

    bereich: str = Field(min_length=1)
    beschreibung: str = Field(min_length=1)
    ersatz: str = ""


class Enforcement(_Model):
    stelle: str = Field(min_length=1)
    text: str = Field(min_length=1)
    url: str = Field(pattern=r"^https://")


class Statement(_Model):
    stand: str = Field(pattern=r"^\d{2}\.\d{2}\.\d{4}$")
    pruefung: str = Field(min_length=1)
    status: Literal["vereinbar", "teilweise_vereinbar", "nicht_vereinbar"]
    erfuellt: tuple[str, ...] = ()
    luecken: tuple[Gap, ...] = ()
    rechtsgrundlagen: tuple[str, ...] = Field(min_length=1)
    feedback: str = Field(min_length=1)
    durchsetzung: Enforcement
    ueberwachung: str = ""

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]


def load_statement(path: Path = STATEMENT_FILE) -> Statement:
    """Read and check the statement; :class:`CatalogueError` (German, naming file and field) if broken."""
    return load_model(path, Statement, key="erklaerung", error=CatalogueError)
