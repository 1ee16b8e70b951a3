"""The Erreichbarkeit page in Streamlit's AppTest (map delivery patched: its map is inspected, clicks simulated)."""

from __future__ import annotations

from unittest import mock

import folium
import pytest
from streamlit.testing.v1 import AppTest

from atlas import settings
from atlas.accessibility.page_model import GEWICHT_LABEL
from pages import _map_render
from pages._map_render import RenderedGroups
from tests.html_tables import html_tables

APP = settings.PROJECT_ROOT / "app.py"
PAGE = "pages/erreichbarkeit.py"


class FakeFolium:
    """Stands in for the map component: records the maps and returns a click when one is queued.

    The page's maps go through pages/_maps.py; with its cache off (``ATLAS_KARTEN_CACHE=0``) every rerun
    builds them, so the folium objects of each rerun are recorded here while the real rendering runs."""

    def __init__(self) -> None:
        self.maps: list[folium.Map] = []
        self.kwargs: list[dict] = []
        self.click: dict | None = None
        self.hashes: list[str] = []  # streamlit-folium's identity of the base map: equal = no reload
        self._groups: list[folium.FeatureGroup] = []

    def render_groups(self, groups):
        self._groups = groups if isinstance(groups, list) else [groups]
        return _map_render.render_groups(groups)

    def render_map(self, fig):
        rendered = _map_render.render_map(fig)
        for group in self._groups:  # like st_folium: the dynamic layers join the map
            group.add_to(fig)
        self._groups = []
        self.maps.append(fig)
        return rendered

    def deliver(self, rendered, **kwargs):
        self.hashes.append(rendered.component_key(kwargs.get("key")))
        self.kwargs.append(kwargs)
        return {"last_clicked": self.click}


def _geojson_layers(m: folium.Map) -> dict[str, folium.GeoJson]:
    out = {}
    for child in m._children.values():
        if isinstance(child, folium.GeoJson):
            out[child.layer_name] = child
        elif isinstance(child, folium.FeatureGroup):
            out.update(_geojson_layers(child))
    return out


@pytest.fixture()
def page(built, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(built.gpkg.parent))
    monkeypatch.delenv("ATLAS_OSM_PBF", raising=False)
    monkeypatch.setenv("ATLAS_KARTEN_CACHE", "0")  # every rerun builds its maps: they are recorded
    fake = FakeFolium()
    with mock.patch("pages._maps.render_groups", side_effect=fake.render_groups), \
            mock.patch("pages._maps.render_map", side_effect=fake.render_map), \
            mock.patch("pages._maps.deliver", side_effect=fake.deliver):
        at = AppTest.from_file(str(APP), default_timeout=90)
        at.run()
        yield at, fake


def _open(at: AppTest, kategorie: str | None = None) -> AppTest:
    if kategorie is not None:
        at.query_params["kategorie"] = kategorie
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _metric(at: AppTest, label: str):
    return next(m for m in at.metric if m.label == label)


