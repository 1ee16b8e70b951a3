"""Slide lists for the Sitzungsmodus: prepared YAML files (``geodata/sitzungen/*.yaml``) and the URL form.

A slide is an indicator with its classification and, optionally, a Gemeinde to zoom to. A whole
list fits into one query parameter so that a prepared sequence can be bookmarked:

``folien=p_harzt~quantile~5,p_grunds~natuerliche_brueche~4~16066074,einwohner~manuell~~~1000_5000``

Slides are separated by ``,``; the fields of a slide by ``~`` in the order
``indikator~methode~klassen~gemeinde~grenzen~titel`` (trailing empty fields may be left out); manual
breaks are separated by ``_`` and written with a decimal point; Gemeinde and title are
percent-encoded (``quote``, with ``~`` as ``%7E``). ``nr`` (1-based) is the current slide.

YAML file::

    titel: Sozialausschuss – Erreichbarkeit
    folien:
      - indikator: p_harzt          # id from geodata/indicators.yaml
        methode: quantile           # quantile | gleiche_intervalle | natuerliche_brueche | manuell
        klassen: 5                  # 3 to 7
        gemeinde: Brotterode-Trusetal   # optional: name or Gemeindeschlüssel, zooms to it
        titel: Hausarzt             # optional slide title
        grenzen: [2, 5, 10]         # only for methode: manuell
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from atlas import settings
from atlas._helpers import normalise_name
from atlas.council.errors import SlidesError
from atlas.datafile import german_problem, read_yaml
from atlas.council.indicator_maps import MAX_CLASSES, METHODS, MIN_CLASSES

SESSIONS_DIR: Path = settings.GEODATA_DIR / "sitzungen"
SLIDE_SEP, FIELD_SEP, BREAK_SEP = ",", "~", "_"


class Slide(BaseModel):
    """One slide: indicator, classification, optional Gemeinde (key) and title."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    indikator: str
    methode: str = "quantile"
    klassen: int = 5
    gemeinde: str | None = None
    grenzen: tuple[float, ...] = ()
    titel: str | None = None

    @field_validator("indikator")
    @classmethod
    def _indicator(cls, value: str) -> str:
        if not value or not value.strip():
            raise ValueError("darf nicht leer sein")
        return value.strip()

    @field_validator("methode")
    @classmethod
    def _method(cls, value: str) -> str:
        if value not in METHODS:
            raise ValueError(f"muss eines von {', '.join(METHODS)} sein")
        return value

    @field_validator("klassen")
    @classmethod
    def _classes(cls, value: int) -> int:
        if not MIN_CLASSES <= value <= MAX_CLASSES:
            raise ValueError(f"muss zwischen {MIN_CLASSES} und {MAX_CLASSES} liegen")
        return value

    @field_validator("gemeinde", mode="before")
    @classmethod
    def _gemeinde(cls, value: object) -> str | None:
        if value is None or str(value).strip() == "":
            return None
        return str(value).strip()


@dataclass(frozen=True)
class SlideDeck:
    """A titled list of slides (from a file or from the URL)."""

    titel: str
    folien: tuple[Slide, ...]
    quelle: str = "url"   # file stem, or "url"
    hinweise: tuple[str, ...] = field(default_factory=tuple)

    def __len__(self) -> int:
        return len(self.folien)


def _slide(entry: object, where: str) -> Slide:
    if not isinstance(entry, Mapping):
        raise SlidesError(f"{where}: muss eine Zuordnung (Schlüssel: Wert) sein.")
    try:
        slide = Slide(**entry)
    except ValidationError as exc:
        first = exc.errors()[0]
        if first["type"] == "extra_forbidden":
            field_name = ".".join(str(p) for p in first["loc"])
            raise SlidesError(f"{where}: Feld '{field_name}' ist unbekannt (erlaubt: "
                              f"{', '.join(Slide.model_fields)}).") from exc
        raise SlidesError(f"{where}: {german_problem(first)}.") from exc
    if slide.methode == "manuell" and not slide.grenzen:
        raise SlidesError(f"{where}: Feld 'grenzen' fehlt – für methode 'manuell' bitte Klassengrenzen angeben.")
    return slide


