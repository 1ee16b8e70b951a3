"""AppTest of the council pages (map delivery patched, pages/_maps.py: AppTest cannot run custom components)."""

from __future__ import annotations

from unittest import mock

import pytest
from streamlit.testing.v1 import AppTest

from atlas.council.profile import build_profile
from atlas.mapview import prepare_base
from tests.html_tables import html_tables

BROTTERODE = "16066074"
MEININGEN = "16066042"


@pytest.fixture()
def app_env(built, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(built.gpkg.parent))


def _run(page: str, params: dict[str, str] | None = None, clicked: dict | None = None) -> AppTest:
    with mock.patch("pages._maps.deliver", return_value=clicked or {}):
        at = AppTest.from_file(f"../pages/{page}", default_timeout=180)
        for key, value in (params or {}).items():
            at.query_params[key] = value
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _slide(at: AppTest) -> str:
    """The HTML of the slide heading (title and 'Folie n von m')."""
    return next(h.value for h in at.html if "atlas-slide-title" in h.value and "Folie " in h.value)


def test_indikatoren_page_map_caption_and_table(app_env, atlas_data):
    at = _run("indikatoren.py", {"indikator": "p_harzt"})
    assert at.title[0].value == "Indikatoren je Gemeinde"
    captions = " ".join(c.value for c in at.caption)
    assert "Pkw-Fahrzeit zur nächsten Hausarztpraxis – Quantile" in captions
    assert "Quelle: Deutschlandatlas der Bundesregierung (Stand 12.12.2024)" in captions
    assert not at.dataframe and not at.metric  # only the open tab is drawn
    # the map as text: every Gemeinde ranked in a plain table (one element, not one per cell)
    (ranked,) = html_tables(at)
    assert list(ranked.columns) == ["Rang", "Gemeinde", "Wert"] and len(ranked) == len(atlas_data.gemeinden)
    gem = atlas_data.gemeinden
    highest = set(gem.loc[gem["p_harzt"] == gem["p_harzt"].max(), "name"])
    assert ranked["Rang"].iloc[0] == "1" and ranked["Gemeinde"].iloc[0] in highest
    assert not at.table
    at.session_state["ind_tab"] = "Tabelle aller Gemeinden"  # the user opens the tab: the page reruns
    at.run()
    table = at.dataframe[-1].value
    assert len(table) == len(atlas_data.gemeinden) and "Rang: Pkw-Fahrzeit zur nächsten Hausarztpraxis" in table.columns
    assert min(table["Rang: Pkw-Fahrzeit zur nächsten Hausarztpraxis"].dropna()) == 1
    at.session_state["ind_tab"] = "Gemeinde und Kreis"
    at.run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Kreiswert (berechnet)"].endswith("Minuten")


def test_indikatoren_page_rejects_bad_manual_breaks(app_env):
    with mock.patch("pages._maps.deliver", return_value={}):
        at = AppTest.from_file("../pages/indikatoren.py", default_timeout=180)
        at.run()
        at.selectbox(key="ind_methode").set_value("manuell").run()
        at.text_input(key="ind_grenzen").input("2,5; zehn").run()
    assert at.error[0].value == ("Klassengrenze 2: 'zehn' ist keine Zahl. Grenzen bitte durch Semikolon trennen, "
                                 "z. B. 2,5; 5; 10.")


def test_profile_page_opens_the_most_populous_gemeinde_by_default(app_env, atlas_data):
    gem = atlas_data.gemeinden
    largest = gem.loc[gem["einwohner"].astype(float).idxmax()]
    at = _run("sozialraumprofil.py")
    assert at.header[0].value == largest["name"]
    assert at.query_params["gemeinde"] == str(largest["ags"])
    at = _run("sozialraumprofil.py", {"gemeinde": "99999999"})
    assert at.warning[0].value.startswith("Unbekannter Gemeindeschlüssel „99999999“")
    assert at.header[0].value == largest["name"]


