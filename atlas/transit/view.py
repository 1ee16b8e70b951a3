"""View-model of the page "Bus und Bahn": stop catchment with what-if, timetable travel times.

Pure functions (no Streamlit): the page reads widgets and draws what these return.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from atlas import schema
from atlas.accessibility.county import xy_from_lonlat
from atlas.accessibility.evaluation import ReachabilityResult, compute_reachability  # noqa: F401 (used by the page)
from atlas.accessibility.origins import Origins
from atlas.accessibility.stop_catchment import (
    HINWEIS_ABFAHRTEN,
    Abdeckung,
    Einzugsbereich,
    Haltestellen,
    add_stops,
    catchment,
    new_stops,
    stops_from_frame,
)
from atlas.atlasdata import AtlasData
from atlas.display import format_number
from atlas.settings import METRIC_CRS, gtfs_path
from atlas.sources import attribution_texts
from atlas.transit.errors import GtfsError
from atlas.transit.feed import Feed, read_feed
from atlas.transit.timetable import GEHEN, stop_xy

#: Sources of the catchment's map and figures (``geodata/sources.yaml``): people per census cell, the
#: Gemeinden (BKG) and the stop register.
CATCHMENT_SOURCES = ("raster_1km", "gemeinden", "haltestellen")
#: Shown when no GTFS feed is configured.
HOW_TO_ADD_FEED = (
    "Für Fahrzeiten mit Bus und Bahn braucht der Atlas einen Fahrplan im GTFS-Format (ZIP-Datei). Bezugsquellen "
    "für Deutschland nennt `atlas fahrplan --quellen` (u. a. gtfs.de und DELFI e. V. über die Mobilithek); `atlas fahrplan --dest ORDNER` lädt den Nahverkehr von gtfs.de. "
    "Die Datei speichern, die Umgebungsvariable `ATLAS_GTFS=/pfad/fahrplan.zip` setzen und die App neu starten."
)
#: Share of the county's people with a feed stop in walking distance from which the feed "covers" it.
COVERAGE_MIN = 0.5

GEMEINDE_SPALTEN: dict[str, str] = {
    "name": "Gemeinde",
    "einwohner": "Einwohner",
    "einwohner_ausserhalb": "Einwohner ohne Haltestelle in Gehweite (geschätzt)",
    "anteil_einwohner_ausserhalb": "Anteil ohne Haltestelle",
    "u15_ausserhalb": "davon unter 15",
    "ue65_ausserhalb": "davon 65 und älter",
    "einwohner_nur_rufbus": "nur Rufbus in Gehweite (geschätzt)",
    "haltestellen": "Haltestellen",
    "nur_rufbus_haltestellen": "davon nur Rufbus",
}


def stops_frame(data: AtlasData) -> gpd.GeoDataFrame | None:
    """The stop register layer, or None when the build has none yet."""
    frame = data.layers.get(schema.STOPS_LAYER)
    return frame if isinstance(frame, gpd.GeoDataFrame) and len(frame) else None


def stops_of(data: AtlasData) -> Haltestellen | None:
    frame = stops_frame(data)
    return None if frame is None else stops_from_frame(frame, METRIC_CRS)


@dataclass(frozen=True)
class CatchmentView:
    """Everything the catchment section shows."""

    basis: Abdeckung
    aktuell: Abdeckung
    tabelle: pd.DataFrame
    zellen: gpd.GeoDataFrame
    kennzahlen: list[tuple[str, str, str | None]]
    hinweise: list[str]


#: Under the key figures: where the rest of the notes are, and how to try a new stop.
DETAILS_BELOW = "Quelle, Zählweise und Genauigkeit: unter der Karte."
CLICK_HINT = "Klicken Sie in die Karte, um eine **neue Haltestelle** zu setzen; die Zahlen zeigen dann die Veränderung."


def _fmt(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")


def catchment_view(
    data: AtlasData,
    origins: Origins,
    cells: gpd.GeoDataFrame,
    stops: Haltestellen,
    standard: Einzugsbereich,
    neue_lonlat: list[tuple[float, float]],
    basis: Abdeckung | None = None,
    *,
    abfahrten_hinweis: str | None = None,
) -> CatchmentView:
    """Catchment of the county's stops, and with the hypothetical new stops *neue_lonlat*.
    *abfahrten_hinweis*: what was applied when stops were filtered by departures (:func:`frequent_stops`);
    without it the page says that the departures were not checked."""
    base = basis if basis is not None else catchment(origins, stops, standard)
    now = add_stops(base, new_stops(xy_from_lonlat(neue_lonlat))) if neue_lonlat else base
    g = now.gemeinden()
    frame = stops_frame(data)
    if frame is not None and "ags" in frame.columns:
        counts = frame.groupby("ags").agg(haltestellen=("id", "size"), nur_rufbus_haltestellen=("rufbus", "sum"))
        g = g.join(counts, how="left").fillna({"haltestellen": 0, "nur_rufbus_haltestellen": 0})
    names = data.gemeinden.set_index("ags")["name"] if "name" in data.gemeinden.columns else pd.Series(dtype=str)
    g.insert(0, "name", names.reindex(g.index).fillna("").to_numpy())
    g = g.sort_values("einwohner_ausserhalb", ascending=False)
    table = g[[c for c in GEMEINDE_SPALTEN if c in g.columns]].rename(columns=GEMEINDE_SPALTEN)
    t_now, t_base = now.gesamt(), base.gesamt()
    delta = neue_lonlat and t_now["einwohner_ausserhalb"] != t_base["einwohner_ausserhalb"]

    def fig(label: str, key: str) -> tuple[str, str, str | None]:
        d = f"{t_now[key] - t_base[key]:+,.0f}".replace(",", ".") if delta else None
        return (label, _fmt(float(t_now[key])), d)

    figures = [
        fig("Einwohner ohne Haltestelle in Gehweite", "einwohner_ausserhalb"),
        fig("davon Kinder unter 15", "u15_ausserhalb"),
        fig("davon 65 und älter", "ue65_ausserhalb"),
        fig("nur Rufbus in Gehweite", "einwohner_nur_rufbus"),
    ]
    z = now.zellen()
    zb = base.zellen()
    out = cells.loc[z.index, ["grd_id", "geometry"]].copy()
    for col in ("ags", "einwohner", "u15", "ue65"):
        out[col] = z[col].to_numpy()
    out["wert"] = 100.0 * z["anteil_ausserhalb"].to_numpy()
    out["einheit"] = "% der Zelle ohne Haltestelle in Gehweite"
    before = zb["anteil_ausserhalb"].to_numpy() > 0.5
    after = z["anteil_ausserhalb"].to_numpy() > 0.5
    klasse = np.where(after, "jenseits", "innerhalb").astype(object)
    klasse[before & ~after] = "neu_erreicht"
    out["klasse"] = klasse
    out["standort_name"] = ""
    notes = [
        f"Standard: {standard.beschreibung}.",
        f"Quelle sagt: „{standard.zitat}“" if standard.zitat else "",
        abfahrten_hinweis or HINWEIS_ABFAHRTEN,
        "Geschätzt: Einwohner je 1-km-Rasterzelle (Zensus 2022) als gleichmäßig über die Zelle verteilt angenommen "
        "(100 Prüfpunkte je Zelle); Luftlinie, keine Fußwege. Rufbus = Haltestelle nur mit Anruf-/Bedarfsverkehr.",
    ]
    return CatchmentView(base, now, table, gpd.GeoDataFrame(out, geometry="geometry", crs=cells.crs), figures,
                         [n for n in notes if n])


def frequent_stops(stops: Haltestellen, frame: gpd.GeoDataFrame, feed: Feed, crs: str = METRIC_CRS) -> tuple[Haltestellen, str]:
    """The register stops with at least :data:`~atlas.transit.departures.MIN_ABFAHRTEN` departures on
    the feed's typical Tuesday (on-demand-only stops are kept: they count separately anyway), and a
    German note saying what was applied."""
    from atlas.transit.departures import MIN_ABFAHRTEN, register_departures

    day = feed.typical_date(WEEKDAY_DEFAULT)
    deps = register_departures(feed, day, frame, stops.xy, crs)
    keep = (deps >= MIN_ABFAHRTEN) | stops.rufbus
    sub = Haltestellen(stops.ids[keep], stops.xy[keep], stops.bahn[keep], stops.rufbus[keep])
    note = (f"Nach Fahrplan ({feed.name}, {day:%d.%m.%Y}): {int(keep.sum())} von {len(stops)} Haltestellen haben "
            f"mindestens {MIN_ABFAHRTEN} Abfahrten am Tag und zählen (Rufbus-Haltestellen gesondert).")
    return sub, note


def stop_sites(frame: gpd.GeoDataFrame, data: AtlasData | None = None,
               standard: Einzugsbereich | None = None) -> gpd.GeoDataFrame:
    """The stops in the form the gap map draws sites (``id``, ``name``, ``ort``, ``lage_genauigkeit``).

    With *data* and *standard*: only the stops that can count for someone in the county – inside it or within
    the standard's largest radius of its border (:func:`stops_reach_m`). The register reaches far beyond the
    county (the timetable's area); a stop farther out is beyond walking distance of every resident, and
    drawing it would only make the map slower and busier (:func:`stops_label` says what is drawn)."""
    metric = frame.to_crs(METRIC_CRS)
    if data is not None and standard is not None:
        county = data[schema.KREIS_LAYER].to_crs(METRIC_CRS).union_all().buffer(stops_reach_m(standard))
        metric = metric[metric.intersects(county)]
    out = metric[["id", "name", "geometry"]].copy()
    out["name"] = [f"{n} (nur Rufbus)" if r else str(n) for n, r in zip(metric["name"], metric["rufbus"], strict=True)]
    out["ort"] = ""
    out["lage_genauigkeit"] = "genau"
    return gpd.GeoDataFrame(out, geometry="geometry", crs=METRIC_CRS)


#: The stops' dots on the map, in pixels: hundreds of them, drawn smaller than a few sites' so that the cells
#: beneath stay visible on a phone.
STOP_DOT_PX = 3.5


def catchment_attributions() -> list[str]:
    """The attributions the catchment's map and page show (:data:`CATCHMENT_SOURCES`)."""
    return attribution_texts(CATCHMENT_SOURCES)


def stops_reach_m(standard: Einzugsbereich) -> float:
    """How far beyond the county's border a stop can still be in walking distance: the standard's largest
    radius (bus, train or on-demand bus)."""
    return max(standard.radius_bus_m, standard.radius_bahn_m, standard.rufbus_m)


def stops_label(standard: Einzugsbereich) -> str:
    """The map's name for the stops :func:`stop_sites` draws with *data* and *standard*."""
    return f"Haltestellen im Kreis und bis {format_number(stops_reach_m(standard), 0)} m jenseits der Grenze"


# ------------------------------------------------------------------------------------ timetable


@dataclass(frozen=True)
class FeedState:
    """The configured feed: ``feed`` (None without one), ``meldung`` (German; how to add one, or the
    error reading it), ``pfad``."""

    feed: Feed | None
    meldung: str | None
    pfad: Path | None


def feed_state(value: str | os.PathLike[str] | None = None) -> FeedState:
    path = gtfs_path(value)
    if path is None:
        return FeedState(None, HOW_TO_ADD_FEED, None)
    try:
        return FeedState(read_feed(path), None, path)
    except GtfsError as exc:
        return FeedState(None, f"Der Fahrplan aus ATLAS_GTFS kann nicht verwendet werden: {exc}", path)


def feed_coverage(feed: Feed, origins: Origins) -> float:
    """Share of the origins' people with a stop of *feed* within the walking limit (straight line)."""
    xy = stop_xy(feed, origins.crs)
    xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) == 0 or origins.einwohner.sum() == 0:
        return 0.0
    d, _ = cKDTree(xy).query(origins.xy, k=1, distance_upper_bound=GEHEN.max_gerade_m)
    return float(origins.einwohner[np.isfinite(d)].sum() / origins.einwohner.sum())


