"""Streamlit's elements as plain HTML for the previews (atlas/preview_elements.py): the same texts, escaped,
in the page's order, with Streamlit's column widths."""

from __future__ import annotations

import re

from atlas import preview_elements as pe


def test_markdown_as_streamlit_renders_it_and_raw_html_escaped():
    assert pe.markdown_html("**Verfahren: Luftlinie** (Schätzung)") == \
        "<p><strong>Verfahren: Luftlinie</strong> (Schätzung)</p>"
    assert pe.markdown_html(r"Daten \& Quellen, 1\. Klasse") == "<p>Daten &amp; Quellen, 1. Klasse</p>"
    shown = pe.markdown_html('<script>alert(1)</script> und <b onclick="x">fett</b>')
    assert "<script>" not in shown and "<b " not in shown and "&lt;script&gt;" in shown
    assert pe.markdown_html("Erster Absatz.\n\nZweiter Absatz.") == "<p>Erster Absatz.</p>\n<p>Zweiter Absatz.</p>"


def test_column_widths_as_st_columns_gives_them():
    assert pe.column_style(3, [3, 1]) == "flex:1 1 calc(75.0000% - 1rem)"
    assert pe.column_style(1, [1, 1, 1]) == "flex:1 1 calc(33.3333% - 1rem)"


def test_a_row_of_controls_in_streamlits_column_widths():
    row = pe.fields_html([("Indikator <x>", "A & B", 3), ("Klassen", "5", 1)])
    assert row.index("<span>Indikator &lt;x&gt;</span><div>A &amp; B</div>") < row.index("<span>Klassen</span>")
    assert re.findall(r"calc\(([\d.]+)%", row) == ["75.0000", "25.0000"]
    assert pe.fields_html([]) == ""


def test_key_figures_in_equal_columns_with_their_change():
    shown = pe.metrics_html([("Einwohner jenseits", "64.573", None), ("Anteil", "53,3 %", "-1,2 Prozentpunkte")])
    assert re.findall(r"<span>(.*?)</span><strong>(.*?)</strong>", shown) == [
        ("Einwohner jenseits", "64.573"), ("Anteil", "53,3 %")]
    assert shown.count("<em>") == 1 and "<em>-1,2 Prozentpunkte</em>" in shown
    assert shown.count("calc(50.0000% - 1rem)") == 2
    assert pe.metrics_html([]) == ""


def test_blocks_keep_the_pages_order_and_an_unknown_alert_is_a_notice():
    blocks = [pe.Caption("Frage?"), pe.Alert("warning", "**Achtung**"), pe.Metrics((("Einwohner", "10", None),)),
              pe.Alert("balloons", "x")]
    shown = pe.blocks_html(blocks)
    assert (shown.index('<div class="av-vorspann"><p>Frage?</p></div>')
            < shown.index('<div class="av-hinweis av-warning"><p><strong>Achtung</strong></p></div>')
            < shown.index("<strong>10</strong>")
            < shown.index('<div class="av-hinweis av-info"><p>x</p></div>'))


def test_every_alert_kind_has_its_colours():
    for kind in pe.ALERT_KINDS:
        assert f".av-{kind}{{background:" in pe.ELEMENTS_CSS


def test_a_tab_bar_and_a_caption_beside_its_button():
    shown = pe.blocks_html([pe.Tabs(("Haltestelle <in> Gehweite", "Fahrplan")),
                            pe.CaptionButton("Klicken Sie in die **Karte**", "Entfernen & neu")])
    assert shown.index("<span>Haltestelle &lt;in&gt; Gehweite</span><span>Fahrplan</span>") \
        < shown.index("<p>Klicken Sie in die <strong>Karte</strong></p>") < shown.index("<span>Entfernen &amp; neu</span>")
    assert re.findall(r"calc\(([\d.]+)%", shown) == ["75.0000", "25.0000"]  # st.columns([3, 1])
