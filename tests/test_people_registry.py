"""The people registry read back from the cache (normalize.analysis.people.registry)."""
from __future__ import annotations

import pytest

from normalize.analysis import people


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    monkeypatch.setenv("MTNORM_CACHE_DIR", str(tmp_path))
    people.registry.cache_clear()
    yield tmp_path
    people.registry.cache_clear()


def test_read_back_equals_built(fresh, monkeypatch):
    built = people.registry()
    assert (fresh / "people" / "registry.marshal").is_file()
    assert built == people._build_registry()
    people.registry.cache_clear()
    monkeypatch.setattr(people, "_build_registry", lambda: pytest.fail("built again"))
    again = people.registry()
    assert again == built and again is not built
    # Entries of by_last name the very Person objects of the list, as when built.
    listed = {id(p) for p in again.people}
    assert all(id(p) in listed for entries in again.by_last.values() for p, _ in entries)
    assert len(again.people) > 50 and any(p.kinds["surname"] for p in again.people)


def test_an_edited_file_is_read_again(fresh, monkeypatch):
    people.registry()
    people.registry.cache_clear()
    monkeypatch.setattr(people, "_REGISTRY_CACHE_VERSION", people._REGISTRY_CACHE_VERSION + 1)
    calls = []
    build = people._build_registry
    monkeypatch.setattr(people, "_build_registry", lambda: calls.append(1) or build())
    people.registry()
    assert calls == [1]
