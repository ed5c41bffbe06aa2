"""suppression.unknown: an inline directive naming no known rule, or a misspelt one.

Made by the linter when it reads the text's directives
(:meth:`normalize.linter.Linter.check`); :meth:`check` yields nothing.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...registry import Context, Rule, register
from ...suppressions import SUPPRESSION_MQM, UNKNOWN_RULE


@register
class UnknownSuppression(Rule):
    """A directive that names a rule, group or category that does not exist (a typo,
    a renamed rule), a misspelt form (``disabel=``) or an empty list (``disable-line=``)
    suppresses nothing, silently, unless it is reported."""

    id = UNKNOWN_RULE
    category = Category.STYLE
    severity = Severity.WARNING
    fix = FixSafety.NONE
    mqm = SUPPRESSION_MQM
    scope = "document"
    description = ("An inline mtnorm directive naming an unknown rule, group or category, "
                   "a misspelt directive form, or an empty rule list.")

    def applies_to(self, ctx: Context) -> bool:
        return False   # made by the linter from the directives (module docstring)

    def check(self, ctx: Context) -> Iterator[Finding]:
        return iter(())
