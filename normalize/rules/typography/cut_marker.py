"""typography.cut_marker: a cut in a quotation marked the source language's way."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...registry import Context, Rule, register


@functools.lru_cache(maxsize=16)
def _pattern(markers: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(m) for m in markers))


@register
class CutMarker(Rule):
    id = "typography.cut_marker"
    category = Category.TYPOGRAPHY
    scope = "line"
    severity = Severity.WARNING
    fix = FixSafety.SAFE
    mqm = "Locale convention/Punctuation"
    description = "'(…)' marking a cut in English copy (French convention); the language's own mark instead."

    def check(self, ctx: Context) -> Iterator[Finding]:
        lang = ctx.language
        markers = lang.foreign_cut_markers
        text = ctx.text
        # Almost no document holds a marker: a few ``in`` tests spare the regex scan.
        if not any(m in text for m in markers):
            return
        for m in _pattern(markers).finditer(text):
            yield self.finding(
                ctx, m.start(), m.end(),
                f"'{m.group()}' marks a cut the way another language's copy does; "
                f"{lang.name} copy uses '{lang.cut_marker}'", replacement=lang.cut_marker)
