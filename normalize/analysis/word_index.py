"""Hashes of a large document's words, for looking many words up at once.

Every word of the document (:class:`~normalize.analysis.words.WordSpans`)
gets a 20-bit hash of its length and its first three and last two
characters, computed once per document with numpy; a lookup gathers the
hashes through a table of the wanted words, and only the candidates are
confirmed against the text (see :mod:`normalize.analysis.lookup`).

The hash folds case with the lower-case table of
:func:`~normalize.analysis.words.unicode_tables` (every BMP script: "Ł" and
"ł", "І" and "і" hash alike) and final sigma to sigma; it only decides which
words are candidates. Whether a word is capitalised comes from the word
spans (one definition).
"""
from __future__ import annotations

import functools
from typing import Any

from .words import _BMP, WordSpans, code_points_at, fold_char, unicode_tables

_FINAL_SIGMA, _SIGMA = 0x3C2, 0x3C3

_BITS = 20


def _fold(cp: int) -> int:
    """Case folding for the hash, as :func:`_fold_array` does it: one character's lower
    case (BMP only), final sigma as sigma ("ΟΔΟΣ".lower() ends in "ς")."""
    low = ord(fold_char(chr(cp)))
    return _SIGMA if low == _FINAL_SIGMA else low


def _fold_array(points):
    """:func:`_fold` of a numpy array of code points."""
    import numpy as np

    _, _, lower = unicode_tables()
    low = np.where(points >= _BMP, points, lower[np.minimum(points, _BMP - 1)])
    low[low == _FINAL_SIGMA] = _SIGMA
    return low


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
    # Only the five characters the hash reads are folded, not every one of the word
    # (the table of a rule's word list, or of a text's rare words, hashes thousands).
    n = len(word)
    return _hash_parts(min(n, 1000), _fold(ord(word[0])), _fold(ord(word[min(1, n - 1)])),
                       _fold(ord(word[min(2, n - 1)])), _fold(ord(word[max(n - 2, 0)])),
                       _fold(ord(word[-1])))


class WordIndex:
    """Per-document word hashes (numpy) of a large text's word spans."""

    __slots__ = ("_capital", "_spans", "ends", "hashes", "starts")

    def __init__(self, spans: WordSpans) -> None:
        import numpy as np

        text = spans.text
        starts, ends = spans.starts, spans.ends
        u = np.uint32

        def low(positions):
            # Each set of offsets ascends (one per word, inside the word).
            return _fold_array(code_points_at(text, positions))

        lengths = np.minimum(ends - starts, 1000).astype(u)
        last = ends - 1
        self.hashes = _hash_parts(lengths, low(starts), low(np.minimum(starts + 1, last)),
                                  low(np.minimum(starts + 2, last)),
                                  low(np.maximum(ends - 2, starts)), low(last))
        self.starts, self.ends = starts, ends
        self._spans = spans
        self._capital: Any = None

    @property
    def cps(self):
        """The text's code points (numpy uint32), made anew: see :attr:`WordSpans.cps`."""
        return self._spans.cps

    @property
    def capital(self):
        """For each word, whether it starts with a capital (numpy bool array)."""
        if self._capital is None:
            self._capital = self._spans.capital_mask()
        return self._capital

    def mask(self, vocab: frozenset[str], *, cache: bool = True):
        """Boolean array: which words may be in ``vocab`` (a superset: confirm candidates).
        The table of ``vocab`` is kept for the next document unless ``cache`` is False."""
        return (_table(vocab) if cache else _build_table(vocab))[self.hashes]


def word_index(spans: WordSpans) -> WordIndex | None:
    """The word hashes of ``spans``, or None for a short text (plain path) or no words."""
    return WordIndex(spans) if spans.fast and len(spans.starts) else None


@functools.lru_cache(maxsize=64)
def _table(vocab: frozenset[str]):
    """Lookup table of the hashes of ``vocab`` (built once per word list)."""
    return _build_table(vocab)


def _build_table(vocab: frozenset[str]):
    import numpy as np

    table = np.zeros(1 << _BITS, dtype=bool)
    table[[_word_hash(w) for w in vocab]] = True
    return table
