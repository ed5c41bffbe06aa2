"""SARIF 2.1.0 for code-scanning UIs (GitHub, Azure DevOps); validated against the schema in tests.

Written as findings come: the run's ``results`` before its ``invocations``."""
from __future__ import annotations

from typing import Any

from .. import __version__
from ..findings import Finding, Severity
from ..registry import all_rules
from ..results import FileResult
from .base import Formatter
from .json import dumps

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


def _item(f: Finding, path: str, index: dict[str, int]) -> dict[str, Any]:
    """One finding as a SARIF result."""
    item: dict[str, Any] = {
        "ruleId": f.rule, "ruleIndex": index.get(f.rule, -1), "level": _LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": path},
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
                              "artifactLocation": {"uri": path},
                              "replacements": [{
                                  "deletedRegion": {"charOffset": e.start,
                                                    "charLength": e.end - e.start},
                                  "insertedContent": {"text": e.replacement}}
                                  for e in f.edits()]}]}]
    if item["ruleIndex"] < 0:
        del item["ruleIndex"]
    return item


class SarifFormatter(Formatter):
    """One run whose ``results`` grow as findings come (each written when handed over);
    the ``invocations`` (whether every file could be read) follow them, at the end.
    Held: the notifications of files that could not be read."""

    streaming = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._index: dict[str, int] | None = None   # rule id -> place in the driver's rules
        self._results = 0
        self._files = 0
        self._notifications: list[dict[str, Any]] = []

    def _begin(self) -> dict[str, int]:
        rules = all_rules()
        head = {
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
                "results": [],
            }],
        }
        # Everything up to the results' opening bracket (a string holding the key
        # would show its quotes escaped: the key's own line is the only match).
        text = dumps(head, 0)
        cut = text.rindex('\n      "results": []') + len('\n      "results": [')
        self.stream.write(text[:cut])
        self._index = {r.id: i for i, r in enumerate(rules)}
        return self._index

    def file(self, result: FileResult) -> None:
        index = self._index if self._index is not None else self._begin()
        write = self.stream.write
        for f in result.findings:
            write((",\n        " if self._results else "\n        ")
                  + dumps(_item(f, result.path, index), 4))
            self._results += 1

    def end_file(self, result: FileResult) -> None:
        self._files += 1
        self.file(result)
        if result.error is not None:
            self._notifications.append({"level": "error", "message": {"text": result.error},
                                        "locations": [{"physicalLocation": {
                                            "artifactLocation": {"uri": result.path}}}]})

    def finish(self, results: list[FileResult], summary: dict[str, Any]) -> None:
        if not self._files and self._index is None:
            for result in results:  # handed over whole (nothing came before)
                self.end_file(result)
        if self._index is None:
            self._begin()
        invocations = [{"executionSuccessful": not self._notifications,
                        "toolExecutionNotifications": self._notifications}]
        self.stream.write(("\n      ]" if self._results else "]")
                          + ',\n      "invocations": ' + dumps(invocations, 3)
                          + "\n    }\n  ]\n}\n")
