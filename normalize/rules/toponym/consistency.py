"""toponym.consistency: one place spelled several ways in one document.

One finding per extra spelling, at its first occurrence, pointing at the
others; the fix (safe only when nothing but punctuation or spacing differs
from the house form) changes every occurrence.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...registry import Context, Rule, register
from ._reports import SPELLINGS, spelling_reports
from .variant import spelling_fix


@register
class ToponymConsistency(Rule):
    id = "toponym.consistency"
    category = Category.CONSISTENCY
    severity = Severity.WARNING
    fix = FixSafety.UNSAFE
    #: Safe when only punctuation or spacing differs from the house form (see module doc).
    fixes = frozenset({FixSafety.SAFE, FixSafety.UNSAFE})
    scope = "document"
    mqm = "Terminology/Inconsistent"
    description = "Several spellings of one place in one text: one finding per extra spelling."
    facts = (SPELLINGS.name,)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for report in spelling_reports(ctx):
            if report.rule != self.id:
                continue
            first = report.facts.first  # the whole text's, as the counts are
            others = ", ".join(f"'{s}' ({n}x)" for s, n in report.others)
            yield spelling_fix(
                self, ctx, report,
                f"'{first.surface}' ({report.facts.count}x) and {others} spell one place "
                f"in this text; use '{report.target}' throughout",
                self.severity,
                {"place": first.place, "spellings": sorted([report.spelling, *(s.lower() for s, _ in report.others)]),
                 "base": report.target})
