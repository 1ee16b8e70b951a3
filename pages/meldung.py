"""Public page: report a missing offer or wrong details (moderation queue, no admin functions)."""

from __future__ import annotations

import streamlit as st

from pages._common import attribution_footer
from pages._report_form import render_report_form

st.title("Angebot melden")
st.write("Fehlt ein Angebot im Standortatlas, oder stimmen Adresse, Telefon oder Öffnungszeiten nicht? "
         "Schreiben Sie uns – wir prüfen jede Meldung.")
render_report_form("meldung_seite")
attribution_footer(["Angebotsregister: eigene Zusammenstellung aus öffentlichen Quellen (siehe quelle_url)"])
