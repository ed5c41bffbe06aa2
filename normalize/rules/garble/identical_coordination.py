"""garble.identical_coordination: one phrase joined to itself ("a relative or a relative").

Slavic and Romance sources pair the masculine and feminine forms of a noun or
pronoun ("рідний або рідна", "he or she" as "він або вона"); English has one
form for both, so MT writes the same phrase twice around "or". The same
happens when two source synonyms collapse into one target word. Reported:
a phrase of one to four words, then a coordinator, then the same phrase
again (case aside). "and" needs a phrase of two words or more: "more and more",
"again and again" and the like are idioms, and single doubled words are
``repetition.doubled_word``'s. Coordinators are data: ``coordinators_or`` and
``coordinators_and`` in ``syntax.yaml``.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ...findings import Category, Finding, Severity
from ...registry import Context, Rule, register
from ._prose import word_set

_WORD = r"[^\W\d_][\w'\u2019-]*"


@functools.cache
def _pattern(lang: str) -> re.Pattern[str] | None:
    """``X or X`` (one to four words) and ``X Y and X Y`` (two to four words)."""
    ors = sorted(word_set(lang, "coordinators_or"), key=len, reverse=True)
    ands = sorted(word_set(lang, "coordinators_and"), key=len, reverse=True)
    if not ors and not ands:
        return None
    alternatives = []
    if ors:
        alternatives.append(rf"(?P<x>{_WORD}(?:[ ]{_WORD}){{0,3}})[ ](?:{'|'.join(map(re.escape, ors))})"
                            rf"[ ](?P=x)")
    if ands:
        alternatives.append(rf"(?P<y>{_WORD}(?:[ ]{_WORD}){{1,3}})[ ](?:{'|'.join(map(re.escape, ands))})"
                            rf"[ ](?P=y)")
    return re.compile(rf"(?<![\w'\u2019-])(?:{'|'.join(alternatives)})(?![\w'\u2019-])", re.IGNORECASE)


@register
class IdenticalCoordination(Rule):
    id = "garble.identical_coordination"
    category = Category.GARBLE
    scope = "line"
    severity = Severity.WARNING
    mqm = "Fluency/Grammar"
    description = ("The same phrase joined to itself ('a relative or a relative'): the source's "
                   "masculine and feminine forms, or two synonyms, collapsed into one (data: syntax.yaml).")

    def applies_to(self, ctx: Context) -> bool:
        return super().applies_to(ctx) and _pattern(ctx.language.code) is not None

    def check(self, ctx: Context) -> Iterator[Finding]:
        pattern = _pattern(ctx.language.code)
        assert pattern is not None
        text = ctx.text
        lang = ctx.language.code
        coordinators = word_set(lang, "coordinators_or") | word_set(lang, "coordinators_and")
        pos = 0
        while True:
            m = pattern.search(text, pos)
            if m is None:
                return
            phrase = m.group("x") or m.group("y")
            if coordinators.intersection(phrase.lower().split()):
                pos = m.start() + 1
                continue  # "on and on and on": a repetition idiom, not two phrases
            yield self.finding(
                ctx, m.start(), m.end(),
                f"'{m.group()}' joins '{phrase}' to itself: two source forms (masculine and "
                f"feminine, or two synonyms) became one; write it once or name both")
            pos = m.end()
