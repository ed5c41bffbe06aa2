"""How the toponym rules report each spelling of a place (``toponym.variant`` or
``toponym.consistency``), judged once per document from ``ctx.analysis.places``.

What the judgement needs of the whole text (how often each spelling of a place
occurs, its first occurrence, how many of a variant's occurrences the fix
changes safely) are document facts (:data:`SPELLINGS`), so that a piece of a
long text checked alone reports its occurrences as the whole text does.
"""
from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from dataclasses import replace as dc_replace

from ...analysis.places import Toponym
from ...gazetteer import get_gazetteer
from ...lazy import Imports
from ...pieces import (
    FactKind,
    document_facts,
    fact_kind,
    global_offset,
    own_range,
)
from ...registry import Context
from .._text import transfer_case
from ._context import Fitted, fit_article, historical_reason

#: Imported when a place has two spellings (the exonym tables load data).
_imports = Imports(__package__, exonyms="._exonyms", store="...gazetteer.store")


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
    occurrences: list[Toponym]   # those in this document (a piece: its text's only)
    target: str                  # the spelling to use instead (as written, before case transfer)
    preferred: str | None        # the style's / gazetteer's preferred form
    by_style: bool
    safe: bool
    others: list[tuple[str, int]]  # other spellings of the place in the text, with counts
    facts: SpellingFacts         # the spelling in the whole text


@dataclass(frozen=True, slots=True)
class SpellingFacts:
    """One spelling (lower-cased) of one place in a stretch of text."""

    count: int
    #: The first occurrence, at its place in the whole text: what the reports read of a
    #: spelling (its surface, status, source) is what its first occurrence says.
    first: Toponym
    #: The first surface not all in capitals (the base spelling as a target), if any.
    written: str | None
    #: Occurrences a ``toponym.variant`` fix changes safely (:func:`plan`), counted only
    #: for a spelling that may be a variant: a marked, non-preferred spelling.
    safe: int = 0
    #: The first of those: (start in the whole text, surface).
    first_safe: tuple[int, str] | None = None


#: Place -> lower-cased spelling -> its facts, both in order of first occurrence.
Spellings = dict[str, dict[str, SpellingFacts]]


def _join(a: SpellingFacts, b: SpellingFacts) -> SpellingFacts:
    """The facts of one spelling in two consecutive stretches (a first)."""
    return SpellingFacts(a.count + b.count, a.first, a.written if a.written is not None else b.written,
                         a.safe + b.safe, a.first_safe if a.first_safe is not None else b.first_safe)


def _merge(a: Spellings, b: Spellings) -> Spellings:
    out = dict(a)
    for place, spellings in b.items():
        mine = out.get(place)
        if mine is None:
            out[place] = spellings
            continue
        joined = dict(mine)
        for spelling, facts in spellings.items():
            joined[spelling] = facts if spelling not in joined else _join(joined[spelling], facts)
        out[place] = joined
    return out


def _for_piece(before: Spellings | None, total: Spellings, own: Spellings) -> Spellings:
    """A piece needs only the places its own text names (every spelling of each)."""
    return {place: total[place] for place in own}


def _marked(top: Toponym, by_style: bool) -> bool:
    """True if the spelling is marked in its language (historic, a transliteration variant,
    a misspelling) or one of the names the house style overrides."""
    return top.source in TAGGED_SOURCES and (
        top.status in _MARKED or (by_style and top.status in ("variant", "preferred")))


def _plans(ctx: Context) -> dict[tuple, tuple[Fitted, str | None]]:
    """Per document: each occurrence's :func:`plan`."""
    return {}


def plan(ctx: Context, top: Toponym, target: str, names: tuple[str, ...]) -> tuple[Fitted, str | None]:
    """The fitted replacement of one occurrence of a variant by ``target``, and why it is
    unsafe (None: safe). ``names`` are the place's names (lower-cased) that beside it
    make a gloss.

    Made once per occurrence of a document: the spellings' facts and
    ``toponym.variant`` both ask (~20 µs each). Of ``names`` only the set of those
    other than the occurrence's own spelling counts (what ``historical_reason`` reads),
    and the two ask with different lists of the same names."""
    low = top.surface.lower()
    key = (top.start, top.end, top.surface, top.place, top.status, target,
           frozenset(n for n in names if n and n != low))
    memo = ctx.analysis.shared(_plans)
    known = memo.get(key)
    if known is None:
        fitted = fit_article(ctx, top.start, top.end, top.surface, transfer_case(top.surface, target))
        reason = historical_reason(ctx, top.place, top.surface, top.status, top.start, top.end, names)
        known = memo[key] = (fitted, reason if reason is not None else (None if fitted.certain else fitted.why))
    return known


