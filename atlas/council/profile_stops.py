"""Public transport in the Sozialraumprofil: stops in the Gemeinde, on-demand-only stops, and the
(estimated) share of residents within walking distance of a stop (:mod:`atlas.accessibility.stop_catchment`).

Computed once for all Gemeinden (:func:`stop_facts`); the profile, its page and its PDF show the rows of
:func:`facts_rows`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from atlas import schema
from atlas.atlasdata import AtlasData
from atlas.errors import AtlasError


@dataclass(frozen=True)
class StopFacts:
    """Stops and catchment of one Gemeinde (shares 0–1 of its residents in populated 1-km cells)."""

    haltestellen: int
    nur_rufbus: int
    bahnhoefe: int
    anteil_im_einzugsbereich: float
    anteil_nur_rufbus: float
    einwohner_ausserhalb: float
    standard: str
    hinweis: str


def stop_facts(data: AtlasData) -> tuple[dict[str, StopFacts], str]:
    """Per Gemeinde key the stop facts, plus a German note; ({}, reason) without stops layer or engine."""
    frame = data.layers.get(schema.STOPS_LAYER)
    if frame is None or len(frame) == 0:
        return {}, "Haltestellen fehlen in den aufbereiteten Daten (atlas build mit der Haltestellen-Quelle)."
    try:
        from atlas.accessibility.county import county_origins
        from atlas.accessibility.stop_catchment import catchment, load_catchment, stops_from_frame
        from atlas.settings import METRIC_CRS

        std = load_catchment()
        cover = catchment(county_origins(data), stops_from_frame(frame, METRIC_CRS), std)
    except (AtlasError, KeyError, ValueError) as exc:
        return {}, f"Einzugsbereich der Haltestellen nicht berechnet: {exc}"
    z = cover.zellen()
    by = z.groupby("ags")[["einwohner", "einwohner_ausserhalb", "einwohner_nur_rufbus"]].sum()
    inside = z.assign(_in=z["einwohner"] * z["anteil_im_einzugsbereich"]).groupby("ags")["_in"].sum()
    ags_col = frame["ags"].astype("string")
    note = (f"Einzugsbereich: {std.radius_bus_m:g} m um Haltestellen, {std.radius_bahn_m:g} m um Bahnhöfe "
            f"(Luftlinie; {std.quelle}). Geschätzt aus dem 1-km-Raster; Abfahrtshäufigkeit nicht geprüft.")
    out: dict[str, StopFacts] = {}
    for ags in set(by.index.astype(str)) | set(ags_col.dropna()):
        own = frame[(ags_col == ags).fillna(False).to_numpy()]
        people = float(by["einwohner"].get(ags, 0.0))
        share = float(inside.get(ags, 0.0)) / people if people else float("nan")
        on_demand = float(by["einwohner_nur_rufbus"].get(ags, 0.0)) / people if people else float("nan")
        out[str(ags)] = StopFacts(
            haltestellen=len(own), nur_rufbus=int(own["rufbus"].fillna(False).astype(bool).sum()),
            bahnhoefe=int(own["bahn"].fillna(False).astype(bool).sum()),
            anteil_im_einzugsbereich=share, anteil_nur_rufbus=on_demand,
            einwohner_ausserhalb=float(by["einwohner_ausserhalb"].get(ags, 0.0)), standard=std.label, hinweis=note)
    return out, note


def _pct(value: float) -> str:
    return "–" if np.isnan(value) else f"{value * 100:.0f} %".replace(".", ",")


def facts_rows(facts: StopFacts | None) -> list[tuple[str, str]]:
    """(label, value) rows for the profile page and PDF (empty without facts)."""
    if facts is None:
        return []
    return [
        ("Haltestellen in der Gemeinde", f"{facts.haltestellen} (davon nur Rufbus: {facts.nur_rufbus}, "
                                         f"Bahnhöfe/Haltepunkte: {facts.bahnhoefe})"),
        ("Einwohner mit Haltestelle in Gehweite (Schätzung)",
         f"{_pct(facts.anteil_im_einzugsbereich)}; nur Rufbus: {_pct(facts.anteil_nur_rufbus)}; ohne: "
         f"ca. {facts.einwohner_ausserhalb:,.0f}".replace(",", ".")),
    ]
