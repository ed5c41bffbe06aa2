"""The ``consistency`` rule type: several forms of one thing in one text.

Each group of ``groups`` lists the ``forms`` of one thing ("e-mail", "email").
When a text uses more than one form of a group, every occurrence of a form
other than the kept one is reported: the group's ``prefer`` form when the text
uses it, else the form used first. The fix (with the rule's ``fix`` safety)
writes the kept form in the case of the text. Forms are whole words or
phrases, matched case-insensitively.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ..findings import Finding, FixSafety
from ..registry import Context
from ..rules._text import transfer_case
from . import DataRule, template
from .existence import phrase_regex


@functools.cache
def _groups(cls: type[ConsistencyRule], code: str) -> tuple[tuple[re.Pattern[str], tuple[str, ...], str | None], ...]:
    out = []
    for group, _doc, _path in cls.items(code, "groups"):
        assert isinstance(group, dict)
        forms = tuple(" ".join(str(f).split()) for f in group["forms"])
        alternatives = "|".join(f"(?P<f{i}>{phrase_regex(f)})" for i, f in enumerate(forms))
        regex = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        out.append((regex, forms, group.get("prefer")))
    return tuple(out)


class ConsistencyRule(DataRule):
    """Report the forms of a group other than the one the text keeps."""

    scope = "document"
    fix = FixSafety.NONE

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        message = self.spec.get("message", "'{match}' here, '{kept}' elsewhere: keep one form")
        for regex, forms, prefer in _groups(type(self), ctx.language.code):  # type: ignore[arg-type]  # mypy does not see a class object as Hashable
            hits = [(m.start(), m.end(), int((m.lastgroup or "f0")[1:])) for m in regex.finditer(text)]
            used = {i for _s, _e, i in hits}
            if len(used) < 2:
                continue
            preferred = forms.index(prefer) if prefer in forms else None
            kept = preferred if preferred in used else hits[0][2]
            for start, end, i in hits:
                if i == kept:
                    continue
                surface = text[start:end]
                said = template(message, {"match": surface, "kept": forms[kept]}, self.where)
                replacement = transfer_case(surface, forms[kept]) if self.fix is not FixSafety.NONE else None
                yield self.finding(ctx, start, end, said, replacement=replacement,
                                   data={"entry": forms[kept]})


RULE = ConsistencyRule
