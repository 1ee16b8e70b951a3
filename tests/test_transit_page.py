"""The page "Bus und Bahn" in Streamlit's AppTest (map delivery patched, pages/_maps.py), on the REAL build, with the
SYNTHETIC GTFS line as ATLAS_GTFS and without any feed."""

from __future__ import annotations

import html
import json
import re
from unittest import mock

import pytest
from streamlit.testing.v1 import AppTest

from atlas import settings
from atlas.transit import view as tv
from tests.fixtures import synthetic_gtfs as syn

APP = settings.PROJECT_ROOT / "app.py"
PAGE = "pages/oepnv.py"


def _run(built, monkeypatch, gtfs: str | None) -> AppTest:
    monkeypatch.setenv("ATLAS_DATA_DIR", str(built.gpkg.parent))
    if gtfs is None:
        monkeypatch.delenv("ATLAS_GTFS", raising=False)
    else:
        monkeypatch.setenv("ATLAS_GTFS", gtfs)
    with mock.patch("pages._maps.deliver", return_value={"last_clicked": None}):
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.run()
        at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def test_without_feed_the_page_says_how_to_add_one(built, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _run(built, monkeypatch, None)
    assert at.title[0].value == "Bus und Bahn"
    assert any(tv.HOW_TO_ADD_FEED == i.value for i in at.info)


def test_with_feed_label_and_gemeinde_table(built, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    path = syn.write_feed(tmp_path / "linie.zip")
    at = _run(built, monkeypatch, str(path))
    texts = " ".join(m.value for m in at.markdown)
    assert "Testbus Synthetisch" in texts and "gültig 05.01.2026–31.01.2026" in texts
    assert any("deckt den Landkreis nicht ab" in c.value for c in at.caption)
    assert any("Bus und Bahn nach Fahrplan" in i.value for i in at.info)
    assert len(at.dataframe) >= 1


ERR_PAGE = "pages/erreichbarkeit.py"


def _erreichbarkeit(built, monkeypatch, gtfs: str | None) -> AppTest:
    monkeypatch.setenv("ATLAS_DATA_DIR", str(built.gpkg.parent))
    monkeypatch.delenv("ATLAS_OSM_PBF", raising=False)
    if gtfs is None:
        monkeypatch.delenv("ATLAS_GTFS", raising=False)
    else:
        monkeypatch.setenv("ATLAS_GTFS", gtfs)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page(ERR_PAGE).run()
    assert not at.exception, at.exception
    return at


def test_erreichbarkeit_offers_bus_und_bahn_only_with_a_feed(built, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """Without ATLAS_GTFS: walk/bike/car and a caption how to add a timetable. With the SYNTHETIC feed:
    a fourth mode 'Bus und Bahn'; choosing it shows the feed's name and validity, uses the timetable
    method and evaluates in minutes."""
    with mock.patch("pages._maps.deliver", return_value={"last_clicked": None}):
        at = _erreichbarkeit(built, monkeypatch, None)
        ziel = at.selectbox(key="erreichbarkeit_ziel").value
        assert at.radio(key=f"mode_{ziel}").options == ["zu Fuß", "Fahrrad", "Pkw"]
        assert any("ATLAS_GTFS" in c.value for c in at.sidebar.caption)

        at = _erreichbarkeit(built, monkeypatch, str(syn.write_feed(tmp_path / "linie.zip")))
        radio = at.radio(key=f"mode_{ziel}")
        assert radio.options == ["zu Fuß", "Fahrrad", "Pkw", "Bus und Bahn"]
        radio.set_value("pt").run()
        assert not at.exception, at.exception
        assert any("Testbus Synthetisch" in c.value and "gültig 05.01.2026–31.01.2026" in c.value
                   for c in at.sidebar.caption)
        assert any(i.value.startswith("**Verfahren: Fahrplan**") for i in at.info)
        assert at.selectbox(key="erreichbarkeit_pt_tag").value == 1  # Tuesday


def test_catchment_tab_and_new_stop_by_click(built, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stop layer of the REAL build: key figures and the Gemeinde table; a map click far from every stop
    (the most populous cell beyond, taken from the same data) adds a new stop and the figure shows a change."""
    from atlas.accessibility import county as cty
    from atlas.accessibility.stop_catchment import catchment, load_catchment
    from atlas.atlasdata import load_atlas

    data = load_atlas(built.gpkg.parent)
    origins = cty.county_origins(data)
    base = catchment(origins, tv.stops_of(data), load_catchment())
    beyond = base.zellen()["einwohner_ausserhalb"].to_numpy()
    lon, lat = cty.lonlat_from_xy(origins.xy[[int(beyond.argmax())]])[0]
    click = {"last_clicked": None}
    shown = []
    monkeypatch.setenv("ATLAS_DATA_DIR", str(built.gpkg.parent))
    monkeypatch.delenv("ATLAS_GTFS", raising=False)
    with mock.patch("pages._maps.deliver", side_effect=lambda rendered, **k: shown.append(rendered) or dict(click)):
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.run()
        at.switch_page(PAGE).run()
        assert not at.exception, at.exception
        # the map names every source it shows (census cells, Gemeinden, stops); its legend is beside it
        from atlas.sources import load_sources

        sources = load_sources()
        on_map = {html.unescape(json.loads(text))
                  for text in re.findall(r"addAttribution\((\"(?:[^\"\\]|\\.)*\")\)", shown[-1].script)}
        for key in ("raster_1km", "gemeinden", "haltestellen"):
            assert sources[key].namensnennung in on_map, (key, on_map)
        legend = next(h.value for h in at.html if "atlas-legend" in h.value)
        assert tv.stops_label(load_catchment()) in legend and "jenseits des Standards" in legend
        metric = next(m for m in at.metric if m.label == "Einwohner ohne Haltestelle in Gehweite")
        assert metric.value == f"{beyond.sum():,.0f}".replace(",", ".")
        assert len(at.dataframe) == 1
        click["last_clicked"] = {"lat": float(lat), "lng": float(lon)}
        at.run()
        click["last_clicked"] = {"lat": float(lat), "lng": float(lon)}
        at.run()
        assert not at.exception, at.exception
        metric = next(m for m in at.metric if m.label == "Einwohner ohne Haltestelle in Gehweite")
        assert metric.delta is not None and metric.delta.startswith("-")
