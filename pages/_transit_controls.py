"""Sidebar controls of the mode "Bus und Bahn" on the Erreichbarkeit page (only widgets; the feed and the
travel times come from :mod:`atlas.transit`). Without ``ATLAS_GTFS`` the mode is not offered and a
caption says how to add a timetable."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from atlas.accessibility.parameters import MODES
from atlas.errors import AtlasError
from atlas.transit import WOCHENTAGE
from atlas.transit import view as tv
from atlas.transit.routing import MODE_PT, Abfahrtsfenster, Fahrplan


@st.cache_resource(show_spinner="Fahrplan wird gelesen …")
def _feed(path: str, mtime: int) -> tv.FeedState:
    return tv.feed_state(path)


@st.cache_resource(show_spinner="Fahrplan des Tages wird aufbereitet …")
def _fahrplan(path: str, mtime: int, weekday: int, von: dt.time, bis: dt.time, _state: tv.FeedState) -> Fahrplan:
    assert _state.feed is not None
    return Fahrplan.for_weekday(_state.feed, weekday, Abfahrtsfenster(von, bis, 1))


def feed_state() -> tv.FeedState:
    path = tv.gtfs_path()
    if path is None or not path.is_file():
        return tv.feed_state()
    return _feed(str(path), path.stat().st_mtime_ns)


def pt_modes() -> list[str]:
    """walk, bike, car – and "pt" (Bus und Bahn) when a readable feed is configured."""
    return [*MODES, MODE_PT] if feed_state().feed is not None else list(MODES)


def pt_controls(mode: str) -> Fahrplan | None:
    """In the sidebar: without a feed a hint how to add one; for mode "pt" the feed's name and validity,
    weekday and departure window. Returns the method for "pt" (stops the page on a timetable error)."""
    state = feed_state()
    if state.feed is None:
        st.caption(state.meldung or "")
        return None
    if mode != MODE_PT:
        return None
    st.caption(f"**{state.feed.beschriftung}**")
    weekday = st.selectbox("Wochentag", range(7), index=tv.WEEKDAY_DEFAULT, format_func=WOCHENTAGE.__getitem__,
                           key="erreichbarkeit_pt_tag")
    c1, c2 = st.columns(2)
    von = c1.time_input("Abfahrt ab", dt.time(7, 0), step=900, key="erreichbarkeit_pt_von")
    bis = c2.time_input("bis", dt.time(9, 0), step=900, key="erreichbarkeit_pt_bis")
    st.caption("Standard in Minuten; Richtwert 45 min mit dem ÖPNV zur Grundversorgung (Regionalplan "
               "Südwestthüringen, Entwurf).")
    path = tv.gtfs_path()
    assert path is not None
    try:
        return _fahrplan(str(path), path.stat().st_mtime_ns, int(weekday), von, bis, state)
    except AtlasError as exc:
        st.warning(str(exc))
        st.stop()
    return None
