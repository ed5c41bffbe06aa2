"""The documented JSON document: ``{"version", "files": [...], "summary"}``."""
from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..results import FileResult
from .base import Formatter


class JsonFormatter(Formatter):
    def finish(self, results: list[FileResult], summary: dict[str, Any]) -> None:
        doc = {"version": __version__, "files": [r.to_dict() for r in results], "summary": summary}
        json.dump(doc, self.stream, ensure_ascii=False, indent=2)
        self.stream.write("\n")
