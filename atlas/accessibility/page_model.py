"""View-model of the *Erreichbarkeit* page: every decision and text the page shows, without Streamlit.

The page (``pages/erreichbarkeit.py``) reads widgets, calls these functions and draws what they return.
Nothing here is specific to one county: the default destination is the first standard of
``geodata/standards.yaml`` whose category has placed sites, names come from the built data.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from atlas import schema
from atlas._helpers import escape_markdown as md_escape
from atlas.accessibility.base import Verfahren
from atlas.accessibility.calibration import travel_time_note
from atlas.accessibility.comparison import (
    compare_with_deutschlandatlas,
    differences,
    indicators_for_category,
)
from atlas.accessibility.county import (
    ZIEL_BAHNHOEFE,
    ZIEL_EIGENE,
    Analyse,
    analyse,
    cell_results,
    cells_without_sites,
    county_sites,
    hypothetical_sites,
    lonlat_from_xy,
    site_records,
    source_keys,
    unplaced_offers,
)
from atlas.accessibility.covering import CoveringResult, best_new_sites
from atlas.accessibility.errors import AccessibilityError, NoSitesError
from atlas.accessibility.evaluation import compute_reachability
from atlas.accessibility.gapmap import GapMapInput
from atlas.accessibility.export import cells_csv, cells_gpkg, gemeinde_csv
from atlas.accessibility.origins import Origins, origins_note
from atlas.accessibility.parameters import MODES, Verkehrsparameter
from atlas.accessibility.sites import Sites
from atlas.accessibility.standards import ART_LABEL, Standard
from atlas.atlasdata import AtlasData
from atlas.display import format_number, german_frame
from atlas.errors import AtlasError
from atlas.indicators import load_catalogue
from atlas.mapview import OSM_ATTRIBUTION
from atlas.placement import precision_summary
from atlas.sources import attribution_texts

#: Starting point of the widgets when a destination has no standard at all (the user sets one).
FALLBACK_SETTING: tuple[str, float, str] = ("car", 20.0, "min")
#: Units of a standard and their German names.
EINHEITEN: dict[str, str] = {"min": "Minuten", "km": "Kilometer"}
#: Population groups the proposals can maximise, with their German wording.
GEWICHT_LABEL: dict[str, str] = {"einwohner": "allen Einwohnern", "u15": "Kindern unter 15",
                                 "ue65": "Menschen ab 65"}


def pct(value: float) -> str:
    """A share (0–1) as German percent text: ``12,3 %``."""
    return format_number(value * 100.0, 1) + " %"


# ------------------------------------------------------------------------------------- destination

def default_destination(options: Sequence[str], standards: Mapping[str, Standard], placed: set[str]) -> str:
    """The first standard's category (file order) that has placed sites; else the first option."""
    for std in standards.values():
        if std.kategorie in options and std.kategorie in placed:
            return std.kategorie
    for std in standards.values():
        if std.kategorie in options:
            return std.kategorie
    return options[0]


def choose_destination(wanted: str | None, options: Sequence[str], default: str) -> tuple[str, str | None]:
    """The destination to show for the address value *wanted*, and a German warning if it is unknown."""
    if wanted is None:
        return default, None
    if wanted in options:
        return wanted, None
    return default, f"Die Kategorie „{wanted}“ aus der Adresse ist unbekannt; gezeigt wird „{default}“."


def placed_categories(data: AtlasData) -> set[str]:
    """Offer categories with at least one site on the map."""
    return set(data[schema.OFFERS_LAYER]["kategorie"].astype(str))


def start_setting(saved: tuple[str, float, str] | None, base: Standard | None) -> tuple[str, float, str]:
    """Mode, threshold and unit the widgets start with: the user's last setting, else the standard's."""
    if saved is not None:
        return saved
    if base is not None and base.mode in MODES:
        return base.mode, float(base.schwelle), base.einheit
    return FALLBACK_SETTING


def threshold_options(einheit: str, keep: float | None = None) -> list[float]:
    """Thresholds the user can choose (German-formatted on the page, unlike a number box that shows 2.00):
    0.5 km steps up to 30 km, whole minutes up to 120; *keep* (the standard's own value) is always included."""
    values = [i / 2 for i in range(1, 61)] if einheit == "km" else [float(i) for i in range(1, 121)]
    if keep is not None and float(keep) not in values and float(keep) > 0:
        values = sorted({*values, float(keep)})
    return values


