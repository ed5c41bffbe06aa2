"""Words of a document (any script) and which of them are capitalised.

A Python regex costs 50-100 ns per character for a pattern such as
``[A-Z]\\w*``; classifying every code point through a lookup table in numpy
costs a few ns. Large texts therefore use numpy; short ones (an article) use
a plain ``\\w+`` scan, which avoids numpy's import time on a cold start. The
two give the same spans (a property test checks it over every script).

What counts as a capital is decided in one place, :func:`is_capital`
(``str.isupper`` or ``str.istitle``, so Unicode categories Lu and Lt and
the other upper-case letters): the numpy table is built from it, so no
path can know fewer capitals than another.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from itertools import accumulate
from typing import Any, overload

from ..cache import cache_dir, store

_BMP = 0x10000
#: Below this many characters the pure-Python scan is cheaper than importing numpy.
NUMPY_THRESHOLD = 32_768
_WORD_SPLIT = re.compile(r"(\w+)")


@functools.lru_cache(maxsize=1)
def unicode_tables() -> tuple[Any, Any, Any]:
    """Per-code-point numpy tables for the BMP: is-word, is-capital, lower-case.

    Building them asks Python about 65,536 characters (~0.3 s), so they are
    kept in the cache directory, keyed by the Unicode version.
    """
    import numpy as np

    path = cache_dir() / f"unicode-tables-{unicodedata.unidata_version}-v1.npz"
    try:
        with np.load(path) as data:
            return data["word"], data["capital"], data["lower"]
    except (OSError, KeyError, ValueError):
        pass
    chars = [chr(cp) for cp in range(_BMP)]
    tables = (
        np.fromiter(((c.isalnum() or c == "_") for c in chars), dtype=bool, count=_BMP),
        np.fromiter((is_capital(c) for c in chars), dtype=bool, count=_BMP),
        np.fromiter((ord(_lower1(c)) for c in chars), dtype=np.uint32, count=_BMP),
    )
    store(path, lambda tmp: np.savez(tmp, word=tables[0], capital=tables[1], lower=tables[2]))
    return tables


def is_capital(c: str) -> bool:
    """Whether the character ``c`` is a capital letter: the one definition every
    analysis uses ("Ł", "Ő", "Д", "Σ", "ǅ", "𝐀" are; "ß", "ı", "1", "_" are not)."""
    return c.isupper() or c.istitle()


def _lower1(c: str) -> str:
    """Lower case of one character, or itself where lower-casing gives several."""
    low = c.lower()
    return low if len(low) == 1 else c


def fold_char(c: str) -> str:
    """Case-folding as the numpy table does it: BMP characters only."""
    return _lower1(c) if ord(c) < _BMP else c


def repeat_candidate(text: str, s1: int, e1: int, s2: int, e2: int) -> bool:
    """The test :meth:`WordSpans.repeated_pairs` applies to two words (short texts)."""
    return e1 - s1 == e2 - s2 and fold_char(text[s1]) == fold_char(text[s2]) \
        and fold_char(text[e1 - 1]) == fold_char(text[e2 - 1])


class WordSpans:
    """Start and end offsets of every run of word characters (``\\w+``) in a text."""

    __slots__ = ("_capital_mask", "_capitalised", "_caps", "_lower", "_words", "ends", "fast",
                 "starts", "text")

    #: Offsets of the words: lists of ints (short texts) or numpy int arrays (large texts).
    starts: Any
    ends: Any
    #: Whether the numpy path was taken (large texts): offsets are numpy arrays and
    #: :attr:`cps` gives the code points.
    fast: bool

    @property
    def cps(self):
        """The text's code points as a numpy uint32 array (large texts), else None.

        Made anew at each call (~2 ms per MB of text), not kept: four bytes per
        character for the whole life of a document is more than the text itself
        costs, and the few analyses that read the array (the capital runs, the word
        hashes, the digit runs) each read it once. Test :attr:`fast`, not this."""
        return _code_points(self.text) if self.fast else None

    def __init__(self, text: str, *, fast: bool | None = None) -> None:
        """Scan ``text``; ``fast`` forces the numpy path (True) or the plain one (False),
        which by default is chosen by the text's length."""
        self.text = text
        self._caps: list[bool] | None = None
        self._capitalised: Sequence[tuple[int, int]] | None = None
        self._capital_mask: Any = None
        self._words: list[str] | None = None
        self._lower: list[str] | None = None
        if fast is None:
            fast = len(text) >= NUMPY_THRESHOLD
        self.fast = fast
        if not fast:
            # The text split around its words (the gaps between them at even places, the
            # words at odd ones): their lengths, summed up, are the words' offsets. All of
            # it runs in C, ~20% faster than a match object or a str.find per word.
            parts = _WORD_SPLIT.split(text)
            offsets = list(accumulate(map(len, parts), initial=0))
            self.starts, self.ends, self._words = offsets[1:-1:2], offsets[2::2], parts[1::2]
            return
        import numpy as np

        word_table, _, _ = unicode_tables()
        # A block of code points at a time: one byte a character is kept, not four.
        is_word = np.empty(len(text), dtype=bool)
        for lo, block in text_blocks(text):
            cps = _code_points(block)
            flags = word_table[np.minimum(cps, _BMP - 1)]
            for i in np.flatnonzero(cps >= _BMP).tolist():
                ch = block[i]
                flags[i] = ch.isalnum() or ch == "_"
            is_word[lo:lo + len(block)] = flags
        padded = np.concatenate(([False], is_word, [False]))
        edges = np.flatnonzero(padded[1:] != padded[:-1])
        self.starts = edges[0::2]
        self.ends = edges[1::2]

    def words(self) -> list[str]:
        """The words as strings (short texts only), sliced once for every rule that looks
        words up: each string also keeps its hash for the next set lookup."""
        if self._words is None:
            text = self.text
            self._words = [text[s:e] for s, e in zip(self.starts, self.ends)]
        return self._words

    def lower_words(self) -> list[str]:
        """:meth:`words` lower-cased (short texts only)."""
        if self._lower is None:
            self._lower = [w.lower() for w in self.words()]
        return self._lower

    def capital_flags(self) -> list[bool]:
        """For each word (short texts only), whether its first character is a capital.

        Computed once: the name, toponym and gender scans of a short document all
        ask, and one call per word is a good part of their cost."""
        if self._caps is None:
            text = self.text
            self._caps = [text[s].isupper() or text[s].istitle() for s in self.starts]  # is_capital, inlined
        return self._caps

    def capitalised(self) -> Sequence[tuple[int, int]]:
        """Spans of words whose first character is a capital letter (computed once: the
        name and toponym rules all ask, 0.03 s per MB each time; callers must not modify it):
        a list of ``(start, end)`` tuples for a short text, a :class:`SpanPairs` (the same
        pairs, held in two numpy arrays) for a large one."""
        if self._capitalised is None:
            self._capitalised = self._find_capitalised()
        return self._capitalised

    def capital_mask(self):
        """For each word (large texts only), whether its first character is a capital:
        a numpy bool array, from the table built with :func:`is_capital`."""
        import numpy as np

        if not len(self.starts):
            return np.zeros(0, dtype=bool)
        if self._capital_mask is None:
            _, capital_table, _ = unicode_tables()
            first = code_points_at(self.text, self.starts)
            mask = capital_table[np.minimum(first, _BMP - 1)]
            # Astral characters (rare) have no entry in the table: asked one by one.
            text = self.text
            for i in np.flatnonzero(first >= _BMP).tolist():
                mask[i] = is_capital(text[int(self.starts[i])])
            self._capital_mask = mask
        # A copy each time (one byte a word), as when it was made at each call: a caller
        # may change the array it is given (``lookup.pair_hits`` ors commas into it).
        return self._capital_mask.copy()

    def _find_capitalised(self) -> Sequence[tuple[int, int]]:
        if not self.fast:
            return [(s, e) for s, e, cap in zip(self.starts, self.ends, self.capital_flags()) if cap]
        if not len(self.starts):
            return []
        mask = self.capital_mask()
        return SpanPairs(self.starts[mask], self.ends[mask])

    def repeated_pairs(self) -> list[tuple[int, int, int, int]]:
        """Candidate (start1, end1, start2, end2) of consecutive words of equal length whose
        first and last characters agree ignoring case. Callers confirm each pair."""
        text, starts, ends = self.text, self.starts, self.ends
        if len(starts) < 2:
            return []
        if not self.fast:
            return [(s1, e1, s2, e2) for s1, e1, s2, e2 in zip(starts, ends, starts[1:], ends[1:])
                    if repeat_candidate(text, s1, e1, s2, e2)]
        import numpy as np

        _, _, lower = unicode_tables()
        lengths = ends - starts
        def folded(points):
            # Astral characters (rare) have no entry in the table: keep them as they are.
            return np.where(points >= _BMP, points, lower[np.minimum(points, _BMP - 1)])

        first = folded(code_points_at(text, starts))
        last = folded(code_points_at(text, ends - 1))
        mask = (lengths[:-1] == lengths[1:]) & (first[:-1] == first[1:]) & (last[:-1] == last[1:])
        idx = np.flatnonzero(mask)
        return list(zip(starts[idx].tolist(), ends[idx].tolist(),
                        starts[idx + 1].tolist(), ends[idx + 1].tolist()))


