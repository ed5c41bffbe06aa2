"""pair.sentence_count: a translation with at least two sentences more than its source segment.

A translator may split one long sentence in two; MT that breaks a sentence into
three or more, or a segment that gains sentences, has usually garbled a
clause into a fragment ("The density is great. If light gets too close. It
cannot escape."). Sentences are counted by their end marks (. ! ? … and the
full-width 。！？) followed by a space, a closing quote or the end; in the
translation a mark only counts when the next sentence starts with a capital
or a figure, and not after an abbreviation ("Mr.", "U.S.", "e.g.") or a lone
initial. Segments with one sentence in the source must have three or more in
the translation.

Measured on human translations: no finding on the MQM zh-en references or
the MLQE-PE post-edits, 1.9 per 1,000 MQM en-de references; on the MQM zh-en MT
output 31 segments, 0.90 of them annotated with an error.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...analysis.segments import segment_pairs
from ...findings import Category, Finding, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register

_CJK_END = LazyPattern(r"[\u3002\uff01\uff1f]+")
_END = LazyPattern(r"(?:[.!?]+|\u2026)[\"'\u201d\u2019\u00bb)\]]*(?=\s|$)")
#: A source sentence glued to the next ("иной.Эти"): a mark before a capital of two letters or more.
_GLUED_END = LazyPattern(r"(?<=[^\W\d_]{2})[.!?](?=[^\W\d_][^\W\d_])")
_NEXT = LazyPattern(r"\s*[\"'\u201c\u2018\u00ab\u201e(\[]*(\S)")
_ABBREV = LazyPattern(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Sr|Jr|vs|etc|e\.g|i\.e|cf|approx|No|Nr|Art|Fig|Vol|Inc|Ltd|Co|Corp|"
    r"Gen|Gov|Sen|Rep|Rev|Mt|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|z\.B|usw|bzw|ca|Nr|"
    r"d\.h|u\.a|Hr|Fr)|\b[A-Z]|\b[A-Z]\.[A-Z]|\d)\.$")
#: The translation has this many sentences more than the source at least.
_EXTRA = 2


def count_sentences(text: str, strict: bool) -> int:
    """Sentences of ``text`` (at least 1 for a text with letters). ``strict`` (the
    translation) counts a mark only before a capital or a figure and not after an
    abbreviation; the source's marks all count."""
    text = text.strip()
    if not any(c.isalpha() for c in text):
        return 0
    n = 1
    for m in _CJK_END.finditer(text):
        if m.end() < len(text) and any(c.isalpha() for c in text[m.end():]):
            n += 1
    for m in _END.finditer(text):
        rest = text[m.end():]
        if not any(c.isalpha() for c in rest):
            continue
        if strict:
            nxt = _NEXT.match(rest)
            if nxt is None or not (nxt.group(1).isupper() or nxt.group(1).isdigit()):
                continue
            if m.group()[0] == "." and _ABBREV.search(text, 0, m.start() + 1):
                continue
        n += 1
    if not strict:
        n += sum(1 for m in _GLUED_END.finditer(text) if text[m.end()].isupper() and text[m.end() + 1].islower())
    return n


@register
class PairSentenceCount(Rule):
    id = "pair.sentence_count"
    category = Category.GARBLE
    severity = Severity.WARNING
    mqm = "Fluency/Grammar"
    needs_source = True
    scope = "document"
    description = "A translation with at least two sentences more than its source segment."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for pair in segment_pairs(ctx):
            if "." not in pair.target and "!" not in pair.target and "?" not in pair.target:
                continue
            src = count_sentences(pair.source, strict=False)
            if not src:
                continue
            tgt = count_sentences(pair.target, strict=True)
            if tgt - src >= _EXTRA:
                yield self.finding(ctx, pair.start, pair.end,
                                   f"the translation has {tgt} sentences, the source segment {src}: "
                                   "a clause broken off into a sentence of its own?",
                                   data={"source_sentences": src, "target_sentences": tgt})
