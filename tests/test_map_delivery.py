"""Maps rendered once per input (pages/_maps.py, atlas/map_key.py): the payload is what st_folium sends,
the key names every input, a new build or another choice gives a new map, the same input the same one."""

from __future__ import annotations

import json
import os
import shutil
from unittest import mock

import folium
import folium.plugins
import geopandas as gpd
import pytest
import streamlit_folium
from folium.plugins import DualMap

from atlas.atlasdata import data_version, load_atlas
from atlas.indicator_choice import map_indicators
from atlas.layers import load_layers
from atlas.leaflet import offline_map, plain_json_escapes
from atlas.map_key import map_key
from atlas.mapview import MapOptions, build_map, prepare_base
from pages import _maps


def _st_folium_args(fig, **kwargs) -> dict:
    """The arguments the real st_folium hands its component."""
    seen: dict = {}
    with mock.patch.object(streamlit_folium, "_component_func", side_effect=lambda **kw: seen.update(kw)):
        streamlit_folium.st_folium(fig, **kwargs)
    return seen


def _delivered_args(rendered, **kwargs) -> dict:
    seen: dict = {}
    with mock.patch.object(_maps, "_served", return_value=(lambda **kw: seen.update(kw), frozenset())):
        _maps.deliver(rendered, **kwargs)
    return seen


SAME = ("header", "html", "id", "height", "width", "returned_objects", "default", "zoom",
        "center", "css_links", "js_links")


def _assert_as_st_folium(got: dict, expected: dict, key: str) -> None:
    """Every argument as st_folium's, the scripts with plain ``<``/``>``/``&`` (plain_json_escapes) and the
    component key its hash of that script."""
    for name in SAME:
        assert got[name] == expected[name], name
    assert got["script"] == plain_json_escapes(expected["script"])
    assert (got["feature_group"] is None) == (expected["feature_group"] is None)
    if expected["feature_group"] is not None:
        assert got["feature_group"] == plain_json_escapes(expected["feature_group"])
    assert got["key"] == streamlit_folium.generate_js_hash(got["script"], key, False)


def _small_map() -> folium.Map:
    m = folium.Map(location=[50.6, 10.4], zoom_start=9, tiles=None)
    folium.GeoJson({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"n": "SYNTHETISCH"},
                    "geometry": {"type": "Point", "coordinates": [10.4, 50.6]}}]}, name="punkt").add_to(m)
    folium.LayerControl().add_to(m)
    return m


def _group(text: str) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="dynamisch")
    folium.CircleMarker([50.5, 10.3], radius=5, tooltip=text).add_to(group)
    return group


def test_payload_is_exactly_what_st_folium_sends():
    kwargs = {"key": "karte", "height": 500, "width": "stretch", "returned_objects": ["last_clicked"]}
    expected = _st_folium_args(_small_map(), **kwargs)
    got = _delivered_args(_maps.render_map(_small_map()), **kwargs)
    _assert_as_st_folium(got, expected, "karte")


def _offline_map() -> folium.Map:
    m = offline_map((50.4, 10.1, 50.9, 10.7))
    folium.CircleMarker([50.6, 10.4], radius=4).add_to(m)
    return m


def test_payload_with_exchanged_layers_is_what_st_folium_sends():
    kwargs = {"key": "k", "height": 400, "returned_objects": []}
    expected = _st_folium_args(_offline_map(), feature_group_to_add=_group("eins"), **kwargs)
    got = _delivered_args(_maps.render_map(_offline_map()), groups=_maps.render_groups(_group("eins")), **kwargs)
    _assert_as_st_folium(got, expected, "k")
    assert all(link.startswith("/app/static/") for link in got["js_links"] + got["css_links"])  # offline
    other = _delivered_args(_maps.render_map(_offline_map()), groups=_maps.render_groups(_group("zwei")), **kwargs)
    assert other["key"] == got["key"]  # same base map: streamlit-folium keeps it, only the layers change
    assert other["feature_group"] != got["feature_group"] and "zwei" in other["feature_group"]


