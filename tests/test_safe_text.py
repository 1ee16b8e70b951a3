"""Register texts render as text only (issue 12, point 2) and spreadsheet exports cannot carry formulas
(point 3). Markdown is rendered with markdown-it-py (CommonMark, the same block rules as Streamlit's
renderer) to see what a browser would get."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from atlas.layers import PopupField
from atlas.mapview import field_html, popup_html
from atlas.offer_search import Filter, Texts, index_from_atlas, search
from atlas.offer_search.cards import card_html, details_html, print_html, unplaced_html
from atlas.safe_text import (
    markdown_text, neutralise_cell, neutralise_frame, plain_text, restore_cell, safe_url, text_html, xlsx_bytes,
)

_MD = MarkdownIt("commonmark", {"html": True})

#: A register text as an attacker would type it: blank line, then Markdown (image from a foreign server,
#: link, heading), plus zero-width and bidi characters.
HOSTILE = ("Kita Sonnenschein\n\n![x](https://evil.example/track.png)\n\n[hier klicken](https://evil.example)"
           "\n\n# Gewonnen\r\n\r\n<img src=x onerror=alert(1)>\u202egnp.exe\u200b")


def _rendered(markup: str) -> str:
    return _MD.render(markup)


def _assert_text_only(markup: str) -> None:
    out = _rendered(markup)
    assert "<img" not in out
    assert "<h1" not in out
    assert 'href="https://evil' not in out
    assert "\u202e" not in out and "\u200b" not in out


def test_markdown_renderer_shows_the_attack_on_plain_escaping() -> None:
    """The reproduction: html.escape alone is not enough inside an HTML block."""
    import html

    out = _rendered(f'<div class="of-card">{html.escape(HOSTILE)}</div>')
    assert "<img" in out and "<h1" in out


@pytest.fixture(scope="module")
def hits(atlas_data):
    index = index_from_atlas(atlas_data)
    result = search(index, 590000.0, 5620000.0, Filter(), day=date(2026, 11, 25), limit=2)
    return index, result


def test_cards_details_and_print_list_render_register_text_as_text(hits) -> None:
    index, result = hits
    hit = result.hits[0]
    evil = replace(hit.offer, record={**hit.offer.record, "name": HOSTILE, "kategorie": HOSTILE,
                                      "oeffnungszeiten": HOSTILE, "zielgruppe": HOSTILE, "traeger": HOSTILE,
                                      "strasse": HOSTILE})
    evil_hit = replace(hit, offer=evil)
    t = Texts("de")
    for markup in (card_html(evil_hit, index.themen, t), details_html(evil, t, evil_hit),
                   unplaced_html(evil, index.themen, t)):
        _assert_text_only(markup)
        assert "Kita Sonnenschein" in _rendered(markup)
    printed = print_html("Titel", "Ort", "Filter", "Methode", [evil_hit], [evil], index.themen, t, "heute",
                         ["Quelle"], "Datenschutz")
    assert "<img" not in printed and "\u202e" not in printed


def test_popups_and_field_html_render_text_only() -> None:
    fields = [PopupField(feld="name", label="Name"), PopupField(feld="website", label="Web", art="link"),
              PopupField(feld="telefon", label="Telefon", art="telefon")]
    markup = popup_html({"name": HOSTILE, "website": HOSTILE, "telefon": HOSTILE}, fields)
    _assert_text_only(f"<div>{markup}</div>")
    _assert_text_only(f"<div>{field_html(HOSTILE)}</div>")


def test_text_helpers() -> None:
    assert text_html("a\n\nb") == "a<br><br>b"
    assert text_html("<b>\u200bx\u202e") == "&lt;b&gt;x"
    assert text_html(None) == "" and text_html(float("nan")) == ""
    md = markdown_text(HOSTILE)
    assert "\n" not in md and "\\!\\[x\\]" in md and "https\\://" in md
    assert plain_text("a\x00b\u2066c") == "abc"
    assert plain_text("a\nb\tc", single_line=True) == "a b c"
    assert safe_url("javascript:alert(1)") is None and safe_url("www.meiningen.de") == "https://www.meiningen.de"


def test_mapview_still_offers_safe_url_for_existing_imports() -> None:
    from atlas import mapview

    assert mapview.safe_url is safe_url


# ------------------------------------------------------------------------------------- formulas

FORMULAS = ["=1+1", "=HYPERLINK(\"https://evil.example\",\"Klick\")", "+49 3693 1234", "-2+3", "@SUM(A1)",
            "\t=1", "\r=1"]


def test_cells_starting_with_formula_characters_are_neutralised() -> None:
    for value in FORMULAS:
        assert neutralise_cell(value) == "'" + value
    assert neutralise_cell("Kita") == "Kita"
    assert neutralise_cell(-3.5) == -3.5 and neutralise_cell(7) == 7 and neutralise_cell(None) is None
    assert neutralise_cell("'=1") == "''=1"


@given(st.text(max_size=30))
def test_neutralise_then_restore_gives_the_text_back(value: str) -> None:
    assert restore_cell(neutralise_cell(value)) == value
    out = neutralise_cell(value)
    assert not str(out).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_frame_neutralises_text_columns_only() -> None:
    frame = pd.DataFrame({"name": ["=1+1", "ok"], "wert": [-1.5, 2.0]})
    out = neutralise_frame(frame)
    assert list(out["name"]) == ["'=1+1", "ok"] and list(out["wert"]) == [-1.5, 2.0]


def test_xlsx_cells_are_text_not_formulas() -> None:
    data = xlsx_bytes(["name", "zahl"], [["=1+1", 3], ["=HYPERLINK(\"x\")", -2.5]])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet["A2"].value == "'=1+1" and sheet["A2"].data_type == "s"
    assert sheet["A3"].data_type == "s" and sheet["B3"].value == -2.5


def test_register_csv_and_xlsx_exports_are_neutralised() -> None:
    from atlas.register.exporter import to_csv, to_xlsx

    record = {"id": "T-1", "name": "=HYPERLINK(\"https://evil.example\",\"x\")", "telefon": "+49 3693 1", "lon": 10.4}
    rows = list(csv.reader(io.StringIO(to_csv([record]).decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    assert row[header.index("name")] == "'" + record["name"]
    assert row[header.index("telefon")] == "'+49 3693 1"
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx([record]))).worksheets[0]
    names = [c.value for c in sheet[1]]
    assert sheet.cell(2, names.index("name") + 1).value == "'" + record["name"]
    assert sheet.cell(2, names.index("lon") + 1).value == 10.4


def test_erreichbarkeit_cell_csv_is_neutralised() -> None:
    import geopandas as gpd
    import shapely

    from atlas.accessibility.export import cells_csv

    cells = gpd.GeoDataFrame({"grd_id": ["=1+1"], "standort_name": ["@evil"], "distanz_m": [-1.0]},
                             geometry=[shapely.box(0, 0, 1, 1)], crs="EPSG:25832")
    text = cells_csv(cells).decode("utf-8-sig")
    assert "'=1+1" in text and "'@evil" in text and ";-1,0" in text


def test_card_box_is_one_block_with_native_details():
    from atlas.offer_search.cards import card_box

    box = card_box('<div class="of-card">Kita</div>', '<dl class="of-details"></dl>', 'Mehr <b>Angaben</b> & "so"')
    assert box.startswith('<div class="of-box"><div class="of-card">Kita</div><details class="of-more"><summary>')
    assert "Mehr &lt;b&gt;Angaben&lt;/b&gt; &amp;" in box and "<b>" not in box
    assert box.endswith('<dl class="of-details"></dl></details></div>')
    assert card_box('<div class="of-card">X</div>') == '<div class="of-box"><div class="of-card">X</div></div>'
