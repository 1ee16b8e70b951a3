"""What a screen reader reads, as far as Chromium's accessibility tree shows it (issue 15, a proxy test).

Playwright's ``aria_snapshot()`` serialises the accessibility tree Chromium hands to assistive technology
(roles, accessible names, text) in document order – the order a screen-reader user reads the page in. The
tests assert that this order carries the task: on the family page, after a search, the labelled search box,
the result summary, the first result's name (a heading) and its phone number (a link), then the map's text
alternative; on the Indikatoren page the sentence under the map and the ranked Gemeinde table.

This is NOT a test with a real screen reader (NVDA, JAWS, VoiceOver): speech output, shortcuts and the
readers' own heuristics are not covered. Expected texts come from the built data through the same view-model
functions the pages use, never from today's counts.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from atlas.accessibility.calibration import travel_parameters
from atlas.offer_search import GEFUNDEN, Texts
from atlas.offer_search.share import SearchState
from atlas.offer_search import viewmodel as vm
from atlas.safe_text import contact_html
from atlas.text_alternatives import extremes_sentence, ranked_table
from atlas.ui_style import MAP_FRAME_NAME

pytestmark = pytest.mark.browser


def _lines(snapshot: str) -> list[str]:
    return [line.strip() for line in snapshot.splitlines()]


def _index(lines: list[str], predicate, after: int = -1, what: str = "") -> int:
    """Index of the first line after *after* that satisfies *predicate* (fails naming *what*)."""
    for i in range(after + 1, len(lines)):
        if predicate(lines[i]):
            return i
    raise AssertionError(f"Nicht im Barrierefreiheitsbaum (nach Zeile {after}): {what}\n" + "\n".join(lines))


def _phone_text(value: str) -> str:
    """The visible text of the first tel: link the page draws for *value*."""
    match = re.search(r'href="tel:[^"]*">([^<]+)</a>', contact_html(value, "telefon"))
    return match.group(1) if match else ""


def _family_case(atlas_data):
    """A Gemeinde the gazetteer finds, its results as the page computes them, and the first result that has a
    callable phone number (the first result itself wherever one has)."""
    gaz, index, external, _labels, stops = vm.prepare(atlas_data)
    t = Texts("de")
    fallback = None
    for name in sorted(atlas_data.gemeinden["name"].astype(str)):
        lookup = gaz.lookup(name)
        if lookup.status != GEFUNDEN:
            continue
        view = vm.results(index, lookup.place, SearchState(ort=name), t, date.today(), external,
                          travel_parameters(atlas_data.manifest), stops)
        hits = view.result.hits if view.result else ()
        callable_hits = [h for h in hits if _phone_text(h.offer["telefon"])]
        if hits and callable_hits and callable_hits[0] is hits[0]:
            return name, lookup.place, view, hits[0]
        if callable_hits and fallback is None:
            fallback = (name, lookup.place, view, callable_hits[0])
    if fallback is None:
        pytest.fail("Keine Gemeinde mit einem Angebot mit Telefonnummer unter den Ergebnissen")
    return fallback


def test_family_page_reads_search_box_summary_first_result_phone_and_map_text(app_url, desktop_page, atlas_data):
    name, place, view, hit = _family_case(atlas_data)
    t = Texts("de")
    page = desktop_page.page
    page.goto(f"{app_url}/angebote-finden")
    desktop_page.wait_for_app(timeout=60_000)
    box = page.get_by_role("textbox", name=t("wo_label"))   # found by its label, as a screen reader names it
    box.fill(name)
    box.press("Enter")
    main = page.locator("[data-testid='stMain']")
    main.get_by_text("Angebote in der Nähe von", exact=False).first.wait_for(timeout=60_000)
    desktop_page.wait_for_app(timeout=60_000)
    map_sentence = vm.map_text(place.label, view.result.hits, t).replace("\\", "")
    main.get_by_text(map_sentence[:40], exact=False).first.wait_for(timeout=60_000)

    lines = _lines(page.locator("main").aria_snapshot())
    i_box = _index(lines, lambda s: s.startswith(f'- textbox "{t("wo_label")}"'), what="Suchfeld mit Beschriftung")
    i_status = _index(lines, lambda s: s == "- status:", i_box, "Statusmeldung mit der Zusammenfassung")
    i_summary = _index(lines, lambda s: view.summary in s, i_status - 1, f"Zusammenfassung {view.summary!r}")
    assert i_summary <= i_status + 3                        # the summary is the status message's own text
    i_name = _index(lines, lambda s: s.startswith(f'- heading "{hit.offer["name"]}" [level=4]'), i_summary,
                    f"Überschrift des Ergebnisses {hit.offer['name']!r}")
    i_phone = _index(lines, lambda s: s.startswith(f'- link "{_phone_text(hit.offer["telefon"])}"'), i_name,
                     "Telefonnummer als Link")
    next_heading = _index(lines, lambda s: s.startswith("- heading "), i_name, "nächste Überschrift")
    assert i_phone < next_heading                           # the number belongs to this result, not the next
    i_map = _index(lines, lambda s: map_sentence in s, i_phone, f"Textalternative der Karte {map_sentence!r}")
    assert i_box < i_summary < i_name < i_phone < i_map
    if hit is view.result.hits[0]:                          # the nearest offer is named in the map's text too
        assert hit.offer["name"] in lines[i_map]
    # the map frame has a name that says what it is and where its content stands in words
    names = page.evaluate("[...document.querySelectorAll('iframe[title=\"streamlit_folium.st_folium\"]')]"
                          ".map(f => f.getAttribute('aria-label'))")
    assert names == [MAP_FRAME_NAME["de"]]
    assert desktop_page.errors == []


def test_indikatoren_page_reads_the_sentence_and_the_ranked_table(app_url, desktop_page, atlas_data):
    from atlas.indicators import indicator_by_id

    indicator = indicator_by_id("einwohner")
    gem = atlas_data.gemeinden
    names, values = gem["name"].astype(str).tolist(), gem[indicator.id].tolist()
    unit = indicator.einheit if indicator.einheit_geprueft else ""
    sentence = extremes_sentence(names, values, unit, what=indicator.label)
    table = ranked_table(names, values, unit)
    page = desktop_page.page
    page.goto(f"{app_url}/indikatoren?indikator={indicator.id}")
    desktop_page.wait_for_app(timeout=60_000)
    main = page.locator("[data-testid='stMain']")
    main.get_by_text(f"{indicator.label}: Höchster Wert:", exact=False).first.wait_for(timeout=60_000)
    summary = main.locator("summary", has_text="Karte als Text").first
    summary.focus()                                          # opened as a keyboard user opens it
    page.keyboard.press("Enter")
    main.locator("table").first.wait_for(timeout=10_000)
    # the long table scrolls in its box: once the expander is open, the box is a named Tab stop
    page.wait_for_function("""() => {
        const box = document.querySelector('details[open] .atlas-tabelle-box');
        return box && box.getAttribute('tabindex') === '0' && box.getAttribute('role') === 'region'; }""",
                           timeout=5_000)

    lines = _lines(page.locator("main").aria_snapshot())
    i_sentence = _index(lines, lambda s: sentence in s, what=f"Satz unter der Karte {sentence!r}")
    i_table = _index(lines, lambda s: s.startswith("- table"), i_sentence, "Rangtabelle der Gemeinden")
    i_header = _index(lines, lambda s: s.startswith('- columnheader "Gemeinde"'), i_table, "Spaltenkopf Gemeinde")
    first = table.iloc[0]
    i_first = _index(lines, lambda s: s.startswith("- row ") and f" {first['Gemeinde']} " in f"{s} "
                     and first["Wert"] in s, i_header, f"erste Zeile {first['Gemeinde']} {first['Wert']}")
    last = table.iloc[-1]
    _index(lines, lambda s: s.startswith("- row ") and last["Gemeinde"] in s, i_first, "letzte Zeile")
    assert i_sentence < i_table < i_header < i_first
    assert desktop_page.errors == []
