"""typography.quote_punctuation: punctuation placed at a closing quote the source's way.

English sets the comma of an attribution inside the closing quote ("…,” he
said); French, German and Russian set it outside (« … », dit-il), and machine
translation keeps the source's order. A comma after a quote that already ends
in ! or ? (“…!”, he said) or a period and comma together (“…”., said) are the
same leak. The comma before an attribution is judged only when the source
language is known (``--source-lang``): without it the order says nothing about
a leak. Periods outside a quote are left alone: logical punctuation is a house
style of its own.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ...analysis.lookup import matches_at
from ...findings import Category, Finding, FixSafety, Severity
from ...registry import Context, Rule, register
from .._scan import find_all
from ._typo import typography

_CLOSE = "”\""


@functools.lru_cache(maxsize=4)
def _patterns(verbs: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    words = "|".join(re.escape(v) for v in sorted(verbs, key=len, reverse=True))
    # word" , then up to three words (he, the chancellor, -he) before an attribution verb
    # Led by the quote mark (a look-behind first would be tried at every position).
    outside = re.compile(r"(?P<q>[" + _CLOSE + r"])(?<=[\w)][" + _CLOSE + r"])(?P<p>,)(?=[ \t]+(?:[-\w’'.]+[ \t]+){0,3}?(?:"
                         + words + r")\b)", re.IGNORECASE)
    doubled = re.compile(r"(?P<end>[!?.])(?P<q>[" + _CLOSE + r"])(?P<p>,)|(?P<q2>[" + _CLOSE
                         + r"])(?<=[\w)][" + _CLOSE + r"])(?P<p2>\.,)")
    return outside, doubled


@register
class QuotePunctuation(Rule):
    id = "typography.quote_punctuation"
    category = Category.TYPOGRAPHY
    scope = "line"
    severity = Severity.WARNING
    fixes = frozenset({FixSafety.SAFE, FixSafety.UNSAFE})
    mqm = "Locale convention/Punctuation"
    languages = frozenset({"en"})
    description = ("Comma outside the closing quote before an attribution (\", he said\"), or doubled "
                   "after it (!\", .\"), where English sets it inside.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        data = typography(ctx)
        text = ctx.text
        if not data.get("punctuation_inside_quotes") or not any(q in text for q in _CLOSE):
            return
        outside, doubled = _patterns(tuple(data.get("attribution_verbs", ())))
        name = ctx.language.name
        # Every match holds a closing quote then a comma (a mark before the quote, or a
        # period between the two): the patterns are tried only at those few places, found
        # by str.find, not at every sentence's full stop.
        quote_comma = sorted(i for q in _CLOSE for i in find_all(text, q + ","))
        quote_period = sorted(i for q in _CLOSE for i in find_all(text, q + ".,"))
        starts = sorted([i - 1 for i in quote_comma if i] + quote_period)
        for m in matches_at(text, doubled, starts):
            if m.group("q"):
                q, end = m.group("q"), m.group("end")
                yield self.finding(
                    ctx, m.start("q"), m.end(),
                    f"comma after a quote that already ends in '{end}': {name} sets no second mark",
                    replacement=q, fix=FixSafety.SAFE)
            else:
                q = m.group("q2")
                yield self.finding(
                    ctx, m.start(), m.end(),
                    f"period and comma after the closing quote: {name} sets the comma inside (,{q})",
                    replacement="," + q, fix=FixSafety.UNSAFE)
        # Without a source language the order is no evidence of a leak: British and
        # translated human copy write it too (a tenth of one WMT22 reference's quotes).
        if not ctx.source_lang or ctx.source_lang.split("-")[0] == ctx.language.family:
            return
        for m in matches_at(text, outside, quote_comma):
            q = m.group("q")
            if text[m.start() - 1] in "!?.":
                continue  # reported above as a doubled mark
            yield self.finding(
                ctx, m.start(), m.end(),
                f"comma outside the closing quote before the attribution: {name} sets it inside "
                f"(…,{q} he said); outside is French, German or Russian order",
                replacement="," + q, fix=FixSafety.SAFE)
