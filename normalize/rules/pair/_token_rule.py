"""The shared check of the placeholder, markup and link rules: tokens kept exactly."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import ClassVar

from ...analysis.segments import segment_pairs
from ...findings import Finding, FixSafety, Severity
from ...registry import Context, Rule
from ._tokens import PATTERNS, TRIGGERS, compare


class TokenRule(Rule):
    """Tokens of one group (``placeholder``, ``markup``, ``link``) that the translation
    drops, adds or alters. Subclasses set :attr:`group` and the fix safety of an
    unambiguous repair (:attr:`repair`)."""

    group: ClassVar[str]
    repair: ClassVar[FixSafety] = FixSafety.SAFE
    #: Kinds reported as information only (a hashtag may be translated on purpose).
    soft_kinds: ClassVar[frozenset[str]] = frozenset()
    needs_source = True
    scope = "document"

    def check(self, ctx: Context) -> Iterator[Finding]:
        chars = {c for kind, (group, _) in PATTERNS.items() if group == self.group for c in TRIGGERS[kind]}
        for pair in segment_pairs(ctx):
            if not any(c in pair.source or c in pair.target for c in chars):
                continue
            diffs = compare(pair.source, pair.target, self.group)
            if not diffs:
                continue
            # Source tokens missing from the target (not altered), and target tokens the
            # source lacks.
            plain_missing = [d.source for d in diffs if d.target is None and d.span is None and d.source]
            added = [d.target for d in diffs if d.source is None and d.target]
            # One token of a kind missing and one of that kind added: the added one is
            # the missing one altered ("{nom}" for "{name}"), and the repair is clear.
            kinds_missing = Counter(t.kind for t in plain_missing)
            kinds_added = Counter(t.kind for t in added)
            swapped = {k for k in kinds_missing if kinds_missing[k] == 1 and kinds_added[k] == 1}
            for d in diffs:
                src, tgt = d.source, d.target
                if d.span is not None:
                    assert src is not None  # an altered token is the source's
                    s, e = d.span
                    yield self._report(ctx, pair.start + s, pair.start + e, src.kind,
                                       f"'{pair.target[s:e]}' is the source's '{src.text}' altered; "
                                       "keep it exactly", src.text)
                elif tgt is None:
                    # Of a swapped kind: reported at the altered token below; else reported
                    # together below, one finding per segment.
                    continue
                elif tgt.kind in swapped:
                    orig = next(m for m in plain_missing if m.kind == tgt.kind)
                    yield self._report(ctx, pair.start + tgt.start, pair.start + tgt.end,
                                       tgt.kind, f"'{tgt.text}' stands where the source has "
                                       f"'{orig.text}'; keep it exactly", orig.text)
                else:
                    yield self._report(ctx, pair.start + tgt.start, pair.start + tgt.end,
                                       tgt.kind, f"'{tgt.text}' is not in the source segment", None)
            lost = [t for t in plain_missing if t.kind not in swapped]
            if lost:
                listed = ", ".join(f"'{t.text}'" for t in lost)
                kind = lost[0].kind if all(t.kind in self.soft_kinds for t in lost) else ""
                yield self._report(ctx, pair.start, pair.end, kind,
                                   f"the source's {listed} {'is' if len(lost) == 1 else 'are'} "
                                   "missing from the translation", None)

    def _report(self, ctx: Context, start: int, end: int, kind: str, message: str,
                replacement: str | None) -> Finding:
        return self.finding(ctx, start, end, message, replacement=replacement,
                            fix=self.repair if replacement is not None else None,
                            severity=Severity.INFO if kind in self.soft_kinds else None,
                            data={"kind": kind})
