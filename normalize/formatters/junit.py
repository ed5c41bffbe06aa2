"""JUnit XML: one test case per file, failing when the file has findings (CI dashboards read it)."""
from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from ..results import FileResult
from .base import Formatter
from .text import record_place


class JunitFormatter(Formatter):
    def finish(self, results: list[FileResult], summary: dict[str, Any]) -> None:
        failures = sum(1 for r in results if r.findings and r.error is None)
        errors = sum(1 for r in results if r.error is not None)
        suites = ET.Element("testsuites", name="mtnorm", tests=str(len(results)),
                            failures=str(failures), errors=str(errors))
        suite = ET.SubElement(suites, "testsuite", name="mtnorm", tests=str(len(results)),
                              failures=str(failures), errors=str(errors))
        for result in results:
            case = ET.SubElement(suite, "testcase", classname="mtnorm", name=result.path)
            if result.error is not None:
                ET.SubElement(case, "error", message=result.error)
            elif result.findings:
                lines = [f"{result.path}:{f.line}:{f.column}:{record_place(f)} {f.severity} {f.rule} "
                         f"{f.message}" for f in result.findings]
                failure = ET.SubElement(case, "failure", type="mtnorm",
                                        message=f"{len(result.findings)} finding(s)")
                failure.text = "\n".join(lines)
        ET.indent(suites)
        self.stream.write(ET.tostring(suites, encoding="unicode", xml_declaration=True))
        self.stream.write("\n")
