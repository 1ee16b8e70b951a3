"""A map page's first map in the first HTML (atlas/map_preview.py): the recorded maps, their pages and the
preview around them. The recording by a real server's warm-up is in tests/browser/test_map_preview_browser.py."""

from __future__ import annotations

import re

from atlas import map_preview as mp, preview_elements as pe
from atlas.leaflet import LEAFLET_CSS, LEAFLET_JS
from atlas.page_preview import PREVIEW_ID, WARM_UP_HEADER, warm_up_token


def _doc(marker: str = "a") -> str:
    return mp.map_document(script=f'var map_div = L.map("map_div", {{}}); /* {marker} */', header="<style>.x{}</style>",
                           css_links=[LEAFLET_CSS, "/app/static/vendor/cluster.css"],
                           js_links=[LEAFLET_JS, "/app/static/vendor/cluster.js"],
                           groups_script="map_div.addLayer(feature_group_feature_group_0);")


def test_address_ignores_the_order_of_the_query_and_slashes():
    assert mp.address("/karte/", "b=2&a=1") == mp.address("karte", "?a=1&b=2") == ("karte", "a=1&b=2")
    assert mp.address("karte", "") != mp.address("karte", "indikator=einwohner")
    assert mp.address("karte", "x=") == ("karte", "x=")  # a blank parameter is part of the address


def test_map_document_draws_the_map_as_streamlit_folium_does():
    doc = _doc()
    # Leaflet once and first, then the map's own files; the element the script draws into; the layers after the map
    assert doc.count(LEAFLET_JS) == 1 and doc.index(LEAFLET_JS) < doc.index("/app/static/vendor/cluster.js")
    assert doc.count(LEAFLET_CSS) == 1 and "/app/static/vendor/cluster.css" in doc
    assert '<div id="map_div"></div>' in doc and "<style>.x{}</style>" in doc
    assert doc.index('L.map("map_div"') < doc.index("map_div.addLayer(feature_group_feature_group_0)")
    assert doc.index("</head>") < doc.index('<div id="map_div">') and '<html lang="de"' in doc


def test_map_document_escapes_file_addresses():
    doc = mp.map_document(script="", header="", css_links=['/a"><script>alert(1)</script>'], js_links=[])
    assert "<script>alert(1)" not in doc and "&quot;&gt;&lt;script&gt;" in doc


def test_recorded_map_is_found_for_its_address_and_build_only(tmp_path):
    maps = mp.MapPreviews(tmp_path / "karten", "/app/static/_kopien/karten")
    recorded = maps.record("karte", "b=2&a=1", "v1", _doc(), 640)
    assert recorded is not None and recorded.height == 640
    assert recorded.url.startswith("/app/static/_kopien/karten/") and recorded.url.endswith(".html")
    page_file = tmp_path / "karten" / recorded.url.rsplit("/", 1)[1]
    assert page_file.read_text(encoding="utf-8") == _doc()
    assert oct(page_file.stat().st_mode & 0o777) == oct(0o644)  # readable by the server that serves it
    assert maps.lookup("karte", "a=1&b=2", "v1") == recorded
    assert maps.lookup("karte", "a=1&b=2", "v2") is None  # another data build
    assert maps.lookup("karte", "", "v1") is None  # another address
    assert maps.lookup("indikatoren", "a=1&b=2", "v1") is None


def test_same_map_is_written_once_and_a_changed_one_gets_a_new_name(tmp_path):
    maps = mp.MapPreviews(tmp_path, "/p")
    first = maps.record("karte", "", "v1", _doc("a"), 640)
    again = maps.record("karte", "", "v1", _doc("a"), 640)
    changed = maps.record("karte", "", "v2", _doc("b"), 640)
    assert first == again and changed is not None and changed.url != first.url  # a browser keeps each by its name
    assert len(list(tmp_path.glob("*.html"))) == 2 and not list(tmp_path.glob(".*"))  # no half-written files


def test_oldest_address_is_forgotten_and_its_old_files_pruned(tmp_path):
    maps = mp.MapPreviews(tmp_path, "/p", max_entries=2)
    for i in range(6):
        maps.record("karte", f"i={i}", "v1", _doc(str(i)), 500)
    assert maps.lookup("karte", "i=0", "v1") is None and maps.lookup("karte", "i=5", "v1") is not None
    assert maps.lookup("karte", "i=4", "v1") is not None
    assert len(list(tmp_path.glob("*.html"))) <= 4  # the two kept and at most as many others


