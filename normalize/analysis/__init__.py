"""Typed, lazily computed analyses of a document, shared by the rules.

``ctx.analysis`` (see :class:`~normalize.analysis.document.DocumentAnalysis`)
holds them; each lives in one module of this package and has one
implementation (a fast numpy path for large texts is checked against the
plain one by property tests).
"""
from __future__ import annotations

from .document import DocumentAnalysis

__all__ = ["DocumentAnalysis"]
