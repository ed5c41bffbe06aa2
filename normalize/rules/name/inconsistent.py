"""name.inconsistent: one person's name spelled two ways in one document.

Three kinds of evidence, for people the project has never heard of:
- two spellings that transliterate one name (``normalize.translit.equivalence_key``:
  Zelensky/Zelenskyy/Zelenskyi, Élisabeth/Elisabeth), as surnames in name runs or
  as standalone capitalised words;
- a surname with one letter changed (six letters or more, same first letter)
  written after the same given name (Christine Lambrecht / Christine Lambecht);
- the known people of ``corpora/names/people.yaml``.
The minority spelling is reported at each of its places, naming the majority
one, with an unsafe fix to it.
"""
from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from ...analysis.people import (
    LOWER_WORDS,
    Mention,
    name_tokens,
    open_questions,
    registry,
    titles_for,
    word_key,
)
from ...analysis.words import function_words as language_function_words
from ...findings import Category, Edit, Finding, FixSafety, Severity
from ...pieces import (
    FactKind,
    carried_analysis,
    document_facts,
    fact_kind,
    global_offset,
    own_range,
)
from ...registry import Context, Rule, register
from ...translit import edit_distance_one, equivalence_key
from .._text import transfer_case
from ._sequences import fold, skeleton

#: Two spellings this far apart (in characters) are not compared: a corpus
#: given as one document holds many articles, and two people in two articles
#: may have similar names.
WINDOW = 20_000
#: Fewest letters of a surname or given name compared.
MIN_SURNAME = 5
MIN_GIVEN = 4
#: Fewest letters of a surname judged by one changed letter (Kim/Kin are two people).
MIN_EDIT = 6
#: Fewest letters of a standalone capitalised word grouped by transliteration.
MIN_SINGLE = 6


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _morphology(a: str, b: str, endings: frozenset[str] = frozenset()) -> bool:
    """True if two spellings are forms of different words rather than spellings of one:
    a plural or genitive (+s), a feminine form (Aliyev/Aliyeva, Navalny/Navalnaya,
    Zelensky/Zelenska), a change of final vowel (Mario/Maria, Daniel/Daniela), or
    another inflectional ending of the language (German Usern/Userin)."""
    a, b = fold(a), fold(b)
    if a == b:
        return False  # only accents or case differ
    if a.endswith("s") and b.endswith("s") and len(a) > 4 and len(b) > 4:
        a, b = a[:-1], b[:-1]  # plurals of two words: Romans / Romanians
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if long_.startswith(short) and long_[len(short):] in ("s", "es", "a", "e", "o", "n", "in", "ian", "an"):
        return True
    if endings:
        stem = 0
        while stem < len(short) and short[stem] == long_[stem]:
            stem += 1
        ends = {short[stem:], long_[stem:]}
        if stem >= 3 and ends <= endings | {""}:
            return True
    if a.endswith("a") != b.endswith("a"):
        return True
    return bool(len(a) == len(b) and a[:-1] == b[:-1] and {a[-1], b[-1]} <= set("aeo"))


def _alike(a: str, b: str, threshold: float, endings: frozenset[str] = frozenset()) -> bool:
    if _morphology(a, b, endings):
        return False
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True  # only case or diacritics differ (Erdoğan / Erdogan)
    if abs(len(fa) - len(fb)) > 3:
        return False
    return skeleton(a) == skeleton(b) and _ratio(fa, fb) >= threshold


def _one_letter_pairs(words: list[str]) -> list[tuple[str, str]]:
    """Pairs of words (same first letter) one changed, added or removed letter apart,
    found through their one-letter deletions rather than by comparing every pair."""
    by_deletion: dict[str, list[str]] = {}
    for w in words:
        for variant in {w, *(w[:i] + w[i + 1:] for i in range(1, len(w)))}:
            by_deletion.setdefault(variant, []).append(w)
    out: set[tuple[str, str]] = set()
    for group in by_deletion.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if a != b and a[0] == b[0] and edit_distance_one(a, b):
                    out.add((a, b) if a < b else (b, a))
    return sorted(out)


