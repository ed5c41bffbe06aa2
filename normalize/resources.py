"""Access to the data that ships inside the package (``corpora/``, ``models/``).

Everything is read through :mod:`importlib.resources`, so it works the same
from a source checkout, an installed wheel or a zip.
"""
from __future__ import annotations

import functools
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import yaml

from .errors import DataError

try:  # libyaml is ~10x faster; the pure-Python loader is the fallback.
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader


def corpus(*parts: str) -> Traversable:
    """A path inside the bundled ``corpora/`` tree."""
    node = resources.files("normalize").joinpath("corpora")
    for part in parts:
        node = node.joinpath(part)
    return node


def models_dir(*parts: str) -> Traversable:
    """A path inside the bundled ``models/`` tree (the model registry)."""
    node = resources.files("normalize").joinpath("models")
    for part in parts:
        node = node.joinpath(part)
    return node


@functools.lru_cache(maxsize=256)
def load_yaml(*parts: str) -> Any:
    """Parse a bundled YAML file; ``None`` if it does not exist."""
    node = corpus(*parts)
    if not node.is_file():
        return None
    try:
        return yaml.load(node.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise DataError(f"corpora/{'/'.join(parts)}: {exc}") from None
