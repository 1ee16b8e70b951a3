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
from atlas.navigation import NAVIGATION
from atlas.ui_style import APP_CSS, page_script
from pages._common import frontend_prefetch
from pages._guard import run_guarded
from pages._map_preview import note_address

st.set_page_config(page_title="Standortatlas", page_icon="🗺️", layout="wide")

#: st.Page objects per sidebar group, from the one list of pages (atlas/navigation.py).
PAGES: dict[str, list] = {
    group.label: [st.Page(p.module, title=p.title, icon=p.icon, url_path=p.url_path or None,
                          default=not p.url_path) for p in group.pages]
    for group in NAVIGATION
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
note_address(navigation.url_path, st.query_params.to_dict())  # a warm-up visit records its first map
run_guarded(navigation.run)  # German message instead of a trace (pages/_guard.py)
