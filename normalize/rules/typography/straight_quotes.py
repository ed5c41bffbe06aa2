"""typography.straight_quotes: straight quotes " " in copy whose language sets typographic ones.

French, German and Russian copy quote with « », „ “ and « » (``Language.quotes``);
straight marks there are a keyboard's or the source's habit. A pair on one
line, opening after a space and closing before one, gets the language's marks
(an unsafe fix: some newsrooms choose straight marks).
Which languages: ``straight_quotes: foreign`` in ``typography.yaml``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register
from ._typo import typography

# An opening mark after a line start, space or bracket, a closing one before a space,
# punctuation or line end; no third straight mark in between.
_PAIR = LazyPattern(r'(?:(?<=^)|(?<=[\s(\[/—–-]))"(?P<inner>[^"\s][^"\n]{0,2000}?)"(?=[\s.,;:!?)\]/—–-]|$)',
                    re.MULTILINE)


@register
class StraightQuotes(Rule):
    id = "typography.straight_quotes"
    category = Category.TYPOGRAPHY
    scope = "line"
    severity = Severity.INFO
    # Professional French and German copy uses straight marks too (a house choice): the
    # replacement is offered, not applied by default.
    fix = FixSafety.UNSAFE
    mqm = "Locale convention/Punctuation"
    languages = frozenset({"fr", "de", "ru", "es", "it", "en"})
    description = "Straight quotes in French, German or Russian copy, which quote with « » or „ “."

    def applies_to(self, ctx: Context) -> bool:
        return super().applies_to(ctx) and typography(ctx).get("straight_quotes") == "foreign"

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        if '"' not in text:
            return
        lang = ctx.language
        open_q, close_q = lang.quotes
        pad = "\u00a0" if lang.spaced_punctuation else ""
        for m in _PAIR.finditer(text):
            inner = m.group("inner").rstrip()
            if inner != m.group("inner"):
                continue  # a space before the closing mark: typography.quote_pairing's case
            yield self.finding(
                ctx, m.start(), m.end(),
                f"straight quotes in {lang.name} copy; {lang.name} quotes with {open_q}…{close_q}",
                replacement=f"{open_q}{pad}{inner}{pad}{close_q}")
