"""garble.dangling_pronoun: a story whose first sentence refers back to someone never named.

"According to him, the region lives in emergency mode" as the opening of a
story: the lead that named the speaker was cut (by a rewriter, a scraper or
a paywall) and the pronoun points at nobody. The rule reads the first
sentence of the story's first prose paragraph (see :mod:`._prose`), when at
most :data:`MAX_LINES_BEFORE` short lines that are not sentences (a headline,
a dateline, a byline) stand before it, and matches its start against ``dangling_openers``
(``syntax.yaml``: regular expressions per language).
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ...errors import DataError
from ...findings import Category, Finding, Severity
from ...patterns import LazyPattern
from ...pieces import (
    FactKind,
    document_facts,
    fact_kind,
    global_offset,
    own_range,
)
from ...registry import Context, Rule, register
from ...translation.segment import may_split
from ._prose import syntax_data

#: Lines (headline, dateline, byline) that may stand before the lead.
MAX_LINES_BEFORE = 3
_SENTENCE_ENDS = (".", "!", "?", "\u2026", ".\"", ".\u201d", ".)")
#: Anything but white space (``\s`` is ``str.isspace``, what ``str.strip`` removes).
_NON_SPACE = LazyPattern(r"\S")
_OPENING_PUNCT = "\"'\u201c\u2018\u00ab\u201e([\u2014\u2013- "
#: Texts up to this long are first tested for being one sentence (a copy of the text
#: is stripped for it).
_SHORT_TEXT = 4096


@functools.cache
def _openers(lang: str) -> LazyPattern | None:
    patterns = syntax_data(lang).get("dangling_openers") or []
    if not patterns:
        return None
    def error(exc: Exception) -> DataError:
        return DataError(f"syntax.yaml of {lang}: a dangling_openers pattern does not compile "
                         f"({exc}); fix the regular expression")

    # Compiled on first use (a text that needs it); a bad pattern raises then.
    return LazyPattern("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE, on_error=error)


def _collect_first(ctx: Context) -> int | None:
    """Where the document's own text first holds anything but white space (in the whole
    text), or None."""
    start, end = own_range(ctx.document)
    m = _NON_SPACE.search(ctx.text, start, end)
    return None if m is None else global_offset(ctx, m.start())


#: Where the whole text's first line stands: a piece's text that begins after it does not
#: hold the story's opening.
FIRST_TEXT: FactKind[int | None] = fact_kind(FactKind(
    "normalize.rules.garble.dangling_pronoun:first_text", _collect_first,
    lambda a, b: a if a is not None else b))


@register
class DanglingPronoun(Rule):
    id = "garble.dangling_pronoun"
    category = Category.GARBLE
    severity = Severity.WARNING
    mqm = "Fluency/Coherence"
    scope = "document"
    # In pieces: only a piece whose text holds the whole text's first line (its context
    # reaches back to it) judges the opening, which lies within the first 4 lines of
    # text; one more than 2,000 lines or 32,768 characters after the first line (blank
    # lines or huge ones between) is not judged in pieces.
    facts = (FIRST_TEXT.name,)
    description = ("The story opens with a pronoun that points at nobody ('According to him, ...'): "
                   "the lead naming the speaker was cut (data: syntax.yaml).")

    def applies_to(self, ctx: Context) -> bool:
        return super().applies_to(ctx) and _openers(ctx.language.code) is not None

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        piece = ctx.document.piece
        if piece is not None and piece.offset:
            first = document_facts(ctx, FIRST_TEXT)
            if first is None or first < piece.offset:
                return  # the story opens before this piece's text
        if len(text) <= _SHORT_TEXT:
            stripped = text.strip()
            if len(stripped.splitlines()) <= 1 and not may_split(stripped):
                # One line of content that no sentence end cuts (a corpus segment, a
                # record): its first prose sentence, if any, is all of it, and one
                # sentence on its own is not a story (tested below), decided without
                # splitting the line into words and sentences.
                return
        first = ctx.analysis.first_prose_sentence()
        if first is None:
            return
        if _NON_SPACE.search(text, first.end) is None:
            # One sentence on its own (a corpus segment, a record) is not a story. (Searched
            # in place: a slice and a strip of the rest cost two copies of a large text.)
            return
        lines_before = [line.strip() for line in text[:first.start].splitlines() if line.strip()]
        if len(lines_before) > MAX_LINES_BEFORE or text[text.rfind("\n", 0, first.start) + 1:first.start].strip():
            return  # deep in the text, or not the start of its paragraph
        if any(line.endswith(_SENTENCE_ENDS) for line in lines_before):
            return  # a short lead paragraph came first and may name the person
        offset = 0
        while offset < len(first.text) and first.text[offset] in _OPENING_PUNCT:
            offset += 1
        opener = _openers(ctx.language.code)
        assert opener is not None
        m = opener.match(first.text, offset)
        if m is None:
            return
        start, end = first.start + m.start(), first.start + m.end()
        yield self.finding(
            ctx, start, end,
            f"the story opens with '{text[start:end]}', a pronoun that refers to no one named "
            f"before it: the lead naming the person was probably cut; name them here")
