"""The documented JSON document: ``{"version", "files": [...], "summary"}``, written as findings come."""
from __future__ import annotations

import json
from typing import Any

from ..results import FileResult
from .base import Formatter


def dumps(value: Any, depth: int) -> str:
    """``value`` as ``json.dump(..., ensure_ascii=False, indent=2)`` writes it ``depth``
    levels deep in a document (its first line not indented)."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    # Strings hold no raw line breaks (JSON escapes them): every one is the layout's.
    return text.replace("\n", "\n" + "  " * depth) if depth else text


class JsonFormatter(Formatter):
    """The document of :func:`normalize.checker.json_report` (the desk's /api/check answers
    it too), byte for byte as ``json.dump(json_report(results, summary), indent=2)``
    prints it, but written piece by piece: each finding as it comes (its
    :meth:`~normalize.findings.Finding.to_dict`), each file's error and fixed
    count when it ends, the run's counts at the end. Nothing is held."""

    streaming = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._files = 0          # file entries begun
        self._open = False       # an entry is waiting for its file's end
        self._findings = 0       # findings written in the open entry

    @staticmethod
    def _head() -> str:
        from .. import __version__

        return '{\n  "version": ' + dumps(__version__, 1) + ',\n  "files": '

    def _begin(self, result: FileResult) -> None:
        write = self.stream.write
        if not self._files:
            write(self._head() + "[")
        write((",\n    {\n" if self._files else "\n    {\n")
              + f'      "path": {dumps(result.path, 3)},\n'
              f'      "lang": {dumps(result.lang, 3)},\n'
              f'      "style": {dumps(result.style, 3)},\n'
              '      "findings": [')
        self._files += 1
        self._open = True
        self._findings = 0

    def file(self, result: FileResult) -> None:
        if not self._open:
            self._begin(result)
        write = self.stream.write
        for f in result.findings:
            write((",\n        " if self._findings else "\n        ") + dumps(f.to_dict(), 4))
            self._findings += 1

    def end_file(self, result: FileResult) -> None:
        self.file(result)
        self._close(result.error, result.fixed)

    def _close(self, error: str | None, fixed: int) -> None:
        write = self.stream.write
        write("\n      ]" if self._findings else "]")
        if error is not None:
            write(',\n      "error": ' + dumps(error, 3))
        if fixed:
            write(',\n      "fixed": ' + dumps(fixed, 3))
        write("\n    }")
        self._open = False

    def finish(self, results: list[FileResult], summary: dict[str, Any]) -> None:
        if not self._files:
            for result in results:  # handed over whole (nothing came before)
                self.end_file(result)
        if self._open:  # a run stopped in a file (--fail-fast): what it found is listed
            self._close(None, 0)
        if not self._files:
            self.stream.write(self._head() + "[]")
        else:
            self.stream.write("\n  ]")
        self.stream.write(',\n  "summary": ' + dumps(summary, 1) + "\n}\n")
