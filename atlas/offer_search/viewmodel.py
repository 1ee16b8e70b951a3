"""The family page as data: what ``pages/angebote_finden.py`` shows, decided without Streamlit.

:func:`apply_typed` turns what was typed into the search state (needs + place, see :mod:`.intent`);
:func:`resolve_place` finds the place and the notes and choices around it; :func:`results` runs the
search and prepares the short summary shown right under the search box, the notes on hidden or
unknown data, and – when a chosen topic has no offer in the county – the dead-end block with offers
outside and phone/online services (:mod:`.extern`). The page only draws these values.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from atlas.accessibility.calibration import travel_time_note
from atlas.accessibility.parameters import DEFAULTS, Verkehrsparameter
from atlas.offer_search._helpers import clean_query, escape_markdown
from atlas.offer_search.cards import WALK_LIMIT_MIN
from atlas.offer_search.extern import ExternalHit, ExternalOffer, for_topics
from atlas.offer_search.gazetteer import (
    AUSWAHL,
    GEFUNDEN,
    LEER,
    UNBEKANNT,
    Gazetteer,
    Place,
)
from atlas.offer_search.i18n import Texts
from atlas.offer_search.intent import Intent, understand
from atlas.offer_search.search import Filter, Hit, OfferIndex, SearchResult, search
from atlas.offer_search.share import SearchState
from atlas.offer_search.stops import StopIndex, stop_text
from atlas.offer_search.targets import Thema

#: Element id of the results anchor the page scrolls to.
RESULTS_ANCHOR = "of-ergebnisse"
#: The sources the family page names (its footer, its map, its preview).
ATTRIBUTION_SOURCES = ("gemeinden", "orte", "bahnhoefe", "angebote")


@dataclass(frozen=True)
class Note:
    """A message for the page: ``kind`` is info / warning / caption / markdown; ``text`` is Markdown-safe."""

    kind: str  # a Streamlit element: info / warning / caption / markdown
    text: str


@dataclass(frozen=True)
class Choice:
    """A button that selects a place (its key goes to the URL as ``wahl``)."""

    key: str
    label: str


@dataclass(frozen=True)
class PlaceView:
    """The searched place (or None) and what to say and offer around it."""

    place: Place | None = None
    label: str = ""
    notes: tuple[Note, ...] = ()
    choices: tuple[Choice, ...] = ()          # several places fit, or suggestions: buttons right away
    alternatives: tuple[Choice, ...] = ()     # other places of the same postcode: buttons in an expander
    alternatives_title: str = ""


@dataclass(frozen=True)
class DeadEnd:
    """A chosen topic without any offer in the county: offers outside and phone/online services."""

    thema: str
    on_site: tuple[ExternalHit, ...] = ()
    remote: tuple[ExternalOffer, ...] = ()

    @property
    def count(self) -> int:
        return len(self.on_site) + len(self.remote)


@dataclass(frozen=True)
class ResultView:
    """Everything the page shows about one search."""

    result: SearchResult | None
    summary: str = ""
    notes: tuple[Note, ...] = ()
    method: str = ""
    dead_end: DeadEnd | None = None
    hinweise: tuple[str, ...] = field(default_factory=tuple)  # topic notes (Markdown-safe)


def thema_labels(ids: Sequence[str], themen: Sequence[Thema], t: Texts) -> str:
    return ", ".join(t.label(th.label) for th in themen if th.id in ids)


def apply_typed(state: SearchState, text: str, themen: Sequence[Thema], gaz: Gazetteer) -> tuple[SearchState, Intent]:
    """The state after the user typed *text*: named needs replace the topic choice, the rest is the place."""
    cleaned, _ = clean_query(text)
    intent = understand(cleaned, themen, gaz.has_name)
    topics = intent.themen or state.themen
    return replace(state, ort=intent.ort, wahl="", punkt="", themen=tuple(topics)), intent


def resolve_place(state: SearchState, gaz: Gazetteer, t: Texts, intent: Intent | None = None,
                  themen: Sequence[Thema] = ()) -> PlaceView:
    """Find the place of *state* (map point, chosen key or typed text) and what to tell the user."""
    notes: list[Note] = []
    if intent is not None and intent.themen:
        labels = thema_labels(intent.themen, themen, t)
        if not intent.ort and not state.punkt:
            return PlaceView(notes=(Note("info", escape_markdown(t("thema_ohne_ort", themen=labels,
                                                                    themen_kurz=intent.woerter[0]))),))
        notes.append(Note("caption", escape_markdown(t("thema_erkannt", themen=labels))))
    if state.punkt:
        lat, lon = (float(v) for v in state.punkt.split(","))
        place = gaz.point(lat, lon, name=t("punkt_karte"), precision=3)
        return PlaceView(place, f"{place.name} ({t('bei', ort=place.quelle)})", tuple(notes))
    if not state.ort:
        return PlaceView(notes=tuple(notes))
    return _from_text(state, gaz, t, notes)


def _from_text(state: SearchState, gaz: Gazetteer, t: Texts, notes: list[Note]) -> PlaceView:
    """The typed-text part of :func:`resolve_place`."""
    lookup = gaz.lookup(state.ort)
    shown = escape_markdown(lookup.query)
    if lookup.gekuerzt or "gekuerzt" in state.hinweise:
        notes.append(Note("info", t("gekuerzt")))
    if lookup.adresse_ohne_quelle:
        notes.append(Note("info", t("adresse_ohne_quelle")))
    chosen = gaz.by_key(state.wahl) if state.wahl else None
    alternatives = tuple(Choice(p.key, p.label) for p in lookup.alternativen)
    alt_title = ""
    if lookup.alternativen:
        plz = next((c for c in lookup.query.split() if c.isdigit() and len(c) == 5), "")
        alt_title = t("plz_andere", plz=plz)
        if chosen is None and lookup.place is not None:
            notes.append(Note("info", escape_markdown(t("plz_gewaehlt", plz=plz, ort=lookup.place.label))))
    if chosen is not None:
        if lookup.place is not None and chosen.key != lookup.place.key and lookup.alternativen:
            alternatives = (Choice(lookup.place.key, lookup.place.label),) + tuple(
                c for c in alternatives if c.key != chosen.key)
        return PlaceView(chosen, chosen.label, tuple(notes), (), alternatives, alt_title)
    found = lookup.place
    if lookup.status == GEFUNDEN and found is not None:
        if lookup.korrigiert:
            notes.append(Note("info", t("korrigiert", ort=escape_markdown(found.label))))
        return PlaceView(found, found.label, tuple(notes), (), alternatives, alt_title)
    if lookup.status == AUSWAHL:
        notes.append(Note("warning", t("auswahl", q=shown)))
        return PlaceView(None, "", tuple(notes), tuple(Choice(p.key, p.label) for p in lookup.places))
    if lookup.status == UNBEKANNT:
        if lookup.places:
            notes.append(Note("warning", t("unbekannt", q=shown) + " " + t("meinten_sie")))
            return PlaceView(None, "", tuple(notes), tuple(Choice(p.key, p.label) for p in lookup.places))
        notes.append(Note("warning", t("nicht_im_gebiet", q=shown)))
        return PlaceView(None, "", tuple(notes))
    if lookup.status == LEER:
        notes.append(Note("info", t("leer")))
    return PlaceView(None, "", tuple(notes))


def _summary(result: SearchResult, t: Texts) -> str:
    if not result.hits:
        return t("kurz_keine")
    first = result.hits[0]
    n = len(result.hits)
    text = t("kurz_treffer_eins", dist=t.km(first.weg_m)) if n == 1 else t("kurz_treffer", n=n,
                                                                           dist=t.km(first.weg_m))
    if result.zeiten_unbekannt:
        text += " · " + t("kurz_heute", offen=result.heute_offen, unbekannt=result.zeiten_unbekannt)
    return text


def search_filter(state: SearchState) -> Filter:
    return Filter(themen=frozenset(state.themen), zielgruppen=frozenset(state.gruppen),
                  mit_allgemeinen=state.mit_allgemeinen, nur_stufenfrei=state.stufenfrei,
                  nur_heute_offen=state.heute)


def dead_end(index: OfferIndex, state: SearchState, external: Sequence[ExternalOffer], t: Texts,
             place: Place | None = None) -> DeadEnd | None:
    """The dead-end block when some chosen topic has no offer at all in the county (placed or not)."""
    empty = [th for th in index.themen if th.id in state.themen
             and not any(o.thema == th.id for o in index.offers + index.unplaced)]
    if not empty:
        return None
    ids = [th.id for th in empty]
    on_site, remote = for_topics(external, ids, place.x if place else None, place.y if place else None)
    return DeadEnd(thema=", ".join(t.label(th.label) for th in empty), on_site=on_site, remote=remote)


def results(index: OfferIndex, place: Place | None, state: SearchState, t: Texts, today: date,
            external: Sequence[ExternalOffer] = (), params: Verkehrsparameter = DEFAULTS,
            stops: StopIndex | None = None) -> ResultView:
    """Run the search for *place* (None: only topic notes and a possible dead end) and describe it;
    *params*: the atlas' travel model (:func:`atlas.accessibility.calibration.travel_parameters`), *stops*:
    nearest public-transport stops (:mod:`.stops`) for a line under the heading."""
    hinweise = tuple(escape_markdown(t.label(th.hinweis)) for th in index.themen
                     if th.id in state.themen and th.hinweis)
    blocked = dead_end(index, state, external, t, place)
    if place is None:
        summary = t("kurz_sackgasse", thema=blocked.thema, n=blocked.count) if blocked else ""
        return ResultView(None, summary, (), "", blocked, hinweise)
    result = search(index, place.x, place.y, search_filter(state), day=today, limit=state.anzahl, params=params)
    notes: list[Note] = []
    if not place.in_kreis:
        notes.append(Note("warning", t("ausserhalb")))
    if result.hits:
        notes.append(Note("markdown", t("ergebnisse_anzahl", n=len(result.hits), gesamt=result.passend)))
    elif not blocked:
        notes.append(Note("warning", t("keine_treffer")))
    if result.ausgeblendet_stufenfrei_unbekannt:
        notes.append(Note("caption", t("ausgeblendet_stufenfrei", n=result.ausgeblendet_stufenfrei_unbekannt)))
    near = stops.nearest(place.x, place.y, params) if stops is not None else None
    if near is not None:
        notes.append(Note("caption", t("haltestelle_ort", text=stop_text(near, t, ort_des_ziels=place.gemeinde
                                                                         or place.name))))
    if state.heute:
        notes.append(Note("info", t("heute_unbekannt_hinweis", offen=result.heute_offen,
                                    unbekannt=result.zeiten_unbekannt)))
    params = result.params
    method = t("methode", umweg=t.number(params.umwegfaktor), walk=t.number(params.speed("walk")),
               bike=t.number(params.speed("bike"), 0), limit=WALK_LIMIT_MIN) + " " + travel_time_note(params,
                                                                                                     lang=t.lang)
    summary = t("kurz_sackgasse", thema=blocked.thema, n=blocked.count) if blocked and not result.hits \
        else _summary(result, t)
    return ResultView(result, summary, tuple(notes), method, blocked, hinweise)


def scroll_script(nonce: int) -> str:
    """JavaScript that scrolls the results into view once they are drawn (run via ``st.html``)."""
    anchor = html.escape(RESULTS_ANCHOR, quote=True)
    # No "<" inside the script: Streamlit's HTML sanitiser (DOMPurify) drops a script whose text holds "<" + word.
    return (f"<script>/* {int(nonce)} */(function(){{var tries=0,done=0;function go(){{"
            f"var el=document.getElementById('{anchor}');"
            "if(el){el.scrollIntoView({block:'start'});if(2>done++){setTimeout(go,400);}return;}"
            "if(50>tries++){setTimeout(go,100);}}go();})();</script>")


def widget_defaults(state: SearchState, typed: str) -> dict[str, object]:
    """Session-state values for the page's widgets from a (shared) URL, set once per session."""
    return {"of_init": True, "of_lang": state.lang, "of_ort": typed, "of_themen": list(state.themen),
            "of_gruppen": list(state.gruppen), "of_alle": state.mit_allgemeinen, "of_stufenfrei": state.stufenfrei,
            "of_heute": state.heute, "of_anzahl": state.anzahl}


