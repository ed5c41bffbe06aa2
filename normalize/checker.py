"""One checking service: the options, the rule set and the JSON of every entry point.

The command line, :func:`normalize.check` / :func:`normalize.fix`, the batch
engine, the Dask functions and the desk all come through here, so the same
text with the same options gives the same findings and the same JSON:

- **options** are resolved in one order, defaults < configuration file <
  arguments (:meth:`Checker.options_for`); options a caller gives (function
  arguments, a request's fields) are validated by the configuration file's
  own code, with its messages (:func:`normalize.config.validate_options`);
- **the rule set** for a set of options is a :class:`~normalize.linter.Linter`
  built once per process (:func:`get_linter`; batch workers and Dask tasks
  use it too);
- **results** are serialised by one function: :func:`json_report` is the
  ``mtnorm check --format json`` document whoever asks for it, and
  :func:`fix_report` the desk's fix answer built from the same pieces.

Configuration files are read lazily: a caller that names none pays nothing
for them (``tomllib`` is not even imported).
"""
from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .document import Document
from .findings import Finding, Severity
from .linter import Linter, Options

if TYPE_CHECKING:
    from .config import ConfigResolver, Settings
    from .fixer import FixResult
    from .results import FileResult

#: The options a caller may give: what a configuration table holds, less ``fail_on``
#: (an exit status, not an option). Kept in step with :data:`normalize.config.OPTION_KEYS`.
OPTION_KEYS = ("lang", "style", "source_lang", "select", "ignore", "severity", "accept", "reject",
               "glossary")

#: ``config=`` value asking for the nearest configuration file (walking up from ``path``).
DISCOVER = True


@functools.lru_cache(maxsize=32)
def get_linter(options: Options) -> Linter:
    """A linter for these options, built once per process and reused (rules load data once)."""
    return Linter(options)


class Checker:
    """Options resolution for one configuration choice, and the linters for them.

    ``Checker()``: no configuration file (every option at its default unless
    given). ``Checker(config=PATH)``: that file for every text.
    ``Checker(discover=True)``: the nearest ``mtnorm.toml`` / ``pyproject.toml``
    (``[tool.mtnorm]``) walking up from each text's path (the current
    directory for a text without one), as the command line does.
    Configuration files are read once per checker.
    """

    def __init__(self, config: str | os.PathLike[str] | None = None, *,
                 discover: bool = False) -> None:
        self.config = config
        self.discover = discover
        self._resolver: ConfigResolver | None = None
        if config is not None or discover:
            from .config import ConfigResolver

            # A missing or invalid explicit file is a usage error now, not at the first text.
            self._resolver = ConfigResolver(explicit=config)

    def settings_for(self, path: str | os.PathLike[str] | None = None) -> Settings:
        """The configuration's settings for a text at ``path`` (top level and matching
        ``[[overrides]]``); all unset without a configuration."""
        from .config import Settings

        if self._resolver is None:
            return Settings()
        return self._resolver.settings_for("-" if path is None else path)

    def options_for(self, path: str | os.PathLike[str] | None = None,
                    given: Mapping[str, Any] | None = None, *, where: str | None = None,
                    settings: Settings | None = None) -> Options:
        """Linter options for a text at ``path``: defaults < configuration < ``given``.

        ``given`` holds some of :data:`OPTION_KEYS`; ``None`` (and an empty
        ``select``/``ignore``) means "not given". As in a configuration's
        ``[[overrides]]``, given values replace the configuration's, except
        ``severity``, ``accept`` and ``reject``, which are merged into them.
        With ``where`` (``"the request"``, ``"the arguments"``) the given values
        are first validated as a configuration table is, messages naming
        ``where``; the command line leaves that to argparse and the linter
        (its messages are its own). ``settings`` skips the lookup when the
        caller already has them.
        """
        if settings is None:
            settings = self.settings_for(path)
        values = {k: v for k, v in (given or {}).items() if v is not None}
        if where is not None:
            from .config import validate_options

            # Python values as a TOML table has them (a comma string for select, as on the
            # command line; tuples as arrays), then the configuration's own checks.
            values = validate_options({k: _thaw(_freeze(k, v)) for k, v in values.items()}, where)
        if "severity" in values and settings.severity:
            values["severity"] = {**dict(settings.severity), **dict(_pairs(values["severity"]))}
        if "accept" in values and settings.accept:
            values["accept"] = tuple(dict.fromkeys((*settings.accept, *values["accept"])))
        if "reject" in values and settings.reject:
            values["reject"] = {**dict(settings.reject), **dict(_pairs(values["reject"]))}
        return settings.options(values)

    def fail_on_for(self, path: str | os.PathLike[str] | None = None,
                    given: str | None = None, *, settings: Settings | None = None) -> str:
        """The ``fail_on`` level: ``given`` if set, else the configuration's, else ``error``."""
        if settings is None:
            settings = self.settings_for(path)
        return settings.fail_on_for(given)

    @staticmethod
    def linter(options: Options) -> Linter:
        """The (shared, cached) linter for ``options``."""
        return get_linter(options)

    def check(self, text: str, *, path: str | None = None, source: str | None = None,
              **given: Any) -> list[Finding]:
        """Findings for ``text`` under the options resolved for ``path`` and ``given``."""
        options = self.options_for(path, given, where="the arguments")
        return get_linter(options).check(document(text, options, path=path, source=source))

    def fix(self, text: str, *, path: str | None = None, source: str | None = None,
            unsafe: bool = False, **given: Any) -> FixResult:
        """Fixes for ``text`` (safe ones, and unsafe ones with ``unsafe``); see :meth:`check`."""
        from .fixer import fix_document

        options = self.options_for(path, given, where="the arguments")
        return fix_document(get_linter(options), document(text, options, path=path, source=source),
                            unsafe=unsafe)


