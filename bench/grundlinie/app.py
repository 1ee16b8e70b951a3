"""Floor of the stack for ``bench/bench_pages.py --grundlinie``: the smallest Streamlit app with the atlas's
frontend choices – the same ``.streamlit/config.toml``, multi-page navigation, and a map drawn exactly as the
atlas draws one (``atlas.leaflet.offline_map``, locally served Leaflet, streamlit-folium) but with a single
rectangle instead of the county's data. The time its pages need is what Streamlit, streamlit-folium and Leaflet
cost on this machine before the atlas adds anything; no page of the atlas can be faster.

Run by the benchmark (``streamlit run bench/grundlinie/app.py`` from the repository root, so that the root's
``.streamlit/config.toml`` applies; ``static`` here links to the atlas's ``static`` folder).
"""

from __future__ import annotations

import folium
import streamlit as st
from streamlit_folium import st_folium

from atlas.leaflet import offline_map

#: A rectangle around the county's extent (south, west, north, east; WGS84) – no data of the atlas.
BOUNDS = (50.45, 10.15, 50.85, 10.75)


def start() -> None:
    st.title("Standortatlas")


def karte() -> None:
    st.title("Karte")
    south, west, north, east = BOUNDS
    m = offline_map(BOUNDS)
    box = {"type": "Feature", "properties": {},
           "geometry": {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north],
                                                            [west, north], [west, south]]]}}
    folium.GeoJson(box, style_function=lambda _: {"className": "atlas-gemeinden"}).add_to(m)
    st_folium(m, height=500, use_container_width=True, returned_objects=[])


st.navigation([st.Page(start, title="Start", default=True), st.Page(karte, title="Karte", url_path="karte")]).run()
