"""SARIF 2.1.0 for code-scanning UIs (GitHub, Azure DevOps); validated against the schema in tests."""
from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..findings import Finding, Severity
from ..registry import all_rules
from ..results import FileResult
from .base import Formatter

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _region(f: Finding) -> dict[str, Any]:
    if "field" in f.data:
        # A record's finding: its offsets are inside one field of the line,
        # not in the file; the line and the column where it starts in that
        # line are (escapes make the end column unknowable without the line).
        return {"startLine": f.line, "startColumn": f.column}
    lines = f.text.split("\n")
    end_line = f.line + len(lines) - 1
    end_column = (len(lines[-1]) + 1) if len(lines) > 1 else f.column + len(f.text)
    return {"startLine": f.line, "startColumn": f.column, "endLine": end_line,
            "endColumn": end_column, "charOffset": f.start, "charLength": f.end - f.start}


class SarifFormatter(Formatter):
    def finish(self, results: list[FileResult], summary: dict[str, Any]) -> None:
        rules = all_rules()
        index = {r.id: i for i, r in enumerate(rules)}
        sarif_results = []
        notifications = []
        for result in results:
            if result.error is not None:
                notifications.append({"level": "error", "message": {"text": result.error},
                                      "locations": [{"physicalLocation": {
                                          "artifactLocation": {"uri": result.path}}}]})
            for f in result.findings:
                item: dict[str, Any] = {
                    "ruleId": f.rule, "ruleIndex": index.get(f.rule, -1), "level": _LEVEL[f.severity],
                    "message": {"text": f.message},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": result.path},
                                                        "region": _region(f)}}],
                    "properties": {"category": f.category.value, "mqm": f.mqm, "fix": f.fix.value},
                }
                if "field" in f.data:
                    item["properties"].update({k: f.data[k] for k in ("record", "field") if k in f.data},
                                              fieldLine=f.data.get("field_line", 1),
                                              fieldColumn=f.data.get("field_column", f.column))
                elif f.replacement is not None and f.fix.value != "none":
                    item["fixes"] = [{"description": {"text": f"{f.fix.value} fix"},
                                      "artifactChanges": [{
                                          "artifactLocation": {"uri": result.path},
                                          "replacements": [{
                                              "deletedRegion": {"charOffset": e.start,
                                                                "charLength": e.end - e.start},
                                              "insertedContent": {"text": e.replacement}}
                                              for e in f.edits()]}]}]
                if item["ruleIndex"] < 0:
                    del item["ruleIndex"]
                sarif_results.append(item)
        doc = {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "mtnorm", "version": __version__, "semanticVersion": __version__,
                    "rules": [{"id": r.id, "name": r.__name__,
                               "shortDescription": {"text": r.description or r.id},
                               "defaultConfiguration": {"level": _LEVEL[r.severity]},
                               "properties": {"category": r.category.value, "mqm": r.mqm}}
                              for r in rules]}},
                "columnKind": "unicodeCodePoints",
                "invocations": [{"executionSuccessful": not notifications,
                                 "toolExecutionNotifications": notifications}],
                "results": sarif_results,
            }],
        }
        json.dump(doc, self.stream, ensure_ascii=False, indent=2)
        self.stream.write("\n")