def nearest_option(einheit: str, value: float) -> float:
    """The option of :func:`threshold_options` closest to *value* (value itself is an option)."""
    options = threshold_options(einheit, value)
    return min(options, key=lambda v: abs(v - float(value)))


def threshold_label(value: float, einheit: str) -> str:
    """'2,5 km' / '15 min'."""
    return f"{format_number(value, 1 if value % 1 else 0)} {einheit}"


def standard_caption(base: Standard | None, current: Standard) -> str:
    """Where the standard comes from (Markdown, escaped), and a note when the user changed it."""
    parts: list[str] = []
    if base is not None:
        parts.append(f"Standard aus den Daten: **{md_escape(base.label)}** ({ART_LABEL[base.art]}). "
                     f"Quelle: {md_escape(base.quelle)}" + (f" – {md_escape(base.hinweis)}" if base.hinweis else ""))
    if current.art == "eigene_vorgabe":
        parts.append("Eigene Vorgabe: gilt nur in dieser Sitzung; dauerhafte Standards pflegt die Verwaltung "
                     "(siehe Daten & Quellen).")
    return "\n\n".join(parts)


def method_message(verfahren: Verfahren, params: Verkehrsparameter | None = None) -> str:
    """What the travel model is and how precise it is (Markdown), in plain German. With *params* and
    the car, the sentence of :func:`~atlas.accessibility.calibration.travel_time_note` is added."""
    extra = ""
    if params is not None and verfahren.mode == "car":
        extra = " " + md_escape(travel_time_note(params, methode=verfahren.methode))
    if verfahren.methode == "fahrplan":
        return f"**Verfahren: Fahrplan** – {md_escape(verfahren.beschreibung)}."
    if verfahren.methode == "luftlinie":
        return (f"**Verfahren: Luftlinie** (Schätzung) – {md_escape(verfahren.beschreibung)}. "
                "Für diesen Kreis ist kein Straßennetz eingerichtet (wie das geht: Daten & Quellen); "
                "echte Wege sind je nach Gelände länger oder kürzer." + extra)
    return f"**Verfahren: Straßennetz** – {md_escape(verfahren.beschreibung)}." + extra


def map_method_note(verfahren: Verfahren) -> str:
    """Short method line inside the map legend."""
    if verfahren.methode == "fahrplan":
        return "Verfahren: Fahrplan (GTFS), Median im Abfahrtsfenster"
    return "Verfahren: Luftlinie (Schätzung)" if verfahren.methode == "luftlinie" else "Verfahren: Straßennetz (OSM)"


def sites_caption(ziel: str, records: pd.DataFrame, n_unplaced: int) -> str:
    """Where the sites come from and how precisely they are placed ('' when there is nothing to say)."""
    if ziel == ZIEL_BAHNHOEFE:
        return (f"{len(records)} Bahnhöfe und Haltepunkte (DB-Stationsdaten), auch bis 15 km jenseits der "
                "Kreisgrenze – wer an der Grenze wohnt, fährt auch dorthin.")
    if ziel == ZIEL_EIGENE or len(records) == 0:
        return ""
    return (f"{len(records)} Standorte „{md_escape(ziel)}“ aus dem Angebotsregister. Lage der Standorte: "
            f"{precision_summary(records['lage_genauigkeit'])} (typische Fehler je Stufe: Daten & Quellen); "
            "Entfernungen sind entsprechend ungefähr."
            + (f" {n_unplaced} Angebot(e) ohne Kartenlage fehlen." if n_unplaced else ""))


def site_label(ziel: str) -> str:
    """What the sites are called on the map."""
    return "Bahnhöfe" if ziel == ZIEL_BAHNHOEFE else ("Standorte" if ziel == ZIEL_EIGENE else ziel)


