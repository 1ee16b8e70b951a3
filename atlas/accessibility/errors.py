"""Errors of the reachability engine (German messages, derived from :class:`atlas.errors.AtlasError`)."""

from __future__ import annotations

from atlas.errors import AtlasError, DataFileError


class AccessibilityError(AtlasError):
    """A reachability computation cannot be carried out as asked."""


class NoSitesError(AccessibilityError):
    """There are no usable sites (empty category, empty table or none reachable in the network)."""


class OriginsError(AccessibilityError):
    """The origins (populated grid cells) lack a column or hold invalid values."""


class StandardsError(AccessibilityError, DataFileError):
    """``geodata/standards.yaml`` is missing or malformed."""


class NetworkError(AccessibilityError):
    """The road network cannot be read or built."""
