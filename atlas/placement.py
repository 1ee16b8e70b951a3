"""Placing offers that have no coordinates.

The public-sources register gives a Gemeinde (``ort``), sometimes an Ortsteil and a street, but no
coordinates. Each row is placed at the best precision the data allows:

``ortsteil``
    the GeoNames locality point (Ortslage) of the named Ortsteil, or – when no Ortsteil is named –
    of the Gemeinde's main locality of the same name, found *inside* the Gemeinde's polygon;
``gemeinde``
    the Gemeinde polygon's representative point (always inside the polygon) when no locality matches.

A row whose Gemeinde is empty or unknown is not placed; it is returned in the report with its reason
so that nothing is dropped silently. Street addresses are not geocoded (no address source yet).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from atlas import schema
from atlas._helpers import is_blank, name_variants, normalise_name

#: Reason recorded for offers with a protected address (they are never put on a map).
CONFIDENTIAL_REASON = "Lage vertraulich (Schutzeinrichtung): nicht auf der Karte, Kontakt über Telefon oder Webseite."

PRECISION_ORTSTEIL = schema.PRECISION_ORTSTEIL
PRECISION_GEMEINDE = schema.PRECISION_GEMEINDE


def is_confidential(name: object, words: Sequence[str]) -> bool:
    """True when *name* contains one of *words* (case-insensitive), e.g. "Frauenhaus"."""
    folded = str(name or "").casefold()
    return any(word.strip() and word.casefold() in folded for word in words)


@dataclass(frozen=True)
class PlacementResult:
    """Placed offers (GeoDataFrame, metric CRS) and the rows that could not be placed."""

    placed: gpd.GeoDataFrame
    unplaced: pd.DataFrame
    notes: list[dict[str, str]] = field(default_factory=list)


_name_variants = name_variants


def _locality_index(localities: gpd.GeoDataFrame) -> dict[tuple[str, str], Point]:
    """(ags, normalised place name) → first locality point; *localities* carry an ``ags`` column."""
    index: dict[tuple[str, str], Point] = {}
    for ags, name, geom in zip(localities["ags"], localities["name"], localities.geometry, strict=True):
        if is_blank(ags):
            continue
        index.setdefault((str(ags), normalise_name(str(name))), geom)
    return index


def place_offers(
    offers: pd.DataFrame,
    gemeinden: gpd.GeoDataFrame,
    localities: gpd.GeoDataFrame,
    confidential: Sequence[str] = (),
) -> PlacementResult:
    """Place *offers* (columns ``id``, ``name``, ``ort``, ``ortsteil``) in the CRS of *gemeinden*.

    *gemeinden* needs ``ags`` and ``name``; *localities* needs ``name`` and ``ags`` (the Gemeinde the
    locality point lies in) and must share the CRS of *gemeinden*. Offers whose name contains one of
    the *confidential* words (e.g. "Frauenhaus": protected addresses) are never put on a map.
    """
    if localities.crs != gemeinden.crs:
        raise ValueError("localities and gemeinden must share one CRS")
    by_name: dict[str, tuple[str, object]] = {}
    for ags, name, geom in zip(gemeinden["ags"], gemeinden["name"], gemeinden.geometry, strict=True):
        for variant in _name_variants(str(name)):
            by_name.setdefault(variant, (str(ags), geom))
    loc_index = _locality_index(localities)

    rows: list[dict[str, object]] = []
    geoms: list[Point] = []
    unplaced: list[dict[str, object]] = []
    notes: list[dict[str, str]] = []
    for record in offers.to_dict("records"):
        if is_confidential(record.get("name"), confidential):
            unplaced.append({**record, "grund": CONFIDENTIAL_REASON})
            continue
        ort = record.get("ort")
        if is_blank(ort):
            unplaced.append({**record, "grund": "Keine Gemeinde angegeben (Spalte 'ort' leer)."})
            continue
        match = by_name.get(normalise_name(str(ort)))
        if match is None:
            unplaced.append({**record, "grund": f"Gemeinde '{ort}' liegt nicht im Landkreis."})
            continue
        ags, polygon = match
        point: Point | None = None
        precision = PRECISION_GEMEINDE
        ortsteil = record.get("ortsteil")
        if not is_blank(ortsteil):
            point = loc_index.get((ags, normalise_name(str(ortsteil))))
            if point is not None:
                hint = f"Ortslage {ortsteil} (GeoNames)"
            else:
                hint = f"Ortsteil '{ortsteil}' nicht im Ortsverzeichnis; Lage: Mitte der Gemeinde {ort}"
                notes.append({"id": str(record.get("id")), "hinweis": hint})
        else:
            for variant in _name_variants(str(ort)):
                point = loc_index.get((ags, variant))
                if point is not None:
                    break
            hint = (f"Ortslage {ort} (Hauptort, GeoNames)" if point is not None
                    else f"Mitte der Gemeinde {ort}")
        if point is not None:
            precision = PRECISION_ORTSTEIL
        else:
            point = polygon.representative_point()  # type: ignore[attr-defined]
        rows.append({**record, "ags": ags, "lage_genauigkeit": precision, "lage_hinweis": hint})
        geoms.append(point)

    placed = gpd.GeoDataFrame(rows, geometry=geoms, crs=gemeinden.crs)
    return PlacementResult(placed=placed, unplaced=pd.DataFrame(unplaced), notes=notes)
