"""Languages: what rules need to know about a language, with inheritance.

The facts live in ``corpora/languages/<code>.yaml``; a language inherits
what its file does not state from its parent (``fr`` from ``und``), the way
a SQL dialect does in sqlfluff, and a regional code (``fr-CH``) is read as
its language.
"""
from __future__ import annotations

import functools

from ..resources import load_yaml
from .base import Language, get_language, known_languages

__all__ = ["Language", "get_language", "known_languages", "language_name"]


@functools.lru_cache(maxsize=1)
def _other_names() -> dict[str, str]:
    raw = load_yaml("languages", "_names.yaml") or {}
    return {str(k): str(v) for k, v in raw.items()}


def language_name(code: str) -> str:
    """The English name of a language code ("fr" -> "French"); the code itself when unknown."""
    try:
        return get_language(code).name
    except Exception:
        return _other_names().get(code, code)
