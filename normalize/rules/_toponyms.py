"""The one gazetteer scan shared by the toponym rules of a document.

Each match is resolved to a place and to the status of the exact spelling
used; matches inside a place's exceptions ("chicken Kiev", "Odessa, Texas")
are dropped here, so no toponym rule can touch them.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from ..gazetteer import Name, get_gazetteer
from ..gazetteer.matcher import find_names
from ..registry import Context, carried_analysis
from ._words import word_spans

_KIND_RANK = {"country": 0, "territory": 1, "region": 2, "sea": 2, "feature": 3, "city": 4}
_EXCEPTION_WINDOW = 120


@dataclass(frozen=True, slots=True)
class Toponym:
    start: int
    end: int
    surface: str
    place: str
    status: str          # status of this exact spelling ("variant" if only the key matched)
    source: str
    exact: bool          # the spelling itself is listed, not only its key
    ambiguous: bool      # the name also belongs to another place
    curated: bool


def _rank(name: Name, lang: str) -> tuple[int, int, int]:
    return (0 if name.source == "curated" else 1, 0 if name.lang == lang else 1,
            _KIND_RANK.get(name.kind, 5))


def _in_exception(text: str, start: int, end: int, place: str, gaz) -> bool:
    patterns = gaz.exception_patterns(place)
    if not patterns:
        return False
    lo = max(0, start - _EXCEPTION_WINDOW)
    hi = min(len(text), end + _EXCEPTION_WINDOW)
    for pattern in patterns:
        for m in pattern.finditer(text, lo, hi):
            if m.start() <= start and end <= m.end():
                return True
    return False


@functools.lru_cache(maxsize=65536)
def _resolve(index, key: str, surface: str) -> tuple[str, str, str, bool, bool, bool]:
    """Which place a spelling names, and its status there (depends only on the spelling)."""
    lang = index.lang
    candidates = index.names(key)
    lowered = surface.lower()
    exact = [n for n in candidates if n.text.lower() == lowered]
    pool = exact or candidates
    best = min(pool, key=lambda n: _rank(n, lang))
    places = {n.place for n in pool}
    # A place-level status: the best status this spelling has for the chosen place.
    statuses = [n.status for n in pool if n.place == best.place]
    status = "contested" if "contested" in statuses else (
        "preferred" if "preferred" in statuses and exact else
        (best.status if exact else "variant"))
    curated = any(n.source == "curated" and n.place == best.place for n in candidates)
    return best.place, status, best.source, bool(exact), len(places) > 1, curated


@carried_analysis("toponyms")
def toponyms(ctx: Context) -> list[Toponym]:
    """Resolved toponyms of the document (computed once per document)."""
    cached = ctx.cache.get("toponyms")
    if cached is not None:
        return cached
    gaz = get_gazetteer()
    index = gaz.index(ctx.language.code)
    text = ctx.text
    out: list[Toponym] = []
    for match in find_names(text, index, word_spans(ctx).capitalised()):
        surface = text[match.start:match.end]
        place, status, source, exact, ambiguous, curated = _resolve(index, match.key, surface)
        if _in_exception(text, match.start, match.end, place, gaz):
            continue
        out.append(Toponym(match.start, match.end, surface, place, status, source, exact,
                           ambiguous, curated))
    ctx.cache["toponyms"] = out
    return out


def preferred_form(ctx: Context, place: str) -> tuple[str | None, bool]:
    """The style's spelling of a place, and whether the style itself chose it."""
    chosen = ctx.style.prefer.get(place)
    if chosen:
        return chosen, True
    return get_gazetteer().preferred(place, ctx.language.code), False


def place_label(ctx: Context, place: str) -> str:
    name, _ = preferred_form(ctx, place)
    return name or place
