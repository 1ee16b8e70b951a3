"""Share links: the search (place and filters) as URL query parameters and back.

Parameters: ``ort`` (typed text), ``wahl`` (key of the chosen place when the text was ambiguous),
``punkt`` (``lat,lon`` of a tapped/located point, 3 decimals ≈ 100 m), ``themen`` / ``gruppen``
(comma-separated ids), ``alle=0`` (without offers for everyone), ``stufenfrei=1``, ``heute=1``,
``anzahl``, ``lang=en``. Unknown or hostile values are dropped, never raised.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from atlas.offer_search._helpers import clean_query
from atlas.offer_search.gazetteer import parse_point
from atlas.offer_search.i18n import check_language

ANZAHL_OPTIONS = (5, 10, 20, 50)
DEFAULT_ANZAHL = 10


@dataclass(frozen=True)
class SearchState:
    """Everything a shared link restores."""

    ort: str = ""
    wahl: str = ""
    punkt: str = ""
    themen: tuple[str, ...] = ()
    gruppen: tuple[str, ...] = ()
    mit_allgemeinen: bool = True
    stufenfrei: bool = False
    heute: bool = False
    anzahl: int = DEFAULT_ANZAHL
    lang: str = "de"
    hinweise: tuple[str, ...] = field(default=(), compare=False)

    def to_query(self) -> dict[str, str]:
        """Only non-default values, so links stay short."""
        out: dict[str, str] = {}
        if self.punkt:
            out["punkt"] = self.punkt
        elif self.ort:
            out["ort"] = self.ort
            if self.wahl:
                out["wahl"] = self.wahl
        if self.themen:
            out["themen"] = ",".join(self.themen)
        if self.gruppen:
            out["gruppen"] = ",".join(self.gruppen)
        if not self.mit_allgemeinen:
            out["alle"] = "0"
        if self.stufenfrei:
            out["stufenfrei"] = "1"
        if self.heute:
            out["heute"] = "1"
        if self.anzahl != DEFAULT_ANZAHL:
            out["anzahl"] = str(self.anzahl)
        if self.lang != "de":
            out["lang"] = self.lang
        return out


def _first(value: object) -> str:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    return "" if value is None else str(value)


def _ids(value: object, known: Iterable[str]) -> tuple[str, ...]:
    allowed = list(known)
    wanted = {v.strip() for v in _first(value)[:500].split(",")}
    return tuple(i for i in allowed if i in wanted)


def state_from_query(query: Mapping[str, object], themen: Iterable[str], gruppen: Iterable[str]) -> SearchState:
    """Read a (possibly hand-edited) query; keep only known ids and valid values."""
    ort, cut = clean_query(_first(query.get("ort")))
    wahl, _ = clean_query(_first(query.get("wahl")))
    point = parse_point(_first(query.get("punkt")))
    punkt = f"{point[0]:.3f},{point[1]:.3f}" if point else ""
    try:
        anzahl = int(_first(query.get("anzahl")) or DEFAULT_ANZAHL)
    except ValueError:
        anzahl = DEFAULT_ANZAHL
    if anzahl not in ANZAHL_OPTIONS:
        anzahl = DEFAULT_ANZAHL
    return SearchState(
        ort=ort, wahl=wahl[:120], punkt=punkt, themen=_ids(query.get("themen"), themen),
        gruppen=_ids(query.get("gruppen"), gruppen), mit_allgemeinen=_first(query.get("alle")) != "0",
        stufenfrei=_first(query.get("stufenfrei")) == "1", heute=_first(query.get("heute")) == "1",
        anzahl=anzahl, lang=check_language(_first(query.get("lang")) or "de"),
        hinweise=("gekuerzt",) if cut else (),
    )
