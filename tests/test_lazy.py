"""normalize.lazy: the lock-free cached_property and the deferred imports that the
analyses of every document go through."""
from __future__ import annotations

import sys
import threading

import pytest

from normalize.lazy import Imports, cached_property


class _Counted:
    def __init__(self) -> None:
        self.calls = 0

    @cached_property
    def value(self) -> list[int]:
        """The docstring is kept."""
        self.calls += 1
        return [self.calls]


def test_cached_property_computes_once_per_instance():
    a, b = _Counted(), _Counted()
    first = a.value
    assert a.value is first and a.calls == 1
    assert "value" in a.__dict__  # stored where later reads find it before the descriptor
    assert b.value == [1] and b.value is not first


def test_cached_property_can_be_dropped_and_recomputed():
    a = _Counted()
    assert a.value == [1]
    del a.__dict__["value"]  # what DocumentAnalysis.adopt and the context's check do
    assert a.value == [2]


def test_cached_property_on_the_class_is_the_descriptor():
    descriptor = _Counted.value
    assert isinstance(descriptor, cached_property)
    assert descriptor.__doc__ == "The docstring is kept."
    assert descriptor.attrname == "value"


def test_cached_property_takes_no_lock():
    """Python 3.11's functools.cached_property serialises the first access of every
    instance through one lock per property; this one must not (each document's analyses
    belong to one thread, and the desk checks in several)."""
    started = threading.Event()
    release = threading.Event()

    class Slow:
        def __init__(self, wait: bool) -> None:
            self.wait = wait

        @cached_property
        def value(self) -> int:
            if self.wait:
                started.set()
                assert release.wait(10)
            return 1

    blocked = threading.Thread(target=lambda: Slow(True).value)
    blocked.start()
    try:
        assert started.wait(10)
        # Another instance is not held up by the computation in progress on the first.
        done = threading.Event()
        other = threading.Thread(target=lambda: (Slow(False).value, done.set()))
        other.start()
        assert done.wait(2)
    finally:
        release.set()
        blocked.join(10)
        other.join(10)


def test_imports_resolve_on_first_read_and_keep_the_module():
    imports = Imports("normalize.analysis", words=".words", pieces="..pieces")
    assert "words" not in vars(imports)
    words = imports.words
    assert words is sys.modules["normalize.analysis.words"]
    assert vars(imports)["words"] is words  # kept: the next read is an attribute read
    assert imports.pieces is sys.modules["normalize.pieces"]


def test_imports_see_what_a_test_patches_in_the_module(monkeypatch: pytest.MonkeyPatch):
    imports = Imports("normalize.analysis", words=".words")
    monkeypatch.setattr(imports.words, "WordSpans", "patched")
    assert imports.words.WordSpans == "patched"


def test_imports_of_an_unknown_name_is_an_attribute_error():
    imports = Imports("normalize.analysis", words=".words")
    with pytest.raises(AttributeError):
        imports.nothing  # noqa: B018
    assert not hasattr(imports, "sentences")
