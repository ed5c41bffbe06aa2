"""Re-export of :mod:`normalize.analysis.given_names` for ``rules/pair/names.py``.

The given-name lexicon moved to the analysis layer (the gender, toponym and
name analyses read it); drop this module once ``rules/pair/names.py`` imports
``normalize.analysis.given_names``.
"""
from __future__ import annotations

from ...analysis.given_names import given_name_gender, name_key

__all__ = ["given_name_gender", "name_key"]
