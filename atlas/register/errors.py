"""Errors of the offer register (German messages, see :mod:`atlas.errors`)."""

from __future__ import annotations

from atlas.errors import AtlasError, DataFileError


class RegisterError(AtlasError):
    """A register operation could not be carried out; nothing was changed."""


class ConflictError(RegisterError):
    """Someone else changed the offer since it was loaded (optimistic locking)."""


class ValidationFailed(RegisterError):
    """Rows did not pass the checks; :attr:`problems` lists every problem."""

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        self.problems = problems or []


class CategoryFileError(RegisterError, DataFileError):
    """``geodata/kategorien.yaml`` is missing or malformed."""
