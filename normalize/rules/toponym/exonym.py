"""toponym.exonym: a place named in another language's form.

In English copy: a local or third-language name whose English name differs
("München", "Wien", "Butscha" -> Munich, Vienna, Bucha); the Russian
romanisation of a Ukrainian place (Kharkov, Nikolaev, Zaporozhye), computed
from the gazetteer's Cyrillic names; and a non-standard romanisation of a
Ukrainian place (Kamyanets-Podilsky for the national Kamianets-Podilskyi).
Tables in ``_exonyms.py``. Each occurrence is reported, grouped by spelling,
with an unsafe fix: a name left in the source language may also be part of an
institution's name ("Bayern München", "Universität Wien"), so a name joined
to other capitalised words is left alone. How often a spelling occurs and what
its first occurrence says are document facts (:data:`EXONYMS`): a piece of a
long text reports its occurrences with the whole text's message.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ...analysis.places import DESCRIPTORS
from ...analysis.words import function_words as language_function_words
from ...findings import Category, Edit, Finding, FixSafety, Severity
from ...gazetteer.store import name_key
from ...languages import language_name
from ...patterns import LazyPattern
from ...pieces import (
    FactKind,
    carried_analysis,
    document_facts,
    fact_kind,
    global_offset,
    own_range,
)
from ...registry import Context, Rule, register
from ...translit import equivalence_key
from .._text import transfer_case
from ._exonyms import MIN_KEY_LETTERS, Exonym, Tables, tables
from ._russian_forms import context_patterns, ukrainian_form

_NEXT_WORD = LazyPattern(r"(?:[ \u00a0]|[-\u2010\u2011])(\w+)")
#: The characters _NEXT_WORD allows before the next word of a name.
_JOINERS = frozenset(" \u00a0-\u2010\u2011")
_NUMBER_AFTER = LazyPattern(r"[ \u00a0]\d")
_CAPITAL_AFTER = LazyPattern(r"[ \u00a0]([A-ZÀ-ÖØ-ÞĀ-ž][\w'’-]*)")


def _joined(text: str, start: int, end: int, function_words: frozenset[str]) -> bool:
    """True if the name is part of a longer capitalised name ("Bayern München",
    "Köln Bonn Airport"); a descriptor after it ("Oblast") does not count."""
    after = _CAPITAL_AFTER.match(text, end)
    if after and after.group(1).lower() not in DESCRIPTORS:
        return True
    if _NUMBER_AFTER.match(text, end):
        return True  # "Hannover 96": a club
    i = start - 1
    if i < 1 or text[i] not in " \u00a0":
        return False
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "'’."):
        j -= 1
    prev = text[j:i]
    if not prev[:1].isupper():
        return False
    if prev.isupper():
        return len(prev) > 1  # "ING Deutschland", "FC Köln"
    # "In München" at a sentence start; "Bayern München" anywhere.
    return prev.lower() not in function_words


#: Italian, Spanish and Portuguese saint titles: "San Paolo" is Saint Paul as often as São Paulo.
_SAINT = LazyPattern(r"(?:San|Santa|Santo|Sant'|Sant’|São|Santi)[ \u00a0']")
_PREV_WORD = LazyPattern(r"(\w+)[ \u00a0]+$")


def _in_foreign_phrase(text: str, start: int, exonym: Exonym, english: frozenset[str]) -> bool:
    """True if the word before is a function word of the name's own language and not of
    the document's ("Alternative für Deutschland"): a quoted name, not a place."""
    if exonym.kind != "foreign":
        return False
    prev = _PREV_WORD.search(text, max(0, start - 30), start)
    if prev is None:
        return False
    word = prev.group(1).lower()
    try:
        theirs = language_function_words(exonym.detail)
    except Exception:
        return False
    return word in theirs and word not in english


def _lookup(tab: Tables, surface: str, several_words: bool) -> Exonym | None:
    """The table entry for ``surface`` (one word, or ``several_words`` joined), if any."""
    key = name_key(surface) if several_words else surface.lower()
    exonym = tab.by_key.get(key)
    if exonym is None and tab.by_translit:
        if _letters(surface) >= MIN_KEY_LETTERS and key not in tab.native:
            candidate = tab.by_translit.get(equivalence_key(surface))
            if candidate is not None and key != name_key(candidate.target):
                exonym = candidate
    return exonym


def _letters(surface: str) -> int:
    """How many letters ``surface`` holds (a whole word of letters needs no count)."""
    return len(surface) if surface.isalpha() else sum(c.isalpha() for c in surface)


#: Look-ups kept per language (:func:`_memo`); forgotten beyond this many spellings, so
#: memory stays bounded on any corpus.
MAX_MEMO = 200_000
_MEMOS: dict[str, tuple[Tables, dict[tuple[str, bool], Exonym | None], dict[str, bool]]] = {}


