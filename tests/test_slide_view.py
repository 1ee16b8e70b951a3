"""The Sitzungsmodus's slide as its page and its preview show it (atlas/council/slide_view.py): the title row,
the links to the neighbouring slides, a frame without the sidebar, a style that stays inside the preview."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from atlas import map_preview as mp
from atlas.council import slide_view as sv
from atlas.page_preview import PREVIEW_ID


def _links(parts: mp.PreviewParts) -> dict[str, str]:
    return {rel: href.replace("&amp;", "&") for rel, href in re.findall(r'rel="(\w+)" href="([^"]+)"', parts.lead)}


def test_the_first_slide_links_on_to_the_second_and_cannot_go_back():
    parts = sv.preview_parts("Ärzte <je> 1.000", 1, 3, "Sitzung & Rat", {"sitzung": "rat"})
    assert _links(parts) == {"next": "?sitzung=rat&nr=2"}
    assert f'<span class="av-knopf" aria-disabled="true">{sv.PREV_LABEL}</span>' in parts.lead
    assert "Ärzte &lt;je&gt; 1.000" in parts.lead and "<je>" not in parts.lead  # escaped
    assert "Folie 1 von 3 · Sitzung &amp; Rat" in parts.lead
    assert sv.EXPANDER_LABEL in parts.lead and f'href="{sv.END_HREF}"' in parts.lead  # the way back
    assert parts.own_layout


def test_a_slide_in_the_middle_links_both_ways_keeping_the_sessions_address():
    query = {"folien": "p_harzt~quantile~5,p_grunds~quantile~4", "titel": "Kreistag", "nr": "2"}
    links = _links(sv.preview_parts("Grundschule", 2, 3, "Kreistag", query))
    assert {rel: dict(parse_qsl(href.removeprefix("?"))) for rel, href in links.items()} == {
        "prev": {**query, "nr": "1"}, "next": {**query, "nr": "3"}}
    last = sv.preview_parts("Grundschule", 3, 3, "Kreistag", query)
    assert set(_links(last)) == {"prev"} and f'aria-disabled="true">{sv.NEXT_LABEL}</span>' in last.lead


def test_the_title_row_keeps_streamlits_column_widths():
    lead = sv.preview_parts("Titel", 2, 3, "Rat", {"sitzung": "rat"}).lead
    total = sum(sv.NAV_WEIGHTS)
    widths = re.findall(r"flex:1 1 calc\(([\d.]+)% - 1rem\)", lead)
    assert [round(float(w), 2) for w in widths] == [round(100 * w / total, 2) for w in sv.NAV_WEIGHTS]


def test_slide_heading_names_the_gemeinde_it_zooms_to():
    assert sv.slide_heading("Hausärzte", None) == "Hausärzte"
    assert sv.slide_heading("Hausärzte", "Wasungen") == "Hausärzte – Wasungen"


def test_the_preview_has_the_sessions_own_frame_without_sidebar_or_page_heading(tmp_path):
    maps = mp.MapPreviews(tmp_path, "/p")
    parts = sv.preview_parts("Hausärzte", 1, 2, "Rat", {"sitzung": "rat"})
    maps.record("sitzung", "sitzung=rat", "v1", "<!doctype html><html></html>", 700, "Hausärzte", parts)
    maps.set_aside("sitzung", "sitzung=rat", "v1", '<div class="atlas-legend">Klassen</div>', sv.MAP_SHARE)
    recorded = maps.lookup("sitzung", "sitzung=rat", "v1")
    assert recorded is not None
    shown = mp.preview_html(recorded, recorded.title)
    assert "<h1>" not in shown and 'class="av-side"' not in shown  # no page heading, no sidebar
    assert shown.index('data-testid="atlas-slide-title"') < shown.index("<iframe") < shown.index("Klassen")
    # the page with a sidebar, for comparison
    plain = mp.preview_html(mp.RecordedMap("/p/x.html", 600, "Karte"), "Karte")
    assert "<h1>Karte</h1>" in plain and 'class="av-side"' in plain


def test_the_previews_style_stays_inside_the_preview():
    """The preview's style stays in the page after the preview is removed: none of its rules may touch
    Streamlit's own page (the page has its own, ``PRESENTATION_CSS``)."""
    rules = [r.strip() for r in re.findall(r"(?:^|})\s*([^{}@]+)\{", sv.PREVIEW_CSS.replace("@media (max-width:640px){", ""))]
    assert len(rules) >= 10
    for selector in rules:
        assert all(part.strip().startswith(f"#{PREVIEW_ID} ") for part in selector.split(",")), selector
