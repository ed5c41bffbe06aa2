r"""pair.placeholder: printf, ICU/brace and $ variables, escapes and masks of the source, kept exactly.

``%s``, ``%1$d``, ``%(name)s``, ``{0}``, ``{name}``, ``{{name}}``, ``${name}`` and
``$name`` are filled in by a program, escaped control characters (``\n``) are
part of the string, and masks of anonymised data (``#NAME#``, ``#PRS_ORG#``)
stand for what was removed: a translation that drops, adds, renames or breaks
one ("% s", "{ name }", "# NAME #") breaks the program's output or the data. An altered
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
    description = ("printf (%s, %1$d), ICU/brace ({name}, {0}) and $ variables, escapes (\\n) and "
                   "masks (#NAME#) of the source segment that the translation drops, adds or alters.")
