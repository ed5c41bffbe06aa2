"""garble.inverted_clause: the verb before its subject after a fronted adverbial.

Russian and German put the adverbial first and the verb before the subject
("В США умер певец", "Gestern wurde das Abkommen unterzeichnet"); MT keeps the
order: "In the USA has died the singer", "Yesterday was signed the agreement".
The rule reads each prose sentence (see :mod:`._prose`) that opens with a time
adverb or a prepositional phrase and looks right after it for a verb group of
``inverted_verbs`` (``syntax.yaml``) followed by a subject (a determiner, a
number or a name). The opening phrase may hold a determiner only right after
a preposition ("in the USA"), so "In 2008 the treaty was signed" (subject
before verb) is not an inversion. Locative inversion with "be" and openers such
as "Among" or "Only" are ordinary English and are left alone.

French subject inversion carried over with its hyphen ("estime-t-il" ->
"believes -he") is reported too (``inverted_pronoun`` in ``syntax.yaml``),
anywhere in the text.

A weaker cue, reported as ``info``: a long sentence with no comma that opens
with a prepositional phrase and ends with such a verb group ("In Lisbon at the
age of 90 the famous fado singer has died."), the adverbial-first,
verb-last order of the source.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import NamedTuple

from ...analysis.sentences import Sentence
from ...errors import DataError
from ...findings import Category, Finding, Severity
from ...registry import Context, Rule, register
from ._prose import phrase_regex, syntax_data, word_set

#: The verb-last cue needs at least this many words before the verb group.
MIN_VERB_LAST_WORDS = 12
#: At most this many words in the fronted adverbial of an inversion.
MAX_ADVERBIAL_WORDS = 10


@functools.cache
def _verbs(lang: str) -> re.Pattern[str] | None:
    phrases = word_set(lang, "inverted_verbs")
    return phrase_regex(phrases) if phrases else None


@functools.cache
def _pronoun_suffix(lang: str) -> re.Pattern[str] | None:
    """``word -he``: a pronoun hyphened after its verb (and maybe a space), or None
    without data."""
    pattern = syntax_data(lang).get("inverted_pronoun")
    if not pattern:
        return None
    try:
        return re.compile(rf"(?<![\w-])[^\W\d_]+[ ]?(?:{pattern})")
    except re.error as exc:
        raise DataError(f"syntax.yaml of {lang}: inverted_pronoun does not compile ({exc}); "
                        f"fix the regular expression") from None


@functools.cache
def _pronoun_hint(lang: str) -> re.Pattern[str]:
    """The pronoun part of :func:`_pronoun_suffix` alone (it compiles if that does)."""
    return re.compile(syntax_data(lang)["inverted_pronoun"])


class _Cues(NamedTuple):
    """The word lists and the verb pattern of the rule for one language, built once."""

    verbs: re.Pattern[str]
    #: Lower-case first and last words of ``inverted_verbs``, or None when one is not
    #: plain ASCII letters: a verb group starts only at such a word and ends only with
    #: one, and a try of the pattern's ~100 alternatives costs ~1.5 us.
    verb_firsts: frozenset[str] | None
    verb_lasts: frozenset[str] | None
    openers: frozenset[str]
    time_adverbs: frozenset[str]
    prepositions: frozenset[str]
    preps_of: frozenset[str]     # prepositions and "of": a determiner may follow them
    dets: frozenset[str]
    pronouns: frozenset[str]


def _plain_words(words: set[str]) -> frozenset[str] | None:
    """``words`` when all are ASCII letters, else None: only for those does the
    pattern's case-blind match come down to equal lower-case words (Unicode case
    folding has pairs of its own, such as 'k' and the Kelvin sign)."""
    return frozenset(words) if all(w.isascii() and w.isalpha() for w in words) else None


@functools.cache
def _cues(lang: str) -> _Cues | None:
    verbs = _verbs(lang)
    if verbs is None:
        return None
    phrases = [p.split() for p in word_set(lang, "inverted_verbs")]
    dets = word_set(lang, "subject_starts")
    prepositions = word_set(lang, "prepositions")
    return _Cues(verbs, _plain_words({p[0] for p in phrases}), _plain_words({p[-1] for p in phrases}),
                 word_set(lang, "inversion_openers"), word_set(lang, "time_adverbs"), prepositions,
                 prepositions | {"of"}, dets,
                 word_set(lang, "subject_pronouns") - dets)  # "this" after "in" is a determiner


def _could_open(cues: _Cues, low: str) -> bool:
    """Whether a listed verb group may start at a word (lower case): a word of ASCII
    letters is followed by a space or a sign, as a group's first word must be, so it
    must be one of them."""
    firsts = cues.verb_firsts
    return firsts is None or low in firsts or not (low.isascii() and low.isalpha())


def _inversion(cues: _Cues, first: str, sentence: Sentence) -> tuple[int, int] | None:
    """Offsets of an inverted verb group right after the opening adverbial, or None.

    ``first`` is the sentence's first word, lower case: the sentence must open with a
    fronted adverbial (a time adverb, or a preposition that is no inversion opener).
    The first word decides, so most sentences need no words at all."""
    if first in cues.openers or (first not in cues.time_adverbs and first not in cues.prepositions):
        return None
    verbs, preps, dets, pronouns = cues.verbs, cues.preps_of, cues.dets, cues.pronouns
    text = sentence.text
    prev_low = ""
    prev_end = 0
    # Words found one by one: the walk stops after a few (a comma, a verb, a subject).
    for i, word in enumerate(sentence.iter_words()):
        if i > MAX_ADVERBIAL_WORDS:
            return None
        low = word.low
        if i > 0:
            between = text[prev_end - sentence.start:word.start - sentence.start]
            if between.strip():
                return None  # a comma or a dash closes the adverbial: ordinary order follows
            m = verbs.match(text, word.start - sentence.start) if _could_open(cues, low) else None
            if m is not None:
                after = text[m.end():].lstrip()
                nxt = re.match(r"[^\W_]+", after)
                if nxt and (nxt.group().lower() in dets or nxt.group()[:1].isdigit()
                            or nxt.group()[:1].isupper()):
                    return sentence.start + m.start(), sentence.start + m.end()
                return None
        if low in pronouns:
            return None
        if i > 0 and low in dets and low not in preps and prev_low not in preps:
            return None  # a second noun phrase: the subject stands before the verb
        prev_low = low
        prev_end = word.end
    return None


#: The run of word characters that ends a text.
_LAST_RUN = re.compile(r"\w+\Z")


def _verb_last(cues: _Cues, first: str, sentence: Sentence) -> tuple[int, int] | None:
    """Offsets of a sentence-final verb group after a long comma-less fronted phrase, or None."""
    text = sentence.text
    if first not in cues.prepositions or "," in text or not text.rstrip().endswith("."):
        return None
    if first in cues.openers:
        return None
    if cues.verb_lasts is not None:
        # The group must end right before the final full stop, so the word there must end
        # a listed group; else no match closes the sentence (the scan below costs ~25 us).
        last = _LAST_RUN.search(text.rstrip()[:-1].rstrip())
        if last is None or (last.group().isascii() and last.group().lower() not in cues.verb_lasts):
            return None
    for m in cues.verbs.finditer(text):
        if text[m.end():].strip() == "." and len(text[:m.start()].split()) >= MIN_VERB_LAST_WORDS:
            return sentence.start + m.start(), sentence.start + m.end()
    return None


def _suffix_matches(lang: str, suffix: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``suffix.finditer(text)``, run only on the lines where the pronoun part occurs.

    The full pattern tries a run of letters at every word of the text (0.1 s per MB);
    the pronoun part alone ("-he") is a quick scan, and a match (letters, then that
    part) lies within one line. Should the part ever match across a line break, the
    whole text is scanned as before."""
    hint = _pronoun_hint(lang)
    hits = list(hint.finditer(text))
    if any("\n" in m.group() for m in hits):
        yield from suffix.finditer(text)
        return
    regions: list[tuple[int, int]] = []
    for h in hits:
        lo = text.rfind("\n", 0, h.start()) + 1
        hi = text.find("\n", h.end())
        hi = len(text) if hi == -1 else hi + 1  # the line break too: look-aheads see it
        if regions and lo < regions[-1][1]:
            regions[-1] = (regions[-1][0], max(hi, regions[-1][1]))
        else:
            regions.append((lo, hi))
    for lo, hi in regions:
        yield from suffix.finditer(text, lo, hi)


