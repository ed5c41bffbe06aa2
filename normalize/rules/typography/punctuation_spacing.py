"""typography.punctuation_spacing: a space before ? ! : ; . , where the language sets none.

Tokenised text is left alone; so is a segment whose source is tokenised (a space before
its commas and full stops): the translation kept the corpus's tokenisation.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ...analysis.segments import segment_at
from ...analysis.tokenised import TOKENISED
from ...findings import Category, Finding, FixSafety, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register
from ._typo import typography

_TOKENISED_SOURCE = LazyPattern(r"\w \.(?:\s|$)|\w ,\s")


@functools.lru_cache(maxsize=16)
def _pattern(marks: str) -> re.Pattern[str]:
    # After a word, a closing quote or bracket; the mark must end a word (followed by
    # space, end, or closing quote/bracket), so " ..." ellipses, ".NET" and ":)" pass.
    # (led by the space, not by a look-behind, so that the scan skips along at C speed)
    return re.compile(r"(?P<space>[ \t\u00a0\u202f](?<=[\w”’\"»)\]][ \t\u00a0\u202f])[ \t\u00a0\u202f]*)"
                      r"(?P<mark>[" + re.escape(marks)
                      + r"])(?=[\s”’\"»)\]]|$)")


@register
class PunctuationSpacing(Rule):
    id = "typography.punctuation_spacing"
    category = Category.TYPOGRAPHY
    scope = "document"  # spaced punctuation is judged against the whole text (tokenised or not)
    # In pieces: whether the whole text is tokenised comes from the facts; the rest reads
    # the mark's own line (the source segment: a text with --source is read whole).
    facts = (TOKENISED.name,)
    severity = Severity.WARNING
    fix = FixSafety.SAFE
    mqm = "Fluency/Punctuation"
    languages = frozenset({"en", "de", "es", "it", "ru", "fr"})
    description = ("A space before ? ! : ; . , (French typography) in a language that sets none; "
                   "tokenised text is left alone.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        marks = typography(ctx).get("no_space_before", "")
        text = ctx.text
        if not marks or not any(f" {m}" in text for m in marks) or ctx.analysis.tokenised:
            return
        name = ctx.language.name
        # French spaces ; : ! ? itself, so the French source is no explanation there.
        why = "" if ctx.language.spaced_punctuation else " (a space there is French typography)"
        for m in _pattern(marks).finditer(text):
            start, end = m.span()
            mark = m.group("mark")
            # "2 : 1" is a score or ratio, not a colon after a word.
            after = text[end:end + 1]
            if mark in ":;" and after in "()":  # an emoticon, ;) or :(
                continue
            if mark == ":" and text[start - 1].isdigit() and end < len(text) and \
                    text[end:end + 2].strip()[:1].isdigit():
                continue
            if ctx.source_text is not None and _tokenised_source(ctx, start):
                continue
            yield self.finding(
                ctx, start, end,
                f"space before '{mark}': {name} sets no space before {mark} "
                f"{why}", replacement=mark)


def _tokenised_source(ctx: Context, pos: int) -> bool:
    """Whether the source segment of ``pos`` is tokenised (a space before a comma or stop)."""
    pair = segment_at(ctx, pos)
    return pair is not None and _TOKENISED_SOURCE.search(pair.source) is not None
