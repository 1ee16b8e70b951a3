"""What people need: topics (Themen), target groups (Zielgruppen) and step-free access of offers.

All three are **rules kept as data** (no hand-made per-offer tags):

* ``geodata/angebote_themen.yaml`` – topics; each names the strategy's Handlungsfelder
  (``geodata/handlungsfelder.yaml``) it belongs to and the register ``kategorie`` values it covers
  (every kategorie belongs to exactly one topic);
* ``geodata/zielgruppen.yaml`` – target groups, derived from ``kategorie`` and keyword patterns on the
  free-text ``zielgruppe``;
* ``geodata/angebote_zugang.yaml`` – step-free access from keywords (``ja`` / ``nein``; otherwise
  ``unbekannt`` – never guessed), with the text passage it is based on.

Loading validates the files and raises :class:`atlas.errors.CatalogueError` with a German message
naming the file, the entry and the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from atlas import settings
from atlas.errors import CatalogueError
from atlas.indicators import load_handlungsfelder
from atlas.offer_search._helpers import bilingual, compile_patterns, load_yaml

THEMEN_FILE: Path = settings.GEODATA_DIR / "angebote_themen.yaml"
ZIELGRUPPEN_FILE: Path = settings.GEODATA_DIR / "zielgruppen.yaml"
ZUGANG_FILE: Path = settings.GEODATA_DIR / "angebote_zugang.yaml"

#: Topic of a kategorie that no topic lists (the page says so).
SONSTIGES = "sonstiges"
SONSTIGES_LABEL = {"de": "Sonstiges", "en": "Other"}

STUFENFREI_JA = "ja"
STUFENFREI_NEIN = "nein"
STUFENFREI_UNBEKANNT = "unbekannt"

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Thema:
    """A topic users pick, mapped to Handlungsfelder and register categories."""

    id: str
    label: Mapping[str, str]
    handlungsfelder: tuple[str, ...]
    kategorien: tuple[str, ...]
    hinweis: Mapping[str, str] | None = None
    woerter: tuple[str, ...] = ()  # search words (synonyms) that name this topic, see atlas.offer_search.intent


@dataclass(frozen=True)
class Zielgruppe:
    """A target group with its keyword rule."""

    id: str
    label: Mapping[str, str]
    kategorien: frozenset[str]
    muster: tuple[re.Pattern[str], ...]
    ausser: tuple[re.Pattern[str], ...] = ()
    allgemein: bool = False

    def matches(self, kategorie: str, zielgruppe_text: str) -> bool:
        """True when the offer belongs to this group (kategorie, or a pattern not cancelled by ``ausser``)."""
        if kategorie in self.kategorien:
            return True
        text = zielgruppe_text or ""
        if not any(p.search(text) for p in self.muster):
            return False
        return not any(p.search(text) for p in self.ausser)


@dataclass(frozen=True)
class Zugangsregeln:
    """Keyword rules for step-free access."""

    felder: tuple[str, ...]
    nein: tuple[re.Pattern[str], ...]
    ja: tuple[re.Pattern[str], ...]

    def classify(self, record: Mapping[str, object]) -> tuple[str, str]:
        """``(status, evidence)``: status ``ja`` / ``nein`` / ``unbekannt``; evidence is the register text used."""
        for status, patterns in ((STUFENFREI_NEIN, self.nein), (STUFENFREI_JA, self.ja)):
            for feld in self.felder:
                text = str(record.get(feld) or "")
                if any(p.search(text) for p in patterns):
                    return status, text
        return STUFENFREI_UNBEKANNT, ""


def _id(value: object, where: str) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        raise CatalogueError(f"{where}: 'id' fehlt oder ist ungültig (nur Kleinbuchstaben, Ziffern, _).")
    return value


def _str_list(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise CatalogueError(f"{where}: muss eine Liste von Texten sein.")
    return tuple(v.strip() for v in value)


@lru_cache(maxsize=4)
def load_themen(path: Path = THEMEN_FILE) -> tuple[Thema, ...]:
    """The topics; each kategorie in at most one topic, each Handlungsfeld one of the strategy's."""
    entries = load_yaml(path, "themen")
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(f"{path.name}: 'themen' muss eine nicht leere Liste sein.")
    known_fields = {h.label for h in load_handlungsfelder()}
    seen_ids: set[str] = set()
    owner: dict[str, str] = {}
    word_owner: dict[str, str] = {}
    themen: list[Thema] = []
    for i, entry in enumerate(entries, start=1):
        where = f"{path.name}, Thema {i}"
        if not isinstance(entry, dict):
            raise CatalogueError(f"{where}: muss ein Eintrag mit id, label, handlungsfelder, kategorien sein.")
        tid = _id(entry.get("id"), where)
        where = f"{path.name}, Thema '{tid}'"
        if tid in seen_ids or tid == SONSTIGES:
            raise CatalogueError(f"{where}: die id ist doppelt oder reserviert.")
        seen_ids.add(tid)
        fields = _str_list(entry.get("handlungsfelder"), f"{where}, Feld 'handlungsfelder'")
        unknown = [f for f in fields if f not in known_fields]
        if not fields or unknown:
            raise CatalogueError(f"{where}, Feld 'handlungsfelder': unbekannt oder leer: {unknown or '[]'}; "
                                 f"erlaubt sind {sorted(known_fields)}.")
        kategorien = _str_list(entry.get("kategorien"), f"{where}, Feld 'kategorien'")
        for k in kategorien:
            if k in owner:
                raise CatalogueError(f"{where}, Feld 'kategorien': '{k}' steht schon bei Thema '{owner[k]}'.")
            owner[k] = tid
        hinweis = entry.get("hinweis")
        woerter = _str_list(entry.get("woerter"), f"{where}, Feld 'woerter'")
        for w in woerter:
            if w.casefold() in word_owner and word_owner[w.casefold()] != tid:
                raise CatalogueError(f"{where}, Feld 'woerter': '{w}' steht schon bei Thema '{word_owner[w.casefold()]}'.")
            word_owner[w.casefold()] = tid
        themen.append(Thema(
            id=tid, label=bilingual(entry.get("label"), f"{where}, Feld 'label'"), handlungsfelder=fields,
            kategorien=kategorien,
            hinweis=bilingual(hinweis, f"{where}, Feld 'hinweis'") if hinweis is not None else None,
            woerter=woerter,
        ))
    return tuple(themen)


