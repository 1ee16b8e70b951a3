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


def test_html_table_is_a_plain_escaped_german_table():
    from atlas.display import TABLE_BOX_CLASS, html_table
    from tests.html_tables import parse_tables

    frame = pd.DataFrame({
        "Rang": pd.array([1, None], dtype="Int64"),
        "Gemeinde": ['<img src=x onerror="alert(1)">', "Wasungen & Umland"],
        "Einwohner": [12345, 678],
        "Anteil (%)": [5.6789, np.nan],
        "a<b": ["x", "y"],
    }, index=[7, 3])
    html = html_table(frame)
    assert html.startswith(f'<div class="{TABLE_BOX_CLASS}">')
    # nothing from a cell or a header becomes markup
    assert "<img" not in html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    assert "a&lt;b" in html and "Wasungen &amp; Umland" in html
    (table,) = parse_tables(html)
    assert list(table.columns) == ["Rang", "Gemeinde", "Einwohner", "Anteil (%)", "a<b"]  # no index column
    assert table.to_dict("records") == [
        {"Rang": "1", "Gemeinde": '<img src=x onerror="alert(1)">', "Einwohner": "12.345", "Anteil (%)": "5,68",
         "a<b": "x"},
        {"Rang": "–", "Gemeinde": "Wasungen & Umland", "Einwohner": "678", "Anteil (%)": "–", "a<b": "y"},
    ]
    assert table.attrs["num"] == ["Rang", "Einwohner", "Anteil (%)"]  # right-aligned; text stays left
    assert frame["Einwohner"].tolist() == [12345, 678] and frame.index.tolist() == [7, 3]  # source unchanged


def test_html_table_follows_german_frame_decimals():
    from atlas.display import html_table
    from tests.html_tables import parse_tables

    (table,) = parse_tables(html_table(pd.DataFrame({"km": [1.0, 12.3456]}), decimals={"km": 1}))
    assert table["km"].tolist() == ["1,0", "12,3"]


def test_html_table_full_height_box():
    from atlas.display import TABLE_BOX_CLASS, TABLE_FULL_CLASS, html_table

    frame = pd.DataFrame({"a": [1]})
    assert html_table(frame).startswith(f'<div class="{TABLE_BOX_CLASS}">')
    assert html_table(frame, full_height=True).startswith(f'<div class="{TABLE_BOX_CLASS} {TABLE_FULL_CLASS}">')