def clicked_point(out: object) -> str:
    """``"lat,lon"`` (3 decimals ≈ 100 m) of a map tap returned by streamlit-folium, '' when none."""
    clicked = out.get("last_clicked") if isinstance(out, dict) else None
    if isinstance(clicked, dict) and "lat" in clicked and "lng" in clicked:
        return f"{float(clicked['lat']):.3f},{float(clicked['lng']):.3f}"
    return ""


def export_file(kind: str, state: SearchState, place_label: str, view: ResultView, index: OfferIndex, t: Texts,
                sources: Sequence[str], group_labels: dict, now_text: str) -> bytes | str:
    """The tagged PDF (``kind="pdf"``, WeasyPrint) or the printable HTML (``"html"``) of the results of *view*.

    The page hands this to ``st.download_button`` as a callable, so a file is only built when it is
    downloaded – not on every rerun (about 1 s for the PDF on a small machine).
    """
    from atlas.offer_search.cards import filter_summary, print_html
    from atlas.offer_search.printout import build_pdf

    result = view.result
    assert result is not None
    extra = [x for x, on in ((t("stufenfrei"), state.stufenfrei), (t("heute_offen"), state.heute)) if on]
    summary = filter_summary(state.themen, state.gruppen, index.themen, group_labels, extra, t)
    created = t("erstellt", datum=now_text)
    title = f"{t('titel')} – {place_label}"
    if kind == "pdf":
        return build_pdf(title, place_label, summary, view.method, result.hits, result.ohne_lage, index.themen, t,
                         created, sources, t("datenschutz"), result.params)
    return print_html(title, place_label, summary, view.method, result.hits, result.ohne_lage, index.themen, t,
                      created, sources, t("datenschutz"))


