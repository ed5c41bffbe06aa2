"""pair.inconsistent_source: two different source segments given the same translation.

The mirror of ``pair.inconsistent_translation`` (see it and
:mod:`normalize.consistency`): each later unit whose translation was already
given to a different source segment is reported, naming the first unit. Only
translations with a word to translate count (a shared "OK" or a figure is no
finding).
"""
from __future__ import annotations

from collections.abc import Iterator

from ...consistency import SOURCE_RULE
from ...findings import Category, Finding, Severity
from ...registry import Context, Rule, register
from .inconsistent_translation import _document


@register
class PairInconsistentSource(Rule):
    id = SOURCE_RULE
    category = Category.CONSISTENCY
    severity = Severity.INFO
    mqm = "Terminology/Inconsistent use of terminology"
    needs_source = True
    scope = "document"
    description = ("The same translation given elsewhere in the file or corpus to a different "
                   "source segment (names the first unit); case, spacing and punctuation aside.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        yield from _document(self, ctx)
