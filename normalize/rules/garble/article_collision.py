"""garble.article_collision: two articles in a row ("a The", "the a", "le la")."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import NamedTuple

from ...analysis.lookup import pair_hits, single_words
from ...findings import Category, Finding, Severity
from ...languages import get_language
from ...registry import Context, Rule, register
from .._scan import bounded, find_all


@functools.cache
def _pairs(lang: str) -> tuple[str, ...]:
    """Every "article article" pair of the language, lower-case, two different articles."""
    data = get_language(lang).data("articles")
    articles = [a.lower() for a in data.get("articles", [])]
    allowed = {p.lower() for p in data.get("allowed_pairs", [])}
    return tuple(f"{a} {b}" for a in articles for b in articles
                 if a != b and f"{a} {b}" not in allowed)


@functools.cache
def _pair_set(pairs: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """The first words of ``pairs``, and the pairs, as sets."""
    return frozenset(p.split(" ")[0] for p in pairs), frozenset(pairs)


class _WordPairs(NamedTuple):
    """The pairs of a language whose articles are single ``\\w+`` words."""

    firsts: frozenset[str]
    seconds: frozenset[str]
    pairs: frozenset[str]
    #: Each pair with a space either side: a short text's lower-case words joined by
    #: spaces (and padded) hold one only where two articles stand in a row.
    padded: tuple[str, ...]


@functools.cache
def _word_pairs(pairs: tuple[str, ...]) -> _WordPairs | None:
    """The pairs for the document's word look-up
    (:func:`~normalize.analysis.lookup.pair_hits`), or None when an article is no single
    ``\\w+`` word (an elided "l'"): the look-up would not find it."""
    firsts = frozenset(p.split(" ")[0] for p in pairs)
    seconds = frozenset(p.split(" ")[1] for p in pairs)
    if not single_words(firsts | seconds):
        return None
    return _WordPairs(firsts, seconds, frozenset(pairs), tuple(f" {p} " for p in pairs))


@functools.cache
def _regex(pairs: tuple[str, ...]) -> re.Pattern[str]:
    alternation = "|".join(re.escape(p).replace("\\ ", " ") for p in pairs)
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)


@register
class ArticleCollision(Rule):
    id = "garble.article_collision"
    category = Category.GARBLE
    scope = "line"
    severity = Severity.ERROR
    mqm = "Fluency/Grammar"
    description = "Two articles collide, usually where MT merged two clauses (data: articles.yaml)."

    def check(self, ctx: Context) -> Iterator[Finding]:
        pairs = _pairs(ctx.language.code)
        if not pairs:
            return
        text = ctx.text
        lookup = _word_pairs(pairs)
        # Whether lower-casing keeps every offset (an ASCII text's does: no copy to make).
        aligned = text.isascii() or ctx.analysis.lower is not None
        spans = ctx.analysis.words
        if aligned and lookup is not None:
            # Articles are single words: a pair is two consecutive words one space apart,
            # what the scans below find, looked up through the document's words (hash
            # tables on a large text, set tests on a short one), not one scan per pair.
            firsts, seconds, wanted, padded = lookup
            if not spans.fast:
                # A short text: most hold no two articles in a row, which one join of its
                # lower-case words (made once for all rules) and a substring test per
                # pair tell at C speed, without a test per word.
                joined = f" {' '.join(spans.lower_words())} "
                if not any(pair in joined for pair in padded):
                    return
            hits = [(s1, e2) for s1, e1, s2, e2 in pair_hits(ctx, firsts, seconds)
                    if text[e1:s2] == " " and f"{text[s1:e1].lower()} {text[s2:e2].lower()}" in wanted]
        elif aligned and not spans.fast:
            # A short text: its words are at hand, lower-cased once for all rules, so
            # testing consecutive pairs is cheaper than one str.find scan per pair.
            # Articles are single words, so this finds what the scan below finds.
            firsts, wanted = _pair_set(pairs)
            starts, ends, words = spans.starts, spans.ends, spans.lower_words()
            hits = [(starts[i], ends[i + 1]) for i in range(len(words) - 1)
                    if words[i] in firsts and starts[i + 1] - ends[i] == 1
                    and text[ends[i]] == " " and f"{words[i]} {words[i + 1]}" in wanted]
        elif not aligned:
            # Lower-casing moved offsets (e.g. 'İ'): fall back to a regex on the original.
            hits = [m.span() for m in _regex(pairs).finditer(text)]
        else:
            # str.find on the lower-cased text: one memory-speed scan per pair.
            low = text.lower()
            hits = [(start, start + len(pair)) for pair in pairs for start in find_all(low, pair)
                    if bounded(text, start, start + len(pair))]
        for start, end in sorted(hits):
            first, second = text[start:end].split(" ", 1)
            if len(second) == 1 and second.isupper():
                continue  # the letter A: "plan A", "the A-team"
            yield self.finding(
                ctx, start, end,
                f"two articles collide ('{first} {second}'): a clause was garbled; "
                f"rewrite it (one of them must go)")
