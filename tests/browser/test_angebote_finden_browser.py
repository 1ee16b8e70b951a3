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


def _no_horizontal_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_phone_search_filter_open_and_restore_from_shared_url(app_url, phone_page):
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
    # Phone numbers are tel: links with a large tap target.
    tel = page.locator("a.of-tel").first
    assert tel.get_attribute("href").startswith("tel:")
    assert tel.bounding_box()["height"] >= 40

    # Filter a topic.
    page.locator("[data-testid='stButtonGroup'] button", has_text="Familien-, Erziehungs-").first.click()
    page.get_by_text("7 von 7 passenden Angeboten").wait_for(timeout=30_000)
    phone_page.wait_for_app()
    assert "themen=familie" in page.url and "ort=Schwallungen" in page.url

    first_card = page.locator(".of-card").first
    assert "Lage nur ungefähr" in first_card.inner_text()

    # Open a result.
    page.locator("[data-testid='stExpander'] summary", has_text="Mehr Angaben").first.click()
    details = page.locator(".of-details").first
    details.wait_for(state="visible", timeout=10_000)
    text = details.inner_text()
    assert "Stand der Angabe" in text and "Nächster Bahnhof" in text and "Quelle" in text

    # The map shows the searched place, numbered offers and their stations, from the app only.
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".of-place").first.wait_for(timeout=30_000)
    assert frame.locator(".of-offer").count() == 7
    assert frame.locator("path.of-bahnhof").count() >= 1
    _no_horizontal_scroll(page)

    # Restore from the shared URL in a fresh page.
    shared = page.url
    other = page.context.new_page()
    other.goto(shared)
    other.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000)
    other.get_by_text("7 von 7 passenden Angeboten").wait_for(timeout=30_000)
    assert other.get_by_text("Angebote in der Nähe von Schwallungen · 98590").count() == 1
    assert other.locator(".of-card .of-rank").count() == 7
    _no_horizontal_scroll(other)
    other.close()

    assert phone_page.blocked == []
    assert phone_page.errors == []


def test_phone_ambiguous_postcode_and_english(app_url, phone_page):
    page = phone_page.page
    page.goto(f"{app_url}/angebote-finden?ort=98617&lang=en")
    phone_page.wait_for_app()
    _close_first_visit_dialog(page)
    page.get_by_text("Several places match “98617”").wait_for(timeout=30_000)
    page.get_by_role("button", name="Herpf · 98617 · Gemeinde Meiningen").click()
    page.get_by_text("Services near Herpf · 98617 · Gemeinde Meiningen").wait_for(timeout=30_000)
    assert "wahl=ort%3A16066042%3Aherpf" in page.url or "wahl=ort:16066042:herpf" in page.url
    _no_horizontal_scroll(page)
    assert phone_page.blocked == []
