"""encoding.nfc: characters not in Unicode Normalization Form C (decomposed accents)."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...registry import Context, Rule, register
from .._text import common_affixes


@register
class NotNFC(Rule):
    id = "encoding.nfc"
    category = Category.ENCODING
    scope = "line"
    severity = Severity.INFO
    fix = FixSafety.SAFE
    mqm = "Fluency/Character encoding"
    description = "Text not in NFC: 'e' + combining accent instead of 'é' breaks search and matching."

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        if text.isascii() or unicodedata.is_normalized("NFC", text):  # ASCII is NFC; O(1) test
            return
        pos = 0
        for line in text.splitlines(keepends=True):
            if not unicodedata.is_normalized("NFC", line):
                fixed = unicodedata.normalize("NFC", line)
                prefix, suffix = common_affixes(line, fixed)
                yield self.finding(
                    ctx, pos + prefix, pos + len(line) - suffix,
                    "decomposed characters (not Unicode NFC); compose them",
                    replacement=fixed[prefix:len(fixed) - suffix])
            pos += len(line)
