"""pair.untranslated: a word of the source segment copied into the translation untranslated.

MT copies a source word it has no rendering for ("the dinastia", "a sabie",
"die Toothbrush"). With the source segment at hand this is seen directly: a
target word is reported when

- the source segment has the same word written in lower case (so it is not a
  name there: names are capitalised in the scripts that have case; the
  target may capitalise it, as German does its nouns);
- the target language's lexicon does not know it (Zipf below
  :data:`MAX_TARGET_ZIPF`: cognates and loans that the target uses, "status",
  "tempo", "Kindergarten", are known words of it);
- the source language's word list knows it well (Zipf at least
  :data:`MIN_SOURCE_ZIPF`): the project's lexicon, or the ``wordfreq``
  package's list when it is installed and has the language (Romanian); a word
  both lists lack is a code, a typo or a name, and is left alone;
- it has at least :data:`MIN_LENGTH` letters, is not all capitals (acronyms
  are untranslated.acronym's), not quoted or glossed on purpose, and not inside
  a stretch that untranslated.fragment already reports as another language,
  nor part of a path, URL, address, handle, hashtag or file name.

Words of another script (Chinese, Cyrillic) left in the target are
untranslated.fragment's business (the script pass says "the source
language" when they are); this rule covers copies between languages of one
script, which no script test can see. Without a word list for the source
language (Estonian) the rule stays silent.

Calibrated on the MLQE-PE ro-en *dev* post-edits and MT (not the test20 split
the evaluation reports): 13 MT segments flagged, 12 with a BAD word under the
finding; 5 findings on the 1,000 post-edits (words the post-editors left:
"acompaniament", "implicite").
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

from ... import lexicon
from ...analysis.segments import segment_pairs
from ...findings import Category, Finding, Severity
from ...languages import language_name
from ...patterns import LazyPattern
from ...registry import Context, Rule, register
from .._text import quoted_on_purpose
from ..untranslated.source_word import zipf_of

_WORD = LazyPattern(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
#: A word inside a token with these is part of a path, URL, address, handle, hashtag or code.
_CODE = LazyPattern(r"[#@/\\_{}<>=~|%$]|\w[.:]\w")
#: A target word at least this common in the target language is one of its words (a cognate, a loan).
MAX_TARGET_ZIPF = 1.5
#: The source word must be at least this common in the source language.
MIN_SOURCE_ZIPF = 3.0
#: Shortest word looked at (short words are shared by chance: "are", "del").
MIN_LENGTH = 4


#: Languages whose wordfreq look-up needs a tokeniser package of its own (jieba, MeCab):
#: their words have no case, so lower-case words of such a source are not its own anyway.
_OWN_TOKENISER = frozenset({"zh", "ja", "ko"})


@functools.cache
def source_zipf(lang: str) -> Callable[[str], float] | None:
    """The Zipf frequency of a word in ``lang``: the project's lexicon, else wordfreq's
    list (when the package is installed and has the language), else None."""
    if lang in lexicon.LANGUAGES and lexicon.available(lang):
        lex = lexicon.get(lang)
        if lex is not None:
            return functools.partial(zipf_of, lex)
    try:
        import wordfreq
    except ImportError:
        return None
    if lang not in wordfreq.available_languages("small") or lang in _OWN_TOKENISER:
        return None

    def zipf(word: str) -> float:
        try:
            return wordfreq.zipf_frequency(word, lang, wordlist="best")
        except (ImportError, LookupError, ValueError):  # a list or tokeniser missing
            return 0.0

    return zipf


def _in_code(text: str, start: int, end: int) -> bool:
    """Whether the whitespace-delimited token around ``text[start:end]`` is a path, URL,
    e-mail address, handle, hashtag, file name or code ("C:\\Daten", "#wetterdienst")."""
    left = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    right = min((i for i in (text.find(" ", end), text.find("\n", end)) if i >= 0), default=len(text))
    return _CODE.search(text[left:right]) is not None


@register
class PairUntranslated(Rule):
    id = "pair.untranslated"
    category = Category.UNTRANSLATED
    severity = Severity.WARNING
    mqm = "Accuracy/Untranslated"
    needs_source = True
    needs_source_lang = True
    #: Read by the rule-case tests: without a lexicon the rule stays silent.
    needs_lexicon = True
    scope = "document"
    description = ("A word of the source segment copied into the translation untranslated "
                   "('the dinastia'): known to the source language, unknown to the target's.")

    def applies_to(self, ctx: Context) -> bool:
        return (super().applies_to(ctx) and ctx.language.family in lexicon.LANGUAGES
                and lexicon.available(ctx.language.family))

    def check(self, ctx: Context) -> Iterator[Finding]:
        source_lang = ctx.source_family or ""
        target = lexicon.get(ctx.language.family)
        in_source = source_zipf(source_lang)
        if target is None or in_source is None:
            return
        taken: list[tuple[int, int]] | None = None
        name = language_name(source_lang)
        for pair in segment_pairs(ctx):
            lower_words = {m.group() for m in _WORD.finditer(pair.source) if m.group().islower()}
            if not lower_words:
                continue
            for m in _WORD.finditer(pair.target):
                word = m.group()
                low = word.lower()
                if len(word) < MIN_LENGTH or word.isupper() or low not in lower_words:
                    continue
                if zipf_of(target, low) >= MAX_TARGET_ZIPF or in_source(low) < MIN_SOURCE_ZIPF:
                    continue
                if quoted_on_purpose(pair.target, m.start(), m.end()) or _in_code(pair.target, m.start(), m.end()):
                    continue
                start, end = pair.start + m.start(), pair.start + m.end()
                if taken is None:
                    taken = [(f.start, f.end) for f in ctx.analysis.language_spans]
                if any(s < end and start < e for s, e in taken):
                    continue  # inside a foreign stretch that untranslated.fragment reports
                yield self.finding(
                    ctx, start, end,
                    f"'{word}' is copied untranslated from the source segment (a word of "
                    f"{name}, not of {ctx.language.name}); translate it, or quote and gloss it "
                    "if it is kept on purpose",
                    data={"language": source_lang, "source_word": low})
