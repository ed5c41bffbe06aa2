"""The findings model: what every rule reports and every formatter prints.

A :class:`Finding` is one problem at one character span of a decoded text.
An :class:`Edit` is a replacement of such a span. Both are plain, immutable
values so they can cross process boundaries (batch workers) unchanged.
"""
from __future__ import annotations

import bisect
import enum
import itertools
from dataclasses import MISSING, dataclass, field, fields, replace
from typing import Any


class Severity(enum.IntEnum):
    """How bad a finding is. Ordered, so ``--fail-on`` is a comparison."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        """Read a severity from its lower-case name, with a clear error."""
        if isinstance(value, Severity):
            return value
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            names = ", ".join(s.name.lower() for s in cls)
            raise ValueError(f"unknown severity {value!r} (expected one of: {names})") from None


#: Each severity's name as reports write it (``str(severity)``), read without the enum's
#: ``name`` descriptor: several of those a finding, in every report and summary.
SEVERITY_NAME: dict[Severity, str] = {s: str(s) for s in Severity}


class Category(str, enum.Enum):
    """What kind of artefact a finding is about."""

    DEBRIS = "debris"
    TOPONYM = "toponym"
    CONSISTENCY = "consistency"
    NAME = "name"
    GENDER = "gender"
    GARBLE = "garble"
    CALQUE = "calque"
    UNTRANSLATED = "untranslated"
    TYPOGRAPHY = "typography"
    ENCODING = "encoding"
    NUMBER = "number"
    #: House rules of the user's own (rejected terms, suppression directives).
    STYLE = "style"

    def __str__(self) -> str:
        return self.value


class FixSafety(str, enum.Enum):
    """Whether ``mtnorm fix`` may apply a finding's replacement.

    ``safe`` edits are applied by default; ``unsafe`` ones only with
    ``--unsafe`` (they can change meaning, e.g. a contested or ambiguous
    name); ``none`` means there is no mechanical fix.
    """

    SAFE = "safe"
    UNSAFE = "unsafe"
    NONE = "none"

    def __str__(self) -> str:
        return self.value


#: Default MQM (Multidimensional Quality Metrics) type for each category.
#: Rules may give a more precise one.
MQM_BY_CATEGORY: dict[Category, str] = {
    Category.DEBRIS: "Other/Extraneous content",
    Category.TOPONYM: "Terminology/Wrong term",
    Category.CONSISTENCY: "Terminology/Inconsistent",
    Category.NAME: "Accuracy/Mistranslation",
    Category.GENDER: "Fluency/Grammar",
    Category.GARBLE: "Fluency/Grammar",
    Category.CALQUE: "Accuracy/Mistranslation",
    Category.UNTRANSLATED: "Accuracy/Untranslated",
    Category.TYPOGRAPHY: "Locale convention/Punctuation",
    Category.ENCODING: "Fluency/Character encoding",
    Category.NUMBER: "Accuracy/Mistranslation",
}


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str
    rule: str = ""

    def overlaps(self, other: Edit) -> bool:
        """True if the two edits touch the same characters.

        Two insertions at one point also overlap: their order would be
        arbitrary, so only one of them may be applied in a pass.
        """
        if self.start == self.end and other.start == other.end:
            return self.start == other.start
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)  # __init__ replaced below: see _slot_code
class Finding:
    """One reported problem at ``text[start:end]`` (0-based, end exclusive).

    ``line`` and ``column`` are 1-based and filled in by the linter from the
    document's line index; rules only give character offsets.
    """

    rule: str
    category: Category
    severity: Severity
    start: int
    end: int
    text: str
    message: str
    replacement: str | None = None
    fix: FixSafety = FixSafety.NONE
    mqm: str = ""
    line: int = 0
    column: int = 0
    #: The span the replacement applies to, when wider than the reported one
    #: (removing "[ad_1]" also removes its line break).
    replaces: tuple[int, int] | None = None
    #: Further edits that belong to the same fix, applied together or not at all
    #: (a spelling fixed at every occurrence). A rule may give them; the linter
    #: turns such a finding into one finding per place (:meth:`split`).
    also: tuple[Edit, ...] = ()
    #: Findings with the same non-empty group are one fix at several places: the
    #: fixer applies the group's edits together or not at all (a suppressed place
    #: just leaves it). The linter names groups ``rule@line:column`` of their first place.
    group: str = field(default="", compare=False)
    #: Rules whose findings here contradict this one (different fixes of the same
    #: words): its fix is not applied (``fix`` is ``none``), see :func:`mark_conflicts`.
    conflicts: tuple[str, ...] = ()
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end} for {self.rule}")
        if self.replacement is None and self.fix is not FixSafety.NONE:
            raise ValueError(f"{self.rule}: a fix needs a replacement")
        if not self.mqm:
            object.__setattr__(self, "mqm", MQM_BY_CATEGORY[self.category])

    def edit(self) -> Edit | None:
        """The main edit this finding proposes, if any."""
        if self.replacement is None:
            return None
        start, end = self.replaces or (self.start, self.end)
        return Edit(start, end, self.replacement, self.rule)

    def edits(self) -> list[Edit]:
        """Every edit of this finding's fix, in text order (empty without a fix)."""
        main = self.edit()
        if main is None:
            return []
        return sorted([main, *self.also], key=lambda e: (e.start, e.end))

    def split(self, text: str) -> list[Finding]:
        """One finding per place this finding's fix edits (``text`` is the document's).

        A finding without ``also`` comes back alone. Otherwise each edit becomes
        a finding of its own span, text and replacement, with the same rule,
        message and data, all sharing one ``group``: every occurrence is
        reported (and suppressed) at its own place, and fixed together.
        """
        if not self.also:
            return [self]
        group = f"{self.rule}@{self.start}"
        first = replace(self, also=(), group=group)
        return [first] + [
            replace(self, start=e.start, end=e.end, text=text[e.start:e.end],
                    replacement=e.replacement, replaces=None, also=(), group=group)
            for e in self.also]

    def with_position(self, line: int, column: int) -> Finding:
        return self.evolve(line=line, column=column)

    def evolve(self, **changes: Any) -> Finding:
        """``dataclasses.replace(self, **changes)`` without ``__post_init__``'s checks,
        for changes that keep a finding valid: positions, spans moved by an offset.

        Findings are copied once or twice each on their way out (placed, positioned,
        shifted into a file) and ``replace`` costs ~5 µs there, most of it in
        ``__init__``'s keyword handling: over 100,000 findings that was a tenth of a
        20 MB check.
        """
        new = _copy_finding(self)
        for name, value in changes.items():
            _FINDING_SLOT[name](new, value)
        return new

    def with_severity(self, severity: Severity) -> Finding:
        return self.evolve(severity=severity)

    def sort_key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.rule)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (the documented contract of ``--format json``)."""
        # ``_value_``: the members' values without the ``value`` descriptor (~0.15 µs each).
        out: dict[str, Any] = {
            "rule": self.rule,
            "category": self.category._value_,
            "severity": SEVERITY_NAME[self.severity],
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "text": self.text,
            "message": self.message,
            "replacement": self.replacement,
            "fix": self.fix._value_,
            "mqm": self.mqm,
        }
        if self.replaces:
            out["replaces"] = list(self.replaces)
        if self.also:
            out["edits"] = [{"start": e.start, "end": e.end, "replacement": e.replacement}
                            for e in self.edits()]
        if self.group:
            out["group"] = self.group
        if self.conflicts:
            out["conflicts_with"] = list(self.conflicts)
        if self.data:
            out["data"] = self.data
        return out


def _slot_code(cls: type) -> tuple[Any, Any, dict[str, Any]]:
    """For the frozen slotted dataclass ``cls``: an ``__init__`` to put in place of the
    one dataclasses wrote, a function copying an instance, and each field's setter.

    Both functions write the slots through their descriptors' ``__set__``, which a
    frozen class's ``__setattr__`` does not guard: the ``__init__`` dataclasses writes
    for a frozen class calls ``object.__setattr__`` once per field, ~0.4 µs each, which
    came to ~6 µs of every finding. The ``__init__`` has the dataclass's signature and
    defaults and calls ``__post_init__``.
    """
    flds = fields(cls)
    setters = {f.name: cls.__dict__[f.name].__set__ for f in flds}
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_MISSING": MISSING,
                                 **{f"_set_{n}": setter for n, setter in setters.items()}}
    params, body = [], []
    for f in flds:
        if f.default is not MISSING:
            namespace[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
            body.append(f"    _set_{f.name}(self, {f.name})\n")
        elif f.default_factory is not MISSING:
            namespace[f"_factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_MISSING")
            body.append(f"    _set_{f.name}(self, _factory_{f.name}() if {f.name} is _MISSING "
                        f"else {f.name})\n")
        else:
            params.append(f.name)
            body.append(f"    _set_{f.name}(self, {f.name})\n")
    post = "    self.__post_init__()\n" if hasattr(cls, "__post_init__") else ""
    copy = "".join(f"    _set_{f.name}(new, self.{f.name})\n" for f in flds)
    # Generated as dataclasses generates its methods: a loop over the fields costs twice as much.
    exec(f"def __init__(self, {', '.join(params)}):\n{''.join(body)}{post}"  # noqa: S102
         f"def copy(self):\n    new = _new(_cls)\n{copy}    return new\n", namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init, namespace["copy"], setters


Finding.__init__, _copy_finding, _FINDING_SLOT = _slot_code(Finding)  # type: ignore[method-assign]


def _result(text: str, lo: int, hi: int, edit: Edit) -> str:
    """``text[lo:hi]`` with ``edit`` (inside it) applied."""
    return text[lo:edit.start] + edit.replacement + text[edit.end:hi]


def _disagree(a: Finding, b: Finding, text: str) -> bool:
    """True if two fixes rewrite the same words differently.

    The same words: both edits on one span, or overlapping edits of findings
    reported from the same start or to the same end ("He" and "He was
    expected"). Nested or crossing edits of findings about different words
    (a debris line holding a spacing fix, mojibake next to a double space)
    are no conflict: one is applied, the other re-checked on the new text.
    """
    ea, eb = a.edit(), b.edit()
    if ea is None or eb is None or not ea.overlaps(eb):
        return False
    same_words = ((ea.start, ea.end) == (eb.start, eb.end)
                  or a.start == b.start or a.end == b.end)
    if not same_words:
        return False
    lo, hi = min(ea.start, eb.start), max(ea.end, eb.end)
    return _result(text, lo, hi, ea) != _result(text, lo, hi, eb)


def _disputed(a: Finding, b: Finding, disputes: dict[str, frozenset[str]]) -> bool:
    """True if one of the two (one with a fix) reads the other's words otherwise."""
    if a.start >= b.end or b.start >= a.end:
        return False
    return ((a.rule in disputes.get(b.rule, ()) and a.fix is not FixSafety.NONE)
            or (b.rule in disputes.get(a.rule, ()) and b.fix is not FixSafety.NONE))


def conflicted(finding: Finding, others: list[Finding]) -> Finding:
    """``finding`` marked as contradicted by ``others``: its fix is not applied, and its
    message says which rules disagree and what they propose."""
    rules = tuple(dict.fromkeys([*finding.conflicts, *(o.rule for o in others)]))
    new = [o for o in others if o.rule not in finding.conflicts]
    if not new:
        return finding
    proposals = ", ".join(
        f"{o.rule} ({o.replacement!r})" if o.replacement is not None and o.fix is not FixSafety.NONE
        else o.rule for o in new)
    if finding.fix is not FixSafety.NONE:
        note = f" [not fixed: its fix {finding.replacement!r} conflicts with {proposals}]"
    else:
        note = f" [conflicts with {proposals}: not fixed]"
    # evolve: the changes keep the finding valid (no fix needs no replacement).
    return finding.evolve(fix=FixSafety.NONE, conflicts=rules, message=finding.message + note)


def mark_conflicts(findings: list[Finding], text: str,
                   disputes: dict[str, frozenset[str]] | None = None) -> list[Finding]:
    """``findings`` with those that contradict each other marked (:func:`conflicted`).

    Two findings conflict when their fixes rewrite the same words differently
    (identical replacements are no conflict), or when one rule declares that
    it disputes the other's fix where they overlap (``Rule.disputes``: a
    pronoun read as a slip for a person is no impersonal "it"). Neither is
    applied: which one is right is for a reader to decide. Order is kept.
    """
    if len(findings) < 2:
        return findings
    disputes = disputes or {}
    order = sorted(range(len(findings)), key=lambda i: findings[i].start)
    against: dict[int, list[Finding]] = {}
    for n, i in enumerate(order):
        a = findings[i]
        reach = max(a.end, a.replaces[1] if a.replaces else a.end)
        for m in range(n + 1, len(order)):
            j = order[m]
            b = findings[j]
            if b.start > reach:
                break
            if a.group and a.group == b.group:
                continue
            if _disagree(a, b, text) or _disputed(a, b, disputes):
                against.setdefault(i, []).append(b)
                against.setdefault(j, []).append(a)
    if not against:
        return findings
    return [conflicted(f, against[i]) if i in against else f for i, f in enumerate(findings)]


def without_yielded(findings: list[Finding], yields_to: dict[str, frozenset[str]]) -> list[Finding]:
    """``findings`` less those covered by a finding of a rule they yield to.

    ``yields_to`` maps a rule id to the rule ids whose finding, where it covers
    one of its own (same or wider span), says the same thing more precisely
    ("the translation is the source segment unchanged" over "English text left
    untranslated" on the same words).
    """
    wanted = frozenset().union(*yields_to.values())
    covers = sorted((f.start, f.end, f.rule) for f in findings if f.rule in wanted)
    if not covers:
        return findings
    starts = [c[0] for c in covers]
    # The furthest end among the covers up to each index: a finding ending beyond it
    # is covered by none of them, which settles most findings in one comparison.
    reach = list(itertools.accumulate((c[1] for c in covers), max))
    out = []
    for f in findings:
        strong = yields_to.get(f.rule)
        if strong:
            i = bisect.bisect_right(starts, f.start) - 1
            if i >= 0 and reach[i] >= f.end and any(
                    covers[j][1] >= f.end and covers[j][2] in strong for j in range(i, -1, -1)):
                continue
        out.append(f)
    return out