class SpanPairs(Sequence[tuple[int, int]]):
    """``(start, end)`` pairs held in two numpy arrays: what a list of tuples holds, at 16
    bytes a pair instead of ~120 (a large document has ~65k capitalised words per MB).
    Iterating gives tuples of Python ints, made a block at a time; it compares equal to
    any sequence of the same pairs."""

    __slots__ = ("_ends", "_starts")

    #: Pairs made at a time while iterating (a bounded number of Python objects).
    BLOCK = 4096

    def __init__(self, starts: Any, ends: Any) -> None:
        self._starts = starts
        self._ends = ends

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, i: int) -> tuple[int, int]: ...

    @overload
    def __getitem__(self, i: slice) -> list[tuple[int, int]]: ...

    def __getitem__(self, i: int | slice) -> tuple[int, int] | list[tuple[int, int]]:
        if isinstance(i, slice):
            return list(zip(self._starts[i].tolist(), self._ends[i].tolist()))
        return int(self._starts[i]), int(self._ends[i])

    def __iter__(self) -> Iterator[tuple[int, int]]:
        starts, ends, block = self._starts, self._ends, self.BLOCK
        for k in range(0, len(starts), block):
            yield from zip(starts[k:k + block].tolist(), ends[k:k + block].tolist())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]  # equal to lists, which have none

    def __repr__(self) -> str:
        return f"SpanPairs({list(self)!r})"


