"""toponym.variant: a place spelled otherwise than the house style writes it.

Reported once per spelling, at its first occurrence; the fix changes every
occurrence (case kept: "KIEV" → "KYIV", "Kiev's" → "Kyiv's").
"""
from __future__ import annotations

from typing import Iterator

from ...findings import Category, Edit, Finding, FixSafety, Severity
from ...registry import Context, Rule, register
from .._text import transfer_case
from .._toponyms import SpellingReport, spelling_reports

_SEVERITY = {"misspelling": Severity.WARNING, "historic": Severity.WARNING,
             "translit": Severity.WARNING, "variant": Severity.INFO, "preferred": Severity.INFO}
_WHAT = {"misspelling": "a misspelling of", "historic": "an old name or exonym of",
         "translit": "a transliteration variant of", "variant": "a variant spelling of",
         "preferred": "another accepted name of"}


def spelling_fix(rule: Rule, ctx: Context, report: SpellingReport, message: str,
                 severity: Severity, data: dict) -> Finding:
    """One finding at the first occurrence, with edits for every occurrence."""
    first, *rest = report.occurrences
    fix = FixSafety.SAFE if report.safe else FixSafety.UNSAFE
    also = tuple(Edit(t.start, t.end, transfer_case(t.surface, report.target), rule.id)
                 for t in rest)
    return rule.finding(ctx, first.start, first.end, message,
                        replacement=transfer_case(first.surface, report.target), fix=fix,
                        severity=severity, also=also, data=data)


@register
class ToponymVariant(Rule):
    id = "toponym.variant"
    category = Category.TOPONYM
    severity = Severity.WARNING
    fix = FixSafety.SAFE
    #: Unsafe where the spelling is not vouched for (an ambiguous name, a historical context).
    fixes = frozenset({FixSafety.SAFE, FixSafety.UNSAFE})
    mqm = "Terminology/Wrong term"
    scope = "document"
    description = "A place name spelled otherwise than the house style (gazetteer + corpora/styles)."

    def check(self, ctx: Context) -> Iterator[Finding]:
        style = ctx.style.name or "the default style"
        for report in spelling_reports(ctx):
            if report.rule != self.id:
                continue
            first = report.occurrences[0]
            count = len(report.occurrences)
            times = f" ({count}x)" if count > 1 else ""
            yield spelling_fix(
                self, ctx, report,
                f"'{first.surface}'{times} is {_WHAT.get(first.status, 'a variant of')} "
                f"{report.preferred}; {style} writes '{report.preferred}'",
                _SEVERITY.get(first.status, self.severity),
                {"place": first.place, "status": first.status, "source": first.source,
                 "occurrences": count})
