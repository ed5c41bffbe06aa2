"""How the toponym rules report each spelling of a place (``toponym.variant`` or
``toponym.consistency``), judged once per document from ``ctx.analysis.places``."""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from ...analysis.places import Toponym
from ...gazetteer import get_gazetteer
from ...registry import Context


def preferred_form(ctx: Context, place: str) -> tuple[str | None, bool]:
    """The style's spelling of a place, and whether the style itself chose it."""
    chosen = ctx.style.prefer.get(place)
    if chosen:
        return chosen, True
    return get_gazetteer().preferred(place, ctx.language.code), False


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
    from ...gazetteer.store import name_key
    from ._exonyms import tables

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
    return ctx.analysis.shared(_spelling_reports)


def _spelling_reports(ctx: Context) -> list[SpellingReport]:
    by_place: dict[str, dict[str, list[Toponym]]] = {}
    for top in ctx.analysis.places:
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
    return out
