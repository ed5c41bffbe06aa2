"""garble.no_finite_verb: a long sentence of running prose without a finite verb.

MT keeps the source's nominal style ("Probably a xenophobic motive according
to the federal prosecution.") or drops the verb of a long clause. A light
part-of-speech cue stands in for a tagger: a sentence has a finite verb when
one of its words is a listed finite form (``finite_verbs`` in
``syntax.yaml``), ends like a past form (``verb_suffixes``), follows a subject
pronoun, is a contraction ("don't"), or is a verb of the lexicon in its bare
or ``-s`` form (a word whose ``-ed`` and ``-ing`` forms are common words).
Only long sentences inside prose paragraphs are looked at (see
:mod:`._prose`): headlines, lists and captions are verbless by design.
"""
from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import NamedTuple

from ... import lexicon
from ...analysis.sentences import Sentence
from ...findings import Category, Finding, Severity
from ...registry import Context, Rule, register
from ._prose import syntax_data, word_set

#: ``-ed`` and ``-ing`` forms at least this common (Zipf) make a word a verb stem.
_VERB_FORM_ZIPF = 2.5
#: An -s word whose -ing form is at least this common is read as a verb.
_ING_ZIPF = 3.0
_CONTRACTIONS = ("n't", "n\u2019t", "'re", "\u2019re", "'ve", "\u2019ve", "'ll", "\u2019ll", "'m",
                 "\u2019m", "'d", "\u2019d")
#: How far into a sentence (in characters) the first look for a verb reads.
_FIRST_CHARS = 40
_QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e"


@functools.lru_cache(maxsize=65536)
def _verb_stem(lang: str, stem: str) -> bool:
    """Whether ``stem`` is a verb by the lexicon: its -ed and -ing forms are common words
    (spelt as English spells them: "commit" -> "committed", "study" -> "studied")."""
    lex = lexicon.get(lang)
    if lex is None or len(stem) < 3:
        return False
    if stem.endswith("e"):
        pairs = [(stem + "d", stem[:-1] + "ing")]
    elif stem.endswith("y") and stem[-2:-1] not in "aeiou":
        pairs = [(stem[:-1] + "ied", stem + "ing")]
    else:
        pairs = [(stem + "ed", stem + "ing"), (stem + stem[-1] + "ed", stem + stem[-1] + "ing")]
    return any(lex.zipf(ed) >= _VERB_FORM_ZIPF and lex.zipf(ing) >= _VERB_FORM_ZIPF
               for ed, ing in pairs)


def _maybe_verb(lang: str, low: str) -> bool:
    """Whether a lower-case word might be a finite verb (bare, -s, -es or -ies form)."""
    if _verb_stem(lang, low):
        return True
    if low.endswith("ies") and _verb_stem(lang, low[:-3] + "y"):
        return True
    if low.endswith("es") and _verb_stem(lang, low[:-2]):
        return True
    if not low.endswith("s") or low.endswith("ss"):
        return False
    # "sleeps", "deactivates": an irregular or rarer verb whose -ing form is common.
    return _verb_stem(lang, low[:-1]) or _ing_stem(lang, low[:-1])


@functools.lru_cache(maxsize=65536)
def _ing_stem(lang: str, stem: str) -> bool:
    """Whether the -ing form of ``stem`` is a common word (a verb, for an -s form)."""
    lex = lexicon.get(lang)
    if lex is None or len(stem) < 3:
        return False
    ing = stem[:-1] + "ing" if stem.endswith("e") else stem + "ing"
    return lex.zipf(ing) >= _ING_ZIPF


class _Cues(NamedTuple):
    """The word lists of :func:`has_finite_verb` for one language, built once."""

    finite: frozenset[str]
    #: The finite forms made of letters only: one of them as a whole space-separated
    #: token of a sentence is one of its words.
    finite_letters: frozenset[str]
    suffixes: tuple[str, ...]
    pronouns: frozenset[str]
    markers: frozenset[str]


@functools.cache
def _cues(lang: str) -> _Cues:
    finite = word_set(lang, "finite_verbs")
    return _Cues(finite, frozenset(w for w in finite if w.isalpha()), tuple(word_set(lang, "verb_suffixes")),
                 word_set(lang, "subject_pronouns"), word_set(lang, "noun_markers"))


def has_finite_verb(lang: str, sentence: Sentence) -> bool:
    """The light part-of-speech test of the module docstring."""
    return _finite_verb_in(lang, sentence.word_texts)


def _finite_verb_in(lang: str, words: list[str]) -> bool:
    """:func:`has_finite_verb` on a sentence's word texts (or their first ones: the test
    reads the words in order and stops at the first verb, so a verb among the first
    words is a verb of the sentence)."""
    finite, _, suffixes, pronouns, markers = _cues(lang)
    if not finite.isdisjoint(map(str.lower, words)):
        return True  # the loop below returns by that word at the latest (a C-speed test)
    after_pronoun = after_marker = False
    for word in words:
        low = word.lower()
        if low in finite or after_pronoun:
            return True
        if ("'" in low or "\u2019" in low) and low.endswith(_CONTRACTIONS):
            return True  # the apostrophe first: a tuple of endings costs more per word
        if suffixes and len(low) > 4 and low.endswith(suffixes):
            return True
        if not after_marker and not word[:1].isupper() and _maybe_verb(lang, low):
            return True
        after_pronoun = low in pronouns
        after_marker = low in markers
    return False


@register
class NoFiniteVerb(Rule):
    id = "garble.no_finite_verb"
    category = Category.GARBLE
    scope = "line"
    severity = Severity.INFO
    mqm = "Fluency/Grammar"
    description = ("A long sentence of running prose with no finite verb: a nominal source "
                   "sentence kept, or a verb lost (data: syntax.yaml; needs a lexicon).")
    #: Read by the rule-case tests: without a lexicon the rule stays silent.
    needs_lexicon = True

    def applies_to(self, ctx: Context) -> bool:
        return (super().applies_to(ctx) and bool(syntax_data(ctx.language.code).get("finite_verbs"))
                and lexicon.available(ctx.language.family))

    def check(self, ctx: Context) -> Iterator[Finding]:
        lang = ctx.language.family
        cues = _cues(lang)
        min_words = int(syntax_data(ctx.language.code).get("min_words", 8))
        for sentence in ctx.analysis.prose_sentences:
            text = sentence.text
            if text[:1] in _QUOTES or text.rstrip()[-1:] != "." or ":" in text or ";" in text:
                continue  # a quotation or a question keeps its speaker's syntax; a label or a list
            # Most sentences hold a listed finite form as a whole token between spaces: a
            # word, so the test below would say yes (one split, no word list).
            if not cues.finite_letters.isdisjoint(text.lower().split()):
                continue
            # Most sentences have a verb within a few words: try the words before a space
            # some way in first (no word spans a space, so they are the first words of the
            # sentence), and split the whole sentence only when they hold none.
            cut = text.find(" ", _FIRST_CHARS)
            if cut != -1 and _finite_verb_in(lang, sentence.word_texts_before(cut)):
                continue
            words = sentence.word_texts
            if len(words) < min_words:
                continue
            if _finite_verb_in(lang, words):
                continue
            caps = sum(1 for w in words if w[:1].isupper())
            if caps * 2 > len(words):
                continue  # a run of names (a caption, a credit)
            yield self.finding(
                ctx, sentence.start, sentence.end,
                "this sentence has no finite verb: a nominal phrase was kept from the source or "
                "the verb was lost; check it against the source and give it a verb")
