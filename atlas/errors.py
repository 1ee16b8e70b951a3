"""Errors with German messages meant for the people using the atlas.

Every error raised on purpose by the package derives from :class:`AtlasError`; its ``str`` is a
complete German sentence that names the file, row and field concerned where there is one.
"""

from __future__ import annotations


class AtlasError(Exception):
    """Base class: a problem the user can fix, described in German."""


class DataFileError(AtlasError):
    """A data file of the project (YAML in ``geodata/``, ``layers/``) or a source file is missing or
    malformed; the message names the file, the entry and the field. Read through :mod:`atlas.datafile`.
    The older, more specific names below are subclasses, so ``except DataFileError`` catches them all."""


class SourceError(DataFileError):
    """A source file is missing, unreadable or does not have the expected content."""


class BuildError(AtlasError):
    """The build produced data that failed validation; nothing was written."""


class LayerDefinitionError(DataFileError):
    """A file in ``layers/`` is malformed."""


class CatalogueError(DataFileError):
    """The indicator catalogue is malformed."""


class DataNotBuiltError(AtlasError):
    """The GeoPackage has not been built yet."""
