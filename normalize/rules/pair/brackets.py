"""pair.brackets: round, square and curly brackets counted in the source and the translation.

Full-width and CJK lenticular brackets count as their ASCII kin (``（`` as ``(``,
``【`` and ``〔`` as ``[``), so a Chinese source compares with an English target.
A translation whose brackets of one kind do not close while the source's do is
a warning; a plain difference in how many pairs there are (a translator may
drop or add a parenthesis) is only information.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...analysis.segments import segment_pairs
from ...findings import Category, Finding, Severity
from ...registry import Context, Rule, register

#: Each bracket, mapped to (kind, +1 opens / -1 closes).
_MARKS = {
    "(": ("()", 1), ")": ("()", -1), "\uff08": ("()", 1), "\uff09": ("()", -1),
    "[": ("[]", 1), "]": ("[]", -1), "\uff3b": ("[]", 1), "\uff3d": ("[]", -1),
    "\u3010": ("[]", 1), "\u3011": ("[]", -1), "\u3014": ("[]", 1), "\u3015": ("[]", -1),
    "{": ("{}", 1), "}": ("{}", -1), "\uff5b": ("{}", 1), "\uff5d": ("{}", -1),
}


def bracket_counts(text: str) -> dict[str, tuple[int, int]]:
    """Per kind ("()", "[]", "{}"): (opening, closing) marks in ``text``.

    A closing round bracket after a list mark ("a)", "2)") at the start of the
    text is not counted: it has no opening partner in any language."""
    counts: dict[str, list[int]] = {}
    stripped = text.lstrip()
    skip = -1
    if len(stripped) >= 2 and stripped[1] in ")\uff09" and stripped[0].isalnum():
        skip = len(text) - len(stripped) + 1
    for i, ch in enumerate(text):
        mark = _MARKS.get(ch)
        if mark is None or i == skip:
            continue
        kind, step = mark
        pair = counts.setdefault(kind, [0, 0])
        pair[0 if step > 0 else 1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


@register
class PairBrackets(Rule):
    id = "pair.brackets"
    category = Category.GARBLE
    severity = Severity.WARNING
    mqm = "Fluency/Punctuation"
    needs_source = True
    scope = "document"
    description = ("Brackets ((), [], {}) of the source segment that the translation "
                   "leaves unclosed, or renders with a different number of pairs.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        for pair in segment_pairs(ctx):
            if not any(c in _MARKS for c in pair.source) and not any(c in _MARKS for c in pair.target):
                continue
            src = bracket_counts(pair.source)
            tgt = bracket_counts(pair.target)
            unpaired, fewer = [], []
            for kind in sorted(set(src) | set(tgt)):
                so, sc = src.get(kind, (0, 0))
                to, tc = tgt.get(kind, (0, 0))
                if (so, sc) == (to, tc) or so != sc:
                    continue  # the same, or the source's own do not pair up
                if to != tc:
                    unpaired.append(f"'{kind[0]}' and '{kind[1]}' do not pair up in the translation "
                                    f"({to} opening, {tc} closing) but do in the source")
                else:
                    fewer.append(f"the source has {so} pair(s) of '{kind}', the translation {to}")
            # One finding per segment (the linter keeps one per span and rule).
            if unpaired or fewer:
                yield self.finding(ctx, pair.start, pair.end, "; ".join(unpaired + fewer),
                                   severity=None if unpaired else Severity.INFO,
                                   data={"source": {k: list(v) for k, v in src.items()},
                                         "target": {k: list(v) for k, v in tgt.items()}})
