"""Languages: what rules need to know about a language, with inheritance.

A regional variant overrides its parent the way a SQL dialect does in
sqlfluff: ``fr-CH`` inherits from ``fr``, which inherits from the base.
"""
from __future__ import annotations

from .base import Language, get_language, known_languages

__all__ = ["Language", "get_language", "known_languages"]
