"""Word spans of a document, computed once with numpy and shared by rules.

A Python regex costs 50-100 ns per character for a pattern such as
``[A-Z]\\w*``; classifying every code point through a lookup table in numpy
costs a few ns. Rules that look at word starts (capitalised words for the
gazetteer, doubled words) use these spans instead of a regex scan.
"""
from __future__ import annotations

import functools
import os
import unicodedata

import numpy as np

from ..gazetteer.store import cache_dir
from ..registry import Context

_BMP = 0x10000


@functools.lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-code-point tables for the Basic Multilingual Plane: is-word, is-capital, lower-case.

    Building them asks Python about 65,536 characters (~0.3 s), so they are
    kept in the cache directory, keyed by the Unicode version.
    """
    path = cache_dir() / f"unicode-tables-{unicodedata.unidata_version}-v1.npz"
    try:
        with np.load(path) as data:
            return data["word"], data["capital"], data["lower"]
    except (OSError, KeyError, ValueError):
        pass
    tables = _build_tables()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp.npz")
        np.savez(tmp, word=tables[0], capital=tables[1], lower=tables[2])
        os.replace(tmp, path)
    except OSError:
        pass  # read-only cache: rebuilt next time
    return tables


def _build_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    chars = [chr(cp) for cp in range(_BMP)]
    word = np.fromiter(((c.isalnum() or c == "_") for c in chars), dtype=bool, count=_BMP)
    capital = np.fromiter(((c.isupper() or c.istitle()) for c in chars), dtype=bool, count=_BMP)
    lower = np.fromiter(((ord(c.lower()) if len(c.lower()) == 1 else cp)
                         for cp, c in enumerate(chars)), dtype=np.uint32, count=_BMP)
    return word, capital, lower


def _classify(cps: np.ndarray, table: np.ndarray, predicate) -> np.ndarray:
    """``table[cp]`` for BMP code points, ``predicate(chr(cp))`` for the rest (rare)."""
    out = table[np.minimum(cps, _BMP - 1)]
    astral = np.flatnonzero(cps >= _BMP)
    for i in astral.tolist():
        out[i] = predicate(chr(int(cps[i])))
    return out


class WordSpans:
    """Start and end offsets of every run of word characters (``\\w+``) in a text."""

    __slots__ = ("cps", "starts", "ends")

    def __init__(self, text: str) -> None:
        cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        word_table, _, _ = _tables()
        is_word = _classify(cps, word_table, lambda c: c.isalnum() or c == "_")
        padded = np.concatenate(([False], is_word, [False]))
        edges = np.flatnonzero(padded[1:] != padded[:-1])
        self.cps = cps
        self.starts = edges[0::2]
        self.ends = edges[1::2]

    def capitalised(self) -> list[tuple[int, int]]:
        """Spans of words whose first character is a capital letter."""
        if not len(self.starts):
            return []
        _, capital_table, _ = _tables()
        first = self.cps[self.starts]
        mask = _classify(first, capital_table, lambda c: c.isupper() or c.istitle())
        return list(zip(self.starts[mask].tolist(), self.ends[mask].tolist()))

    def repeated_pairs(self) -> list[tuple[int, int, int, int]]:
        """Candidate (start1, end1, start2, end2) of consecutive words that may be equal
        ignoring case, separated by spaces or tabs only. Callers confirm each pair."""
        starts, ends, cps = self.starts, self.ends, self.cps
        if len(starts) < 2:
            return []
        lengths = ends - starts
        same_len = lengths[:-1] == lengths[1:]
        gap_one = (starts[1:] - ends[:-1]) >= 1
        _, _, lower = _tables()
        low_first = lower[np.minimum(cps[starts], _BMP - 1)]
        low_last = lower[np.minimum(cps[ends - 1], _BMP - 1)]
        mask = same_len & gap_one & (low_first[:-1] == low_first[1:]) & (low_last[:-1] == low_last[1:])
        idx = np.flatnonzero(mask)
        return list(zip(starts[idx].tolist(), ends[idx].tolist(),
                        starts[idx + 1].tolist(), ends[idx + 1].tolist()))


def word_spans(ctx: Context) -> WordSpans:
    """The document's word spans (computed once per document)."""
    spans = ctx.cache.get("words")
    if spans is None:
        spans = ctx.cache["words"] = WordSpans(ctx.text)
    return spans
