"""mtnorm: find and fix machine-translation artefacts in news copy.

The public API is small: :func:`check` returns findings, :func:`fix` returns
the fixed text and the plan of edits. Heavy modules load on first use.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import _dataclass_code, _regex_code

# Before any of the package's dataclasses is made: their generated methods are
# compiled once and kept in the cache (~24 ms of a one-article check otherwise).
_dataclass_code.install()
# Before any pattern is compiled: the programs of the package's regular expressions
# are kept in the cache too (~25-40 ms of a one-article check otherwise).
_regex_code.install()

__version__ = "0.1.0"
__all__ = ["Category", "Finding", "FixSafety", "Severity", "__version__", "check", "fix"]

if TYPE_CHECKING:
    from .api import check, fix
    from .findings import Category, Finding, FixSafety, Severity

_LAZY = {"check": "api", "fix": "api", "Finding": "findings", "Severity": "findings",
         "Category": "findings", "FixSafety": "findings"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'normalize' has no attribute {name!r}")