def comparison_note(coverage: float) -> str:
    """What the page says about comparing with the Deutschlandatlas' ``p_ozmz_oev``."""
    pct = f"{coverage:.0%}".replace(".", ",")
    if coverage < COVERAGE_MIN:
        return (
            f"Der Fahrplan deckt den Landkreis nicht ab: nur {pct} der Einwohner haben eine seiner Haltestellen in "
            "Gehweite. Ein Vergleich mit der ÖV-Reisezeit des Deutschlandatlas zum nächsten Ober-/Mittelzentrum "
            "(p_ozmz_oev) entfällt daher."
        )
    return (
        f"Der Fahrplan deckt {pct} der Einwohner ab. Für den Vergleich mit p_ozmz_oev (ÖV-Reisezeit zum nächsten "
        "Ober-/Mittelzentrum, Deutschlandatlas) müssten die Ober- und Mittelzentren als Ziele vorliegen; sie sind "
        "nicht in den Quelldaten des Atlas – der Vergleich ist daher noch nicht möglich."
    )


WEEKDAY_DEFAULT = 1  # Tuesday: a normal school and working day


def pt_gemeinde_table(result: ReachabilityResult, schwelle_min: float, gemeinden: pd.DataFrame) -> pd.DataFrame:
    """Per Gemeinde: people, weighted mean minutes (cells with a connection), people beyond
    *schwelle_min* or without any connection."""
    z = result.zellen()
    ok = np.isfinite(z["zeit_min"].to_numpy())
    beyond = ~ok | (z["zeit_min"].to_numpy() > schwelle_min)
    w = z["einwohner"].to_numpy()
    frame = pd.DataFrame({
        "ags": z["ags"].to_numpy(), "einwohner": w, "_wt": np.where(ok, w * np.where(ok, z["zeit_min"], 0.0), 0.0),
        "_w": np.where(ok, w, 0.0), "jenseits": np.where(beyond, w, 0.0),
        "u15_jenseits": np.where(beyond, z["u15"], 0.0), "ue65_jenseits": np.where(beyond, z["ue65"], 0.0),
        "ohne": np.where(ok, 0.0, w),
    })
    g = frame.groupby("ags").sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        g["mittel"] = g["_wt"] / g["_w"].replace(0, np.nan)
    names = gemeinden.set_index("ags")["name"] if "name" in gemeinden.columns else pd.Series(dtype=str)
    out = pd.DataFrame({
        "Gemeinde": names.reindex(g.index).fillna("").to_numpy(),
        "Einwohner": g["einwohner"].to_numpy(),
        "Fahrzeit Median (min, Mittel der Zellen)": g["mittel"].round(1).to_numpy(),
        f"Einwohner über {schwelle_min:g} min oder ohne Verbindung": g["jenseits"].to_numpy(),
        "davon unter 15": g["u15_jenseits"].to_numpy(),
        "davon 65 und älter": g["ue65_jenseits"].to_numpy(),
        "ohne Verbindung im Zeitfenster": g["ohne"].to_numpy(),
    })
    return out.sort_values(out.columns[3], ascending=False)