@lru_cache(maxsize=4)
def load_zielgruppen(path: Path = ZIELGRUPPEN_FILE) -> tuple[Zielgruppe, ...]:
    """The target groups with compiled patterns."""
    entries = load_yaml(path, "zielgruppen")
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(f"{path.name}: 'zielgruppen' muss eine nicht leere Liste sein.")
    groups: list[Zielgruppe] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries, start=1):
        where = f"{path.name}, Zielgruppe {i}"
        if not isinstance(entry, dict):
            raise CatalogueError(f"{where}: muss ein Eintrag mit id, label, kategorien, muster sein.")
        gid = _id(entry.get("id"), where)
        where = f"{path.name}, Zielgruppe '{gid}'"
        if gid in seen:
            raise CatalogueError(f"{where}: die id ist doppelt.")
        seen.add(gid)
        muster = compile_patterns(entry.get("muster"), f"{where}, Feld 'muster'")
        kategorien = frozenset(_str_list(entry.get("kategorien"), f"{where}, Feld 'kategorien'"))
        if not muster and not kategorien:
            raise CatalogueError(f"{where}: braucht 'muster' oder 'kategorien'.")
        groups.append(Zielgruppe(
            id=gid, label=bilingual(entry.get("label"), f"{where}, Feld 'label'"), kategorien=kategorien,
            muster=muster, ausser=compile_patterns(entry.get("ausser"), f"{where}, Feld 'ausser'"),
            allgemein=bool(entry.get("allgemein", False)),
        ))
    return tuple(groups)


@lru_cache(maxsize=4)
def load_zugang(path: Path = ZUGANG_FILE) -> Zugangsregeln:
    """The step-free access rules."""
    felder = _str_list(load_yaml(path, "felder"), f"{path.name}, Feld 'felder'")
    if not felder:
        raise CatalogueError(f"{path.name}, Feld 'felder': mindestens ein Registerfeld angeben.")
    return Zugangsregeln(
        felder=felder,
        nein=compile_patterns(load_yaml(path, "nein"), f"{path.name}, Feld 'nein'"),
        ja=compile_patterns(load_yaml(path, "ja"), f"{path.name}, Feld 'ja'"),
    )


def thema_for_kategorie(themen: Sequence[Thema]) -> dict[str, str]:
    """kategorie → topic id."""
    return {k: t.id for t in themen for k in t.kategorien}


def unmapped_kategorien(kategorien: Iterable[str], themen: Sequence[Thema]) -> list[str]:
    """Register categories that no topic lists (they fall into "Sonstiges")."""
    mapping = thema_for_kategorie(themen)
    return sorted({k for k in kategorien if k and k not in mapping})


def groups_of(kategorie: str, zielgruppe_text: str, groups: Sequence[Zielgruppe]) -> tuple[str, ...]:
    """Ids of the target groups an offer belongs to (in file order)."""
    return tuple(g.id for g in groups if g.matches(kategorie, zielgruppe_text))
