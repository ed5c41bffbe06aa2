"""pair.quotes: quotation marks of the source segment against the translation's.

Each language writes a quotation with its own pair of marks: « » in French,
„ “ in German, “ ” in English, 「 」 in Japanese, straight " anywhere. Every
one of these pairs is two marks, so the number of double quotation marks is
comparable across conventions: a « » pair in a French source equals “ ” in an
English translation. Single marks are left alone: ’ and ' are also apostrophes.

A translation with an odd number of marks where the source's pair up is a
warning; a different even number (a quotation dropped or added, which
translators do for emphasis quotes) is only information.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...analysis.segments import segment_pairs
from ...findings import Category, Finding, Severity
from ...registry import Context, Rule, register

#: Double quotation marks of every convention (one mark each; a quotation has two).
DOUBLE_QUOTES = frozenset("\"\u201c\u201d\u201e\u201f\u00ab\u00bb\u300c\u300d\uff02\u301d\u301e")


def quote_count(text: str) -> int:
    """The double quotation marks of ``text``, inch and second marks after a digit
    aside, unless leaving them out would unpair the rest ("Rescue-2021”" closes a quote)."""
    marks = [i for i, ch in enumerate(text) if ch in DOUBLE_QUOTES]
    inches = sum(1 for i in marks if text[i] in "\"\u201d" and i and text[i - 1].isdigit()
                 and (i + 1 == len(text) or not text[i + 1].isalnum()))
    return len(marks) if (len(marks) - inches) % 2 else len(marks) - inches


@register
class PairQuotes(Rule):
    id = "pair.quotes"
    category = Category.GARBLE
    severity = Severity.WARNING
    mqm = "Fluency/Punctuation"
    needs_source = True
    scope = "document"
    description = ("Quotation marks of the source segment (any convention: « », „ “, “ ”, 「 」) "
                   "that the translation leaves unpaired or renders with a different count.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        for pair in segment_pairs(ctx):
            s, t = quote_count(pair.source), quote_count(pair.target)
            if s == t or s % 2:
                continue  # the same, or the source itself is unpaired (a quote over lines)
            if t % 2:
                yield self.finding(
                    ctx, pair.start, pair.end,
                    f"the translation has {t} quotation mark(s), which do not pair up; "
                    f"the source has {s}",
                    data={"source": s, "target": t})
            else:
                yield self.finding(
                    ctx, pair.start, pair.end,
                    f"the source has {s // 2} quotation(s), the translation {t // 2}",
                    severity=Severity.INFO, data={"source": s, "target": t})
