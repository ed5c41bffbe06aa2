"""typography.double_space: runs of spaces between words."""
from __future__ import annotations

from collections.abc import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register

# A literal-prefixed pattern scans at memory speed; the context check is done
# in Python on the few hits. Indentation and alignment are left alone.
_RUN = LazyPattern("  +")


@register
class DoubleSpace(Rule):
    id = "typography.double_space"
    category = Category.TYPOGRAPHY
    scope = "line"
    severity = Severity.INFO
    fix = FixSafety.SAFE
    mqm = "Fluency/Spelling"
    description = "Two or more spaces between words."

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        if "  " not in text:  # the usual case: one memchr-speed test, no regex scan
            return
        for m in _RUN.finditer(text):
            start, end = m.span()
            if start == 0 or end >= len(text) or text[start - 1].isspace() or text[end].isspace():
                continue
            yield self.finding(ctx, start, end, f"{end - start} spaces in a row; use one",
                               replacement=" ")
