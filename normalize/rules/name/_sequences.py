"""Person-like name sequences of a document: runs of capitalised words.

The last word of a run of two or more capitalised words ("Artak Beglaryan",
"Foreign Minister Sergei Lavrov") is taken as a surname and the word
before it as its given name. On a large document the runs are found in
numpy from the shared word spans; Python only sees the runs' last two words.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ...registry import Context
from .._words import word_spans

_JOINERS = (" ", "\u00a0", "-", "\u2010", "\u2011")


@dataclass(frozen=True, slots=True)
class NameRuns:
    """Runs of two or more capitalised words: for each run, the offsets of its last
    word (the surname) and of the word before it (the given name)."""

    given_starts: list[int]
    given_ends: list[int]
    surname_starts: list[int]
    surname_ends: list[int]


def name_runs(ctx: Context) -> NameRuns:
    """The document's name runs (computed once per document)."""
    cached = ctx.cache.get("name_runs")
    if cached is not None:
        return cached
    spans = word_spans(ctx)
    text = ctx.text
    cps = spans.cps
    starts, ends = spans.starts, spans.ends
    gs: list[int] = []
    ge: list[int] = []
    ss: list[int] = []
    se: list[int] = []
    if cps is None:
        n = len(starts)
        cap = spans.capital_flags()
        link = [cap[i] and cap[i + 1] and starts[i + 1] - ends[i] == 1 and text[ends[i]] in _JOINERS
                for i in range(n - 1)]
        link.append(False)
        for i in range(n - 1):
            if link[i] and not link[i + 1]:
                gs.append(starts[i])
                ge.append(ends[i])
                ss.append(starts[i + 1])
                se.append(ends[i + 1])
    elif len(starts) > 1:
        import numpy as np

        from .._words import _tables

        _, capital_table, _ = _tables()
        first = cps[starts]
        capital = capital_table[np.minimum(first, 0xFFFF)] & (first < 0x10000)
        gaps = starts[1:] - ends[:-1]
        after = cps[np.minimum(ends[:-1], len(cps) - 1)]
        joined = (gaps == 1) & ((after == 0x20) | (after == 0xA0) | (after == 0x2D)
                                | (after == 0x2010) | (after == 0x2011))
        link = capital[:-1] & capital[1:] & joined
        b = np.flatnonzero(link & ~np.append(link[1:], False))  # link b -> b+1 ends a run
        gs, ge = starts[b].tolist(), ends[b].tolist()
        ss, se = starts[b + 1].tolist(), ends[b + 1].tolist()
    runs = NameRuns(gs, ge, ss, se)
    ctx.cache["name_runs"] = runs
    return runs


def fold(word: str) -> str:
    """Lower case without diacritics ("Erdoğan" -> "erdogan")."""
    low = word.lower()
    if low.isascii():
        return low
    return "".join(c for c in unicodedata.normalize("NFD", low) if not unicodedata.combining(c))


_SKELETON = str.maketrans({"y": "i", "j": "i", "w": "v", "q": "k", "c": "k", "x": "ks", "z": "s",
                           "ä": "e", "ö": "o", "ü": "u"})


def skeleton(word: str) -> str:
    """What transliterations of one name share: consonants, roughly ("Beglaryan",
    "Beglarian" -> "bglrn"; "Zelensky", "Zelenskyy", "Zelenskiy" -> "slnsk")."""
    w = fold(word).replace("kh", "h").replace("sch", "sh").replace("tch", "ch").replace("ou", "u") \
        .replace("ph", "f").replace("dj", "j").replace("dzh", "j").replace("zh", "j")
    w = w.translate(_SKELETON)
    out = []
    for c in w:
        if c in "aeiouh" or (out and out[-1] == c):
            continue
        out.append(c)
    return "".join(out)
