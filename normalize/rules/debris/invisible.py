"""debris.invisible: zero-width and other invisible characters left by web scraping."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register
from .._scan import contains_any

# Zero-width joiner and non-joiner are left alone: Persian, Indic scripts and
# emoji sequences need them.
_CHARS = "\u200b\u2060\u00ad\ufeff\u180e\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE = LazyPattern(f"[{_CHARS}]+")


@register
class InvisibleCharacters(Rule):
    id = "debris.invisible"
    category = Category.DEBRIS
    scope = "line"
    severity = Severity.WARNING
    fix = FixSafety.SAFE
    mqm = "Other/Extraneous content"
    description = "Zero-width spaces, soft hyphens, stray byte-order marks and bidi controls."

    def check(self, ctx: Context) -> Iterator[Finding]:
        # isascii() is O(1) in CPython and most short texts are ASCII; none of _CHARS is.
        if ctx.text.isascii() or not contains_any(ctx.text, _CHARS):
            return
        for m in _INVISIBLE.finditer(ctx.text):
            names = ", ".join(sorted({f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in m.group()}))
            yield self.finding(ctx, m.start(), m.end(), f"invisible character(s) {names}; remove",
                               replacement="")
