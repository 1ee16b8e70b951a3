"""The linked pair of indicator maps ("Zwei Indikatoren"): one DualMap, two legends for the page, Leaflet.Sync
served locally, nothing from a CDN – also in the form streamlit-folium sends to the browser."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from folium.plugins import DualMap

from atlas import settings
from atlas.council.errors import CouncilError
from atlas.council.indicator_maps import MapChoice
from atlas.council.linked_maps import LEAFLET_SYNC_JS, linked_indicator_maps
from atlas.indicators import indicator_by_id
from atlas.layers import load_layers
from atlas.mapview import prepare_base

SYNC_URL = "/app/static/vendor/leaflet.sync-0.2.4/L.Map.Sync.js"
DEUTSCHLANDATLAS = "Deutschlandatlas der Bundesregierung (Stand 12.12.2024)"


@pytest.fixture(scope="module")
def base(atlas_data):
    return prepare_base(atlas_data)


@pytest.fixture()
def pair(base):
    return linked_indicator_maps(base, load_layers(), MapChoice(indicator_by_id("p_harzt")),
                                 MapChoice(indicator_by_id("p_grunds"), method="gleiche_intervalle", k=4))


def _decoded(text: str) -> str:
    """JSON \\uXXXX escapes decoded (as the browser's JS sees the strings)."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


def _external(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]+(?:src|href)=["\'](https?://[^"\']+)', html)


def test_one_dualmap_with_two_synced_maps_and_local_assets_only(pair):
    assert isinstance(pair.map, DualMap)
    html = _decoded(pair.map.get_root().render())
    assert _external(html) == []
    assert re.findall(r'<script[^>]+src="([^"]+)"', html) == ["/app/static/vendor/leaflet-1.9.4/leaflet.js", SYNC_URL]
    assert re.findall(r'<link[^>]+href="([^"]+)"', html) == ["/app/static/vendor/leaflet-1.9.4/leaflet.css"]
    left, right = pair.map.m1.get_name(), pair.map.m2.get_name()
    assert html.count(" = L.map(") == 2
    assert f"{left}.sync({right});" in html and f"{right}.sync({left});" in html
    # The vendored plugin and its licence are in the repository.
    vendored = settings.PROJECT_ROOT / "static" / "vendor" / "leaflet.sync-0.2.4"
    assert (vendored / "L.Map.Sync.js").read_text().count("sync: function (map, options)") == 1
    assert "Bjorn Sandvik / Jan Pieter Waagmeester" in (vendored / "LICENSE").read_text()
    assert pair.map.default_js == LEAFLET_SYNC_JS


def test_each_side_keeps_its_legend_attribution_and_gemeinden(pair, atlas_data):
    html = _decoded(pair.map.get_root().render())
    left, right = pair.map.m1.get_name(), pair.map.m2.get_name()
    script_of = {name: html[html.index(f"var {name} = L.map("):] for name in (left, right)}
    left_part = script_of[left][:script_of[left].index(f"var {right} = L.map(")]
    right_part = script_of[right]
    # The legends are not in the maps (they would cover the county) but given to the page, one per side.
    assert '"atlas-legend"' not in html and "<h4>" not in html  # no legend control (its CSS may stay)
    assert "<h4>Pkw-Fahrzeit zur nächsten Hausarztpraxis</h4>" in pair.left.legend
    assert "<h4>Pkw-Fahrzeit zur nächsten Grundschule</h4>" in pair.right.legend
    assert "Pkw-Fahrzeit zur nächsten Grundschule" not in pair.left.legend
    assert "Pkw-Fahrzeit zur nächsten Grundschule" not in left_part
    for name, part in ((left, left_part), (right, right_part)):
        assert f'{name}.attributionControl.addAttribution("{DEUTSCHLANDATLAS}")' in part
        assert part.count(f"{name}.fitBounds(") == 1
    assert pair.left.classification.k == 5 and pair.right.classification.k == 4
    assert sum(e.count for e in pair.left.classification.legend) == len(atlas_data.gemeinden)
    assert re.search(r'"_tooltip": "Meiningen: [0-9,]+ Minuten"', left_part)  # the Gemeinden with values
    assert re.search(r'"_tooltip": "Meiningen: [0-9,]+ Minuten"', right_part)
    assert pair.attributions.count(DEUTSCHLANDATLAS) == 1 and len(pair.attributions) == len(set(pair.attributions))
    # Both maps are refitted when their (initially hidden) tab is opened.
    assert html.count("map.on('resize', shown);") == 2


def test_streamlit_folium_payload_is_local_and_syncs_map_div_and_map_div2(pair):
    import streamlit_folium

    sent: dict = {}
    with mock.patch.object(streamlit_folium, "_component_func", lambda **kw: sent.update(kw) or {}):
        streamlit_folium.st_folium(pair.map, height=520, returned_objects=[], key="paar")
    assert sent["js_links"] == ["/app/static/vendor/leaflet-1.9.4/leaflet.js", SYNC_URL]
    assert sent["css_links"] == ["/app/static/vendor/leaflet-1.9.4/leaflet.css"]
    script = _decoded(sent["script"])
    assert "var map_div = L.map(" in script and "var map_div2 = L.map(" in script
    assert "map_div.sync(map_div2);" in script and "map_div2.sync(map_div);" in script
    assert '"atlas-legend"' not in script and "<h4>" not in script
    assert "https://" not in sent["header"]
    assert "html,body{width:100%;height:100%;margin:0;padding:0}" in sent["header"]  # no 8 px body margin


def test_bad_choice_gives_the_council_error(base):
    with pytest.raises(CouncilError, match="^Für eigene Grenzen bitte mindestens eine Klassengrenze angeben.$"):
        linked_indicator_maps(base, load_layers(), MapChoice(indicator_by_id("p_harzt")),
                              MapChoice(indicator_by_id("p_grunds"), method="manuell"))
