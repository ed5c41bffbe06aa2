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
from ...patterns import LazyPattern
from ...registry import Context, Rule, register
from ..untranslated.source_word import MAX_TARGET_ZIPF, source_word, zipf_of

#: The translated half must be at least this common in the target language.
MIN_TARGET_PART_ZIPF = 3.5
#: Shortest half of a glued compound; shortest glued word looked at.
MIN_PART = 4
MIN_GLUED = 9
_COMPOUND = LazyPattern(r"(?<![\w-])([^\W\d_]{3,})-([^\W\d_]{3,})(?![\w-])")
_WORD = LazyPattern(r"(?<![\w-])[^\W\d_]{9,}(?![\w-])")


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
        for m in _COMPOUND.finditer(text):
            first, second = m.group(1), m.group(2)
            if first[0].isupper() and second[0].isupper():
                continue  # a name or a title ("Derby-Debakel", "Baden-Baden")
            for kept, other in ((first, second), (second, first)):
                low = kept.lower()
                tz = zipf_of(target, low)
                if tz >= MAX_TARGET_ZIPF or zipf_of(target, other.lower()) < MIN_TARGET_PART_ZIPF:
                    continue
                original = source_word(source, low, tz)
                if original is not None:
                    found.append((m.start(), m.end(), kept, original))
                    break
        for m in _WORD.finditer(text):
            word = m.group()
            low = word.lower()
            if word != low or zipf_of(target, low) > 0:
                continue  # capitalised: a name, or a whole source compound (untranslated.source_word's)
            split = self._glued(source, target, low)
            if split is not None:
                found.append((m.start(), m.end(), word[:split[0]] if split[1] else word[split[0]:],
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
