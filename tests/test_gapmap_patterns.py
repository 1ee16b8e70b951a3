"""Grid-cell classes on the Erreichbarkeit / Bus-und-Bahn maps are told apart without colour (WCAG 1.4.1)."""

from __future__ import annotations

from atlas.accessibility.county import KLASSEN
from atlas.accessibility.gapmap import KLASSEN_FARBE, KLASSEN_MUSTER, PATTERN_CSS, PATTERN_DEFS


def test_every_class_has_its_own_non_colour_mark() -> None:
    # the mark a person who cannot tell the colours apart sees: the pattern, or none (plain fill)
    marks = {key: KLASSEN_MUSTER[key][0] if key in KLASSEN_MUSTER else None for key in KLASSEN_FARBE}
    plain = [key for key, mark in marks.items() if mark is None]
    assert len(plain) <= 1, f"mehr als eine Klasse nur durch Farbe unterschieden: {plain}"
    patterned = [mark for mark in marks.values() if mark is not None]
    assert len(set(patterned)) == len(patterned)
    # classes sharing a colour (the two greys) must differ by pattern
    for a in KLASSEN_FARBE:
        for b in KLASSEN_FARBE:
            if a < b and KLASSEN_FARBE[a] == KLASSEN_FARBE[b]:
                assert marks[a] != marks[b]


def test_patterns_are_defined_and_used_for_every_patterned_class() -> None:
    assert set(KLASSEN_MUSTER) <= set(KLASSEN)
    for key in KLASSEN_MUSTER:
        assert f'id="atlas-muster-{key}"' in PATTERN_DEFS
        assert f"path.atlas-zelle-{key}{{fill:url(#atlas-muster-{key})}}" in PATTERN_CSS
