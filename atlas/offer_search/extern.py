"""Dead ends: offers outside the county and phone/online services for topics with no offer inside.

The entries are data with sources (``geodata/angebote_ausserhalb.yaml``, register field names plus
``art``, ``reichweite``, ``hinweis``, ``geprueft_am``), never text in code. An on-site entry is placed at
its town's point in the gazetteer (GeoNames, county + 15 km) – approximate, and said so; a town outside
that list gives an entry without distance. Loading validates every entry and raises
:class:`atlas.errors.CatalogueError` naming file, entry and field.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from atlas import settings
from atlas.errors import CatalogueError
from atlas.safe_text import contact_html as field_html
from atlas.offer_search._helpers import load_yaml
from atlas.offer_search.i18n import Texts
from atlas.offer_search.targets import Thema, thema_for_kategorie

AUSSERHALB_FILE: Path = settings.GEODATA_DIR / "angebote_ausserhalb.yaml"
ARTEN = ("vor_ort", "telefon", "online")
_FIELDS = ("id", "name", "kategorie", "traeger", "strasse", "plz", "ort", "telefon", "email", "website",
           "oeffnungszeiten", "zielgruppe", "quelle_url", "quelle_stand", "art", "reichweite", "hinweis",
           "geprueft_am")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ExternalOffer:
    """One entry of the file, with its topic and (for on-site offers) its approximate position."""

    record: dict[str, str]
    thema: str
    x: float = float("nan")
    y: float = float("nan")

    def __getitem__(self, key: str) -> str:
        return self.record.get(key, "")

    @property
    def placed(self) -> bool:
        return self.x == self.x and self.y == self.y  # not NaN


@dataclass(frozen=True)
class ExternalHit:
    """An external offer with its estimated distance from the searched place (None: unknown)."""

    offer: ExternalOffer
    weg_m: float | None


def load_ausserhalb(path: Path = AUSSERHALB_FILE, themen: Sequence[Thema] | None = None) -> tuple[ExternalOffer, ...]:
    """The entries of *path*; every ``kategorie`` must belong to a topic of *themen*."""
    from atlas.offer_search.targets import load_themen

    by_kat = thema_for_kategorie(themen if themen is not None else load_themen())
    entries = load_yaml(path, "angebote")
    if not isinstance(entries, list):
        raise CatalogueError(f"{path.name}: 'angebote' muss eine Liste sein.")
    out: list[ExternalOffer] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries, start=1):
        where = f"{path.name}, Eintrag {i}"
        if not isinstance(entry, dict):
            raise CatalogueError(f"{where}: muss ein Eintrag mit Feldern wie im Register sein.")
        unknown = sorted(set(entry) - set(_FIELDS))
        if unknown:
            raise CatalogueError(f"{where}: unbekannte Felder {unknown}; erlaubt sind {list(_FIELDS)}.")
        rec = {k: "" if entry.get(k) is None else str(entry.get(k)).strip() for k in _FIELDS}
        where = f"{path.name}, Eintrag '{rec['id'] or i}'"
        for required in ("id", "name", "kategorie", "art", "quelle_url", "quelle_stand", "geprueft_am"):
            if not rec[required]:
                raise CatalogueError(f"{where}: das Feld '{required}' fehlt.")
        if rec["id"] in seen:
            raise CatalogueError(f"{where}: die id ist doppelt.")
        seen.add(rec["id"])
        if rec["art"] not in ARTEN:
            raise CatalogueError(f"{where}, Feld 'art': '{rec['art']}' – erlaubt sind {', '.join(ARTEN)}.")
        if rec["kategorie"] not in by_kat:
            raise CatalogueError(f"{where}, Feld 'kategorie': '{rec['kategorie']}' gehört zu keinem Thema "
                                 f"(geodata/angebote_themen.yaml).")
        if not all(u.strip().startswith(("https://", "http://")) for u in rec["quelle_url"].split(";")):
            raise CatalogueError(f"{where}, Feld 'quelle_url': jede Quelle muss eine http(s)-Adresse sein.")
        if not _DATE.match(rec["geprueft_am"]):
            raise CatalogueError(f"{where}, Feld 'geprueft_am': Datum als JJJJ-MM-TT angeben.")
        if rec["art"] == "vor_ort" and not rec["ort"]:
            raise CatalogueError(f"{where}, Feld 'ort': ein Vor-Ort-Angebot braucht seinen Ort.")
        if rec["art"] != "vor_ort" and not (rec["telefon"] or rec["website"] or rec["email"]):
            raise CatalogueError(f"{where}: ein Telefon- oder Online-Angebot braucht telefon, website oder email.")
        out.append(ExternalOffer(record=rec, thema=by_kat[rec["kategorie"]]))
    return tuple(out)


def place_external(entries: Sequence[ExternalOffer], gazetteer: object) -> tuple[ExternalOffer, ...]:
    """Place on-site entries at their town's gazetteer point (exact name only; otherwise unplaced)."""
    from atlas.offer_search.gazetteer import GEFUNDEN

    out = []
    for entry in entries:
        if entry["art"] == "vor_ort" and gazetteer.has_name(entry["ort"]):  # type: ignore[attr-defined]
            found = gazetteer.lookup(entry["ort"])  # type: ignore[attr-defined]
            if found.status == GEFUNDEN and not found.korrigiert:
                entry = ExternalOffer(record=entry.record, thema=entry.thema, x=found.place.x, y=found.place.y)
        out.append(entry)
    return tuple(out)


