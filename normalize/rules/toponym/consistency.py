"""toponym.consistency: one place spelled several ways in one document."""
from __future__ import annotations

import difflib
from typing import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...registry import Context, Rule, register
from .._text import transfer_case
from .._toponyms import Toponym, preferred_form, toponyms

#: Spellings less alike than this are different names ("US" / "United States",
#: "Burma" / "Myanmar"), not inconsistent spellings of one name.
SIMILARITY = 0.5


def _letters(s: str) -> str:
    return "".join(c for c in s.lower() if c.isalnum())


def _shortened(a: str, b: str) -> bool:
    """True if one spelling is the other with words left out ("Kreuznach" / "Bad Kreuznach")."""
    wa, wb = a.split(), b.split()
    short, long_ = (wa, wb) if len(wa) < len(wb) else (wb, wa)
    return len(short) < len(long_) and all(w in long_ for w in short)


@register
class ToponymConsistency(Rule):
    id = "toponym.consistency"
    category = Category.CONSISTENCY
    severity = Severity.WARNING
    fix = FixSafety.UNSAFE
    scope = "document"
    mqm = "Terminology/Inconsistent"
    description = "Several spellings of one place in one text: one finding per extra spelling."

    def check(self, ctx: Context) -> Iterator[Finding]:
        by_place: dict[str, dict[str, list[Toponym]]] = {}
        for top in toponyms(ctx):
            if top.status == "contested":
                continue
            by_place.setdefault(top.place, {}).setdefault(top.surface.lower(), []).append(top)
        for place, spellings in by_place.items():
            if len(spellings) < 2:
                continue
            preferred, _ = preferred_form(ctx, place)
            if preferred and preferred.lower() in spellings:
                base = preferred.lower()
            else:  # the most used spelling, the earliest on a tie
                base = min(spellings, key=lambda s: (-len(spellings[s]), spellings[s][0].start))
            # The base spelling as written in running text, not in an all-caps dateline.
            base_form = next((t.surface for t in spellings[base] if not t.surface.isupper()),
                             preferred or spellings[base][0].surface)
            for spelling, tops in spellings.items():
                if spelling == base:
                    continue
                if _shortened(spelling, base):
                    continue
                ratio = difflib.SequenceMatcher(None, _letters(spelling), _letters(base)).ratio()
                if ratio < SIMILARITY:
                    continue
                first = tops[0]
                others = ", ".join(f"'{s[0].surface}' ({len(s)}x)" for k, s in spellings.items()
                                   if k != spelling)
                yield self.finding(
                    ctx, first.start, first.end,
                    f"'{first.surface}' ({len(tops)}x) and {others} spell one place in this text; "
                    f"use one spelling throughout",
                    replacement=transfer_case(first.surface, base_form),
                    data={"place": place, "spellings": sorted(spellings), "base": base_form})
