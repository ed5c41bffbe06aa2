"""Known people (``corpora/names/people.yaml``) and their mentions in a document.

A mention is a surname form of a known person, with the given name in front
of it when the text has one ("Arayek Harutyunyan", "Harutyunyan",
"President Aliyev"). Each part is judged against the document's language
and house style: the canonical form, an accepted variant, a listed variant
of some kind (translit, anglicised...), or the canonical form of another
language ("Selenskyj" in English copy). Mentions preceded by an unknown
given name ("Heydar Aliyev") are left alone: another person may share the
surname.
"""
from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import DataError
from ..pieces import FactKind, document_facts, fact_kind, own_range
from ..resources import corpus, load_yaml
from .lookup import word_indices
from .words import _BMP, _code_points, unicode_tables
from .words import function_words as language_function_words

if TYPE_CHECKING:
    from ..registry import Context

KINDS = ("accepted", "translit", "russian", "anglicised", "localised", "misspelling", "historic")
#: Kinds that name.variant reports (an accepted spelling only where the style chooses another).
REPORTED = frozenset({"translit", "russian", "anglicised", "localised", "misspelling", "historic", "foreign"})
_WORD = re.compile(r"\w+")
_GAP = re.compile(r"[ \u00a0\u202f]|[ \u00a0]?[-\u2010\u2011][ \u00a0]?")


def _parts(full: str) -> tuple[str, str]:
    """(given, surname) of a full name: the surname starts at the first lower-case
    particle ("Ursula von der Leyen"), else it is the last word."""
    words = full.split()
    for i, w in enumerate(words[1:], 1):
        if w[:1].islower():
            return " ".join(words[:i]), " ".join(words[i:])
    return " ".join(words[:-1]), words[-1]


def name_tokens(form: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(form))


def _latin(form: str) -> bool:
    return all(ord(c) < 0x250 or not c.isalpha() for c in form)


@dataclass
class Person:
    id: str
    role: str
    basis: str
    names: dict[str, tuple[str, str]]
    styles: dict[str, tuple[str, str]]
    #: part -> tokens -> language ("*": any other) -> kind
    kinds: dict[str, dict[tuple[str, ...], dict[str, str]]]
    forms: dict[str, dict[tuple[str, ...], str]]     # part -> tokens -> a surface form
    context: tuple[str, ...]
    #: part -> tokens -> languages whose canonical form it is
    canonical_in: dict[str, dict[tuple[str, ...], set[str]]] = field(default_factory=dict)

    def target(self, lang: str, style_chain: tuple[str, ...]) -> tuple[tuple[str, str], bool]:
        """The full name the document should use, and whether a house style chose it."""
        for style in style_chain:
            if style in self.styles:
                return self.styles[style], True
        return self.names.get(lang) or self.names["en"], False

    def status(self, part: str, tokens: tuple[str, ...], lang: str,
               style_chain: tuple[str, ...]) -> tuple[str, str | None]:
        """(status, detail) of one part as written: "target", "accepted", "style" (an accepted
        spelling the house style replaces), a variant kind, "foreign" (detail: the language
        whose form it is) or "unknown"."""
        (given, surname), by_style = self.target(lang, style_chain)
        wanted = name_tokens(given if part == "given" else surname)
        if tokens == wanted:
            return "target", None
        own = self.names.get(lang) or self.names["en"]
        own_tokens = name_tokens(own[0] if part == "given" else own[1])
        kind = kind_in(self.kinds[part].get(tokens), lang)
        if tokens == own_tokens or kind == "accepted":
            return ("style", None) if by_style else ("accepted", None)
        if kind:
            return kind, None
        langs = self.canonical_in[part].get(tokens)
        if langs:
            return "foreign", min(langs)
        return "unknown", None


def kind_in(by_lang: dict[str, str] | None, lang: str) -> str | None:
    """The kind of a variant in documents of ``lang`` (its own entry, else the default)."""
    if not by_lang:
        return None
    return by_lang.get(lang) or by_lang.get("*")


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    person: Person
    given: tuple[int, int] | None      # span of the given name, if written
    surname: tuple[int, int]


@dataclass
class Registry:
    people: list[Person]
    #: last token of a surname form (lower case) -> [(person, surname tokens)]
    by_last: dict[str, list[tuple[Person, tuple[str, ...]]]]
    titles: dict[str, frozenset[str]]
    #: surfaces of those last tokens as they may be written (Capitalised, UPPER)
    surfaces: frozenset[str]
    #: inflectional endings per language (see people.yaml)
    endings: dict[str, frozenset[str]]


