"""untranslated.acronym: a source-language acronym left unexplained in the translation.

MT copies or romanises the source's acronyms ("the chief of the Sumy ODA",
"the BND said"): readers of the target language cannot know them. An acronym
is reported when:

- the text never explains it: no "(ACR)" after a spelled-out name, no
  "ACR (...)" gloss, and no run of words whose initials spell it (function
  words skipped: "Federal Office of Investigation" explains "FOI");
- the target language's readers do not know it (``known`` in
  ``corpora/rules/<target>/acronyms.yaml``: NATO, EU, FBI...);
- and, with ``--source-lang``, it is one of the source language's acronyms
  (``source`` in ``corpora/rules/<source>/acronyms.yaml``, romanised for
  Cyrillic languages): a warning that names the language and says what the
  acronym stands for. Without the source list's word, an unexplained
  all-capitals acronym in copy translated from a Cyrillic-script language
  cannot be the source's own letters unless MT romanised it: reported as
  ``info``, with a weaker message.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ... import lexicon
from ...findings import Category, Finding, Severity
from ...languages import language_name
from ...languages.base import get_language
from ...patterns import LazyPattern
from ...pieces import FactKind, document_facts, fact_kind, own_range
from ...registry import Context, Rule, register
from ...resources import load_yaml

_ASCII_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _tokens(ctx: Context) -> Iterator[tuple[int, int, str]]:
    """``(start, end, word)`` of each letter token that starts with a capital ("OVA", "TsVK",
    "BfV"; the lists decide the rest): each match of
    ``(?<![\\w&.\\-/@#])([A-Z][A-Za-z]{1,6})(?![\\w&\\-/@])`` in the whole text, read off the
    document's capitalised words (a match is a whole ``\\w+`` word: the regex, tried at
    every character, cost as much as the rest of the rule)."""
    text = ctx.text
    size = len(text)
    for start, end in ctx.analysis.words.capitalised():
        if 2 <= end - start <= 7 and text[start] in _ASCII_CAPITALS:
            word = text[start:end]
            if word.isascii() and word.isalpha() and (start == 0 or text[start - 1] not in "&.-/@#") \
                    and (end == size or text[end] not in "&-/@"):
                yield start, end, word


_ROMAN = LazyPattern(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\Z")
#: A romanised Cyrillic acronym keeps the digraphs of single letters in lower case ("MChS",
#: "TsVK", "RZhD"): capitals and such digraphs only, at least one of each.
_ROMANISED = LazyPattern(r"(?:[A-Z]|Shch|Zh|Ch|Sh|Ts|Kh|Ye|Yu|Ya)+\Z")
_DIGRAPH = LazyPattern(r"Shch|Zh|Ch|Sh|Ts|Kh|Ye|Yu|Ya")
#: Source languages written in Cyrillic: a Latin acronym in their translation was romanised.
_CYRILLIC_SOURCES = frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk"})
#: A capitalised word this common (Zipf, target lexicon) after an acronym makes the two one
#: name ("the DB Museum"), kept as the institution calls itself.
_NAME_PART_ZIPF = 4.0
#: Words skipped when matching an acronym against the initials of a spelled-out name.
_SMALL = frozenset(["of", "the", "for", "and", "on", "in", "de", "la", "le", "des", "du", "der", "die", "das", "und", "für", "von", "al", "y", "del", "di", "e", "et"])


@functools.cache
def known_acronyms(lang: str) -> frozenset[str]:
    """Acronyms the target language's readers know (``known`` in acronyms.yaml)."""
    data = get_language(lang).data("acronyms")
    return frozenset(str(a) for a in data.get("known") or [])


@functools.cache
def source_acronyms(source: str) -> dict[str, str]:
    """The source language's acronyms with their English meaning (``source`` in acronyms.yaml)."""
    data = load_yaml("rules", source, "acronyms.yaml") or {}
    return {str(k): str(v) for k, v in (data.get("source") or {}).items() if v}


def _capital_count(word: str) -> int:
    return sum(1 for c in word if c.isupper())


def _spelled_out(text: str, acronym: str) -> bool:
    """Whether some run of words in ``text`` has the acronym's capitals as initials."""
    letters = [c for c in acronym if c.isupper()]
    if len(letters) < 2:
        return False
    small = "|".join(sorted(_SMALL))
    gap = rf"(?:\s+(?:(?:{small})\s+)*)"
    parts = [rf"{re.escape(c)}[^\W\d_]*(?:-[^\W\d_]+)*" for c in letters]
    pattern = rf"(?<!\w){gap.join(parts)}(?!\w)"
    return re.search(pattern, text, re.IGNORECASE) is not None and \
        re.search(pattern, text.replace(acronym, "\0" * len(acronym))) is not None


def _explained(text: str, acronym: str) -> bool:
    if f"({acronym})" in text or re.search(rf"(?<!\w){re.escape(acronym)}\s*\(", text):
        return True
    return _spelled_out(text, acronym)


def _looks_romanised(word: str) -> bool:
    """Capitals with a romanisation digraph in lower case ("MChS", "TsVK")."""
    return _ROMANISED.match(word) is not None and _DIGRAPH.search(word) is not None \
        and _capital_count(word) >= 3


def _name_part(ctx: Context, end: int) -> bool:
    """Whether a common capitalised word follows, making the acronym part of a name."""
    m = re.match(r" ([A-Z][a-z]+)", ctx.text[end:end + 40])
    if m is None:
        return False
    lex = lexicon.get(ctx.language.family)
    return lex is not None and lex.zipf(m.group(1).lower()) >= _NAME_PART_ZIPF


def _shouting(text: str, start: int, end: int) -> bool:
    """Whether the acronym stands in a line mostly in capitals (a headline, a label)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start:line_end if line_end != -1 else len(text)]
    letters = [c for c in line if c.isalpha()]
    return len(letters) > 0 and sum(c.isupper() for c in letters) * 2 > len(letters)


#: Every acronym-like token an "(ACR)" or "ACR (" explains (see :func:`_explained`).
_PARENTHESISED = LazyPattern(r"\(([A-Z][A-Za-z]{1,6})\)")
#: (``(?<!\w)([A-Z][A-Za-z]{1,6})\s*\(``, led by the capital: one led by the look-behind
#: is tried at every character.)
_BEFORE_PARENTHESIS = LazyPattern(r"([A-Z](?<!\w[A-Z])[A-Za-z]{1,6})\s*\(")


def _candidate(word: str, known: frozenset[str], listed: dict[str, str], generic: bool) -> bool:
    """Whether the rule asks whether ``word`` (a token) is explained: what the word alone says."""
    # Roman numerals: "Charles III", "Part IV" (the pattern only where the letters allow it)
    if word in known or (not word.strip("MDCLXVI") and _ROMAN.match(word)):
        return False
    return word in listed or (generic and _looks_romanised(word))


def _collect_explained(ctx: Context) -> frozenset[str]:
    """The acronyms the document's own text explains: any in "(ACR)" or before "(", and
    those of its own tokens the rule may ask about that a run of words spells out
    (looked for in all the text at hand: a match there is one in the whole text)."""
    text = ctx.text
    lo, hi = own_range(ctx.document)
    out: set[str] = set()
    for pattern in (_PARENTHESISED, _BEFORE_PARENTHESIS):
        for m in pattern.finditer(text, lo):
            if m.start() >= hi:
                break
            out.add(m.group(1))
    source = ctx.source_family or ""
    known, listed = known_acronyms(ctx.language.code), source_acronyms(source)
    generic = source in _CYRILLIC_SOURCES
    # (The own text ends at a line break or at the text's end: no token crosses ``hi``.)
    asked = {word for start, _end, word in _tokens(ctx)
             if lo <= start < hi and word not in out and _candidate(word, known, listed, generic)}
    out.update(word for word in asked if _spelled_out(text, word))
    return frozenset(out)


#: The acronyms the whole text explains. A piece learns of a spelled-out name in another
#: piece only when that piece uses the acronym too (a name spelled out with "(ACR)" or
#: "ACR (" after it counts wherever it stands).
EXPLAINED: FactKind[frozenset[str]] = fact_kind(FactKind(
    "normalize.rules.untranslated.acronym:explained", _collect_explained, lambda a, b: a | b))


@register
class UntranslatedAcronym(Rule):
    id = "untranslated.acronym"
    category = Category.UNTRANSLATED
    severity = Severity.WARNING
    mqm = "Accuracy/Untranslated"
    needs_source_lang = True
    scope = "document"
    # In pieces: whether the whole text explains an acronym comes from the facts (see
    # EXPLAINED); the rest reads the acronym's line and the words after it.
    facts = (EXPLAINED.name,)
    #: Targets with a list of the acronyms their readers know.
    languages = frozenset({"en", "fr", "de", "es", "it"})
    description = ("A source-language acronym left unexplained ('the chief of the Sumy ODA'): not expanded in the "
                   "text and not one the target's readers know (data: acronyms.yaml).")

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        source = ctx.source_family or ""
        known = known_acronyms(ctx.language.code)
        listed = source_acronyms(source)
        generic = source in _CYRILLIC_SOURCES
        explained: frozenset[str] | None = None
        for start, end, word in _tokens(ctx):
            if not _candidate(word, known, listed, generic):
                continue
            meaning = listed.get(word)
            if _shouting(text, start, end) or _name_part(ctx, end):
                continue
            if explained is None:
                explained = document_facts(ctx, EXPLAINED)
            if word in explained:
                continue
            language = language_name(source)
            if meaning is not None:
                yield self.finding(
                    ctx, start, end,
                    f"'{word}' is a {language} acronym ({meaning}) left unexplained in "
                    f"{ctx.language.name} copy; spell it out, or give the full name first with "
                    f"'({word})' after it", data={"language": source})
            else:
                yield self.finding(
                    ctx, start, end, severity=Severity.INFO,
                    message=f"'{word}' is never explained in the text and is not an acronym "
                            f"{ctx.language.name} readers know; if it is a romanised {language} "
                            f"acronym, spell it out in {ctx.language.name}",
                    data={"language": source})
