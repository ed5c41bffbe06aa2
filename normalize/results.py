"""What a run produced for each file, and the run's summary: the input of every formatter."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .findings import SEVERITY_NAME, Finding, Severity


@dataclass
class FileResult:
    path: str
    lang: str
    style: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    #: For fix runs: how many edits were applied.
    fixed: int = 0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "lang": self.lang, "style": self.style,
                               "findings": [f.to_dict() for f in self.findings]}
        if self.error is not None:
            out["error"] = self.error
        if self.fixed:
            out["fixed"] = self.fixed
        return out


def summarize(results: list[FileResult]) -> dict[str, Any]:
    """Counts per severity, category and rule over all files."""
    severities: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    for result in results:
        for f in result.findings:
            severities[SEVERITY_NAME[f.severity]] += 1
            categories[f.category._value_] += 1
            rules[f.rule] += 1
    with_errors = sum(1 for r in results if any(f.severity >= Severity.ERROR for f in r.findings))
    return summary_dict(len(results), with_errors, severities, categories, rules,
                        sum(r.fixed for r in results),
                        files_unreadable=sum(1 for r in results if r.error is not None))


#: The severities' names, worst first (the summary's order).
_SEVERITY_NAMES = tuple(SEVERITY_NAME[s] for s in sorted(Severity, reverse=True))


def summary_dict(files: int, files_with_errors: int, severities: Counter, categories: Counter,
                 rules: Counter, fixed: int, files_unreadable: int = 0) -> dict[str, Any]:
    """The summary every formatter receives, from counts (batch runs count as they go).

    ``files_with_errors`` counts files with findings of severity ``error``;
    ``files_unreadable`` the files that could not be read at all.
    """
    return {
        "files": files,
        "files_with_errors": files_with_errors,
        "files_unreadable": files_unreadable,
        "findings": sum(severities.values()),
        "by_severity": {name: severities.get(name, 0) for name in _SEVERITY_NAMES},
        "by_category": dict(sorted(categories.items())),
        "by_rule": dict(sorted(rules.items())),
        "fixed": fixed,
    }
