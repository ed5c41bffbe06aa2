"""Counting what a batch run read, wrote, changed and failed, for the summary and ``--report``."""
from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..findings import Severity
from ..results import summary_dict
from .records import Failure, Outcome

#: The report lists at most this many failed records (the count is always exact).
MAX_REPORTED_FAILURES = 10_000
#: ... and this many of the most frequent replacements.
TOP_REPLACEMENTS = 50
#: Distinct replacements counted at most: beyond this the rarest are pruned,
#: so memory does not grow with the corpus (each doubled word is a key).
MAX_REPLACEMENT_KEYS = 20_000


@dataclass
class FileSummary:
    """Figures for one input file."""

    path: str
    format: str
    bytes_in: int = 0
    records: int = 0
    #: Records written out (equals ``records`` unless the file failed as a whole).
    written: int = 0
    changed: int = 0
    failed: int = 0
    findings: int = 0
    fixed: int = 0
    #: Set when the whole file could not be read (nothing of it was written).
    error: str | None = None

    def add(self, outcome: "Outcome", nbytes: int = 0) -> None:
        """Count one chunk's outcome (and ``nbytes`` of input) into this file's figures."""
        self.bytes_in += nbytes
        self.records += outcome.records
        self.changed += outcome.changed
        self.failed += len(outcome.failures)
        self.findings += len(outcome.findings)
        self.fixed += outcome.fixed

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "error"}
        if self.error is not None:
            out["error"] = self.error
        return out


@dataclass
class RunSummary:
    """Totals over a run; filled file by file as results come in."""

    command: str
    files: list[FileSummary] = field(default_factory=list)
    by_rule: Counter = field(default_factory=Counter)
    by_category: Counter = field(default_factory=Counter)
    by_severity: Counter = field(default_factory=Counter)
    replacements: Counter = field(default_factory=Counter)
    #: Edits counted per rule (exact, unlike ``replacements`` once pruned).
    fixed_by_rule: Counter = field(default_factory=Counter)
    replacements_pruned: bool = False
    failures: list[Failure] = field(default_factory=list)
    failure_count: int = 0
    started: float = field(default_factory=time.monotonic)
    elapsed: float = 0.0
    interrupted: bool = False

    def count(self, outcome: "Outcome") -> None:
        """Count one chunk's findings and replacements (failures are counted as reported)."""
        self.count_findings(outcome.findings)
        for (rule, _before, _after), n in outcome.replacements.items():
            self.fixed_by_rule[rule] += n
        self.replacements.update(outcome.replacements)
        if len(self.replacements) > MAX_REPLACEMENT_KEYS:
            # Keep the most frequent half: the report wants the top ones, and a
            # corpus of millions of records must not hold every rare edit.
            self.replacements = Counter(dict(self.replacements.most_common(MAX_REPLACEMENT_KEYS // 2)))
            self.replacements_pruned = True

    def count_findings(self, findings: list) -> None:
        """Count findings (of any file) by rule, category and severity."""
        for finding in findings:
            self.by_rule[finding.rule] += 1
            self.by_category[finding.category.value] += 1
            self.by_severity[str(finding.severity)] += 1

    def add_failures(self, failures: list[Failure]) -> None:
        self.failure_count += len(failures)
        room = MAX_REPORTED_FAILURES - len(self.failures)
        self.failures.extend(failures[:max(room, 0)])

    @property
    def records_in(self) -> int:
        return sum(f.records for f in self.files)

    @property
    def records_out(self) -> int:
        return sum(f.written for f in self.files)

    @property
    def changed(self) -> int:
        return sum(f.changed for f in self.files)

    @property
    def bytes_in(self) -> int:
        return sum(f.bytes_in for f in self.files)

    def line(self) -> str:
        """The one-line summary printed at the end of a batch run."""
        files_failed = sum(1 for f in self.files if f.error is not None)
        parts = [f"{len(self.files):,} file{'s' if len(self.files) != 1 else ''}"]
        if files_failed:
            parts[0] += f" ({files_failed:,} unreadable)"
        parts.append(f"{self.records_in:,} record{'s' if self.records_in != 1 else ''} in")
        if self.command == "fix":
            parts += [f"{self.records_out:,} out", f"{self.changed:,} changed"]
        else:
            parts.append(f"{sum(self.by_severity.values()):,} findings")
        parts.append(f"{self.failure_count:,} failed")
        mb = self.bytes_in / 1e6
        rate = f", {mb / self.elapsed:.1f} MB/s" if self.elapsed > 0 and mb >= 1 else ""
        return f"{', '.join(parts)} in {self.elapsed:.1f}s{rate}"

    def to_report(self) -> dict[str, Any]:
        """The ``--report`` JSON: totals, counts per rule/category, top replacements, per file."""
        return {
            "version": 1,
            "command": self.command,
            "interrupted": self.interrupted,
            "elapsed_s": round(self.elapsed, 3),
            "totals": {
                "files": len(self.files),
                "files_unreadable": sum(1 for f in self.files if f.error is not None),
                "bytes_in": self.bytes_in,
                "records_in": self.records_in,
                "records_out": self.records_out,
                "changed": self.changed,
                "failed": self.failure_count,
                "findings": sum(self.by_severity.values()),
                "fixed": sum(f.fixed for f in self.files),
            },
            "by_severity": {str(s): self.by_severity.get(str(s), 0)
                            for s in sorted(Severity, reverse=True)},
            "by_category": dict(sorted(self.by_category.items())),
            "by_rule": dict(sorted(self.by_rule.items())),
            "fixed_by_rule": dict(sorted(self.fixed_by_rule.items())),
            "top_replacements": [
                {"rule": rule, "before": before, "after": after, "count": count}
                for (rule, before, after), count in sorted(
                    self.replacements.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_REPLACEMENTS]],
            # Past MAX_REPLACEMENT_KEYS distinct edits the rarest were dropped
            # along the way, so a count near the cut-off may be low.
            "top_replacements_approximate": self.replacements_pruned,
            "files": [f.to_dict() for f in self.files],
            "failures": [f.to_dict() for f in self.failures],
            "failures_truncated": self.failure_count > len(self.failures),
        }

    def legacy(self) -> dict[str, Any]:
        """The summary dict formatters take (see :func:`normalize.results.summary_dict`)."""
        return summary_dict(len(self.files), sum(1 for f in self.files if f.error is not None),
                            self.by_severity, self.by_category, self.by_rule,
                            sum(f.fixed for f in self.files))

    def report_json(self) -> bytes:
        return (json.dumps(self.to_report(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