@dataclass(frozen=True)
class DestinationView:
    """Everything the page needs about the sites of one destination.

    ``sites`` is None when there is none; ``problem`` then says why (kind ``info``/``warning``, text).
    ``notes`` are captions (precision of the positions, register remarks)."""

    ziel: str
    records: gpd.GeoDataFrame
    unplaced: pd.DataFrame
    sites: Sites | None
    problem: tuple[str, str] | None
    notes: list[str]

    @cached_property
    def names(self) -> dict[str, str]:
        """Site id → name (computed once: the closing list's labels ask for it once per option)."""
        return dict(zip(self.records["id"].astype(str), self.records["name"].astype(str), strict=True))

    @property
    def n_gemeinde_precision(self) -> int:
        """Sites placed only at the Gemeinde centre."""
        return int((self.records["lage_genauigkeit"] == "gemeinde").sum())


def destination_view(data: AtlasData, ziel: str, register_notes: Mapping[str, str]) -> DestinationView:
    """Sites, unplaced offers, captions and – if there is no site – the reason, for *ziel*."""
    records = site_records(data, ziel)
    unplaced = unplaced_offers(data, ziel) if ziel not in (ZIEL_BAHNHOEFE, ZIEL_EIGENE) else records.iloc[0:0]
    notes = [n for n in (sites_caption(ziel, records, len(unplaced)),
                         md_escape(register_notes[ziel]) if ziel in register_notes else "") if n]
    sites, problem = None, None
    try:
        sites = county_sites(data, ziel)
    except NoSitesError as exc:
        problem = ("info" if ziel == ZIEL_EIGENE else "warning", str(exc))
    return DestinationView(ziel, records, pd.DataFrame(unplaced), sites, problem, notes)


def evaluate_scenario(origins: Origins, cells: gpd.GeoDataFrame, dest: DestinationView, verfahren: Verfahren,
                      standard: Standard, hypothetisch: Sequence[tuple[float, float]], closed: Sequence[str]
                      ) -> tuple[Analyse | None, str | None, gpd.GeoDataFrame]:
    """The analysis of the scenario (None if there is no site at all), a German problem message to show
    (only when sites exist but the scenario cannot be computed) and the per-cell frame for map and export."""
    try:
        result = analyse(origins, dest.sites, verfahren, standard, add=hypothetical_sites(hypothetisch),
                         remove=closed)
    except AccessibilityError as exc:
        return None, (str(exc) if dest.sites is not None else None), cells_without_sites(origins, cells, standard)
    return result, None, cell_results(result, cells, dest.names)


def attributions(ziel: str, verfahren: Verfahren) -> list[str]:
    """Attributions of every source the page shows for *ziel* and the method."""
    out = attribution_texts(source_keys(ziel))
    if verfahren.methode == "netz":
        out.append(OSM_ATTRIBUTION)
    return out


def gap_input(cells: gpd.GeoDataFrame, dest: DestinationView, closed: Sequence[str],
              hypothetisch: Sequence[tuple[float, float]], best: CoveringResult | None, result: Analyse | None,
              standard: Standard, verfahren: Verfahren, attributions: Sequence[str]) -> GapMapInput:
    """What the gap map shows for the current scenario."""
    return GapMapInput(
        cells=cells, sites=dest.records, geschlossen=frozenset(closed), hypothetisch=list(hypothetisch),
        vorschlaege=best.auswahl if best is not None else None,
        titel=result.aktuell.titel if result is not None else standard.beschreibung,
        methode_hinweis=map_method_note(verfahren), attributions=list(attributions),
        standort_label=site_label(dest.ziel))


#: The page's title and the question it answers.
TITLE = "Erreichbarkeit und Versorgungs\u00adlücken"
LEAD = ("Wo wohnen Menschen weit entfernt vom nächsten Angebot – wie viele, Kinder und Ältere – und was würde ein "
        "neuer Standort ändern?")
#: The scenario's row above the key figures: closing sites, and back to the register's sites.
CLOSE_LABEL, CLOSE_PLACEHOLDER = "Standorte im Szenario schließen", "Bestehende Standorte wählen …"
RESET_LABEL = "Szenario zurücksetzen"
CLICK_HINT = ("Klicken Sie in die Karte, um einen **hypothetischen Standort** zu setzen; die Zahlen zeigen dann die "
              "Veränderung. Ein Klick, der niemanden näher bringt, ändert nichts.")
