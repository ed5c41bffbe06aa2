"""Shared test configuration.

* ``--run-slow`` runs the tests marked ``slow`` (skipped by default).
* ``MTNORM_CACHE_DIR`` points at a per-session temporary directory, so no test
  (nor a subprocess it starts) writes the gazetteer index cache into the
  user's home.
* Helpers that tell whether the gazetteer and style data, built separately,
  are present.
"""
from __future__ import annotations

import os

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", default=False,
                     help="also run tests marked slow")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: long-running tests (skipped unless --run-slow)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip_slow = pytest.mark.skip(reason="slow test: give --run-slow to run it")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)


@pytest.fixture(scope="session", autouse=True)
def _mtnorm_cache_dir(tmp_path_factory: pytest.TempPathFactory):
    """Every test and subprocess of the session caches into a temporary directory."""
    cache = tmp_path_factory.mktemp("mtnorm-cache")
    old = os.environ.get("MTNORM_CACHE_DIR")
    os.environ["MTNORM_CACHE_DIR"] = str(cache)
    yield cache
    if old is None:
        os.environ.pop("MTNORM_CACHE_DIR", None)
    else:
        os.environ["MTNORM_CACHE_DIR"] = old


# -- data that is built separately (gazetteer, house styles) -------------------------------

GAZETTEER_FILES = ("names.tsv.gz", "places.tsv.gz")


def gazetteer_available() -> bool:
    """Whether the compiled gazetteer ships in ``corpora/gazetteer``."""
    from normalize.resources import corpus

    return all(corpus("gazetteer", name).is_file() for name in GAZETTEER_FILES)


def style_available(name: str) -> bool:
    from normalize.resources import corpus

    return corpus("styles", f"{name}.yaml").is_file()


@pytest.fixture
def needs_gazetteer() -> None:
    if not gazetteer_available():
        pytest.skip("gazetteer data (corpora/gazetteer/*.tsv.gz) is not built yet")
