"""Finding gazetteer names in text: leftmost-longest, multi-word, Unicode word boundaries.

Toponyms in the supported languages start with a capital letter, so the scan
visits capitalised words only (one C-level regex pass), looks the word up in
a dict of first words, and only then tries the multi-word keys that start
with it, longest first. Measured against a pyahocorasick scan of the same
keys in ``scripts/bench_matcher.py``.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .store import LanguageIndex


@functools.lru_cache(maxsize=32)
def _initial_pattern(lowercase: str) -> re.Pattern[str]:
    """Words that may start with a capital letter.

    A class of every capital letter in Unicode makes the regex engine ~4x
    slower than a small negated class, so the scan uses "a letter that is
    not a known lower-case letter of the language" and the (rare) false
    candidates are dropped in Python with ``str.isupper``.
    """
    return re.compile(r"[^\W\d_a-z" + re.escape(lowercase) + r"]\w*")


# What may stand between the words of one name: spaces, hyphens, an apostrophe,
# or the full stop of an abbreviation ("St. Petersburg").
_NEXT_WORD = re.compile(r"(?:\.?[ \u00a0]+|[-\u2010\u2011]|['\u2019]|\.)(\w+)")


@dataclass(frozen=True, slots=True)
class Match:
    """A span of text whose words form a known name key."""

    start: int
    end: int
    key: str


def find_names(text: str, index: LanguageIndex, lowercase: str = "") -> list[Match]:
    """All leftmost-longest, non-overlapping name matches in ``text``.

    ``lowercase`` lists the language's lower-case letters beyond a-z; it only
    makes the scan faster, never changes its result.
    """
    first_word = index.first_word
    has_key = index.has_key
    has_prefix = index.has_prefix
    next_word = _NEXT_WORD.match
    out: list[Match] = []
    next_free = 0
    for m in _initial_pattern(lowercase).finditer(text):
        start = m.start()
        if start < next_free:
            continue
        word = m.group()
        most = first_word(word.lower())
        if most is None:
            continue
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            continue  # inside a word ("iPhone")
        if not (word[0].isupper() or word[0].istitle()):
            continue
        key = word.lower()
        best = (key, m.end()) if has_key(key) else None
        # Extend word by word while some longer name still starts this way.
        pos = m.end()
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