CSV_NOTE = ("CSV: Trennzeichen Semikolon, Dezimalkomma, UTF-8; Kopfzeilen mit # beschreiben Verfahren, Standard und "
            "Quellen.")


def ranking_heading(standard: Standard) -> str:
    """The sentence above the Gemeinde ranking (Markdown)."""
    return ("**Größte Versorgungslücken**: Gemeinden nach der Zahl der Einwohner jenseits des Standards "
            f"({md_escape(standard.beschreibung)}). Mittelwerte sind nach Einwohnern gewichtet.")


#: Where the full method and the positions' precision are said (under the map, before the tables).
METHOD_BELOW = "Verfahren und Genauigkeit der Standorte: unter der Karte."


def evaluated_caption(result: Analyse) -> str:
    """What was evaluated and how the population is counted (Markdown)."""
    return (f"Bewertet: **{md_escape(result.aktuell.titel)}**. "
            + md_escape(origins_note(result.aktuell.result.origins.modell)) + " " + METHOD_BELOW)


def proposals(result: Analyse, verfahren: Verfahren, k: int, gewicht: str) -> tuple[CoveringResult | None, str | None]:
    """Up to *k* best new sites for the scenario, or None and the German reason."""
    try:
        return best_new_sites(result.aktuell, verfahren, k=k, gewicht=gewicht), None
    except AtlasError as exc:
        return None, str(exc)


# ----------------------------------------------------------------------------------- key figures

@dataclass(frozen=True)
class KeyFigure:
    """One metric: label, value text and – with a scenario that changes it – the change."""

    label: str
    value: str
    delta: str | None


_FIGURES: tuple[tuple[str, str, bool], ...] = (
    ("Einwohner jenseits des Standards", "einwohner_jenseits", False),
    ("davon unter 15", "u15_jenseits", False),
    ("davon 65 und älter", "ue65_jenseits", False),
    ("Anteil jenseits", "anteil_einwohner_jenseits", True),
)


def key_figures(t: Mapping[str, float]) -> list[KeyFigure]:
    """The four county figures; a change is given only when it is not zero (no '±0' badge)."""
    out = []
    for label, key, share in _FIGURES:
        value = pct(t[key]) if share else format_number(t[key], 0)
        before = t.get(f"{key}_vorher")
        delta = None
        if before is not None:
            diff = round((t[key] - before) * 100, 1) if share else round(t[key] - before)
            if diff != 0:
                delta = ("+" if diff > 0 else "") + (format_number(diff, 1) + " Prozentpunkte" if share
                                                     else format_number(diff, 0))
        out.append(KeyFigure(label, value, delta))
    return out


def scenario_message(t: Mapping[str, float], n_hyp: int, n_closed: int,
                     previous: tuple[int, int, float] | None = None) -> tuple[str, str] | None:
    """(kind, text) about the scenario: ``success`` when it reaches more people, ``warning`` when fewer,
    ``info`` when nothing changes – a change that helps nobody is reported neutrally. *previous*
    (sites added, sites closed, people beyond) is the state before the last action: when the last added
    site changed nothing, that is said, even if the scenario as a whole helps. None without a scenario."""
    before = t.get("einwohner_jenseits_vorher")
    if before is None:
        return None
    head = f"Szenario: {n_hyp} hypothetische(r) Standort(e), {n_closed} geschlossen – "
    diff = round(t["einwohner_jenseits"] - before)
    if diff == 0:
        return "info", head + ("keine Veränderung: niemand kommt dadurch innerhalb des Standards "
                               "(oder fällt heraus).")
    total = f"Einwohner jenseits des Standards ändern sich um {format_number(diff, 0)}."
    if previous is not None and previous[:2] == (n_hyp - 1, n_closed) \
            and round(previous[2]) == round(t["einwohner_jenseits"]):
        return "info", head + "der zuletzt gesetzte Standort ändert nichts (er erreicht niemanden zusätzlich). " \
            + "Insgesamt: " + total
    return ("success" if diff < 0 else "warning"), head + total


# ------------------------------------------------------------------------------------- proposals