def _pairs(value: Any) -> Iterable[tuple[Any, Any]]:
    """``(key, value)`` pairs of a mapping or of a sequence of pairs."""
    return value.items() if isinstance(value, Mapping) else value


def document(text: str, options: Options, *, path: str | None = None,
             source: str | None = None) -> Document:
    """The document a text is checked as under ``options`` (``path`` is only a label)."""
    label: dict[str, Any] = {"path": path} if path is not None else {}
    return Document(text, **label, lang=options.lang,
                    style=options.style, source_lang=options.source_lang, source=source)


# -- options from callers (functions, requests, Dask) ------------------------------------------

@functools.lru_cache(maxsize=16)
def checker_for(config: str | bool | None) -> Checker:
    """The process's checker for a ``config=`` choice: a path, :data:`DISCOVER`, or None."""
    if config is None or config is False:
        return Checker()
    if config is True:
        return Checker(discover=True)
    return Checker(config=config)


def resolve_options(given: Mapping[str, Any], *, config: str | os.PathLike[str] | bool | None = None,
                    path: str | os.PathLike[str] | None = None,
                    where: str = "the arguments") -> Options:
    """:class:`Options` from options a caller gave (some of :data:`OPTION_KEYS`), validated.

    ``config`` is a configuration file, :data:`DISCOVER` (``True``: the nearest
    one walking up from ``path``, or from the current directory), or None (no
    configuration: defaults < ``given``). ``select``/``ignore`` may be one
    comma-separated string, as on the command line; ``severity`` and
    ``reject`` mappings; the rest as in a configuration file. Equal calls are
    resolved (and validated) once. Raises :class:`~normalize.errors.UsageError`
    with the configuration's message for a bad value.
    """
    unknown = sorted(set(given) - set(OPTION_KEYS))
    if unknown:
        raise TypeError(f"unknown options {unknown} (expected some of {list(OPTION_KEYS)})")
    config_key = os.fspath(config) if isinstance(config, os.PathLike) else config
    if config_key is None or config_key is False:
        path = None   # only configurations look at paths
    frozen = tuple((k, _freeze(k, v)) for k, v in given.items() if v is not None)
    where_path = None if path is None else os.fspath(path)
    try:
        hash(frozen)
        # Long term lists (a desk request may send 200 kB of them) are not kept in the cache:
        # 256 of them would hold tens of MB for as long as the process lives.
        cacheable = _chars(frozen) <= _MAX_CACHED_CHARS
    except TypeError:  # an unhashable oddity (a list in a list): refused without the cache
        cacheable = False
    if not cacheable:
        return checker_for(config_key).options_for(
            where_path, {k: _thaw(v) for k, v in frozen}, where=where)
    return _resolve(config_key, where_path, frozen, where)


