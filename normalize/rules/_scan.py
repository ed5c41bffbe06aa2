"""Fast scanning helpers shared by rules.

Python's regex engines cost ~50-100 ns per character for a pattern without
a literal prefix, so a dozen such passes would dominate a check. Rules
therefore look for literals with ``str.find`` (which runs at memory speed)
and use regexes only to confirm what a literal found.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..patterns import LazyPattern


def find_all(text: str, literal: str) -> Iterator[int]:
    """Every start offset of ``literal`` in ``text`` (overlapping allowed)."""
    find = text.find
    pos = find(literal)
    while pos != -1:
        yield pos
        pos = find(literal, pos + 1)


def contains_any(text: str, chars: Iterable[str]) -> bool:
    """True if any of ``chars`` occurs in ``text`` (one fast scan per character)."""
    return any(c in text for c in chars)


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def bounded(text: str, start: int, end: int) -> bool:
    """True if ``text[start:end]`` is not part of a longer word."""
    return (start == 0 or not is_word_char(text[start - 1])) and \
        (end >= len(text) or not is_word_char(text[end]))


def matches_at(pattern: re.Pattern[str] | LazyPattern, text: str, chars: str) -> Iterator[re.Match[str]]:
    """Non-overlapping matches of ``pattern`` tried only where one of ``chars`` stands.

    For patterns that must start with one of a few characters ("[ad_1]", "<b>",
    "&amp;"): ``str.find`` jumps between candidates instead of a regex scan.
    """
    present = [ch for ch in chars if ch in text]
    if not present:  # the usual case: spare the generators and the sort
        return
    taken = -1
    for pos in sorted(p for ch in present for p in find_all(text, ch)):
        if pos < taken:
            continue
        m = pattern.match(text, pos)
        if m is not None:
            taken = m.end()
            yield m
