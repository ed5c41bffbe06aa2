"""terms.rejected is a data rule now: ``corpora/rules/terms.rejected.yaml`` (type
``substitution``, :mod:`normalize.ruletypes.substitution`), whose terms are the
configuration's ``reject`` table and the house style's ``reject`` list.

This module keeps the check of a configured term list, which the configuration
loader and the linter run before any text is read.
"""
from __future__ import annotations

from ...ruletypes.substitution import matcher


def validate_reject(reject: tuple[tuple[str, str | None], ...]) -> None:
    """Raise ``ValueError`` for a term list that cannot work: an empty term, or a
    replacement that is itself rejected (fixing it would never settle)."""
    for term, _replacement in reject:
        if not term.strip():
            raise ValueError("a rejected term is empty")
    pattern, _ = matcher(reject)
    for term, replacement in reject:
        hit = pattern.search(replacement) if replacement else None
        if hit:
            raise ValueError(f"the replacement {replacement!r} for {term!r} contains the rejected "
                             f"term {hit[0]!r}, so fixing it would never settle")
