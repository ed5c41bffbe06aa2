"""Whether a document is tokenised text (``word , word .``), as NLP corpora are.

Spaces before punctuation are then the corpus's format, not a slip of the
copy: rules about spacing stay silent (``ctx.analysis.tokenised``).
"""
from __future__ import annotations

import re

#: Punctuation glued to a word (English) or set after a space (tokenised text, French).
#: (Led by the punctuation, not by \w, so that the scan skips along at C speed.)
_SPACED = re.compile(r"[ \t][.,;:!?](?<=\w[ \t][.,;:!?])(?=\s|$)")
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
    if _SPLIT_CONTRACTION.search(text):
        return True
    spaced = len(_SPACED.findall(text)) + len(_SPACED_QUOTE.findall(text))
    # Initials and short abbreviations ("A. H. Tammsaare", "St. Petersburg") keep their
    # full stop in tokenised text too: they say nothing about the format.
    glued = len(_GLUED.findall(text)) - len(_ABBREVIATION.findall(text))
    # A segment of a tokenised corpus may hold a single mark ("It rained ."): spacing
    # with nothing glued anywhere is the format, not a slip.
    return (spaced >= 1 and glued <= 0) or (spaced >= 3 and spaced * 2 >= glued)
