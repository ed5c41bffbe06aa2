"""suppression.unused: an inline directive that suppressed nothing.

The linter makes these findings after it has filtered the other rules'
findings through the text's directives (:meth:`normalize.linter.Linter.check`):
whether a directive was used is known only then. :meth:`check` yields nothing.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...registry import Context, Rule, register
from ...suppressions import SUPPRESSION_MQM, UNUSED_RULE


@register
class UnusedSuppression(Rule):
    """A directive left behind after the text was corrected hides the next real problem
    at its place. Only rules that ran count: a ``disable=toponym`` in a run with
    ``--select debris`` is not called unused. ``mtnorm fix`` never reports it."""

    id = UNUSED_RULE
    category = Category.STYLE
    severity = Severity.WARNING
    fix = FixSafety.NONE
    mqm = SUPPRESSION_MQM
    scope = "document"
    description = ("An inline mtnorm directive that suppressed nothing, naming the rules "
                   "that matched nothing; remove them from the directive.")

    def applies_to(self, ctx: Context) -> bool:
        return False   # made by the linter from the directives (module docstring)

    def check(self, ctx: Context) -> Iterator[Finding]:
        return iter(())
