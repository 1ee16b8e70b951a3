"""Register page block: set or move an offer's point (map click, typed coordinates, pasted map link).

The small map is built once per offer and background and stays when a point is clicked or typed: only the
new point's layer is exchanged (``pages/_maps.py``), so the map neither reloads nor loses its view.

Thin: reading and checking the position is :mod:`atlas.register.position` (pure, tested); this block only
draws the widgets and returns the register changes when the editor presses "Lage speichern".
"""

from __future__ import annotations

import streamlit as st

from atlas.map_key import map_key
from atlas.placement import precision_label
from atlas.register.position import (
    PositionError,
    chosen_point,
    format_position,
    new_point_layer,
    position_base_map,
    position_changes,
)
from pages._maps import cached_groups, show_map


def position_editor(offer: dict, geo, key: str) -> dict | None:
    """The changes for a new point of *offer* once "Lage speichern" is pressed, else None."""
    with st.expander("Lage setzen oder verschieben (Karte, Koordinaten oder Kartenlink)"):
        where = format_position(float(offer["lon"]), float(offer["lat"])) if offer.get("lon") is not None else "keine"
        st.caption(f"Bisher: {where} – {precision_label(offer.get('lage_genauigkeit'))}")
        text = st.text_input("Koordinaten oder Link von OpenStreetMap / Google Maps (oder unten in die Karte klicken)",
                             key=f"{key}_pos_text", placeholder="z. B. 50.58834, 10.48473")
        online = st.checkbox("OpenStreetMap als Hintergrund (braucht Internet)", key=f"{key}_pos_online")
        clicked = st.session_state.get(f"{key}_pos_click")
        notice = st.empty()  # a refusal shows here: the map below keeps its place and is not remounted
        try:
            point = chosen_point(text, clicked)
            changes = position_changes(point[0], point[1], geo, point[2]) if point else None
        except PositionError as exc:
            notice.error(str(exc))
            point, changes = None, None
        new = point[:2] if point else None
        # the map stays (built once per offer and background); only the new point's layer is exchanged
        _, layer = cached_groups("lage-punkt", map_key(new), lambda: new_point_layer(new))
        base_key = map_key(str(offer.get("id")), offer.get("lon"), offer.get("lat"), online, geo.outline_key)
        _, out = show_map("lage", base_key, lambda: position_base_map(offer, geo, online), groups=layer, height=360,
                          width="stretch", returned_objects=["last_clicked"], key=f"{key}_pos_map")
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
