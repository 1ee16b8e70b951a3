"""Register page block: set or move an offer's point (map click, typed coordinates, pasted map link).

Thin: reading and checking the position is :mod:`atlas.register.position` (pure, tested); this block only
draws the widgets and returns the register changes when the editor presses "Lage speichern".
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from atlas.placement import precision_label
from atlas.register.position import PositionError, chosen_point, format_position, position_changes, position_map


def position_editor(offer: dict, geo, key: str) -> dict | None:
    """The changes for a new point of *offer* once "Lage speichern" is pressed, else None."""
    with st.expander("Lage setzen oder verschieben (Karte, Koordinaten oder Kartenlink)"):
        where = format_position(float(offer["lon"]), float(offer["lat"])) if offer.get("lon") is not None else "keine"
        st.caption(f"Bisher: {where} – {precision_label(offer.get('lage_genauigkeit'))}")
        text = st.text_input("Koordinaten oder Link von OpenStreetMap / Google Maps (oder unten in die Karte klicken)",
                             key=f"{key}_pos_text", placeholder="z. B. 50.58834, 10.48473")
        online = st.checkbox("OpenStreetMap als Hintergrund (braucht Internet)", key=f"{key}_pos_online")
        clicked = st.session_state.get(f"{key}_pos_click")
        try:
            point = chosen_point(text, clicked)
            changes = position_changes(point[0], point[1], geo, point[2]) if point else None
        except PositionError as exc:
            st.error(str(exc))
            point, changes = None, None
        out = st_folium(position_map(offer, geo, point[:2] if point else None, online), height=360, width="stretch",
                        returned_objects=["last_clicked"], key=f"{key}_pos_map")
        if out and out.get("last_clicked") and out["last_clicked"] != clicked:
            st.session_state[f"{key}_pos_click"] = out["last_clicked"]
            st.rerun()
        if changes is None:
            return None
        st.write(f"Neue Lage: **{format_position(changes['lon'], changes['lat'])}** (Genauigkeit „gesetzter Punkt“)")
        if st.button("Lage speichern", key=f"{key}_pos_save", type="primary"):
            st.session_state.pop(f"{key}_pos_click", None)
            return changes
    return None
