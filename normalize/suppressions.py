"""Inline suppressions: ``mtnorm:`` directives written in the text itself.

Directives usually sit in an HTML comment (``<!-- mtnorm: disable=toponym -->``)
or after ``#``; anywhere else in the text they work too. The forms:

``mtnorm: disable=RULE[,RULE...]``
    suppress the rules from the directive to a matching ``enable`` (or the end)
``mtnorm: enable=RULE[,RULE...]``
    stop suppressing them from here on
``mtnorm: disable-line=RULE[,RULE...]``
    suppress them on the directive's own line
``mtnorm: disable-next-line=RULE[,RULE...]``
    suppress them on the line after the directive (after its comment's end)

``RULE`` is a rule id, a group (``toponym``), a category or ``all``; a form
without ``=RULE`` means ``all``. For the range forms the last ``disable`` or
``enable`` before a finding whose selector matches the finding's rule decides
(so ``disable=toponym`` then ``enable=toponym.variant`` re-enables one rule).

A finding is suppressed when its start offset lies in a suppressed range of
its rule. A finding that overlaps a directive's own text is always dropped,
so a directive is never reported as debris. A finding whose fix would edit a
directive, or edit a place where its rule is suppressed, is kept without its
fix: ``fix`` never rewrites a directive nor a suppressed place. A spelling
fixed at every occurrence is one finding per place (the linter splits it,
see ``Finding.split``), so a suppression takes out its own place only: the
other places keep their findings and their fix.

Text without ``mtnorm:`` costs one substring search: callers test
``MARKER in text`` before building a :class:`SuppressionMap`.
"""
from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .findings import Category, Finding, FixSafety, Severity
from .patterns import LazyPattern

if TYPE_CHECKING:
    from .registry import Rule

#: Every directive contains this; text without it has no directives.
MARKER = "mtnorm:"

#: Rule ids of the findings this module reports about directives themselves.
UNUSED_RULE = "suppression.unused"
UNKNOWN_RULE = "suppression.unknown"
# There is no "style"/"other" category yet (normalize/findings.py); directive
# problems are about keeping the text's annotations consistent with its findings.
SUPPRESSION_CATEGORY = Category.STYLE
SUPPRESSION_MQM = "Other"

_KINDS = ("disable-next-line", "disable-line", "disable", "enable")
_H = r"[^\S\n]*"   # horizontal whitespace (a directive never spans lines)
# Hyphens only inside a name, so "disable=x-->" reads as "x".
_NAME = r"[\w.]+(?:-[\w.]+)*"
# Compiled on first use: most texts hold no "mtnorm:" and never parse directives.
_DIRECTIVE = LazyPattern(
    rf"mtnorm:{_H}(?P<kind>[A-Za-z][\w-]*)"
    rf"(?:{_H}={_H}(?P<rules>{_NAME}(?:{_H},{_H}{_NAME})*))?")
#: What follows a form whose '=' is not followed by a rule name.
_EMPTY_LIST = LazyPattern(rf"{_H}=")


@dataclass(frozen=True)
class Directive:
    """One ``mtnorm:`` directive.

    ``start``/``end`` is the text it occupies (its whole comment when it is in
    one), which no finding may touch. ``lo``/``hi`` is the range of offsets
    it acts on: from ``lo`` onwards for ``disable``/``enable``, the line
    ``[lo, hi)`` for the line forms.
    """

    kind: str
    selectors: tuple[str, ...]
    start: int
    end: int
    lo: int
    hi: int


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    """``[start, end)`` of the line holding ``pos``, the line break included."""
    lo = text.rfind("\n", 0, pos) + 1
    hi = text.find("\n", pos)
    return lo, len(text) if hi == -1 else hi + 1


def _comment_span(text: str, marker: int, match_end: int) -> tuple[int, int]:
    """The text a directive occupies: its HTML or ``#`` comment, else the directive alone."""
    line_lo, line_hi = _line_bounds(text, marker)
    before = text[line_lo:marker].rstrip()
    if before.endswith("<!--"):
        close = text.find("-->", match_end)
        return line_lo + len(before) - 4, (close + 3 if close != -1 else match_end)
    if before.endswith("#"):
        # A '#' comment runs to the end of the line (a reason may follow the rules).
        return line_lo + len(before) - 1, line_lo + len(text[line_lo:line_hi].rstrip())
    return marker, match_end


@functools.lru_cache(maxsize=1)
def _selectors() -> tuple[frozenset[str], frozenset[str]]:
    """Known rule ids, and group/category names (loaded once, when first needed)."""
    from .registry import all_rules

    rules = all_rules()
    ids = frozenset(r.id for r in rules)
    groups: set[str] = {c.value for c in Category} | {"all"}
    for rule_id in ids:
        parts = rule_id.split(".")
        groups.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return ids, frozenset(groups)


#: Names of the reports about directives. They are registered rules now
#: (normalize/rules/suppression/), so every selector takes them; the set stays for callers.
PSEUDO_SELECTORS = frozenset({"suppression", UNUSED_RULE, UNKNOWN_RULE})