def for_topics(entries: Sequence[ExternalOffer], themen: Sequence[str], x: float | None = None,
               y: float | None = None, umwegfaktor: float = 1.3) -> tuple[tuple[ExternalHit, ...],
                                                                           tuple[ExternalOffer, ...]]:
    """(on-site offers nearest first – distance None when unknown –, phone/online services) for *themen*."""
    wanted = [e for e in entries if e.thema in set(themen)]
    on_site = []
    for e in wanted:
        if e["art"] != "vor_ort":
            continue
        dist = None
        if e.placed and x is not None and y is not None:
            dist = ((e.x - x) ** 2 + (e.y - y) ** 2) ** 0.5 * umwegfaktor
        on_site.append(ExternalHit(offer=e, weg_m=dist))
    on_site.sort(key=lambda h: (h.weg_m is None, h.weg_m or 0.0, h.offer["name"]))
    remote = tuple(e for e in wanted if e["art"] != "vor_ort")
    return tuple(on_site), remote


def external_card_html(offer: ExternalOffer, t: Texts, weg_m: float | None = None) -> str:
    """A card for an external entry: what, where (or how), distance, contact, note, source and date."""
    e = html.escape
    kind = {"vor_ort": t("extern_vor_ort", ort=offer["ort"]), "telefon": t("extern_telefon"),
            "online": t("extern_online")}[offer["art"]]
    rows = [f'<div class="of-head"><span class="of-name" role="heading" aria-level="4">{e(offer["name"])}</span></div>',
            f'<div class="of-meta">{e(offer["kategorie"])} · {e(kind)}</div>']
    if offer["art"] == "vor_ort":
        dist = t("extern_entfernung", km=t.km(weg_m)) if weg_m is not None else t("extern_ohne_entfernung")
        rows.append(f'<div class="of-dist">{e(dist)}</div>')
    address = ", ".join(p for p in (offer["strasse"], " ".join(x for x in (offer["plz"], offer["ort"]) if x)) if p)
    items = [(t("adresse"), e(address)), (t("telefon"), field_html(offer["telefon"], "telefon")),
             (t("webseite"), field_html(offer["website"], "link")), (t("email"), field_html(offer["email"], "email")),
             (t("oeffnungszeiten"), e(offer["oeffnungszeiten"])), (t("traeger"), e(offer["traeger"])),
             (t("zielgruppe"), e(offer["zielgruppe"])), (t("extern_reichweite"), e(offer["reichweite"]))]
    for label, value in items:
        if value:
            value = value.replace("<a ", '<a class="of-tel" ', 1) if label == t("telefon") else value
            rows.append(f'<div class="of-row">{e(label)}: {value}</div>')
    if offer["hinweis"]:
        rows.append(f'<div class="of-approx">{e(offer["hinweis"])}</div>')
    sources = field_html(" ; ".join(u.strip() for u in offer["quelle_url"].split(";") if u.strip()), "link")
    rows.append(f'<div class="of-row of-source">{e(t("quelle"))}: {sources} · {e(t("stand"))}: '
                f'{e(offer["quelle_stand"])} · {e(t("extern_geprueft", datum=offer["geprueft_am"]))}</div>')
    return f'<div class="of-card of-extern">{"".join(rows)}</div>'
