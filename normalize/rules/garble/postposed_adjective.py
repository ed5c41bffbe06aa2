"""garble.postposed_adjective: an adjective left after its noun in English ("the president French").

French, Spanish and Italian put most adjectives after the noun ("le président
français", "la fiscalía federal"); MT sometimes keeps the order. The rule
looks in prose sentences (see :mod:`._prose`) for determiner + lower-case noun
+ adjective of a closed class (nationality and relational adjectives:
``postposed_adjectives`` in ``syntax.yaml``) followed by punctuation or a
function word, so "the president French, who" is reported and "the French
president" or "a French-born" are not. Nationality words that also name
people ("a young German") count only after an institutional head noun
("the government German"); words such as "fluent" or "average" before a
nationality are adjectives, not nouns (``not_head_nouns``).
"""
from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import NamedTuple

from ...analysis.lookup import word_indices
from ...analysis.words import WordSpans
from ...findings import Category, Finding, Severity
from ...languages import get_language
from ...registry import Context, Rule, register
from ._prose import syntax_data, word_set

_CLOSERS = ".,;:!?)\u2014\u2013"


@functools.cache
def _function_words(lang: str) -> frozenset[str]:
    """The language's closed-class words (function_words.yaml): never the noun."""
    return frozenset(str(w).lower() for w in get_language(lang).data("function_words").get("words") or [])


class _Cues(NamedTuple):
    """The word lists of the rule for one language, built once (not at every check)."""

    adjectives: frozenset[str]   # as written (the test is case-sensitive)
    person: frozenset[str]
    heads: frozenset[str]
    dets: frozenset[str]
    followers: frozenset[str]
    not_heads: frozenset[str]


@functools.cache
def _cues(lang: str) -> _Cues | None:
    data = syntax_data(lang)
    adjectives = frozenset(data.get("postposed_adjectives") or [])
    if not adjectives:
        return None
    heads = word_set(lang, "head_nouns")
    dets = word_set(lang, "postposed_determiners")
    followers = word_set(lang, "postposed_followers")
    not_heads = word_set(lang, "not_head_nouns") | dets | followers | (_function_words(lang) - heads)
    return _Cues(adjectives, frozenset(data.get("person_adjectives") or []), heads, dets,
                 followers, not_heads)


@register
class PostposedAdjective(Rule):
    id = "garble.postposed_adjective"
    category = Category.GARBLE
    scope = "line"
    severity = Severity.WARNING
    mqm = "Fluency/Grammar"
    description = ("An adjective left after its noun in the source's order ('the president French', "
                   "'the prosecution federal') (data: syntax.yaml).")

    def applies_to(self, ctx: Context) -> bool:
        return super().applies_to(ctx) and bool(syntax_data(ctx.language.code).get("postposed_adjectives"))

    def check(self, ctx: Context) -> Iterator[Finding]:
        cues = _cues(ctx.language.code)
        if cues is None:
            return
        adjectives, person, heads, dets, followers, not_heads = cues
        # A reported adjective stands between a space and a closer or a space (see below),
        # so it is a whole \w+ word of the text: the document's word look-up finds them
        # all, and only the sentences holding one that may be reported are split into words.
        found = word_indices(ctx, adjectives)
        if not found:
            return
        text = ctx.text
        offsets = _candidates(text, ctx.analysis.words, found, cues)
        if not offsets:
            return
        for sentence in ctx.analysis.prose_sentences.holding(offsets):
            words = sentence.words
            for i in range(1, len(words) - 1):
                det, noun, adj = words[i - 1], words[i], words[i + 1]
                if adj.text not in adjectives or det.low not in dets:
                    continue
                if text[det.end:noun.start] != " " or text[noun.end:adj.start] != " ":
                    continue  # hyphens, quotes or punctuation between them: another structure
                if not noun.text.isalpha() or not noun.text.islower() or len(noun.text) < 3 \
                        or noun.low in not_heads or noun.low.endswith("ly"):
                    continue
                if adj.text in person and noun.low not in heads:
                    continue
                after = text[adj.end:adj.end + 1]
                if after == "-" or after.isalnum():
                    continue
                nxt = words[i + 2] if i + 2 < len(words) else None
                rest = text[adj.end:nxt.start if nxt else sentence.end].strip()
                if not ((rest and rest[0] in _CLOSERS) or (nxt and not rest and nxt.low in followers)):
                    continue
                yield self.finding(
                    ctx, noun.start, adj.end,
                    f"'{noun.text} {adj.text}': the adjective stands after its noun, in the source's "
                    f"order; write '{adj.text} {noun.text}' (check the sentence against the source)")


def _candidates(text: str, spans: WordSpans, found: list[int], cues: _Cues) -> list[int]:
    """Starts of the listed adjectives (words ``found`` of ``spans``) that may be reported:
    what the sentence loop asks of the noun and of the character after the adjective,
    asked of the document's words first (a noun of lower-case letters between two
    single spaces is one of them), so that most sentences holding a listed adjective
    ("the French president") are not split into words."""
    starts, ends = spans.starts, spans.ends
    out = []
    for i in found:
        start, end = int(starts[i]), int(ends[i])
        if i == 0 or text[int(ends[i - 1]):start] != " ":
            continue
        after = text[end:end + 1]
        if not (after in _CLOSERS or after.isspace()) or not after:
            continue  # neither a closer nor a space (then a follower) after the adjective
        noun = text[int(starts[i - 1]):int(ends[i - 1])]
        if not noun.isalpha() or not noun.islower() or len(noun) < 3:
            continue
        low = noun.lower()
        if low in cues.not_heads or low.endswith("ly") or (text[start:end] in cues.person and low not in cues.heads):
            continue
        out.append(start)
    return out
