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
import sys
from dataclasses import dataclass

from .store import LanguageIndex


def _upper_class() -> str:
    """A regex character class of every upper- and title-case letter."""
    ranges: list[tuple[int, int]] = []
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        if ch.isupper() or ch.istitle():
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    parts = []
    for lo, hi in ranges:
        parts.append(re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}")
    return "[" + "".join(parts) + "]"


@functools.lru_cache(maxsize=1)
def _capitalised_word() -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + _upper_class() + r")\w*")


# What may stand between the words of one name: spaces, hyphens, an apostrophe,
# or the full stop of an abbreviation ("St. Petersburg").
_SEP = r"(?:\.?[ \u00a0]+|[-\u2010\u2011]|['\u2019]|\.)"


@functools.lru_cache(maxsize=16)
def _run(max_words: int) -> re.Pattern[str]:
    return re.compile(rf"\w+(?:{_SEP}\w+){{0,{max_words - 1}}}")


_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Match:
    """A span of text whose words form a known name key."""

    start: int
    end: int
    key: str


def find_names(text: str, index: LanguageIndex) -> list[Match]:
    """All leftmost-longest, non-overlapping name matches in ``text``."""
    first_words = index.first_words
    by_key = index.by_key
    out: list[Match] = []
    next_free = 0
    for m in _capitalised_word().finditer(text):
        start = m.start()
        if start < next_free:
            continue
        word = m.group().lower()
        most = first_words.get(word)
        if most is None:
            continue
        if most == 1:
            if word in by_key:
                out.append(Match(start, m.end(), word))
                next_free = m.end()
            continue
        run = _run(most).match(text, start)
        assert run is not None
        spans = [(w.start(), w.end()) for w in _WORD.finditer(text, start, run.end())]
        words = [text[a:b].lower() for a, b in spans]
        for n in range(len(words), 0, -1):
            key = " ".join(words[:n])
            if key in by_key:
                end = spans[n - 1][1]
                out.append(Match(start, end, key))
                next_free = end
                break
    return out
