"""Find the words of a document that belong to a small set, fast on large texts.

On a large document (where :class:`~normalize.rules._words.WordSpans` holds
the code points in numpy) each word is reduced to a 64-bit key, its first
seven characters (low byte of each code point) and its length, mixed and
looked up in a hashed bitmap of the wanted words' keys; only the few hits
are then compared as strings. A 5 MB text costs a few milliseconds instead
of a Python loop over a million words. Small documents use that loop.

The name rules use this too (``normalize/rules/name``).
"""
from __future__ import annotations

import functools
from typing import Any

from ...registry import Context
from .._words import word_spans

_BITS = 20
_M64 = 0xFFFFFFFFFFFFFFFF


def key_of(word: str) -> int:
    """The key of one word (as the numpy path computes it)."""
    raw = bytes(ord(c) & 0xFF for c in word[:7])
    return int.from_bytes(raw.ljust(7, b"\0"), "little") | ((len(word) & 0xFF) << 56)


def _mix1(key: int) -> int:
    z = key ^ (key >> 30)
    z = (z * 0xBF58476D1CE4E5B9) & _M64
    z = z ^ (z >> 27)
    z = (z * 0x94D049BB133111EB) & _M64
    return z ^ (z >> 31)


def _mix(keys: Any) -> Any:
    """splitmix64's finaliser on an array, so the top bits depend on every byte."""
    import numpy as np

    with np.errstate(over="ignore"):
        z = keys ^ (keys >> np.uint64(30))
        z = z * np.uint64(0xBF58476D1CE4E5B9)
        z = z ^ (z >> np.uint64(27))
        z = z * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


@functools.lru_cache(maxsize=32)
def _table(forms: frozenset[str]) -> Any:
    import numpy as np

    table = np.zeros(1 << _BITS, dtype=bool)
    for form in forms:
        table[_mix1(key_of(form)) >> (64 - _BITS)] = True
    return table


@functools.lru_cache(maxsize=32)
def _length_range(forms: frozenset[str]) -> tuple[int, int]:
    lengths = {len(f) for f in forms}
    return min(lengths), max(lengths)


@functools.lru_cache(maxsize=1)
def _low_masks() -> Any:
    import numpy as np

    return np.array([(1 << (8 * min(k, 7))) - 1 for k in range(256)], dtype=np.uint64)


def word_hits(ctx: Context, forms: frozenset[str]) -> list[int]:
    """Indices into ``word_spans(ctx)`` of the words written exactly as one of ``forms``."""
    if not forms:
        return []
    spans = word_spans(ctx)
    text = ctx.text
    lo, hi = _length_range(forms)
    cps = getattr(spans, "_cps", None)
    starts, ends = spans.starts, spans.ends
    if cps is None:
        return [i for i, (s, e) in enumerate(zip(starts, ends))
                if lo <= e - s <= hi and text[s:e] in forms]
    import numpy as np

    n = len(cps)
    buf = np.zeros(n + 8, dtype=np.uint8)
    buf[:n] = cps  # the low byte of each code point, as key_of takes it
    view = np.ndarray(shape=(n,), dtype="<u8", buffer=buf.data, offset=0, strides=(1,))
    lengths_arr = ends - starts
    sel = np.flatnonzero((lengths_arr >= lo) & (lengths_arr <= hi))
    if not len(sel):
        return []
    size = lengths_arr[sel]
    keys = (view[starts[sel]] & _low_masks()[np.minimum(size, 255)]) | \
        (np.minimum(size, 255).astype(np.uint64) << np.uint64(56))
    found = sel[_table(forms)[_mix(keys) >> np.uint64(64 - _BITS)]].tolist()
    return [i for i in found if text[starts[i]:ends[i]] in forms]
