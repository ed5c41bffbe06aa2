"""debris.pattern is a data rule now: ``corpora/rules/debris.pattern.yaml`` (type
``existence``) with the patterns in ``corpora/rules/<lang>/debris.yaml``.

This module keeps the compiled patterns reachable for ``debris.boilerplate``,
which skips lines that are debris already.
"""
from __future__ import annotations

import re
from typing import Any

from ...ruletypes.existence import MAX_LINE

#: Lines longer than this are prose, not a "Read more" link (debris.pattern's ``max_line``).
MAX_DEBRIS_LINE = MAX_LINE


def _compiled(lang: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, dict[str, dict[str, Any]]]:
    """debris.pattern's line and token alternations for ``lang``, and its entries by group."""
    from ...registry import get_rule
    from ...ruletypes.existence import compiled

    data = compiled(get_rule("debris.pattern"), lang)  # type: ignore[arg-type]
    return data.line, data.token, data.groups
