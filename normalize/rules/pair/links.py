"""pair.link: URLs, e-mail addresses, file paths, @handles and hashtags kept exactly.

A localised site may have its own URL, so an altered link is fixed only with
``--unsafe``; a hashtag may be translated on purpose, so hashtags and handles
are reported as information.
"""
from __future__ import annotations

from ...findings import Category, FixSafety, Severity
from ...registry import register
from ._token_rule import TokenRule


@register
class PairLink(TokenRule):
    id = "pair.link"
    group = "link"
    category = Category.DEBRIS
    severity = Severity.WARNING
    fix = FixSafety.UNSAFE
    repair = FixSafety.UNSAFE
    soft_kinds = frozenset({"hashtag", "handle"})
    mqm = "Accuracy/Mistranslation"
    description = ("URLs, e-mail addresses, file paths, @handles and hashtags of the source segment "
                   "that the translation drops, adds or alters.")
