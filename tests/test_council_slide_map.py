"""Slide maps of the Sitzungsmodus: one fixed base for a whole session, only the coloured layer changes."""

from __future__ import annotations

import html

import folium
from streamlit_folium import _get_map_string, generate_js_hash

from atlas.council.indicator_maps import MapChoice, slide_attributions, slide_base, slide_layer
from atlas.indicator_choice import map_indicators
from atlas.layers import load_layers
from atlas.leaflet import PlaceLabels
from atlas.mapview import prepare_base


def test_slides_share_one_base_and_exchange_one_layer(atlas_data) -> None:
    base = prepare_base(atlas_data)
    layers = load_layers()
    inds = map_indicators(atlas_data.gemeinden.columns)[:2]
    attributions = slide_attributions(layers, inds)
    hashes, texts = [], []
    for ind, focus in ((inds[0], None), (inds[1], str(atlas_data.gemeinden["ags"].iloc[0]))):
        m = slide_base(base, layers, attributions)
        m.get_root().render()
        hashes.append(generate_js_hash(_get_map_string(m), "sz_karte"))
        layer = slide_layer(base, layers, MapChoice(indicator=ind, focus_ags=focus))
        assert isinstance(layer.group, folium.FeatureGroup)
        layer.group.add_to(m)
        texts.append(m.get_root().render())
        assert ind.label in layer.legend
    assert hashes[0] == hashes[1]  # streamlit-folium keeps the same map: no reload between slides
    labels = next(c for c in m._children.values() if isinstance(c, PlaceLabels))  # Gemeinde names on the map
    assert sorted(label[2] for label in labels.labels) == sorted(html.escape(n) for n in atlas_data.gemeinden["name"])
    assert "atlas-ortsname" in texts[0]
    assert '"keyboard": false' in texts[0]  # arrow keys change slides, they do not pan
    assert "atlas-fokus" in texts[1] and "atlas-fokus" not in texts[0]
    assert "fitBounds" in texts[0] and "Legende" not in texts[0]
