"""Public transport from a GTFS timetable: reading a feed, earliest-arrival travel times.

* :mod:`.feed` – read and check a GTFS zip (German errors naming file, table and line);
* :mod:`.timetable` – the time-expanded graph of one service day (scipy.sparse);
* :mod:`.routing` – :class:`Fahrplan`, a reachability method ("Bus und Bahn") for the engine in
  :mod:`atlas.accessibility`: travel time from every origin to the nearest site, for a date and a
  departure window, with walking access and egress.

No Streamlit here.
"""

from atlas.transit.errors import GtfsError, TransitError
from atlas.transit.feed import WOCHENTAGE, Feed, read_feed

__all__ = ["WOCHENTAGE", "Feed", "GtfsError", "TransitError", "read_feed"]
