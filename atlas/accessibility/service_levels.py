"""Service levels: an offer may count for more than its own category (data, not code).

Rules live in ``geodata/standards.yaml`` under ``zaehlt_auch_fuer``, one entry per rule::

    zaehlt_auch_fuer:
      - kategorie: Gemeinschaftsschule     # offers of this category …
        zaehlt_fuer: Grundschule           # … also count as sites of this one …
        wenn: "Klassen?(stufen?)?\\s*1\\s*[-–]"   # … when this regular expression matches …
        felder: [name, zielgruppe]         # … one of these columns (case-insensitive) …
        ausser_eigener_standort: [website] # … unless the same school (same value in one of these
                                           #     columns) has its own site of ``zaehlt_fuer`` in the register
        quelle: "…"                        # why (source or register field)

Without ``wenn`` every offer of ``kategorie`` counts. ``ausser_eigener_standort`` keeps one school from
counting twice: the Thüringer Gemeinschaftsschule Am Dolmar (Klasse 1–10) has a Grundschulteil in
Kühndorf, a register row of its own (category Grundschule, same website); its primary classes are taught
there (the school's page, the register's ``quelle_url``: "bis zur Fertigstellung … bleibt der
Grundschulteil weiterhin in Kühndorf"), so the Schwarza site must not count as a second primary school. The register's own category is never changed:
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
    ausser_eigener_standort: tuple[str, ...] = ()

    def matches(self, offers: pd.DataFrame) -> np.ndarray:
        """Boolean mask over *offers*: this rule adds the offer to ``zaehlt_fuer``."""
        same = offers["kategorie"].astype(str).to_numpy() == self.kategorie
        if self.wenn is not None:
            pattern = re.compile(self.wenn, re.IGNORECASE)
            hit = np.zeros(len(offers), dtype=bool)
            for col in self.felder:
                if col in offers.columns:
                    hit |= np.array([bool(pattern.search(str(v))) for v in offers[col].fillna("")], dtype=bool)
            same &= hit
        return same & ~self.has_own_site(offers)

    def has_own_site(self, offers: pd.DataFrame) -> np.ndarray:
        """Boolean mask over *offers*: another offer of category ``zaehlt_fuer`` shares a non-empty value of
        one of the ``ausser_eigener_standort`` columns (the same school's own site for those classes)."""
        own = np.zeros(len(offers), dtype=bool)
        target = offers["kategorie"].astype(str).to_numpy() == self.zaehlt_fuer
        for col in self.ausser_eigener_standort:
            if col not in offers.columns:
                continue
            values = [_key(v) for v in offers[col]]
            taken = {v for v, t in zip(values, target, strict=True) if t and v}
            own |= np.array([bool(v) and v in taken for v in values], dtype=bool)
        return own & ~target


def _key(value: object) -> str:
    """Comparable form of a register value (``https://www.X.de/`` and ``x.de`` are the same website)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = str(value).strip().lower()
    text = re.sub(r"^https?://", "", text)
    text = re.sub(r"^www\.", "", text)
    return text.rstrip("/")


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
        unknown = set(entry) - {"kategorie", "zaehlt_fuer", "wenn", "felder", "quelle", "ausser_eigener_standort"}
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
        eigene = entry.get("ausser_eigener_standort", [])
        if not isinstance(eigene, list) or not all(isinstance(f, str) for f in eigene):
            raise StandardsError(f"{where}: Feld 'ausser_eigener_standort' muss eine Liste von Spaltennamen sein.")
        rules.append(Stufenregel(entry["kategorie"].strip(), entry["zaehlt_fuer"].strip(),
                                 None if wenn is None else str(wenn), tuple(felder), entry["quelle"].strip(),
                                 tuple(eigene)))
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
