"""Standortatlas – entry point: ``streamlit run app.py``.

Pages are listed explicitly with ``st.navigation`` (the legacy ``pages/`` auto-discovery is off).
"""

import streamlit as st

st.set_page_config(page_title="Standortatlas", page_icon="🗺️", layout="wide")

navigation = st.navigation([
    st.Page("pages/start.py", title="Start", icon=":material/home:", default=True),
    st.Page("pages/karte.py", title="Karte", icon=":material/map:", url_path="karte"),
    st.Page("pages/quellen.py", title="Daten & Quellen", icon=":material/description:", url_path="quellen"),
])
navigation.run()