def _memo(family: str, tab: Tables) -> tuple[dict[tuple[str, bool], Exonym | None], dict[str, bool]]:
    """:func:`_lookup`'s and :func:`_alone`'s answers for the tables ``tab``, kept from
    text to text (and from one pass of the fixer to the next): an answer depends on the
    spelling and the tables only."""
    held = _MEMOS.get(family)
    if held is None or held[0] is not tab or len(held[1]) + len(held[2]) > MAX_MEMO:
        held = _MEMOS[family] = (tab, {}, {})
    return held[1], held[2]

@dataclass(frozen=True, slots=True)
class ExonymFacts:
    """One spelling (lower-cased) of a place in another language's form, in a stretch of text."""

    count: int
    #: The first occurrence: its start in the whole text, its surface and what the tables say
    #: of it (the target every occurrence is fixed to).
    start: int
    written: str
    exonym: Exonym


#: Lower-cased spelling -> its facts, in order of first occurrence.
Exonyms = dict[str, ExonymFacts]


@carried_analysis
def _occurrences(ctx: Context) -> dict[str, list[tuple[int, int, Exonym]]]:
    """Every reported occurrence in the document's text, per lower-cased spelling."""
    return _occurrences_in(ctx, 0, len(ctx.text))


def _occurrences_in(ctx: Context, lo: int, hi: int) -> dict[str, list[tuple[int, int, Exonym]]]:
    """:func:`_occurrences` of the names that start in ``text[lo:hi]``, both line starts
    (or text ends): a name holds no line break, so no name across ``lo`` hides one after it."""
    text = ctx.text
    tab = tables(ctx.language.family)
    found: dict[str, list[tuple[int, int, Exonym]]] = {}
    function_words = language_function_words(ctx.language.code)
    next_free = 0
    # Words that alone are neither in the tables nor a Russian form (most capitalised
    # words: "The", "Monday"): where no capitalised word follows them, nothing starts there.
    memo, lone = _memo(ctx.language.family, tab)
    line_context: dict[int, bool] = {}
    several = tab.most_words > 1
    for start, end in ctx.analysis.words.capitalised():
        if start < lo or start < next_free:
            continue
        if start >= hi:
            break
        word = text[start:end]
        alone = lone.get(word)
        if alone is None:
            alone = lone[word] = _alone(word, tab, memo)
        if alone and (not several or text[end:end + 1] not in _JOINERS
                      or not text[end + 1:end + 2].isupper()):
            continue
        hit = ToponymExonym._match(text, start, end, tab, memo)
        if hit is None:
            guess = ToponymExonym._russian_form(ctx, start, end, tab, line_context)
            if guess is not None:
                found.setdefault(text[start:end].lower(), []).append((start, end, guess))
            continue
        stop, exonym = hit
        next_free = stop
        if _joined(text, start, stop, function_words) or _in_foreign_phrase(text, start, exonym, function_words):
            continue
        if exonym.kind == "foreign" and _SAINT.match(text, start, stop):
            continue  # "San Paolo fuori le Mura": a saint (a church, a feast) as often as a city
        found.setdefault(text[start:stop].lower(), []).append((start, stop, exonym))
    return found


def _alone(word: str, tab: Tables, memo: dict[tuple[str, bool], Exonym | None]) -> bool:
    """True if ``word`` on its own is no spelling the tables know and no Russian form that
    :meth:`ToponymExonym._russian_form` would look at (whatever its line)."""
    key = (word, False)
    try:
        exonym = memo[key]
    except KeyError:
        exonym = memo[key] = _lookup(tab, word, False)
    if exonym is not None:
        return False
    target = ukrainian_form(word)
    return target is None or target == word or word.lower() in tab.native


def _collect(ctx: Context) -> Exonyms:
    """The spellings reported in the document's own text, with positions into the whole."""
    lo, hi = own_range(ctx.document)
    out: Exonyms = {}
    # One scan for the facts and the check, context lines included: a piece's first
    # pass hands it on to its second (normalize.pieces.carried_analysis).
    found = ctx.analysis.shared(_occurrences)
    for spelling, places in found.items():
        own = [p for p in places if lo <= p[0] < hi]
        if own:
            start, stop, exonym = own[0]
            out[spelling] = ExonymFacts(len(own), global_offset(ctx, start), ctx.text[start:stop], exonym)
    return out


def _merge(a: Exonyms, b: Exonyms) -> Exonyms:
    out = dict(a)
    for spelling, facts in b.items():
        mine = out.get(spelling)
        out[spelling] = facts if mine is None else ExonymFacts(
            mine.count + facts.count, mine.start, mine.written, mine.exonym)
    return out


def _for_piece(before: Exonyms | None, total: Exonyms, own: Exonyms) -> Exonyms:
    """A piece needs only the spellings its own text holds."""
    return {spelling: total[spelling] for spelling in own}


#: Per spelling of the whole text: how often, and its first occurrence.
EXONYMS: FactKind[Exonyms] = fact_kind(FactKind(
    "normalize.rules.toponym.exonym:exonyms", _collect, _merge, _for_piece))


