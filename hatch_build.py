"""Hatchling build hook: ship prebuilt derived data in the wheel (``normalize/_prebuilt``).

A first run builds the gazetteer's catalogue and the exonym draft from ``corpora/``
(seconds); both are pure functions of that data, so the wheel build makes them once
(``python -m normalize._prebuild``, run from the source tree) and the package reads
them in place. An editable install gets them in the source tree's ``normalize/_prebuilt``
(git-ignored, replaced at each editable install; a copy whose data has changed since is
not read, and that data is built into the cache as in a checkout that has none).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class PrebuiltDataHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        self._work = Path(tempfile.mkdtemp(prefix="mtnorm-prebuilt-"))
        out = self._work / "files"
        env = {**os.environ, "MTNORM_CACHE_DIR": str(self._work / "cache"), "PYTHONDONTWRITEBYTECODE": "1",
               "PYTHONPATH": os.pathsep.join(p for p in (self.root, os.environ.get("PYTHONPATH")) if p)}
        # The builders are the package's own (from this source tree), run in a process of
        # their own: the hook's interpreter keeps no module of the package.
        # corpora/ is what the wheel ships as normalize/corpora (pyproject.toml's force-include).
        subprocess.run([sys.executable, "-m", "normalize._prebuild", str(out),
                        "--corpora", str(Path(self.root) / "corpora")], cwd=self.root, env=env, check=True)
        built = sorted(out.iterdir()) if out.is_dir() else []  # none without gazetteer data
        if version == "editable":
            # The package is imported from the source tree: the files go beside it.
            folder = Path(self.root) / "normalize" / "_prebuilt"
            folder.mkdir(exist_ok=True)
            for old in folder.iterdir():
                if old.name.startswith(("gazetteer-catalogue-", "exonyms-")):
                    old.unlink()
            for path in built:
                shutil.move(str(path), folder / path.name)
            return
        for path in built:
            build_data["force_include"][str(path)] = f"normalize/_prebuilt/{path.name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        work = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