#: Bump when what :func:`_build_registry` makes of ``people.yaml`` changes shape.
_REGISTRY_CACHE_VERSION = 1


@functools.lru_cache(maxsize=1)
def registry() -> Registry:
    """The people of ``corpora/names/people.yaml``, with the forms of their names.

    Working out the forms (Russian transliterations of Ukrainian names among them)
    took ~6 ms of every run, so the result is kept in the cache directory as marshal
    data, keyed by the file's and this code's sizes and times (people.py, translit.py):
    an edit of either builds it again."""
    from ..cache import cache_dir, load_marshal, store_marshal

    node = corpus("names", "people.yaml")
    code = (__file__, os.path.join(os.path.dirname(os.path.dirname(__file__)), "translit.py"))
    try:
        stamps = tuple((st.st_size, st.st_mtime_ns)
                       for st in map(os.stat, (os.fspath(node), *code)))  # type: ignore[call-overload]
    except (OSError, TypeError):  # inside a zip, or no source files: built every time
        return _build_registry()
    key = (str(node), stamps, _REGISTRY_CACHE_VERSION)
    path = cache_dir() / "people" / "registry.marshal"
    cached = load_marshal(path)
    if type(cached) is tuple and len(cached) == 2 and cached[0] == key:
        return _registry_from(cached[1])
    built = _build_registry()
    try:
        store_marshal(path, (key, _registry_data(built)))
    except ValueError:  # something marshal cannot hold: built every time
        pass
    return built


def _registry_data(reg: Registry) -> tuple[Any, ...]:
    """``reg`` as plain data marshal can hold (people by index)."""
    index = {id(p): i for i, p in enumerate(reg.people)}
    people = [(p.id, p.role, p.basis, p.names, p.styles, p.kinds, p.forms, p.context, p.canonical_in)
              for p in reg.people]
    by_last = {k: [(index[id(p)], tokens) for p, tokens in v] for k, v in reg.by_last.items()}
    return people, by_last, reg.titles, reg.surfaces, reg.endings


def _registry_from(data: tuple[Any, ...]) -> Registry:
    people_data, by_last, titles, surfaces, endings = data
    people = [Person(*fields) for fields in people_data]
    return Registry(people, {k: [(people[i], tokens) for i, tokens in v] for k, v in by_last.items()},
                    titles, surfaces, endings)


def _build_registry() -> Registry:
    raw = load_yaml("names", "people.yaml") or {}
    people: list[Person] = []
    by_last: dict[str, list[tuple[Person, tuple[str, ...]]]] = {}
    extra = {str(k): tuple(str(v) for v in vs or ()) for k, vs in (raw.get("russian_given_forms") or {}).items()}
    for entry in raw.get("people") or []:
        try:
            person = _person(entry, extra)
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"corpora/names/people.yaml: bad entry {entry.get('id')!r}: {exc}") from None
        people.append(person)
        for tokens, form in person.forms["surname"].items():
            by_last.setdefault(tokens[-1], []).append((person, tokens))
    for entries in by_last.values():
        entries.sort(key=lambda item: -len(item[1]))  # longest surname first
    titles = {str(k): frozenset(str(t) for t in v or []) for k, v in (raw.get("titles") or {}).items()}
    surfaces: set[str] = set()
    for person in people:
        for tokens, form in person.forms["surname"].items():
            last = _WORD.findall(form)[-1]
            surfaces.update({last, last[:1].upper() + last[1:], last.upper()})
    endings = {str(k): frozenset(str(e) for e in v or []) for k, v in (raw.get("endings") or {}).items()}
    return Registry(people, by_last, titles, frozenset(surfaces), endings)


