"""Helpers shared by the garble rules: cached positions of punctuation marks."""
from __future__ import annotations

from ...registry import Context
from .._scan import find_all


def positions(ctx: Context, ch: str) -> list[int]:
    """Every offset of the character ``ch`` in the document (one ``str.find`` scan, cached)."""
    key = "garble.positions:" + ch
    found = ctx.cache.get(key)
    if found is None:
        found = ctx.cache[key] = list(find_all(ctx.text, ch))
    return found
