"""Configuration files: ``mtnorm.toml`` or ``[tool.mtnorm]`` in ``pyproject.toml``.

The configuration of a file is found by walking up from it to the
filesystem root; in each directory ``mtnorm.toml`` wins over
``pyproject.toml``, and a ``pyproject.toml`` without a ``[tool.mtnorm]``
table does not count (the search goes on upwards).

Keys (all optional)::

    lang = "en"                 # language of the text
    style = "ap"                # house style
    source_lang = "fr"          # language translated from
    select = ["toponym", "debris.html"]   # rule ids, groups or categories
    ignore = ["typography.double_space"]
    fail_on = "warning"         # error | warning | info | never
    accept = ["Kiev"]           # never report a finding whose text is exactly this
    glossary = "terms.tbx"      # TBX, TSV or CSV, relative to this file (pair.glossary)
    [severity]                  # rule id, group, category or "all" -> error|warning|info
    "toponym.variant" = "error"
    [reject]                    # term -> replacement ("reject = [...]" for no replacement)
    utilize = "use"
    [[overrides]]               # per-path settings, applied in order
    paths = ["drafts/**", "*.md"]
    fail_on = "never"

Override ``paths`` are globs relative to the configuration file's directory,
matched against a file's whole relative path with the semantics of
:meth:`pathlib.PurePath.full_match` (Python 3.13; implemented here for 3.11):
``*`` and ``?`` never cross a ``/``, ``**`` matches any number of whole
segments (none included), matching is case-sensitive, and a pattern ending
in ``/`` means everything below that directory. In an override, values
replace the ones before, except ``severity``, ``accept`` and ``reject``,
which are merged into them.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError
from .globs import compile_glob
from .linter import Options

CONFIG_NAMES = ("mtnorm.toml", "pyproject.toml")
FAIL_ON = ("error", "warning", "info", "never")
SEVERITIES = ("error", "warning", "info")
#: The keys of a settings table (top level or one override).
KEYS = ("lang", "style", "source_lang", "select", "ignore", "fail_on", "severity", "accept",
        "reject", "glossary")
#: The keys that merge, rather than replace, in an override.
MERGED = ("severity", "accept", "reject")
#: The keys that are linter options (all but ``fail_on``, which decides an exit status):
#: what :func:`normalize.check`, :func:`normalize.fix` and the desk's requests take.
OPTION_KEYS = tuple(k for k in KEYS if k != "fail_on")


class ConfigError(UsageError):
    """A configuration file is unreadable or invalid (names the file and the key)."""


@dataclass(frozen=True)
class Settings:
    """The configuration resolved for one file. ``None`` (or empty) means "not set"."""

    lang: str | None = None
    style: str | None = None
    source_lang: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    fail_on: str | None = None
    severity: tuple[tuple[str, str], ...] = ()
    accept: tuple[str, ...] = ()
    reject: tuple[tuple[str, str | None], ...] = ()
    #: An absolute path (a configuration's relative path is resolved against its folder).
    glossary: str | None = None

    def options(self, cli: Mapping[str, Any] | None = None) -> Options:
        """Linter options: explicit CLI values win over the configuration.

        ``cli`` may hold ``lang``, ``style``, ``source_lang``, ``select``,
        ``ignore``, ``severity``, ``accept``, ``reject``, ``glossary`` (and ``fail_on``,
        which is not an option: see :meth:`fail_on_for`). A value of ``None``
        means "not given"; so does an empty ``select``/``ignore`` (what an
        ``append`` argument without any use gives).
        """
        given = _given(cli)
        select = given.get("select", self.select)
        ignore = given.get("ignore", self.ignore)
        severity = given.get("severity", self.severity)
        reject = given.get("reject", self.reject)
        if isinstance(severity, Mapping):
            severity = tuple(severity.items())
        if isinstance(reject, Mapping):
            reject = tuple(reject.items())
        return Options(lang=given.get("lang", self.lang) or "en",
                       style=given.get("style", self.style),
                       source_lang=given.get("source_lang", self.source_lang),
                       select=tuple(select or ()), ignore=tuple(ignore or ()),
                       severity=tuple(sorted((str(k), str(v)) for k, v in severity)),
                       accept=tuple(given.get("accept", self.accept)),
                       reject=tuple(sorted((str(k), None if v is None else str(v))
                                           for k, v in reject)),
                       glossary=given.get("glossary", self.glossary))

    def fail_on_for(self, cli: str | None = None) -> str:
        """The ``--fail-on`` level: the CLI's if given, else the configuration's, else ``error``."""
        return cli or self.fail_on or "error"


_CLI_KEYS = frozenset(KEYS)


def _given(cli: Mapping[str, Any] | None) -> dict[str, Any]:
    if not cli:
        return {}
    unknown = set(cli) - _CLI_KEYS
    if unknown:
        raise TypeError(f"unknown option keys {sorted(unknown)} (expected some of {sorted(KEYS)})")
    return {k: v for k, v in cli.items()
            if v is not None and not (k in ("select", "ignore") and len(v) == 0)}


@dataclass(frozen=True)
class Override:
    """One ``[[overrides]]`` entry: the globs it applies to and its (validated) values."""

    paths: tuple[str, ...]
    values: tuple[tuple[str, Any], ...]
    _patterns: tuple[re.Pattern[str], ...] = field(default=(), compare=False, repr=False)

    def matches(self, relative: str) -> bool:
        """Whether a posix path relative to the configuration directory is covered."""
        return any(p.fullmatch(relative) for p in self._patterns)


@dataclass(frozen=True)
class Config:
    """A loaded configuration file (or none: :meth:`empty`)."""

    path: Path | None
    base: tuple[tuple[str, Any], ...] = ()
    overrides: tuple[Override, ...] = ()

    @classmethod
    def empty(cls) -> Config:
        """No configuration: every setting unset."""
        return cls(path=None)

    @property
    def root(self) -> Path | None:
        """The directory override globs are relative to."""
        return None if self.path is None else self.path.parent

    def settings_for(self, file_path: str | os.PathLike[str]) -> Settings:
        """The settings for one input file: the top level, then each matching override.

        ``-`` and ``<stdin>`` (standard input), and files outside the
        configuration's directory, get the top-level settings only.
        """
        values: dict[str, Any] = {}
        _merge(values, dict(self.base))
        relative = self._relative(file_path) if self.overrides else None
        if relative is not None:
            for override in self.overrides:
                if override.matches(relative):
                    _merge(values, dict(override.values))
        return _settings(values)

    def _relative(self, file_path: str | os.PathLike[str]) -> str | None:
        if self.root is None or str(file_path) in ("-", "<stdin>"):
            return None
        path = Path(file_path)
        for candidate, root in ((Path(os.path.abspath(path)), self.root),
                                (path.resolve(), self.root.resolve())):
            try:
                return candidate.relative_to(root).as_posix()
            except ValueError:
                continue
        return None


def _merge(values: dict[str, Any], layer: dict[str, Any]) -> None:
    for key, value in layer.items():
        if key == "accept":
            values[key] = tuple(dict.fromkeys((*values.get(key, ()), *value)))
        elif key in MERGED:
            values[key] = {**values.get(key, {}), **value}
        else:
            values[key] = value


def _settings(values: dict[str, Any]) -> Settings:
    return Settings(
        lang=values.get("lang"), style=values.get("style"), source_lang=values.get("source_lang"),
        select=values.get("select"), ignore=values.get("ignore"), fail_on=values.get("fail_on"),
        severity=tuple(sorted(values.get("severity", {}).items())),
        accept=tuple(values.get("accept", ())),
        reject=tuple(sorted(values.get("reject", {}).items())),
        glossary=values.get("glossary"))


# --- finding and loading -------------------------------------------------------------------


def _has_mtnorm_table(pyproject: Path) -> bool:
    """Whether a pyproject.toml has ``[tool.mtnorm]`` (parsed only if it mentions mtnorm)."""
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False   # not ours to complain about unless it is about mtnorm
    if "mtnorm" not in text:
        return False
    tool = _parse(pyproject, text).get("tool")
    return isinstance(tool, dict) and "mtnorm" in tool


def find_config(start: str | os.PathLike[str]) -> Path | None:
    """The configuration file for ``start`` (a file or directory), or None.

    Walks up from ``start``'s directory to the filesystem root; in each
    directory ``mtnorm.toml`` wins over a ``pyproject.toml`` with a
    ``[tool.mtnorm]`` table.
    """
    path = Path(os.path.abspath(start))
    directory = path if path.is_dir() else path.parent
    for folder in (directory, *directory.parents):
        candidate = folder / "mtnorm.toml"
        if candidate.is_file():
            return candidate
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _has_mtnorm_table(candidate):
            return candidate
    return None


#: Format of the parsed-TOML cache files; bump if what _parse returns changes shape.
_TOML_CACHE_VERSION = 1


def _parse(path: Path, text: str) -> dict[str, Any]:
    """The TOML ``text`` of ``path``, parsed; read back from a marshal copy in the cache
    when this very text (same length and CRC-32) was parsed before. A check run in a
    project reads its ``pyproject.toml`` to see whether it has ``[tool.mtnorm]``: the
    copy spares importing :mod:`tomllib` (~4 ms) and parsing. A file that does not
    parse is never cached (its error is raised every time); one that marshal cannot
    hold (a TOML date) is parsed every time."""
    from .cache import parsed_copy

    return parsed_copy("toml", path.name, str(path), text, _TOML_CACHE_VERSION,
                       lambda: _parse_toml(path, text))


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11's message ends "(at line L, column C)"; put the line up front.
        message = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)$", message)
        if m:
            detail = message[:m.start()].rstrip()
            raise ConfigError(f"{path}:{m[1]}: invalid TOML: {detail} (column {m[2]})") from None
        raise ConfigError(f"{path}: invalid TOML: {message}") from None


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read and validate a ``mtnorm.toml`` or ``pyproject.toml`` (``[tool.mtnorm]``).

    Raises :class:`ConfigError` naming the file (and line or key) when it
    cannot be read, is not TOML, or has an unknown key or a wrong value.
    """
    path = Path(os.path.abspath(path))
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror or exc}") from None
    data = _parse(path, text)
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        table = tool.get("mtnorm") if isinstance(tool, dict) else None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: no [tool.mtnorm] table")
        section = "[tool.mtnorm]"
    else:
        table = data
        section = "the top level"
    checker = SettingsValidator(path)
    raw_overrides = table.get("overrides", [])
    base = checker.table({k: v for k, v in table.items() if k != "overrides"}, section,
                         allow=KEYS + ("overrides",))
    if not isinstance(raw_overrides, list) or not all(isinstance(o, dict) for o in raw_overrides):
        raise ConfigError(f"{path}: 'overrides' in {section} must be an array of tables "
                          "([[overrides]] or [[tool.mtnorm.overrides]])")
    prefix = "tool.mtnorm." if path.name == "pyproject.toml" else ""
    overrides = []
    for number, raw in enumerate(raw_overrides, 1):
        where = f"[[{prefix}overrides]] entry {number}"
        if "paths" not in raw:
            raise ConfigError(f"{path}: {where} has no 'paths' (a list of globs)")
        paths = checker.strings(raw["paths"], "paths", where)
        if not paths:
            raise ConfigError(f"{path}: key 'paths' in {where} is empty")
        values = checker.table({k: v for k, v in raw.items() if k != "paths"}, where,
                               allow=KEYS + ("paths",))
        patterns = tuple(_glob_pattern(p, path, where) for p in paths)
        overrides.append(Override(paths=tuple(paths), values=tuple(values.items()),
                                  _patterns=patterns))
        merged: dict[str, Any] = {}
        _merge(merged, base)
        _merge(merged, values)
        checker.reject_terms(merged.get("reject", {}), where)
    checker.reject_terms(base.get("reject", {}), section)
    return Config(path=path, base=tuple(base.items()), overrides=tuple(overrides))


