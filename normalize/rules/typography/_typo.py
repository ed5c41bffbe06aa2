"""Shared helper of the typography rules: per-language data (whether a text is tokenised
is the document analysis ``ctx.analysis.tokenised``)."""
from __future__ import annotations

from typing import Any

from ...registry import Context


def typography(ctx: Context) -> dict[str, Any]:
    """The language's ``corpora/rules/<lang>/typography.yaml`` (empty when it has none)."""
    return ctx.language.data("typography")
