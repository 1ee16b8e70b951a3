"""Seeding an empty register store from the build (the public-sources register as placed by ``atlas build``).

Kept apart from :mod:`atlas.register.store` so that the store does not depend on the build's output
format, and the build (which reads the store) and the store never import each other. This module reads the
GeoPackage layers named in :mod:`atlas.schema` and imports nothing above the register's models.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Protocol

import pandas as pd
import pyogrio

from atlas import schema, settings
from atlas.register._helpers import clean_text
from atlas.register.models import OFFER_FIELDS

#: Who wrote the first state (shown in the history).
SEED_USER = "Erststand (öffentliche Quellen)"
#: History action of the first state.
ACTION_SEED = "erststand"


class SeedTarget(Protocol):
    """What seeding needs of a store (:class:`atlas.register.store.RegisterStore` has it)."""

    def count(self, include_deleted: bool = False) -> int: ...

    def insert_offers(self, records: Sequence[Mapping[str, object]], who: str, action: str = ...,
                      comment: str = "") -> list[str]: ...


def records_from_atlas(gpkg: str | os.PathLike[str]) -> list[dict[str, object]]:
    """The public-sources register as placed by the build (seed of an empty store), ordered by id."""
    placed = pyogrio.read_dataframe(gpkg, layer=schema.OFFERS_LAYER).to_crs(settings.MAP_CRS)
    unplaced = pyogrio.read_dataframe(gpkg, layer=schema.UNPLACED_OFFERS_LAYER)
    records: list[dict[str, object]] = []
    for row, geom in zip(placed.drop(columns="geometry").to_dict("records"), placed.geometry, strict=True):
        records.append({**{f: clean_text(row.get(f)) for f in OFFER_FIELDS},
                        "lon": round(geom.x, 6), "lat": round(geom.y, 6),
                        **{c: clean_text(row.get(c)) for c in schema.OFFER_LOCATION_COLUMNS}})
    for row in pd.DataFrame(unplaced).to_dict("records"):
        records.append({**{f: clean_text(row.get(f)) for f in OFFER_FIELDS}, "lon": None, "lat": None, "ags": "",
                        "lage_genauigkeit": "", "lage_hinweis": clean_text(row.get(schema.UNPLACED_REASON_COLUMN))})
    return sorted(records, key=lambda r: str(r["id"]))


def seed_from_atlas(store: SeedTarget, gpkg: str | os.PathLike[str]) -> int:
    """Fill an EMPTY store with the public-sources register as placed by the build (layers ``angebote`` and
    ``angebote_ohne_lage`` of the built GeoPackage); returns the rows written (0 when the store already has
    offers)."""
    if store.count(include_deleted=True):
        return 0
    records = records_from_atlas(gpkg)
    store.insert_offers(records, SEED_USER, ACTION_SEED, comment="Erststand aus angebote_sm_oeffentliche_quellen.csv")
    return len(records)
