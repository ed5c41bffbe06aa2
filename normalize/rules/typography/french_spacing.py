"""typography.french_spacing: no-break spaces before ; : ! ? and inside « » in French."""
from __future__ import annotations

from collections.abc import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register

NBSP = "\u00a0"
NNBSP = "\u202f"
# The punctuation must end a word (followed by space or end), so URLs,
# times (12:30) and ratios are left alone.
_BEFORE = LazyPattern(r"(?<=[\w»)\]%\u2026.'\"’”])(?P<space>[ \t]?)(?P<punct>[;:!?]+)(?=[\s»)]|$)")
_GUILLEMETS = LazyPattern(r"«(?P<after>[ \t]?)(?=\S)|(?<=\S)(?P<before>[ \t]?)»")


@register
class FrenchSpacing(Rule):
    id = "typography.french_spacing"
    category = Category.TYPOGRAPHY
    scope = "line"
    severity = Severity.INFO
    fix = FixSafety.SAFE
    mqm = "Locale convention/Punctuation"
    languages = frozenset({"fr"})
    description = "French puts a no-break space before ; : ! ? and inside « »."

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        for m in _BEFORE.finditer(text):
            punct = m.group("punct")
            space = NBSP if punct[0] == ":" else NNBSP
            yield self.finding(
                ctx, m.start(), m.end(),
                f"French puts a no-break space before '{punct}'",
                replacement=space + punct)
        for m in _GUILLEMETS.finditer(text):
            if m.group()[0] == "«":
                yield self.finding(ctx, m.start(), m.end(),
                                   "French puts a no-break space after «", replacement="«" + NBSP)
            else:
                yield self.finding(ctx, m.start(), m.end(),
                                   "French puts a no-break space before »", replacement=NBSP + "»")
