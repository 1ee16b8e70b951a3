"""View-model of the admin page "Register (Verwaltung)": everything the page shows or decides that is not a
widget – tables, texts, the edit rule, the login step – as pure functions, testable without Streamlit.

All register texts that reach Markdown go through :func:`atlas.safe_text.markdown_text` (messages name
offers, and offer names are data).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from atlas.mapview import field_html
from atlas.register.auth import LoginThrottle, check_login
from atlas.register.importer import RegisterGeodata, place_records
from atlas.register.models import FIELD_LABELS, OFFER_FIELDS
from atlas.register.reports import ALL_REPORT_KINDS, wait_message
from atlas.safe_text import markdown_text

#: Fields of the edit and create forms.
EDIT_FIELDS: tuple[str, ...] = tuple(f for f in OFFER_FIELDS if f != "id")
#: Required fields (marked with * in the create form).
REQUIRED_FIELDS: frozenset[str] = frozenset({"name", "kategorie", "handlungsfeld"})
#: Fields that decide where an offer without its own coordinates is placed.
PLACEMENT_FIELDS: tuple[str, ...] = ("ort", "ortsteil")
#: Columns written by the placement.
LOCATION_COLUMNS: tuple[str, ...] = ("lon", "lat", "ags", "lage_genauigkeit", "lage_hinweis")
_LINK_KIND = {"telefon": "telefon", "email": "email", "website": "link", "quelle_url": "link"}


# ----------------------------------------------------------------------------------------- offers

def offer_table(offers: Sequence[Mapping[str, object]], search: str = "") -> tuple[list[Mapping[str, object]],
                                                                                  pd.DataFrame]:
    """Offers matching *search* (name, Gemeinde, category; case-insensitive) and the overview table."""
    needle = search.strip().lower()
    shown = [o for o in offers if not needle or needle in f"{o['name']} {o['ort']} {o['kategorie']}".lower()]
    frame = pd.DataFrame(shown, columns=["id", "name", "kategorie", "ort", "zuletzt_geprueft", "version", "geloescht"])
    frame["zuletzt_geprueft"] = frame["zuletzt_geprueft"].fillna("")
    return shown, frame.rename(columns={"zuletzt_geprueft": "zuletzt geprüft", "geloescht": "gelöscht"})


def when_text(iso: str) -> str:
    """'2025-03-01T09:15:00+00:00' → '01.03.2025 09:15 UTC'."""
    if len(iso) < 16:
        return iso
    return f"{iso[8:10]}.{iso[5:7]}.{iso[0:4]} {iso[11:16]} UTC"


def offer_caption(offer: Mapping[str, object]) -> str:
    """One line about the loaded version (Markdown-safe)."""
    text = (f"Version {offer['version']}, zuletzt geändert von {offer['geaendert_von']} am "
            f"{when_text(str(offer['geaendert_am']))}; zuletzt geprüft: {offer['zuletzt_geprueft'] or 'nie'}"
            + (" – GELÖSCHT" if offer["geloescht"] else ""))
    return markdown_text(text)


def detail_html(offer: Mapping[str, object]) -> str:
    """The offer as families see it: a table of checked texts and links."""
    rows = []
    for name in OFFER_FIELDS[1:]:
        value = field_html(offer.get(name), _LINK_KIND.get(name, "text"))
        if value:
            rows.append(f"<tr><th>{html.escape(FIELD_LABELS[name])}</th><td>{value}</td></tr>")
    return (f'<table class="atlas-popup" style="width:100%;table-layout:fixed;overflow-wrap:anywhere">'
            f'{"".join(rows)}</table>')


def edit_changes(offer: Mapping[str, object], values: Mapping[str, str],
                 geo: RegisterGeodata | None) -> dict[str, object]:
    """The changes an editor made in the form, plus the rule for re-placing an edited offer: when the
    Gemeinde or Ortsteil changes, an offer is placed again like an import row without coordinates (its old
    point no longer belongs to the new place); an unchanged place keeps its position."""
    changes: dict[str, object] = {f: v.strip() for f, v in values.items()
                                  if v.strip() != str(offer.get(f) or "")}
    if geo is not None and any(f in changes for f in PLACEMENT_FIELDS):
        placed = place_records([{**offer, **changes, "lon": None, "lat": None}], geo)[0]
        changes.update({k: placed[k] for k in LOCATION_COLUMNS})
    return changes


def new_record(values: Mapping[str, str], geo: RegisterGeodata) -> dict[str, object]:
    """A new offer from the create form, placed like an import row without coordinates."""
    return place_records([{**{k: v.strip() for k, v in values.items()}, "lon": None, "lat": None}], geo)[0]


def problems_markdown(title: str, problems: Sequence[object]) -> str:
    """'title' and a Markdown list of problems (each text made Markdown-safe)."""
    return f"{markdown_text(title)}\n\n" + "\n".join(f"- {markdown_text(getattr(p, 'text', p))}" for p in problems)


def history_frame(history: Sequence[Mapping[str, object]]) -> pd.DataFrame:
    return pd.DataFrame([{"Version": h["version"], "Aktion": h["aktion"], "wer": h["wer"], "wann": h["wann"],
                          "Kommentar": h["kommentar"]} for h in history])


def problems_frame(problems: Sequence[object]) -> pd.DataFrame:
    return pd.DataFrame([{"Zeile": p.zeile, "Feld": FIELD_LABELS.get(p.feld, p.feld), "Problem": p.meldung}  # type: ignore[attr-defined]
                         for p in problems])


def reports_frame(reports: Sequence[Mapping[str, object]]) -> pd.DataFrame:
    return pd.DataFrame([{"Nr.": r["nr"], "Art": ALL_REPORT_KINDS.get(str(r["art"]), r["art"]), "Angebot": r["name"],
                          "Ort": r["ort"], "Beschreibung": r["beschreibung"], "Kontakt": r["kontakt"],
                          "eingegangen": r["eingegangen"]} for r in reports])


def rebuild_summary(manifest_data: Mapping[str, object]) -> str:
    offers = manifest_data["angebote"]
    on_map = sum(offers["verortet"].values())  # type: ignore[index]
    return f"Aktualisiert: {on_map} Angebote auf der Karte, {len(offers['ohne_lage'])} ohne Kartenlage."  # type: ignore[index]


# ------------------------------------------------------------------------------------------ login

@dataclass(frozen=True)
class LoginResult:
    """Outcome of one login attempt: the user (None = not logged in) and a German message."""

    user: str | None
    message: str = ""


def login_attempt(throttle: LoginThrottle, users: Mapping[str, str], name: str, password: str, session: str,
                  now: float) -> LoginResult:
    """Check one login under the throttle (reserved before the password check, see
    :class:`atlas.register.auth.LoginThrottle`)."""
    keys = (f"user:{name.strip()}", f"session:{session}")
    wait = throttle.attempt(keys, now)
    if wait > 0:
        return LoginResult(None, f"Zu viele Fehlversuche. {wait_message(wait)}")
    if check_login(users, name, password):
        throttle.succeeded(keys, now)
        return LoginResult(name.strip())
    throttle.failed(keys, now)
    return LoginResult(None, "Benutzername oder Passwort ist falsch.")


# -------------------------------------------------------------------------------------------- OSM

def osm_import(store: object, geo: RegisterGeodata, data: bytes, name: str, folder: str) -> str:
    """Read an OSM upload into the candidate queue; the German summary. :class:`AtlasError` on bad files."""
    from atlas.register.osm_candidates import build_candidates, read_osm_upload

    features = read_osm_upload(data, name, folder)
    result = build_candidates(features, geo.gemeinden, geo.kreis_wgs84, store.offers(), name)  # type: ignore[attr-defined]
    added, known = store.add_candidates(result.neu)  # type: ignore[attr-defined]
    return (f"{added} neue Vorschläge; {known} waren schon in der Liste, {len(result.duplikate)} sind schon im "
            f"Register, {result.ausserhalb} liegen außerhalb des Landkreises.")


def candidates_frame(queue: Sequence[Mapping[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(queue, columns=["nr", "name", "kategorie", "ort", "strasse", "website"])
