"""pair.unchanged: a translation identical to its source segment.

Only when the source has words to translate: a word of four letters or more
that is not a name (a capitalised word in a cased script), outside URLs,
placeholders and figures. "Angela Merkel", "2024", "https://example.org" or
"OK" may stand unchanged in any language.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...analysis.segments import is_cjk, segment_pairs
from ...findings import Category, Finding, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register
from ._tokens import tokens

_WORD = LazyPattern(r"[^\W\d_]+")


def has_translatable_word(text: str) -> bool:
    """True if ``text`` has a word that a translation would change."""
    for t in reversed(tokens(text)):
        text = text[:t.start] + " " + text[t.end:]
    for m in _WORD.finditer(text):
        w = m.group()
        if is_cjk(w[0]):
            if len(w) >= 2:
                return True
        elif len(w) >= 4 and not (w[0].isupper() or w.isupper()):
            return True
    return False


@register
class PairUnchanged(Rule):
    id = "pair.unchanged"
    category = Category.UNTRANSLATED
    severity = Severity.WARNING
    mqm = "Accuracy/Untranslated"
    needs_source = True
    scope = "document"
    description = "A translation identical to its source segment, which has words to translate."

    def applies_to(self, ctx: Context) -> bool:
        # A text "translated" from its own language may well keep a segment as it is.
        return super().applies_to(ctx) and ctx.source_family != ctx.language.family

    def check(self, ctx: Context) -> Iterator[Finding]:
        for pair in segment_pairs(ctx):
            if pair.target.strip() != pair.source.strip() or not has_translatable_word(pair.source):
                continue
            yield self.finding(ctx, pair.start, pair.end,
                               "the translation is the source segment unchanged")
