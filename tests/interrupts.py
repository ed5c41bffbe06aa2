"""Helpers for tests that interrupt a running ``mtnorm`` at a chosen moment.

Shared by ``tests/test_batch.py`` and ``tests/faults/test_faults_processes.py``
(importable from both: pytest puts ``tests/``, where the conftest is, on the path).
"""
from __future__ import annotations

import subprocess
import time
from pathlib import Path


def read_until(proc: subprocess.Popen, prefix: bytes, timeout: float = 120) -> None:
    """Read the run's stderr up to the first line starting with ``prefix``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        assert line, f"the run ended (exit {proc.wait()}) before writing {prefix!r}"
        if line.startswith(prefix):
            return
    raise AssertionError(f"no {prefix!r} line within {timeout} s")


def wait_blocked(proc: subprocess.Popen, timeout: float = 60) -> None:
    """Wait until the run sits in a write to its full stderr pipe.

    A signal then interrupts that write, not some cleanup code of Python's
    (a ``__del__``) that would swallow the KeyboardInterrupt.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            where = Path(f"/proc/{proc.pid}/wchan").read_text()
            state = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return  # no /proc: the full pipe holds it all the same
        if "pipe_w" in where or (state == "S" and where == "0"):  # "0": the kernel does not say
            return
        time.sleep(0.01)
    raise AssertionError(f"the run did not block on its stderr within {timeout} s")
