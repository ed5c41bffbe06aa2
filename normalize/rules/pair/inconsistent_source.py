"""pair.inconsistent_source: two different source segments given the same translation.

The mirror of ``pair.inconsistent_translation`` (see it and
:mod:`normalize.consistency`): each later unit whose translation was already
given to a different source segment is reported, naming the first unit. Only
translations with a word to translate count (a shared "OK" or a figure is no
finding).

Severity ``info`` for similar sources (a particle more, another word order:
one translation may well serve both), ``warning`` when the sources share
almost nothing (:func:`normalize.consistency.likeness` below 0.25, both of 20
characters or more): a translation attached to the wrong source. Measured on
13,305 human segments (WMT22, MQM TED, MLQE-PE): 1.50 findings per 1,000, of
which 0.38 warnings, all five in WMT22 zh-en reference B where a reference
sentence was attached to a neighbouring source.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...consistency import SOURCE_RULE, rule_findings
from ...findings import Category, Finding, Severity
from ...registry import Context, Rule, register


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
        yield from rule_findings(self, ctx)