def test_profile_page_shows_brotterode_with_estimates_labelled(app_env, source_kreis):
    at = _run("sozialraumprofil.py", {"gemeinde": BROTTERODE})
    assert at.header[0].value == "Brotterode-Trusetal"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Einwohner (Zensus 2022)"] == source_kreis.german(BROTTERODE)
    ages = html_tables(at)[0]  # a plain table (read aloud in full)
    assert list(ages.columns) == ["Altersgruppe (Schätzung)", "Einwohner (geschätzt)", "Anteil (%)"]
    assert ages.attrs["num"] == ["Einwohner (geschätzt)", "Anteil (%)"] and not at.table
    assert any("Altersgruppen sind geschätzt" in c.value for c in at.caption)
    assert at.query_params["gemeinde"] == BROTTERODE
    assert [b.label for b in at.get("download_button")] == ["Profil als PDF", "Karte als PNG"]


def test_profile_page_draws_only_the_open_tab(app_env, atlas_data):
    """The first view holds the reachability tab's plain tables and no sortable table; opening the rank tab
    reruns and shows every Gemeinde's ranks."""
    at = _run("sozialraumprofil.py", {"gemeinde": BROTTERODE})
    assert not at.dataframe
    profile = build_profile(atlas_data, BROTTERODE)
    reach = html_tables(at)[1]  # after the ages: the Deutschlandatlas values, one row each
    assert len(reach) == len(profile.erreichbarkeit) > 0
    assert not any("Angebote in der Gemeinde" in m.value for m in at.markdown)
    with mock.patch("pages._maps.deliver", return_value={}):
        at.session_state["profil_tab"] = "Rang unter den Gemeinden"
        at.run()
    assert not at.exception
    ranks = at.dataframe[0].value
    assert len(ranks) > 0 and len(html_tables(at)) == 1  # only the ages table stays beside the map
    with mock.patch("pages._maps.deliver", return_value={}):
        at.session_state["profil_tab"] = "Angebote"
        at.run()
    assert any("Angebote in der Gemeinde" in m.value for m in at.markdown) and not at.dataframe


def test_profile_page_opens_the_clicked_gemeinde(app_env, atlas_data):
    base = prepare_base(atlas_data)
    gem = base.frames["gemeinden"]
    point = gem[gem["ags"] == MEININGEN].geometry.iloc[0].representative_point()
    click = {"last_object_clicked": {"lat": point.y, "lng": point.x}}
    at = _run("sozialraumprofil.py", {"gemeinde": BROTTERODE}, clicked=click)
    assert at.header[0].value == "Meiningen"
    assert at.query_params["gemeinde"] == MEININGEN
    assert at.selectbox(key="profil_auswahl").value == MEININGEN


def test_sitzung_steps_through_the_prepared_deck(app_env):
    with mock.patch("pages._maps.deliver", return_value={}):
        at = AppTest.from_file("../pages/sitzung.py", default_timeout=180)
        at.query_params["sitzung"] = "beispiel"
        at.run()
        assert "Wie weit ist es zur Hausarztpraxis?" in _slide(at)
        assert "Folie 1 von 4" in _slide(at)
        assert at.button(key="sz_prev").disabled
        at.button(key="sz_next").click().run()
        assert at.query_params["nr"] == "2"
        assert "Pkw-Fahrzeit zur nächsten Grundschule" in _slide(at)
        at.button(key="sz_next").click().run()
        assert "Brotterode-Trusetal" in _slide(at) and "Folie 3 von 4" in _slide(at)
    assert not at.exception


def test_sitzung_url_form_and_bad_url(app_env):
    at = _run("sitzung.py", {"folien": "p_apo~gleiche_intervalle~3~16066042", "nr": "1"})
    assert "Pkw-Fahrzeit zur nächsten Apotheke – Meiningen" in _slide(at)
    at = _run("sitzung.py", {"folien": "p_apo~quantile~neun"})
    assert at.error[0].value == "Adresse, Folie 1: Feld 'klassen' muss eine ganze Zahl sein (war 'neun')."


