"""``path:line:col: severity rule message``, one finding a line, as compilers print."""
from __future__ import annotations

from typing import Any

from ..findings import Finding, Severity
from ..results import FileResult
from .base import Formatter

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_RESET = "\033[0m"


def record_place(f: Finding) -> str:
    """`` [id 17, field text 2:5]`` for a finding in a record: the line and
    column inside the field's text (the finding's own line and column are
    the file's)."""
    if "field" not in f.data:
        return ""
    ident = f"id {f.data['record']}, " if "record" in f.data else ""
    inside = f" {f.data['field_line']}:{f.data['field_column']}" if "field_line" in f.data else ""
    return f" [{ident}field {f.data['field']}{inside}]"


class TextFormatter(Formatter):
    streaming = True

    def file(self, result: FileResult) -> None:
        for f in result.findings:
            severity = str(f.severity)
            if self.color:
                severity = f"{_COLORS[f.severity]}{severity}{_RESET}"
            fix = ""
            if f.replacement is not None and f.fix.value != "none":
                shown = f.replacement.replace("\n", "\\n") or "(remove)"
                fix = f" [{f.fix.value} fix: {shown!r}]" if f.replacement else f" [{f.fix.value} fix: remove]"
            self.stream.write(f"{result.path}:{f.line}:{f.column}:{record_place(f)} {severity} {f.rule} "
                              f"{f.message}{fix}\n")

    def finish(self, results: list[FileResult], summary: dict[str, Any]) -> None:
        if not self.summary_line:
            return
        counts = summary["by_severity"]
        parts = [f"{n} {name}{'s' if n != 1 else ''}" for name, n in counts.items() if n]
        errors = summary.get("files_unreadable", 0)
        files = summary["files"] - errors
        text = ", ".join(parts) if parts else "no findings"
        line = f"{text} in {files} file{'s' if files != 1 else ''}"
        if errors:
            line += f"; {errors} file{'s' if errors != 1 else ''} could not be read"
        self.stream.write(line + "\n")
