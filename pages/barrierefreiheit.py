"""Erklärung zur Barrierefreiheit (BITV 2.0 § 7)."""

from __future__ import annotations

import streamlit as st

st.title("Erklärung zur Barrierefreiheit")
st.write("Der Standortatlas soll für alle nutzbar sein – mit Tastatur, Bildschirmleser und Vergrößerung. "
         "Er ist teilweise mit der BITV 2.0 (WCAG 2.1 Stufe AA) vereinbar. Barrieren können Sie über "
         "„Angebot melden“ mitteilen.")