def test_dual_map_payload_is_what_st_folium_sends():
    def dual() -> DualMap:
        d = DualMap(location=[50.6, 10.4], tiles=None)
        folium.CircleMarker([50.6, 10.4], radius=4).add_to(d.m1)
        return d

    expected = _st_folium_args(dual(), key="paar", returned_objects=[])
    got = _delivered_args(_maps.render_map(dual()), key="paar", returned_objects=[])
    _assert_as_st_folium(got, expected, "paar")


def test_map_key_names_every_input():
    assert map_key("v1", {"b": 1, "a": frozenset({"x", "y"})}) == map_key("v1", {"a": frozenset({"y", "x"}), "b": 1})
    assert map_key("v1", 5) != map_key("v2", 5)  # another data build
    assert map_key("v1", 5) != map_key("v1", 6)
    assert map_key((1, 2)) != map_key((2, 1))
    with pytest.raises(TypeError):
        map_key(folium.Map())  # an object's identity would silently miss its content


def test_map_key_of_real_choices(atlas_data):
    layers = load_layers()
    inds = {i.id: i for i in map_indicators(atlas_data.gemeinden.columns)}
    first, second = list(inds)[:2]
    key = map_key(atlas_data.version, layers, MapOptions(indicator=inds[first]))
    assert key == map_key(atlas_data.version, layers, MapOptions(indicator=inds[first]))
    assert key != map_key(atlas_data.version, layers, MapOptions(indicator=inds[second]))
    assert key != map_key(atlas_data.version, layers, MapOptions(indicator=inds[first], k=4))
    assert key != map_key(atlas_data.version, layers, MapOptions(indicator=inds[first],
                                                                 categories=frozenset({"Kita"})))
    assert key != map_key("anderer-stand", layers, MapOptions(indicator=inds[first]))
    changed = [layers[0].model_copy(update={"titel": layers[0].titel + " (geändert)"}), *layers[1:]]
    assert key != map_key(atlas_data.version, changed, MapOptions(indicator=inds[first]))


def test_rebuild_gives_a_new_key_and_a_new_map(built, tmp_path):
    """A new build (as "Karten jetzt aktualisieren" writes it) changes the version, so the cached map is
    not reused: the map shows the new data."""
    folder = tmp_path / "daten"
    shutil.copytree(built.gpkg.parent, folder)
    before = data_version(folder)
    data = load_atlas(folder)
    layers = load_layers()
    calls: list[str] = []

    def build(d):
        def make():
            calls.append(d.version)
            return build_map(prepare_base(d), layers, MapOptions())
        return make

    first = _maps.cached_map("test-karte", map_key(data.version, layers, MapOptions()), build(data))
    again = _maps.cached_map("test-karte", map_key(data.version, layers, MapOptions()), build(data))
    assert again is first and calls == [before]  # same input: built and rendered once

    manifest = folder / "manifest.json"  # a new build writes both files anew
    stamp = os.stat(manifest).st_mtime_ns + 5_000_000_000
    os.utime(manifest, ns=(stamp, stamp))
    after = data_version(folder)
    assert after != before
    rebuilt = load_atlas(folder)
    rebuilt.layers["angebote"] = rebuilt.layers["angebote"].iloc[:3]  # the new build has other offers
    second = _maps.cached_map("test-karte", map_key(rebuilt.version, layers, MapOptions()), build(rebuilt))
    assert calls == [before, after]
    assert second[0].counts["angebote"] == 3 != first[0].counts["angebote"]
    assert first[0].map is None and first[0].legend  # the cache keeps the figures, not the folium objects
    assert second[1].script != first[1].script


def test_rendered_map_is_shown_again_without_reload(atlas_data):
    """The same rendered map delivered twice has the same component key: the browser keeps the map."""
    rendered = _maps.render_map(build_map(prepare_base(atlas_data), load_layers(), MapOptions()).map)
    one = _delivered_args(rendered, key="karte")
    two = _delivered_args(rendered, key="karte")
    assert one["key"] == two["key"] and one["script"] is two["script"]