#: Columns of the proposals table and their German headings (the weight column is added per choice).
PROPOSAL_COLUMNS: dict[str, str] = {
    "rang": "Rang", "ort": "Nächster Ort", "gemeinde": "Gemeinde", "einwohner_gewonnen": "Einwohner gewonnen",
    "u15_gewonnen": "davon unter 15", "ue65_gewonnen": "davon 65+", "danach": "danach noch jenseits",
    "breite": "Breite (°N)", "laenge": "Länge (°O)", "karte": "Auf der Karte",
}


def osm_link(lon: float, lat: float, zoom: int = 15) -> str:
    """openstreetmap.org address showing a marker at the spot."""
    return f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map={zoom}/{lat:.5f}/{lon:.5f}"


def nearest_places(data: AtlasData, xy: np.ndarray) -> list[str]:
    """Name of the nearest locality of the gazetteer (layer ``orte``, in the Kreis) for each point (EPSG:25832)."""
    orte = data[schema.PLACES_LAYER]
    if "in_kreis" in orte.columns:
        orte = orte[orte["in_kreis"].astype(bool)]
    if len(orte) == 0 or len(xy) == 0:
        return ["" for _ in range(len(xy))]
    tree = cKDTree(np.column_stack([orte.geometry.x.to_numpy(), orte.geometry.y.to_numpy()]))
    _dist, idx = tree.query(np.asarray(xy, dtype=float))
    names = orte["name"].astype(str).to_numpy()
    return [str(names[i]) for i in np.atleast_1d(idx)]


def proposals_table(best: CoveringResult, data: AtlasData, cell_ags: Mapping[str, str]) -> tuple[pd.DataFrame, np.ndarray]:
    """Table of proposed sites with a usable location (nearest place, Gemeinde, coordinates to 5
    decimals, link to the spot) and their (lon, lat) pairs."""
    sel = best.auswahl
    xy = sel[["x", "y"]].to_numpy(dtype=float)
    ll = lonlat_from_xy(xy) if len(sel) else np.empty((0, 2))
    gem_names = dict(zip(data.gemeinden["ags"].astype(str), data.gemeinden["name"].astype(str), strict=True))
    table = pd.DataFrame({
        "rang": sel["rang"].to_numpy(),
        "ort": nearest_places(data, xy),
        "gemeinde": [gem_names.get(cell_ags.get(str(c), ""), "") for c in sel["kandidat_id"]],
        "einwohner_gewonnen": sel["einwohner_gewonnen"].to_numpy(),
        "u15_gewonnen": sel["u15_gewonnen"].to_numpy(),
        "ue65_gewonnen": sel["ue65_gewonnen"].to_numpy(),
        "danach": sel[f"{best.gewicht}_jenseits_danach"].to_numpy(),
        "breite": [f"{lat:.5f}".replace(".", ",") for lat in ll[:, 1]],
        "laenge": [f"{lon:.5f}".replace(".", ",") for lon in ll[:, 0]],
        "karte": [osm_link(lon, lat) for lon, lat in ll],
    })
    return table.rename(columns=PROPOSAL_COLUMNS), ll


#: The result tabs under the map; only the open one is drawn (the page reruns when another is opened).
RESULT_TABS = ("Gemeinden (Rangfolge)", "Vorschläge", "Vergleich Deutschlandatlas", "Herunterladen")

PROPOSALS_HINT = ("Schalten Sie in der Seitenleiste „Beste neue Standorte vorschlagen“ ein. Vorgeschlagen werden "
                  "Rasterzellen-Mittelpunkte, die zusammen möglichst viele Menschen jenseits des Standards "
                  "erreichen (gieriges Verfahren, mindestens 63 % des Bestmöglichen).")


# ---------------------------------------------------------------------------------------- exports

def export_header(kreis_name: str, titel: str, methode: str, standard: Standard, n_hyp: int, n_closed: int,
                  scenario: bool, attributions: Sequence[str]) -> list[str]:
    """Comment lines heading every CSV export: what was computed, how, and from which sources."""
    return [f"Standortatlas {kreis_name}: Erreichbarkeit, {titel}",
            f"Verfahren: {methode}",
            f"Standard: {standard.label}; Quelle: {standard.quelle}",
            f"Szenario: {n_hyp} hypothetische Standorte, {n_closed} geschlossen" if scenario
            else "Szenario: keines (bestehende Standorte)",
            "Quellen: " + " · ".join(attributions)]


