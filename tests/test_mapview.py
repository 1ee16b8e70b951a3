"""The overview map: offline assets only, 39 Gemeinden, escaping, attribution, payload size."""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import pytest

from atlas.atlasdata import AtlasData
from atlas.indicators import indicator_by_id
from atlas.layers import load_layers
from atlas.mapview import MapOptions, build_map, field_html, prepare_base, safe_url


@pytest.fixture(scope="module")
def base(atlas_data):
    return prepare_base(atlas_data)


def _html(result) -> str:
    """The rendered map page with JSON \\uXXXX escapes decoded (as the browser's JS would see them)."""
    raw = result.map.get_root().render()
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), raw)


def test_map_uses_only_local_assets_and_no_tiles(base):
    html = _html(build_map(base, load_layers(), MapOptions(indicator=indicator_by_id("p_grunds"))))
    external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', html)
    assert external == []
    assert "/app/static/vendor/leaflet-1.9.4/leaflet.js" in html
    assert "tile.openstreetmap" not in html
    assert "d3" not in re.findall(r'src="([^"]+)"', html)


def test_online_tiles_are_optional_and_off_by_default(base):
    html = _html(build_map(base, load_layers(), MapOptions(online_tiles=True)))
    assert "tile.openstreetmap.org" in html
    assert "OpenStreetMap contributors" in html


def test_payload_below_bar_and_geometry_simplified_without_gaps(base, atlas_data):
    html = _html(build_map(base, load_layers(), MapOptions(indicator=indicator_by_id("einwohner"))))
    assert len(html.encode()) < 2_500_000
    simplified = base.frames["gemeinden"].to_crs("EPSG:25832")
    assert len(simplified) == len(atlas_data.gemeinden) and simplified.geometry.is_valid.all()
    # Coverage simplification keeps shared borders: the union has no holes that the original lacks.
    union = simplified.union_all()
    original = atlas_data.gemeinden.union_all()
    assert len(getattr(union, "interiors", [])) == len(getattr(original, "interiors", []))
    assert abs(union.area - original.area) / original.area < 0.005


def test_gemeinden_coloured_by_indicator_with_legend_and_source(base):
    indicator = indicator_by_id("p_grunds")
    result = build_map(base, load_layers(), MapOptions(indicator=indicator, k=4))
    assert result.classification is not None and result.classification.k == 4
    html = _html(result)
    assert html.count('"className": "atlas-gemeinden"') >= 1
    colours = {e.colour for e in result.classification.legend}
    for colour in colours:
        assert colour in html
    assert indicator.label in html
    assert "Deutschlandatlas der Bundesregierung" in " ".join(result.attributions)
    for text in ("GeoBasis-DE / BKG", "Zensus 2022", "Eurostat", "DB Station&amp;Service", "GeoNames"):
        assert text in html


def test_offer_filter_by_category(base, atlas_data, source_angebote):
    result = build_map(base, load_layers(), MapOptions(categories=frozenset({"Grundschule"})))
    expected = int((atlas_data.angebote["kategorie"] == "Grundschule").sum())
    assert result.counts["angebote"] == expected
    unplaced = int((atlas_data["angebote_ohne_lage"]["kategorie"] == "Grundschule").sum())
    assert expected + unplaced == int((source_angebote["kategorie"] == "Grundschule").sum()) > 0


