"""Segment pairs (target line, source line) and the script facts the pair rules share.

Monolingual rules ask :func:`segment_at` whether a fault they found is already in the
source segment (a translation that keeps its source's flaw is faithful, and the pair
rules report what differs).
"""
from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

from ..registry import Context


@dataclass(frozen=True)
class Pair:
    """One target line (``text[start:end]`` of the document) and its source line."""

    start: int
    end: int
    target: str
    source: str


def segment_pairs(ctx: Context) -> list[Pair]:
    """The target's lines paired with the source's, or ``[]`` when they cannot be paired.

    When both texts have the same number of lines they are paired line by line,
    empty lines included, so that an empty translation of a non-empty source is
    seen; otherwise the registry's alignment of non-empty lines is used.
    """
    return ctx.analysis.shared(_segment_pairs)


def _segment_pairs(ctx: Context) -> list[Pair]:
    pairs: list[Pair] = []
    source = ctx.source_text
    text = ctx.text
    if source is not None:
        lines = text.splitlines(keepends=True)
        src_lines = source.splitlines()
        if len(lines) == len(src_lines):
            pos = 0
            for line, src in zip(lines, src_lines):
                body = line.rstrip("\r\n")
                if body.strip() or src.strip():
                    pairs.append(Pair(pos, pos + len(body), body, src))
                pos += len(line)
        else:
            pairs = [Pair(s, e, text[s:e], src) for s, e, src in ctx.aligned_source() or ()]
    return pairs


def segment_at(ctx: Context, pos: int) -> Pair | None:
    """The segment pair whose target line holds offset ``pos``; ``None`` without a source
    or where the target cannot be paired with it."""
    pairs = segment_pairs(ctx)
    if not pairs:
        return None
    i = bisect_right(ctx.analysis.shared(_starts), pos) - 1
    return pairs[i] if i >= 0 and pos <= pairs[i].end else None


def _starts(ctx: Context) -> list[int]:
    return [p.start for p in segment_pairs(ctx)]


def is_cjk(ch: str) -> bool:
    """Han, kana, Hangul and the CJK punctuation and full-width forms."""
    o = ord(ch)
    return (0x3000 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF
            or 0xFF00 <= o <= 0xFFEF or 0x20000 <= o <= 0x2FA1F)


def cjk_share(text: str) -> float:
    """The share of CJK characters among the letters of ``text`` (0 without letters)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if is_cjk(c)) / len(letters)


def first_letter(text: str) -> tuple[int, str] | None:
    """The offset and character of the first letter or digit of ``text``, skipping
    leading punctuation, quotes and list marks."""
    for i, ch in enumerate(text):
        if ch.isalnum():
            return i, ch
        if not (ch.isspace() or unicodedata.category(ch)[0] in "PS"):
            return None
    return None
