"""Stops in the Sozialraumprofil: the REAL county build plus SYNTHETIC stops placed on real cells
(the build of main may not have the stop layer yet; the facts must not depend on it)."""

from __future__ import annotations

import dataclasses
import io

import geopandas as gpd
import numpy as np
from pypdf import PdfReader
from shapely.geometry import Point

from atlas.accessibility import county as cty
from atlas.council.profile import build_profile
from atlas.council.profile_pdf import profile_pdf
from atlas.council.profile_stops import facts_rows, stop_facts


def _with_stops(atlas_data):
    """Two SYNTHETIC stops in the Gemeinde of the most populous cell: a bus stop on that cell's centre and an
    on-demand stop 30 km away (outside any cell of that Gemeinde's centre)."""
    origins = cty.county_origins(atlas_data)
    i = int(np.argmax(origins.einwohner))
    ags = str(origins.ags[i])
    x, y = origins.xy[i]
    stops = gpd.GeoDataFrame(
        {"id": ["1", "2"], "name": ["Markt, X", "Feld, X"], "haltestelle": ["Markt", "Feld"], "ort": ["X", "X"],
         "ags": [ags, ags], "in_kreis": [True, True], "bus": [True, False], "bahn": [False, False],
         "rufbus": [False, True]},
        geometry=[Point(x, y), Point(x + 30_000, y)], crs="EPSG:25832")
    data = dataclasses.replace(atlas_data, layers={**atlas_data.layers, "haltestellen": stops})
    return data, ags, float(origins.einwohner[i])


def test_no_stop_layer_gives_a_reason(atlas_data) -> None:
    layers = {k: v for k, v in atlas_data.layers.items() if k != "haltestellen"}
    facts, note = stop_facts(dataclasses.replace(atlas_data, layers=layers))
    assert facts == {} and "Haltestellen fehlen" in note


def test_facts_in_profile_and_pdf(atlas_data) -> None:
    data, ags, cell_people = _with_stops(atlas_data)
    facts, note = stop_facts(data)
    f = facts[ags]
    assert (f.haltestellen, f.nur_rufbus, f.bahnhoefe) == (2, 1, 0)
    # the bus stop covers part of the most populous cell: the share is above 0 and below 1
    people = float(cty.county_origins(atlas_data).einwohner[cty.county_origins(atlas_data).ags == ags].sum())
    assert 0 < f.anteil_im_einzugsbereich < 1 and people > cell_people
    assert "600 m" in note
    profil = build_profile(data, ags, stops=facts)
    assert profil.haltestellen == f
    rows = dict(facts_rows(profil.haltestellen))
    assert rows["Haltestellen in der Gemeinde"].startswith("2 (davon nur Rufbus: 1")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(profile_pdf(profil))).pages)
    assert "Haltestellen in der Gemeinde" in text and "DB InfraGO" in text