def test_indikatoren_page_draws_the_two_indicators_as_one_linked_map(app_env):
    with mock.patch("pages._maps.deliver", return_value={}) as drawn:
        at = AppTest.from_file("../pages/indikatoren.py", default_timeout=180)
        at.query_params["indikator"] = "p_harzt"
        at.session_state["ind_tab"] = "Zwei Indikatoren"  # the pair is drawn only when its tab is open
        at.run()
        at.selectbox(key="ind_zweiter").set_value("p_grunds").run()
    assert not at.exception, [e.value for e in at.exception]
    maps = {call.kwargs["key"]: call.args[0] for call in drawn.call_args_list}
    assert set(maps) == {"ind_karte", "ind_paar"}  # one iframe for the pair, no separate left/right maps
    assert "map_div2" in maps["ind_paar"].script  # streamlit-folium's second map of a DualMap
    markdown = [m.value for m in at.markdown]
    assert "**Links: Pkw-Fahrzeit zur nächsten Hausarztpraxis**" in markdown
    assert "**Rechts: Pkw-Fahrzeit zur nächsten Grundschule**" in markdown
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Die beiden Karten sind gekoppelt") for c in captions)
    assert any(c.startswith("Pkw-Fahrzeit zur nächsten Grundschule – Quantile") for c in captions)
    assert sum(m.startswith("**Klassen:** ") for m in markdown) == 1  # Karte tab
    # The legends stand beside (Karte) and under the maps (one per side of the pair), never inside them.
    legends = [h.proto.body for h in at.get("html") if 'class="atlas-legend"' in h.proto.body]
    assert len(legends) == 3
    assert "<h4>Pkw-Fahrzeit zur nächsten Grundschule</h4>" in legends[2]


def test_indikatoren_page_offers_the_map_as_png_and_tagged_pdf_after_the_image_is_made(app_env):
    at = _run("indikatoren.py", {"indikator": "p_harzt"})
    assert not [b for b in at.get("download_button") if b.proto.label.startswith("Karte als PDF")]
    with mock.patch("pages._maps.deliver", return_value={}):
        at.button(key="ind_png").click().run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "PNG herunterladen" in labels and "Karte als PDF herunterladen (mit Tabelle, barrierefrei)" in labels


def test_indikatoren_second_indicator_and_gemeinde_survive_a_visit_to_another_tab(app_env, atlas_data):
    """Only the open tab is drawn; a choice made in a tab must still be there when the user comes back."""
    with mock.patch("pages._maps.deliver", return_value={}):
        at = AppTest.from_file("../pages/indikatoren.py", default_timeout=180)
        at.query_params["indikator"] = "p_harzt"
        at.session_state["ind_tab"] = "Zwei Indikatoren"
        at.run()
        chosen = "p_grunds" if at.selectbox(key="ind_zweiter").value != "p_grunds" else "p_apo"
        at.selectbox(key="ind_zweiter").set_value(chosen).run()
        at.session_state["ind_tab"] = "Gemeinde und Kreis"
        at.run()
        gemeinde = next(a for a in atlas_data.gemeinden["ags"].astype(str) if a != at.selectbox(key="ind_gemeinde").value)
        at.selectbox(key="ind_gemeinde").set_value(gemeinde).run()
        at.session_state["ind_tab"] = "Karte"
        at.run()
        at.session_state["ind_tab"] = "Zwei Indikatoren"
        at.run()
        assert at.selectbox(key="ind_zweiter").value == chosen
        at.session_state["ind_tab"] = "Gemeinde und Kreis"
        at.run()
        assert at.selectbox(key="ind_gemeinde").value == gemeinde
    assert not at.exception, [e.value for e in at.exception]


def test_profile_preview_says_what_the_page_draws(app_env, atlas_data):
    """The column beside the map in the preview of the first HTML (atlas/council/profile_view.facts_html) and
    the page's own elements for the same Gemeinde: the same name, key figures, age table and lines."""
    import html

    from atlas.council.profile_stops import stop_facts
    from atlas.council.profile_view import facts_html

    at = _run("sozialraumprofil.py", {"gemeinde": BROTTERODE})
    preview = facts_html(build_profile(atlas_data, BROTTERODE, stops=stop_facts(atlas_data)[0]))  # as the page
    assert f"<h2>{html.escape(at.header[0].value)}</h2>" in preview
    assert len(at.metric) == 3
    for metric in at.metric:
        assert f"<span>{html.escape(metric.label)}</span><strong>{html.escape(metric.value)}</strong>" in preview
    ages = next(h.value for h in at.html if "Altersgruppe (Schätzung)" in h.value)
    assert ages in preview
    lines = [m.value for m in at.markdown if m.value.startswith("**") and ":** " in m.value]
    assert len(lines) >= 3  # stations in the Gemeinde, stops and their catchment (and the nearest station)
    for line in lines:
        label, text = line[2:].split(":** ", 1)
        assert f"<p><b>{html.escape(label)}:</b> {html.escape(text)}</p>" in preview, line