def test_unwritable_folder_gives_no_preview_and_no_error(tmp_path):
    blocked = tmp_path / "datei"
    blocked.write_text("keine Ordner hier")
    maps = mp.MapPreviews(blocked / "karten", "/p")
    assert maps.record("karte", "", "v1", _doc(), 640) is None
    assert maps.lookup("karte", "", "v1") is None


def test_preview_shows_title_and_map_frame_until_streamlits_map_has_drawn():
    shown = mp.preview_html(mp.RecordedMap("/app/static/_kopien/karten/abc.html", 640), "Karte <neu>", "/atlas")
    assert f'id="{PREVIEW_ID}"' in shown and "<h1>Karte &lt;neu&gt;</h1>" in shown
    frame = re.search(r"<iframe [^>]*>", shown).group(0)
    assert 'src="/atlas/app/static/_kopien/karten/abc.html"' in frame and "height:640px" in frame
    assert f'sandbox="{mp.FRAME_SANDBOX}"' in frame and "allow-same-origin" not in frame
    # removed when Streamlit's map frame holds a drawn map (not when the frame only exists)
    assert 'data-warten-auf="iframe[title=&quot;streamlit_folium.st_folium&quot;]"' in shown
    assert 'data-im-rahmen=".leaflet-overlay-pane path, .leaflet-marker-icon"' in shown
    assert 'data-anzahl="1"' in shown


def test_page_title_comes_from_the_navigation():
    assert mp.page_title("karte") == "Karte" and mp.page_title("/profil") == "Sozialraumprofil"
    assert mp.page_title("gibt-es-nicht") == ""


def test_current_preview_only_for_a_recorded_address(tmp_path, monkeypatch):
    maps = mp.MapPreviews(tmp_path, "/app/static/_kopien/karten")
    monkeypatch.setattr(mp, "RECORDED", maps)
    monkeypatch.setattr("atlas.atlasdata.data_version", lambda: "v7")
    assert mp.current_map_preview("karte", "", "") == ""
    maps.record("karte", "", "v7", _doc(), 640)
    assert "<h1>Karte</h1>" in mp.current_map_preview("karte", "", "")
    assert mp.current_map_preview("karte", "indikator=einwohner", "") == ""
    maps.record("unbekannt", "", "v7", _doc(), 640)
    assert mp.current_map_preview("unbekannt", "", "") == ""  # not a page of the navigation


def test_the_preview_carries_the_pages_own_heading(tmp_path, monkeypatch):
    """The heading recorded with the map is the one Streamlit's page draws (the navigation's shorter name
    would make the map move when Streamlit's page replaces the preview); escaped."""
    maps = mp.MapPreviews(tmp_path, "/app/static/_kopien/karten")
    monkeypatch.setattr(mp, "RECORDED", maps)
    monkeypatch.setattr("atlas.atlasdata.data_version", lambda: "v7")
    maps.record("karte", "", "v7", _doc(), 640, title="Karte Landkreis A & B")
    shown = mp.current_map_preview("karte", "", "")
    assert "<h1>Karte Landkreis A &amp; B</h1>" in shown and "<h1>Karte</h1>" not in shown


def test_warm_up_token_is_a_secret_of_the_process():
    assert warm_up_token() == warm_up_token() and len(warm_up_token()) >= 24
    assert WARM_UP_HEADER.lower().startswith("x-")


def test_repeated_and_encoded_parameters_name_one_address(tmp_path):
    maps = mp.MapPreviews(tmp_path, "/p")
    maps.record("karte", "a=1&a=2&indikator=x%3Cy", "v1", _doc(), 640)
    assert maps.lookup("karte", "indikator=x<y&a=2&a=1", "v1") is not None
    assert maps.lookup("karte", "a=1&indikator=x%3Cy", "v1") is None