def map_text(place_label: str, hits: Sequence[Hit], t: Texts) -> str:
    """The results map in words (WCAG 1.1.1), as escaped Markdown; '' without a searched place.

    Stands right below the map, so a screen reader reaches it after the result list: where the search
    point is, that the numbered circles are the list's offers, and which one is nearest.
    """
    if not place_label:
        return ""
    if not hits:
        return escape_markdown(t("karte_text_leer", ort=place_label))
    angebote = t("karte_text_angebot") if len(hits) == 1 else t("karte_text_angebote", n=len(hits))
    first = hits[0]
    return escape_markdown(t("karte_text", ort=place_label, angebote=angebote, name=first.offer["name"],
                             dist=t.km(first.weg_m)))


def dead_end_sections(de: DeadEnd, t: Texts) -> list[tuple[str, list[str]]]:
    """(heading, card HTML) sections of the dead-end block: offices outside first, then phone/online."""
    from atlas.offer_search.extern import external_card_html

    sections = [(t("extern_titel_vor_ort"), [external_card_html(h.offer, t, h.weg_m) for h in de.on_site]),
                (t("extern_titel_fern"), [external_card_html(o, t) for o in de.remote])]
    return [(title, cards) for title, cards in sections if cards]


def prepare(data: object) -> tuple[Gazetteer, OfferIndex, tuple[ExternalOffer, ...], list[dict], StopIndex | None]:
    """Everything the page needs once per build: gazetteer, offer index, placed external offers, map labels,
    nearest-stop index."""
    from atlas.offer_search.extern import load_ausserhalb, place_external
    from atlas.offer_search.gazetteer import gazetteer_from_atlas
    from atlas.offer_search.search import index_from_atlas

    from atlas.offer_search.stops import index_from_atlas as stop_index_from_atlas

    gaz, index = gazetteer_from_atlas(data), index_from_atlas(data)
    return (gaz, index, place_external(load_ausserhalb(themen=index.themen), gaz), place_labels(gaz),
            stop_index_from_atlas(data))


