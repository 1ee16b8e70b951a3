"""Start: what the atlas shows and where to begin, for each group of users.

Families come first (on a phone their entry is the first thing below the title); every link is a tap
target of at least 44 px (:data:`TAP_CSS`).
"""

from __future__ import annotations

import streamlit as st

from atlas.display import format_number
from atlas.sources import attributions
from pages._common import attribution_footer, get_data, warm_up_map_modules

#: Page links and the sidebar's navigation links as tap targets of at least 44 px (WCAG 2.5.5).
TAP_CSS = """<style>
[data-testid="stPageLink"] a, [data-testid="stPageLink-NavLink"], [data-testid="stSidebarNavLink"]{
  min-height:44px;display:flex;align-items:center;box-sizing:border-box}
.st-key-start_familien [data-testid="stPageLink"] a{font-size:1.1rem;font-weight:600}
</style>"""

data = get_data()
warm_up_map_modules()
manifest = data.manifest

st.html(TAP_CSS)
st.title(f"Standortatlas {data.kreis_name}")
with st.container(border=True, key="start_familien"):
    st.markdown("**Für Familien:** Beratung, Kita, Schule und Hilfe in Ihrer Nähe finden")
    st.page_link("pages/angebote_finden.py", label="Angebote in meiner Nähe", icon=":material/family_restroom:")
    st.page_link("pages/meldung.py", label="Angebot fehlt? Angaben falsch? Melden", icon=":material/feedback:")
st.markdown(
    "Der Standortatlas zeigt, wo im Landkreis Angebote für Familien, Kinder, Jugendliche, Ältere und "
    "Menschen in schwierigen Lebenslagen zu finden sind – und wo sie fehlen. Er gehört zur "
    "Armutspräventionsstrategie des Landkreises."
)
cols = st.columns(3)
cols[0].metric("Einwohner (Zensus 2022)", format_number(manifest["einwohner_zensus_2022"]))
cols[1].metric("Gemeinden", manifest["gemeinden_anzahl"])
cols[2].metric("Angebote im Register", manifest["angebote"]["gesamt"])

st.subheader("Für Planung und Kreistag")
planning, council = st.columns(2)
with planning:
    st.markdown("**Für die Planung**")
    st.page_link("pages/karte.py", label="Karte: Gemeinden, Angebote, Bahnhöfe", icon=":material/map:")
    st.page_link("pages/erreichbarkeit.py", label="Erreichbarkeit und Versorgungslücken",
                 icon=":material/directions_walk:")
with council:
    st.markdown("**Für den Kreistag**")
    st.page_link("pages/indikatoren.py", label="Indikatoren je Gemeinde", icon=":material/bar_chart:")
    st.page_link("pages/sozialraumprofil.py", label="Sozialraumprofil einer Gemeinde",
                 icon=":material/location_city:")
    st.page_link("pages/sitzung.py", label="Sitzungsmodus für Beamer", icon=":material/slideshow:")
st.page_link("pages/quellen.py", label="Daten & Quellen: Herkunft, Stand und Lizenzen", icon=":material/description:")
st.caption(
    "Das Angebotsregister ist ein erster Stand aus öffentlichen Quellen und noch unvollständig. "
    "Angebote sind nur ungefähr verortet (Ortsteil oder Gemeinde)."
)
attribution_footer(attributions(["gemeinden", "zensus_gemeinden", "angebote"]))
