"""typography.foreign_quotes: another language's quotation marks (« » in English copy)."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register

_INNER_SPACE = "[ \u00a0\u202f]*"


@functools.cache
def _pattern(pairs: tuple[tuple[str, str], ...]) -> LazyPattern | None:
    if not pairs:
        return None
    alts = [f"{re.escape(o)}{_INNER_SPACE}(?P<q{i}>[^\\n{re.escape(o + c)}]{{0,2000}}?){_INNER_SPACE}{re.escape(c)}"
            for i, (o, c) in enumerate(pairs)]
    # Compiled when a text first holds a foreign mark (escaped marks: it always compiles).
    return LazyPattern("|".join(alts))


@register
class ForeignQuotes(Rule):
    id = "typography.foreign_quotes"
    category = Category.TYPOGRAPHY
    scope = "line"
    severity = Severity.WARNING
    fix = FixSafety.SAFE
    mqm = "Locale convention/Punctuation"
    description = "Quotation marks of another language's typography, e.g. « » in English copy."

    def check(self, ctx: Context) -> Iterator[Finding]:
        lang = ctx.language
        pattern = _pattern(lang.foreign_quotes)
        if pattern is None or not any(o in ctx.text for o, _ in lang.foreign_quotes):
            return
        open_q, close_q = lang.quotes
        pad = "\u00a0" if lang.spaced_punctuation else ""
        text = ctx.text
        for m in pattern.finditer(text):
            # A mark glued to a word on its outer side closes or opens another
            # pair (German »Stone« ... »AA«): not a foreign pair.
            if (m.start() and text[m.start() - 1].isalnum()) or \
                    (m.end() < len(text) and text[m.end()].isalnum()):
                continue
            inner = m.group(m.lastgroup or 0)
            replacement = f"{open_q}{pad}{inner}{pad}{close_q}"
            if replacement == m.group():
                continue
            yield self.finding(
                ctx, m.start(), m.end(),
                f"quotation marks {m.group()[0]}…{m.group()[-1]} are not {lang.name} typography; "
                f"use {open_q}…{close_q}", replacement=replacement)
