"""The Python API: the same ``check`` and ``fix`` the CLI, batch jobs and the desk use.

Options are resolved by :mod:`normalize.checker` as everywhere else: defaults <
configuration file (only when ``config`` asks for one) < arguments.
"""
from __future__ import annotations

import functools
import os
from collections.abc import Hashable, Iterable, Mapping
from typing import Any, cast

from .checker import document, get_linter, resolve_options
from .findings import Finding, Severity
from .fixer import FixResult, fix_document
from .linter import Options

__all__ = ["check", "fix", "get_linter", "options"]

#: What ``config=`` takes: a file, True (the nearest one), or None/False (none).
ConfigChoice = str | os.PathLike[str] | bool | None


def options(lang: str | None = None, style: str | None = None, source_lang: str | None = None,
            *, select: Iterable[str] | str | None = None, ignore: Iterable[str] | str | None = None,
            severity: Mapping[str, str | Severity] | None = None,
            accept: Iterable[str] | None = None,
            reject: Mapping[str, str | None] | Iterable[str] | None = None,
            config: ConfigChoice = None, path: str | os.PathLike[str] | None = None,
            glossary: str | os.PathLike[str] | None = None) -> Options:
    """The :class:`~normalize.linter.Options` that :func:`check` and :func:`fix` use for
    these arguments (see :func:`check`); handy for the batch engine and :mod:`normalize.dask`."""
    if isinstance(glossary, os.PathLike):
        glossary = os.fspath(glossary)
    if glossary is not None and isinstance(glossary, str):
        # Resolved now: a relative path means the same file whatever the cache saw before.
        from .glossary import glossary_path

        glossary = glossary_path(glossary) if glossary.strip() else glossary
    args = (lang, style, source_lang, select, ignore, severity, accept, reject, config, path,
            glossary)
    try:
        hash(args)
    except TypeError:   # lists and dicts: resolved by the checker (which caches them itself)
        return _options(*args)
    # The common call (strings and None) costs one cache look-up, as it did before options
    # were validated: a loop over many short texts does not pay for the resolution again.
    return _cached_options(*cast("tuple[Hashable, ...]", args))  # hash(args) succeeded


def _options(lang: str | None, style: str | None, source_lang: str | None, select: Any,
             ignore: Any, severity: Any, accept: Any, reject: Any, config: ConfigChoice,
             path: str | os.PathLike[str] | None, glossary: Any = None) -> Options:
    given = {"lang": lang, "style": style, "source_lang": source_lang, "select": select,
             "ignore": ignore, "severity": severity, "accept": accept, "reject": reject,
             "glossary": glossary}
    return resolve_options(given, config=config, path=path)


_cached_options = functools.lru_cache(maxsize=256)(_options)


def check(text: str, lang: str | None = None, style: str | None = None,
          source_lang: str | None = None, *, source: str | None = None,
          select: Iterable[str] | str | None = None, ignore: Iterable[str] | str | None = None,
          severity: Mapping[str, str | Severity] | None = None,
          accept: Iterable[str] | None = None,
          reject: Mapping[str, str | None] | Iterable[str] | None = None,
          config: ConfigChoice = None, path: str | None = None,
          glossary: str | os.PathLike[str] | None = None) -> list[Finding]:
    """Findings for ``text`` in language ``lang`` (default ``en``) under house ``style``.

    ``source_lang`` is the language the text was translated from, when known;
    some rules (calques, expletive pronouns) only run with it. ``source`` is
    the source text itself, one segment per line like ``text``; source-aware
    rules (numbers, gender against the source) only run with it.

    The other options are a configuration file's: ``select``/``ignore`` (rule
    ids, groups or categories; a list or one comma-separated string),
    ``severity`` (selector -> ``"error"``/``"warning"``/``"info"``),
    ``accept`` (terms never reported) and ``reject`` (terms the house
    rejects -> replacement, or a list of terms) and ``glossary`` (a TBX, TSV or CSV
    file for ``pair.glossary``, which compares ``text`` with ``source``). Bad values raise
    :class:`~normalize.errors.UsageError` with the configuration's message.

    ``config`` reads options from a configuration file: a path to a
    ``mtnorm.toml``/``pyproject.toml``, or ``True`` for the nearest one walking
    up from ``path`` (or the current directory). Arguments win over it;
    ``severity``, ``accept`` and ``reject`` merge into its own. Without
    ``config`` no file is read. ``path`` names the text (its
    ``[[overrides]]`` apply); nothing is read from it. A configuration file is
    read once per process (options are resolved once per distinct call).
    """
    opts = options(lang, style, source_lang, select=select, ignore=ignore, severity=severity,
                   accept=accept, reject=reject, config=config, path=path, glossary=glossary)
    return get_linter(opts).check(document(text, opts, path=path, source=source))


def fix(text: str, lang: str | None = None, style: str | None = None,
        source_lang: str | None = None, *, source: str | None = None, unsafe: bool = False,
        select: Iterable[str] | str | None = None, ignore: Iterable[str] | str | None = None,
        severity: Mapping[str, str | Severity] | None = None,
        accept: Iterable[str] | None = None,
        reject: Mapping[str, str | None] | Iterable[str] | None = None,
        config: ConfigChoice = None, path: str | None = None,
        glossary: str | os.PathLike[str] | None = None) -> FixResult:
    """Apply safe fixes (and unsafe ones with ``unsafe=True``) to ``text``.

    Options as for :func:`check`. Returns a :class:`~normalize.fixer.FixResult`
    with the new text, the edits applied (pass by pass) and the findings that remain.
    """
    opts = options(lang, style, source_lang, select=select, ignore=ignore, severity=severity,
                   accept=accept, reject=reject, config=config, path=path, glossary=glossary)
    return fix_document(get_linter(opts), document(text, opts, path=path, source=source),
                        unsafe=unsafe)
