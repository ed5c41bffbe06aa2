"""pair.markup: HTML/XML tags and character entities of the source, kept in the translation.

Tags are compared by name and form (``<b>``, ``</b>``, ``<br/>``); their
attributes may be translated (a ``title``), so they are not compared. An
altered tag is fixed when the repair is unambiguous.
"""
from __future__ import annotations

from ...findings import Category, FixSafety, Severity
from ...registry import register
from ._token_rule import TokenRule


@register
class PairMarkup(TokenRule):
    id = "pair.markup"
    group = "markup"
    category = Category.DEBRIS
    severity = Severity.WARNING
    fix = FixSafety.SAFE
    repair = FixSafety.SAFE
    mqm = "Design and markup/Markup tag"
    description = "HTML/XML tags and entities of the source segment that the translation drops, adds or alters."