# -- what the rule needs of the whole text ------------------------------------------------
# Checked piece by piece (normalize.pieces), a text's spellings are counted over all of
# it: the fact kind ``spellings`` holds, per spelling (a capitalised word, a standalone
# word by transliteration key, a given name by surname as written, a known person's
# name part), how often it occurs, where it first occurs and how it is written there,
# and where its occurrences lie in stretches of WINDOW characters (enough to tell whether
# two spellings ever come within WINDOW of each other); and the mentions of known people
# that depend on words other pieces may hold. A piece's share: the reports on unknown
# names, made once from the whole text's facts, and the known people's spellings; the
# rule settles those mentions (normalize.analysis.people:lower_words), chooses as the
# whole text does and reports each spelling at the piece's own places, messages
# carrying the whole text's counts and first spellings.


class Seen(NamedTuple):
    """One spelling in a stretch of text: occurrences, the first (positions in the whole
    text, as written), and per stretch ``k`` of WINDOW characters holding some
    (positions ``k * WINDOW`` on) the first and last start there."""

    times: int
    start: int
    end: int
    written: str
    windows: tuple[tuple[int, int, int], ...]


def _seen(text: str, spans: Iterable[tuple[int, int]], offset: int,
          stretches: bool = True) -> Seen | None:
    """The :class:`Seen` of ``spans`` (positions into ``text``, in order), or None if none;
    without ``stretches`` (a piece: :func:`_close_pairs` says what is close) no windows."""
    count = 0
    first = (0, 0)
    windows: dict[int, list[int]] = {}
    for s, e in spans:
        if not count:
            first = (s, e)
        count += 1
        if not stretches:
            continue
        at = s + offset
        k = at // WINDOW
        w = windows.get(k)
        if w is None:
            windows[k] = [at, at]
        else:
            w[0] = min(w[0], at)
            w[1] = max(w[1], at)
    if not count:
        return None
    return Seen(count, first[0] + offset, first[1] + offset, text[first[0]:first[1]],
                tuple((k, lo, hi) for k, (lo, hi) in sorted(windows.items())))


def _union(a: Seen, b: Seen) -> Seen:
    """The occurrences of two sets of places (in any order) together."""
    first = a if a.start <= b.start else b
    windows = {k: (lo, hi) for k, lo, hi in a.windows}
    for k, lo, hi in b.windows:
        if k in windows:
            lo0, hi0 = windows[k]
            windows[k] = (min(lo0, lo), max(hi0, hi))
        else:
            windows[k] = (lo, hi)
    return Seen(a.times + b.times, first.start, first.end, first.written,
                tuple((k, lo, hi) for k, (lo, hi) in sorted(windows.items())))


@functools.lru_cache(maxsize=1 << 16)
def _pair_keys(low: str, family: str) -> tuple[tuple[str, str], ...]:
    """Keys that two capitalised words share when :func:`_unknown` may compare them as
    spellings of one surname: the bucket of their first two and last letters, their
    transliteration key, and (for a letter changed, added or removed, from MIN_EDIT
    letters) the word and its one-letter deletions."""
    keys = {("b", low[:2] + low[-1]), ("e", equivalence_key(low, family))}
    if len(low) >= MIN_EDIT:
        keys.add(("d", low))
        keys.update(("d", low[:i] + low[i + 1:]) for i in range(len(low)))
    return tuple(keys)


def _capitalised(ctx: Context, lo: int, hi: int) -> Iterator[tuple[int, int, str, str]]:
    """``start, end, word, lower case`` of the capitalised words starting in ``lo``..``hi``
    long enough to be a surname the rule compares (MIN_SURNAME letters)."""
    text = ctx.text
    for s, e in ctx.analysis.words.capitalised():
        if s < lo:
            continue
        if s >= hi:
            break
        word = text[s:e]
        if len(word) < MIN_SURNAME and (word.isascii() or len(word.lower()) < MIN_SURNAME):
            continue
        yield s, e, word, word.lower()