def _russian_variants(entry: dict[str, Any], names: dict[str, tuple[str, str]],
                      extra: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    """Russian-based spellings of a Ukrainian (``from: uk``) person's name, computed from the
    Russian form under ``names`` (Олег Синегубов -> Oleg, Sinegubov): another
    transliteration in copy of any language. Nothing for people not marked Ukrainian:
    a Russian given name alone says nothing of nationality."""
    if entry.get("from") != "uk" or "ru" not in names:
        return {}
    from ..translit import russian_forms

    out: dict[str, list[str]] = {}
    for index, part in ((0, "given"), (1, "surname")):
        cyrillic = names["ru"][index]
        if not cyrillic:
            continue
        forms = set(russian_forms(cyrillic)) | set(extra.get(cyrillic, ()))
        forms |= {f.replace("ks", "x") for f in forms}  # Aleksei -> Alexei
        out[part] = sorted(forms)
    return out


def _person(entry: dict[str, Any], extra: dict[str, tuple[str, ...]] | None = None) -> Person:
    names = {str(k): _parts(str(v)) for k, v in entry["names"].items()}
    if "en" not in names:
        raise ValueError("names needs an 'en' form")
    styles = {str(k): _parts(str(v)) for k, v in (entry.get("styles") or {}).items()}
    kinds: dict[str, dict[tuple[str, ...], dict[str, str]]] = {"given": {}, "surname": {}}
    forms: dict[str, dict[tuple[str, ...], str]] = {"given": {}, "surname": {}}
    canonical_in: dict[str, dict[tuple[str, ...], set[str]]] = {"given": {}, "surname": {}}
    for part in ("given", "surname"):
        for form, kind in (entry.get(part) or {}).items():
            # A kind, or per language {fr: accepted, default: translit}: a spelling the
            # French press uses may be a mere transliteration in English copy.
            by_lang = {("*" if k == "default" else str(k)): str(v) for k, v in kind.items()} \
                if isinstance(kind, dict) else {"*": str(kind)}
            bad = [k for k in by_lang.values() if k not in KINDS]
            if bad:
                raise ValueError(f"unknown kind {bad[0]!r} for {form!r}")
            kinds[part][name_tokens(str(form))] = by_lang
            forms[part][name_tokens(str(form))] = str(form)
        index = 0 if part == "given" else 1
        canonical = {name_tokens(parts[index]) for parts in [*names.values(), *styles.values()]}
        for form in _russian_variants(entry, names, extra or {}).get(part, ()):
            tokens = name_tokens(form)
            if tokens and tokens not in kinds[part] and tokens not in canonical:
                kinds[part][tokens] = {"*": "russian"}
                forms[part][tokens] = form
        for lang, parts in names.items():
            canonical_in[part].setdefault(name_tokens(parts[index]), set()).add(lang)
        for source in [*names.values(), *styles.values()]:
            if source[index]:
                forms[part].setdefault(name_tokens(source[index]), source[index])
    for part in ("given", "surname"):  # only Latin-script forms are looked for
        forms[part] = {k: v for k, v in forms[part].items() if k and _latin(v)}
    return Person(id=str(entry["id"]), role=str(entry.get("role", "")), basis=str(entry.get("basis", "")),
                  names=names, styles=styles, kinds=kinds, forms=forms,
                  context=tuple(str(c) for c in entry.get("context") or ()), canonical_in=canonical_in)


# -- finding mentions ------------------------------------------------------------------
def _tokens_before(text: str, pos: int, count: int) -> list[tuple[int, int]] | None:
    """The ``count`` words ending right before ``pos``, joined by spaces or hyphens only."""
    out: list[tuple[int, int]] = []
    end = pos
    for _ in range(count):
        lo = max(0, end - 3)
        gap_m = None
        for start in range(end - 1, lo - 1, -1):
            gap = text[start:end]
            if _GAP.fullmatch(gap):
                gap_m = start
                break
        if gap_m is None:
            return None
        w_end = gap_m
        w_start = w_end
        while w_start > 0 and (text[w_start - 1].isalnum() or text[w_start - 1] == "_"):
            w_start -= 1
        if w_start == w_end:
            return None
        out.append((w_start, w_end))
        end = w_start
    out.reverse()
    return out


def _match_back(text: str, s: int, e: int, tokens: tuple[str, ...]) -> int | None:
    """Start of ``tokens`` written so that they end with the word ``text[s:e]``, or None."""
    if len(tokens) == 1:
        return s
    before = _tokens_before(text, s, len(tokens) - 1)
    if before is None:
        return None
    if tuple(text[a:b].lower() for a, b in before) != tokens[:-1]:
        return None
    return before[0][0]


def _surname_words(ctx: Context) -> list[tuple[int, int]]:
    """Places of words that end a known person's surname form, in text order."""
    starts, ends = ctx.analysis.words.starts, ctx.analysis.words.ends
    return [(int(starts[i]), int(ends[i])) for i in word_indices(ctx, registry().surfaces)]


def mention_at(ctx: Context, s: int, e: int, lower_in: Callable[[str], bool]) -> Mention | None:
    """The mention of a known person whose surname ends with the word ``ctx.text[s:e]``, or
    None; ``lower_in(word)`` says whether the whole text holds ``word`` (lower case) as a word."""
    text = ctx.text
    titles = titles_for(ctx.language.family)
    function_words = language_function_words(ctx.language.code)
    chosen = None
    for person, tokens in registry().by_last.get(text[s:e].lower(), ()):
        m_start = _match_back(text, s, e, tokens)
        if m_start is None:
            continue
        given = _given(text, m_start, person, titles, function_words, lower_in)
        if given is False:
            continue  # another first name: another person with this surname, or nobody known
        if given:
            chosen = (person, m_start, given)
            break  # this person's own given name (Dmytro / Oleksiy Kuleba)
        if chosen is None:
            chosen = (person, m_start, None)
    if chosen is None:
        return None
    person, m_start, found = chosen
    return Mention(found[0] if found else m_start, e, person, found, (m_start, e))


def find_people(ctx: Context) -> list[Mention]:
    """Mentions of known people in the document, in text order."""
    text = ctx.text
    piece = ctx.document.piece
    if piece is None or piece.facts is None:
        # A whole document answers for itself. (The first pass over a piece answers from
        # the piece; open_questions says which of its mentions that may change.)
        def lower_in(word: str) -> bool:
            return _lower_word_in(text, word)
    else:
        held = document_facts(ctx, LOWER_WORDS)

        def lower_in(word: str) -> bool:
            return _lower_word_in(text, word) or word_key(word) in held
    out = []
    for s, e in _surname_words(ctx):
        m = mention_at(ctx, s, e, lower_in)
        if m is not None:
            out.append(m)
    return out


def open_questions(ctx: Context) -> list[tuple[int, tuple[str, ...], tuple[Mention | None, ...]]]:
    """The surname words of a piece's own text whose mention depends on words the piece
    does not hold in lower case but the rest of the text may: for each, its end, those
    words, and the mention for each answer (index: bit ``i`` set if the text holds
    word ``i``). Nothing for a whole document: it holds all there is."""
    piece = ctx.document.piece
    if piece is None:
        return []
    text = ctx.text
    lo, hi = own_range(ctx.document)
    out: list[tuple[int, tuple[str, ...], tuple[Mention | None, ...]]] = []
    for s, e in _surname_words(ctx):
        if not lo <= s < hi:
            continue
        asked: list[str] = []
        # Which words are asked does not depend on the answers (each candidate person is
        # judged on its own), so one pass finds them all.
        mention_at(ctx, s, e, _asking(text, asked))
        if not asked:
            continue
        outcomes = tuple(mention_at(ctx, s, e, _answering(text, tuple(asked), bits))
                         for bits in range(1 << len(asked)))
        out.append((e, tuple(asked), outcomes))
    return out


def _asking(text: str, asked: list[str]) -> Callable[[str], bool]:
    """An answer from ``text`` alone, noting in ``asked`` each word it does not hold."""
    def answer(word: str) -> bool:
        if _lower_word_in(text, word):
            return True
        if word not in asked:
            asked.append(word)
        return False
    return answer


def _answering(text: str, asked: tuple[str, ...], bits: int) -> Callable[[str], bool]:
    """An answer from ``text``, else word ``i`` of ``asked`` held if bit ``i`` of ``bits`` is set."""
    def answer(word: str) -> bool:
        return _lower_word_in(text, word) or (word in asked and bool(bits >> asked.index(word) & 1))
    return answer


# -- which words the whole text holds in lower case ---------------------------------------
# "Later Lavrov said": a capitalised word at a sentence start before a surname is no given
# name when the text also writes it in lower case, anywhere. A piece asks the rest of the
# text through the fact kind ``lower_words``: the words its own mentions ask about, and
# (as hashes) the words its own text holds that could be asked; each piece gets the asked
# words the whole text holds.
_M64 = (1 << 64) - 1
#: Base of the polynomial word hash (odd: it has an inverse modulo 2**64).
_BASE = 0x9E3779B97F4A7C15
_BASE_INV = pow(_BASE, -1, 1 << 64)


def _mix(x: int) -> int:
    """splitmix64's finaliser: every bit of the polynomial sum reaches every bit."""
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def word_key(word: str) -> int:
    """A stable 64-bit hash of ``word`` (the same in every process): its code points as a
    polynomial in :data:`_BASE` modulo 2**64, with its length, mixed. ``_held_keys``
    computes the same for every word of a text at once (numpy)."""
    h = 0
    p = 1
    for ch in word:
        h = (h + ord(ch) * p) & _M64
        p = (p * _BASE) & _M64
    return _mix((h + len(word) * _BASE) & _M64)


def _mix_array(x):
    """:func:`_mix` of a numpy uint64 array (numpy wraps modulo 2**64)."""
    import numpy as np

    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@functools.lru_cache(maxsize=1)
def _lower_tables():
    """Per BMP code point: whether it is a letter or digit (a character of a run), and
    whether lower-casing changes it (the lower-case table of ``unicode_tables``)."""
    import numpy as np

    word, _, lower = unicode_tables()
    alnum = word.copy()
    alnum[ord("_")] = False
    changed = lower != np.arange(len(lower), dtype=lower.dtype)
    return alnum, changed


def _held_keys(text: str, lo: int, hi: int):
    """:func:`word_key` of each distinct run of letters and digits of ``text[lo:hi]`` that
    some question may ask about, as a sorted numpy uint64 array.

    A question asks about ``word.lower()`` for a word that starts with a capital: lower-
    casing a character again leaves it as it is (checked over every code point in the
    tests), and no capital's lower case starts with a digit 0-9, so a run holding a
    character that lower-casing changes, or starting with a digit, is never asked about.
    Left out, that is a third of a news text's distinct words (names, numbers)."""
    import numpy as np

    if hi <= lo:
        return np.zeros(0, dtype=np.uint64)
    cps = _code_points(text[lo:hi])
    alnum_table, changed_table = _lower_tables()
    bmp = np.minimum(cps, _BMP - 1)
    alnum = alnum_table[bmp]
    changed = changed_table[bmp]
    # Astral characters have no entry: asked one by one (a superset is kept: not "changed").
    for i in np.flatnonzero(cps >= _BMP).tolist():
        alnum[i] = text[lo + i].isalnum()
        changed[i] = False
    padded = np.concatenate(([False], alnum, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    starts, ends = edges[0::2], edges[1::2]
    if not len(starts):
        return np.zeros(0, dtype=np.uint64)
    # A run goes if a character of it is one lower-casing changes (capitals: a few in a
    # hundred characters) or it starts with a digit.
    first = cps[starts]
    keep = (first < 48) | (first > 57)
    # (Some characters lower-casing changes are no letters: "Ⓐ", between runs.)
    at = np.flatnonzero(changed)
    run = np.searchsorted(ends, at, side="right")
    inside = run < len(starts)
    run, at = run[inside], at[inside]
    keep[run[starts[run] <= at]] = False
    starts, ends = starts[keep], ends[keep]
    # The polynomial of word_key for every run at once: prefix sums of c_j * B**j, a run's
    # difference brought back to its start by B**-s.
    u64 = np.uint64
    powers, inverse = _powers(len(cps))
    sums = np.zeros(len(cps) + 1, dtype=u64)
    np.cumsum(cps * powers[:len(cps)], dtype=u64, out=sums[1:])
    h = (sums[ends] - sums[starts]) * inverse[starts]
    h += (ends - starts).astype(u64) * u64(_BASE)
    return _distinct(_mix_array(h))


def _distinct(values):
    """The distinct values of a numpy uint64 array, sorted: rounds of an open table (each
    value written to the slot some of its bits name; those that find another value there
    go on to the next round, which takes other bits), then a sort of the distinct ones
    only. A text's runs repeat (~15 per distinct word per MB): np.unique sorts them all,
    ~3x slower."""
    import numpy as np

    out = []
    bits = max(10, min(20, (2 * len(values)).bit_length()))
    shift = np.uint64(64 - bits)
    factor = 1
    while len(values):
        # Odd multipliers (each round its own) spread any bits of the value over the top.
        factor = (factor * 0x9E3779B97F4A7C15) & _M64
        slot = ((values * np.uint64(factor)) >> shift).astype(np.intp)
        table = np.zeros(1 << bits, dtype=np.uint64)
        used = np.zeros(1 << bits, dtype=bool)
        table[slot] = values
        used[slot] = True
        out.append(table[used])
        values = values[table[slot] != values]
    return np.sort(np.concatenate(out)) if out else values


_POWERS: list[Any] = []


def _powers(n: int) -> tuple[Any, Any]:
    """``B**j`` and ``B**-j`` modulo 2**64 for j < n (numpy uint64 arrays), the last ones
    kept for the next piece while they are no longer than 2**20."""
    import numpy as np

    if _POWERS and len(_POWERS[0]) >= n:
        return _POWERS[0], _POWERS[1]
    out = []
    for base in (_BASE, _BASE_INV):
        a = np.full(max(n, 1), base, dtype=np.uint64)
        a[0] = 1
        out.append(np.cumprod(a, dtype=np.uint64))
    if n <= 1 << 20:
        _POWERS[:] = out
    return out[0], out[1]


class LowerWords(NamedTuple):
    #: Hashes (:func:`word_key`) of the words the own text's mentions ask about and the
    #: own text does not hold.
    asked: frozenset[int]
    #: Hashes of the words (runs of letters and digits) the own text holds that may be
    #: asked about (see :func:`_held_keys`): a sorted numpy uint64 array, 8 bytes a word
    #: (a set of Python ints costs ~70).
    held: Any


def _collect_lower(ctx: Context) -> LowerWords:
    text = ctx.text
    lo, hi = own_range(ctx.document)
    asked = frozenset(word_key(w) for _e, words, _o in open_questions(ctx) for w in words)
    # A word of letters and digits written with no letter or digit on either side is a
    # whole run of them. (A word holding "_" is asked of the piece's own text only.)
    return LowerWords(asked, _held_keys(text, lo, hi))


def _merge_lower(a: LowerWords, b: LowerWords) -> LowerWords:
    import numpy as np

    return LowerWords(a.asked | b.asked, np.union1d(a.held, b.held))


def _answers(before: LowerWords | None, total: LowerWords, own: LowerWords) -> frozenset[int]:
    """The words asked anywhere in the text that the text holds (each piece gets them all:
    name.inconsistent counts the mentions of every piece)."""
    import numpy as np

    if not total.asked or not len(total.held):
        return frozenset()
    asked = np.array(sorted(total.asked), dtype=np.uint64)
    at = np.minimum(np.searchsorted(total.held, asked), len(total.held) - 1)
    return frozenset(asked[total.held[at] == asked].tolist())


LOWER_WORDS = fact_kind(FactKind(
    "normalize.analysis.people:lower_words", _collect_lower, _merge_lower, _answers))


@functools.lru_cache(maxsize=16)
def titles_for(family: str) -> frozenset[str]:
    """Words that may stand before a surname in copy of this language (English ones too)."""
    reg = registry()
    return reg.titles.get(family, frozenset()) | reg.titles.get("en", frozenset())


def _given(text: str, surname_start: int, person: Person, titles: frozenset[str],
           function_words: frozenset[str], lower_in: Callable[[str], bool]):
    """The span of the person's given name right before the surname; None if there is
    none (or a title stands there); False if an unknown capitalised word stands there."""
    best = None
    for tokens in sorted(person.forms["given"], key=len, reverse=True):
        before = _tokens_before(text, surname_start, len(tokens))
        if before is None:
            continue
        if tuple(text[a:b].lower() for a, b in before) == tokens:
            best = (before[0][0], before[-1][1])
            break
    if best is not None:
        return best
    prev = _tokens_before(text, surname_start, 1)
    if prev is None:
        return None
    word = text[prev[0][0]:prev[0][1]]
    if not word[:1].isupper() or word in titles or word.upper() == word and len(word) > 1:
        return None
    if _sentence_start(text, prev[0][0]) and (word.lower() in function_words
                                              or lower_in(word.lower())):
        return None  # "But Lavrov said", "Later Lavrov said": the first word of a sentence
    return False


def _lower_word_in(text: str, word: str) -> bool:
    """True if ``word`` (lower case) occurs in the text as a word of its own."""
    pos = text.find(word)
    while pos != -1:
        end = pos + len(word)
        if (pos == 0 or not text[pos - 1].isalnum()) and (end >= len(text) or not text[end].isalnum()):
            return True
        pos = text.find(word, pos + 1)
    return False


def _sentence_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \u00a0\t\"“«'‘(":
        i -= 1
    return i < 0 or text[i] in ".!?\n:;—–"


def _context_seen(ctx: Context) -> dict[str, bool]:
    """Per document: person id -> whether one of the person's context words occurs."""
    return {}


def context_ok(ctx: Context, person: Person) -> bool:
    """True if the person has no context words or the document has one of them."""
    if not person.context:
        return True
    seen = ctx.analysis.shared(_context_seen)
    if person.id not in seen:
        seen[person.id] = any(word in ctx.text for word in person.context)
    return seen[person.id]
