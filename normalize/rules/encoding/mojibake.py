"""encoding.mojibake: UTF-8 read as Windows-1252 or Latin-1 ("Ã©" for "é"), repaired by ftfy.

ftfy is the expensive step, so it only runs on lines where a cheap pattern
of mojibake signatures matches.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register
from .._scan import contains_any
from .._text import common_affixes, line_bounds

# A lead byte of a two/three-byte UTF-8 sequence decoded as cp1252/latin-1,
# followed by a continuation byte decoded the same way.
_CONT = "\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"
_LEADS = "".join(map(chr, [*range(0xC2, 0xE0), *range(0xE2, 0xF0)])) + "\ufffd"
_SIGNATURE = LazyPattern(f"[\u00c2-\u00df\u00e2-\u00ef][{_CONT}]|\ufffd")


@register
class Mojibake(Rule):
    id = "encoding.mojibake"
    category = Category.ENCODING
    scope = "line"
    severity = Severity.ERROR
    fix = FixSafety.SAFE
    mqm = "Fluency/Character encoding"
    description = "Text decoded with the wrong encoding; fixed with ftfy.fix_encoding."

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        # isascii() is O(1) in CPython, cheaper than 45 scans for the (non-ASCII) leads.
        if text.isascii() or not contains_any(text, _LEADS):
            return
        seen_line = -1
        for m in _SIGNATURE.finditer(text):
            line_start, line_end = line_bounds(text, m.start(), m.end())
            if line_start == seen_line:
                continue
            seen_line = line_start
            line = text[line_start:line_end]
            import ftfy  # imported here: most texts never need it

            fixed = ftfy.fix_encoding(line)
            if fixed == line:
                if m.group() == "\ufffd":
                    yield self.finding(ctx, m.start(), m.end(),
                                       "U+FFFD replacement character: a character was lost "
                                       "when the text was decoded; restore it from the source",
                                       severity=Severity.WARNING)
                continue
            prefix, suffix = common_affixes(line, fixed)
            start, end = line_start + prefix, line_end - suffix
            yield self.finding(
                ctx, start, end,
                f"mojibake (text decoded with the wrong encoding): "
                f"'{text[start:end]}' should read '{fixed[prefix:len(fixed) - suffix]}'",
                replacement=fixed[prefix:len(fixed) - suffix])