class _Near:
    """Pairs of words seen within WINDOW of each other under a shared key, as a text is
    read in order. Kept per word: the words met so far that share a key with it (found
    at its first occurrence) and where each was last seen; an occurrence meets its few
    neighbours, not each of its keys again (a surname of ten letters has a dozen)."""

    def __init__(self, own_from: int) -> None:
        self.own_from = own_from
        self.last: dict[tuple[str, str, str], int] = {}
        self.neighbours: dict[tuple[str, str, str], set[tuple[str, str, str]]] = {}
        self.under: dict[Any, list[tuple[str, str, str]]] = {}
        self.close: set[tuple[str, str, str, str]] = set()

    def see(self, pos: int, keys: Iterable[Any], part: str, group: str, word: str) -> None:
        """``word`` of ``part`` and ``group`` met at ``pos`` (in text order) under ``keys``
        (read at its first occurrence only)."""
        me = (part, group, word)
        mine = self.neighbours.get(me)
        if mine is None:
            mine = self.neighbours[me] = set()
            for key in keys:
                bucket = self.under.get(key)
                if bucket is None:
                    self.under[key] = [me]
                    continue
                for other in bucket:
                    mine.add(other)
                    self.neighbours[other].add(me)
                bucket.append(me)
        # Only a pair whose later occurrence is the piece's own is the piece's to tell.
        if mine and pos >= self.own_from:
            last = self.last
            for other in mine:
                if pos - last[other] <= WINDOW:
                    word2 = other[2]
                    self.close.add((part, group, word2, word) if word2 < word
                                   else (part, group, word, word2))
        self.last[me] = pos


def _close_pairs(ctx: Context, local: _Local, lo: int, hi: int) -> frozenset[tuple[str, str, str, str]]:
    """Pairs of spellings (``part, group, a, b``, ``a < b``) with an occurrence in the
    piece's own text (``lo``..``hi``) and one of the other within WINDOW before it, in
    the piece or its context (which reaches further back than WINDOW): what
    :func:`_close` asks of a text in pieces. Only pairs that :func:`_unknown` and
    :func:`_single` could compare are looked for (they share a key)."""
    family = ctx.language.family
    fw = language_function_words(ctx.language.code)
    titles = titles_for(family)
    known_last = registry().by_last
    near = _Near(lo)
    for s, _e, word, low in _capitalised(ctx, 0, hi):  # in text order, context included
        # Only a surname of a name run is compared (see _local): never these (a surname
        # written in capitals elsewhere still counts, as in the whole text's ``cap``).
        if low in fw or word in titles or low in known_last or not word.isalpha():
            continue
        near.see(s, _pair_keys(low, family), "surname", "", low)
    # Given names before one surname, standalone words by key: few, put in text order.
    events: list[tuple[int, tuple[str, str], str, str, str]] = []
    for sur, by_given in local.raw.items():
        sur_low = sur.lower()
        for giv, spans in by_given.items():
            if giv in titles or giv.lower() in fw or not giv.isalpha():
                continue
            events.extend((gs, ("g", sur_low), "given", sur_low, giv.lower())
                          for gs, _ge in spans if gs < hi)
    for equivalence, by_low in local.single.items():
        for low, spans in by_low.items():
            events.extend((s, ("s", equivalence), "single", equivalence, low)
                          for s, _e in spans if s < hi)
    events.sort(key=lambda ev: ev[0])
    for pos, shared, part, group, word in events:
        near.see(pos, (shared,), part, group, word)
    return frozenset(near.close)


def _merge_tree(a: dict, b: dict) -> dict:
    """Nested mappings ending in :class:`Seen`, merged key by key; the keys keep the order
    of their first occurrence (``a``'s, then those new in ``b``). Neither is changed."""
    out = dict(a)
    for k, v in b.items():
        if k not in out:
            out[k] = v
        elif isinstance(v, Seen):
            out[k] = _union(out[k], v)
        else:
            out[k] = _merge_tree(out[k], v)
    return out


@dataclass
class _Local:
    """The spellings of a document's text (its context lines included), positions into it."""

    #: transliteration key -> lower-case word -> places of standalone capitalised words
    single: dict[str, dict[str, list[tuple[int, int]]]]
    #: surname as written -> given name as written -> places of the given name, for the
    #: name runs whose surname may be compared
    raw: dict[str, dict[str, list[tuple[int, int]]]]
    #: person id -> part -> name tokens -> places of known people's names
    known: dict[str, dict[str, dict[tuple[str, ...], list[tuple[int, int]]]]]


def _local(ctx: Context) -> _Local:
    single, raw = ctx.analysis.shared(_local_words)
    return _Local(single, raw, _by_person(ctx.text, ctx.analysis.people))


