"""Per-language cues of the syntax rules of ``garble`` (``corpora/rules/<lang>/syntax.yaml``).

The prose sentences those rules read are the document analysis
``ctx.analysis.prose_sentences`` (:mod:`normalize.analysis.sentences`).
"""
from __future__ import annotations

import functools
import re
from typing import Any

from ...languages import get_language


@functools.cache
def syntax_data(lang: str) -> dict[str, Any]:
    """The language's ``syntax.yaml`` (merged with its parents'); empty when it has none."""
    return get_language(lang).data("syntax")


@functools.cache
def word_set(lang: str, key: str) -> frozenset[str]:
    """A list of ``syntax.yaml`` as a lower-case set (empty when the key is missing)."""
    return frozenset(str(w).lower() for w in syntax_data(lang).get(key) or [])


def phrase_regex(phrases: frozenset[str]) -> re.Pattern[str]:
    """A regex matching any of ``phrases`` (lower case, single spaces) at a word boundary."""
    alternation = "|".join(re.escape(p).replace("\\ ", r"\s+")
                           for p in sorted(phrases, key=lambda p: (-len(p), p)))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)
