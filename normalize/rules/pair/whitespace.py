"""pair.whitespace: leading or trailing whitespace that differs from the source's, and
doubled spaces the translation adds.

In software strings a leading or trailing space is part of the message ("Name: "
is followed by a value), so the translation keeps the source's: the fix copies
it (removing is safe; adding the source's is unsafe, as a sloppy source may have
a stray trailing space). A run of spaces inside the translation where the source has none is an
artefact; the fix leaves one space.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...analysis.segments import segment_pairs
from ...findings import Category, Finding, FixSafety, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register

_INNER_RUN = LazyPattern(r"(?<=\S)[ \u00a0\u3000]{2,}(?=\S)")


def _lead(text: str) -> str:
    return text[:len(text) - len(text.lstrip())]


def _trail(text: str) -> str:
    return text[len(text.rstrip()):]


def _safety(wanted: str) -> FixSafety:
    """Removing whitespace the source does not have is safe; adding the source's
    (which may be a sloppy source's trailing space) only with --unsafe."""
    return FixSafety.UNSAFE if wanted else FixSafety.SAFE


@register
class PairWhitespace(Rule):
    id = "pair.whitespace"
    category = Category.TYPOGRAPHY
    severity = Severity.INFO
    fix = FixSafety.SAFE
    fixes = frozenset({FixSafety.SAFE, FixSafety.UNSAFE})
    mqm = "Fluency/Spelling"
    needs_source = True
    scope = "document"
    description = ("Leading or trailing whitespace that differs from the source segment's, "
                   "and runs of spaces the source does not have.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        for pair in segment_pairs(ctx):
            target, source = pair.target, pair.source
            if not target.strip() or not source.strip():
                continue
            lead_t, lead_s = _lead(target), _lead(source)
            if lead_t != lead_s:
                yield self.finding(
                    ctx, pair.start, pair.start + len(lead_t),
                    f"leading whitespace {lead_t!r} differs from the source's {lead_s!r}",
                    replacement=lead_s, fix=_safety(lead_s))
            trail_t, trail_s = _trail(target), _trail(source)
            if trail_t != trail_s:
                yield self.finding(
                    ctx, pair.end - len(trail_t), pair.end,
                    f"trailing whitespace {trail_t!r} differs from the source's {trail_s!r}",
                    replacement=trail_s, fix=_safety(trail_s))
            if "  " in target or "\u00a0 " in target or " \u00a0" in target or "\u3000" in target:
                if _INNER_RUN.search(source.strip()):
                    continue
                for m in _INNER_RUN.finditer(target):
                    yield self.finding(
                        ctx, pair.start + m.start(), pair.start + m.end(),
                        f"{m.end() - m.start()} spaces in a row where the source has none; use one",
                        replacement=" ")
