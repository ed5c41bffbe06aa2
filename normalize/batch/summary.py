"""Counting what a batch run read, wrote, changed and failed, for the summary and ``--report``.

Every record read is counted once as ``in`` and then exactly once as either
``out`` (processed, and written unless the run only checks) or ``failed``
(not processed: passed through unchanged when the rest of its file was
written, lost with its file when the file as a whole failed). So
``in == out + failed`` always, whatever went wrong. A file that could not
be read at all counts as one record in, and failed.
"""
from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..findings import SEVERITY_NAME, Severity
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
    """Figures for one input file (``records == written + failed`` once it is done)."""

    path: str
    format: str
    bytes_in: int = 0
    records: int = 0
    #: Records processed and written out (checked, for ``check``).
    written: int = 0
    changed: int = 0
    #: Records not processed, or lost with their file (see the module's doc).
    failed: int = 0
    #: Of the failed records, those copied unchanged into the output.
    passed_through: int = 0
    #: Text fields left alone because they were null.
    skipped: int = 0
    findings: int = 0
    #: Findings of severity ``error`` (a file with any is a "file with errors").
    error_findings: int = 0
    fixed: int = 0
    #: Set when the file as a whole failed (nothing of it was written).
    error: str | None = None
    #: The run stopped (interrupt, ``--fail-fast``) before this file was done.
    unfinished: bool = False

    def add(self, outcome: Outcome, nbytes: int = 0) -> None:
        """Count one chunk's outcome (and ``nbytes`` of input) into this file's figures."""
        self.bytes_in += nbytes
        self.records += outcome.records
        self.changed += outcome.changed
        self.failed += len(outcome.failures)
        self.skipped += outcome.skipped
        self.findings += len(outcome.findings)
        self.error_findings += sum(1 for f in outcome.findings if f.severity >= Severity.ERROR)
        self.fixed += outcome.fixed

    def finish(self) -> None:
        """The file was written (or checked) to the end: its failed records went through."""
        self.written = self.records - self.failed
        self.passed_through = self.failed

    def lose(self, error: str, unfinished: bool = False) -> None:
        """Nothing of the file was written: every record read (at least one) failed."""
        self.error = error
        self.unfinished = unfinished
        self.records = max(self.records, 1)
        self.failed = self.records
        self.written = self.changed = self.passed_through = 0

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k not in ("error", "unfinished")}
        if self.error is not None:
            out["error"] = self.error
        if self.unfinished:
            out["unfinished"] = True
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

    def count(self, outcome: Outcome) -> None:
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
            self.by_category[finding.category._value_] += 1
            self.by_severity[SEVERITY_NAME[finding.severity]] += 1

    def add_failures(self, failures: list[Failure]) -> None:
        """Record failure messages (``failure_count`` counts messages; ``failed`` records)."""
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
    def failed(self) -> int:
        """Records not processed (``records_in == records_out + failed``)."""
        return sum(f.failed for f in self.files)

    @property
    def passed_through(self) -> int:
        return sum(f.passed_through for f in self.files)

    @property
    def skipped(self) -> int:
        return sum(f.skipped for f in self.files)

    @property
    def files_unreadable(self) -> int:
        """Files that failed as a whole (not the ones the run stopped in)."""
        return sum(1 for f in self.files if f.error is not None and not f.unfinished)

    @property
    def files_with_errors(self) -> int:
        """Files with findings of severity ``error``."""
        return sum(1 for f in self.files if f.error_findings)

    @property
    def bytes_in(self) -> int:
        return sum(f.bytes_in for f in self.files)

    def line(self) -> str:
        """The one-line summary printed at the end of a batch run."""
        unfinished = sum(1 for f in self.files if f.unfinished)
        notes = [f"{n:,} {what}" for n, what in ((self.files_unreadable, "unreadable"),
                                                 (unfinished, "unfinished")) if n]
        parts = [f"{len(self.files):,} file{'s' if len(self.files) != 1 else ''}"
                 + (f" ({', '.join(notes)})" if notes else "")]
        parts.append(f"{self.records_in:,} record{'s' if self.records_in != 1 else ''} in")
        if self.command == "fix":
            parts += [f"{self.records_out:,} out", f"{self.changed:,} changed"]
        else:
            parts.append(f"{sum(self.by_severity.values()):,} findings")
        failed = f"{self.failed:,} failed"
        if self.command == "fix" and self.passed_through:
            failed += f" ({self.passed_through:,} passed through unchanged)"
        parts.append(failed)
        if self.skipped:
            parts.append(f"{self.skipped:,} null field{'s' if self.skipped != 1 else ''} skipped")
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
                "files_unreadable": self.files_unreadable,
                "files_unfinished": sum(1 for f in self.files if f.unfinished),
                "files_with_errors": self.files_with_errors,
                "bytes_in": self.bytes_in,
                "records_in": self.records_in,
                "records_out": self.records_out,
                "changed": self.changed,
                "failed": self.failed,
                "passed_through": self.passed_through,
                "skipped_null_fields": self.skipped,
                "failure_messages": self.failure_count,
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
        return summary_dict(len(self.files), self.files_with_errors, self.by_severity,
                            self.by_category, self.by_rule, sum(f.fixed for f in self.files),
                            files_unreadable=self.files_unreadable)

    def report_json(self) -> bytes:
        return (json.dumps(self.to_report(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