def test_default_grundschule_method_standard_table_and_map(page, atlas_data) -> None:
    at, fake = page
    _open(at)
    assert at.title[0].value == "Erreichbarkeit und Versorgungs\u00adlücken"
    assert at.selectbox(key="erreichbarkeit_ziel").value == "Grundschule"
    assert at.query_params["kategorie"] == "Grundschule"
    method = at.info[0].value
    assert method.startswith("**Verfahren: Luftlinie** (Schätzung)") and "Umwegfaktor 1,3" in method
    assert "ATLAS_OSM_PBF" not in method and "Daten & Quellen" in method  # no technical names for people
    schwelle = at.select_slider(key="schwelle_Grundschule")
    assert schwelle.value == 2.0 and schwelle.label == "Standard: jenseits ab / über"
    assert "2,5 km" in schwelle.options and "2.5" not in " ".join(schwelle.options)  # German numbers
    assert at.radio(key="mode_Grundschule").value == "walk"
    assert at.selectbox(key="einheit_Grundschule").value == "km"
    assert any("ThürSchFG" in c.value and "Rechtsnorm" in c.value for c in at.sidebar.caption)
    from atlas.accessibility.county import county_cells, site_records

    from atlas.placement import precision_summary

    prec = site_records(atlas_data, "Grundschule")["lage_genauigkeit"]
    assert any(f"Lage der Standorte: {precision_summary(prec)}" in c.value for c in at.caption)
    # Gemeinde table: one row per Gemeinde, ranked – a plain table (no data grid on the first view)
    assert len(at.dataframe) == 0
    (table,) = html_tables(at)
    assert len(table) == len(atlas_data.gemeinden) and list(table.columns[:3]) == ["Rang", "Gemeinde", "AGS"]
    assert table["Rang"].iloc[0] == "1" and "Gemeinde" not in table.attrs["num"]
    assert {"Rang", "jenseits: Einwohner"} <= set(table.attrs["num"])
    total = int(_german_numbers(table["jenseits: Einwohner"]).sum())
    assert _metric(at, "Einwohner jenseits des Standards").value == f"{total:,}".replace(",", ".")
    # sorting and search on request: the data grid, the same rows
    at.toggle(key="erreichbarkeit_sortierbar").set_value(True).run()
    assert not html_tables(at) and len(at.dataframe) == 1
    grid = at.dataframe[0].value
    assert grid["Gemeinde"].tolist() == table["Gemeinde"].tolist() and list(grid.columns) == list(table.columns)
    at.toggle(key="erreichbarkeit_sortierbar").set_value(False).run()
    # Deutschlandatlas side by side: computed only when its tab is opened (the page reruns)
    assert not any("Warum die Werte abweichen" in m.value for m in at.markdown)
    at.session_state["erreichbarkeit_tab"] = "Vergleich Deutschlandatlas"
    at.run()
    assert len(at.dataframe) == 1  # only the open tab is drawn
    da = at.dataframe[0].value
    assert any(c.startswith("Pkw-Fahrzeit zur nächsten Grundschule (Minuten;") for c in da.columns)
    assert any("Warum die Werte abweichen" in m.value for m in at.markdown)
    # map: cells by class, sites, legend, attribution, local Leaflet only, click returned
    html = fake.maps[-1].get_root().render()
    layers = _geojson_layers(fake.maps[-1])
    n_origins = len(county_cells(atlas_data))
    assert len(layers["Rasterzellen nach Erreichbarkeit"].data["features"]) == n_origins
    if (county_cells(atlas_data)["anteil"] < 1).any():  # settlement shares are labelled as estimates
        tips = [f["properties"]["_tooltip"] for f in layers["Rasterzellen nach Erreichbarkeit"].data["features"]]
        assert any("geschätzt: 1/" in tip for tip in tips)
    assert layers[f"Grundschule ({len(prec)})"].data["features"][0]["geometry"]["type"] == "Point"
    assert "atlas-zelle" in html and "atlas-standort" in html
    # the legend is beside the map, not on it
    assert "Legende" not in html
    legend = next(h.value for h in at.html if "atlas-legend" in h.value)
    assert "Legende" in legend and "jenseits des Standards" in legend and "Verfahren: Luftlinie" in legend
    # cells beyond the standard are hatched as well as red (pattern in the map, same pattern in the legend)
    from atlas.accessibility.gapmap import KLASSEN_MUSTER
    features = layers["Rasterzellen nach Erreichbarkeit"].data["features"]
    beyond = [f for f in features if "atlas-zelle-jenseits" in f["properties"]["_style"]["className"]]
    assert beyond and 'id="atlas-muster-jenseits"' in html and "fill:url(#atlas-muster-jenseits)" in html
    assert KLASSEN_MUSTER["jenseits"][1] in legend
    # only the result layers change with a click: they come as a feature group, the base map stays
    assert isinstance(fake.kwargs[-1]["groups"], RenderedGroups)

    assert "Census 2021 population grid" in html and "Angebotsregister" in html
    assert "/app/static/vendor/leaflet-1.9.4/leaflet.js" in html and "cdn.jsdelivr" not in html
    assert fake.kwargs[-1]["returned_objects"] == ["last_clicked"]
    assert any("Zensus 2022" in c.value or "Census 2021" in c.value for c in at.caption if c.value.startswith("Quellen:"))


