"""The cache of derived data (gazetteer indexes, lookup tables, word lists) in one place.

Everything here can be rebuilt from what ships in the wheel, so a cache that
cannot be written (read-only home, full disk) is never an error: the data is
built again next time. Writes go to a temporary file beside the target and
are renamed into place, so a reader never sees half a file.
"""
from __future__ import annotations

import contextlib
import marshal
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    """Where derived indexes live: $MTNORM_CACHE_DIR, else $XDG_CACHE_HOME/mtnorm or ~/.cache/mtnorm."""
    if os.environ.get("MTNORM_CACHE_DIR"):
        return Path(os.environ["MTNORM_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "mtnorm"


def store(path: Path, write: Callable[[Path], None]) -> bool:
    """Have ``write`` fill a temporary file beside ``path``, then rename it into place.

    The temporary name keeps ``path``'s suffix (numpy's ``savez`` appends ``.npz``
    otherwise). Returns whether the cache was written; an unwritable cache is
    not an error, and no temporary file is left behind.
    """
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp{path.suffix}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(tmp)
        os.replace(tmp, path)
        return True
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False


def store_bytes(path: Path, data: bytes) -> bool:
    """:func:`store` of a ready byte string."""
    return store(path, lambda tmp: tmp.write_bytes(data))


def load_marshal(path: Path) -> Any | None:
    """The value marshalled at ``path``, or None when it is missing or unreadable."""
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def store_marshal(path: Path, value: Any) -> bool:
    """Marshal ``value`` to ``path`` (plain containers of str/int/float/bytes only)."""
    return store_bytes(path, marshal.dumps(value))