def export_filename(ziel: str, what: str, ext: str, today: _dt.date | None = None) -> str:
    """``erreichbarkeit-<ziel>-<what>-<date>.<ext>`` with the destination reduced to letters and digits."""
    slug = "".join(ch if ch.isalnum() else "-" for ch in ziel.lower())
    return f"erreichbarkeit-{slug}-{what}-{(today or _dt.date.today()).isoformat()}.{ext}"


def comparison_caption(summary: Mapping[str, float]) -> str:
    """One sentence summing up our estimate against the Deutschlandatlas."""
    return (f"{int(summary['gemeinden'])} Gemeinden verglichen; mittlere Abweichung (Median) "
            f"{format_number(summary['median_differenz'], 1)} min; bei {pct(summary['anteil_unser_groesser'])} "
            f"der Gemeinden ist unser Wert größer; Rangkorrelation {format_number(summary['rangkorrelation'], 2)}.")


# ------------------------------------------------------------------------------------- comparison

@dataclass(frozen=True)
class ComparisonView:
    """One Deutschlandatlas indicator next to our estimate: heading, table, summary, reasons, source."""

    heading: str
    table: pd.DataFrame
    caption: str
    reasons: str
    quelle: str


def comparison_views(dest: DestinationView, result: Analyse, origins: Origins, data: AtlasData, mode: str,
                     car_verfahren: Callable[[], Verfahren], register_note: str | None) -> list[ComparisonView]:
    """Our car minutes (existing sites, no scenario) against every matching Deutschlandatlas indicator.

    *car_verfahren* is called only when the current result is not already by car."""
    sites, ziel = dest.sites, dest.ziel
    if sites is None:
        return []
    out: list[ComparisonView] = []
    car = None
    for ind in indicators_for_category(ziel, load_catalogue()):
        if car is None:
            car = result.basis.result if (result.basis is not None and mode == "car") else None
            if car is None:
                car = compute_reachability(origins, sites, car_verfahren())
        vg = compare_with_deutschlandatlas(car, data.gemeinden, ind)
        reasons = differences(vg, n_sites=len(sites), n_unplaced=len(dest.unplaced),
                              n_gemeinde_precision=dest.n_gemeinde_precision, register_note=register_note)
        out.append(ComparisonView(
            heading=f"**Plausibilitätsprüfung: {md_escape(ind.label)}** – unsere geschätzten Pkw-Minuten "
                    "(bestehende Standorte, ohne Szenario) neben dem Wert des Deutschlandatlas, je Gemeinde.",
            table=german_frame(vg.tabelle.rename(columns=vg.spalten),
                               decimals={c: 1 for c in list(vg.spalten.values())[2:]}),
            caption=comparison_caption(vg.zusammenfassung()),
            reasons="**Warum die Werte abweichen:**\n" + "\n".join(f"- {md_escape(r)}" for r in reasons),
            quelle=ind.quelle))
    return out


# ---------------------------------------------------------------------------------------- downloads

@dataclass(frozen=True)
class Download:
    """One download button: label, content (made only when the button is clicked), file name, MIME type, key."""

    label: str
    data: Callable[[], bytes]
    file_name: str
    mime: str
    key: str


def downloads(ziel: str, table: pd.DataFrame, cells: gpd.GeoDataFrame, header: Sequence[str]) -> list[Download]:
    """The Gemeinde table and the per-cell results as CSV and GeoPackage. The files are written only on
    a click (Streamlit calls the function then): writing a GeoPackage on every rerun cost about 0.1–0.3 s."""
    head = list(header)
    return [
        Download("Gemeindetabelle (CSV)", lambda: gemeinde_csv(table, head),
                 export_filename(ziel, "gemeinden", "csv"), "text/csv", "dl_gemeinden"),
        Download("Ergebnisse je Rasterzelle (CSV)", lambda: cells_csv(cells, head),
                 export_filename(ziel, "zellen", "csv"), "text/csv", "dl_zellen"),
        Download("Rasterzellen mit Ergebnissen (GeoPackage, EPSG:25832)", lambda: cells_gpkg(cells),
                 export_filename(ziel, "zellen", "gpkg"), "application/geopackage+sqlite3", "dl_gpkg"),
    ]
