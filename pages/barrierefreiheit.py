"""Erklärung zur Barrierefreiheit (BITV 2.0 § 7, ThürBITVO § 3): status, known gaps, feedback, enforcement.

The text is data (geodata/barrierefreiheit.yaml, read by atlas.accessibility_statement); feedback goes
into the register's moderation queue like every public report.
"""

from __future__ import annotations

import streamlit as st

from atlas._helpers import escape_markdown as md
from atlas.accessibility_statement import load_statement
from atlas.errors import AtlasError
from pages._report_form import render_barrier_form

PAGES = ["Start", "Angebote in meiner Nähe", "Angebot melden", "Karte", "Erreichbarkeit", "Bus und Bahn",
         "Indikatoren", "Sozialraumprofil", "Sitzungsmodus", "Daten & Quellen", "Register (Verwaltung)",
         "PDF-Datei oder Druckliste", "andere / mehrere Seiten"]

try:
    statement = load_statement()
except AtlasError as exc:
    st.error(str(exc))
    st.stop()

st.title("Erklärung zur Barrierefreiheit")
st.write("Der Landkreis möchte den Standortatlas für alle Menschen nutzbar machen – auch mit Tastatur, "
         "Bildschirmleser, Vergrößerung oder in Leichter Sprache. Diese Erklärung gilt für alle Seiten "
         "des Standortatlas und für die PDF-Dateien, die er erzeugt.")

st.header("Wie barrierefrei ist der Standortatlas?")
st.write(statement.status_text)
st.markdown(f"**Stand der Erklärung:** {md(statement.stand)}. **So wurde geprüft:** {md(statement.pruefung)}")
st.subheader("Was schon umgesetzt ist")
st.markdown("\n".join(f"- {md(item)}" for item in statement.erfuellt))

st.header("Was noch nicht barrierefrei ist")
for gap in statement.luecken:
    st.subheader(gap.bereich)
    st.write(gap.beschreibung)
    if gap.ersatz:
        st.markdown(f"**Stattdessen:** {md(gap.ersatz)}")

st.header("Barriere melden")
st.write(statement.feedback)
render_barrier_form("barriere_meldung", PAGES)

st.header("Schlichtung und Durchsetzung")
st.markdown(f"**{md(statement.durchsetzung.stelle)}**")
st.write(statement.durchsetzung.text)
st.markdown(f"Mehr dazu und Kontakt: [{md(statement.durchsetzung.url)}]({statement.durchsetzung.url})")
if statement.ueberwachung:
    st.caption(statement.ueberwachung)

st.header("Rechtsgrundlagen")
st.markdown("\n".join(f"- {md(item)}" for item in statement.rechtsgrundlagen))
