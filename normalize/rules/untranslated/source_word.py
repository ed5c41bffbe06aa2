"""untranslated.source_word: a common word of the source language kept in the translation.

MT leaves words it has no entry for in the source language: a street-type
word ("vulytsia", "Straße"), an institution's common noun, a dish or an
office. With ``--source-lang`` the rule reads each lower-case prose word (names
are capitalised and are another rule's business) and reports it when:

- the target language's lexicon does not know it (or barely: Zipf below
  :data:`MAX_TARGET_ZIPF`; accepted loans such as "oblast" are in it);
- the source language's lexicon knows it well (Zipf at least
  :data:`MIN_SOURCE_ZIPF`) — for a Cyrillic-script source, its romanisation
  (KMU 2010 for Ukrainian, BGN/PCGN for Russian, compared through the
  transliteration key of :mod:`normalize.translit`);
- the target's readers do not accept it (``accepted`` in
  ``corpora/rules/<target>/source_words.yaml``: "oblast", "Bundestag");
- it is not quoted or glossed on purpose ("the so-called 'Zeitenwende'"), nor
  inside a stretch that ``untranslated.fragment`` already reports.

Needs a lexicon (``pip install mtnorm[lexicon]``) for both languages.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ... import lexicon
from ...findings import Category, Finding, Severity
from ...languages import language_name
from ...languages.base import get_language
from ...lexicon.tokens import prose_tokens
from ...patterns import LazyPattern
from ...pieces import FactKind, document_facts, fact_kind, own_from, own_range
from ...registry import Context, Rule, register
from ...translit import equivalence_key, romanise
from .._text import quoted_on_purpose

#: A word at least this common in the target language is one of its words (or an accepted loan);
#: web word lists hold many foreign words just below it.
MAX_TARGET_ZIPF = 2.0
#: A source word must be at least this common to count (rarer ones are names and noise)...
MIN_SOURCE_ZIPF = 3.0
#: ... and this much more common in the source than in the target language.
MIN_ZIPF_MARGIN = 2.5
#: A capitalised word of a source that capitalises nouns (German) must be this common, since
#: names are capitalised too.
MIN_CAPITALISED_ZIPF = 4.0
#: Source languages that capitalise every noun: their nouns are looked for in capitals too.
_CAPITALISED_NOUNS = frozenset({"de"})
#: Shortest word looked at (short words collide across languages by chance).
MIN_LENGTH = 5
#: Romanisation of the source lexicon, for sources in Cyrillic script.
_ROMANISATION = {"uk": "uk", "ru": "ru", "be": "be"}
#: Most frequent source words romanised (the index is built once per process).
ROMANISED_WORDS = 40_000


@functools.cache
def _romanised_index(source: str) -> dict[str, tuple[str, float]]:
    """Transliteration key -> (source word, Zipf) for the source's common words."""
    lex = lexicon.get(source)
    system = _ROMANISATION.get(source)
    index: dict[str, tuple[str, float]] = {}
    if lex is None or system is None:
        return index
    for count, word in enumerate(lex.words()):
        if count >= ROMANISED_WORDS:
            break
        zipf = lex.zipf(word)
        if zipf < MIN_SOURCE_ZIPF:
            break
        if len(word) < MIN_LENGTH or not word.isalpha():
            continue
        index.setdefault(equivalence_key(romanise(word, system)), (word, zipf))
    return index


def zipf_of(lex: lexicon.Lexicon, word: str) -> float:
    """``lex.zipf(word)``, trying the fully case-folded form too (some lists store "strasse")."""
    return lex.zipf(word) or lex.zipf(word.casefold())


def source_word(source: str, word: str, target_zipf: float, floor: float = MIN_SOURCE_ZIPF) -> str | None:
    """The source-language word that lower-case ``word`` is (itself, or the Cyrillic it
    romanises), or None: at least ``floor`` common in the source and well above
    ``target_zipf``, its frequency in the target language. Shared with garble.half_translated."""
    if source in _ROMANISATION:
        hit = _romanised_index(source).get(equivalence_key(word))
        return hit[0] if hit and hit[1] >= floor and hit[1] - target_zipf >= MIN_ZIPF_MARGIN else None
    lex = lexicon.get(source)
    if lex is None:
        return None
    zipf = zipf_of(lex, word)
    return word if zipf >= floor and zipf - target_zipf >= MIN_ZIPF_MARGIN else None


