"""pair.placeholder: printf, ICU/brace and $ variables of the source, kept exactly.

``%s``, ``%1$d``, ``%(name)s``, ``{0}``, ``{name}``, ``{{name}}``, ``${name}`` and
``$name`` are filled in by a program: a translation that drops, adds, renames
or breaks one ("% s", "{ name }") breaks the program's output. An altered
placeholder is fixed when the repair is unambiguous (the one missing variable
of its kind, or the same characters with spaces put in).
"""
from __future__ import annotations

from ...findings import Category, FixSafety, Severity
from ...registry import register
from ._token_rule import TokenRule


@register
class PairPlaceholder(TokenRule):
    id = "pair.placeholder"
    group = "placeholder"
    category = Category.DEBRIS
    severity = Severity.ERROR
    fix = FixSafety.SAFE
    repair = FixSafety.SAFE
    mqm = "Accuracy/Mistranslation"
    description = ("printf (%s, %1$d), ICU/brace ({name}, {0}) and $ variables of the source "
                   "segment that the translation drops, adds or alters.")
