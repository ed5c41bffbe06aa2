"""Which writing system a letter belongs to, by Unicode block.

Only letters matter here (digits, punctuation and symbols are neutral), and
only the scripts news copy meets. A per-code-point table serves large
documents through numpy; single characters are looked up with ``bisect``.
"""
from __future__ import annotations

import bisect
import functools
import re
from typing import Any

NEUTRAL = 0
#: Script names by id (index 0: not a letter of any script we tell apart).
SCRIPTS = ("", "Latin", "Greek", "Cyrillic", "Armenian", "Hebrew", "Arabic", "Georgian", "Devanagari",
           "Bengali", "Tamil", "Thai", "Hangul", "Kana", "Han", "Ethiopic", "Indic", "Other")
SCRIPT_ID = {name: i for i, name in enumerate(SCRIPTS)}
#: Scripts written without spaces between words: a run is counted in characters.
UNSPACED = frozenset({"Thai", "Kana", "Han"})
#: Scripts with capital letters (so a run of capitalised words may be a name).
CASED = frozenset({"Latin", "Greek", "Cyrillic", "Armenian"})

_L = SCRIPT_ID
# (first, last, script); later entries win where ranges overlap.
_RANGES: tuple[tuple[int, int, int], ...] = (
    (0x0041, 0x005A, _L["Latin"]), (0x0061, 0x007A, _L["Latin"]), (0x00AA, 0x00AA, _L["Latin"]),
    (0x00BA, 0x00BA, _L["Latin"]), (0x00C0, 0x00D6, _L["Latin"]), (0x00D8, 0x00F6, _L["Latin"]),
    (0x00F8, 0x02AF, _L["Latin"]), (0x1D00, 0x1DBF, _L["Latin"]), (0x1E00, 0x1EFF, _L["Latin"]),
    (0x2C60, 0x2C7F, _L["Latin"]), (0xA720, 0xA7FF, _L["Latin"]), (0xAB30, 0xAB6F, _L["Latin"]),
    (0xFB00, 0xFB06, _L["Latin"]), (0xFF21, 0xFF3A, _L["Latin"]), (0xFF41, 0xFF5A, _L["Latin"]),
    (0x0370, 0x03FF, _L["Greek"]), (0x1F00, 0x1FFF, _L["Greek"]),
    (0x0400, 0x052F, _L["Cyrillic"]), (0x1C80, 0x1C8F, _L["Cyrillic"]), (0x2DE0, 0x2DFF, _L["Cyrillic"]),
    (0xA640, 0xA69F, _L["Cyrillic"]),
    (0x0531, 0x058F, _L["Armenian"]), (0xFB13, 0xFB17, _L["Armenian"]),
    (0x0591, 0x05FF, _L["Hebrew"]), (0xFB1D, 0xFB4F, _L["Hebrew"]),
    (0x0600, 0x06FF, _L["Arabic"]), (0x0750, 0x077F, _L["Arabic"]), (0x08A0, 0x08FF, _L["Arabic"]),
    (0xFB50, 0xFDFF, _L["Arabic"]), (0xFE70, 0xFEFF, _L["Arabic"]),
    (0x10A0, 0x10FF, _L["Georgian"]), (0x1C90, 0x1CBF, _L["Georgian"]), (0x2D00, 0x2D2F, _L["Georgian"]),
    (0x0900, 0x097F, _L["Devanagari"]), (0x0980, 0x09FF, _L["Bengali"]), (0x0A00, 0x0B7F, _L["Indic"]),
    (0x0B80, 0x0BFF, _L["Tamil"]), (0x0C00, 0x0DFF, _L["Indic"]),
    (0x0E00, 0x0E7F, _L["Thai"]), (0x0E80, 0x0FFF, _L["Other"]), (0x1000, 0x109F, _L["Other"]),
    (0x1100, 0x11FF, _L["Hangul"]), (0x3130, 0x318F, _L["Hangul"]), (0xA960, 0xA97F, _L["Hangul"]),
    (0xAC00, 0xD7FF, _L["Hangul"]),
    (0x1200, 0x139F, _L["Ethiopic"]), (0x1780, 0x17FF, _L["Other"]),
    (0x3041, 0x30FF, _L["Kana"]), (0x31F0, 0x31FF, _L["Kana"]), (0xFF66, 0xFF9D, _L["Kana"]),
    (0x2E80, 0x2FDF, _L["Han"]), (0x3005, 0x3007, _L["Han"]), (0x3021, 0x3029, _L["Han"]),
    (0x3400, 0x4DBF, _L["Han"]), (0x4E00, 0x9FFF, _L["Han"]), (0xF900, 0xFAFF, _L["Han"]),
)