@functools.cache
def _accepted(lang: str) -> frozenset[str]:
    """Source-language words the target's copy accepts (source_words.yaml)."""
    data = get_language(lang).data("source_words")
    return frozenset(str(w).lower() for w in data.get("accepted") or [])


def _bare_noun(text: str, start: int, end: int, word: str, articles: frozenset[str],
               named: frozenset[str]) -> bool:
    """A capitalised source noun used as a common noun: after a lower-case article, never next
    to another capitalised word anywhere in the text ("the Polizei", not "the Palast Orchester",
    nor "in Thüringen"). ``named``: the words that stand next to one somewhere (NAMED)."""
    before = re.search(r"([^\W\d_]+)[ ]\Z", text[max(0, start - 30):start])
    if before is None or before.group(1) not in articles:
        return False
    return word not in named


def _in_name(text: str, start: int, end: int) -> bool:
    """Whether the word ``text[start:end]`` stands next to another capitalised word."""
    return re.search(r"[A-Z\u00c0-\u00de][^\W\d_]*[ -]\Z", text[max(0, start - 30):start]) is not None \
        or re.match(r"[ -][A-Z\u00c0-\u00de]", text[end:end + 2]) is not None


_LETTER_RUN = LazyPattern(r"[^\W\d_]+")


def _collect_named(ctx: Context) -> frozenset[str]:
    """The capitalised words the rule may report (for a source that capitalises nouns)
    that stand next to another capitalised word in the document's own text."""
    source = ctx.source_family or ""
    target = lexicon.get(ctx.language.family)
    if source not in _CAPITALISED_NOUNS or target is None:
        return frozenset()
    text = ctx.text
    _lo, hi = own_range(ctx.document)
    verdicts: dict[str, bool] = {}
    out: set[str] = set()
    for m in _LETTER_RUN.finditer(text, own_from(ctx), hi):
        word = m.group()
        if len(word) < MIN_LENGTH or not (word[0].isupper() and word[1:].islower()) or word in out:
            continue
        if not _in_name(text, m.start(), m.end()):
            continue
        if word not in verdicts:
            verdicts[word] = _original(source, target, ctx.language.code, word) is not None
        if verdicts[word]:
            out.add(word)
    return frozenset(out)


#: The capitalised source nouns that stand next to another capitalised word somewhere in
#: the whole text (part of a name there, so not bare anywhere).
NAMED: FactKind[frozenset[str]] = fact_kind(FactKind(
    "normalize.rules.untranslated.source_word:named", _collect_named, lambda a, b: a | b))


#: Both halves of a glued brand name are at least this common in the target language.
_GLUED_HALF_ZIPF = 3.5


def _two_target_words(target: lexicon.Lexicon, low: str) -> bool:
    """Whether ``low`` is two common target words run together ("franceinfo", "newsweek")."""
    return any(zipf_of(target, low[:cut]) >= _GLUED_HALF_ZIPF and zipf_of(target, low[cut:]) >= _GLUED_HALF_ZIPF
               for cut in range(3, len(low) - 2))


