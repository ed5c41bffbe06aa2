"""typography.fullwidth_punctuation: Chinese and Japanese full-width punctuation (，。：！？)
left in copy written in a Latin or Cyrillic script."""
from __future__ import annotations

from collections.abc import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register

#: Each full-width mark and the mark of alphabetic scripts it stands for.
_MARKS = {"\uff0c": ",", "\u3001": ",", "\u3002": ".", "\uff1a": ":", "\uff1b": ";", "\uff01": "!",
          "\uff1f": "?", "\uff08": "(", "\uff09": ")"}
_OPENING = {"\uff08"}
_PATTERN = LazyPattern("[" + "".join(_MARKS) + "]")
# CJK letters: a full-width mark among them is the other script's own punctuation.
_CJK = LazyPattern(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@register
class FullwidthPunctuation(Rule):
    id = "typography.fullwidth_punctuation"
    category = Category.TYPOGRAPHY
    scope = "line"
    severity = Severity.WARNING
    fix = FixSafety.SAFE
    mqm = "Locale convention/Punctuation"
    languages = frozenset({"en", "fr", "de", "es", "it", "ru"})
    description = "Full-width punctuation (，。：！？) from a Chinese or Japanese source in alphabetic copy."

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        if not any(c in text for c in _MARKS):
            return
        for m in _PATTERN.finditer(text):
            i = m.start()
            near = text[max(0, i - 1):i + 2]
            if _CJK.search(near):
                continue  # a Chinese or Japanese quotation inside the copy keeps its marks
            mark = _MARKS[m.group()]
            after = text[i + 1:i + 2]
            # the full-width mark carries its own spacing: the ASCII one needs a space before a word
            space = " " if m.group() not in _OPENING and after.isalnum() else ""
            yield self.finding(ctx, i, i + 1,
                               f"full-width '{m.group()}' from a Chinese or Japanese source; "
                               f"{ctx.language.name} uses '{mark}'", replacement=mark + space)