def test_editing_the_standard_recomputes_and_says_so(page) -> None:
    at, _fake = page
    _open(at)
    before = _metric(at, "Einwohner jenseits des Standards").value
    at.select_slider(key="schwelle_Grundschule").set_value(5.0).run()
    assert not at.exception
    after = _metric(at, "Einwohner jenseits des Standards").value
    assert int(after.replace(".", "")) < int(before.replace(".", ""))
    assert any("Eigene Vorgabe: gilt nur in dieser Sitzung" in c.value for c in at.sidebar.caption)
    assert any("jenseits ab 5 km" in c.value for c in at.caption)
    at.radio(key="mode_Grundschule").set_value("car").run()
    # the car uses the model fitted by the build, and the page says how precise it is
    assert "min je km Luftlinie" in at.info[0].value
    assert "typisch ±" in at.info[0].value and "p\\_grunds" in at.info[0].value


def test_empty_category_says_so_without_crashing(page) -> None:
    at, fake = page
    _open(at, "Schuldnerberatung")
    assert at.warning[0].value.startswith(
        "Im Angebotsregister gibt es kein Angebot der Kategorie „Schuldnerberatung“.")
    assert len(at.metric) == 0 and len(at.dataframe) == 0
    html = fake.maps[-1].get_root().render()
    assert "kein Standort vorhanden" in html  # the map still shows where people live
    # a hypothetical site set by clicking gives a result without a comparison
    fake.click = {"lat": 50.60, "lng": 10.45}
    at.run()
    fake.click = {"lat": 50.60, "lng": 10.45}
    at.run()
    assert not at.exception
    assert _metric(at, "Einwohner jenseits des Standards").value
    assert "hypothetischer Standort" in fake.maps[-1].get_root().render()


def test_click_adds_a_hypothetical_site_and_shows_the_delta(page) -> None:
    at, fake = page
    _open(at)
    before = int(_metric(at, "Einwohner jenseits des Standards").value.replace(".", ""))
    fake.click = {"lat": 50.7342, "lng": 10.2960}  # Floh-Seligenthal area (no school placed in the cell)
    at.run()  # the page takes the click and reruns itself
    assert not at.exception
    assert at.session_state["erreichbarkeit_hypothetisch"]["Grundschule"] == [(10.2960, 50.7342)]
    m = _metric(at, "Einwohner jenseits des Standards")
    assert int(m.value.replace(".", "")) < before
    assert m.delta.startswith("-")
    assert at.success[0].value.startswith("Szenario: 1 hypothetische(r) Standort(e), 0 geschlossen")
    assert "Veränderung jenseits" in html_tables(at)[0].columns
    rendered = fake.maps[-1].get_root().render()
    assert "atlas-standort-hypothetisch" in rendered
    # the hypothetical site is a badge with its symbol (legend: the same badge), not only an orange dot
    from atlas.accessibility.gapmap import SYMBOL_HYPOTHETISCH
    assert f'>{SYMBOL_HYPOTHETISCH}</div>' in rendered.replace("\\u003e", ">").replace("\\u003c", "<")
    # the map was not reloaded: same base (same component identity), the view is the browser's
    assert len(set(fake.hashes)) == 1
    assert "center" not in fake.kwargs[-1] and "zoom" not in fake.kwargs[-1]
    at.run()  # the same click again is not added twice
    assert len(at.session_state["erreichbarkeit_hypothetisch"]["Grundschule"]) == 1
    at.button(key="erreichbarkeit_reset").click().run()
    assert at.session_state["erreichbarkeit_hypothetisch"]["Grundschule"] == []
    assert int(_metric(at, "Einwohner jenseits des Standards").value.replace(".", "")) == before
    assert not _metric(at, "Einwohner jenseits des Standards").delta


def test_proposals_table_and_map(page) -> None:
    at, fake = page
    _open(at, "Kita")
    at.toggle(key="erreichbarkeit_vorschlaege").set_value(True)
    at.session_state["erreichbarkeit_tab"] = "Vorschläge"
    at.run()
    assert not at.exception
    frames = [d.value for d in at.dataframe if "Einwohner gewonnen" in d.value.columns]
    assert len(frames) == 1
    best = frames[0]
    assert 1 <= len(best) <= 3 and list(best["Rang"]) == list(range(1, len(best) + 1))
    assert (_german_numbers(best["Einwohner gewonnen"]).diff().dropna() <= 0).all()
    assert "atlas-vorschlag" in fake.maps[-1].get_root().render()
    at.button(key="erreichbarkeit_uebernehmen").click().run()
    assert len(at.session_state["erreichbarkeit_hypothetisch"]["Kita"]) == len(best)
    assert at.success[0].value.startswith(f"Szenario: {len(best)} hypothetische(r) Standort(e)")


