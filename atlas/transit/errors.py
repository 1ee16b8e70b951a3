"""Errors of the timetable package (German messages naming the GTFS file, the table and the line)."""

from __future__ import annotations

from atlas.errors import AtlasError


class GtfsError(AtlasError):
    """A GTFS feed is missing, broken or incomplete; the message names the zip, the table and the line."""


class TransitError(AtlasError):
    """A timetable computation cannot be carried out as asked (no service on the date, bad window)."""
