"""typography.lost_sentence_break: two sentences run together without a full stop.

MT that joins segments, and scrapers that join lines, drop the full stop
between two sentences: "... said said The head of the administration",
"... verkörpert sind arbeiten Unter den Exporteuren ...". The trace is a
capitalised function word (an article, a preposition, a pronoun) in the
middle of a sentence, after a lower-case word and before another lower-case
word. Titles and names that begin with such a word are followed by a capital
("The Hague", "Die Zeit", "In Bruges") and are left alone. The words are
data: ``sentence_openers`` in ``corpora/rules/<lang>/typography.yaml``.

With the source at hand, a run-together the source segment has too (it ends no
more sentences than the translation: page debris such as "thumbleft The ...",
or a source that lacks the stop itself) is left alone: the translation lost no
break.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ...analysis.lookup import matches_at, single_words, word_indices
from ...analysis.segments import segment_at
from ...findings import Category, Finding, Severity
from ...languages import get_language
from ...patterns import LazyPattern
from ...registry import Context, Rule, register

_LOWER = r"[^\W\d_A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ]"
#: A sentence end in any script: a stop, question or exclamation mark (or the CJK ones)
#: before a space, a closing mark or the end of the segment.
_SENTENCE_END = LazyPattern(r"[.!?\u2026](?=[\s\"\u201d\u00bb)\]]|$)|[\u3002\uff01\uff1f]")


@functools.cache
def _pattern(lang: str) -> re.Pattern[str] | None:
    words = get_language(lang).data("typography").get("sentence_openers") or []
    if not words:
        return None
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    # a lower-case word of two letters or more, one space, the capitalised opener, one
    # space, a lower-case word: case-sensitive on purpose
    return re.compile(rf"(?<={_LOWER}{_LOWER}) (?P<word>{alternation}) (?={_LOWER}{_LOWER})")


@functools.cache
def _openers(lang: str) -> frozenset[str] | None:
    """The openers as words to look up (case-sensitive), or None when one of them is no
    single ``\\w+`` word: the pattern then scans the whole text."""
    words = frozenset(get_language(lang).data("typography").get("sentence_openers") or [])
    return words if single_words(words) else None


@register
class LostSentenceBreak(Rule):
    id = "typography.lost_sentence_break"
    category = Category.TYPOGRAPHY
    scope = "document"  # the source segment of a line is read
    # In pieces: local. The pattern reads two letters, a space, the opener, a space and two
    # letters on one line, and the source segment (a text with --source is read whole).
    severity = Severity.WARNING
    mqm = "Fluency/Punctuation"
    description = ("Two sentences run together: a capitalised article, preposition or pronoun in the "
                   "middle of a sentence ('... said The head of ...'), where a full stop was lost "
                   "(data: sentence_openers in typography.yaml).")

    def applies_to(self, ctx: Context) -> bool:
        return super().applies_to(ctx) and _pattern(ctx.language.code) is not None

    def check(self, ctx: Context) -> Iterator[Finding]:
        pattern = _pattern(ctx.language.code)
        assert pattern is not None
        openers = _openers(ctx.language.code)
        if openers is None:
            found = pattern.finditer(ctx.text)
        else:
            # Every match is a space and then an opener written as it is listed, a whole
            # word: the pattern is tried only before the openers' occurrences (clean text
            # capitalises them only where a sentence starts).
            starts = ctx.analysis.words.starts
            found = matches_at(ctx.text, pattern,
                               [int(starts[i]) - 1 for i in word_indices(ctx, openers) if starts[i]])
        for m in found:
            start, end = m.start("word"), m.end("word")
            if ctx.source_text is not None and _break_in_source_too(ctx, start):
                continue
            yield self.finding(
                ctx, start - 1, end,
                f"'{m.group('word')}' is capitalised in the middle of a sentence: a full stop is "
                f"probably missing before it (two sentences run together)")


def _break_in_source_too(ctx: Context, pos: int) -> bool:
    """Whether the source segment of ``pos`` ends no more sentences than its translation."""
    pair = segment_at(ctx, pos)
    return pair is not None and \
        len(_SENTENCE_END.findall(pair.source)) <= len(_SENTENCE_END.findall(pair.target))