def test_map_key_hashes_tables_by_content():
    """SYNTHETIC frames: a result table changed in one cell or one geometry gives another key."""
    import datetime as dt

    import pandas as pd
    from shapely.geometry import Point

    frame = gpd.GeoDataFrame({"klasse": ["innerhalb", "jenseits"], "wert": [1.0, 2.5]},
                             geometry=[Point(0, 0), Point(1, 1)], crs="EPSG:25832")
    key = map_key(frame)
    assert key == map_key(frame.copy())
    changed = frame.copy()
    changed.loc[1, "wert"] = 2.6
    assert map_key(changed) != key
    moved = frame.copy()
    moved.loc[1, "geometry"] = Point(1, 2)
    assert map_key(moved) != key
    assert map_key(pd.DataFrame({"a": [[1], [2]]})) != map_key(pd.DataFrame({"a": [[1], [3]]}))
    assert map_key(dt.date(2026, 12, 1)) != map_key(dt.date(2026, 12, 2))


HOSTILE = ['</script><script>alert(1)</script>', '<!-- x -->', 'A & B <b>fett</b>', 'Rück\\u003cschräg\\', '\\\\u003e',
           '<table class="atlas-popup"><tr><th>Name</th><td>Kita „Sonnenschein“ & Hort</td></tr></table>']


def _data_of(script: str) -> object:
    """The GeoJSON handed to ``…_add({…})`` in a rendered folium script, as JavaScript reads it."""
    start = script.index("_add({") + len("_add(")
    return json.JSONDecoder().raw_decode(script, start)[0]


def _hostile_map() -> folium.Map:
    m = folium.Map(location=[50.6, 10.4], zoom_start=9, tiles=None)
    features = [{"type": "Feature", "properties": {"_popup": text}, "geometry": {"type": "Point",
                 "coordinates": [10.4 + i / 100, 50.6]}} for i, text in enumerate(HOSTILE)]
    folium.GeoJson({"type": "FeatureCollection", "features": features}).add_to(m)
    return m


def test_plain_escapes_keep_every_string_and_never_close_a_script():
    """The compact script carries the same strings (hostile ones included: a script end tag, an HTML comment,
    a literal backslash-u003c) and contains neither ``</script`` nor ``<!--`` (synthetic texts, no real data)."""
    original = _st_folium_args(_hostile_map(), key="h")["script"]
    compact = _maps.render_map(_hostile_map()).script
    assert len(compact) < len(original)
    assert _data_of(compact) == _data_of(original)
    assert [f["properties"]["_popup"] for f in _data_of(compact)["features"]] == HOSTILE
    assert "<!--" not in compact and "</script" not in compact.lower()
    assert "<td>" in compact  # the plain characters, not \u003c


@pytest.mark.parametrize(("escaped", "plain"), [
    (r'"\u003ctd\u003eA \u0026 B\u003c/td\u003e"', r'"<td>A & B<\/td>"'),
    (r'"\\u003c"', r'"\\u003c"'),  # an escaped backslash followed by the text u003c: unchanged
    (r'"\\\u003c"', r'"\\<"'),  # an escaped backslash followed by an escaped "<"
    (r'"\u003c!--"', r'"\u003c!--"'),
    (r'"\u003e\u003c"', r'"><"'),
])
def test_plain_json_escapes_cases(escaped, plain):
    assert plain_json_escapes(escaped) == plain
    assert json.loads(plain) == json.loads(escaped)


def _frontend(folder):
    """A synthetic component build: index.html naming a hashed script, the script and its source map."""
    (folder / "static" / "js").mkdir(parents=True)
    (folder / "index.html").write_text('<script src="./static/js/main.abc.js"></script>', encoding="utf-8")
    (folder / "static" / "js" / "main.abc.js").write_text("window.SYNTHETISCH = 1;", encoding="utf-8")
    (folder / "static" / "js" / "main.abc.js.map").write_text("{}", encoding="utf-8")
    return folder


def test_served_copy_is_made_once_and_named_by_its_build(tmp_path):
    from atlas.leaflet import COPIES_DIR, STATIC_URL, served_copy

    source = _frontend(tmp_path / "build")
    static = tmp_path / "static"
    url = served_copy(source, "komponente", static)
    assert url is not None and url.startswith(f"{STATIC_URL}/{COPIES_DIR}/komponente-") and url.endswith("/index.html")
    copy = static / url.removeprefix(f"{STATIC_URL}/")
    assert copy.read_text(encoding="utf-8") == (source / "index.html").read_text(encoding="utf-8")
    assert (copy.parent / "static" / "js" / "main.abc.js").is_file()
    assert not (copy.parent / "static" / "js" / "main.abc.js.map").exists()  # source maps are not served
    assert served_copy(source, "komponente", static) == url  # once: the same folder again
    assert sorted(p.name for p in (static / COPIES_DIR).iterdir()) == [copy.parent.name]  # no work folders left
    (source / "index.html").write_text('<script src="./static/js/main.def.js"></script>', encoding="utf-8")
    assert served_copy(source, "komponente", static) != url  # another build, another folder


