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
from ...patterns import LazyPattern
from ...registry import Context, Rule, register
from ._prose import word_set

_WORD = r"[^\W\d_][\w'\u2019-]*"


@functools.cache
def _pattern(lang: str) -> re.Pattern[str] | None:
    """``X or X`` (one to four words) and ``X Y and X Y`` (two to four words)."""
    ors = sorted(word_set(lang, "coordinators_or"), key=lambda w: (-len(w), w))
    ands = sorted(word_set(lang, "coordinators_and"), key=lambda w: (-len(w), w))
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
        for start, end, phrase in _matches(pattern, _coordinator_pattern(lang), text, _coordinators(lang)):
            yield self.finding(
                ctx, start, end,
                f"'{text[start:end]}' joins '{phrase}' to itself: two source forms (masculine and "
                f"feminine, or two synonyms) became one; write it once or name both")


#: A match spans at most four words each side of the coordinator, each shorter than this.
_REACH = 400
#: The word that ends where the search range ends.
_TOKEN_AT_END = LazyPattern(_WORD + r"\Z")


@functools.cache
def _coordinators(lang: str) -> frozenset[str]:
    """Every coordinator of the language, lower case."""
    return word_set(lang, "coordinators_or") | word_set(lang, "coordinators_and")


@functools.cache
def _coordinator_pattern(lang: str) -> re.Pattern[str]:
    words = sorted(_coordinators(lang), key=lambda w: (-len(w), w))
    # The run of word characters after it, where a repeated phrase would open, is read
    # in the same pass (a look-ahead: the match still ends after the space).
    return re.compile(rf"[ ](?:{'|'.join(map(re.escape, words))})[ ](?=(?P<after>[\w'\u2019-]*))",
                      re.IGNORECASE)


def _words_before(text: str, end: int, most: int) -> list[tuple[int, int]]:
    """(start, end) of the up to ``most`` words that run, one space apart, up to ``end``,
    nearest last."""
    words: list[tuple[int, int]] = []
    j = end
    while len(words) < most:
        space = text.rfind(" ", max(0, j - _REACH), j)
        start = space + 1 if space != -1 else max(0, j - _REACH)
        m = _TOKEN_AT_END.search(text, start, j)
        if m is None:
            break
        words.append((m.start(), j))
        if m.start() != start:
            break  # the first word of a phrase may follow punctuation: "(a relative or ..."
        if space == -1 or space == 0 or text[space - 1] == " ":
            break
        j = space
    words.reverse()
    return words


def _may_repeat(first: str, after: str) -> bool:
    """Whether a phrase opening with the word ``first`` can come back as the text
    ``after`` the coordinator (the run of word characters there: the repeat's first
    word, which ends where the phrase's first word does): the backreference
    compares case aside, so the two words are equal case aside. Only ASCII words are
    compared here; others (whose case folding the regex engine does its own way) are
    left to the pattern."""
    if first.isascii() and after.isascii():
        return first.lower() == after.lower()
    return True


def _no_candidate(text: str, at: int, after: str, coordinator: re.Pattern[str]) -> bool:
    """Whether none of the words before the coordinator at ``at`` can open a repeated
    phrase, told without finding them: they lie after the fourth space before ``at``,
    and in an ASCII stretch a word equal to ``after`` (case aside) shows there as its
    lower-case form followed by a space. No coordinator may stand there either (a start
    before one is always tried). Most coordinators end here, at C speed."""
    lo = at
    for _ in range(4):
        lo = text.rfind(" ", 0, lo)
        if lo == -1:
            lo = 0
            break
    stretch = text[lo:at + 1]
    return stretch.isascii() and after.lower() + " " not in stretch.lower() \
        and coordinator.search(text, lo, at + 1) is None


def _matches(pattern: re.Pattern[str], coordinator: re.Pattern[str], text: str,
             coordinators: frozenset[str]) -> Iterator[tuple[int, int, str]]:
    """(start, end, phrase) of each phrase joined to itself, left to right.

    The backreference is tried only where it can match: from the starts of the (up to
    four) words before each coordinator, farthest first, as a search from the text's
    start would find them (at every word of a text it costs a third of a second per MB;
    the coordinators are found at C speed); and of those, only from a word that comes
    back right after the coordinator (most coordinators join two different phrases).
    A phrase that would reach over this coordinator to a later one holds a coordinator
    and is rejected anyway; where a coordinator stands between the start and this one,
    the start is tried as before."""
    pos = 0
    for hit in coordinator.finditer(text):
        if hit.start() < pos:
            continue
        after = hit.group("after")
        if after.isascii() and _no_candidate(text, hit.start(), after, coordinator):
            continue
        window_end = min(len(text), hit.end() + _REACH * 4)
        words = _words_before(text, hit.start(), 4)
        for k, (start, end) in enumerate(words):
            if start < pos:
                continue
            if not _may_repeat(text[start:end], after) and \
                    not any(text[s:e].lower() in coordinators for s, e in words[k + 1:]):
                continue
            m = pattern.match(text, start, window_end)
            if m is None:
                continue
            phrase = m.group("x") or m.group("y")
            if coordinators.intersection(phrase.lower().split()):
                continue  # "on and on and on": a repetition idiom, not two phrases
            yield m.start(), m.end(), phrase
            pos = m.end()
            break