def test_preview_shows_the_pages_legend_beside_the_map_as_its_columns(tmp_path):
    maps = mp.MapPreviews(tmp_path, "/p")
    maps.record("karte", "", "v1", _doc(), 640)
    plain = maps.lookup("karte", "", "v1")
    maps.set_aside("karte", "", "v1", '<div class="atlas-legend">Klassen</div>', 0.8)
    maps.set_aside("karte", "", "v2", '<div class="atlas-legend">Klassen</div>', 0.8)  # no map there: nothing
    with_legend = maps.lookup("karte", "", "v1")
    assert plain is not None and with_legend is not None and with_legend.url == plain.url  # the same map page
    shown = mp.preview_html(with_legend, "Karte")
    assert shown.index("<iframe") < shown.index('<div class="atlas-legend">Klassen</div>')
    # Streamlit's column widths (st.columns([4, 1])), stacked on a phone
    assert "flex:1 1 calc(80.0000% - 1rem)" in shown and "flex:1 1 calc(20.0000% - 1rem)" in shown
    assert "@media (max-width:640px)" in shown
    assert "atlas-legend" not in mp.preview_html(plain, "Karte")
    assert maps.lookup("karte", "", "v2") is None


def test_lead_between_heading_and_map_keeps_the_pages_order_and_weights(tmp_path):
    """What the Indikatoren show between heading and map: caption, controls in their column weights (stacked
    on a phone), the tab bar with the first tab open – escaped, in the page's order, before the map."""
    lead = pe.lead_html("Werte <je> Gemeinde", [("Indikator", "A & B", 3), ("Klassen", "5", 1)],
                        ["Karte", "Tabelle"])
    assert lead.index("Werte &lt;je&gt; Gemeinde") < lead.index("A &amp; B") < lead.index("<span>Karte</span>")
    assert "flex:1 1 calc(75.0000% - 1rem)" in lead and "flex:1 1 calc(25.0000% - 1rem)" in lead  # as st.columns
    assert ".av-felder,.av-kennzahlen{flex-direction:column" in pe.ELEMENTS_CSS  # stacked on a phone
    maps = mp.MapPreviews(tmp_path, "/p")
    recorded = maps.record("indikatoren", "", "v1", _doc(), 620, title="Indikatoren",
                           parts=mp.PreviewParts(lead=lead, above="<p>oben</p>", below="<p>unten</p>", css=".x{}"))
    assert recorded is not None
    shown = mp.preview_html(recorded, "Indikatoren")
    assert (shown.index("<h1>Indikatoren</h1>") < shown.index(lead) < shown.index("<p>oben</p>")
            < shown.index("<iframe") < shown.index("<p>unten</p>"))
    assert ".x{}" in shown
    assert pe.lead_html("", [], []) == ""


def test_an_unrecorded_address_with_settings_of_a_map_page_is_worth_recording(tmp_path, monkeypatch):
    """A link with settings (``/profil?gemeinde=…``) of a page whose maps are recorded, with none recorded for
    it in the current build: the server has the warm-up open it. Not the page's own address, not a page
    without maps, not an address already recorded, not after it is forgotten for another build."""
    maps = mp.MapPreviews(tmp_path, "/p")
    monkeypatch.setattr(mp, "RECORDED", maps)
    monkeypatch.setattr("atlas.atlasdata.data_version", lambda: "v7")
    assert not mp.worth_recording("profil", "gemeinde=16066012")  # no map of the page recorded yet
    maps.record("profil", "", "v7", _doc(), 420)
    assert mp.worth_recording("profil", "gemeinde=16066012") and mp.worth_recording("/profil/", "?gemeinde=1")
    assert not mp.worth_recording("profil", "")  # the page's own address (the warm-up opens it anyway)
    assert not mp.worth_recording("quellen", "x=1")  # a page without maps
    maps.record("profil", "gemeinde=16066012", "v7", _doc("b"), 420)
    assert not mp.worth_recording("profil", "gemeinde=16066012")
    maps.record("profil", "gemeinde=16066012", "v6", _doc("c"), 420)
    maps.forget("profil", "gemeinde=16066012")  # every build's map of the address
    assert maps.lookup("profil", "gemeinde=16066012", "v7") is None and maps.lookup("profil", "gemeinde=16066012", "v6") is None
    assert maps.lookup("profil", "", "v7") is not None and maps.has_page("profil", "v7")
    assert not maps.has_page("profil", "v8") and not maps.has_page("karte", "v7")
