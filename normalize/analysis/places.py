"""Place mentions: the one gazetteer scan of a document (``ctx.analysis.places``).

Each match is resolved to a place and to the status of the exact spelling
used; matches inside a place's exceptions ("chicken Kiev", "Odessa, Texas")
are dropped here, so no toponym rule can touch them.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..gazetteer import Name, get_gazetteer
from ..gazetteer.matcher import find_names
from ..patterns import required_in

if TYPE_CHECKING:
    from ..registry import Context

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


def _in_exception(ctx: Context, start: int, end: int, place: str, gaz) -> bool:
    patterns = gaz.exception_patterns(place)
    if not patterns:
        return False
    text = ctx.text
    lo = max(0, start - _EXCEPTION_WINDOW)
    hi = min(len(text), end + _EXCEPTION_WINDOW)
    gate = gaz.exception_gate(place, text[start:end])
    if gate is not None and not ctx.analysis.finds(gate, lo, hi):
        return False  # no pattern's literals stand around the mention
    for pattern in patterns:
        # A pattern runs only where its literals stand: most mentions of "Kiev" are not
        # "chicken Kiev", and each pattern costs ~3 µs on a window.
        required = required_in(pattern.pattern)
        if required and not ctx.analysis.holds_required(required, lo, hi):
            continue
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


def find_places(ctx: Context) -> list[Toponym]:
    """Resolved toponyms of the document, in text order."""
    gaz = get_gazetteer()
    index = gaz.index(ctx.language.code)
    text = ctx.text
    out: list[Toponym] = []
    for match in find_names(text, index, ctx.analysis.words.capitalised()):
        surface = text[match.start:match.end]
        place, status, source, exact, ambiguous, curated = _resolve(index, match.key, surface)
        if _in_exception(ctx, match.start, match.end, place, gaz):
            continue
        if place.startswith("city:") and not curated and _given_name_before_surname(text, match.end, surface):
            continue  # "Vladimir Poutine", "Florence Nightingale": a person, not the town
        out.append(Toponym(match.start, match.end, surface, place, status, source, exact,
                           ambiguous, curated))
    return out


#: Words after a town's name that keep it a place ("Vladimir Oblast", "Victoria Station").
DESCRIPTORS = frozenset({
    "oblast", "region", "province", "county", "district", "city", "governorate", "raion", "krai",
    "street", "square", "station", "airport", "bay", "river", "lake", "port", "harbour", "harbor",
    "région", "ville", "gare", "aéroport", "kreis", "stadt", "bezirk", "hafen",
    "flughafen", "bahnhof", "provincia", "città", "ciudad", "región", "aeropuerto", "puerto"})


def _given_name_before_surname(text: str, end: int, surface: str) -> bool:
    """True if a one-word town name is a given name and a capitalised word follows it
    ("Vladimir Putin"): then it is a person's name."""
    if " " in surface or end + 1 >= len(text) or text[end] != " " or not text[end + 1].isupper():
        return False
    stop = end + 1
    while stop < len(text) and (text[stop].isalpha() or text[stop] in "'’-"):
        stop += 1
    following = text[end + 1:stop]
    if len(following) < 2 or following.isupper() or following.lower() in DESCRIPTORS:
        return False
    from .given_names import given_name_gender

    return given_name_gender(surface) in ("m", "f")
