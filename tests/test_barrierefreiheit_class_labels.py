"""Colour never alone: class numbers in the Gemeinden of the Sitzungsmodus map and of the PNG, numbered legend."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box

from atlas.class_labels import ClassLabels, class_label_points
from atlas.council.indicator_maps import MapChoice, classify_indicator, slide_layer
from atlas.council.map_png import render_map_png
from atlas.indicators import indicator_by_id
from atlas.text_alternatives import class_labels


def test_label_points_lie_inside_their_polygon_and_carry_the_class_number():
    # SYNTHETIC: two unit squares, the second without a value.
    frame = gpd.GeoDataFrame(geometry=[box(10, 50, 11, 51), box(11, 50, 12, 51)], crs="EPSG:4326")
    points = class_label_points(frame, [2, None])
    assert [p[2] for p in points] == ["3", "–"]
    assert 50 < points[0][0] < 51 and 10 < points[0][1] < 11
    with pytest.raises(ValueError):
        class_label_points(frame, [1])
    rendered = ClassLabels([(50.5, 10.5, "<b>")]).labels
    assert rendered[0][2] == "&lt;b&gt;"


@pytest.mark.data
def test_slide_layer_has_a_number_per_gemeinde_and_a_numbered_legend(atlas_data, built):
    from atlas.layers import load_layers
    from atlas.mapview import prepare_base

    base = prepare_base(atlas_data)
    indicator = indicator_by_id("p_harzt")
    layer = slide_layer(base, load_layers(), MapChoice(indicator=indicator, method="quantile", k=5))
    labels = [child for child in layer.group._children.values() if isinstance(child, ClassLabels)]
    assert len(labels) == 1
    numbers = [label[2] for label in labels[0].labels]
    assert numbers == class_labels(layer.classification.classes)
    assert len(numbers) == len(base.frames["gemeinden"])
    for number in range(1, len(layer.classification.legend) + 1):
        assert f"<b>{number}</b> · " in layer.legend


@pytest.mark.data
def test_png_legend_and_map_carry_class_numbers(atlas_data, monkeypatch):
    import matplotlib.axes

    indicator = indicator_by_id("p_harzt")
    classification = classify_indicator(atlas_data.gemeinden, indicator, "quantile", 5, ())
    written: list[str] = []
    original = matplotlib.axes.Axes.annotate

    def spy(self, text, *args, **kwargs):
        written.append(str(text))
        return original(self, text, *args, **kwargs)

    monkeypatch.setattr(matplotlib.axes.Axes, "annotate", spy)
    png = render_map_png(atlas_data, indicator=indicator, classification=classification, title=indicator.label)
    assert png.startswith(b"\x89PNG")
    assert sorted(written) == sorted(class_labels(classification.classes))


def test_group_markers_are_stable_distinct_and_leave_the_station_triangle():
    from atlas.class_labels import group_markers

    shapes = group_markers(["Bildung", "Gesundheit", "Bildung", "Wohnen"])
    assert list(shapes) == ["Bildung", "Gesundheit", "Wohnen"]
    assert len(set(shapes.values())) == 3 and "^" not in shapes.values()


@pytest.mark.data
def test_offer_groups_in_the_png_differ_by_shape_not_only_by_colour(atlas_data):
    from matplotlib.figure import Figure

    from atlas.council.map_png import _draw_offers

    handles = _draw_offers(Figure().add_subplot(), atlas_data.angebote)
    markers = [h.get_marker() for h in handles]
    assert len(handles) >= 2
    assert len(set(markers)) == len(markers) and "^" not in markers


def test_ink_colour_has_the_better_contrast_on_every_fill():
    from atlas.class_labels import contrast_ratio, ink_colour

    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert ink_colour("#000000") == "#ffffff" and ink_colour("#f0e442") == "#000000"
    for fill in ("#1f5f8b", "#e69f00", "#777777", "#0072b2"):
        ink = ink_colour(fill)
        other = "#ffffff" if ink == "#000000" else "#000000"
        assert contrast_ratio(fill, ink) >= contrast_ratio(fill, other)


@pytest.mark.data
def test_karte_and_indikatoren_maps_number_the_gemeinden_like_the_legend(atlas_data):
    from atlas.council.indicator_maps import indicator_map
    from atlas.layers import load_layers
    from atlas.mapview import MapOptions, build_map, prepare_base

    base = prepare_base(atlas_data)
    indicator = indicator_by_id("p_harzt")
    for result in (build_map(base, load_layers(), MapOptions(indicator=indicator)),
                   indicator_map(base, load_layers(), MapChoice(indicator=indicator, method="quantile", k=5))):
        labels = [child for child in result.map._children.values() if isinstance(child, ClassLabels)]
        assert len(labels) == 1
        assert [label[2] for label in labels[0].labels] == class_labels(result.classification.classes)
        for number in range(1, result.classification.k + 1):  # the legend carries the same numbers
            assert f"<b>{number}</b> · " in result.legend
        assert "translate(-50%,-50%)" in labels[0].style  # centred: no name label on these maps


@pytest.mark.data
def test_offer_markers_and_legend_carry_the_handlungsfeld_symbol(atlas_data):
    from atlas.class_labels import contrast_ratio, ink_colour
    from atlas.layers import load_layers
    from atlas.mapview import MapOptions, build_map, prepare_base

    layer = next(lay for lay in load_layers() if lay.id == "angebote")
    symbols = {value: style.symbol for value, style in layer.gruppierung.werte.items()}
    assert len(set(symbols.values())) == len(symbols)               # one symbol per Handlungsfeld
    for style in layer.gruppierung.werte.values():                   # legible on its own colour
        assert contrast_ratio(style.farbe, ink_colour(style.farbe)) >= 4.5
    result = build_map(prepare_base(atlas_data), load_layers(), MapOptions())
    html = result.map.get_root().render()
    present = set(atlas_data.angebote[layer.gruppierung.feld].astype(str))
    for value, symbol in symbols.items():
        if value in present:
            assert f'"_symbol": "{symbol}"' in html.replace("\\u20ac", "€")
            assert f">{symbol}</span>{value}</div>" in result.legend
