"""repetition.doubled_word: "the the", "le le" — a word typed or translated twice."""
from __future__ import annotations

import functools
import re
from typing import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...languages import get_language
from ...registry import Context, Rule, register
from .._scan import lowered

# Matched on the lower-cased text, so no IGNORECASE (which makes the
# backreference much slower). The first alternative is anchored on a literal
# space or opening mark, which lets the engine skip ahead quickly; the second
# catches a doubled word at the start of a line.
_DOUBLED = re.compile(
    r"(?:(?<=[ (\[\"\u201c\u00ab\u2018'])|^)(?P<w>[^\W\d_]+)(?P<gap>[ \t]+)(?P=w)(?!\w)", re.M)
_DOUBLED_ANYCASE = re.compile(
    r"(?:(?<=[ (\[\"\u201c\u00ab\u2018'])|^)(?P<w>[^\W\d_]+)(?P<gap>[ \t]+)(?P=w)(?!\w)", re.M | re.I)


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
        text = ctx.text
        low = lowered(ctx)
        pattern, haystack = (_DOUBLED, low) if low is not None else (_DOUBLED_ANYCASE, text)
        for m in pattern.finditer(haystack):
            start, end = m.span()
            word = text[start:m.end("w")]
            again = text[end - len(word):end]
            if word.casefold() in allowed:
                continue
            if word[0].isupper() and again[0].isupper() and len(word) > 1:
                continue  # reduplicated names: "Bora Bora", "Walla Walla"
            yield self.finding(ctx, start, end, f"'{word}' is doubled; remove the repeat",
                               replacement=word)
