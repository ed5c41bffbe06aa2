"""The documented JSON document: ``{"version", "files": [...], "summary"}``."""
from __future__ import annotations

import json
from typing import Any

from ..checker import json_report
from ..results import FileResult
from .base import Formatter


class JsonFormatter(Formatter):
    def finish(self, results: list[FileResult], summary: dict[str, Any]) -> None:
        # The one serialiser of this document: the desk's /api/check answers it too.
        json.dump(json_report(results, summary), self.stream, ensure_ascii=False, indent=2)
        self.stream.write("\n")
