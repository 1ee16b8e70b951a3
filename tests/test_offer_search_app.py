"""The page "Angebote in meiner Nähe" in Streamlit's AppTest (map delivery patched, pages/_maps.py: a custom component)."""

from __future__ import annotations

import re
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from streamlit.testing.v1 import AppTest

from atlas import settings
from pages._maps import RenderedMap
from atlas.offer_search.extern import load_ausserhalb

APP = str(settings.PROJECT_ROOT / "app.py")
PAGE = "pages/angebote_finden.py"


@pytest.fixture()
def run_page(built, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(built.gpkg.parent))
    monkeypatch.delenv("ATLAS_ADRESSEN_CSV", raising=False)
    maps: list[RenderedMap] = []
    state = {"return": {}}

    def fake_deliver(rendered, *args, **kwargs):
        maps.append(rendered)
        return state["return"]

    def start(query: dict[str, str] | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=90)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.switch_page(PAGE)
        at.run()
        assert not at.exception, at.exception
        return at

    with mock.patch("pages._maps.deliver", side_effect=fake_deliver):
        yield start, maps, state


def expected_result(atlas_data, query: dict[str, str]):
    """What the page finds for *query*, computed through the atlas functions the page itself calls
    (:mod:`atlas.offer_search.viewmodel`) on the same build – expectations never counted from today's data."""
    from atlas.accessibility.calibration import travel_parameters
    from atlas.offer_search import viewmodel as vm
    from atlas.offer_search.i18n import Texts
    from atlas.offer_search.share import state_from_query

    gaz, index, external, _labels, stops = vm.prepare(atlas_data)
    state = state_from_query(query, [th.id for th in index.themen], [g.id for g in index.zielgruppen])
    intent = None
    if state.ort and not state.punkt:  # as the page reads a typed text or a shared link
        state, intent = vm.apply_typed(state, state.ort, index.themen, gaz)
    t = Texts(state.lang)
    place = vm.resolve_place(state, gaz, t, intent, index.themen).place
    today = datetime.now(ZoneInfo("Europe/Berlin")).date()
    view = vm.results(index, place, state, t, today, external, travel_parameters(atlas_data.manifest), stops)
    assert view.result is not None and view.result.hits
    return view.result, t("ergebnisse_anzahl", n=len(view.result.hits), gesamt=view.result.passend)


def htmls(at) -> list[str]:
    """The bodies of the page's ``st.html`` elements (the result cards, one element each)."""
    return [h.proto.body for h in at.get("html")]


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.subheader]
    parts += [w.value for w in at.warning] + [i.value for i in at.info] + htmls(at)
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts))  # drop Markdown escapes


def test_page_starts_with_privacy_note_and_an_overview_map(run_page):
    start, maps, _ = run_page
    at = start()
    assert at.title[0].value == "Angebote in meiner Nähe"
    assert any("Ihr Suchort wird nicht gespeichert und nicht protokolliert" in c.value for c in at.caption)
    assert len(maps) == 1
    html = maps[0].text
    assert "of-gemeinde" in html and "navigator.geolocation" in html
    assert "cdn" not in html.lower().replace("jsdelivr", "CDN")  # no CDN asset in the map
    assert any("GeoBasis-DE / BKG" in c.value and "GeoNames" in c.value for c in at.caption)


def test_typed_place_with_typo_lists_nearest_offers_and_updates_the_url(run_page, atlas_data):
    start, maps, _ = run_page
    at = start()
    at.text_input(key="of_ort").input("Zella Mehlis")
    at.button[0].click().run()
    assert not at.exception
    assert at.query_params["ort"] == ["Zella Mehlis"] or at.query_params["ort"] == "Zella Mehlis"
    body = texts(at)
    assert "Angebote in der Nähe von Zella-Mehlis · 98544" in body
    result, count_line = expected_result(atlas_data, {"ort": "Zella Mehlis"})
    assert count_line in body and len(result.hits) == 10  # the default number of results
    assert 'class="of-card"' in body and "Entfernungen und Zeiten sind geschätzt (ca.): Luftlinie × Umwegfaktor 1,3" \
        in body
    assert [d.label for d in at.get("download_button")] == ["PDF herunterladen", "Druckansicht (HTML) herunterladen"]
    assert "of-offer" in maps[-1].text


def test_postcode_gives_results_at_once_and_keeps_the_other_places_to_choose(run_page):
    start, _, _ = run_page
    at = start({"ort": "98617"})
    body = texts(at)
    assert "Angebote in der Nähe von Meiningen · 98617" in body     # main place of the postcode, at once
    assert 'class="of-card"' in body
    herpf = [b for b in at.button if b.label == "Herpf · 98617 · Gemeinde Meiningen"]
    assert len(herpf) == 1 and herpf[0].key.startswith("of_alt_")   # the other places stay available
    herpf[0].click().run()
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
    assert "ist kein Ort im Landkreis oder in seiner Umgebung" in body
    raw = "\n".join(w.value for w in at.warning)
    assert "<script>" not in raw and "<" not in raw.replace("\\<", "")   # shown literally, Markdown-escaped


