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


def find_names(text: str, index: LanguageIndex, lowercase: str = "") -> list[Match]:
    """All leftmost-longest, non-overlapping name matches in ``text``.

    ``lowercase`` lists the language's lower-case letters beyond a-z; it only
    makes the scan faster, never changes its result.
    """
    first_word = index.first_word
    has_key = index.has_key
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
        word = word.lower()
        if most == 1:
            if has_key(word):
                out.append(Match(start, m.end(), word))
                next_free = m.end()
            continue
        run = _run(most).match(text, start)
        assert run is not None
        spans = [(w.start(), w.end()) for w in _WORD.finditer(text, start, run.end())]
        words = [text[a:b].lower() for a, b in spans]
        for n in range(len(words), 0, -1):
            key = " ".join(words[:n])
            if has_key(key):
                end = spans[n - 1][1]
                out.append(Match(start, end, key))
                next_free = end
                break
    return out