@register
class InvertedClause(Rule):
    id = "garble.inverted_clause"
    category = Category.GARBLE
    scope = "line"
    severity = Severity.WARNING
    mqm = "Fluency/Grammar"
    description = ("Source word order kept: a fronted adverbial, then the verb, then the subject "
                   "('In the USA has died the singer') (data: syntax.yaml).")

    def applies_to(self, ctx: Context) -> bool:
        lang = ctx.language.code
        return super().applies_to(ctx) and (_verbs(lang) is not None or _pronoun_suffix(lang) is not None)

    def check(self, ctx: Context) -> Iterator[Finding]:
        lang = ctx.language.code
        suffix = _pronoun_suffix(lang)
        if suffix is not None and "-" in ctx.text:
            for m in _suffix_matches(lang, suffix, ctx.text):
                if m.group()[:1].isupper():
                    continue  # a name: "Jean -Il"
                yield self.finding(
                    ctx, m.start(), m.end(),
                    f"'{m.group()}': a pronoun hyphened after its verb, the source's inversion "
                    f"('estime-t-il'); write 'he believes' or '..., he believes'")
        cues = _cues(lang)
        if cues is None:
            return
        for sentence in ctx.analysis.prose_sentences:
            first_word = sentence.first_word
            if first_word is None:
                continue
            first = first_word.lower()
            span = _inversion(cues, first, sentence)
            if span is not None:
                yield self.finding(
                    ctx, sentence.start, span[1],
                    f"the verb '{ctx.text[span[0]:span[1]]}' comes before its subject after a fronted "
                    f"adverbial (source word order); put the subject first: 'In X, the Y has died'")
                continue
            span = _verb_last(cues, first, sentence)
            if span is not None:
                yield self.finding(
                    ctx, sentence.start, span[1], severity=Severity.INFO,
                    message=f"a long adverbial opens the sentence and the verb "
                            f"'{ctx.text[span[0]:span[1]]}' closes it (source word order); check "
                            f"the sentence and put the subject and verb first")
