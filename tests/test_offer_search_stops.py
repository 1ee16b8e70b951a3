"""Nearest stop on the family page: SYNTHETIC stops (EPSG:25832 around 600 000 / 5 600 000)."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point

from atlas.accessibility.parameters import DEFAULTS
from atlas.offer_search.i18n import Texts
from atlas.offer_search.stops import StopIndex, rounded_metres, stop_text

X0, Y0 = 600_000.0, 5_600_000.0


def _frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["1", "2", "3"],
            "name": ["Ernststraße, Meiningen", "Schule, Wasungen", "Dorfplatz, Rippershausen"],
            "haltestelle": ["Ernststraße", "Schule", "Dorfplatz"],
            "ort": ["Meiningen", "Wasungen", "Rippershausen"],
            "rufbus": [False, False, True],
        },
        geometry=[Point(X0, Y0), Point(X0 + 5000, Y0), Point(X0, Y0 + 8000)],
        crs="EPSG:25832",
    )


def test_nearest_stop_text_german() -> None:
    """Offer 240 m east of Ernststraße: rounded to 250 m; walking minutes from the atlas's walking model."""
    idx = StopIndex.from_layer(_frame())
    assert idx is not None
    stop = idx.nearest(X0 + 240, Y0)
    assert stop is not None and stop.haltestelle == "Ernststraße" and stop.luftlinie_m == pytest.approx(240)
    assert stop.minuten == pytest.approx(float(DEFAULTS.zeit_luftlinie_min("walk", 240.0)))
    text = stop_text(stop, Texts("de"), ort_des_ziels="Meiningen")
    assert text.startswith("Haltestelle Ernststraße, ca. 250 m Luftlinie (zu Fuß ca. ")
    # another place: the stop's Gemeinde is named; approximate offer positions are said
    other = stop_text(stop, Texts("de"), ort_des_ziels="Wasungen", ungefaehr=True)
    assert "Ernststraße (Meiningen)" in other and "ungefähren Lage" in other


def test_on_demand_stop_and_english() -> None:
    idx = StopIndex.from_layer(_frame())
    assert idx is not None
    stop = idx.nearest(X0 + 10, Y0 + 7000)
    assert stop is not None and stop.rufbus and stop.luftlinie_m == pytest.approx(1000.05, abs=0.1)
    assert "nur Rufbus" in stop_text(stop, Texts("de"))
    en = stop_text(stop, Texts("en"))
    assert en.startswith("Stop Dorfplatz (Rippershausen), approx. 1.0 km straight line") and "on-demand" in en


def test_rounding_and_missing_layer() -> None:
    assert [rounded_metres(m) for m in (3, 74, 76, 999, 1049, 1051)] == [50, 50, 100, 1000, 1000, 1100]
    assert StopIndex.from_layer(None) is None
    assert StopIndex.from_layer(_frame().iloc[0:0]) is None


def test_card_shows_the_stop_row(atlas_data) -> None:
    """A real search on the county build; the card gets the stop text escaped, below the distance."""
    from atlas.offer_search import index_from_atlas, search
    from atlas.offer_search.cards import card_html

    index = index_from_atlas(atlas_data)
    x, y = index.xy[0]
    hit = search(index, float(x), float(y)).hits[0]
    html = card_html(hit, index.themen, Texts("de"), haltestelle="Haltestelle <Markt>, ca. 250 m")
    assert '<div class="of-row of-stop">Nächste Haltestelle: Haltestelle &lt;Markt&gt;, ca. 250 m</div>' in html
    assert html.index("of-dist") < html.index("of-stop")
    assert "of-stop" not in card_html(hit, index.themen, Texts("de"))
