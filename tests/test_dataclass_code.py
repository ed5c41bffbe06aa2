"""The cache of the methods dataclasses compile (normalize._dataclass_code)."""
from __future__ import annotations

import dataclasses
import sys
import types

import pytest

from normalize import _dataclass_code as dc


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """An empty cache in a directory of its own, and a module named ``normalize.*``."""
    monkeypatch.setenv("MTNORM_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(dc, "_codes", None)
    monkeypatch.setattr(dc, "_added", False)
    monkeypatch.setattr(dc, "_path", None)
    module = types.ModuleType("normalize._dataclass_code_test")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return module


def _make(module: types.ModuleType) -> type:
    namespace = {"__module__": module.__name__, "__annotations__": {"a": int, "b": str},
                 "b": "x", "__doc__": "A test class."}
    cls = type("Sample", (), namespace)
    return dataclasses.dataclass(frozen=True, order=True)(cls)


def test_dataclasses_call_the_cache():
    assert dataclasses.exec is dc._exec  # type: ignore[attr-defined]


def test_methods_behave_as_compiled_by_exec(fresh):
    cls = _make(fresh)
    assert dc._added and dc._codes  # compiled and kept
    first = cls(1)
    assert (first.a, first.b) == (1, "x")
    assert repr(first) == "Sample(a=1, b='x')"
    assert first == cls(1, "x") and first < cls(2) and hash(first) == hash(cls(1))
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.a = 2  # type: ignore[misc]
    # The same class made again takes every method from the cache, compiling nothing.
    kept = dict(dc._codes)
    again = _make(fresh)
    assert dc._codes == kept
    assert again.__init__.__code__.co_code == cls.__init__.__code__.co_code
    assert again.__init__.__annotations__ == cls.__init__.__annotations__


def test_compiled_as_exec_compiles(fresh):
    """Without this module's ``from __future__ import annotations``: the annotations
    of ``__init__`` are the fields' types, not the names dataclasses gives them."""
    cls = _make(fresh)
    assert cls.__init__.__annotations__ == {"a": int, "b": str, "return": None}
    assert cls.__init__.__code__.co_filename == "<string>"


def test_written_at_exit_and_read_back(fresh):
    _make(fresh)
    kept = dict(dc._codes)
    dc._save()
    assert dc._cache_path().is_file()
    assert dc._load().keys() == kept.keys()


def test_other_modules_are_left_to_exec(fresh):
    dataclasses.make_dataclass("Other", [("a", int)])
    assert dc._codes is None
