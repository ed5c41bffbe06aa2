"""typography.paragraph_end: a paragraph of prose that ends in a semicolon.

Telegram-style sources end each item with ";" and machine translation keeps
it. (A comma at a line's end is left alone: corpora of one segment per line
split sentences there.) Lists keep their
punctuation: a line that starts with a list marker, follows or precedes one,
or is too short to be a sentence is left alone, and so is a paragraph whose
next one continues in lowercase.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...findings import Category, Finding, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register

_LIST_MARKER = LazyPattern(r"\s*(?:[-–—•*·▪►]|\d{1,3}[.)]|[a-zа-я][.)]|\([a-zа-я\d]{1,3}\))\s")
_MIN_WORDS = 8


@register
class ParagraphEnd(Rule):
    id = "typography.paragraph_end"
    category = Category.TYPOGRAPHY
    scope = "line"
    severity = Severity.INFO
    mqm = "Fluency/Punctuation"
    languages = frozenset({"en", "fr", "de", "es", "it", "ru"})
    description = "A paragraph of prose ending in ';' (a list's punctuation, kept from the source)."

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        if ";\n" not in text and not text.rstrip().endswith(";"):
            return
        lines = text.split("\n")
        paragraphs = [(i, line) for i, line in enumerate(lines) if line.strip()]
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line) + 1)
        for k, (i, line) in enumerate(paragraphs):
            body = line.rstrip()
            if not body.endswith(";") or len(body.split()) < _MIN_WORDS:
                continue
            prev_line = paragraphs[k - 1][1] if k else ""
            next_line = paragraphs[k + 1][1] if k + 1 < len(paragraphs) else ""
            if any(_LIST_MARKER.match(x) for x in (line, prev_line, next_line) if x):
                continue
            nxt = next_line.lstrip()[:1]
            if nxt and not nxt.isupper():
                continue  # the sentence goes on in the next paragraph (a stray line break)
            if body.endswith("(;"):
                continue  # a winking emoticon
            end = offsets[i] + len(body)
            yield self.finding(ctx, end - 1, end,
                               "a paragraph of prose ends in ';': end the sentence with a full stop "
                               "(';' ends the items of a list)")
