"""repetition.doubled_word: "the the", "le le" — a word typed or translated twice."""
from __future__ import annotations

import functools
import re
from typing import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...languages import get_language
from ...registry import Context, Rule, register

_DOUBLED = re.compile(r"(?<!\w)(?P<w>[^\W\d_]+)(?P<gap>[ \t]+)(?P<again>(?P=w))(?!\w)", re.I)


@functools.lru_cache(maxsize=None)
def _allowed(lang: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in get_language(lang).data("repetition").get("allowed", []))


@register
class DoubledWord(Rule):
    id = "repetition.doubled_word"
    category = Category.GARBLE
    severity = Severity.WARNING
    fix = FixSafety.SAFE
    mqm = "Fluency/Grammar"
    description = "The same word twice in a row, except words that may legitimately repeat."

    def check(self, ctx: Context) -> Iterator[Finding]:
        allowed = _allowed(ctx.language.code)
        for m in _DOUBLED.finditer(ctx.text):
            word, again = m.group("w"), m.group("again")
            if word.casefold() in allowed:
                continue
            if word[0].isupper() and again[0].isupper() and len(word) > 1:
                continue  # reduplicated names: "Bora Bora", "Walla Walla"
            yield self.finding(
                ctx, m.start(), m.end(), f"'{word}' is doubled; remove the repeat",
                replacement=word)
