"""The findings model: what every rule reports and every formatter prints.

A :class:`Finding` is one problem at one character span of a decoded text.
An :class:`Edit` is a replacement of such a span. Both are plain, immutable
values so they can cross process boundaries (batch workers) unchanged.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any


class Severity(enum.IntEnum):
    """How bad a finding is. Ordered, so ``--fail-on`` is a comparison."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: "str | Severity") -> "Severity":
        """Read a severity from its lower-case name, with a clear error."""
        if isinstance(value, Severity):
            return value
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            names = ", ".join(s.name.lower() for s in cls)
            raise ValueError(f"unknown severity {value!r} (expected one of: {names})") from None


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

    def overlaps(self, other: "Edit") -> bool:
        """True if the two edits touch the same characters.

        Two insertions at one point also overlap: their order would be
        arbitrary, so only one of them may be applied in a pass.
        """
        if self.start == self.end and other.start == other.end:
            return self.start == other.start
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
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
    #: (a spelling reported once, fixed at every occurrence).
    also: tuple[Edit, ...] = ()
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

    def with_position(self, line: int, column: int) -> "Finding":
        return replace(self, line=line, column=column)

    def with_severity(self, severity: Severity) -> "Finding":
        return replace(self, severity=severity)

    def sort_key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.rule)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (the documented contract of ``--format json``)."""
        out: dict[str, Any] = {
            "rule": self.rule,
            "category": self.category.value,
            "severity": str(self.severity),
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "text": self.text,
            "message": self.message,
            "replacement": self.replacement,
            "fix": self.fix.value,
            "mqm": self.mqm,
        }
        if self.replaces:
            out["replaces"] = list(self.replaces)
        if self.also:
            out["edits"] = [{"start": e.start, "end": e.end, "replacement": e.replacement}
                            for e in self.edits()]
        if self.data:
            out["data"] = self.data
        return out
