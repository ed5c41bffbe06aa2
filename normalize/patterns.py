"""Regular expressions compiled on first use.

Neither ``re`` nor ``regex`` can keep a compiled pattern on disk, and compiling is
most of a rule's start-up (~70 ms of a cold ``mtnorm check`` of one article, for
patterns most articles never need: a rule whose literal trigger is absent never
runs its pattern). :class:`LazyPattern` stands in for a compiled pattern and
compiles it the first time a method or attribute is asked for, with ``re`` or with
the third-party ``regex`` module (whose import alone costs ~11 ms).
"""
from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import Any


class LazyPattern:
    """A compiled pattern's stand-in: ``re.compile(pattern, flags)`` on first use.

    Every attribute (``search``, ``finditer``, ``pattern``...) is the compiled
    pattern's, copied onto this object when first asked for, so later uses cost a
    plain attribute look-up. ``on_error`` turns a compile error into the exception
    to raise (a :class:`~normalize.errors.DataError` naming the data file), as an
    eager compile would have raised it at load time. ``engine`` is the module that
    compiles: ``"re"`` or ``"regex"``.
    """

    __slots__ = ("__dict__", "_compiled", "_engine", "_flags", "_on_error", "_source")

    def __init__(self, pattern: str, flags: int = 0,
                 on_error: Callable[[Exception], Exception] | None = None,
                 engine: str = "re") -> None:
        self._source = pattern
        self._flags = flags
        self._on_error = on_error
        self._engine = engine
        self._compiled: Any = None

    def compiled(self) -> Any:
        """The compiled pattern (compiling it now if it is the first use)."""
        if self._compiled is None:
            module = re if self._engine == "re" else importlib.import_module(self._engine)
            try:
                self._compiled = module.compile(self._source, self._flags)
            except module.error as exc:
                if self._on_error is None:
                    raise
                raise self._on_error(exc) from None
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        # Only reached for names not yet on the object: keep the compiled pattern's.
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(self.compiled(), name)
        self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        return f"LazyPattern({self._source!r}, {self._flags!r}, engine={self._engine!r})"
