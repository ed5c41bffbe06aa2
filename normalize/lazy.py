"""Per-object caching and deferred imports for code that runs once per document.

A check of a one-sentence record asks for a dozen analyses and properties, each
once: what Python's own helpers add to each such first access shows in corpora
of millions of records. :class:`cached_property` is :func:`functools.cached_property`
without the lock that Python 3.11 takes on every first access (3.12 dropped it);
:class:`Imports` imports a module on first use and keeps it, where a
function-level ``from .x import y`` costs ~1 µs at every call.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class cached_property(Generic[T]):  # (lower case: it stands in for the functools one)
    """A property computed on first access and stored in the instance's ``__dict__``
    (which then shadows it: later reads are plain attribute reads).

    Unlike :func:`functools.cached_property` on Python 3.11 it takes no lock: two
    threads reading it first at once may both compute it, and one result is kept. Use
    it for objects that one thread owns (a document's analyses), not shared singletons.
    """

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.attrname = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.attrname = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_property[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> T | cached_property[T]:
        if instance is None:
            return self
        value = instance.__dict__[self.attrname] = self.func(instance)
        return value


class Imports:
    """Modules imported when first read, then kept as attributes of this object.

    ``Imports(__package__, words=".words")``: ``imports.words`` imports ``.words``
    relative to the package on first read; later reads cost an attribute look-up.
    Modules are kept, not their attributes, so that what a test patches in a module
    is what the caller gets.
    """

    def __init__(self, package: str | None, **modules: str) -> None:
        self._package = package
        self._modules = modules

    def __getattr__(self, name: str) -> Any:  # only for names not yet resolved
        try:
            target = self._modules[name]
        except KeyError:
            raise AttributeError(name) from None
        module = importlib.import_module(target, self._package)
        setattr(self, name, module)
        return module
