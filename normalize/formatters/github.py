"""GitHub Actions workflow commands: each finding becomes an annotation on the file."""
from __future__ import annotations

from ..findings import Severity
from ..results import FileResult
from .base import Formatter
from .text import record_place

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


class GithubFormatter(Formatter):
    streaming = True

    def file(self, result: FileResult) -> None:
        if result.error is not None:
            self.stream.write(f"::error file={_prop(result.path)}::{_data(result.error)}\n")
        for f in result.findings:
            self.stream.write(
                f"::{_LEVEL[f.severity]} file={_prop(result.path)},line={f.line},col={f.column},"
                f"title={_prop(f.rule)}::{_data(f.message + record_place(f))}\n")
