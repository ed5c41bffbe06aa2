"""Re-export of :mod:`normalize.analysis.numbers` for ``rules/pair/number_grouping.py``
and ``tests/test_pair_rules.py``.

Reading numbers moved to the analysis layer; drop this module once those two
import ``normalize.analysis.numbers``.
"""
from __future__ import annotations

from ...analysis.numbers import han_value, key, locale, numbers

__all__ = ["han_value", "key", "locale", "numbers"]
