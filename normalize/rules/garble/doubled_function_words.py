"""garble.doubled_function_words: function words stitched twice ("of the of the", "the of").

MT that merges two renderings of one phrase, or a scraper that cuts a link,
leaves a preposition repeated around a determiner ("the head of the of the
region") or an article right before a preposition ("the of the region").
Identical neighbours ("in in") are ``repetition.doubled_word``'s and two
articles ("the a") ``garble.article_collision``'s; this rule covers what they
leave (data: ``doubled_prepositions``, ``doubled_determiners``,
``after_article_prepositions`` in ``syntax.yaml``). German and Spanish are not
claimed: "in der in Berlin ansässigen Firma" and "la de Juan" are grammatical.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from itertools import pairwise

from ...analysis.lookup import matches_at, pair_hits, single_words
from ...findings import Category, Finding, Severity
from ...languages import get_language
from ...registry import Context, Rule, register
from ._prose import word_set


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


@functools.cache
def _triggers(lang: str) -> tuple[tuple[frozenset[str], frozenset[str]] | None,
                                  tuple[frozenset[str], frozenset[str]] | None]:
    """For each of :func:`_patterns`, the (first word, second word) pairs that open every
    match, as lower-case word sets for :func:`~normalize.analysis.lookup.pair_hits`; None
    where a word is no single ``\\w+`` word (an elided "l'") or does not lower-case back
    from its capitalised form: that pattern then scans the whole text."""
    preps = word_set(lang, "doubled_prepositions")
    dets = word_set(lang, "doubled_determiners")
    doubled = (preps, dets) if single_words(preps | dets) else None
    after = word_set(lang, "after_article_prepositions")
    articles = [a.lower() for a in get_language(lang).data("articles").get("articles") or []]
    collided = None
    if single_words([*after, *articles]) and all((a[0].upper() + a[1:]).lower() == a for a in articles):
        collided = (frozenset(articles), after)
    return doubled, collided


@functools.cache
def _word_runs(lang: str) -> tuple[frozenset[tuple[str, str, str]], frozenset[tuple[str, str]]]:
    """The runs of lower-case words that every match of :func:`_patterns` is, where
    :func:`_triggers` has their words: (preposition, determiner, same preposition) and
    (article, preposition). A short text's consecutive words are tested against them at
    C speed, before any pattern is tried."""
    doubled, collided = _triggers(lang)
    triples = frozenset((p, d, p) for p in doubled[0] for d in doubled[1]) if doubled else frozenset()
    pairs = frozenset((a, p) for a in collided[0] for p in collided[1]) if collided else frozenset()
    return triples, pairs


@functools.cache
def _patterns(lang: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """(preposition determiner same-preposition, article preposition), None where no data."""
    preps = word_set(lang, "doubled_prepositions")
    dets = word_set(lang, "doubled_determiners")
    doubled = None
    if preps and dets:
        elided = [d for d in dets if d.endswith(("'", "\u2019"))]
        spaced = [d for d in dets if d not in elided]
        det = rf"(?:(?:{_alt(spaced)})[ ]" + (rf"|(?:{_alt(elided)})" if elided else "") + ")"
        doubled = re.compile(rf"(?<![\w'\u2019-])(?P<p>{_alt(preps)})[ ]{det}(?P=p)(?=[ ])")
    after = word_set(lang, "after_article_prepositions")
    articles = [a.lower() for a in get_language(lang).data("articles").get("articles") or []]
    collided = None
    if after and articles:
        # The article may open a sentence ("The of the region"); the preposition stays lower-case.
        capitalised = [a[0].upper() + a[1:] for a in articles]
        collided = re.compile(rf"(?<![\w'\u2019-])(?:{_alt(articles + capitalised)})[ ](?:{_alt(after)})(?=[ ])")
    return doubled, collided


@register
class DoubledFunctionWords(Rule):
    id = "garble.doubled_function_words"
    category = Category.GARBLE
    scope = "line"
    severity = Severity.WARNING
    mqm = "Fluency/Grammar"
    description = ("Function words stitched twice: a preposition repeated around a determiner "
                   "('of the of the'), an article before a preposition ('the of') (data: syntax.yaml).")

    def applies_to(self, ctx: Context) -> bool:
        return super().applies_to(ctx) and any(_patterns(ctx.language.code))

    def check(self, ctx: Context) -> Iterator[Finding]:
        lang = ctx.language.code
        doubled, collided = _patterns(lang)
        allowed = word_set(lang, "doubled_allowed")
        text = ctx.text
        hits: list[tuple[int, int, str]] = []
        # Clean text holds few (preposition, determiner) and (article, preposition) pairs
        # of words: the patterns are tried only where one starts.
        doubled_at, collided_at = _triggers(lang)
        spans = ctx.analysis.words
        if not spans.fast:
            # A short text (a record, an article): most hold neither run of words at all,
            # which its lower-case words (made once for all rules) tell without a lookup.
            lower = spans.lower_words()
            triples, pairs = _word_runs(lang)
            if doubled_at is not None and triples.isdisjoint(zip(lower, lower[1:], lower[2:])):
                doubled = None
            if collided_at is not None and pairs.isdisjoint(pairwise(lower)):
                collided = None
        # Lower-case only: "Of The Of" in a title, "The Of Monsters" a band name.
        if doubled is not None:
            found = doubled.finditer(text) if doubled_at is None else \
                matches_at(text, doubled, _doubled_starts(ctx, *doubled_at))
            for m in found:
                if m.group() not in allowed:
                    hits.append((m.start(), m.end(),
                                 f"'{m.group()}': the preposition is repeated around the determiner "
                                 f"(two renderings stitched together); keep one"))
        if collided is not None:
            found = collided.finditer(text) if collided_at is None else \
                matches_at(text, collided, [p[0] for p in pair_hits(ctx, *collided_at)])
            for m in found:
                if any(s <= m.start() < e for s, e, _ in hits):
                    continue  # the end of "of the of": one finding for one garble
                hits.append((m.start(), m.end(),
                             f"'{m.group()}': an article right before a preposition; a word is "
                             f"missing or one of them must go"))
        for start, end, message in sorted(hits):
            yield self.finding(ctx, start, end, message)


def _doubled_starts(ctx: Context, preps: frozenset[str], dets: frozenset[str]) -> list[int]:
    """Starts of the words that may open a preposition repeated around a determiner (a
    superset): a preposition, a determiner, then a word that hashes as the first does.
    On a large text the third word is compared in the vectorised look-up too: a pair
    such as "of the" alone is met every few words, a doubled one seldom."""
    index = ctx.analysis.word_index
    if index is None:
        return [p[0] for p in pair_hits(ctx, preps, dets)]
    import numpy as np

    hashes = index.hashes
    runs = index.mask(preps)[:-2] & index.mask(dets)[1:-1] & (hashes[:-2] == hashes[2:])
    return index.starts[np.flatnonzero(runs)].tolist()
