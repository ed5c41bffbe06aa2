"""garble.half_translated: a compound with one half translated and the other left in the source.

MT translates one part of a compound and keeps the other: "Bundes-government",
"oblast-level" is fine but "vulytsia-street" or "polizeistation" in English
copy is not. With ``--source-lang`` the rule looks at:

- hyphenated words ``A-B`` where one part is a common word of the target
  language and the other a source-language word the target does not know
  (the test of :func:`normalize.rules.untranslated.source_word.source_word`);
- long lower-case words the target's lexicon does not know at all that split
  into a source-language word and a common target word ("polizeistation"); capitalised
  ones are names or whole source compounds.

Needs a lexicon (``pip install mtnorm[lexicon]``) for both languages. No fix:
which half is right depends on the source.
"""
from __future__ import annotations

from collections.abc import Iterator

from ... import lexicon
from ...findings import Category, Finding, Severity
from ...languages import language_name
from ...lexicon.tokens import LetterRuns
from ...registry import Context, Rule, register
from .._scan import bounded
from ..untranslated.source_word import MAX_TARGET_ZIPF, source_word, zipf_of

#: The translated half must be at least this common in the target language.
MIN_TARGET_PART_ZIPF = 3.5
#: Shortest half of a glued compound; shortest glued word looked at.
MIN_PART = 4
MIN_GLUED = 9


def _apart(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` stands apart: no word character or hyphen just before
    or after it."""
    return bounded(text, start, end) and text[start - 1:start] != "-" and text[end:end + 1] != "-"


def _compounds(text: str, runs: LetterRuns) -> Iterator[tuple[int, int, str, str]]:
    """``(start, end, first, second)`` of every two runs of letters of three or more joined
    by one hyphen, standing apart (``(?<![\\w-])([^\\W\\d_]{3,})-([^\\W\\d_]{3,})(?![\\w-])``)."""
    words, starts = runs.words, runs.starts
    for i in range(len(words) - 1):
        first, second = words[i], words[i + 1]
        end = starts[i] + len(first)
        if starts[i + 1] == end + 1 and text[end] == "-" and len(first) >= 3 and len(second) >= 3 \
                and _apart(text, starts[i], starts[i + 1] + len(second)):
            yield starts[i], starts[i + 1] + len(second), first, second


def _long_words(text: str, runs: LetterRuns) -> Iterator[tuple[int, str]]:
    """``(start, word)`` of every run of letters of at least :data:`MIN_GLUED` standing apart
    (``(?<![\\w-])[^\\W\\d_]{9,}(?![\\w-])``)."""
    for start, word in zip(runs.starts, runs.words):
        if len(word) >= MIN_GLUED and _apart(text, start, start + len(word)):
            yield start, word


@register
class HalfTranslated(Rule):
    id = "garble.half_translated"
    category = Category.GARBLE
    scope = "line"
    severity = Severity.WARNING
    mqm = "Accuracy/Untranslated"
    needs_source_lang = True
    #: Read by the rule-case tests: without a lexicon the rule stays silent.
    needs_lexicon = True
    languages = frozenset({"en", "fr", "de", "es", "it"})
    description = ("A compound half translated: one part in the target language, the other left "
                   "in the source ('Bundes-government'); needs a lexicon.")

    def applies_to(self, ctx: Context) -> bool:
        return (super().applies_to(ctx) and lexicon.available(ctx.language.family)
                and lexicon.available(ctx.source_family or ""))

    def check(self, ctx: Context) -> Iterator[Finding]:
        source = ctx.source_family or ""
        target = lexicon.get(ctx.language.family)
        if target is None:
            return
        text = ctx.text
        language = language_name(source)
        found: list[tuple[int, int, str, str]] = []
        runs = ctx.analysis.letter_runs
        for start, end, first, second in _compounds(text, runs) if "-" in text else ():
            if first[0].isupper() and second[0].isupper():
                continue  # a name or a title ("Derby-Debakel", "Baden-Baden")
            for kept, other in ((first, second), (second, first)):
                low = kept.lower()
                tz = zipf_of(target, low)
                if tz >= MAX_TARGET_ZIPF or zipf_of(target, other.lower()) < MIN_TARGET_PART_ZIPF:
                    continue
                original = source_word(source, low, tz)
                if original is not None:
                    found.append((start, end, kept, original))
                    break
        for start, word in _long_words(text, runs):
            low = word.lower()
            if word != low or zipf_of(target, low) > 0:
                continue  # capitalised: a name, or a whole source compound (untranslated.source_word's)
            split = self._glued(source, target, low)
            if split is not None:
                found.append((start, start + len(word), word[:split[0]] if split[1] else word[split[0]:],
                              split[2]))
        for start, end, kept, original in sorted(found):
            shown = kept.lower() if original == kept.lower() else f"{kept.lower()}: {original}"
            yield self.finding(
                ctx, start, end,
                f"'{text[start:end]}' is half translated: '{kept}' is {language} ({shown}); "
                f"translate the whole compound")

    @staticmethod
    def _glued(source: str, target: lexicon.Lexicon, low: str) -> tuple[int, bool, str] | None:
        """``(cut, source_first, source_word)`` where ``low`` splits into a source word and a
        common target word, or None."""
        for cut in range(MIN_PART, len(low) - MIN_PART + 1):
            head, tail = low[:cut], low[cut:]
            for kept, other, first in ((head, tail, True), (tail, head, False)):
                if zipf_of(target, other) < MIN_TARGET_PART_ZIPF:
                    continue
                tz = zipf_of(target, kept)
                if tz >= MAX_TARGET_ZIPF:
                    continue
                original = source_word(source, kept, tz)
                if original is not None:
                    return cut, first, original
        return None
