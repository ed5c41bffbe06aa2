"""The formatter interface: called once per file, then once at the end."""
from __future__ import annotations

from typing import Any, TextIO

from ..results import FileResult


class Formatter:
    """Writes results to a stream. Streaming formats write in :meth:`file`."""

    #: Writes each result as it comes (in :meth:`file`), so a run may hand it
    #: findings chunk by chunk (several results for one path) and keep none.
    streaming = False
    #: Close with a one-line count where the format has one (off with ``--quiet``).
    summary_line = True

    def __init__(self, stream: TextIO, *, color: bool = False) -> None:
        self.stream = stream
        self.color = color

    def file(self, result: FileResult) -> None:
        """Called once per checked file, in input order."""

    def finish(self, results: list[FileResult], summary: dict[str, Any]) -> None:
        """Called once after the last file."""
