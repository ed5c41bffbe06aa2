"""The code passes ``ruff check`` and ``mypy`` with the project's configuration (pyproject.toml).

Run through the test suite so that the README's one test command, and CI,
lint too. ruff and mypy are pinned in the ``test`` extra: ruff's default rule
set and mypy's inference change between releases.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ruff() -> list[str] | None:
    exe = Path(sys.executable).with_name("ruff")
    if exe.is_file():
        return [str(exe)]
    found = shutil.which("ruff")
    return [found] if found else None


def test_ruff_check_passes() -> None:
    ruff = _ruff()
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    proc = subprocess.run([*ruff, "check", "--output-format", "concise", "normalize", "scripts", "tests"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def test_mypy_passes() -> None:
    """``mypy`` over the package with ``[tool.mypy]`` (about 30 s from a cold cache).

    The cache lives in the environment mypy is installed in (a virtual
    environment's own directory; the system's temporary directory when that is
    read-only), never in the checkout: a clean clone stays clean, and a cache is
    not shared between mypy versions.
    """
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed (pip install -e '.[test]')")
    prefix = Path(sys.prefix)
    cache = (prefix if os.access(prefix, os.W_OK) else Path(tempfile.gettempdir())) / ".mypy_cache-mtnorm"
    proc = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(cache)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
