"""Daten & Quellen: what was built from which source, with licences, and what could not be placed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas._helpers import escape_markdown
from atlas.accessibility.calibration import model_report
from atlas.council.page_model import data_date, local_time
from atlas.display import MISSING, format_number
from atlas.placement import placement_view
from atlas.indicators import load_catalogue
from atlas.sources import load_sources
from pages._common import get_data

data = get_data()
manifest = data.manifest

st.title("Daten & Quellen")
sources = load_sources()
stand = data_date(s.stand for s in sources.values())
st.markdown(
    (f"Datenstand: jüngste Quelle vom **{stand}**. " if stand else "")
    + f"Aufbereitet am {local_time(manifest['erstellt'])} für **{manifest['kreis_name']}** "
    f"(Kreisschlüssel {manifest['kreis_ags']}). Einwohner laut Zensus 2022: "
    f"**{format_number(manifest['einwohner_zensus_2022'], 0)}**"
)

rows = []
for key, source in sources.items():
    info = manifest["quellen"].get(key, {})
    rows.append({"Datensatz": source.titel, "Herausgeber": source.erzeuger, "Stand": source.stand,
                 "Lizenz": source.lizenz, "Namensnennung": source.namensnennung, "Datei": source.datei,
                 "verwendet": "ja" if info.get("verknuepft", True) else f"nein – {info.get('grund', '')}"})
st.subheader("Quellen")
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

st.subheader("Angebote: Verortung")
lage_satz, lage_tabelle = placement_view(manifest["angebote"])
st.markdown(lage_satz + f" {len(manifest['angebote']['ohne_lage'])} Angebot(e) ohne Kartenlage.")
st.dataframe(lage_tabelle, hide_index=True, width="stretch")
if manifest["angebote"]["hinweise"]:
    st.dataframe(pd.DataFrame(manifest["angebote"]["hinweise"]).rename(columns={"id": "Kennung", "hinweis": "Hinweis"}),
                 hide_index=True, width="stretch")
if manifest["angebote"]["ohne_lage"]:
    st.dataframe(pd.DataFrame(manifest["angebote"]["ohne_lage"]).rename(
        columns={"id": "Kennung", "name": "Name", "grund": "Grund"}), hide_index=True, width="stretch")

st.subheader("Indikatoren")
cat = pd.DataFrame([{"Indikator": i.label, "Handlungsfeld": i.handlungsfeld, "Ebene": i.ebene,
                     "Einheit": i.unit_label, "Bezugsjahr": MISSING if i.bezugsjahr is None else str(i.bezugsjahr),
                     "Gebietsstand": i.gebietsstand,
                     "Quelle": i.quelle, "Beleg": i.beleg} for i in load_catalogue()])
st.dataframe(cat.astype(object).where(cat.notna(), MISSING), hide_index=True, width="stretch")
st.caption("Einheiten ohne Beleg sind als 'nicht geprüft' markiert. Altersgruppen je Gemeinde sind Schätzungen.")

st.subheader("Reisezeiten und Wohnorte (Erreichbarkeit)")
for line in model_report(manifest):
    st.markdown(f"- {escape_markdown(line)}")