def test_a_far_away_place_is_said_to_be_outside_not_turned_into_a_village(run_page):
    start, _, _ = run_page
    at = start()
    at.text_input(key="of_ort").input("Berlin")
    at.button[0].click().run()
    body = texts(at)
    assert "„Berlin“ ist kein Ort im Landkreis oder in seiner Umgebung" in body
    assert "Belrieth" not in " ".join(b.label for b in at.button) and 'class="of-card"' not in body


def test_need_and_place_in_one_box(run_page):
    start, _, _ = run_page
    at = start()
    at.text_input(key="of_ort").input("Kita Wasungen")
    at.button[0].click().run()
    assert not at.exception
    assert dict(at.query_params) == {"ort": ["Wasungen"], "themen": ["kita"]} or \
        {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()} == {"ort": "Wasungen",
                                                                                         "themen": "kita"}
    body = texts(at)
    assert "Angebote in der Nähe von Wasungen" in body
    cards = [b for b in htmls(at) if 'class="of-card"' in b]
    assert cards and all("Kita &amp; Kinderbetreuung" in c or "Kita & Kinderbetreuung" in c for c in cards)
    assert at.success[0].value.startswith("**") and "Angebote, nächstes" in at.success[0].value


def test_a_need_alone_asks_for_the_place(run_page):
    start, _, _ = run_page
    at = start()
    at.text_input(key="of_ort").input("Kita")
    at.button[0].click().run()
    body = texts(at)
    assert "Gesucht: Kita & Kinderbetreuung. Wo sind Sie?" in body
    themen = at.query_params["themen"]
    assert (themen[0] if isinstance(themen, list) else themen) == "kita"
    assert "kennen wir nicht" not in body


def test_debt_counselling_is_a_dead_end_with_real_offers_outside_and_by_phone(run_page):
    start, _, _ = run_page
    at = start()
    at.text_input(key="of_ort").input("Schuldnerberatung 98574")
    at.button[0].click().run()
    assert not at.exception
    body = texts(at)
    assert "Zu „Schulden & Verbraucherinsolvenz“ gibt es im Landkreis kein erfasstes Angebot" in body
    external = [b for b in htmls(at) if "of-card of-extern" in b]
    entries = load_ausserhalb()
    assert len(external) == len(entries)            # every entry of the file for this topic is shown
    assert all("Quelle" in card and "href=\"http" in card for card in external)
    assert any("Gotha" in card and "km Weg" in card for card in external)     # placed: with distance
    assert "Im Landkreis ist zu „Schulden & Verbraucherinsolvenz“ kein Angebot erfasst" in at.success[0].value


def test_open_today_counts_unknown_hours_instead_of_hiding_them(run_page, atlas_data):
    start, _, _ = run_page
    at = start({"ort": "Rosa", "heute": "1"})
    body = texts(at)
    assert "Heute geöffnet:" in body and "Öffnungszeiten im Register unbekannt" in body
    result, count_line = expected_result(atlas_data, {"ort": "Rosa", "heute": "1"})
    assert count_line in body
    assert len([b for b in htmls(at) if 'class="of-rank"' in b]) == len(result.hits)


def test_shared_link_restores_place_filters_and_language(run_page, atlas_data):
    start, _, _ = run_page
    at = start({"ort": "Rosa", "themen": "familie", "lang": "en"})
    assert at.title[0].value == "Services near me"
    body = texts(at)
    assert "Services near Rosa · 98590" in body
    result, count_line = expected_result(atlas_data, {"ort": "Rosa", "themen": "familie", "lang": "en"})
    assert count_line.startswith(f"{len(result.hits)} of {result.passend} matching services") and count_line in body
    assert result.passend < len(atlas_data.angebote)  # the topic filter of the link is applied
    assert result.hits[0].offer["name"] in body  # the nearest matching offer is listed
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


def test_point_outside_the_county_gets_a_note_and_still_results(run_page, atlas_data):
    start, _, _ = run_page
    at = start({"punkt": "50.300,10.000"})
    body = texts(at)
    assert "liegt außerhalb des Landkreises" in body
    assert expected_result(atlas_data, {"punkt": "50.300,10.000"})[1] in body


def test_low_cost_shops_topic_points_to_the_debt_topic(run_page):
    start, _, _ = run_page
    at = start({"ort": "Rosa", "themen": "geld"})
    assert "Schuldnerberatung finden Sie unter dem Thema „Schulden & Verbraucherinsolvenz“" in texts(at)


def test_english_mode_has_no_german_left_in_report_form_and_footer(run_page):
    """Issue 13 point 9: the report form and the footer speak English in English mode (German stays the default)."""
    start, _, _ = run_page
    english = start({"ort": "Rosa", "lang": "en"})
    expanders = [e.label for e in english.expander]
    assert "Service missing or details wrong? Tell us here" in expanders
    assert not any("Hier melden" in label for label in expanders)
    assert "Send report" in [b.label for b in english.button]
    captions = [c.value for c in english.caption]
    assert any(c.startswith("Sources: ") for c in captions)
    assert not any(c.startswith("Quellen:") for c in captions)
    german = start({"ort": "Rosa"})
    assert "Angebot fehlt oder Angaben falsch? Hier melden" in [e.label for e in german.expander]
    assert any(c.value.startswith("Quellen: ") for c in german.caption)