@carried_analysis
def _local_words(ctx: Context) -> tuple[dict, dict]:
    """:class:`_Local`'s ``single`` and ``raw``: they read the text alone (``known`` reads
    the people mentioned, which a piece's second pass judges on the whole text's facts),
    so a piece's first pass hands them on to its second."""
    text = ctx.text
    fw = language_function_words(ctx.language.code)
    titles = titles_for(ctx.language.family)
    reg = registry()
    known_last = reg.by_last
    family = ctx.language.family
    # Standalone capitalised words, grouped by transliteration key.
    single: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for s, e in ctx.analysis.words.capitalised():
        if e - s < MIN_SINGLE:
            continue
        word = text[s:e]
        if word.isupper() or not word.isalpha():
            continue
        low = word.lower()
        if low in fw or word in titles or low in known_last:
            continue
        if e + 1 < len(text) and text[e] == " " and text[e + 1].isupper():
            continue  # a given name ("Mohamed Salah", "Mohammed bin Salman"): many spellings are right
        single.setdefault(equivalence_key(word, family), {}).setdefault(low, []).append((s, e))
    # Name runs: surname as written -> given name as written -> places of the given name.
    raw: dict[str, dict[str, list[tuple[int, int]]]] = {}
    runs = ctx.analysis.name_runs
    for gs, ge, ss, se in zip(runs.given_starts, runs.given_ends, runs.surname_starts, runs.surname_ends):
        sur = text[ss:se]
        by_given = raw.get(sur)
        if by_given is None:
            low = sur.lower()
            if len(sur) < 3 or low in fw or sur in titles or low in known_last or not sur.isalpha() \
                    or sur.isupper():
                continue  # acronyms, datelines ("KYIV, Ukraine (AP)"), known people
            by_given = raw[sur] = {}
        by_given.setdefault(text[gs:ge], []).append((gs, ge))
    return single, raw


def _by_person(text: str, mentions: Iterable[Mention]) -> dict[str, dict[str, dict[tuple[str, ...], list]]]:
    """person id -> part -> name tokens -> places of the mentions' names."""
    known: dict[str, dict[str, dict[tuple[str, ...], list]]] = {}
    for m in mentions:
        parts = known.setdefault(m.person.id, {"given": {}, "surname": {}})
        parts["surname"].setdefault(name_tokens(text[m.surname[0]:m.surname[1]]), []).append(m.surname)
        if m.given:
            parts["given"].setdefault(name_tokens(text[m.given[0]:m.given[1]]), []).append(m.given)
    return known


#: What one mention adds to the known people's spellings: person id and, per part, its
#: tokens, place in the whole text and the name as written there (None: no mention).
_Adds = tuple[str, tuple[tuple[str, tuple[str, ...], int, int, str], ...]] | None


def _adds(text: str, m: Mention | None, offset: int) -> _Adds:
    if m is None:
        return None
    parts = [("surname", m.surname)] + ([("given", m.given)] if m.given else [])
    return (m.person.id, tuple((part, name_tokens(text[a:b]), a + offset, b + offset, text[a:b])
                               for part, (a, b) in parts))


