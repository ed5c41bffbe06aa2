"""typography.spaced_abbreviation: an abbreviation spaced the source's way ("U. S." for "U.S.").

Which abbreviations the language writes closed comes from ``closed_abbreviations``
in ``typography.yaml``; German "z. B." and Russian "т. е." are written spaced
and are simply not listed there.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ...analysis.lookup import matches_at, single_words, word_indices
from ...findings import Category, Finding, FixSafety, Severity
from ...registry import Context, Rule, register
from ._typo import typography


@functools.lru_cache(maxsize=8)
def _pattern(closed: tuple[str, ...]) -> re.Pattern[str] | None:
    alts = []
    for abbr in sorted(closed, key=len, reverse=True):
        parts = [p for p in abbr.split(".") if p]
        if len(parts) < 2:
            continue
        alts.append(r"[ \u00a0\u202f]+".join(re.escape(p) + r"\." for p in parts))
    if not alts:
        return None
    # Only the spaced forms: at least one space between the parts is required above.
    return re.compile(r"(?<![\w.])(?:" + "|".join(alts) + r")")


@functools.lru_cache(maxsize=8)
def _firsts(closed: tuple[str, ...]) -> frozenset[str] | None:
    """The first parts of the abbreviations of :func:`_pattern` ("U" of "U.S."): a match
    starts with one, as a whole word. None when one is no single ``\\w+`` word: the
    pattern then scans the whole text."""
    firsts = frozenset(parts[0] for abbr in closed
                       for parts in [[p for p in abbr.split(".") if p]] if len(parts) >= 2)
    return firsts if single_words(firsts) else None


@register
class SpacedAbbreviation(Rule):
    id = "typography.spaced_abbreviation"
    category = Category.TYPOGRAPHY
    scope = "line"
    # Human English translated from German writes "e. g." too: a note with a safe fix.
    severity = Severity.INFO
    fix = FixSafety.SAFE
    mqm = "Locale convention/Punctuation"
    description = "An abbreviation written spaced (U. S.) where the language writes it closed (U.S.)."

    def check(self, ctx: Context) -> Iterator[Finding]:
        closed = tuple(typography(ctx).get("closed_abbreviations") or ())
        pattern = _pattern(closed) if closed else None
        if pattern is None or ". " not in ctx.text and ".\u00a0" not in ctx.text:
            return
        firsts = _firsts(closed)
        if firsts is None:
            found = pattern.finditer(ctx.text)
        else:
            # A match starts with a first part, a whole word (nothing of a word or a full
            # stop before it, a full stop after it): tried only at those words.
            starts = ctx.analysis.words.starts
            found = matches_at(ctx.text, pattern, [int(starts[i]) for i in word_indices(ctx, firsts)])
        for m in found:
            fixed = re.sub(r"\s+", "", m.group())
            yield self.finding(ctx, m.start(), m.end(),
                               f"'{m.group()}': {ctx.language.name} writes '{fixed}' without spaces",
                               replacement=fixed)