def test_hostile_offer_text_is_escaped(atlas_data):
    offers = atlas_data.angebote.copy()
    evil = offers.iloc[[0]].copy()
    evil["name"] = "<script>alert('x')</script>"
    evil["website"] = "javascript:alert(1)"
    evil["telefon"] = "<img src=x onerror=alert(1)>"
    layers = dict(atlas_data.layers)
    layers["angebote"] = gpd.GeoDataFrame(pd.concat([evil]), crs=offers.crs)
    data = AtlasData(layers=layers, manifest=atlas_data.manifest, path=atlas_data.path, version="evil")
    html = _html(build_map(prepare_base(data), load_layers(), MapOptions()))
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(" in html
    assert 'href=\\"javascript' not in html and 'href="javascript' not in html
    assert "<img src=x" not in html


def test_safe_links():
    assert safe_url("www.lra-sm.de/kinderschutz") == "https://www.lra-sm.de/kinderschutz"
    assert safe_url("https://meiningen.de/a?b=1") == "https://meiningen.de/a?b=1"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,hi") is None
    assert field_html("03693 485636", "telefon") == '<a href="tel:03693485636">03693 485636</a>'
    assert field_html("a@b.de", "email") == '<a href="mailto:a@b.de">a@b.de</a>'
    assert field_html("javascript:alert(1)", "link") == "javascript:alert(1)"
    assert field_html("<b>", "text") == "&lt;b&gt;"
    assert field_html(12345, "zahl") == "12.345"
    assert field_html(3.25, "zahl") == "3,25"


def test_neighbour_inner_borders_are_coarser_but_their_edge_and_the_kreis_border_stay(atlas_data, monkeypatch):
    """Context Gemeinden outside the Kreis: their borders with each other are simplified more (smaller payload);
    the outline of their coverage (the border with the Kreis included) is the one of the fine simplification."""
    import shapely

    import atlas.mapview as mapview

    fine = prepare_base(atlas_data).frames["nachbar_gemeinden"]
    monkeypatch.setattr(mapview, "NEIGHBOUR_INNER_TOLERANCE_M", 0.0)
    plain = prepare_base(atlas_data).frames["nachbar_gemeinden"]
    vg250 = (fine["grenzen_quelle"] == "VG250-EW").to_numpy()
    assert vg250.any()
    coarse_geoms, plain_geoms = fine.geometry.to_numpy()[vg250], plain.geometry.to_numpy()[vg250]
    assert shapely.get_num_coordinates(coarse_geoms).sum() < shapely.get_num_coordinates(plain_geoms).sum()
    assert shapely.is_valid(coarse_geoms).all()
    outline_before, outline_after = shapely.union_all(plain_geoms), shapely.union_all(coarse_geoms)
    assert shapely.symmetric_difference(outline_before, outline_after).area < 1e-6 * outline_before.area
    kreis = shapely.union_all(prepare_base(atlas_data).frames["gemeinden"].geometry.to_numpy())
    assert sum(shapely.intersection(g, kreis).area for g in coarse_geoms) < 1e-9  # no overlap with the Kreis


def test_large_layers_keep_their_features_out_of_the_tab_order(base):
    """A layer with more features than TAB_STOP_LIMIT (the 1-km grid) marks its paths as no Tab stops; the
    Gemeinden stay Tab stops (their tooltips give the value to keyboard users); every map carries the script
    that turns the mark into ``tabindex=-1``."""
    from atlas.leaflet import NO_TAB_CLASS, TAB_STOP_LIMIT
    from atlas.mapview import switchable_layers, switchable_layers_group

    layers = load_layers()
    grid = [layer for layer in switchable_layers(layers, base) if layer.art == "flaeche"]
    assert grid, "keine zuschaltbare Flächenebene gebaut"
    result = switchable_layers_group(base, grid, MapOptions())
    holder = build_map(base, layers, MapOptions())
    result.group.add_to(holder.map)
    html = _html(holder)
    assert any(result.counts[layer.id] > TAB_STOP_LIMIT for layer in grid)  # a county has > 100 inhabited km²
    for layer in grid:
        marked = f'"className": "atlas-{layer.id} {NO_TAB_CLASS}"' in html
        assert marked == (result.counts[layer.id] > TAB_STOP_LIMIT)
    assert len(base.frames["gemeinden"]) <= TAB_STOP_LIMIT
    assert '"className": "atlas-gemeinden"' in html  # unmarked
    assert f"classList.contains(\"{NO_TAB_CLASS}\")" in html and "'tabindex', '-1'" in html
