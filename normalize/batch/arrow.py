"""pyarrow for the batch engine's Parquet reader and writer.

Imported through :func:`parquet` so that a process that reads Parquet first gets
Arrow's system allocator unless its environment chose one
(``ARROW_DEFAULT_MEMORY_POOL``): the default, mimalloc, keeps what each thread
freed for reuse, and reading 20 MB of text in batches of 4,096 rows peaked at
133 MB RSS with it against 85 MB with the system allocator (pyarrow 26, this
project's benchmark records), at the same speed. A process that imported pyarrow
before keeps the allocator it has.
"""
from __future__ import annotations

import os
from types import ModuleType


def parquet() -> ModuleType:
    """``pyarrow.parquet`` (raises ImportError without pyarrow)."""
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    import pyarrow.parquet as pq

    return pq
