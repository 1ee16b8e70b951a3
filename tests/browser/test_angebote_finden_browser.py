"""'Angebote in meiner Nähe' on a phone (390 px, touch) in real Chromium, offline: search a village,
filter a topic, open a result, restore the search from the shared URL."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"


def _close_first_visit_dialog(page) -> None:
    """Streamlit quirk (1.67): on the first visit of a page whose url_path differs from its file name
    after the server started, the frontend shows "Page not found" although the right page runs. Close it."""
    dialog = page.locator("[role='dialog']")
    if dialog.count() and "Page not found" in dialog.first.inner_text():
        page.keyboard.press("Escape")
        dialog.first.wait_for(state="detached", timeout=10_000)


def _first_card_in_view(page, whole: bool = True, timeout: float = 10_000) -> None:
    """Wait until the first result card is inside the viewport (the page scrolls there by itself): whole, or
    (for tall cards) its head in the upper two thirds."""
    page.wait_for_function(
        """(whole) => { const c = document.querySelector('.of-card');
                   if (!c) return false; const r = c.getBoundingClientRect();
                   return r.top >= 0 && (whole ? r.bottom <= window.innerHeight : r.top <= window.innerHeight * 2 / 3); }""",
        arg=whole, timeout=timeout)


def _overlaps(boxes) -> list:
    """Pairs of round icons (bounding boxes) whose circles overlap by more than a pixel."""
    def centre(b):
        return b["x"] + b["width"] / 2, b["y"] + b["height"] / 2
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            (ax, ay), (bx, by) = centre(a), centre(b)
            if ((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5 < (a["width"] + b["width"]) / 2 - 1:
                out.append((a, b))
    return out


def _no_horizontal_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_phone_search_filter_open_and_restore_from_shared_url(app_url, phone_page, atlas_data):
    from tests.test_offer_search_app import expected_result

    # what the topic filter below must find, through the page's own view-model on the same build
    family, family_line = expected_result(atlas_data, {"ort": "Schwallungen", "themen": "familie"})
    shown = len(family.hits)
    family_count = family_line.split(",")[0]  # "7 von 7 passenden Angeboten"
    page = phone_page.page
    page.goto(f"{app_url}/angebote-finden")
    phone_page.wait_for_app()
    _close_first_visit_dialog(page)
    page.get_by_text("Ihr Suchort wird nicht gespeichert").wait_for()

    # Search a village.
    page.get_by_label("Ort, Ortsteil, Gemeinde oder Postleitzahl").fill("Schwallungen")
    search_button = page.get_by_role("button", name="Suchen")
    box = search_button.bounding_box()
    assert box["height"] >= 40 and box["width"] >= 300           # large tap target
    search_button.click()
    page.get_by_text("Angebote in der Nähe von Schwallungen · 98590").wait_for(timeout=30_000)
    phone_page.wait_for_app()
    assert page.locator(".of-card .of-rank").count() == 10
    # The answer is where the eye is: a summary under the search, then the list scrolled into view.
    assert page.get_by_text("10 Angebote, nächstes").count() == 1
    _first_card_in_view(page)
    # Phone numbers are tel: links with a large tap target.
    tel = page.locator("a.of-tel").first
    assert tel.get_attribute("href").startswith("tel:")
    assert tel.bounding_box()["height"] >= 40

    # Filter a topic.
    page.locator("[data-testid='stButtonGroup'] button", has_text="Familien-, Erziehungs-").first.click()
    page.get_by_text(family_count).wait_for(timeout=30_000)
    phone_page.wait_for_app()
    assert "themen=familie" in page.url and "ort=Schwallungen" in page.url

    first_card = page.locator(".of-card").first
    assert "Lage: " in first_card.inner_text()  # every card: the one precision text (placement.precision_text)

    # Open a result: its "Mehr Angaben" is a tap target of at least 44 px, closed until tapped.
    more = page.locator(".of-box details.of-more summary", has_text="Mehr Angaben").first
    assert more.bounding_box()["height"] >= 44
    details = page.locator(".of-details").first
    assert not details.is_visible()
    more.click()
    details.wait_for(state="visible", timeout=10_000)
    text = details.inner_text()
    assert "Stand der Angabe" in text and "Nächster Bahnhof" in text and "Quelle" in text

    # The map shows the searched place, numbered offers and their stations, from the app only.
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".of-place").first.wait_for(timeout=30_000)
    assert frame.locator(".of-offer").count() == shown
    assert frame.locator("path.of-bahnhof").count() >= 1
    # Numbered markers never hide each other or the search point (several offers share one Ortslage).
    frame.locator(".of-offer[data-moved]").first.wait_for(state="attached", timeout=10_000)
    page.wait_for_timeout(500)
    boxes = [frame.locator(".of-num").nth(i).bounding_box() for i in range(shown)]
    boxes.append(frame.locator(".of-here").first.bounding_box())
    assert all(boxes) and _overlaps(boxes) == []
    # Place names without a tile server; map buttons are large enough to tap.
    assert frame.locator(".of-label").count() >= 3
    assert "Schwallungen" in " ".join(frame.locator(".of-label").all_inner_texts())
    for button in (frame.locator(".leaflet-control-zoom-in"), frame.locator(".of-locate a")):
        box = button.first.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
    pill = page.locator("[data-testid='stButtonGroup'] button").first.bounding_box()
    assert pill["height"] >= 44
    _no_horizontal_scroll(page)

    # Restore from the shared URL in a fresh page.
    shared = page.url
    other = page.context.new_page()
    other.goto(shared)
    other.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000)
    other.wait_for_selector("#atlas-vorschau", state="detached", timeout=30_000)  # Streamlit's page, not the preview
    other.get_by_text(family_count).wait_for(timeout=30_000)
    assert other.get_by_text("Angebote in der Nähe von Schwallungen · 98590").count() == 1
    other.locator(".of-card .of-rank").nth(shown - 1).wait_for(timeout=30_000)  # the cards follow the summary
    assert other.locator(".of-card .of-rank").count() == shown
    _first_card_in_view(other)          # a shared link opens at the results
    _no_horizontal_scroll(other)
    other.close()

    assert phone_page.blocked == []
    assert phone_page.errors == []


def test_phone_postcode_gives_results_at_once_and_english(app_url, phone_page):
    page = phone_page.page
    page.goto(f"{app_url}/angebote-finden?ort=98617&lang=en")
    phone_page.wait_for_app()
    _close_first_visit_dialog(page)
    page.get_by_text("Services near Meiningen · 98617").wait_for(timeout=30_000)
    _first_card_in_view(page)
    page.locator("[data-testid='stExpander'] summary", has_text="Other places with postcode 98617").click()
    page.get_by_role("button", name="Herpf · 98617 · Gemeinde Meiningen").click()
    page.get_by_text("Services near Herpf · 98617 · Gemeinde Meiningen").wait_for(timeout=30_000)
    assert "wahl=ort%3A16066042%3Aherpf" in page.url or "wahl=ort:16066042:herpf" in page.url
    _no_horizontal_scroll(page)
    assert phone_page.blocked == []


def test_phone_need_and_place_typed_together_and_debt_dead_end(app_url, phone_page):
    page = phone_page.page
    page.goto(f"{app_url}/angebote-finden")
    phone_page.wait_for_app()
    _close_first_visit_dialog(page)
    page.get_by_label("Ort, Ortsteil, Gemeinde oder Postleitzahl").fill("Schuldnerberatung 98574")
    page.get_by_role("button", name="Suchen").click()
    page.get_by_text("gibt es im Landkreis kein erfasstes Angebot").first.wait_for(timeout=30_000)
    phone_page.wait_for_app()
    assert "themen=schulden" in page.url and "ort=98574" in page.url
    cards = page.locator(".of-extern")
    assert cards.count() >= 3
    assert all("Quelle" in text for text in cards.all_inner_texts())
    _first_card_in_view(page, whole=False)
    _no_horizontal_scroll(page)
    assert phone_page.blocked == [] and phone_page.errors == []


def test_phone_start_page_leads_with_families(app_url, phone_page):
    page = phone_page.page
    page.goto(app_url)
    phone_page.wait_for_app()
    first_link = page.locator("[data-testid='stMain'] [data-testid='stPageLink'] a").first
    assert "Angebote in meiner Nähe" in first_link.inner_text()
    box = first_link.bounding_box()
    assert box["y"] + box["height"] <= 844 and box["height"] >= 44
    # Menu links (sidebar navigation and page links) are tap targets of at least 44 px.
    links = page.locator("[data-testid='stPageLink-NavLink'], [data-testid='stPageLink'] a")
    heights = [links.nth(i).bounding_box() for i in range(links.count())]
    assert heights and all(h is None or h["height"] >= 44 for h in heights)


def test_phone_map_tap_answers_in_view(app_url, phone_page):
    page = phone_page.page
    page.goto(f"{app_url}/angebote-finden")
    phone_page.wait_for_app()
    _close_first_visit_dialog(page)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-container").first.wait_for(timeout=30_000)
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)   # tap the county's middle
    page.get_by_text("Angebote in der Nähe von Punkt auf der Karte").wait_for(timeout=30_000)
    assert "punkt=" in page.url
    _first_card_in_view(page)
    assert phone_page.errors == []
