"""The formatter interface: a file's findings as they come, each file's end, then the run's end."""
from __future__ import annotations

from typing import Any, TextIO

from ..results import FileResult


class Formatter:
    """Writes results to a stream as a run hands them over:

    - :meth:`file` with findings of a file, all of them or a chunk (a run may
      hand one file's findings in several results for its path, in order);
    - :meth:`end_file` when that file is over: its error, its fixed count and
      any findings not handed to :meth:`file` yet;
    - :meth:`finish` once after the last file, with the run's counts.

    The one-document formats (json, sarif, junit) write the ``results`` given to
    :meth:`finish` when nothing was handed over before (a caller holding a whole
    run may hand it over in one call); the others write only what they were handed.
    """

    #: Writes (or serialises) each result as it comes, so a run may hand it
    #: findings chunk by chunk and keep none.
    streaming = False
    #: Close with a one-line count where the format has one (off with ``--quiet``).
    summary_line = True

    def __init__(self, stream: TextIO, *, color: bool = False) -> None:
        self.stream = stream
        self.color = color

    def file(self, result: FileResult) -> None:
        """Findings of a file (all, or the next chunk of them)."""

    def end_file(self, result: FileResult) -> None:
        """A file is over: ``result`` holds its error, its fixed count and the findings
        not handed to :meth:`file` (none when they were streamed)."""
        if result.findings or result.error is not None:
            self.file(result)

    def finish(self, results: list[FileResult], summary: dict[str, Any]) -> None:
        """Called once after the last file."""
