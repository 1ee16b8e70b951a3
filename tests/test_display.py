"""German number formatting of tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from atlas.display import german_frame, german_number


def test_german_number():
    assert german_number(4.0404) == "4,04"
    assert german_number(13.23) == "13,2"
    assert german_number(121525) == "121.525"
    assert german_number(-0.8404, 1) == "-0,8"
    assert german_number(np.nan) == "–"
    assert german_number(None) == "–"
    assert german_number("Minuten") == "Minuten"
    assert german_number(True) == "ja"


def test_german_frame_keeps_ranks_numeric():
    frame = pd.DataFrame({"Gemeinde": ["A", "B"], "Wert": [3.2, np.nan], "Rang": [1, 2],
                          "Einwohner": [24133, 165]})
    out = german_frame(frame, decimals={"Wert": 1})
    assert list(out["Wert"]) == ["3,2", "–"]
    assert list(out["Rang"]) == [1, 2] and pd.api.types.is_integer_dtype(out["Rang"])
    assert list(out["Einwohner"]) == ["24.133", "165"]
    assert list(out["Gemeinde"]) == ["A", "B"]
    assert frame["Wert"].iloc[0] == 3.2  # input unchanged
