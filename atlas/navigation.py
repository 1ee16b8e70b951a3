"""The app's pages, grouped by who uses them: one list for Streamlit's navigation and the pages' previews.

``app.py`` turns every :class:`NavPage` into an ``st.Page`` and draws the sidebar from :data:`NAVIGATION`;
:mod:`atlas.page_preview` writes the same links into the sidebar of a page's static preview (plain HTML, shown
before Streamlit's frontend has loaded), :mod:`atlas.start_page` and :mod:`atlas.offer_search.preview` take
their pages' addresses from it. One list, so they never disagree. Pure data, no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavPage:
    """One page: its module, the title in the navigation, its Material icon and its address below the app."""

    module: str  #: e.g. ``pages/karte.py``
    title: str
    icon: str  #: Streamlit's ``:material/…:`` notation
    url_path: str = ""  #: "" for the start page (the app's root address)


@dataclass(frozen=True)
class NavGroup:
    """A heading of the sidebar ("" for the start page, which has none) and its pages."""

    label: str
    pages: tuple[NavPage, ...]


NAVIGATION: tuple[NavGroup, ...] = (
    NavGroup("", (NavPage("pages/start.py", "Start", ":material/home:"),)),
    NavGroup("Für Familien", (
        NavPage("pages/angebote_finden.py", "Angebote in meiner Nähe", ":material/family_restroom:",
                "angebote-finden"),
        NavPage("pages/meldung.py", "Angebot melden", ":material/feedback:", "meldung"),
    )),
    NavGroup("Planung", (
        NavPage("pages/karte.py", "Karte", ":material/map:", "karte"),
        NavPage("pages/erreichbarkeit.py", "Erreichbarkeit", ":material/directions_walk:", "erreichbarkeit"),
        NavPage("pages/oepnv.py", "Bus und Bahn", ":material/directions_bus:", "bus-und-bahn"),
    )),
    NavGroup("Kreistag", (
        NavPage("pages/indikatoren.py", "Indikatoren", ":material/bar_chart:", "indikatoren"),
        NavPage("pages/sozialraumprofil.py", "Sozialraumprofil", ":material/location_city:", "profil"),
        NavPage("pages/sitzung.py", "Sitzungsmodus", ":material/slideshow:", "sitzung"),
    )),
    NavGroup("Über die Daten", (
        NavPage("pages/quellen.py", "Daten & Quellen", ":material/description:", "quellen"),
        NavPage("pages/register_admin.py", "Register (Verwaltung)", ":material/edit_note:", "register"),
        NavPage("pages/barrierefreiheit.py", "Erklärung zur Barrierefreiheit", ":material/accessibility_new:",
                "barrierefreiheit"),
    )),
)


def page(module: str) -> NavPage:
    """The navigation's entry for *module* (``pages/karte.py``); a KeyError names a module not listed."""
    for group in NAVIGATION:
        for entry in group.pages:
            if entry.module == module:
                return entry
    raise KeyError(f"Seite {module} steht nicht in der Navigation (atlas/navigation.py).")