@register
class ToponymExonym(Rule):
    id = "toponym.exonym"
    category = Category.TOPONYM
    severity = Severity.WARNING
    fix = FixSafety.UNSAFE
    mqm = "Terminology/Wrong term"
    scope = "document"
    languages = frozenset({"en"})
    description = ("A place left in another language's form (München, Wien, Butscha), a Russian "
                   "romanisation of a Ukrainian place (Kharkov, Nikolaev) or a non-standard "
                   "romanisation of one (Kamyanets-Podilsky): the English / national form as an unsafe fix.")

    facts = (EXONYMS.name,)

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        found = ctx.analysis.shared(_occurrences)
        if not found:
            return  # (most texts: the whole text's facts would be gathered for nothing)
        whole: Exonyms = document_facts(ctx, EXONYMS)
        for spelling, places in found.items():
            facts = whole.get(spelling)
            if facts is None:
                continue  # only in a piece's context lines: the piece around them reports them
            # The message, the target and the severity are those of the whole text's first
            # occurrence; each occurrence of the document is fixed with its own case.
            exonym = facts.exonym
            message = self._message(facts.written, exonym, facts.count)
            (start, stop, _), *rest = places
            also = tuple(Edit(a, b, transfer_case(text[a:b], exonym.target), self.id) for a, b, _ in rest)
            # Another romanisation of the Ukrainian name is often an accepted one (Balaklia):
            # a note; another language's form is wrong in English copy.
            severity = Severity.INFO if exonym.kind in ("romanisation", "guess") else self.severity
            yield self.finding(ctx, start, stop, message, replacement=transfer_case(text[start:stop], exonym.target),
                               fix=FixSafety.UNSAFE, also=also, severity=severity,
                               data={"place": exonym.place, "kind": exonym.kind, "source": exonym.detail,
                                     "target": exonym.target})

    @staticmethod
    def _match(text: str, start: int, end: int, tab: Tables,
               memo: dict[tuple[str, bool], Exonym | None]) -> tuple[int, Exonym] | None:
        """The longest spelling starting at this word that the tables know.

        ``memo`` holds :func:`_lookup`'s answers (:func:`_memo`): a text names the same
        capitalised words again and again (20k capitalised words, 5k distinct per MB),
        and each look-up that misses costs a transliteration key."""
        best = None
        surface_end = end
        for words in range(tab.most_words):
            if words:
                # The next word must start with a capital right after a blank or a hyphen:
                # told from two characters before the pattern is tried (most names stand alone).
                if text[surface_end:surface_end + 1] not in _JOINERS or \
                        not text[surface_end + 1:surface_end + 2].isupper():
                    break
                nxt = _NEXT_WORD.match(text, surface_end)
                if nxt is None or not nxt.group(1)[:1].isupper():
                    break
                surface_end = nxt.end()
            memo_key = (text[start:surface_end], words > 0)
            try:
                exonym = memo[memo_key]
            except KeyError:
                exonym = memo[memo_key] = _lookup(tab, *memo_key)
            if exonym is not None:
                best = (surface_end, exonym)
        return best

    @staticmethod
    def _russian_form(ctx: Context, start: int, end: int, tab: Tables,
                      line_context: dict[int, bool]) -> Exonym | None:
        """A guessed Ukrainian form of a Russian-form village name that the gazetteer does
        not know, on a line about Ukraine (see ``_russian_forms``), or None."""
        text = ctx.text
        word = text[start:end]
        target = ukrainian_form(word)
        if target is None or target == word or word.lower() in tab.native:
            return None
        line_start = text.rfind("\n", 0, start) + 1
        if line_start not in line_context:
            line_end = text.find("\n", start)
            line = text[line_start:len(text) if line_end == -1 else line_end]
            ukrainian, russian = context_patterns(ctx.language.code)
            line_context[line_start] = (ukrainian is not None and ukrainian.search(line) is not None
                                        and (russian is None or russian.search(line) is None))
        if not line_context[line_start]:
            return None
        return Exonym(place="", target=target, kind="guess", detail=word)

    @staticmethod
    def _message(written: str, exonym: Exonym, count: int) -> str:
        times = f" ({count}x)" if count > 1 else ""
        if exonym.kind == "guess":
            return (f"'{written}'{times} looks like the Russian form of a Ukrainian village name "
                    f"(a line about Ukraine); the Ukrainian national form is probably "
                    f"'{exonym.target}': check it")
        if exonym.kind == "russian":
            return (f"'{written}'{times} is the Russian form ({exonym.detail}) of a Ukrainian place; "
                    f"write '{exonym.target}' (Ukrainian national romanisation)")
        if exonym.kind == "romanisation":
            return (f"'{written}'{times} is a non-standard romanisation of {exonym.detail}; the Ukrainian "
                    f"national system (KMU 2010) gives '{exonym.target}'")
        return (f"'{written}'{times} is the {language_name(exonym.detail)} name; English copy "
                f"writes '{exonym.target}'")
