"""Exceptions with messages a user can act on.

The CLI turns any :class:`MtnormError` into a one-line message on stderr and
exit status 2; anything else is a bug and gets a traceback.
"""
from __future__ import annotations


class MtnormError(Exception):
    """Base class of every error mtnorm reports to a user."""


class InputError(MtnormError):
    """A file or stream could not be read as text (names the path and line)."""

    def __init__(self, path: str, problem: str, line: int | None = None) -> None:
        self.path = path
        self.problem = problem
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")


class UsageError(MtnormError):
    """Bad options or configuration: unknown rule, style, language, ..."""


class DataError(MtnormError):
    """A bundled or user data file (gazetteer, style, lexicon) is malformed."""


class OutputError(MtnormError, OSError):
    """An output file could not be written (the original, if any, is untouched).

    It is also an ``OSError``, so callers that handle I/O errors keep working."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        super().__init__(f"{path}: {problem}")
