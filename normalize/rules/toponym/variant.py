"""toponym.variant: a place spelled otherwise than the house style writes it.

Reported once per spelling, at its first occurrence; the fix changes every
occurrence (case kept: "KIEV" → "KYIV", "Kiev's" → "Kyiv's"). An occurrence
whose context says the old name may be right (a rename after the time the
paragraph is about, a gloss, a homonym: see ``_context.py``), or where the
replacement may not fit the sentence, gets its own finding with an unsafe fix.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...analysis.places import Toponym
from ...findings import Category, Edit, Finding, FixSafety, Severity
from ...pieces import global_offset
from ...registry import Context, Rule, register
from .._text import transfer_case
from ._context import Fitted
from ._reports import SPELLINGS, SpellingReport, plan, spelling_reports

_SEVERITY = {"misspelling": Severity.WARNING, "historic": Severity.WARNING,
             "translit": Severity.WARNING, "variant": Severity.INFO, "preferred": Severity.INFO}
_WHAT = {"misspelling": "a misspelling of", "historic": "an old name or exonym of",
         "translit": "a transliteration variant of", "variant": "a variant spelling of",
         "preferred": "another accepted name of"}


def spelling_fix(rule: Rule, ctx: Context, report: SpellingReport, message: str,
                 severity: Severity, data: dict) -> Finding:
    """One finding at the first occurrence, with edits for every occurrence (of the
    document's text: a piece's first is the whole text's first or one of its edits,
    which have the same span and replacement)."""
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
    facts = (SPELLINGS.name,)

    def check(self, ctx: Context) -> Iterator[Finding]:
        style = ctx.style.name or "the default style"
        for report in spelling_reports(ctx):
            if report.rule != self.id:
                continue
            first = report.facts.first
            what = (f"{_WHAT.get(first.status, 'a variant of')} {report.preferred}; "
                    f"{style} writes '{report.preferred}'")
            severity = _SEVERITY.get(first.status, self.severity)
            data = {"place": first.place, "status": first.status, "source": first.source}
            names = tuple(dict.fromkeys(n.lower() for n in (report.target, report.preferred or "",
                                                             *(s for s, _ in report.others)) if n))
            planned = [(top, *plan(ctx, top, report.target, names)) for top in report.occurrences]
            safe = [(top, fitted) for top, fitted, reason in planned if reason is None]
            if safe:
                # The count and the first surface are the whole text's (those of its safe
                # occurrences): the same message in every piece that holds one.
                count = report.facts.safe or len(safe)
                first_safe = report.facts.first_safe
                surface = first_safe[1] if first_safe is not None else safe[0][0].surface
                times = f" ({count}x)" if count > 1 else ""
                # A piece without the whole text's first safe occurrence reports its own as
                # the whole text's edits: at the fitted span ("the Ukraine"), no other.
                leads = first_safe is None or global_offset(ctx, safe[0][0].start) == first_safe[0]
                yield _finding(self, ctx, safe, f"'{surface}'{times} is {what}",
                               FixSafety.SAFE if report.safe else FixSafety.UNSAFE, severity,
                               {**data, "occurrences": count}, leads)
            # An occurrence its context vouches for (a historical paragraph, a gloss, a
            # region of the same name) is most likely right there: a note, not a warning.
            for top, fitted, reason in planned:
                if reason is not None:
                    yield _finding(self, ctx, [(top, fitted)],
                                   f"'{top.surface}' is {what}; not changed safely: {reason}",
                                   FixSafety.UNSAFE, Severity.INFO,
                                   {**data, "occurrences": 1, "context": reason})


def _finding(rule: Rule, ctx: Context, group: list[tuple[Toponym, Fitted]], message: str,
             fix: FixSafety, severity: Severity, data: dict, leads: bool = True) -> Finding:
    """One finding at the group's first occurrence, fixing every occurrence of the group;
    unless it ``leads`` the group, the first is placed as the others are (at the span
    its edit replaces)."""
    (first, main), *rest = group
    also = tuple(Edit(f.start, f.end, f.text, rule.id) for _, f in rest)
    if not leads:
        return rule.finding(ctx, main.start, main.end, message, replacement=main.text, fix=fix,
                            severity=severity, also=also, data=data)
    return rule.finding(ctx, first.start, first.end, message, replacement=main.text, fix=fix,
                        severity=severity, replaces=(main.start, main.end), also=also, data=data)