@functools.lru_cache(maxsize=1)
def _bisect_table() -> tuple[list[int], list[int]]:
    """Boundaries and scripts of the BMP as sorted lists, for ``bisect``."""
    table = [NEUTRAL] * 0x10000
    for first, last, script in _RANGES:
        table[first:last + 1] = [script] * (last - first + 1)
    starts, scripts = [0], [table[0]]
    for cp in range(1, 0x10000):
        if table[cp] != scripts[-1]:
            starts.append(cp)
            scripts.append(table[cp])
    return starts, scripts


def script_of(ch: str) -> int:
    """The script id of one character (NEUTRAL for non-letters)."""
    cp = ord(ch)
    if cp < 0x41:
        return NEUTRAL
    if cp >= 0x10000:
        if 0x20000 <= cp <= 0x3FFFF:
            return SCRIPT_ID["Han"]
        return SCRIPT_ID["Other"] if ch.isalpha() else NEUTRAL
    if not ch.isalpha():
        return NEUTRAL
    starts, scripts = _bisect_table()
    return scripts[bisect.bisect_right(starts, cp) - 1]


@functools.lru_cache(maxsize=1)
def numpy_table() -> Any:
    """uint8 script id per BMP code point (letters only; everything else NEUTRAL)."""
    import numpy as np


    table = np.zeros(0x10000, dtype=np.uint8)
    for first, last, script in _RANGES:
        table[first:last + 1] = script
    # Letters only, as script_of judges them: digits and numerals of a script's block
    # ("٣", "〇") are neutral.
    letter = np.fromiter((chr(cp).isalpha() for cp in range(0x10000)), dtype=bool, count=0x10000)
    table[~letter] = NEUTRAL
    return table


@functools.lru_cache(maxsize=16)
def _other_letters(script: int) -> re.Pattern[str]:
    """Letters of any script but ``script`` (small documents; a superset: confirmed
    with :func:`script_of`)."""
    own = "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last, sid in _RANGES if sid == script)
    return re.compile(f"[^\\W\\d_{own}]")


def foreign_letters(text: str, script: int, cps: Any = None, *, large: bool = False) -> list[int]:
    """Offsets of the letters of ``text`` that belong to a script other than ``script``
    (by :func:`script_of`). With the text's code points ``cps`` (a numpy array), or for a
    ``large`` text (its code points made a block at a time, not all at once), the letters
    are found through a per-code-point table, else by a regex."""
    if cps is not None:
        return foreign_letter_positions(text, cps, script)
    if large:
        from .words import _code_points, text_blocks

        return [lo + pos for lo, block in text_blocks(text)
                for pos in foreign_letter_positions(block, _code_points(block), script)]
    if script == SCRIPT_ID["Latin"] and text.isascii():
        return []  # ASCII letters are all Latin: spare the regex scan (O(1) test)
    return [m.start() for m in _other_letters(script).finditer(text)
            if script_of(text[m.start()]) not in (NEUTRAL, script)]


def foreign_letter_positions(text: str, cps: Any, script: int) -> list[int]:
    """Offsets of letters of a script other than ``script`` (numpy, for large texts).

    Astral-plane letters (rare: supplementary Han, emoji are not letters) are
    checked one by one.
    """
    import numpy as np

    candidates = np.flatnonzero(cps >= 0x250 if script == SCRIPT_ID["Latin"] else cps >= 0x41)
    if not len(candidates):
        return []
    table = numpy_table()
    points = cps[candidates]
    ids = table[np.minimum(points, 0xFFFF)]
    mask = (ids != NEUTRAL) & (ids != script)
    astral = points >= 0x10000
    if astral.any():
        for i in np.flatnonzero(astral).tolist():
            sid = script_of(text[int(candidates[i])])
            mask[i] = sid not in (NEUTRAL, script)
    return candidates[mask].tolist()
