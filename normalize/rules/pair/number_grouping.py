"""pair.number_grouping: a figure of five digits or more copied from the source without the
thousands separators the translation's language writes.

MT copies "40000年前" as "40000 years ago" and "250000" as it stands; English
copy groups such figures ("40,000"). Only for target languages whose number
conventions (``corpora/rules/<lang>/numbers.yaml`` via ``analysis.numbers.locale``)
have "." as the decimal mark and "," as the one thousands separator (English),
where an ungrouped figure of five digits or more is plainly unidiomatic; and only
for a figure that the source has too (copied, or read from "25万"), standing alone: not part
of a code, a phone number, a reference ("No. 12345", "#40000", "ISO 14001") or a
range of codes. The fix (unsafe) puts the separators in.

Measured on human translations: 9.5 findings per 1,000 MQM zh-en reference
segments (human translators copy "40000" too), 1 per 1,000 ro-en post-edits;
on the MQM zh-en MT output it flags 52 segments, 0.90 of them annotated (mostly
with Minor punctuation errors: 0.42 have a Major one).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ...analysis.numbers import key, locale, numbers
from ...analysis.segments import segment_pairs
from ...findings import Category, Finding, FixSafety, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register

_FIGURE = LazyPattern(r"(?<![\w.,/#+:\u2011-])\d{5,}(?![\w/\u2011]|[.,:-]\d)")
_SOURCE_FIGURE = LazyPattern(r"\d+(?:[.,\u00a0\u202f\u2009 ]\d{3})*")
#: Words after which a figure is a code, not a quantity.
_CODE_BEFORE = LazyPattern(
    r"(?:\b(?:no|nr|num|number|code|id|iso|en|din|zip|postcode|tel|phone|fax|ref|art|article|"
    r"case|line|version|v|isbn|issn|doi|pmid|patent|serial|model|flight|route|bus|room|box|"
    r"account|order|invoice|ticket|item|sku|cve)\.?)\s*$",
    re.IGNORECASE)
#: An acronym right before the figure: "ISO 14001", "GB-50000".
_ACRONYM_BEFORE = LazyPattern(r"\b[A-Z]{2,}[- ]?$")


def _grouped(digits: str) -> str:
    return f"{int(digits):,}"


@register
class PairNumberGrouping(Rule):
    id = "pair.number_grouping"
    category = Category.NUMBER
    severity = Severity.WARNING
    fix = FixSafety.UNSAFE
    mqm = "Fluency/Punctuation"
    needs_source = True
    scope = "document"
    description = ("A figure of five digits or more copied from the source without the thousands "
                   "separators the translation's language uses (English \"40,000\").")

    def applies_to(self, ctx: Context) -> bool:
        if not super().applies_to(ctx):
            return False
        loc = locale(ctx.language.code)
        return loc is not None and loc.decimal == "." and loc.groups == frozenset({","})

    def check(self, ctx: Context) -> Iterator[Finding]:
        for pair in segment_pairs(ctx):
            if not any(c.isdigit() for c in pair.target):
                continue
            source_figures = {re.sub(r"\D", "", m.group()) for m in _SOURCE_FIGURE.finditer(pair.source)}
            source_values: set[float] | None = None
            for m in _FIGURE.finditer(pair.target):
                digits = m.group()
                if digits.startswith("0"):
                    continue
                if digits not in source_figures:
                    if source_values is None:  # "25万" is 250000 too
                        source_values = {v for n in numbers(pair.source, locale(ctx.source_lang))
                                         for v in n.values}
                    if key(int(digits)) not in source_values:
                        continue
                if _CODE_BEFORE.search(pair.target, 0, m.start()) or \
                        _ACRONYM_BEFORE.search(pair.target, 0, m.start()):
                    continue
                start = pair.start + m.start()
                yield self.finding(ctx, start, start + len(digits),
                                   f"'{digits}' is copied from the source without thousands separators; "
                                   f"write '{_grouped(digits)}'",
                                   replacement=_grouped(digits))