def _own_spans(spans: list[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    return [sp for sp in spans if lo <= sp[0] < hi]


def _collect(ctx: Context) -> dict[str, Any]:
    """The spellings of the document's own text (positions into the whole text)."""
    text = ctx.text
    piece = ctx.document.piece
    lo, hi = own_range(ctx.document)
    off = global_offset(ctx, 0)
    local = ctx.analysis.shared(_local)

    # A whole document's spellings keep their stretches of WINDOW characters; a piece's
    # would grow with the text (every stretch of every word), so the piece says instead
    # which pairs of spellings come within WINDOW of each other (_close_pairs).
    whole = piece is None

    def seen_tree(tree: dict) -> dict:
        out: dict = {}
        for k, v in tree.items():
            if isinstance(v, list):
                found = _seen(text, _own_spans(v, lo, hi), off, whole)
                if found is not None:
                    out[k] = found
            else:
                sub = seen_tree(v)
                if sub:
                    out[k] = sub
        return out

    # A whole document's own facts are all there is: what no report can read is left out
    # (a capitalised word that is no compared surname, a word spelled one way only).
    surnames = {sur.lower() for sur in local.raw} if whole else set()
    # Every capitalised word that may be a compared surname: its spellings count all of them.
    cap: dict[str, list] = {}
    for s, e, word, low in _capitalised(ctx, lo, hi):
        if whole and low not in surnames:
            continue
        at = s + off
        k = at // WINDOW
        stat = cap.get(low)
        if stat is None:
            cap[low] = [1, at, e + off, word, {k: [at, at]} if whole else {}]
            continue
        stat[0] += 1
        if not whole:
            continue
        w = stat[4].get(k)
        if w is None:
            stat[4][k] = [at, at]
        else:
            w[1] = at  # in text order
    # A surname counts where one of its runs is, even if no given name of it is compared.
    raw: dict[str, dict[str, Seen]] = {}
    for sur, by_given in local.raw.items():
        here = False
        entry: dict[str, Seen] = {}
        for giv, spans in by_given.items():
            own = _own_spans(spans, lo, hi)
            if own:
                here = True
                if not (giv.isupper() and len(giv) > 1):
                    found = _seen(text, own, off, whole)
                    assert found is not None
                    entry[giv] = found
        if here:
            raw[sur] = entry
    # Mentions that depend on words the rest of the text may hold ("Later Lavrov"): each
    # with what it adds for each answer, settled once those words are known.
    questions = ctx.analysis.shared(open_questions)
    unsettled = {e for e, _words, _outcomes in questions}
    known = seen_tree(_by_person(text, [m for m in ctx.analysis.people if m.end not in unsettled])
                      if unsettled else local.known)
    uncertain = tuple((tuple(word_key(w) for w in words), tuple(_adds(text, m, off) for m in outcomes))
                      for _e, words, outcomes in questions)
    chain = ctx.style.chain or ((ctx.style.name,) if ctx.style.name else ())
    close = {} if whole else {"close": _close_pairs(ctx, local, lo, hi)}
    return {**close,
        "lang": (ctx.language.code, ctx.language.family, ctx.language.capitalises_nouns, tuple(chain)),
        "cap": {low: Seen(c, s, e, w, tuple((k, a, b) for k, (a, b) in windows.items()))
                for low, (c, s, e, w, windows) in cap.items()},
        "single": seen_tree({key: by_low for key, by_low in local.single.items() if len(by_low) > 1}
                            if whole else local.single),
        "runs": raw,
        "known": known,
        "uncertain": uncertain,
    }


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = {"lang": a["lang"]}
    if "close" in a:
        out["close"] = a["close"] | b["close"]
    for part in ("cap", "single", "runs", "known"):
        out[part] = _merge_tree(a[part], b[part])
    out["uncertain"] = a["uncertain"] + b["uncertain"]
    return out


class _Report(NamedTuple):
    """One spelling the whole text reports: which (``ident``, see :meth:`NameInconsistent.check`),
    its first place in the whole text, the message, the spelling to use and the data."""

    ident: tuple
    start: int
    end: int
    message: str
    base: str
    data: dict[str, Any]


class _Share(NamedTuple):
    """What a piece reads: the reports of unknown names (runs, standalone words), made once
    for the whole text, and the known people's spellings with the mentions still to settle."""

    lang: tuple
    unknown: tuple[_Report, ...]
    single: tuple[_Report, ...]
    known: dict
    uncertain: tuple


#: The reports last made and the facts they were made of (a text's total facts are
#: handed out once per piece).
_LAST: list[Any] = [None, ((), ())]


def _for_piece(before: dict[str, Any] | None, total: dict[str, Any], own: dict[str, Any]) -> _Share:
    if _LAST[0] is not total:
        _LAST[:] = [total, (tuple(_unknown(total)), tuple(_single(total)))]
    unknown, single = _LAST[1]
    return _Share(total["lang"], unknown, single, total["known"], total["uncertain"])


SPELLINGS = fact_kind(FactKind("normalize.rules.name.inconsistent:spellings", _collect, _merge, _for_piece))


def _table(facts: dict[str, Any]) -> dict[str, dict[str, Seen]]:
    """surname (lower) -> given name (lower, or "" for a title or none) -> its places."""
    code, family = facts["lang"][:2]
    fw = language_function_words(code)
    titles = titles_for(family)
    table: dict[str, dict[str, Seen]] = {}
    for sur, by_given in facts["runs"].items():
        target = table.setdefault(sur.lower(), {})
        for giv, seen in by_given.items():
            g = "" if (giv in titles or giv.lower() in fw or not giv.isalpha()) else giv.lower()
            target[g] = _union(target[g], seen) if g in target else seen
    return table


def _plan(share: _Share, held: frozenset[int]) -> tuple[_Report, ...]:
    """Every report of the text, in the order the rule gives them; ``held``: the words
    the unsettled mentions ask about that the text holds in lower case."""
    known = share.known
    if share.uncertain:
        known = _settle(known, share.uncertain, held)
    # The standalone-word pass counts every occurrence; the run pass only those in
    # runs, so where both see one name the first one's majority decides.
    covered = {s for r in share.single for s in r.data["spellings"]}
    runs = [r for r in [*_known(share.lang, known), *share.unknown] if not covered & set(r.data["spellings"])]
    seen: set[tuple[int, int]] = set()
    out = []
    for rep in [*runs, *share.single]:
        if (rep.start, rep.end) in seen:
            continue
        seen.add((rep.start, rep.end))
        out.append(rep)
    return tuple(out)


def _settle(known: dict, uncertain: tuple, held: frozenset[int]) -> dict:
    """The known people's spellings with the unsettled mentions added as the text answers."""
    added: dict = {}
    for words, outcomes in uncertain:
        adds = outcomes[sum(1 << i for i, w in enumerate(words) if w in held)]
        if adds is None:
            continue
        pid, parts = adds
        for part, tokens, start, end, written in parts:
            one = Seen(1, start, end, written, ((start // WINDOW, start, start),))
            added = _merge_tree(added, {pid: {part: {tokens: one}}})
    merged = _merge_tree(known, added)
    # In order of first occurrence, as the text gives them.
    return {pid: {part: dict(sorted(by_tokens.items(), key=lambda kv: kv[1].start))
                  for part, by_tokens in parts.items()}
            for pid, parts in merged.items()}


def _known(language: tuple, known: dict) -> list[_Report]:
    """People in corpora/names/people.yaml."""
    _code, lang, _nouns, chain = language
    people = {p.id: p for p in registry().people}
    out = []
    for pid, parts in known.items():
        person = people[pid]
        (given, surname), _ = person.target(lang, chain)
        for part in ("given", "surname"):
            spellings = parts.get(part, {})
            if len(spellings) < 2:
                continue
            wanted = name_tokens(given if part == "given" else surname)
            base = wanted if wanted in spellings else \
                min(spellings, key=lambda k: (-spellings[k].times, spellings[k].start))
            out.extend(_report(("known", pid, part), spellings, base, f"{given} {surname}".strip()))
    return out


def _unknown(facts: dict[str, Any]) -> list[_Report]:
    """Everybody else: similar tokens of capitalised name runs."""
    code, family = facts["lang"][:2]
    endings = registry().endings.get(family, frozenset())
    table = _table(facts)
    candidates: list[tuple[str, dict[tuple[str, ...], Seen], str]] = []
    # Surnames spelled two ways, for one person: the same given name with both, or
    # one spelling with a given name and the other with a title or alone.
    pairs: set[tuple[str, str]] = set()
    buckets: dict[str, list[str]] = {}
    for sur in table:
        if len(sur) >= MIN_SURNAME:
            buckets.setdefault(sur[:2] + sur[-1], []).append(sur)
    for names in buckets.values():
        if len(names) < 2:
            continue
        for i, a in enumerate(names):
            ga = table[a].keys()
            for b in names[i + 1:]:
                if abs(len(a) - len(b)) > 3:
                    continue
                gb = table[b].keys()
                if not ((ga & gb) - {""} or ("" in ga and len(gb) > ("" in gb))
                        or ("" in gb and len(ga) > ("" in ga))):
                    continue
                if not _alike(a, b, 0.8, endings):
                    continue
                pairs.add((a, b) if a < b else (b, a))
    # Transliterations of one surname (Zelenskyy / Zelenskyi), same corroboration.
    by_key: dict[str, list[str]] = {}
    for sur in table:
        if len(sur) >= MIN_SURNAME:
            by_key.setdefault(equivalence_key(sur, family), []).append(sur)
    for names in by_key.values():
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                ga, gb = table[a].keys(), table[b].keys()
                if (ga & gb) - {""} or "" in ga or "" in gb:
                    if not _morphology(a, b, endings):
                        pairs.add((a, b) if a < b else (b, a))
    # One letter changed, after the same given name ("Germany" / "Germans" after
    # function words or titles are two words, not one name).
    for a, b in _one_letter_pairs([sur for sur in table if len(sur) >= MIN_EDIT]):
        ga, gb = table[a].keys(), table[b].keys()
        if (ga & gb) - {""} and not _morphology(a, b, endings):
            pairs.add((a, b) if a < b else (b, a))
    # Every capitalised occurrence of the surnames counts, not only those in runs
    # ("Christine Lambrecht ... Lambrecht said"): the majority spelling decides.
    cap = facts["cap"]
    for a, b in sorted(pairs):
        candidates.append(("surname", {(a,): cap[a], (b,): cap[b]}, ""))
    # Given names spelled two ways before one surname (Arayik / Arayek Harutyunyan).
    for sur, by_given in table.items():
        if len(by_given) < 2:
            continue
        names = [g for g in by_given if len(g) >= MIN_GIVEN]
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                if _alike(a, b, 0.75, endings):
                    candidates.append(("given", {(a,): by_given[a], (b,): by_given[b]}, sur))
    out = []
    for part, spellings, sur in candidates:
        first = [v.start for v in spellings.values()]
        if max(first) - min(first) > WINDOW and not _close(facts, part, sur, spellings):
            continue
        if _place(code, part, spellings, sur):
            continue
        base = min(spellings, key=lambda k: (-spellings[k].times, spellings[k].start))
        base_text = spellings[base].written
        label = f"{base_text} {sur[:1].upper()}{sur[1:]}" if part == "given" else base_text
        out.extend(_report(("given", sur) if part == "given" else ("cap",), spellings, base, label))
    return out


def _single(facts: dict[str, Any]) -> list[_Report]:
    """Capitalised words that are not a given name before a surname, grouped by
    transliteration key ("the Elysée" / "the Élysée", "Zelensky" / "Zelenskyy")."""
    code, family, capitalises_nouns, _chain = facts["lang"]
    endings = registry().endings.get(family, frozenset())
    out: list[_Report] = []
    lex = None
    if capitalises_nouns:  # German "Foto"/"Photo" are nouns, not names
        from ...lexicon import get as lexicon

        lex = lexicon(code)
    for key, by_spelling in facts["single"].items():
        if len(by_spelling) < 2:
            continue
        names = list(by_spelling)
        if capitalises_nouns and (lex is None or any(lex.zipf(w) >= 2.0 for w in names)):
            continue
        if any(_morphology(a, b, endings) for i, a in enumerate(names) for b in names[i + 1:]):
            continue
        spellings: dict[tuple[str, ...], Seen] = {(w,): v for w, v in by_spelling.items()}
        first = [v.start for v in spellings.values()]
        if max(first) - min(first) > WINDOW and not _close(facts, "single", key, spellings):
            continue
        if _place(code, "surname", spellings, ""):
            continue  # toponym.consistency judges places
        base = min(spellings, key=lambda k: (-spellings[k].times, spellings[k].start))
        out.extend(_report(("single", key), spellings, base, spellings[base].written))
    return out


def _close(facts: dict[str, Any], part: str, group: str,
           spellings: dict[tuple[str, ...], Seen]) -> bool:
    """True if some occurrences of the first two spellings lie within WINDOW of each other.

    A text in pieces says which pairs do (``close``, see :func:`_close_pairs`); a whole
    one has each spelling's stretches of WINDOW characters: two spellings in one stretch,
    or the nearest ones of neighbouring stretches."""
    (a, xs), (b, ys) = list(spellings.items())[:2]
    close = facts.get("close")
    if close is not None:
        x, y = (a[0], b[0]) if a[0] < b[0] else (b[0], a[0])
        return (part, group, x, y) in close
    near = {k: (lo, hi) for k, lo, hi in ys.windows}
    for k, lo, hi in xs.windows:
        if k in near:
            return True
        if k + 1 in near and near[k + 1][0] - hi <= WINDOW:
            return True
        if k - 1 in near and lo - near[k - 1][1] <= WINDOW:
            return True
    return False


def _place(code: str, part: str, spellings: dict, sur: str) -> bool:
    """True if the spellings are place names ("Nagorno Karabakh" / "Nagorny Karabakh")."""
    try:
        from ...gazetteer import get_gazetteer
        from ...gazetteer.store import name_key

        index = get_gazetteer().index(code)
    except Exception:
        return False
    words = [" ".join(k) for k in spellings]
    if part == "given":
        return any(index.has_key(name_key(f"{w} {sur}")) for w in words)
    return all(index.has_key(name_key(w)) for w in words)


def _two_spellings_possible(ctx: Context) -> bool:
    """Whether a whole document holds what any report needs: two spellings of one name.
    A known person needs two mentions; a standalone word, another word under its
    transliteration key; a name run, a second surname or a second given name before its
    surname (:func:`_known`, :func:`_single`, :func:`_unknown`). False settles that the
    document has nothing to report, at a fraction of the cost of its facts."""
    local = ctx.analysis.shared(_local)
    return (len(ctx.analysis.people) >= 2 or len(local.raw) >= 2
            or any(len(by_given) >= 2 for by_given in local.raw.values())
            or any(len(by_low) >= 2 for by_low in local.single.values()))


def _report(ident: tuple, spellings: dict[tuple[str, ...], Seen], base: tuple[str, ...],
            label: str) -> list[_Report]:
    """A report for each spelling but ``base``: the message names every spelling with its
    count; ``ident`` + the spelling's key names its places (:func:`_local_spans`)."""
    base_text = spellings[base].written
    out = []
    for key, seen in spellings.items():
        if key == base:
            continue
        others = ", ".join(f"'{v.written}' ({v.times}x)" for k, v in spellings.items() if k != key)
        out.append(_Report(
            (*ident, key if ident[0] == "known" else key[0]), seen.start, seen.end,
            f"'{seen.written}' ({seen.times}x) and {others} spell one name ({label}) in this "
            f"text; use '{base_text}' throughout",
            base_text, {"name": label, "spellings": sorted(" ".join(k) for k in spellings), "base": base_text}))
    return out


@register
class NameInconsistent(Rule):
    id = "name.inconsistent"
    category = Category.CONSISTENCY
    severity = Severity.WARNING
    fix = FixSafety.UNSAFE
    mqm = "Terminology/Inconsistent"
    scope = "document"
    languages = frozenset({"en", "fr", "de", "es", "it"})
    facts = (SPELLINGS.name, LOWER_WORDS.name)
    description = ("One name spelled two ways in one text (Beglaryan/Beglarian, Zelensky/Zelenskyy, "
                   "Lambrecht/Lambecht after one given name): the minority spelling at each of its "
                   "places, with an unsafe fix to the majority one.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.document.piece is None and not _two_spellings_possible(ctx):
            return  # (most short texts: their facts would be gathered only to say nothing)
        share: _Share = document_facts(ctx, SPELLINGS)
        # (On a whole document nothing is unsettled: it answers for itself.)
        plan = _plan(share, document_facts(ctx, LOWER_WORDS) if share.uncertain else frozenset())
        if not plan:
            return
        text = ctx.text
        local = ctx.analysis.shared(_local)
        wanted = {rep.ident[1] for rep in plan if rep.ident[0] == "cap"}
        everywhere: dict[str, list[tuple[int, int]]] = {}
        if wanted:
            for s, e in ctx.analysis.words.capitalised():
                low = text[s:e].lower()
                if low in wanted:
                    everywhere.setdefault(low, []).append((s, e))
        given: dict[tuple[str, str], list[tuple[int, int]]] = {}
        if any(rep.ident[0] == "given" for rep in plan):
            fw = language_function_words(ctx.language.code)
            titles = titles_for(ctx.language.family)
            for sur, by_given in local.raw.items():
                for giv, spans in by_given.items():
                    if giv.isupper() and len(giv) > 1:
                        continue
                    g = "" if (giv in titles or giv.lower() in fw or not giv.isalpha()) else giv.lower()
                    given.setdefault((sur.lower(), g), []).extend(spans)
        for rep in plan:
            kind = rep.ident[0]
            if kind == "cap":
                spans = everywhere.get(rep.ident[1], [])
            elif kind == "given":
                spans = sorted(given.get((rep.ident[1], rep.ident[2]), []))
            elif kind == "single":
                spans = local.single.get(rep.ident[1], {}).get(rep.ident[2], [])
            else:
                spans = local.known.get(rep.ident[1], {}).get(rep.ident[2], {}).get(rep.ident[3], [])
            if not spans:
                continue  # the spelling is in another piece of the text
            # Its first place here (in the whole text, the place the message names).
            start, end = spans[0]
            also = tuple(Edit(a, b, transfer_case(text[a:b], rep.base), self.id) for a, b in spans[1:])
            yield self.finding(
                ctx, start, end, rep.message, replacement=transfer_case(text[start:end], rep.base),
                fix=FixSafety.UNSAFE, also=also, data=rep.data)
