"""The Karte page in Streamlit's AppTest (the map component is custom: its delivery is patched and the
rendered map inspected, see pages/_maps.py)."""

from __future__ import annotations

from unittest import mock

import pytest
from streamlit.testing.v1 import AppTest

from atlas import settings
from atlas.sources import load_sources
from pages._maps import RenderedMap

APP = settings.PROJECT_ROOT / "app.py"


@pytest.fixture()
def app(built, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(built.gpkg.parent))
    calls: list[RenderedMap] = []

    def fake_deliver(rendered, *args, **kwargs):
        calls.append(rendered)
        return {}

    with mock.patch("pages._maps.deliver", side_effect=fake_deliver):
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.switch_page("pages/karte.py")
        yield at, calls


def test_karte_renders_map_legend_and_sources(app, atlas_data):
    at, calls = app
    at.run()
    assert not at.exception
    assert at.title[0].value == "Karte Landkreis Schmalkalden-Meiningen"
    assert len(calls) == 1
    html = calls[0].text
    assert html.count("atlas-gemeinden") >= 1
    assert "Legende" not in html  # the legend stands beside the map
    assert any("Legende" in h.value and "atlas-legend" in h.value for h in at.html)
    assert any("GeoBasis-DE / BKG" in c.value and "Zensus 2022" in c.value for c in at.caption)
    n = len(atlas_data.angebote)  # every placed offer is on the map
    assert any(f"**{n} von {n} Angeboten**" in m.value for m in at.markdown)
    assert at.query_params["indikator"] == "einwohner"


def test_changing_indicator_recolours_and_updates_url(app):
    at, calls = app
    at.run()
    at.selectbox(key="indikator").set_value("p_grunds").run()
    assert not at.exception
    assert at.query_params["indikator"] == "p_grunds"
    html = calls[-1].text
    assert "Grundschule" in html
    assert any("Klasseneinteilung: Quantile" in c.value for c in at.caption)


def test_share_link_restores_indicator(built, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(built.gpkg.parent))
    with mock.patch("pages._maps.deliver", return_value={}):
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.switch_page("pages/karte.py")
        at.query_params["indikator"] = "p_harzt"
        at.run()
    assert at.selectbox(key="indikator").value == "p_harzt"


def test_offer_filter_reduces_markers(app, atlas_data):
    at, calls = app
    at.run()
    at.multiselect(key="kategorien").set_value(["Kita"]).run()
    assert not at.exception
    offers = atlas_data.angebote
    kitas = int((offers["kategorie"] == "Kita").sum())
    assert 0 < kitas < len(offers)
    assert any(m.value.startswith(f"**{kitas} von {len(offers)} Angeboten**") for m in at.markdown)


def test_start_page_links_and_key_figures(built, monkeypatch, source_kreis):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(built.gpkg.parent))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Standortatlas Landkreis Schmalkalden-Meiningen"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Einwohner (Zensus 2022)"] == f"{source_kreis.einwohner:,}".replace(",", ".")
    assert metrics["Gemeinden"] == str(len(source_kreis.ags))
    assert any("GeoBasis-DE" in c.value for c in at.caption)


def test_missing_data_and_sources_gives_german_message(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path / "leer"))
    monkeypatch.setenv("ATLAS_SOURCE_DIR", str(tmp_path / "gibtsnicht"))
    with mock.patch("pages._maps.deliver", return_value={}):
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.run()
    assert not at.exception
    assert "noch keine aufbereiteten Daten" in at.error[0].value


def test_quellen_page_lists_sources_and_unplaced_offers(built, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(built.gpkg.parent))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.switch_page("pages/quellen.py")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Daten & Quellen"
    sources = at.dataframe[0].value
    assert "Zensus 2022, Bevölkerung kompakt (1000A-0000)" in set(sources["Datensatz"])
    assert any("Frauenhaus Meiningen" in set(df.value.get("Name", [])) for df in at.dataframe)


def test_quellen_page_shows_reference_years_as_years(built, monkeypatch):
    """The indicator catalogue's years are written as years ("2022", not "2022.0"), and an indicator without a
    year shows the dash; the column is text throughout, so Streamlit needs no Arrow fix-up (which logged a
    traceback on every visit)."""
    from atlas.display import MISSING
    from atlas.indicators import load_catalogue

    monkeypatch.setenv("ATLAS_DATA_DIR", str(built.gpkg.parent))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.switch_page("pages/quellen.py")
    at.run()
    assert not at.exception
    table = next(df.value for df in at.dataframe if "Bezugsjahr" in df.value.columns)
    expected = [MISSING if i.bezugsjahr is None else str(i.bezugsjahr) for i in load_catalogue()]
    assert list(table["Bezugsjahr"]) == expected
    assert any(year != MISSING for year in expected)  # the catalogue has years to show
    assert all(isinstance(year, str) and not year.endswith(".0") for year in table["Bezugsjahr"])


def test_tables_are_drawn_only_in_an_opened_expander(app, atlas_data):
    """Speed: the first view sends the map and no table; opening "Werte je Gemeinde" reruns and shows it."""
    at, _calls = app
    at.run()
    assert not at.exception and not at.dataframe
    at.session_state["karte_werte"] = True
    at.run()
    table = at.dataframe[0].value
    assert list(table["Gemeinde"]) != [] and sorted(table["Gemeinde"]) == sorted(atlas_data.gemeinden["name"])


def test_hidden_layers_are_sent_only_when_switched_on(built, monkeypatch, atlas_data):
    """Speed on a phone: the layers hidden at first (stops, 1-km grid) are not in the map's payload; switching
    one on in the sidebar adds it to the standing map (same map, an extra layer group) and names it."""
    monkeypatch.setenv("ATLAS_DATA_DIR", str(built.gpkg.parent))
    calls: list[tuple[RenderedMap, dict]] = []

    def fake_deliver(rendered, *args, **kwargs):
        calls.append((rendered, kwargs))
        return {}

    with mock.patch("pages._maps.deliver", side_effect=fake_deliver):
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.switch_page("pages/karte.py")
        at.run()
        first, kwargs = calls[-1]
        assert "atlas-haltestellen" not in first.text and "atlas-bevoelkerung_1km" not in first.text
        assert kwargs["groups"] is None
        credit = load_sources()["haltestellen"].namensnennung.split(";")[0]
        assert credit in first.text  # its source stays attributed
        at.checkbox(key="ebene_haltestellen").check().run()
    assert not at.exception
    again, kwargs = calls[-1]
    assert again is first  # the base map is the same: the component keeps it and adds the group
    stops = atlas_data["haltestellen"]
    n = int(stops["in_kreis"].astype(bool).sum()) if "in_kreis" in stops.columns else len(stops)
    assert kwargs["groups"].text.count('"type": "Point"') == n
    assert "atlas-haltestellen" in kwargs["groups"].text
    shown = f"{n:,}".replace(",", ".")
    assert any(c.value == f"Zugeschaltet: Haltestellen (Bus und Bahn) ({shown})" for c in at.caption)
