"""Whether a document is tokenised text (``word , word .``), as NLP corpora are.

Spaces before punctuation are then the corpus's format, not a slip of the
copy: rules about spacing stay silent (``ctx.analysis.tokenised``).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..pieces import FactKind, fact_kind, own_range

if TYPE_CHECKING:
    from ..registry import Context

#: Punctuation glued to a word (English) or set after a space (tokenised text, French):
#: the mark alone is matched, and what stands before it looked behind at. (Led by the
#: mark, not by \w or the space, so that the scan skips along at C speed; it is only
#: counted.)
_SPACED = re.compile(r"[.,;:!?](?<=\w[ \t][.,;:!?])(?=\s|$)")
_GLUED = re.compile(r"[.,;:!?](?<=\w[.,;:!?])(?=\s|$)")
#: A straight quotation mark with a space on both sides, between words: ``the " Categories " .``
_SPACED_QUOTE = re.compile(r'[ ](?:"|[(\[])[ ](?<=\w[ ]["(\[][ ])(?=\w)|[ ][)\]][ ](?<=\w[ ][)\]][ ])')
#: A capitalised abbreviation or initial of up to three letters: "A.", "St.", "Mrs."
#: (``\b[A-Z][a-z]{0,2}\.(?= [A-Z])``, counted once per full stop: led by the full stop
#: and looking behind it, the scan skips along at C speed; one led by ``\b`` is tried
#: at every character, 15 times slower).
_ABBREVIATION = re.compile(r"\.(?= [A-Z])(?:(?<=\b[A-Z]\.)|(?<=\b[A-Z][a-z]\.)|(?<=\b[A-Z][a-z]{2}\.))")
#: Contractions split by a tokeniser ("hadn 't", "it 's"): no typist writes these.
_SPLIT_CONTRACTION = re.compile(r" (?<=\w )(?:n't|'s|'re|'ll|'ve|'m|'d)\b")


def tokenised(text: str) -> bool:
    """``text`` sets punctuation after a space as a rule rather than by exception."""
    return verdict(counts(text))


#: (a split contraction seen, marks after a space, marks glued less abbreviations): what
#: the verdict reads. Every match lies within a line, so the counts of consecutive
#: stretches cut at line starts add up to the whole text's.
Counts = tuple[bool, int, int]


def counts(text: str, start: int = 0, end: int | None = None) -> Counts:
    """The counts of ``text[start:end]`` (matched in place: the look-behinds see the
    character before ``start``, a line break)."""
    end = len(text) if end is None else end
    if (text.find(" '", start, end) != -1 or text.find(" n't", start, end) != -1) \
            and _SPLIT_CONTRACTION.search(text, start, end):
        return (True, 0, 0)  # tokenised whatever the counts say
    spaced = len(_SPACED.findall(text, start, end)) + len(_SPACED_QUOTE.findall(text, start, end))
    # Initials and short abbreviations ("A. H. Tammsaare", "St. Petersburg") keep their
    # full stop in tokenised text too: they say nothing about the format.
    glued = len(_GLUED.findall(text, start, end)) - len(_ABBREVIATION.findall(text, start, end))
    return (False, spaced, glued)


def merge(a: Counts, b: Counts) -> Counts:
    """The counts of two consecutive stretches."""
    return (a[0] or b[0], a[1] + b[1], a[2] + b[2])


def verdict(c: Counts) -> bool:
    """Whether text with the counts ``c`` is tokenised."""
    split, spaced, glued = c
    # A segment of a tokenised corpus may hold a single mark ("It rained ."): spacing
    # with nothing glued anywhere is the format, not a slip.
    return split or (spaced >= 1 and glued <= 0) or (spaced >= 3 and spaced * 2 >= glued)


def _collect(ctx: Context) -> Counts:
    """The counts of the document's own text (a piece's context lines are counted by the
    piece they belong to)."""
    start, end = own_range(ctx.document)
    return counts(ctx.text, start, min(end, len(ctx.text)))


#: Whether the whole text is tokenised, for a text checked piece by piece: the rules that
#: read ``ctx.analysis.tokenised`` list this kind in their ``facts``.
TOKENISED: FactKind[Counts] = fact_kind(FactKind(
    "normalize.analysis.tokenised:counts", _collect, merge,
    lambda before, total, own: verdict(total)))