def _collect(ctx: Context) -> Spellings:
    """The spellings of the places in the document's own text, with positions into the whole."""
    lo, hi = own_range(ctx.document)
    places = [top for top in ctx.analysis.places if top.status != "contested"]
    # The names that make a gloss ("Kyiv (Kiev)") are the place's spellings in the whole
    # text, which the first pass cannot know: it takes those the checked text holds,
    # context lines included (in a whole document, the same). The judge reads names within
    # 30 characters or in the paragraph, which the piece holds, so the two differ only
    # where a spelling that other pieces hold as the place stands there as bare text
    # ("Kiev (kyyiv-style maps)", 'Kyyiv' named pieces away): then a safe fix is counted
    # that is not one.
    seen: dict[str, dict[str, None]] = {}
    for top in places:
        seen.setdefault(top.place, {})[top.surface.lower()] = None
    building: dict[str, dict[str, list]] = {}
    preferred: dict[str, tuple[str | None, bool]] = {}
    for top in places:
        if not lo <= top.start < hi:
            continue
        spelling = top.surface.lower()
        entry = building.setdefault(top.place, {}).get(spelling)
        if entry is None:
            shift = global_offset(ctx, 0)
            first = top if not shift else dc_replace(top, start=top.start + shift, end=top.end + shift)
            entry = building[top.place][spelling] = [0, first, None, 0, None]
        entry[0] += 1
        if entry[2] is None and not top.surface.isupper():
            entry[2] = top.surface
        if top.place not in preferred:
            preferred[top.place] = preferred_form(ctx, top.place)
        pref, by_style = preferred[top.place]
        if pref and spelling != pref.lower() and _marked(top, by_style):
            names = (pref.lower(), *seen[top.place])
            if plan(ctx, top, pref, names)[1] is None:
                entry[3] += 1
                if entry[4] is None:
                    entry[4] = (global_offset(ctx, top.start), top.surface)
    return {place: {s: SpellingFacts(*e) for s, e in spellings.items()}
            for place, spellings in building.items()}


#: Per place and spelling of the whole text: count, first occurrence, safe variant fixes.
SPELLINGS: FactKind[Spellings] = fact_kind(FactKind(
    "normalize.rules.toponym._reports:spellings", _collect, _merge, _for_piece))


@functools.lru_cache(maxsize=4096)
def _letters(s: str) -> str:
    """The letters and digits of a spelling, lower-cased (kept: a place's few spellings are
    compared with each other at every report)."""
    return "".join(c for c in s.lower() if c.isalnum())


def _shortened(a: str, b: str) -> bool:
    """True if one spelling is the other with words left out ("Kreuznach" / "Bad Kreuznach")."""
    wa, wb = a.split(), b.split()
    short, long_ = (wa, wb) if len(wa) < len(wb) else (wb, wa)
    return len(short) < len(long_) and all(w in long_ for w in short)


def _accepted(top: Toponym) -> bool:
    """True if the spelling is an accepted name of the place in the document's language."""
    return top.exact and top.source in TAGGED_SOURCES and top.status in ("preferred", "variant")


def _foreign_forms(ctx: Context, spellings: dict[str, SpellingFacts]) -> set[str]:
    """The spellings that toponym.exonym knows as another language's form of a place."""
    if len(spellings) < 2 or ctx.language.family != "en":
        return set()
    known = _imports.exonyms.tables(ctx.language.family).by_key
    name_key = _imports.store.name_key
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

    The judgement reads the whole text's facts (:data:`SPELLINGS`); a report
    holds the document's own occurrences (none: no report).
    """
    return ctx.analysis.shared(_spelling_reports)


def _spelling_reports(ctx: Context) -> list[SpellingReport]:
    local: dict[str, dict[str, list[Toponym]]] = {}
    for top in ctx.analysis.places:
        if top.status != "contested":
            local.setdefault(top.place, {}).setdefault(top.surface.lower(), []).append(top)
    if not local:
        return []  # no place named: the whole text's facts would be gathered for nothing
    whole: Spellings = document_facts(ctx, SPELLINGS)
    out: list[SpellingReport] = []
    for place, here in local.items():
        spellings = whole.get(place)
        if spellings is None:
            continue  # named only in a piece's context lines: the pieces around report it
        preferred, by_style = preferred_form(ctx, place)
        pref_low = preferred.lower() if preferred else None
        foreign = _foreign_forms(ctx, spellings)
        most = min(spellings, key=lambda s: (s in foreign, -spellings[s].count, spellings[s].first.start))
        if pref_low is not None and pref_low in spellings and not (
                not by_style and _accepted(spellings[most].first)
                and spellings[most].count > spellings[pref_low].count
                and _letters(most) != _letters(pref_low)):
            base = pref_low
        else:  # the most used spelling not in another language's form, the earliest on a tie;
            # also an accepted name used more often than the preferred one (Macau 18x, Macao 1x)
            base = most
        base_form = spellings[base].written or spellings[base].first.surface
        for spelling, facts in spellings.items():
            tops = here.get(spelling)
            if not tops:
                continue  # not in this piece's text
            first = facts.first
            others = [(f.first.surface, f.count) for s, f in spellings.items() if s != spelling]
            punct_only = _letters(spelling) == _letters(base) and spelling != base
            trusted = first.curated or (not first.ambiguous and first.source in ("cldr", "iso3166"))
            if preferred and spelling != pref_low and _marked(first, by_style) and not (
                    punct_only and len(spellings) > 1):
                out.append(SpellingReport("toponym.variant", spelling, tops, preferred, preferred,
                                          by_style, trusted, others, facts))
            elif spelling in foreign:
                continue  # toponym.exonym reports it ("Butscha" in English copy)
            elif spelling != base and len(spellings) > 1 and not _shortened(spelling, base):
                ratio = difflib.SequenceMatcher(None, _letters(spelling), _letters(base)).ratio()
                if ratio >= SIMILARITY:
                    # Safe when only punctuation or spacing differs and the base is the house form.
                    safe = punct_only and base == pref_low and trusted
                    out.append(SpellingReport("toponym.consistency", spelling, tops, base_form,
                                              preferred, by_style, safe, others, facts))
    return out
