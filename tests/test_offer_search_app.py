"""The page "Angebote in meiner Nähe" in Streamlit's AppTest (st_folium patched: it is a custom component)."""

from __future__ import annotations

import re
from unittest import mock

import folium
import pytest
from streamlit.testing.v1 import AppTest

from atlas import settings

APP = str(settings.PROJECT_ROOT / "app.py")
PAGE = "pages/angebote_finden.py"


@pytest.fixture()
def run_page(built, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(built.gpkg.parent))
    monkeypatch.delenv("ATLAS_ADRESSEN_CSV", raising=False)
    maps: list[folium.Map] = []
    state = {"return": {}}

    def fake_st_folium(fig, *args, **kwargs):
        maps.append(fig)
        return state["return"]

    def start(query: dict[str, str] | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=90)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.switch_page(PAGE)
        at.run()
        assert not at.exception, at.exception
        return at

    with mock.patch("streamlit_folium.st_folium", side_effect=fake_st_folium):
        yield start, maps, state


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.subheader]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts))  # drop Markdown escapes


def test_page_starts_with_privacy_note_and_an_overview_map(run_page):
    start, maps, _ = run_page
    at = start()
    assert at.title[0].value == "Angebote in meiner Nähe"
    assert any("Ihr Suchort wird nicht gespeichert und nicht protokolliert" in c.value for c in at.caption)
    assert len(maps) == 1
    html = maps[0].get_root().render()
    assert "of-gemeinde" in html and "navigator.geolocation" in html
    assert "cdn" not in html.lower().replace("jsdelivr", "CDN")  # no CDN asset in the map
    assert any("GeoBasis-DE / BKG" in c.value and "GeoNames" in c.value for c in at.caption)


def test_typed_place_with_typo_lists_nearest_offers_and_updates_the_url(run_page):
    start, maps, _ = run_page
    at = start()
    at.text_input(key="of_ort").input("Zella Mehlis")
    at.button[0].click().run()
    assert not at.exception
    assert at.query_params["ort"] == ["Zella Mehlis"] or at.query_params["ort"] == "Zella Mehlis"
    body = texts(at)
    assert "Angebote in der Nähe von Zella-Mehlis · 98544" in body
    assert "10 von 178 passenden Angeboten" in body
    assert 'class="of-card"' in body and "Entfernungen und Zeiten sind geschätzt (ca.): Luftlinie × Umwegfaktor 1,3" \
        in body
    assert [d.label for d in at.get("download_button")] == ["PDF herunterladen", "Druckansicht (HTML) herunterladen"]
    assert "of-offer" in maps[-1].get_root().render()


def test_ambiguous_postcode_offers_choices_and_the_choice_is_kept_in_the_url(run_page):
    start, _, _ = run_page
    at = start({"ort": "98617"})
    assert "Mehrere Orte passen zu „98617“" in texts(at)
    labels = [b.label for b in at.button]
    assert "Herpf · 98617 · Gemeinde Meiningen" in labels
    at.button(key=f"of_wahl_{labels.index('Herpf · 98617 · Gemeinde Meiningen') - 1}").click().run()
    assert not at.exception
    assert "Angebote in der Nähe von Herpf · 98617 · Gemeinde Meiningen" in texts(at)
    wahl = at.query_params["wahl"]
    assert (wahl[0] if isinstance(wahl, list) else wahl) == "ort:16066042:herpf"


@pytest.mark.parametrize("query", ["<script>alert('x')</script>", "Xyzzyqwv", "a" * 400])
def test_bad_input_gives_a_message_not_a_stack_trace(run_page, query):
    start, _, _ = run_page
    at = start({"ort": query})
    assert not at.exception
    body = texts(at)
    assert "kennen wir nicht" in body
    raw = "\n".join(w.value for w in at.warning)
    assert "<script>" not in raw and "<" not in raw.replace("\\<", "")   # shown literally, Markdown-escaped


def test_shared_link_restores_place_filters_and_language(run_page):
    start, _, _ = run_page
    at = start({"ort": "Rosa", "themen": "familie", "lang": "en"})
    assert at.title[0].value == "Services near me"
    body = texts(at)
    assert "Services near Rosa · 98590" in body
    assert "7 of 7 matching services" in body
    assert "MGH Familienzentrum Schmalkalden" in body
    assert any(c.value.endswith("?ort=Rosa&themen=familie&lang=en") for c in at.code)


def test_map_tap_becomes_the_search_point(run_page):
    start, _, state = run_page
    at = start()
    state["return"] = {"last_clicked": {"lat": 50.71234, "lng": 10.25049}}
    at.run()
    assert not at.exception
    punkt = at.query_params["punkt"]
    assert (punkt[0] if isinstance(punkt, list) else punkt) == "50.712,10.250"
    assert "Angebote in der Nähe von Punkt auf der Karte (bei Rosa)" in texts(at)


def test_point_outside_the_county_gets_a_note_and_still_results(run_page):
    start, _, _ = run_page
    at = start({"punkt": "50.300,10.000"})
    body = texts(at)
    assert "liegt außerhalb des Landkreises" in body
    assert "10 von 178 passenden Angeboten" in body


def test_debt_topic_says_that_no_debt_counselling_is_registered(run_page):
    start, _, _ = run_page
    at = start({"ort": "Rosa", "themen": "geld"})
    assert "keine Schuldnerberatungsstelle" in texts(at).replace("Eine Schuldnerberatungsstelle im Landkreis ist im "
                                                                "Register bisher nicht erfasst",
                                                                "keine Schuldnerberatungsstelle")
