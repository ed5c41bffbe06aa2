"""The Python API: the same ``check`` and ``fix`` the CLI and batch jobs use."""
from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

from .document import Document
from .findings import Finding
from .fixer import FixResult, fix_document
from .linter import Linter, Options


@functools.lru_cache(maxsize=32)
def get_linter(options: Options) -> Linter:
    """A linter for these options, built once and reused (rules load data once)."""
    return Linter(options)


def _options(lang: str, style: str | None, source_lang: str | None,
             select: Iterable[str] | None, ignore: Iterable[str] | None,
             reject: Mapping[str, str | None] | None = None) -> Options:
    return Options(lang=lang, style=style, source_lang=source_lang,
                   select=tuple(select or ()), ignore=tuple(ignore or ()),
                   reject=tuple(sorted((reject or {}).items())))


def check(text: str, lang: str = "en", style: str | None = None, source_lang: str | None = None,
          *, source: str | None = None, select: Iterable[str] | None = None,
          ignore: Iterable[str] | None = None,
          reject: Mapping[str, str | None] | None = None) -> list[Finding]:
    """Findings for ``text`` in language ``lang`` under house ``style``.

    ``source_lang`` is the language the text was translated from, when known;
    some rules (calques, expletive pronouns) only run with it. ``source`` is
    the source text itself, one segment per line like ``text``; source-aware
    rules (numbers, gender against the source) only run with it. ``reject``
    maps terms the house rejects to their replacement (or None), as the
    ``reject`` table of a configuration file does.
    """
    linter = get_linter(_options(lang, style, source_lang, select, ignore, reject))
    return linter.check(Document(text, lang=lang, style=style, source_lang=source_lang, source=source))


def fix(text: str, lang: str = "en", style: str | None = None, source_lang: str | None = None,
        *, source: str | None = None, unsafe: bool = False, select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        reject: Mapping[str, str | None] | None = None) -> FixResult:
    """Apply safe fixes (and unsafe ones with ``unsafe=True``) to ``text``.

    Returns a :class:`~normalize.fixer.FixResult` with the new text, the edits
    applied (pass by pass) and the findings that remain.
    """
    linter = get_linter(_options(lang, style, source_lang, select, ignore, reject))
    return fix_document(linter, Document(text, lang=lang, style=style, source_lang=source_lang,
                                         source=source), unsafe=unsafe)