def is_known_selector(name: str, *, pseudo: bool = False) -> bool:
    """True if ``name`` is a rule id, a group, a category or ``all`` (with ``pseudo``,
    also ``suppression``, ``suppression.unused`` or ``suppression.unknown``)."""
    ids, groups = _selectors()
    return name in ids or name in groups or (pseudo and name in PSEUDO_SELECTORS)


def selector_matches(selector: str, rule_id: str, category: str) -> bool:
    """Whether ``selector`` (rule id, group, category or ``all``) covers a rule."""
    return (selector == "all" or selector == rule_id or rule_id.startswith(selector + ".")
            or selector == category)


class SuppressionMap:
    """The directives of one text, and which findings they suppress."""

    def __init__(self, text: str, directives: list[Directive],
                 malformed: list[tuple[int, int, str]]) -> None:
        self.text = text
        self.directives = directives
        #: Directives that cannot be read (an unknown form, an empty rule list), which
        #: suppress nothing: (start, end, message).
        self.malformed = malformed
        self._ranges = [(i, d) for i, d in enumerate(directives) if d.kind in ("disable", "enable")]
        self._range_starts = [d.lo for _, d in self._ranges]
        self._lines = [(i, d) for i, d in enumerate(directives)
                       if d.kind not in ("disable", "enable")]
        # Directive texts, sorted and merged, for the overlap test.
        spans: list[tuple[int, int]] = []
        for lo, hi in sorted([(d.start, d.end) for d in directives]
                             + [(lo, hi) for lo, hi, _ in malformed]):
            if spans and lo <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(spans[-1][1], hi))
            else:
                spans.append((lo, hi))
        self._protected = spans
        self._protected_starts = [lo for lo, _ in spans]

    @classmethod
    def parse(cls, text: str) -> SuppressionMap:
        """Find every directive in ``text``."""
        directives: list[Directive] = []
        malformed: list[tuple[int, int, str]] = []
        pos = text.find(MARKER)
        while pos != -1:
            m = _DIRECTIVE.match(text, pos)
            if m is not None and m["kind"] in _KINDS and m["rules"] is None and _EMPTY_LIST.match(
                    text, m.end()):
                # "disable-line=" with nothing (readable) after '=': not "all", which
                # would silently hide every finding; reported, and it suppresses nothing.
                start, end = _comment_span(text, pos, m.end())
                kind = m["kind"]
                malformed.append((start, end, (
                    f"mtnorm directive '{kind}=' names no rule: list rule ids, groups or "
                    f"categories after '=' (or write '{kind}' alone for all); it suppresses "
                    "nothing")))
                pos = text.find(MARKER, m.end())
                continue
            if m is not None and m["kind"] in _KINDS:
                kind = m["kind"]
                selectors = (tuple(s.strip() for s in m["rules"].split(","))
                             if m["rules"] else ("all",))
                start, end = _comment_span(text, pos, m.end())
                if kind == "disable-line":
                    lo, hi = _line_bounds(text, pos)
                elif kind == "disable-next-line":
                    _, line_end = _line_bounds(text, max(end - 1, pos))
                    lo, hi = line_end, _line_bounds(text, line_end)[1]
                    if line_end >= len(text):
                        lo = hi = len(text)
                else:
                    lo = hi = start
                directives.append(Directive(kind, selectors, start, end, lo, hi))
                pos = text.find(MARKER, m.end())
                continue
            start, end = _comment_span(text, pos, m.end() if m else pos + len(MARKER))
            if m is not None and start != pos:
                # Only a comment that reads like a directive is a typo worth reporting;
                # "mtnorm:" in running prose is left alone.
                malformed.append((start, end, (
                    f"unknown mtnorm directive {m['kind']!r} "
                    f"(expected one of: {', '.join(sorted(_KINDS))})")))
            pos = text.find(MARKER, pos + len(MARKER))
        return cls(text, directives, malformed)

    def overlaps_directive(self, lo: int, hi: int) -> bool:
        """True if ``[lo, hi)`` covers a directive's text (an insertion inside one counts)."""
        i = bisect.bisect_right(self._protected_starts, hi) - 1
        while i >= 0:
            s, e = self._protected[i]
            if e <= lo:   # spans are sorted and disjoint: the earlier ones end earlier still
                break
            if (lo < e and s < hi) or (lo == hi and s < lo):
                return True
            i -= 1
        return False

    def _suppressor(self, rule: str, category: str, offset: int,
                    skip: int | None = None) -> tuple[int, int] | None:
        """(directive index, selector index) of what suppresses ``rule`` at ``offset``, or
        None; the directive numbered ``skip`` is left out."""
        for index, d in self._lines:
            if index != skip and d.lo <= offset < d.hi:
                for j, sel in enumerate(d.selectors):
                    if selector_matches(sel, rule, category):
                        return index, j
        i = bisect.bisect_right(self._range_starts, offset) - 1
        while i >= 0:
            index, d = self._ranges[i]
            if index == skip:
                i -= 1
                continue
            for j, sel in enumerate(d.selectors):
                if selector_matches(sel, rule, category):
                    return (index, j) if d.kind == "disable" else None
            i -= 1
        return None

    def filter(self, findings: Iterable[Finding]) -> tuple[list[Finding], set[tuple[int, int]]]:
        """The findings not suppressed, and the (directive, selector) pairs that suppressed some.

        A finding is dropped when its span (or the span its fix replaces)
        overlaps a directive's text, or when its start is suppressed. A kept
        finding whose fix has an edit elsewhere that touches a directive or
        lies where the rule is suppressed (a fix wider than the finding) is
        kept without its fix: a fix's edits go together or not at all, and a
        suppressed place is never edited.
        """
        kept: list[Finding] = []
        used: set[tuple[int, int]] = set()
        for f in findings:
            if self.overlaps_directive(f.start, f.end) or (
                    f.replaces is not None and self.overlaps_directive(*f.replaces)):
                continue
            category = f.category.value
            by = self._suppressor(f.rule, category, f.start)
            if by is not None:
                used.add(by)
                continue
            if f.replacement is not None and (f.also or f.replaces is not None):
                blocked = False
                for e in f.edits():
                    if self.overlaps_directive(e.start, e.end):
                        blocked = True
                    elif e.start != f.start:
                        by = self._suppressor(f.rule, category, e.start)
                        if by is not None:
                            used.add(by)
                            blocked = True
                if blocked:
                    f = replace(f, replacement=None, fix=FixSafety.NONE, replaces=None, also=())
            kept.append(f)
        return kept, used

    def problems(self, used: set[tuple[int, int]], active: Sequence[Rule]) -> list[Finding]:
        """Findings about the directives: unknown names, and suppressions that matched nothing.

        A selector counts as unused only if some rule in ``active`` (the rules
        that ran) is covered by it: a rule that did not run cannot tell.
        """
        out: list[Finding] = []
        for start, end, message in self.malformed:
            out.append(self._finding(UNKNOWN_RULE, start, end, message))
        for i, d in enumerate(self.directives):
            unknown = [s for s in d.selectors if not is_known_selector(s)]
            if unknown:
                names = ", ".join(repr(s) for s in unknown)
                out.append(self._finding(
                    UNKNOWN_RULE, d.start, d.end,
                    f"unknown rule, group or category {names} in mtnorm directive "
                    "(see 'mtnorm rules')"))
            if d.kind == "enable":
                continue
            unused = [s for j, s in enumerate(d.selectors)
                      if (i, j) not in used and s not in unknown
                      and any(selector_matches(s, r.id, r.category.value) for r in active)]
            if unused:
                out.append(self._finding(UNUSED_RULE, d.start, d.end,
                                         unused_message(unused, d.kind),
                                         data={"selectors": unused, "kind": d.kind}))
        return out

    def reports(self, used: set[tuple[int, int]], active: Sequence[Rule],
                wanted: Iterable[str]) -> list[Finding]:
        """The findings about directives (:meth:`problems`) of the rules in ``wanted``,
        less those that other directives suppress (``disable-next-line=suppression.unused``).

        A directive never suppresses the report about itself, and the overlap
        rule of :meth:`filter` does not apply (every report overlaps a directive).
        A directive that suppresses a report is used, which may take back the
        report that it was unused: repeated until nothing changes.
        """
        wanted = frozenset(wanted)
        used = set(used)
        owner = {(d.start, d.end): i for i, d in enumerate(self.directives)}
        while True:
            kept: list[Finding] = []
            by_reports: set[tuple[int, int]] = set()
            for f in self.problems(used, active):
                if f.rule not in wanted:
                    continue
                by = self._suppressor(f.rule, f.category.value, f.start,
                                      skip=owner.get((f.start, f.end)))
                if by is None:
                    kept.append(f)
                else:
                    by_reports.add(by)
            if by_reports <= used:
                return kept
            used |= by_reports

    def _finding(self, rule: str, start: int, end: int, message: str,
                 data: dict | None = None) -> Finding:
        return Finding(rule=rule, category=SUPPRESSION_CATEGORY, severity=Severity.WARNING,
                       start=start, end=end, text=self.text[start:end], message=message,
                       mqm=SUPPRESSION_MQM, data=data or {})


def unused_message(selectors: Sequence[str], kind: str) -> str:
    """The message of a ``suppression.unused`` finding (``data``: its selectors and kind)."""
    return (f"unused suppression: nothing was reported for {', '.join(selectors)} here "
            f"({kind}); remove it from the directive")


def filter_suppressed(text: str, findings: list[Finding]) -> list[Finding]:
    """``findings`` less those suppressed by directives in ``text`` (offsets into ``text``)."""
    if MARKER not in text:
        return findings
    return SuppressionMap.parse(text).filter(findings)[0]
