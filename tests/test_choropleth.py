"""Classification against mapclassify on known data, palettes oriented by direction."""

from __future__ import annotations

import mapclassify
import numpy as np
import pytest

from atlas.choropleth import NO_DATA_COLOUR, classify, format_number, palette

VALUES = [1.0, 2.0, 2.5, 3.0, 4.0, 7.0, 8.0, 9.5, 12.0, 20.0]


@pytest.mark.parametrize(("method", "reference"), [
    ("quantile", mapclassify.Quantiles),
    ("gleiche_intervalle", mapclassify.EqualInterval),
    ("natuerliche_brueche", mapclassify.FisherJenks),
])
def test_bins_equal_mapclassify(method, reference):
    result = classify(VALUES, method, 4)
    expected = reference(np.array(VALUES), k=4)
    assert result.bins == pytest.approx(list(expected.bins))
    assert result.classes == list(expected.yb)


def test_equal_intervals_by_hand():
    result = classify([0, 10, 20, 30, 40], "gleiche_intervalle", 4)
    assert result.bins == pytest.approx([10, 20, 30, 40])
    assert result.classes == [0, 0, 1, 2, 3]
    assert [e.count for e in result.legend] == [2, 1, 1, 1]


def test_manual_breaks_and_missing_values():
    result = classify([1, 5, None, 15], "manuell", manual_breaks=[4, 10])
    assert result.bins == [4.0, 10.0, 15.0]
    assert result.classes == [0, 1, None, 2]
    assert result.colours[2] == NO_DATA_COLOUR
    assert result.legend[-1].label == "keine Angabe" and result.legend[-1].count == 1


def test_darkest_colour_marks_the_unfavourable_end():
    worse = classify(VALUES, "quantile", 5, "hoeher_schlechter")
    better = classify(VALUES, "quantile", 5, "hoeher_besser")
    assert worse.colours[-1] == palette(5, "hoeher_schlechter")[-1] == "#bd0026"
    assert better.colours[0] == "#bd0026"  # low value is worse when higher is better
    assert better.colours[-1] == "#ffffb2"


def test_ties_reduce_the_number_of_classes():
    values = [1, 1, 1, 1, 2, 2, 3]
    result = classify(values, "quantile", 5)
    assert 1 <= result.k <= 3  # never more classes than distinct values
    assert all(a < b for a, b in zip(result.bins, result.bins[1:], strict=False))
    assert sum(e.count for e in result.legend) == len(values)


def test_german_number_format():
    assert format_number(121525) == "121.525"
    assert format_number(3.456) == "3,46"
    assert format_number(12.34) == "12,3"
    assert format_number(None) == "keine Angabe"
