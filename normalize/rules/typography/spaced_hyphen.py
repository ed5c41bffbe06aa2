"""typography.spaced_hyphen: a spaced hyphen standing for a dash, a comma glued after a dash,
and a compound split before its hyphen ("high -rise").

German, French and Russian set a spaced en dash ( – ) where English news sets
an em dash; machine translation and keyboards leave a hyphen ( - ). The
spaced hyphen is judged when the source language is known (human English
copy translated from German writes it too, by house habit); a comma right
after a dash (``-,`` ``—,``) is French order and is always reported. Where the
source segment is at hand and written in Chinese, Japanese or Korean, ``pair.dash``
judges a spaced hyphen against the source's own dashes instead.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...analysis.segments import cjk_share, segment_at
from ...findings import Category, Finding, FixSafety, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register
from ._typo import typography

# Between two words (or a word and a quote/bracket): not list bullets, minus signs or ranges.
_SPACED = LazyPattern(r" (?<=\w )- (?=[\"“«(]?[^\W_])")
_DASH_COMMA = LazyPattern(r"[-–—],(?=\s)")
#: A compound split before its hyphen ("high -rise", "pro -Russian"): lower-case or a
#: capital after, a letter before, and no space after the hyphen.
#: ("believes -he" is a French inverted pronoun: garble.source_word_order's.)
_SPLIT_COMPOUND = LazyPattern(r" -(?<=[^\W\d_] -)(?!(?:t-)?(?:he|she|it|they|we|you)\b)(?=[^\W\d_]{2,}\b)")


@register
class SpacedHyphen(Rule):
    id = "typography.spaced_hyphen"
    category = Category.TYPOGRAPHY
    scope = "document"  # the source segment of a line is read
    # In pieces: local. Each pattern reads a hyphen or comma and the characters beside it on
    # its line, and the source segment (a text checked with --source is read whole).
    severity = Severity.INFO
    fixes = frozenset({FixSafety.UNSAFE})
    mqm = "Fluency/Punctuation"
    languages = frozenset({"en"})
    description = ("A spaced hyphen used as a dash ( - ) when the source language is known, a comma "
                   "right after a dash (French order), and a compound split before its hyphen ('high -rise').")

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        if " -" not in text and "," not in text:
            return
        dash = typography(ctx).get("dash", " \u2014 ")
        name = ctx.language.name
        for m in _DASH_COMMA.finditer(text) if "-," in text or "\u2013," in text or "\u2014," in text else ():
            start = m.start() - 1 if m.start() and text[m.start() - 1] == " " else m.start()
            # a hyphen is a dash only when spaced ("post-, mid-war" suspends a compound)
            if not start or text[start - 1].isspace() or (m.group()[0] == "-" and start == m.start()):
                continue
            yield self.finding(
                ctx, start, m.end(),
                f"comma right after a dash: {name} sets no comma after a dash (a French or Russian order)",
                severity=Severity.WARNING)
        for m in _SPLIT_COMPOUND.finditer(text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            if not text[line_start:m.start()].strip():
                continue  # a list item at the start of a line
            yield self.finding(
                ctx, m.start(), m.end(),
                "space before the hyphen of a compound ('high -rise'): join it ('high-rise')",
                replacement="-", fix=FixSafety.UNSAFE, severity=Severity.WARNING)
        if not ctx.source_lang or ctx.source_lang.split("-")[0] == ctx.language.family:
            return
        for m in _SPACED.finditer(text) if " - " in text else ():
            if text[m.start() - 1].isdigit() or text[m.end()].isdigit():
                continue  # 2 - 3: a range, a score or a minus sign
            if ctx.source_text is not None and (pair := segment_at(ctx, m.start())) is not None \
                    and cjk_share(pair.source) >= 0.5:
                continue  # pair.dash's, with the source's dashes as evidence
            yield self.finding(
                ctx, m.start(), m.end(),
                f"spaced hyphen used as a dash; {name} news copy sets a dash ('{dash.strip()}')",
                replacement=dash, fix=FixSafety.UNSAFE)
