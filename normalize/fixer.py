"""Apply the edits that findings propose, safely and to a fixed point.

Each pass checks the text, takes the allowed edits in text order, skips any
that overlaps one already taken, and applies them. Passes repeat until no
edit is left (so ``fix(fix(x)) == fix(x)``) or a pass limit is hit, which
means two rules disagree: that is reported rather than looping forever.
The applied edits form a replayable plan, like ftfy's explanations.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from .document import Document
from .findings import Edit, Finding, FixSafety
from .linter import Linter

MAX_PASSES = 8


@dataclass(frozen=True)
class AppliedEdit:
    """One edit as applied in a given pass (offsets are into that pass's input)."""

    pass_no: int
    rule: str
    start: int
    end: int
    before: str
    after: str
    line: int
    column: int
    message: str

    def to_dict(self) -> dict[str, object]:
        return {"pass": self.pass_no, "rule": self.rule, "start": self.start, "end": self.end,
                "line": self.line, "column": self.column, "before": self.before,
                "after": self.after, "message": self.message}


@dataclass
class FixResult:
    """The fixed text, the plan that produced it, and what is left to report."""

    text: str
    applied: list[AppliedEdit] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)
    passes: int = 0
    converged: bool = True

    @property
    def changed(self) -> bool:
        return bool(self.applied)


def choose_edits(findings: list[Finding], unsafe: bool = False) -> list[tuple[Edit, Finding]]:
    """The allowed, mutually non-overlapping edits, in text order.

    Where edits overlap, the one that starts first wins, then the longer one,
    then the safe one: the rest wait for the next pass, where they are
    re-checked against the new text.
    """
    allowed = {FixSafety.SAFE, FixSafety.UNSAFE} if unsafe else {FixSafety.SAFE}
    candidates = []
    for finding in findings:
        if finding.fix in allowed:
            edit = finding.edit()
            if edit is not None:
                candidates.append((edit, finding))
    candidates.sort(key=lambda ef: (ef[0].start, -(ef[0].end - ef[0].start),
                                    ef[1].fix is not FixSafety.SAFE, ef[1].rule))
    chosen: list[tuple[Edit, Finding]] = []
    for edit, finding in candidates:
        if chosen and (edit.overlaps(chosen[-1][0]) or edit.start < chosen[-1][0].end):
            continue
        chosen.append((edit, finding))
    return chosen


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits given in text order."""
    parts = []
    pos = 0
    for edit in edits:
        parts.append(text[pos:edit.start])
        parts.append(edit.replacement)
        pos = edit.end
    parts.append(text[pos:])
    return "".join(parts)


def fix_document(linter: Linter, doc: Document, unsafe: bool = False) -> FixResult:
    """Fix ``doc`` with ``linter``'s rules; the document itself is not modified."""
    text = doc.text
    result = FixResult(text=text)
    current = doc
    for pass_no in range(1, MAX_PASSES + 1):
        findings = linter.check(current)
        chosen = choose_edits(findings, unsafe)
        if not chosen:
            result.remaining = findings
            result.passes = pass_no - 1
            result.text = current.text
            return result
        for edit, finding in chosen:
            result.applied.append(AppliedEdit(
                pass_no, finding.rule, edit.start, edit.end, finding.text, edit.replacement,
                finding.line, finding.column, finding.message))
        new_text = apply_edits(current.text, [e for e, _ in chosen])
        current = Document(new_text, path=doc.path, lang=doc.lang, style=doc.style,
                           source_lang=doc.source_lang, encoding=doc.encoding, bom=doc.bom)
    result.text = current.text
    result.remaining = linter.check(current)
    result.passes = MAX_PASSES
    result.converged = not choose_edits(result.remaining, unsafe)
    return result


def unified_diff(before: str, after: str, path: str) -> str:
    """A unified diff between two versions of a text, as ``diff -u`` prints it."""
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"a/{path}", tofile=f"b/{path}")
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
