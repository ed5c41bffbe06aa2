"""Shared helpers of the typography rules: per-language data and tokenised-text detection."""
from __future__ import annotations

import re
from typing import Any

from ...registry import Context

#: Punctuation glued to a word (English) or set after a space (tokenised text, French).
#: (Led by the punctuation, not by \w, so that the scan skips along at C speed.)
_SPACED = re.compile(r"[ \t][.,;:!?](?<=\w[ \t][.,;:!?])(?=\s|$)")
_GLUED = re.compile(r"[.,;:!?](?<=\w[.,;:!?])(?=\s|$)")
#: Contractions split by a tokeniser ("hadn 't", "it 's"): no typist writes these.
_SPLIT_CONTRACTION = re.compile(r" (?<=\w )(?:n't|'s|'re|'ll|'ve|'m|'d)\b")


def typography(ctx: Context) -> dict[str, Any]:
    """The language's ``corpora/rules/<lang>/typography.yaml`` (empty when it has none)."""
    return ctx.language.data("typography")


def is_tokenised(ctx: Context) -> bool:
    """Whether the document is tokenised text (``word , word .``), as NLP corpora are.

    Spaces before punctuation are then the corpus's format, not a slip of the
    copy: rules about spacing stay silent. Judged once per document.
    """
    if "typography.tokenised" not in ctx.cache:
        ctx.cache["typography.tokenised"] = tokenised(ctx.text)
    return ctx.cache["typography.tokenised"]


def tokenised(text: str) -> bool:
    """``text`` sets punctuation after a space as a rule rather than by exception."""
    if _SPLIT_CONTRACTION.search(text):
        return True
    spaced = len(_SPACED.findall(text))
    glued = len(_GLUED.findall(text))
    return (spaced >= 2 and glued == 0) or (spaced >= 3 and spaced * 2 >= glued)
