"""Finding gazetteer names in text: leftmost-longest, multi-word, Unicode word boundaries.

Toponyms in the supported languages start with a capital letter, so the scan
visits capitalised words only (found by a numpy pass, see rules/_words.py),
looks each up in the index of first words, and extends a match word by word
while some longer name still starts that way. Measured against a pyahocorasick scan of the same
keys in ``scripts/bench_matcher.py``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .store import LanguageIndex

# What may stand between the words of one name: spaces, hyphens, an apostrophe,
# or the full stop of an abbreviation ("St. Petersburg").
_NEXT_WORD = re.compile(r"(?:\.?[ \u00a0]+|[-\u2010\u2011]|['\u2019]|\.)(\w+)")


@dataclass(frozen=True, slots=True)
class Match:
    """A span of text whose words form a known name key."""

    start: int
    end: int
    key: str


def find_names(text: str, index: LanguageIndex,
               capitalised: Iterable[tuple[int, int]]) -> list[Match]:
    """All leftmost-longest, non-overlapping name matches in ``text``.

    ``capitalised`` gives the (start, end) of every word of the text that
    starts with a capital letter, in order (see ``rules/_words.py``): names
    are only looked for there.
    """
    first_word = index.first_word
    has_key = index.has_key
    has_prefix = index.has_prefix
    next_word = _NEXT_WORD.match
    out: list[Match] = []
    next_free = 0
    for start, end in capitalised:
        if start < next_free:
            continue
        key = text[start:end].lower()
        most = first_word(key)
        if most is None:
            continue
        best = (key, end) if has_key(key) else None
        # Extend word by word while some longer name still starts this way.
        pos = end
        for _ in range(most - 1):
            nxt = next_word(text, pos)
            if nxt is None:
                break
            key = f"{key} {nxt.group(1).lower()}"
            if not has_prefix(key):
                break
            pos = nxt.end()
            if has_key(key):
                best = (key, pos)
        if best is not None:
            out.append(Match(start, best[1], best[0]))
            next_free = best[1]
    return out