def test_proposal_settings_appear_with_the_proposals(page) -> None:
    """How many sites and for whom are asked only once proposals are switched on (a shorter first view)."""
    at, _fake = page
    _open(at, "Kita")
    keys = {w.key for w in at.sidebar.number_input} | {w.key for w in at.sidebar.selectbox}
    assert "erreichbarkeit_k" not in keys and "erreichbarkeit_gewicht" not in keys
    at.toggle(key="erreichbarkeit_vorschlaege").set_value(True).run()
    assert at.number_input(key="erreichbarkeit_k").value == 3
    assert at.selectbox(key="erreichbarkeit_gewicht").value == next(iter(GEWICHT_LABEL))
    at.number_input(key="erreichbarkeit_k").set_value(1)
    at.session_state["erreichbarkeit_tab"] = "Vorschläge"
    at.run()
    assert not at.exception
    frames = [d.value for d in at.dataframe if "Einwohner gewonnen" in d.value.columns]
    assert len(frames) == 1 and len(frames[0]) == 1


def test_stations_and_closing_a_site(page) -> None:
    at, _fake = page
    _open(at, "Bahnhöfe und Haltepunkte")
    assert any("auch bis 15 km jenseits der Kreisgrenze" in c.value for c in at.caption)
    assert any("Bahnhofsdaten: DB Station" in c.value for c in at.caption if c.value.startswith("Quellen:"))
    at.selectbox(key="erreichbarkeit_ziel").set_value("Krankenhaus").run()
    assert at.query_params["kategorie"] == "Krankenhaus"
    ms = at.multiselect(key="erreichbarkeit_geschlossen_Krankenhaus")
    ms.set_value([_first_option_id()]).run()
    assert not at.exception
    # closing a site makes things worse: reported as a warning, not as a success
    assert not at.success
    assert at.warning[-1].value.startswith("Szenario: 0 hypothetische(r) Standort(e), 1 geschlossen")


def _first_option_id() -> str:
    """The Krankenhaus nearest to the most people (closing it must push someone beyond the standard)."""
    from atlas.accessibility.county import county_origins, county_parameters, county_sites, make_verfahren
    from atlas.accessibility.evaluation import compute_reachability
    from atlas.atlasdata import load_atlas

    data = load_atlas()
    origins = county_origins(data)
    res = compute_reachability(origins, county_sites(data, "Krankenhaus"),
                               make_verfahren("car", None, county_parameters(data)))
    z = res.zellen()
    return str(z.groupby("standort_id")["einwohner"].sum().idxmax())


def _german_numbers(column):
    """Tables show German notation ('10.076', '5,6'): back to numbers."""
    import pandas as pd

    return pd.to_numeric(column.astype(str).str.replace(".", "", regex=False).str.replace(",", ".", regex=False))


def test_a_click_that_changes_nothing_is_reported_neutrally(page) -> None:
    at, fake = page
    _open(at)
    before = _metric(at, "Einwohner jenseits des Standards").value
    site = _placed_sites("Grundschule").to_crs("EPSG:4326").geometry.iloc[0]  # right on an existing school
    fake.click = {"lat": site.y, "lng": site.x}
    at.run()
    assert not at.exception
    assert len(at.session_state["erreichbarkeit_hypothetisch"]["Grundschule"]) == 1
    m = _metric(at, "Einwohner jenseits des Standards")
    assert m.value == before and not m.delta  # no green "±0"
    assert not at.success
    assert any(i.value.startswith("Szenario: 1 hypothetische(r) Standort(e), 0 geschlossen – keine Veränderung")
               for i in at.info)


def _placed_sites(kategorie: str):
    from atlas.atlasdata import load_atlas

    offers = load_atlas()["angebote"]
    return offers[offers["kategorie"] == kategorie]