def test_served_copy_gives_none_where_it_cannot_copy(tmp_path):
    from atlas.leaflet import served_copy

    assert served_copy(tmp_path / "fehlt", "komponente", tmp_path / "static") is None
    blocked = tmp_path / "nur-lesen"
    blocked.write_text("eine Datei, kein Ordner", encoding="utf-8")  # the copy's folder cannot be made
    assert served_copy(_frontend(tmp_path / "build"), "komponente", blocked) is None


def test_served_copy_by_two_processes_at_once_ends_in_one_folder(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from atlas.leaflet import COPIES_DIR, served_copy

    source = _frontend(tmp_path / "build")
    with ThreadPoolExecutor(4) as pool:
        urls = list(pool.map(lambda _: served_copy(source, "komponente", tmp_path / "static"), range(8)))
    assert len(set(urls)) == 1 and urls[0] is not None
    assert len(list((tmp_path / "static" / COPIES_DIR).iterdir())) == 1


def test_map_component_keeps_its_name_and_is_served_from_the_copy(tmp_path):
    """The frame keeps streamlit-folium's title; its files come from the served copy, and without a copy the
    original component is used."""
    _maps._served.cache_clear()
    try:
        component = _maps._served()[0]
        assert component.name == streamlit_folium._component_func.name == "streamlit_folium.st_folium"
        assert component.url is not None and "/_kopien/streamlit_folium-" in component.url
        _maps._served.cache_clear()
        with mock.patch.object(_maps, "served_copy", return_value=None):
            assert _maps._served()[0] is streamlit_folium._component_func
            assert _maps._served()[1] == frozenset()  # the original frame loads Leaflet with every map
    finally:
        _maps._served.cache_clear()


def test_the_copy_loads_leaflet_in_its_page_and_the_maps_leave_it_out(tmp_path):
    """The served copy's page names Leaflet's style and script before streamlit-folium's own script, so the
    browser fetches them together; a delivered map then lists only what the page does not load (here the
    marker-cluster plugin, after Leaflet), and with the original frame it lists Leaflet as st_folium does."""
    from atlas.leaflet import (FRAME_PRELOADED, LEAFLET_CSS, LEAFLET_JS, MARKERCLUSTER_JS, STATIC_URL, frame_head,
                               served_copy)

    source = _frontend(tmp_path / "build")
    (source / "index.html").write_text('<!doctype html><html><head><title>x</title><script defer="defer" '
                                       'src="./static/js/main.abc.js"></script></head><body></body></html>')
    plain = served_copy(source, "komponente", tmp_path / "static")
    url = served_copy(source, "komponente", tmp_path / "static", head=frame_head())
    assert url is not None and url != plain  # another head, another folder
    page = (tmp_path / "static" / url.removeprefix(f"{STATIC_URL}/")).read_text(encoding="utf-8")
    assert page.index("<head>") < page.index(LEAFLET_CSS) < page.index(LEAFLET_JS) < page.index("main.abc.js")

    m = _offline_map()
    plugin = folium.plugins.MarkerCluster()
    plugin.default_js = MARKERCLUSTER_JS
    plugin.add_to(m)
    rendered = _maps.render_map(m)
    assert LEAFLET_JS in rendered.js_links and LEAFLET_CSS in rendered.css_links
    seen: dict = {}
    with mock.patch.object(_maps, "_served", return_value=(lambda **kw: seen.update(kw), frozenset(FRAME_PRELOADED))):
        _maps.deliver(rendered, key="karte")
    assert seen["js_links"] == [MARKERCLUSTER_JS[0][1]]
    assert LEAFLET_CSS not in seen["css_links"]
    assert _delivered_args(rendered, key="karte")["js_links"] == list(rendered.js_links)