def card_stop(stops: StopIndex | None, hit: Hit, t: Texts, params: Verkehrsparameter) -> str:
    """The nearest-stop line of a result card ('' without stops)."""
    stop = stops.nearest(hit.offer.x, hit.offer.y, params) if stops is not None else None
    return stop_text(stop, t, ort_des_ziels=hit.offer["ort"], ungefaehr=hit.offer.ungefaehr) if stop else ""


def state_from_widgets(state: SearchState, themen_sel: Sequence[str] | None, gruppen_sel: Sequence[str] | None,
                       theme_ids: Sequence[str], group_ids: Sequence[str], *, mit_alle: bool, stufenfrei: bool,
                       heute: bool, anzahl: int, lang: str) -> SearchState:
    """The search state after the filter widgets were read (place from *state*, filters from the widgets)."""
    return SearchState(ort=state.ort if not state.punkt else "", wahl=state.wahl, punkt=state.punkt,
                       themen=tuple(i for i in theme_ids if i in (themen_sel or [])),
                       gruppen=tuple(i for i in group_ids if i in (gruppen_sel or [])), mit_allgemeinen=mit_alle,
                       stufenfrei=stufenfrei, heute=heute, anzahl=int(anzahl), lang=lang)


def place_labels(gazetteer: object) -> list[dict]:
    """Labels for the map from the gazetteer: every locality and Gemeinde, most important first
    (Gemeinde main places by population are ``major``: always shown), names HTML-escaped."""
    out = []
    for i, place in enumerate(gazetteer.places):  # type: ignore[attr-defined]
        lon, lat = place.lonlat
        weight = gazetteer.weight(i)  # type: ignore[attr-defined]
        out.append({"lat": round(lat, 5), "lon": round(lon, 5), "name": html.escape(place.name),
                    "major": bool(weight > 0 or place.art == "gemeinde"), "w": weight})
    out.sort(key=lambda d: (not d["major"], -d["w"], d["name"]))
    return [{k: v for k, v in d.items() if k != "w"} for d in out]
