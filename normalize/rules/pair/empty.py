"""pair.empty: an empty translation of a non-empty source segment.

Needs the target and the source to have the same number of lines, so that an
empty target line can be paired with its source line.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...analysis.segments import segment_pairs
from ...findings import Category, Finding, Severity
from ...registry import Context, Rule, register


@register
class PairEmpty(Rule):
    id = "pair.empty"
    category = Category.UNTRANSLATED
    severity = Severity.ERROR
    mqm = "Accuracy/Omission"
    needs_source = True
    scope = "document"
    description = "A source segment whose translation is empty."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for pair in segment_pairs(ctx):
            if pair.target.strip() or not any(c.isalnum() for c in pair.source):
                continue
            yield self.finding(ctx, pair.start, pair.end,
                               f"the translation of {_short(pair.source)!r} is empty",
                               data={"source_text": pair.source})


def _short(text: str, limit: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"
