"""The one gazetteer scan shared by the toponym rules of a document.

Each match is resolved to a place and to the status of the exact spelling
used; matches inside a place's exceptions ("chicken Kiev", "Odessa, Texas")
are dropped here, so no toponym rule can touch them.
"""
from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass

from ..gazetteer import Name, get_gazetteer
from ..gazetteer.matcher import find_names
from ..registry import Context, carried_analysis

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
    for match in find_names(text, index, ctx.analysis.words.capitalised()):
        surface = text[match.start:match.end]
        place, status, source, exact, ambiguous, curated = _resolve(index, match.key, surface)
        if _in_exception(text, match.start, match.end, place, gaz):
            continue
        if place.startswith("city:") and not curated and _given_name_before_surname(text, match.end, surface):
            continue  # "Vladimir Poutine", "Florence Nightingale": a person, not the town
        out.append(Toponym(match.start, match.end, surface, place, status, source, exact,
                           ambiguous, curated))
    ctx.cache["toponyms"] = out
    return out


#: Words after a town's name that keep it a place ("Vladimir Oblast", "Victoria Station").
_DESCRIPTORS = frozenset({
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
    if len(following) < 2 or following.isupper() or following.lower() in _DESCRIPTORS:
        return False
    from .gender._lexicon import given_name_gender

    return given_name_gender(surface) in ("m", "f")


def preferred_form(ctx: Context, place: str) -> tuple[str | None, bool]:
    """The style's spelling of a place, and whether the style itself chose it."""
    chosen = ctx.style.prefer.get(place)
    if chosen:
        return chosen, True
    return get_gazetteer().preferred(place, ctx.language.code), False


def place_label(ctx: Context, place: str) -> str:
    name, _ = preferred_form(ctx, place)
    return name or place


#: Spellings less alike than this are different names ("US" / "United States",
#: "Burma" / "Myanmar"), not inconsistent spellings of one name.
SIMILARITY = 0.5
#: Sources whose names are tagged with a language, so a status in that language means something.
TAGGED_SOURCES = frozenset({"curated", "cldr", "iso3166"})
_MARKED = ("historic", "translit", "misspelling")


@dataclass(frozen=True)
class SpellingReport:
    """How one spelling of a place in a document is reported: by which rule, as what."""

    rule: str                    # "toponym.variant" or "toponym.consistency"
    spelling: str                # lower-cased
    occurrences: list[Toponym]
    target: str                  # the spelling to use instead (as written, before case transfer)
    preferred: str | None        # the style's / gazetteer's preferred form
    by_style: bool
    safe: bool
    others: list[tuple[str, int]]  # other spellings of the place in the text, with counts


def _letters(s: str) -> str:
    return "".join(c for c in s.lower() if c.isalnum())


def _shortened(a: str, b: str) -> bool:
    """True if one spelling is the other with words left out ("Kreuznach" / "Bad Kreuznach")."""
    wa, wb = a.split(), b.split()
    short, long_ = (wa, wb) if len(wa) < len(wb) else (wb, wa)
    return len(short) < len(long_) and all(w in long_ for w in short)


def _accepted(top: Toponym) -> bool:
    """True if the spelling is an accepted name of the place in the document's language."""
    return top.exact and top.source in TAGGED_SOURCES and top.status in ("preferred", "variant")


def _foreign_forms(ctx: Context, spellings: dict[str, list[Toponym]]) -> set[str]:
    """The spellings that toponym.exonym knows as another language's form of a place."""
    if len(spellings) < 2 or ctx.language.family != "en":
        return set()
    from ..gazetteer.store import name_key
    from .toponym._exonyms import tables

    known = tables(ctx.language.family).by_key
    return {s for s in spellings if name_key(s) in known}


def spelling_reports(ctx: Context) -> list[SpellingReport]:
    """Per place and spelling, whether it is reported as a variant or an inconsistency.

    One report per spelling (at its first occurrence, fixed at every one):
    - a marked spelling (historic, transliteration variant, misspelling in the
      document's language), or any spelling the house style explicitly
      overrides, is a ``toponym.variant``, unless it differs from the base only
      in punctuation and spacing;
    - another spelling of a place written several ways is a
      ``toponym.consistency`` when it is alike enough to be the same name.
    """
    cached = ctx.cache.get("toponym_reports")
    if cached is not None:
        return cached
    by_place: dict[str, dict[str, list[Toponym]]] = {}
    for top in toponyms(ctx):
        if top.status != "contested":
            by_place.setdefault(top.place, {}).setdefault(top.surface.lower(), []).append(top)
    out: list[SpellingReport] = []
    for place, spellings in by_place.items():
        preferred, by_style = preferred_form(ctx, place)
        pref_low = preferred.lower() if preferred else None
        foreign = _foreign_forms(ctx, spellings)
        most = min(spellings, key=lambda s: (s in foreign, -len(spellings[s]), spellings[s][0].start))
        if pref_low is not None and pref_low in spellings and not (
                not by_style and _accepted(spellings[most][0]) and len(spellings[most]) > len(spellings[pref_low])
                and _letters(most) != _letters(pref_low)):
            base = pref_low
        else:  # the most used spelling not in another language's form, the earliest on a tie;
            # also an accepted name used more often than the preferred one (Macau 18x, Macao 1x)
            base = most
        base_form = next((t.surface for t in spellings[base] if not t.surface.isupper()),
                         spellings[base][0].surface)
        counts = {s: len(t) for s, t in spellings.items()}
        for spelling, tops in spellings.items():
            first = tops[0]
            others = [(spellings[s][0].surface, n) for s, n in counts.items() if s != spelling]
            tagged = first.source in TAGGED_SOURCES
            punct_only = _letters(spelling) == _letters(base) and spelling != base
            trusted = first.curated or (not first.ambiguous and first.source in ("cldr", "iso3166"))
            marked = tagged and (first.status in _MARKED or
                                 (by_style and first.status in ("variant", "preferred")))
            if preferred and spelling != pref_low and marked and not (punct_only and len(spellings) > 1):
                out.append(SpellingReport("toponym.variant", spelling, tops, preferred, preferred,
                                          by_style, trusted, others))
            elif spelling in foreign:
                continue  # toponym.exonym reports it ("Butscha" in English copy)
            elif spelling != base and len(spellings) > 1 and not _shortened(spelling, base):
                ratio = difflib.SequenceMatcher(None, _letters(spelling), _letters(base)).ratio()
                if ratio >= SIMILARITY:
                    # Safe when only punctuation or spacing differs and the base is the house form.
                    safe = punct_only and base == pref_low and trusted
                    out.append(SpellingReport("toponym.consistency", spelling, tops, base_form,
                                              preferred, by_style, safe, others))
    ctx.cache["toponym_reports"] = out
    return out