def parse_deck(raw: object, source: str) -> SlideDeck:
    """A deck from parsed YAML (``{titel, folien: [...]}``); *source* names the file in messages."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("folien"), list) or not raw["folien"]:
        raise SlidesError(f"{source}: braucht eine nicht leere Liste 'folien'.")
    slides = tuple(_slide(entry, f"{source}, Folie {i}") for i, entry in enumerate(raw["folien"], start=1))
    return SlideDeck(titel=str(raw.get("titel") or Path(source).stem), folien=slides, quelle=Path(source).stem)


def load_deck(path: Path) -> SlideDeck:
    """Read one YAML slide file; :class:`SlidesError` naming the file, slide and field."""
    return parse_deck(read_yaml(path, error=SlidesError, label="Folienliste"), path.name)


def available_decks(folder: Path = SESSIONS_DIR) -> dict[str, Path]:
    """Prepared slide files by name (file stem), sorted."""
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def load_named_deck(name: str, folder: Path = SESSIONS_DIR) -> SlideDeck:
    """The prepared deck *name* (file ``<name>.yaml``); only names of existing files are accepted."""
    decks = available_decks(folder)
    if name not in decks:
        known = ", ".join(decks) or "(keine)"
        raise SlidesError(f"Es gibt keine vorbereitete Sitzung '{name}'. Vorhanden: {known}.")
    return load_deck(decks[name])


def _format_break(value: float) -> str:
    return f"{value:g}"


def _quote(text: str | None) -> str:
    return quote(text, safe="").replace("~", "%7E") if text else ""


def encode_slides(slides: Iterable[Slide]) -> str:
    """The URL form of *slides* (see module doc)."""
    tokens = []
    for s in slides:
        parts = [s.indikator, s.methode, "" if s.methode == "manuell" else str(s.klassen), _quote(s.gemeinde),
                 BREAK_SEP.join(_format_break(b) for b in s.grenzen), _quote(s.titel)]
        while parts and parts[-1] == "":
            parts.pop()
        tokens.append(FIELD_SEP.join(parts))
    return SLIDE_SEP.join(tokens)


def decode_slides(text: str) -> tuple[Slide, ...]:
    """Slides from their URL form; :class:`SlidesError` naming the slide and the field."""
    tokens = [t.strip() for t in text.split(SLIDE_SEP)]
    if not text.strip() or not any(tokens):
        raise SlidesError("Die Folienliste in der Adresse ist leer.")
    slides = []
    for number, token in enumerate(tokens, start=1):
        where = f"Adresse, Folie {number}"
        if not token:
            raise SlidesError(f"{where}: ist leer (zwei Kommas hintereinander?).")
        parts = token.split(FIELD_SEP)
        if len(parts) > 6:
            raise SlidesError(f"{where}: hat mehr als 6 Felder (indikator~methode~klassen~gemeinde~grenzen~titel).")
        parts += [""] * (6 - len(parts))
        entry: dict[str, object] = {"indikator": parts[0]}
        if parts[1]:
            entry["methode"] = parts[1]
        if parts[2]:
            try:
                entry["klassen"] = int(parts[2])
            except ValueError as exc:
                raise SlidesError(f"{where}: Feld 'klassen' muss eine ganze Zahl sein (war '{parts[2]}').") from exc
        if parts[3]:
            entry["gemeinde"] = unquote(parts[3])
        if parts[5]:
            entry["titel"] = unquote(parts[5])
        if parts[4]:
            try:
                entry["grenzen"] = tuple(float(b) for b in parts[4].split(BREAK_SEP))
            except ValueError as exc:
                raise SlidesError(f"{where}: Feld 'grenzen' muss Zahlen enthalten, getrennt durch '_' "
                                  f"(war '{parts[4]}').") from exc
        slides.append(_slide(entry, where))
    return tuple(slides)


def resolve_gemeinde(value: str, gemeinden: Mapping[str, str]) -> str:
    """The Gemeindeschlüssel for *value* (a key or a name); *gemeinden* maps key → name."""
    if value in gemeinden:
        return value
    wanted = normalise_name(value)
    for ags, name in gemeinden.items():
        if normalise_name(name) == wanted:
            return ags
    raise KeyError(value)


def check_deck(deck: SlideDeck, indicator_ids: Iterable[str], gemeinden: Mapping[str, str]) -> SlideDeck:
    """Check every slide against the data: known indicator, known Gemeinde (names become keys).

    Returns the deck with Gemeinde names replaced by keys; :class:`SlidesError` naming the slide.
    """
    ids = set(indicator_ids)
    source = f"{deck.quelle}.yaml" if deck.quelle != "url" else "Adresse"
    checked = []
    for number, slide in enumerate(deck.folien, start=1):
        where = f"{source}, Folie {number}"
        if slide.indikator not in ids:
            raise SlidesError(f"{where}: Feld 'indikator' – '{slide.indikator}' ist kein Indikator mit Werten je "
                              f"Gemeinde (siehe geodata/indicators.yaml).")
        if slide.gemeinde is not None:
            try:
                slide = slide.model_copy(update={"gemeinde": resolve_gemeinde(slide.gemeinde, gemeinden)})
            except KeyError as exc:
                raise SlidesError(f"{where}: Feld 'gemeinde' – '{slide.gemeinde}' ist keine Gemeinde des "
                                  f"Landkreises.") from exc
        checked.append(slide)
    return SlideDeck(titel=deck.titel, folien=tuple(checked), quelle=deck.quelle, hinweise=deck.hinweise)


def clamp_index(nr: object, count: int) -> int:
    """The 1-based slide number from the URL, clamped to 1..count (1 for anything unreadable)."""
    try:
        value = int(str(nr))
    except ValueError:
        return 1
    return min(max(value, 1), max(count, 1))