def code_points_at(text: str, positions: Any) -> Any:
    """``text``'s code points at ``positions`` (a numpy array of offsets into ``text``) as
    a numpy uint32 array: what ``cps[positions]`` gives, with the code points made a
    block of the text at a time (four bytes a character for one block, not for the whole
    text) when ``positions`` ascend, as word offsets do."""
    import numpy as np

    n = len(positions)
    if n > 1 and not bool(np.all(positions[1:] >= positions[:-1])):
        return _code_points(text)[positions]
    out = np.empty(n, dtype=np.uint32)
    if not n:
        return out
    size = BLOCK_CHARS
    bounds = np.searchsorted(positions, np.arange(0, len(text) + size, size)).tolist()
    for k, (lo, block) in enumerate(text_blocks(text, size)):
        a, b = bounds[k], bounds[k + 1]
        if a < b:
            out[a:b] = _code_points(block)[positions[a:b] - lo]
    return out


def _code_points(text: str) -> Any:
    """The code points of ``text`` as a numpy uint32 array (lone surrogates kept)."""
    import numpy as np

    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


_DIGIT_RUN = re.compile(r"\d+")


@functools.lru_cache(maxsize=1)
def _decimal_table() -> Any:
    """For each BMP code point, whether it is a decimal digit (``\\d``: ``str.isdecimal``)."""
    import numpy as np

    return np.fromiter((chr(cp).isdecimal() for cp in range(_BMP)), dtype=bool, count=_BMP)


def digit_run_starts(spans: WordSpans) -> list[int]:
    """Where each run of decimal digits (``\\d+``) of ``spans.text`` starts, in order:
    from the code points of a large text (numpy, a block of the text at a time), else
    one regex scan."""
    text = spans.text
    if not spans.fast:
        return [m.start() for m in _DIGIT_RUN.finditer(text)]
    import numpy as np

    table = _decimal_table()
    out: list[int] = []
    before = False  # whether the character before the block is a digit
    for lo, block in text_blocks(text):
        cps = _code_points(block)
        is_digit = table[np.minimum(cps, _BMP - 1)]
        for i in np.flatnonzero(cps >= _BMP).tolist():
            is_digit[i] = block[i].isdecimal()
        after_digit = np.concatenate(([before], is_digit[:-1]))
        out.extend((np.flatnonzero(is_digit & ~after_digit) + lo).tolist())
        before = bool(is_digit[-1])
    return out


#: Characters of a large text turned into code points at a time by the analyses that
#: look at every character: four bytes each, so a few MB at a time rather than four
#: times the whole text.
BLOCK_CHARS = 1 << 20


def text_blocks(text: str, size: int | None = None) -> Iterator[tuple[int, str]]:
    """``(offset, text[offset:offset + size])`` for consecutive blocks covering ``text``
    (none for an empty text); ``size`` defaults to :data:`BLOCK_CHARS`."""
    size = size or BLOCK_CHARS
    for lo in range(0, len(text), size):
        yield lo, text[lo:lo + size]


@functools.lru_cache(maxsize=16)
def function_words(code: str) -> frozenset[str]:
    """The closed-class words of a language (``function_words.yaml``), lower-cased."""
    from ..languages.base import get_language

    words = get_language(code).data("function_words").get("words") or []
    return frozenset(w.lower() for w in words if isinstance(w, str))
