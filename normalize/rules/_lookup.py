"""Find given words in a document in one vectorised pass, not one ``str.find`` per word.

Rules with dozens of trigger words (modals for ``garble.source_word_order``,
anchors of ``calque.false_friend``) would pay a full ``str.find`` scan per
word (~3-5 ms per 5 MB each). Instead every word of the document (the shared
``\\w+`` spans of :mod:`normalize.rules._words`) gets a 20-bit hash of its
length and its first three and last two characters, computed once per
document with numpy; a lookup gathers the hashes through a table of the wanted
words, and only the candidates are confirmed against the text. Short
documents (no numpy arrays, so no numpy import on a single article) use a
plain loop over the words.

Matching ignores case (candidates are confirmed with ``str.lower``); the
hash folds case by setting bit 5 of each code point, which covers ASCII,
Latin-1 and Cyrillic capitals.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from ..registry import Context

_CACHE_KEY = "words.index"
_BITS = 20


def _fold(cp: int) -> int:
    """Case folding for the hash: set bit 5, which maps A-Z to a-z, and also
    À-Þ to à-þ and А-Я to а-я; it merges a few other pairs, which only adds
    candidates (each is confirmed with ``str.lower``)."""
    return cp | 32


def _hash_parts(length, c0, c1, c2, c_2, c_1):
    """A 20-bit hash of a word's length and its first three and last two characters.

    Works on Python ints and on numpy uint32 arrays alike: every step is taken
    modulo 2**32 (numpy wraps; Python ints are masked)."""
    m32 = 0xFFFFFFFF
    x = (length * 0x9E3779B1 + c0 * 0x85EBCA77 + c1 * 0xC2B2AE3D + c2 * 0x27D4EB2F
         + c_2 * 0x165667B1 + c_1 * 0xD3A2646C) & m32
    x = ((x ^ (x >> 15)) * 0x2C1B3C6D) & m32
    return x >> (32 - _BITS)


def _word_hash(word: str) -> int:
    cps = [_fold(ord(c)) for c in word]
    n = len(cps)
    return _hash_parts(min(n, 1000), cps[0], cps[min(1, n - 1)], cps[min(2, n - 1)],
                       cps[max(n - 2, 0)], cps[-1])


class _Index:
    """Per-document word hashes (numpy), built once."""

    __slots__ = ("cps", "ends", "first", "hashes", "starts")

    def __init__(self, ctx: Context, spans: Any) -> None:
        import numpy as np

        cps = spans.cps
        if cps is None:
            cps = np.frombuffer(ctx.text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        starts, ends = spans.starts, spans.ends
        u = np.uint32

        def low(a):
            return a | u(32)  # see _fold

        first = cps[starts]
        lengths = np.minimum(ends - starts, 1000).astype(u)
        last = ends - 1
        self.hashes = _hash_parts(lengths, low(first), low(cps[np.minimum(starts + 1, last)]),
                                  low(cps[np.minimum(starts + 2, last)]),
                                  low(cps[np.maximum(ends - 2, starts)]), low(cps[last]))
        self.starts, self.ends, self.first, self.cps = starts, ends, first, cps

    def mask(self, vocab: frozenset[str]):
        """Boolean array: which words may be in ``vocab`` (a superset: confirm candidates)."""
        return _table(vocab)[self.hashes]


@functools.lru_cache(maxsize=64)
def _table(vocab: frozenset[str]):
    """Lookup table of the hashes of ``vocab`` (built once per word list)."""
    import numpy as np

    table = np.zeros(1 << _BITS, dtype=bool)
    table[[_word_hash(w) for w in vocab]] = True
    return table


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


def _index(ctx: Context) -> _Index | None:
    if _CACHE_KEY not in ctx.cache:
        spans = ctx.analysis.words
        ctx.cache[_CACHE_KEY] = (_Index(ctx, spans) if not isinstance(spans.starts, list)
                                 and len(spans.starts) else None)
    return ctx.cache[_CACHE_KEY]


def word_hits(ctx: Context, words: Iterable[str]) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` of every whole-word occurrence of one of ``words``
    (lower-case, each one ``\\w+`` word), matched case-insensitively, in text order."""
    vocab = _vocab(words)
    if not vocab:
        return []
    text = ctx.text
    index = _index(ctx)
    out: list[tuple[int, int, str]] = []
    if index is None:
        spans = ctx.analysis.words
        lower = spans.lower_words()
        if vocab.isdisjoint(lower):  # the usual case, tested in C
            return []
        return [(s, e, w) for s, e, w in zip(spans.starts, spans.ends, lower) if w in vocab]
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
    index = _index(ctx)
    out: list[tuple[int, int, int, int]] = []

    def first_ok(s: int) -> bool:
        return not capital_first or text[s].isupper() or (after_comma and text[s - 2:s] == ", ")

    if index is None:
        spans = ctx.analysis.words
        starts, ends, lower = spans.starts, spans.ends, spans.lower_words()
        if v1.isdisjoint(lower):  # the usual case, tested in C
            return out
        for i in range(len(starts) - 1):
            if lower[i] in v1 and first_ok(starts[i]) and \
                    (lower[i + 1] in v2 or (capital_second and text[starts[i + 1]].isupper())):
                out.append((starts[i], ends[i], starts[i + 1], ends[i + 1]))
        return out
    import numpy as np

    def second_ok(s: int, e: int) -> bool:
        return text[s:e].lower() in v2 or (capital_second and text[s].isupper())

    m1 = index.mask(v1)[:-1]
    if capital_first:
        first = index.first[:-1]
        cap = (first >= 65) & (first <= 90)
        if after_comma:
            st = index.starts[:-1]
            cps = index.cps
            comma = (st >= 2) & (cps[np.maximum(st - 1, 0)] == 32) & (cps[np.maximum(st - 2, 0)] == 44)
            cap |= comma
        m1 = m1 & cap
    m2 = index.mask(v2)[1:] if v2 else np.zeros(len(index.starts) - 1, dtype=bool)
    if capital_second:
        nxt = index.first[1:]
        m2 = m2 | ((nxt >= 65) & (nxt <= 90)) | ((nxt > 127) & (nxt < 0x2C00))
    idx = np.flatnonzero(m1 & m2)
    starts, ends = index.starts, index.ends
    for s1, e1, s2, e2 in zip(starts[idx].tolist(), ends[idx].tolist(),
                              starts[idx + 1].tolist(), ends[idx + 1].tolist()):
        if text[s1:e1].lower() in v1 and first_ok(s1) and second_ok(s2, e2):
            out.append((s1, e1, s2, e2))
    return out


def word_indices(ctx: Context, forms: Iterable[str]) -> list[int]:
    """Indices into ``ctx.analysis.words`` of the words written exactly as one of ``forms``
    (case-sensitive; each form one ``\\w+`` word), in text order."""
    vocab = _vocab(forms)
    if not vocab:
        return []
    text = ctx.text
    spans = ctx.analysis.words
    index = _index(ctx)
    if index is None:
        words = spans.words()
        if vocab.isdisjoint(words):  # the usual case, tested in C
            return []
        return [i for i, w in enumerate(words) if w in vocab]
    import numpy as np

    # The hash folds case, so the mask is a superset: confirm the exact form.
    idx = np.flatnonzero(index.mask(vocab)).tolist()
    starts, ends = index.starts, index.ends
    return [i for i in idx if text[starts[i]:ends[i]] in vocab]
