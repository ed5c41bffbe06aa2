"""Access to the data that ships inside the package (``corpora/``, ``models/``).

Everything is read through :mod:`importlib.resources`'s interface, so it works
the same from a source checkout, an installed wheel or a zip (where the package
is a plain folder, the files are the :class:`pathlib.Path` that
``importlib.resources.files`` would return, without importing it: ~4 ms of a
cold start, with the ``tempfile``, ``random`` and ``zipfile`` it imports).

Parsed YAML is kept in the cache directory as marshal files (a few times
faster to read back than parsing, and PyYAML itself is then not imported),
each stamped with the source's path, size and modification time: an edited
file is parsed again. Data that marshal cannot hold (a YAML date) is simply
parsed every time.
"""
from __future__ import annotations

import functools
import os
import stat
import zlib
from typing import TYPE_CHECKING, Any

from .errors import DataError

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

#: Format of the parsed-YAML cache files; bump if what load_yaml returns changes shape.
_YAML_CACHE_VERSION = 1


@functools.cache
def _package() -> Traversable:
    """The package's own files. Kept: ``importlib.resources.files`` finds the package's
    reader anew on each call (~0.1 ms, some 60 calls in a cold check)."""
    import sys
    from importlib.machinery import SourceFileLoader, SourcelessFileLoader

    spec = sys.modules["normalize"].__spec__
    if spec is not None and spec.origin and isinstance(spec.loader, (SourceFileLoader, SourcelessFileLoader)):
        # What importlib.resources.files returns for a package loaded from files (its
        # reader is importlib.readers.FileReader: the folder of the package's __init__).
        from pathlib import Path

        return Path(spec.origin).parent
    from importlib import resources

    return resources.files("normalize")


def corpus(*parts: str) -> Traversable:
    """A path inside the bundled ``corpora/`` tree."""
    node = _package().joinpath("corpora")
    for part in parts:
        node = node.joinpath(part)
    return node


def models_dir(*parts: str) -> Traversable:
    """A path inside the bundled ``models/`` tree (the model registry)."""
    node = _package().joinpath("models")
    for part in parts:
        node = node.joinpath(part)
    return node


def yaml_loader() -> Any:
    """PyYAML's safe loader: libyaml's (~10x faster) when PyYAML was built with it."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, where: str) -> Any:
    """Parse YAML text with the safe loader; a syntax error is a :class:`DataError` naming ``where``."""
    import yaml

    try:
        return yaml.load(text, Loader=yaml_loader())
    except yaml.YAMLError as exc:
        raise DataError(f"{where}: {exc}") from None


def parse_yaml_cached(text: str, where: str, file: str | None = None) -> Any:
    """:func:`parse_yaml` of ``text``, read back from a marshal copy in the cache when
    this very text (same length and CRC-32) was parsed before: PyYAML is then not
    imported (~13 ms) nor run. Each call returns new objects, as parsing does.

    ``file`` (default: ``where``) names the cache entry: the file's full path, so that
    files of the same name in two places do not take turns in one entry."""
    from .cache import parsed_copy

    return parsed_copy("yaml", "text", where, text, _YAML_CACHE_VERSION,
                       lambda: parse_yaml(text, where), file=file)


@functools.lru_cache(maxsize=256)
def load_yaml(*parts: str) -> Any:
    """Parse a bundled YAML file; ``None`` if it does not exist."""
    node = corpus(*parts)
    try:  # a plain file (source checkout, installed wheel): its stamp keys the cache
        st = os.stat(os.fspath(node))  # type: ignore[call-overload]
    except (OSError, TypeError):  # missing, or inside a zip
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        return None
    if st is None and not node.is_file():
        return None
    if st is None:
        return parse_yaml(node.read_text(encoding="utf-8"), f"corpora/{'/'.join(parts)}")
    from .cache import cache_dir, load_marshal, store_marshal

    where = str(node)
    key = (where, st.st_size, st.st_mtime_ns, _YAML_CACHE_VERSION)
    path = cache_dir() / "yaml" / f"{'__'.join(parts)}-{zlib.crc32(where.encode()):08x}.marshal"
    cached = load_marshal(path)
    if type(cached) is tuple and len(cached) == 2 and cached[0] == key:
        return cached[1]
    value = parse_yaml(node.read_text(encoding="utf-8"), f"corpora/{'/'.join(parts)}")
    try:
        store_marshal(path, (key, value))
    except ValueError:  # something marshal cannot hold (a date): parsed every time
        pass
    return value
