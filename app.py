"""Standortatlas – entry point. Start with ``python scripts/serve.py`` (or ``streamlit run app.py``).

Pages are listed explicitly with ``st.navigation``, grouped by who uses them; the modules live in
``pages/`` (the legacy folder scan is not used, see ``scripts/serve.py``).

Accessibility (issue 15): Streamlit's own navigation list puts ``<div>`` elements between ``<ul>`` and
``<li>``, which screen readers cannot read as a list (axe rules ``list``/``listitem``). The app therefore
hides Streamlit's list (``position="hidden"``) and draws its own navigation in the sidebar with
``st.page_link`` (real links, client-side page changes, the current page marked). Every page gets the
app-wide style, the skip link and ``<html lang="de">`` from :mod:`atlas.ui_style`.
"""

import streamlit as st

from atlas.display import german_controls_script
from atlas.ui_style import APP_CSS, page_script
from pages._common import frontend_prefetch
from pages._guard import run_guarded

st.set_page_config(page_title="Standortatlas", page_icon="🗺️", layout="wide")

PAGES: dict[str, list] = {
    "": [
        st.Page("pages/start.py", title="Start", icon=":material/home:", default=True),
    ],
    "Für Familien": [
        st.Page("pages/angebote_finden.py", title="Angebote in meiner Nähe", icon=":material/family_restroom:",
                url_path="angebote-finden"),
        st.Page("pages/meldung.py", title="Angebot melden", icon=":material/feedback:", url_path="meldung"),
    ],
    "Planung": [
        st.Page("pages/karte.py", title="Karte", icon=":material/map:", url_path="karte"),
        st.Page("pages/erreichbarkeit.py", title="Erreichbarkeit", icon=":material/directions_walk:",
                url_path="erreichbarkeit"),
        st.Page("pages/oepnv.py", title="Bus und Bahn", icon=":material/directions_bus:", url_path="bus-und-bahn"),
    ],
    "Kreistag": [
        st.Page("pages/indikatoren.py", title="Indikatoren", icon=":material/bar_chart:", url_path="indikatoren"),
        st.Page("pages/sozialraumprofil.py", title="Sozialraumprofil", icon=":material/location_city:",
                url_path="profil"),
        st.Page("pages/sitzung.py", title="Sitzungsmodus", icon=":material/slideshow:", url_path="sitzung"),
    ],
    "Über die Daten": [
        st.Page("pages/quellen.py", title="Daten & Quellen", icon=":material/description:", url_path="quellen"),
        st.Page("pages/register_admin.py", title="Register (Verwaltung)", icon=":material/edit_note:",
                url_path="register"),
        st.Page("pages/barrierefreiheit.py", title="Erklärung zur Barrierefreiheit",
                icon=":material/accessibility_new:", url_path="barrierefreiheit"),
    ],
}

navigation = st.navigation(PAGES, position="hidden")
st.html(APP_CSS)
st.html(page_script("de") + frontend_prefetch(), unsafe_allow_javascript=True)  # + the next pages' controls
st.html(german_controls_script(), unsafe_allow_javascript=True)  # Streamlit's own English control texts
with st.sidebar:
    for group, pages in PAGES.items():
        if group:
            st.html(f'<p class="atlas-nav-group" role="heading" aria-level="2">{group}</p>')
        for page in pages:
            st.page_link(page, label=page.title, icon=page.icon)
run_guarded(navigation.run)  # German message instead of a trace (pages/_guard.py)
