"""repetition.doubled_word: "the the", "le le" — a word typed or translated twice."""
from __future__ import annotations

import functools
from collections.abc import Iterator

from ...analysis.words import repeat_candidate
from ...findings import Category, Finding, FixSafety, Severity
from ...languages import get_language
from ...registry import Context, Rule, register

#: What may stand before the first word: a doubled word starts a word group.
_OPENERS = frozenset(" \t\n\r\u00a0\u202f([\"\u201c\u201e\u00ab\u2018'\u2014\u2013")
#: What may not follow the second word.
_JOINERS = frozenset("-\u2010\u2011'\u2019")


@functools.cache
def _allowed(lang: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in get_language(lang).data("repetition").get("allowed", []))


@functools.cache
def _function_words(lang: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in get_language(lang).data("function_words").get("words", []))


@register
class DoubledWord(Rule):
    id = "repetition.doubled_word"
    category = Category.GARBLE
    scope = "line"
    severity = Severity.WARNING
    fix = FixSafety.SAFE
    mqm = "Fluency/Grammar"
    description = "The same word twice in a row, except words that may legitimately repeat (data: repetition.yaml)."

    def check(self, ctx: Context) -> Iterator[Finding]:
        allowed = _allowed(ctx.language.code)
        text = ctx.text
        spans = ctx.analysis.words
        if not spans.fast:
            # A short text: its lower-cased words are at hand (shared by several rules),
            # and the test below keeps only pairs that agree lower-cased, so look at those
            # pairs alone (still with repeated_pairs' own test, to report the same ones).
            low, starts, ends = spans.lower_words(), spans.starts, spans.ends
            pairs = [(starts[i], ends[i], starts[i + 1], ends[i + 1]) for i in range(len(low) - 1)
                     if low[i] == low[i + 1] and repeat_candidate(text, starts[i], ends[i],
                                                                  starts[i + 1], ends[i + 1])]
        else:
            pairs = spans.repeated_pairs()
        for start, end, start2, end2 in pairs:
            word, again = text[start:end], text[start2:end2]
            if word.lower() != again.lower() or not word.isalpha():
                continue
            if text[end:start2].strip(" \t"):
                continue  # something other than spaces between them
            if (start and text[start - 1] not in _OPENERS) or text[end2:end2 + 1] in _JOINERS:
                continue  # part of a compound: "low-power power line", "power power-line"
            if word.casefold() in allowed:
                continue
            if (word[:1].isupper() and again[:1].isupper() and not word.isupper()
                    and not ctx.language.capitalises_nouns
                    and word.casefold() not in _function_words(ctx.language.code)):
                continue  # a reduplicated name: "Sirhan Sirhan", "Boutros Boutros-Ghali"
            yield self.finding(ctx, start, end2, f"'{word}' is doubled; remove the repeat",
                               replacement=word)