#: Characters of option values above which a resolution is not cached.
_MAX_CACHED_CHARS = 8192


def _chars(value: Any) -> int:
    """Roughly how many characters an option value holds (strings counted, others as 1)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, tuple):   # frozen sequences and mappings, and their items
        return sum(_chars(part) for part in value)
    return 1


@functools.lru_cache(maxsize=256)
def _resolve(config: str | bool | None, path: str | None, frozen: tuple[tuple[str, Any], ...],
             where: str) -> Options:
    return checker_for(config).options_for(path, {k: _thaw(v) for k, v in frozen}, where=where)


class _Map(tuple):
    """A frozen mapping (its items), told apart from a frozen sequence."""


class _Seq(tuple):
    """A frozen sequence."""


def _freeze(key: str, value: Any) -> Any:
    """A hashable stand-in for an option value (thawed back by :func:`_thaw`)."""
    if key in ("select", "ignore") and isinstance(value, str):
        # One comma-separated string, as --select takes it.
        return _Seq(v.strip() for v in value.split(",") if v.strip())
    if isinstance(value, Mapping):
        return _Map((k, str(v) if isinstance(v, Severity) else v) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return _Seq(value)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, _Map):
        return dict(value)
    if isinstance(value, _Seq):
        return list(value)
    return value


def as_options(options: Options | Mapping[str, Any]) -> Options:
    """``options`` as :class:`Options`: given as they are, or resolved from a mapping of
    :data:`OPTION_KEYS` (plus ``config``, as for :func:`resolve_options`)."""
    if isinstance(options, Options):
        return options
    given = dict(options)
    config = given.pop("config", None)
    return resolve_options(given, config=config)


# -- results as JSON ------------------------------------------------------------------------

def file_result(path: str, options: Options, findings: list[Finding], *, error: str | None = None,
                fixed: int = 0) -> FileResult:
    """One text's result as every report shows it (its language and resolved style name)."""
    from .results import FileResult

    return FileResult(path, options.lang, get_linter(options).style.name, findings=findings,
                      error=error, fixed=fixed)


def json_report(results: list[FileResult], summary: dict[str, Any] | None = None
                ) -> dict[str, Any]:
    """The ``--format json`` document: ``{"version", "files": [...], "summary"}``.

    ``summary`` is the run's (batch runs count as they go); without it the
    results are counted here (:func:`normalize.results.summarize`).
    """
    from . import __version__
    from .results import summarize

    return {"version": __version__, "files": [r.to_dict() for r in results],
            "summary": summarize(results) if summary is None else summary}


def fix_report(path: str, options: Options, result: FixResult) -> dict[str, Any]:
    """A fix of one text as JSON: the fixed text, the applied plan, and the findings
    that remain with their summary (counted as ``--format json`` counts them)."""
    from . import __version__
    from .results import summarize

    remaining = file_result(path, options, result.remaining, fixed=len(result.applied))
    return {
        "version": __version__,
        "path": path,
        "lang": remaining.lang,
        "style": remaining.style,
        "text": result.text,
        "changed": result.changed,
        "passes": result.passes,
        "converged": result.converged,
        "applied": [e.to_dict() for e in result.applied],
        "remaining": [f.to_dict() for f in result.remaining],
        "summary": summarize([remaining]),
    }
