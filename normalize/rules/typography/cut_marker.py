"""typography.cut_marker: a cut in a quotation marked the source language's way."""
from __future__ import annotations

import re
from typing import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...registry import Context, Rule, register


@register
class CutMarker(Rule):
    id = "typography.cut_marker"
    category = Category.TYPOGRAPHY
    severity = Severity.WARNING
    fix = FixSafety.SAFE
    mqm = "Locale convention/Punctuation"
    description = "'(…)' marking a cut in English copy (French convention); the language's own mark instead."

    def check(self, ctx: Context) -> Iterator[Finding]:
        lang = ctx.language
        markers = lang.foreign_cut_markers
        if not markers:
            return
        pattern = re.compile("|".join(re.escape(m) for m in markers))
        for m in pattern.finditer(ctx.text):
            yield self.finding(
                ctx, m.start(), m.end(),
                f"'{m.group()}' marks a cut the way another language's copy does; "
                f"{lang.name} copy uses '{lang.cut_marker}'", replacement=lang.cut_marker)
