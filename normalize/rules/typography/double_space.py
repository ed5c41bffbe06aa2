"""typography.double_space: runs of spaces between words."""
from __future__ import annotations

import re
from typing import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...registry import Context, Rule, register

# Only between visible characters: indentation and alignment are left alone.
_RUN = re.compile(r"(?<=\S) {2,}(?=\S)")


@register
class DoubleSpace(Rule):
    id = "typography.double_space"
    category = Category.TYPOGRAPHY
    severity = Severity.INFO
    fix = FixSafety.SAFE
    mqm = "Fluency/Spelling"
    description = "Two or more spaces between words."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for m in _RUN.finditer(ctx.text):
            yield self.finding(ctx, m.start(), m.end(), f"{len(m.group())} spaces in a row; use one",
                               replacement=" ")
