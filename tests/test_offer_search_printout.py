"""Cards (escaped HTML), share links, printable HTML and the PDF (selectable text, via pypdf)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from atlas.offer_search import Filter, Texts, index_from_atlas, search
from atlas.offer_search.cards import WALK_LIMIT_MIN, card_html, details_html, print_html
from atlas.offer_search.gazetteer import gazetteer_from_atlas
from atlas.offer_search.printout import build_pdf
from atlas.offer_search.share import SearchState, state_from_query
from atlas.placement import precision_text


@pytest.fixture(scope="module")
def rosa_result(atlas_data):
    index = index_from_atlas(atlas_data)
    gaz = gazetteer_from_atlas(atlas_data, address_sources=[])
    place = gaz.lookup("Rosa").place
    return index, place, search(index, place.x, place.y, Filter(themen=frozenset({"familie"})),
                                day=date(2026, 11, 25), limit=3)


def test_card_shows_contact_distance_and_approximate_note(rosa_result):
    index, _, result = rosa_result
    hit = result.hits[0]
    html = card_html(hit, index.themen, Texts("de"))
    assert hit.offer["name"] == "MGH Familienzentrum Schmalkalden"

    def hours(minutes: float) -> str:  # the expected German wording, computed independently
        total = round(minutes)
        return f"ca. {total // 60} Std. {total % 60} Min." if total >= 60 else f"ca. {total} Min."

    assert hit.weg_m >= 10_000  # from Rosa: whole kilometres
    walk = "zu weit" if hit.minuten["walk"] > WALK_LIMIT_MIN else hours(hit.minuten["walk"])
    assert (f"ca. {round(hit.weg_m / 1000)} km Weg · zu Fuß {walk} · "
            f"Fahrrad {hours(hit.minuten['bike'])} · Auto {hours(hit.minuten['car'])}") in html
    # an offer placed coarser than its street carries the one precision text (with its measured typical error)
    approx = next(h for h in result.hits if h.offer.ungefaehr)
    assert precision_text(approx.offer.record) in card_html(approx, index.themen, Texts("de"))
    assert precision_text(hit.offer.record) in html     # street level too: every card says how precise
    assert "Heute: <span class=\"of-unknown\">Öffnungszeiten unbekannt</span>" in html
    details = details_html(hit.offer, Texts("de"), hit)
    assert "Stand der Angabe" in details and "Nächster Bahnhof" in details and "Quelle" in details


def test_phone_becomes_tel_link_and_hostile_text_is_escaped(rosa_result):
    index, _, result = rosa_result
    hit = result.hits[1]
    evil = replace(hit.offer, record={**hit.offer.record, "name": "<script>alert(1)</script>",
                                      "telefon": "03693 485636", "website": "javascript:alert(1)"})
    evil_hit = replace(hit, offer=evil)
    html = card_html(evil_hit, index.themen, Texts("de"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a class="of-tel" href="tel:03693485636">03693 485636</a>' in html
    assert 'href="javascript' not in details_html(evil, Texts("de"), evil_hit)


def test_share_state_roundtrip_and_hostile_query():
    state = SearchState(ort="Rosa", themen=("familie",), gruppen=("kita_kinder",), stufenfrei=True, anzahl=20,
                        lang="en")
    query = state.to_query()
    assert query == {"ort": "Rosa", "themen": "familie", "gruppen": "kita_kinder", "stufenfrei": "1",
                     "anzahl": "20", "lang": "en"}
    back = state_from_query(query, ["familie", "kita"], ["kita_kinder"])
    assert back == state
    hostile = state_from_query({"ort": "<img src=x onerror=alert(1)>" * 20, "themen": "familie,<b>x</b>",
                                "anzahl": "9999", "lang": "fr", "punkt": "91,10"},
                               ["familie"], [])
    assert len(hostile.ort) == 100 and hostile.hinweise == ("gekuerzt",)
    assert hostile.themen == ("familie",) and hostile.anzahl == 10 and hostile.lang == "de" and hostile.punkt == ""


def test_pdf_has_selectable_text_with_contacts_and_method(rosa_result):
    index, place, result = rosa_result
    t = Texts("de")
    pdf = build_pdf("Angebote in meiner Nähe – Rosa", place.label, "Auswahl: Familie", "Methode: Luftlinie × 1,3",
                    result.hits, result.ohne_lage, index.themen, t, "Erstellt am 25.11.2026",
                    ["GeoNames (www.geonames.org), CC BY 4.0"], t("datenschutz"))
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "MGH Familienzentrum Schmalkalden" in flat
    assert "Rosa · 98590" in flat
    assert "Lage: Ortsmitte" in flat and "Stand der Angabe" in flat and "GeoNames" in flat
    assert "Ihr Suchort wird nicht gespeichert" in flat
    links = [a["/A"]["/URI"] for page in reader.pages for a in (page.get("/Annots") or [])
             if a.get_object().get("/A")]
    assert any(str(u).startswith("tel:") or str(u).startswith("http") for u in links)


def test_pdf_keeps_characters_beyond_windows_1252(rosa_result):
    index, place, result = rosa_result
    t = Texts("de")
    method = "Größe ≈ 3 km – „gut“ → Bus"  # ≈ and → were replaced in the former reportlab PDF
    pdf = build_pdf("Titel", place.label, "", method, result.hits[:1], [], index.themen, t, "", [], "")
    flat = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert method in flat


def test_print_html_is_standalone_and_escaped(rosa_result):
    index, place, result = rosa_result
    page = print_html("Titel <x>", place.label, "Auswahl", "Methode", result.hits, result.ohne_lage, index.themen,
                      Texts("en"), "Created", ["GeoNames"], "Privacy")
    assert page.startswith("<!DOCTYPE html>") and 'lang="en"' in page
    assert "Titel &lt;x&gt;" in page and "<script" not in page
    assert "MGH Familienzentrum Schmalkalden" in page and "@media print" in page
