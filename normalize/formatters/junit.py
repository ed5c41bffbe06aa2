"""JUnit XML: one test case per file, failing when the file has findings (CI dashboards read it).

The ``<testsuite>`` opens with counts known only at the end: the test cases are
held until then, each finding as its line of text as it comes (not the finding),
in memory up to a few MB and in a temporary file beyond."""
from __future__ import annotations

import shutil
import tempfile
from typing import Any, TextIO
from xml.etree import ElementTree as ET

from ..results import FileResult
from .base import Formatter
from .text import record_place

#: Characters of text a spool holds in memory before it moves to a temporary file.
SPOOL_CHARS = 4 << 20
#: Stands for a failure's text while its test case is serialised around it.
_MARK = "\x00findings\x00"


def _cdata(text: str) -> str:
    """``text`` escaped as ElementTree escapes an element's text."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


class _Spool:
    """Text written in order and read back once: in memory while small, then in a
    temporary file (removed when closed)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.file: TextIO | None = None

    def write(self, text: str) -> None:
        if self.file is not None:
            self.file.write(text)
            return
        self.parts.append(text)
        self.size += len(text)
        if self.size > SPOOL_CHARS:
            self.file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")  # noqa: SIM115 (closed in close())
            self.file.write("".join(self.parts))
            self.parts = []

    def copy_to(self, stream: TextIO | _Spool) -> None:
        if self.file is None:
            stream.write("".join(self.parts))
            return
        self.file.seek(0)
        shutil.copyfileobj(self.file, stream, 1 << 16)

    def close(self) -> None:
        self.parts = []
        if self.file is not None:
            self.file.close()
            self.file = None


class JunitFormatter(Formatter):
    streaming = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cases = _Spool()     # the serialised test cases so far
        self._lines = _Spool()     # the open file's failure lines
        self._count = 0            # findings of the open file
        self.tests = self.failures = self.errors = 0

    def file(self, result: FileResult) -> None:
        for f in result.findings:
            self._lines.write(("\n" if self._count else "")
                              + _cdata(f"{result.path}:{f.line}:{f.column}:{record_place(f)} "
                                       f"{f.severity} {f.rule} {f.message}"))
            self._count += 1

    def end_file(self, result: FileResult) -> None:
        self.file(result)
        case = ET.Element("testcase", classname="mtnorm", name=result.path)
        if result.error is not None:
            ET.SubElement(case, "error", message=result.error)
            self.errors += 1
        elif self._count:
            failure = ET.SubElement(case, "failure", type="mtnorm",
                                    message=f"{self._count} finding(s)")
            failure.text = _MARK
            self.failures += 1
        ET.indent(case, level=2)
        text = ET.tostring(case, encoding="unicode")
        self._cases.write("\n    ")
        if result.error is None and self._count:
            # The mark is the case's last text: anything before it (the path
            # in the attributes too) comes first.
            head, _, tail = text.rpartition(_MARK)
            self._cases.write(head)
            self._lines.copy_to(self._cases)
            self._cases.write(tail)
        else:
            self._cases.write(text)
        self.tests += 1
        self._lines.close()
        self._count = 0

    def finish(self, results: list[FileResult], summary: dict[str, Any]) -> None:
        if not self.tests and not self._count:
            for result in results:  # handed over whole (nothing came before)
                self.end_file(result)
        self._lines.close()  # a file the run stopped in (--fail-fast) is no test case
        counts = f'tests="{self.tests}" failures="{self.failures}" errors="{self.errors}"'
        write = self.stream.write
        write(f"<?xml version='1.0' encoding='utf-8'?>\n<testsuites name=\"mtnorm\" {counts}>\n"
              f'  <testsuite name="mtnorm" {counts}')
        if self.tests:
            write(">")
            self._cases.copy_to(self.stream)
            write("\n  </testsuite>")
        else:
            write(" />")
        write("\n</testsuites>\n")
        self._cases.close()