_TYPE_NAMES = {str: "a string", int: "an integer", float: "a float", bool: "a boolean",
               list: "an array", dict: "a table"}


def _type_name(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


class SettingsValidator:
    """Validates settings tables, naming where each bad value came from.

    The one validation of options: configuration files (``origin`` is the
    file: "FILE: key 'k' in [table]: problem"), and the options of
    :func:`normalize.check`/:func:`normalize.fix` and of the desk's requests
    (``origin`` None: "key 'k' in the request: problem"), so the same bad value
    gets the same problem text whichever way it came in.
    """

    def __init__(self, origin: Path | str | None) -> None:
        self.path = origin

    def fail(self, key: str, where: str, problem: str) -> ConfigError:
        """The error for a bad value of ``key`` in table ``where``."""
        lead = f"{self.path}: " if self.path is not None else ""
        return ConfigError(f"{lead}key {key!r} in {where}: {problem}")

    def string(self, value: Any, key: str, where: str) -> str:
        if not isinstance(value, str):
            raise self.fail(key, where, f"expected a string, not {_type_name(value)}")
        return value

    def strings(self, value: Any, key: str, where: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, where, "expected an array of strings")
        return tuple(value)

    def selectors(self, value: Any, key: str, where: str) -> tuple[str, ...]:
        from .suppressions import is_known_selector

        names = self.strings(value, key, where)
        for name in names:
            if not is_known_selector(name):
                raise self.fail(key, where, f"unknown rule, group or category {name!r} "
                                            "(see 'mtnorm rules')")
        return names

    def table(self, raw: dict[str, Any], where: str, allow: tuple[str, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in allow:
                lead = f"{self.path}: " if self.path is not None else ""
                raise ConfigError(f"{lead}unknown key {key!r} in {where} "
                                  f"(known keys: {', '.join(allow)})")
            if key in ("lang", "style", "source_lang"):
                out[key] = self.string(value, key, where)
            elif key in ("select", "ignore"):
                out[key] = self.selectors(value, key, where)
            elif key == "fail_on":
                if value not in FAIL_ON:
                    raise self.fail(key, where, f"expected one of {', '.join(FAIL_ON)}, "
                                                f"not {value!r}")
                out[key] = value
            elif key == "severity":
                out[key] = self.severity(value, where)
            elif key == "accept":
                out[key] = self.strings(value, key, where)
            elif key == "reject":
                out[key] = self.reject(value, where)
            elif key == "glossary":
                out[key] = self.glossary(value, where)
        if "lang" in out:
            from .languages import get_language

            try:
                get_language(out["lang"])
            except UsageError as exc:
                raise self.fail("lang", where, str(exc)) from None
        if "style" in out:
            from .styles import DEFAULT, available_styles, is_style_name

            if not is_style_name(out["style"]):
                # Worded as load_style words it (what the CLI's --style says).
                raise self.fail("style", where, f"unknown style {out['style']!r} (available: "
                                                f"{DEFAULT}, {', '.join(available_styles())})")
        return out

    def glossary(self, value: Any, where: str) -> str:
        """A glossary path made absolute: a configuration file's is relative to its folder,
        a caller's to the current directory. The file itself is read when a linter is
        built (:func:`normalize.glossary.validate_glossary`: a missing or malformed
        file names its line)."""
        from .glossary import glossary_path

        if isinstance(value, os.PathLike):
            value = os.fspath(value)
        text = self.string(value, "glossary", where)
        if not text.strip():
            raise self.fail("glossary", where, "expected a file path, not an empty string")
        base = Path(self.path).parent if isinstance(self.path, Path) else None
        return glossary_path(text, base)

    def severity(self, value: Any, where: str) -> dict[str, str]:
        from .suppressions import is_known_selector

        if not isinstance(value, dict):
            raise self.fail("severity", where, f"expected a table, not {_type_name(value)}")
        for name, level in value.items():
            if not is_known_selector(name, pseudo=True):
                raise self.fail("severity", where, f"unknown rule, group or category {name!r} "
                                                   "(see 'mtnorm rules')")
            if level not in SEVERITIES:
                raise self.fail("severity", where, f"{name!r} must be one of "
                                                   f"{', '.join(SEVERITIES)}, not {level!r}")
        return dict(value)

    def reject(self, value: Any, where: str) -> dict[str, str | None]:
        if isinstance(value, list):
            terms = self.strings(value, "reject", where)
            return {term: None for term in terms}
        if isinstance(value, dict):
            for term, replacement in value.items():
                # None (no replacement) cannot come from TOML; it can from a call or a request.
                if replacement is not None and not isinstance(replacement, str):
                    raise self.fail("reject", where, f"the replacement for {term!r} must be a "
                                                     f"string, not {_type_name(replacement)}")
            return dict(value)
        raise self.fail("reject", where, "expected a table (term = replacement) or an array of "
                                         f"terms, not {_type_name(value)}")

    def reject_terms(self, reject: dict[str, str | None], where: str) -> None:
        if not reject:
            return
        from .rules.terms.rejected import validate_reject

        try:
            validate_reject(tuple(sorted(reject.items())))
        except ValueError as exc:
            raise self.fail("reject", where, str(exc)) from None


def validate_options(values: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Options given by a caller (a function's arguments, a request), checked as a
    configuration file's table is: the same types, names and messages
    ("key 'severity' in WHERE: unknown rule, group or category 'x' ...").

    ``select``/``ignore``/``accept`` are arrays of strings, ``severity`` a table
    of selector -> level, ``reject`` a table of term -> replacement or an array
    of terms. Returns the values as :meth:`Config.settings_for` keeps them.
    Raises :class:`ConfigError` (a :class:`UsageError`) for the first bad value.
    """
    validator = SettingsValidator(None)
    out = validator.table(dict(values), where, allow=OPTION_KEYS)
    validator.reject_terms(out.get("reject", {}), where)
    return out


def _glob_pattern(glob: str, path: Path, where: str) -> re.Pattern[str]:
    """A regex for a ``PurePath.full_match``-style glob (see :mod:`normalize.globs`)."""
    if glob.startswith("/") or re.match(r"[A-Za-z]:[\\/]", glob):
        raise ConfigError(f"{path}: key 'paths' in {where}: {glob!r} must be relative to the "
                          "configuration file's directory")
    try:
        return compile_glob(glob)
    except ValueError as exc:
        raise ConfigError(f"{path}: key 'paths' in {where}: {exc}") from None


class ConfigResolver:
    """The configuration of many input files, each directory searched and each file loaded once.

    With ``explicit`` (a ``--config FILE``), every input uses that file;
    with ``isolated`` (``--isolated``), none is used.
    """

    def __init__(self, explicit: str | os.PathLike[str] | None = None,
                 isolated: bool = False) -> None:
        self._explicit = load_config(explicit) if explicit is not None else None
        self._isolated = isolated
        self._by_dir: dict[Path, Config] = {}
        self._by_file: dict[Path, Config] = {}

    def config_for(self, file_path: str | os.PathLike[str]) -> Config:
        """The configuration for an input (``-`` looks from the current directory)."""
        if self._isolated:
            return Config.empty()
        if self._explicit is not None:
            return self._explicit
        start = Path.cwd() if str(file_path) in ("-", "<stdin>") else Path(os.path.abspath(file_path))
        directory = start if start.is_dir() else start.parent
        config = self._by_dir.get(directory)
        if config is None:
            found = find_config(directory)
            if found is None:
                config = Config.empty()
            else:
                config = self._by_file.get(found)
                if config is None:
                    config = self._by_file[found] = load_config(found)
            self._by_dir[directory] = config
        return config

    def settings_for(self, file_path: str | os.PathLike[str]) -> Settings:
        """The resolved settings for an input file."""
        return self.config_for(file_path).settings_for(file_path)
