"""Errors of the council views (German messages, derived from :class:`atlas.errors.AtlasError`)."""

from __future__ import annotations

from atlas.errors import AtlasError, DataFileError


class CouncilError(AtlasError):
    """A choice on a council page cannot be carried out (unknown indicator, bad class breaks …)."""


class SlidesError(CouncilError, DataFileError):
    """A slide list (YAML file or URL form) is malformed; the message names file/slide and field."""
