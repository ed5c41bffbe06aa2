"""name.variant: a known person's name spelled otherwise than its known form.

Some people are reported only in a text that names their context (a country, an
organisation: ``context`` in ``corpora/names/people.yaml``) anywhere in it: the
fact kind ``context`` holds which people's context the whole text names, so a
text checked piece by piece (:mod:`normalize.pieces`) judges each mention as the
whole text would.
"""
from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any, NamedTuple

from ...analysis.people import LOWER_WORDS, REPORTED, Mention, name_tokens, registry
from ...analysis.words import NUMPY_THRESHOLD, _code_points
from ...findings import Category, Finding, FixSafety, Severity
from ...languages import language_name
from ...pieces import FactKind, document_facts, fact_kind, own_range
from ...registry import Context, Rule, register
from .._text import transfer_case

_WHAT = {
    "translit": "another transliteration",
    "russian": "the Russian form of a Ukrainian name",
    "anglicised": "an anglicised form",
    "localised": "another language's form",
    "misspelling": "a misspelling",
    "historic": "a former name",
    "style": "an accepted spelling that the house style does not use",
}


class _TextNames:
    """Whose context words a whole document names, found for each person when asked
    (a scan of the text per context word: most texts mention few of these people)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.memo: dict[str, bool] = {}

    def __contains__(self, pid: object) -> bool:
        if pid not in self.memo:
            person = next(p for p in registry().people if p.id == pid)
            self.memo[str(pid)] = any(word in self.text for word in person.context)
        return self.memo[str(pid)]


def _context_named(ctx: Context) -> frozenset[str] | _TextNames:
    """The ids of the people one of whose context words the document's own text holds
    (a whole document answers person by person, :class:`_TextNames`)."""
    text = ctx.text
    piece = ctx.document.piece
    if piece is None:
        return _TextNames(text)
    lo, hi = own_range(ctx.document)
    # A context word holds no line break, so it never straddles two pieces' own text.
    words = _context_words()
    if hi - lo < NUMPY_THRESHOLD:
        found = {w for w in words.all if text.find(w, lo, hi) != -1}
    else:
        found = _found_words(text, lo, hi, words)
    return frozenset(pid for pid, context in words.people if not found.isdisjoint(context))


class _ContextWords(NamedTuple):
    #: Every context word of the registry, each once.
    all: tuple[str, ...]
    #: (person id, context words) of the people that have some.
    people: tuple[tuple[str, frozenset[str]], ...]
    #: Words of fewer than four characters (looked for with str.find).
    short: tuple[str, ...]
    #: The others by the hash of their first four characters (:func:`_gram_hash`).
    by_gram: dict[int, tuple[str, ...]]
    #: Lookup table of those hashes (numpy bool, 2**_GRAM_BITS entries).
    table: Any


_GRAM_BITS = 20


def _gram_hash(c0, c1, c2, c3):
    """A :data:`_GRAM_BITS`-bit hash of four code points (Python ints or numpy uint32
    arrays: every step is taken modulo 2**32)."""
    m32 = 0xFFFFFFFF
    x = (c0 * 0x9E3779B1 + c1 * 0x85EBCA77 + c2 * 0xC2B2AE3D + c3 * 0x27D4EB2F) & m32
    x = ((x ^ (x >> 15)) * 0x2C1B3C6D) & m32
    return x >> (32 - _GRAM_BITS)


@functools.lru_cache(maxsize=1)
def _context_words() -> _ContextWords:
    import numpy as np

    people = tuple((p.id, frozenset(p.context)) for p in registry().people if p.context)
    words = tuple(sorted({w for _pid, context in people for w in context}))
    by_gram: dict[int, list[str]] = {}
    for w in words:
        if len(w) >= 4:
            by_gram.setdefault(_gram_hash(*(ord(c) for c in w[:4])), []).append(w)
    table = np.zeros(1 << _GRAM_BITS, dtype=bool)
    table[list(by_gram)] = True
    return _ContextWords(words, people, tuple(w for w in words if len(w) < 4),
                         {k: tuple(v) for k, v in by_gram.items()}, table)


def _found_words(text: str, lo: int, hi: int, words: _ContextWords) -> set[str]:
    """The context words ``text[lo:hi]`` holds: one str.find per short word; the others
    tried only where the text's four characters hash as a word's first four (numpy over
    the code points), not with one scan of the text per word (~80 of them)."""
    import numpy as np

    found = {w for w in words.short if text.find(w, lo, hi) != -1}
    cps = _code_points(text[lo:hi])
    n = len(cps) - 3
    if n <= 0:
        return found
    grams = _gram_hash(cps[:n], cps[1:n + 1], cps[2:n + 2], cps[3:n + 3])
    at = np.flatnonzero(words.table[grams])
    by_gram = words.by_gram
    for i, g in zip(at.tolist(), grams[at].tolist()):
        for w in by_gram[g]:
            if w not in found and text.startswith(w, lo + i, hi):
                found.add(w)
    return found


CONTEXT = fact_kind(FactKind("normalize.rules.name.variant:context", _context_named,
                             lambda a, b: a | b))


@register
class NameVariant(Rule):
    id = "name.variant"
    category = Category.NAME
    severity = Severity.WARNING
    fix = FixSafety.UNSAFE
    mqm = "Accuracy/Mistranslation"
    #: A finding depends on the whole text: context words ("Amnesty") and house style.
    scope = "document"
    #: (Finding the mentions reads LOWER_WORDS.)
    facts = (CONTEXT.name, LOWER_WORDS.name)
    languages = frozenset({"en", "fr", "de", "es", "it"})
    description = ("A known person's name in a variant spelling (Arayek for Arayik, Mary for Marie "
                   "Struthers); the known form is offered as an unsafe fix (corpora/names/people.yaml).")

    def check(self, ctx: Context) -> Iterator[Finding]:
        lang = ctx.language.family
        chain = ctx.style.chain or ((ctx.style.name,) if ctx.style.name else ())
        for mention in ctx.analysis.people:
            finding = self._judge(ctx, mention, lang, chain)
            if finding is not None:
                yield finding

    def _judge(self, ctx: Context, mention: Mention, lang: str, chain: tuple[str, ...]) -> Finding | None:
        person = mention.person
        text = ctx.text
        parts = {"surname": mention.surname}
        if mention.given:
            parts["given"] = mention.given
        judged = {}
        for part, (a, b) in parts.items():
            judged[part] = person.status(part, name_tokens(text[a:b]), lang, chain)
        reported = {p: s for p, s in judged.items() if s[0] in REPORTED or s[0] == "style"}
        if not reported or (person.context and person.id not in document_facts(ctx, CONTEXT)):
            return None
        (given, surname), by_style = person.target(lang, chain)
        pieces = []
        for part, (status, detail) in reported.items():
            written = text[parts[part][0]:parts[part][1]]
            what = f"the {language_name(detail)} spelling" if status == "foreign" and detail else _WHAT[status]
            pieces.append(f"'{written}' is {what}")
        gap = text[mention.given[1]:mention.surname[0]] if mention.given else ""
        wanted = f"{given}{gap or ' '}{surname}" if mention.given else surname
        replacement = transfer_case(text[mention.start:mention.end], wanted)
        full = f"{given} {surname}".strip()
        role = person.role.split(" (")[0]
        if by_style:
            source = f"{ctx.style.name} style"
        elif lang != "en" and lang in person.names:
            source = f"the usual {ctx.language.name} spelling"
        else:
            source = person.basis.split(";")[0].rstrip(".")
        only_style = all(s[0] == "style" for s in reported.values())
        # Without a form for this language the data only knows English usage, which
        # another language's press need not follow: a note, not a warning.
        unsure = lang not in person.names and not by_style
        return self.finding(
            ctx, mention.start, mention.end,
            f"{full} ({role}): {' and '.join(pieces)}; write '{replacement}' [{source}]",
            replacement=replacement, fix=FixSafety.UNSAFE,
            severity=Severity.INFO if only_style or unsure else self.severity,
            data={"person": person.id, "parts": {p: s[0] for p, s in reported.items()},
                  "canonical": full, "basis": person.basis})
