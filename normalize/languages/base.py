"""The base language and the lookup of languages by code."""
from __future__ import annotations

import functools
import importlib
from typing import Any, ClassVar

from ..errors import UsageError
from ..resources import load_yaml


class Language:
    """Facts about a language that rules use.

    Subclasses override class attributes; rule data (debris patterns, article
    lists, exceptions) is read from ``corpora/rules/<code>/<name>.yaml`` and
    merged down the parent chain by :meth:`data`.
    """

    code: ClassVar[str] = "und"
    name: ClassVar[str] = "any language"
    parent: ClassVar[str | None] = None
    #: Opening and closing quotation marks used in this language's copy.
    quotes: ClassVar[tuple[str, str]] = ("\u201c", "\u201d")
    #: Quotation marks that betray another language's typography here.
    foreign_quotes: ClassVar[tuple[tuple[str, str], ...]] = ()
    #: How an editor marks a cut inside a quote, and marks that are foreign here.
    cut_marker: ClassVar[str] = "[\u2026]"
    foreign_cut_markers: ClassVar[tuple[str, ...]] = ()
    #: German capitalises every noun, so a capital letter says nothing about names.
    capitalises_nouns: ClassVar[bool] = False
    #: Punctuation preceded by a (narrow) no-break space, as in French.
    spaced_punctuation: ClassVar[str] = ""

    @functools.cached_property
    def family(self) -> str:
        """The base language code without region (``fr`` for ``fr-CH``).

        Cached: every rule's ``applies_to`` asks, for every document."""
        return self.code.split("-")[0]

    def chain(self) -> list[str]:
        """This language's code and its ancestors', most specific first."""
        out = [self.code]
        parent = self.parent
        while parent:
            out.append(parent)
            parent = get_language(parent).parent
        return out

    def data(self, name: str) -> dict[str, Any]:
        """Merged rule data ``name`` for this language (child keys win).

        Lists under the same key are concatenated (parent first), so a child
        adds patterns instead of repeating its parent's.
        """
        return _merged_data(self.code, name)

    def __repr__(self) -> str:
        return f"<Language {self.code}>"


@functools.lru_cache(maxsize=None)
def _merged_data(code: str, name: str) -> dict[str, Any]:
    lang = get_language(code)
    merged: dict[str, Any] = {}
    for ancestor in reversed(lang.chain()):
        layer = load_yaml("rules", ancestor, f"{name}.yaml") or {}
        for key, value in layer.items():
            if isinstance(value, list) and isinstance(merged.get(key), list):
                merged[key] = merged[key] + value
            else:
                merged[key] = value
    return merged


_MODULES = {"und": "base", "en": "en", "fr": "fr", "de": "de", "es": "es", "ru": "ru", "it": "it"}


def known_languages() -> list[str]:
    """Language codes with built-in support."""
    return sorted(c for c in _MODULES if c != "und")


@functools.lru_cache(maxsize=None)
def get_language(code: str) -> Language:
    """The :class:`Language` for a BCP-47 code such as ``en``, ``fr-CH`` or ``ru``.

    An unknown region falls back to its language (``en-AU`` behaves as ``en``).
    """
    norm = code.replace("_", "-").strip()
    base = norm.split("-")[0].lower()
    if base not in _MODULES:
        raise UsageError(f"unsupported language {code!r} (supported: {', '.join(known_languages())})")
    if base == "und":
        return Language()
    module = importlib.import_module(f"normalize.languages.{_MODULES[base]}")
    cls: type[Language] = module.LANGUAGE
    return cls()


LANGUAGE = Language
