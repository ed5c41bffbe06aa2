"""pair.start_capital: the source segment starts with a capital or a figure, the translation in lower case.

Only where the source's script has case or the segment starts with a figure: a
Chinese source starting with a Han character has no capital to compare. Words
that start in lower case by design ("iPhone", "eBay") are left alone.
"""
from __future__ import annotations

from typing import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...registry import Context, Rule, register
from ._pairs import first_letter, segment_pairs


def _word_at(text: str, i: int) -> str:
    end = i
    while end < len(text) and (text[end].isalnum() or text[end] in "-'\u2019"):
        end += 1
    return text[i:end]


@register
class PairStartCapital(Rule):
    id = "pair.start_capital"
    category = Category.TYPOGRAPHY
    severity = Severity.WARNING
    fix = FixSafety.UNSAFE
    mqm = "Fluency/Spelling"
    needs_source = True
    scope = "document"
    description = ("The source segment starts with a capital letter or a figure and the translation "
                   "in lower case.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        for pair in segment_pairs(ctx):
            s = first_letter(pair.source)
            t = first_letter(pair.target)
            if s is None or t is None or not (s[1].isupper() or s[1].isdigit()) or not t[1].islower():
                continue
            word = _word_at(pair.target, t[0])
            if any(c.isupper() for c in word[1:]) or any(c.isdigit() for c in word):
                continue  # "iPhone", "eBay", "x86"
            upper = t[1].upper()
            if len(upper) != 1:
                continue  # "ß" has no one-letter capital
            start = pair.start + t[0]
            yield self.finding(ctx, start, start + 1,
                               "the source segment starts with a capital letter or a figure, "
                               "the translation in lower case",
                               replacement=upper)
