"""Languages: what rules need to know about a language, with inheritance.

A regional variant overrides its parent the way a SQL dialect does in
sqlfluff: ``fr-CH`` inherits from ``fr``, which inherits from the base.
"""
from __future__ import annotations

from .base import Language, get_language, known_languages

__all__ = ["Language", "get_language", "known_languages", "language_name"]

#: English names of languages mtnorm has no module for, as messages name them.
_OTHER_NAMES = {"uk": "Ukrainian", "be": "Belarusian", "bg": "Bulgarian", "sr": "Serbian",
                "mk": "Macedonian", "kk": "Kazakh", "pt": "Portuguese", "nl": "Dutch", "pl": "Polish",
                "ca": "Catalan", "ro": "Romanian", "cs": "Czech", "sv": "Swedish", "tr": "Turkish",
                "la": "Latin", "da": "Danish", "el": "Greek"}


def language_name(code: str) -> str:
    """The English name of a language code ("fr" -> "French"); the code itself when unknown."""
    try:
        return get_language(code).name
    except Exception:  # noqa: BLE001 - any code a user or a data file gives
        return _OTHER_NAMES.get(code, code)
