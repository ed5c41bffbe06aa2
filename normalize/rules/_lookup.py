"""Re-export of :mod:`normalize.analysis.lookup` for ``normalize/ruletypes/pattern.py``.

Word look-ups moved to the analysis layer; drop this module once
``ruletypes/pattern.py`` imports ``normalize.analysis.lookup``.
"""
from __future__ import annotations

from ..analysis.lookup import pair_hits, word_hits, word_indices

__all__ = ["pair_hits", "word_hits", "word_indices"]
