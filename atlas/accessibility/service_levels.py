"""Service levels: an offer may count for more than its own category (data, not code).

Rules live in ``geodata/standards.yaml`` under ``zaehlt_auch_fuer``, one entry per rule::

    zaehlt_auch_fuer:
      - kategorie: Gemeinschaftsschule     # offers of this category …
        zaehlt_fuer: Grundschule           # … also count as sites of this one …
        wenn: "Klassen?(stufen?)?\\s*1\\s*[-–]"   # … when this regular expression matches …
        felder: [name, zielgruppe]         # … one of these columns (case-insensitive)
        quelle: "…"                        # why (source or register field)

Without ``wenn`` every offer of ``kategorie`` counts. The register's own category is never changed:
a rule only adds sites to a destination (e.g. the Gemeinschaftsschule Schwarza, Klasse 1–10, is a site
for Grundschule reachability and stays a Gemeinschaftsschule everywhere else).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from atlas.accessibility.errors import StandardsError
from atlas.datafile import read_yaml
from atlas.settings import STANDARDS_FILE

#: Key of the rules in the standards file.
RULES_KEY = "zaehlt_auch_fuer"
#: Columns searched when a rule names none.
DEFAULT_FIELDS: tuple[str, ...] = ("name", "zielgruppe")


@dataclass(frozen=True)
class Stufenregel:
    """One rule: offers of ``kategorie`` whose ``felder`` match ``wenn`` also count for ``zaehlt_fuer``."""

    kategorie: str
    zaehlt_fuer: str
    wenn: str | None
    felder: tuple[str, ...]
    quelle: str

    def matches(self, offers: pd.DataFrame) -> np.ndarray:
        """Boolean mask over *offers*: this rule adds the offer to ``zaehlt_fuer``."""
        same = offers["kategorie"].astype(str).to_numpy() == self.kategorie
        if self.wenn is None:
            return same
        pattern = re.compile(self.wenn, re.IGNORECASE)
        hit = np.zeros(len(offers), dtype=bool)
        for col in self.felder:
            if col in offers.columns:
                hit |= np.array([bool(pattern.search(str(v))) for v in offers[col].fillna("")], dtype=bool)
        return same & hit


def parse_rules(data: Any, source: str = "standards.yaml") -> list[Stufenregel]:
    """Validate the ``zaehlt_auch_fuer`` section (missing: no rules); German errors naming the entry."""
    entries = data.get(RULES_KEY) if isinstance(data, dict) else None
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise StandardsError(f"{source}: '{RULES_KEY}' muss eine Liste von Regeln sein.")
    rules = []
    for pos, entry in enumerate(entries, start=1):
        where = f"{source}, {RULES_KEY}, Regel {pos}"
        if not isinstance(entry, dict):
            raise StandardsError(f"{where}: Die Regel muss eine Zuordnung von Feldern sein.")
        unknown = set(entry) - {"kategorie", "zaehlt_fuer", "wenn", "felder", "quelle"}
        if unknown:
            raise StandardsError(f"{where}: Feld {sorted(unknown)[0]!r} ist kein bekanntes Feld.")
        for key in ("kategorie", "zaehlt_fuer", "quelle"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise StandardsError(f"{where}: Feld {key!r} fehlt oder ist leer.")
        if entry["kategorie"].strip() == entry["zaehlt_fuer"].strip():
            raise StandardsError(f"{where}: 'kategorie' und 'zaehlt_fuer' sind gleich.")
        wenn = entry.get("wenn")
        if wenn is not None:
            try:
                re.compile(str(wenn))
            except re.error as exc:
                raise StandardsError(f"{where}: Feld 'wenn' ist kein gültiger regulärer Ausdruck ({exc}).") from None
        felder = entry.get("felder", list(DEFAULT_FIELDS))
        if not isinstance(felder, list) or not felder or not all(isinstance(f, str) for f in felder):
            raise StandardsError(f"{where}: Feld 'felder' muss eine Liste von Spaltennamen sein.")
        rules.append(Stufenregel(entry["kategorie"].strip(), entry["zaehlt_fuer"].strip(),
                                 None if wenn is None else str(wenn), tuple(felder), entry["quelle"].strip()))
    return rules


def load_rules(path: str | os.PathLike[str] | None = None) -> list[Stufenregel]:
    """The rules of ``geodata/standards.yaml`` (or *path*)."""
    p = Path(path) if path is not None else STANDARDS_FILE
    return parse_rules(read_yaml(p, error=StandardsError, required=False), source=p.name)


def serving_mask(offers: pd.DataFrame, ziel: str, rules: list[Stufenregel] | None = None) -> np.ndarray:
    """Boolean mask over *offers*: offers of category *ziel* plus those a rule adds to it."""
    rules = load_rules() if rules is None else rules
    mask = offers["kategorie"].astype(str).to_numpy() == ziel
    for rule in rules:
        if rule.zaehlt_fuer == ziel:
            mask |= rule.matches(offers)
    return mask


def added_by_rules(offers: pd.DataFrame, ziel: str, rules: list[Stufenregel] | None = None) -> pd.DataFrame:
    """The offers of other categories that count for *ziel*, with column ``regel_quelle`` (why)."""
    rules = load_rules() if rules is None else rules
    parts = []
    for rule in rules:
        if rule.zaehlt_fuer == ziel:
            hit = offers[rule.matches(offers)]
            parts.append(hit.assign(regel_quelle=rule.quelle))
    if not parts:
        return offers.iloc[0:0].assign(regel_quelle=pd.Series(dtype=str))
    out = pd.concat(parts)
    return out[~out.index.duplicated()]
