"""The compiled methods that :mod:`dataclasses` writes for mtnorm's classes, kept across runs.

On Python 3.11, ``@dataclass`` writes each method it adds (``__init__``,
``__repr__``, ``__eq__``, ``__hash__``, the frozen ``__setattr__`` ...) as
source text and compiles it with :func:`exec`: some 290 methods for the ~60
dataclasses a ``mtnorm check`` imports, ~24 ms of a ~150 ms run, every run.
The text depends only on a class's fields and options, and compiling the
same text gives the same code, so the code objects are kept in one marshal
file in the cache directory (marshal is how ``.pyc`` files hold code), keyed
by the text itself: a class whose fields change writes a new text, compiled
and added on its first run. What runs is unchanged: the cached code is
executed as the text would be, with the same globals and namespace.

:func:`install` makes :mod:`dataclasses` call :func:`_exec` in place of the
built-in (it looks ``exec`` up among its module globals first). Texts of
classes outside ``normalize`` are passed straight to the built-in; a Python
whose :mod:`dataclasses` no longer calls ``exec`` simply never calls this.
"""
from __future__ import annotations

import atexit
import builtins
import sys
from types import CodeType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

#: Cached texts kept at most; a cache that grows past this (texts of classes since
#: edited, over many versions) starts again.
_LIMIT = 4000

#: Text -> code, once read from the cache (None: not read yet).
_codes: dict[str, CodeType] | None = None
#: Whether this process compiled texts the cache does not hold (written at exit).
_added = False
#: The file read (and written back at exit, wherever the cache directory is by then).
_path: Path | None = None


def _cache_path() -> Path:
    from .cache import cache_dir

    # Code objects are specific to the interpreter's version (as .pyc files are).
    return cache_dir() / "dataclass-code" / f"{sys.implementation.cache_tag}-{sys.hexversion:x}.marshal"


def _load() -> dict[str, CodeType]:
    global _path
    from .cache import load_marshal

    _path = _cache_path()
    cached = load_marshal(_path)
    if type(cached) is not dict or not all(type(v) is CodeType for v in cached.values()):
        return {}
    return cached


def _save() -> None:
    from .cache import store_marshal

    if _added and _codes is not None and _path is not None:
        store_marshal(_path, _codes)


def _exec(source: Any, globals: dict[str, Any] | None = None, locals: Any = None) -> None:
    """:func:`exec` for :mod:`dataclasses`: the code of a ``normalize`` class's method
    text comes from the cache (compiled and added on a miss)."""
    global _codes, _added
    if type(source) is not str or not (globals or {}).get("__name__", "").startswith("normalize."):
        builtins.exec(source, globals, locals)  # noqa: S102  # what dataclasses would run
        return
    if _codes is None:
        _codes = _load()
        atexit.register(_save)
    code = _codes.get(source)
    if code is None:
        # As exec compiles a text: named "<string>", and without this module's
        # ``from __future__ import annotations`` (dataclasses has none).
        code = compile(source, "<string>", "exec", dont_inherit=True)
        if len(_codes) >= _LIMIT:
            _codes.clear()
        _codes[source] = code
        _added = True
    builtins.exec(code, globals, locals)  # noqa: S102  # dataclasses' own text, compiled


def install() -> None:
    """Have :mod:`dataclasses` compile the methods of ``normalize``'s classes through the cache."""
    import dataclasses

    dataclasses.exec = _exec  # type: ignore[attr-defined]
