"""Find given words in a document in one vectorised pass, not one ``str.find`` per word.

Rules with dozens of trigger words (modals for ``garble.source_word_order``,
anchors of ``calque.false_friend``) would pay a full ``str.find`` scan per
word (~3-5 ms per 5 MB each). Instead they look words up through the
document's word hashes (``ctx.analysis.word_index``, see
:mod:`normalize.analysis.word_index`): only the candidates a hash table lets
through are confirmed against the text. Short documents (no numpy arrays, so
no numpy import on a single article) use a plain loop over the words.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from itertools import compress
from typing import TYPE_CHECKING

from .words import code_points_at, is_capital

if TYPE_CHECKING:
    from ..registry import Context


def _vocab(words: Iterable[str]) -> frozenset[str]:
    """``words`` as a frozenset without the empty word.

    Callers pass word lists built once at data load (frozensets of up to ~600k
    surfaces); those are used as they are, since copying one costs more than a
    whole check of a short document. The hash tables below key on that same
    object, whose hash Python computes once."""
    if isinstance(words, frozenset):
        return _without_empty(words) if "" in words else words
    if isinstance(words, tuple):  # literal word lists in rule code: ("in",), ("the",)
        return _without_empty(words)
    return frozenset(w for w in words if w)


@functools.lru_cache(maxsize=64)
def _without_empty(words: frozenset[str] | tuple[str, ...]) -> frozenset[str]:
    return frozenset(w for w in words if w)


def word_hits(ctx: Context, words: Iterable[str]) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` of every whole-word occurrence of one of ``words``
    (lower-case, each one ``\\w+`` word), matched case-insensitively, in text order."""
    vocab = _vocab(words)
    if not vocab:
        return []
    text = ctx.text
    index = ctx.analysis.word_index
    out: list[tuple[int, int, str]] = []
    if index is None:
        spans = ctx.analysis.words
        lower = spans.lower_words()
        if vocab.isdisjoint(lower):  # the usual case, tested in C
            return []
        # compress and map run in C: a third of a comprehension's time
        return list(compress(zip(spans.starts, spans.ends, lower), map(vocab.__contains__, lower)))
    import numpy as np

    idx = np.flatnonzero(index.mask(vocab))
    for s, e in zip(index.starts[idx].tolist(), index.ends[idx].tolist()):
        w = text[s:e].lower()
        if w in vocab:
            out.append((s, e, w))
    return out


def pair_hits(ctx: Context, firsts: Iterable[str], seconds: Iterable[str] = (),
              capital_first: bool = False, capital_second: bool = False,
              after_comma: bool = False) -> list[tuple[int, int, int, int]]:
    """``(start1, end1, start2, end2)`` of consecutive words, the first one of
    ``firsts`` and the next one of ``seconds`` (case-insensitive) or, with
    ``capital_second``, any word starting with a capital. With ``capital_first``
    the first word must start with a capital, unless ``after_comma`` and it
    follows ", ". Callers check what separates the two words."""
    v1 = _vocab(firsts)
    v2 = _vocab(seconds)
    if not v1 or not (v2 or capital_second):
        return []
    text = ctx.text
    index = ctx.analysis.word_index
    out: list[tuple[int, int, int, int]] = []

    def first_ok(s: int) -> bool:
        return not capital_first or is_capital(text[s]) or (after_comma and text[s - 2:s] == ", ")

    if index is None:
        spans = ctx.analysis.words
        starts, ends, lower = spans.starts, spans.ends, spans.lower_words()
        if v1.isdisjoint(lower):  # the usual case, tested in C
            return out
        for i in range(len(starts) - 1):
            if lower[i] in v1 and first_ok(starts[i]) and \
                    (lower[i + 1] in v2 or (capital_second and is_capital(text[starts[i + 1]]))):
                out.append((starts[i], ends[i], starts[i + 1], ends[i + 1]))
        return out
    import numpy as np

    def second_ok(s: int, e: int) -> bool:
        return text[s:e].lower() in v2 or (capital_second and is_capital(text[s]))

    m1 = index.mask(v1)[:-1]
    if capital_first:
        cap = index.capital[:-1]
        if after_comma:
            st = index.starts[:-1]
            comma = (st >= 2) & (code_points_at(text, np.maximum(st - 1, 0)) == 32) \
                & (code_points_at(text, np.maximum(st - 2, 0)) == 44)
            cap |= comma
        m1 = m1 & cap
    m2 = index.mask(v2)[1:] if v2 else np.zeros(len(index.starts) - 1, dtype=bool)
    if capital_second:
        m2 = m2 | index.capital[1:]
    idx = np.flatnonzero(m1 & m2)
    starts, ends = index.starts, index.ends
    for s1, e1, s2, e2 in zip(starts[idx].tolist(), ends[idx].tolist(),
                              starts[idx + 1].tolist(), ends[idx + 1].tolist()):
        if text[s1:e1].lower() in v1 and first_ok(s1) and second_ok(s2, e2):
            out.append((s1, e1, s2, e2))
    return out


def word_indices(ctx: Context, forms: Iterable[str], *, cache: bool = True) -> list[int]:
    """Indices into ``ctx.analysis.words`` of the words written exactly as one of ``forms``
    (case-sensitive; each form one ``\\w+`` word), in text order. ``cache=False`` for
    forms that differ from text to text (the hash table of a word list built once is
    kept; one of these would only take a place in that cache)."""
    vocab = _vocab(forms)
    if not vocab:
        return []
    text = ctx.text
    spans = ctx.analysis.words
    index = ctx.analysis.word_index
    if index is None:
        words = spans.words()
        if vocab.isdisjoint(words):  # the usual case, tested in C
            return []
        return list(compress(range(len(words)), map(vocab.__contains__, words)))
    import numpy as np

    # The hash folds case, so the mask is a superset: confirm the exact form.
    idx = np.flatnonzero(index.mask(vocab, cache=cache)).tolist()
    starts, ends = index.starts, index.ends
    return [i for i in idx if text[starts[i]:ends[i]] in vocab]


_ONE_WORD = re.compile(r"\w+")


def single_words(words: Iterable[str]) -> bool:
    """Whether every one of ``words`` is one ``\\w+`` word (what the word look-ups of
    :mod:`normalize.analysis.lookup` find): only then can a rule find its pattern's
    matches from the words that open them."""
    return all(_ONE_WORD.fullmatch(w) for w in words)


def matches_at(text: str, pattern: re.Pattern[str], starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, given that every match starts at one of ``starts``
    (in text order; a superset is fine): the pattern is tried only there, not at every
    character (a regex scan costs ~20-50 ns a character, most of it on clean text).
    Matches do not overlap, as finditer's do. The pattern must not match empty text."""
    end = 0
    match = pattern.match
    for start in starts:
        if start < end:
            continue
        m = match(text, start)
        if m is not None:
            end = m.end()
            yield m