@register
class UntranslatedSourceWord(Rule):
    id = "untranslated.source_word"
    category = Category.UNTRANSLATED
    severity = Severity.WARNING
    mqm = "Accuracy/Untranslated"
    needs_source_lang = True
    #: A capitalised noun is judged against its other occurrences anywhere in the text.
    scope = "document"
    # In pieces: those occurrences come from the facts (NAMED); the rest reads the word
    # and the characters around it on its line.
    facts = (NAMED.name,)
    #: Read by the rule-case tests: without a lexicon the rule stays silent.
    needs_lexicon = True
    languages = frozenset({"en", "fr", "de", "es", "it"})
    description = ("A common word of the source language left in the translation ('vulytsia', "
                   "'Straße'); needs a lexicon (pip install mtnorm[lexicon]).")

    def applies_to(self, ctx: Context) -> bool:
        return (super().applies_to(ctx) and lexicon.available(ctx.language.family)
                and lexicon.available(ctx.source_family or ""))

    def check(self, ctx: Context) -> Iterator[Finding]:
        source = ctx.source_family or ""
        target = lexicon.get(ctx.language.family)
        if target is None:
            return
        text = ctx.text
        # Each distinct word is judged once, by itself, and only the occurrences of the
        # few that could be source words go through the per-token checks (~2.5 µs a
        # token: most of this rule's time when every word went through them).
        runs = ctx.analysis.letter_runs
        originals = self._originals(source, target, ctx.language.code, set(runs.words))
        if not originals:
            return
        taken: list[tuple[int, int]] | None = None
        language = language_name(source)
        articles = frozenset(str(a) for a in get_language(ctx.language.code).data("articles").get("articles") or [])
        for token in prose_tokens(text, only=originals, runs=runs):
            word = token.text
            if token.elided or token.clipped:
                continue
            if text[token.start - 1:token.start] == "-" or text[token.end:token.end + 1] == "-":
                continue  # half of a compound: garble.half_translated's business
            if quoted_on_purpose(text, token.start, token.end):
                continue
            lower = word.islower()
            if not lower and not _bare_noun(text, token.start, token.end, word, articles,
                                            document_facts(ctx, NAMED)):
                continue
            if taken is None:
                taken = [(f.start, f.end) for f in ctx.analysis.language_spans]
            if any(s < token.end and token.start < e for s, e in taken):
                continue  # inside a foreign stretch that untranslated.fragment reports
            low = word.lower()
            original = originals[word]
            shown = low if original == low else f"{low}: {original}"
            yield self.finding(
                ctx, token.start, token.end,
                f"'{word}' looks like a {language} word ({shown}) left untranslated in "
                f"{ctx.language.name} copy; translate it, or gloss it if it is kept on purpose",
                data={"language": source, "source_word": original})

    @staticmethod
    def _originals(source: str, target: lexicon.Lexicon, lang: str, words: set[str]) -> dict[str, str]:
        """The ``words`` (runs of letters) that read as common source-language words, by
        the word alone, each with the source word it is (see the module docstring)."""
        verdicts = _VERDICTS.get((source, lang, target))
        if verdicts is None:
            verdicts = _VERDICTS[(source, lang, target)] = {}
        out: dict[str, str] = {}
        for word in words:
            try:
                original = verdicts[word]
            except KeyError:
                original = _original(source, target, lang, word)
                if len(verdicts) < VERDICTS_KEPT:
                    verdicts[word] = original
            if original is not None:
                out[word] = original
        return out


#: Per source, language and target lexicon: each word's :func:`_original`, kept across
#: documents (news copy repeats its words; judging one is a few look-ups in two word lists).
_VERDICTS: dict[tuple[str, str, lexicon.Lexicon], dict[str, str | None]] = {}
#: The most words kept per (source, language, lexicon): a few MB (50,000 words held
#: ~11 MB, measured with tracemalloc), enough for the words most copy is made of; later
#: words are judged each time.
VERDICTS_KEPT = 20_000


def _original(source: str, target: lexicon.Lexicon, lang: str, word: str) -> str | None:
    """The source word that ``word`` (a run of letters) reads as, by the word alone, or None."""
    if len(word) < MIN_LENGTH:
        return None
    lower = word.islower()
    if not lower and not (source in _CAPITALISED_NOUNS and word[0].isupper() and word[1:].islower()):
        return None
    low = word.lower()
    target_zipf = zipf_of(target, low)
    if target_zipf >= MAX_TARGET_ZIPF or low in _accepted(lang):
        return None
    original = source_word(source, low, target_zipf, MIN_SOURCE_ZIPF if lower else MIN_CAPITALISED_ZIPF)
    if original is None or _two_target_words(target, low):
        return None  # _two_target_words: a brand glued from target words ("franceinfo")
    return original
