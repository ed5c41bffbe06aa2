"""Giving memory back to the system after large requests (glibc only; elsewhere no-ops).

A 2 MB story makes a check allocate ~100 MB of short-lived objects and a few
multi-megabyte strings. glibc keeps freed memory for reuse: its mmap threshold
grows with the largest block freed (so later big strings come from the heap,
which rarely shrinks), and free pages inside the heaps stay mapped. So after a
burst of large uploads the server would stay at its peak. The desk fixes the
threshold at start-up and trims the heaps whenever it falls idle.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys

_M_MMAP_THRESHOLD = -3
#: Lower (256 KiB) doubles a check's CPU time: it allocates and frees many blocks just
#: under 1 MiB, and each fresh mapping costs page faults.
_MMAP_THRESHOLD = 1024 * 1024


@functools.lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim  # noqa: B018 - glibc (musl has no malloc_trim)
        libc.mallopt  # noqa: B018
    except (OSError, AttributeError):
        return None
    return libc


def fix_mmap_threshold() -> bool:
    """Serve blocks of 1 MiB and more from mmap for good, so they go back when freed."""
    libc = _libc()
    return bool(libc and libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD))


def release_free_memory() -> bool:
    """Return the heaps' free pages to the system (a few ms). True if something was returned."""
    libc = _libc()
    return bool(libc and libc.malloc_trim(0))
