"""pair.inconsistent_translation: one source segment translated two different ways.

Within a document with its source (``--source FILE``, ``normalize.check(text,
source=...)``) the aligned lines are compared; across the units and records of
a run (XLIFF, TMX, PO, JSONL/TSV/Parquet with ``--source-field``) the batch
engine's corpus pass compares every unit with the earlier ones, in input order,
whatever ``--jobs`` (:mod:`normalize.consistency`, which says how segments are
compared and how memory is bounded). Each later unit whose translation differs
from the first one is reported, naming that first unit.

Severity ``info``: human translators vary too (0.30 findings per 1,000 human
segments of WMT22, MQM TED and MLQE-PE, all greetings rendered two ways; and
a memory holding two independent references of each source, WMT22 A and B,
has one for nearly every segment). The message says "quite differently" when
the two translations share almost nothing (``data.likeness`` below 0.25).
"""
from __future__ import annotations

from collections.abc import Iterator

from ...consistency import TRANSLATION_RULE, rule_findings
from ...findings import Category, Finding, Severity
from ...registry import Context, Rule, register


@register
class PairInconsistentTranslation(Rule):
    id = TRANSLATION_RULE
    category = Category.CONSISTENCY
    severity = Severity.INFO
    mqm = "Terminology/Inconsistent use of terminology"
    needs_source = True
    scope = "document"
    description = ("The same source segment translated differently elsewhere in the file or "
                   "corpus (names the first unit); case, spacing and punctuation aside.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        yield from rule_findings(self, ctx)

