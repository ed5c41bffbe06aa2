"""toponym.contested: a name whose use takes a side (Shusha/Shushi); reported, never changed."""
from __future__ import annotations

from collections.abc import Iterator

from ...findings import Category, Finding, Severity
from ...gazetteer import get_gazetteer
from ...pieces import (
    FactKind,
    document_facts,
    fact_kind,
    global_offset,
    own_range,
)
from ...registry import Context, Rule, register

#: Contested spellings (lower case) -> where the first one of the text starts (in the whole
#: text): each spelling is reported once, at its first occurrence.
Firsts = dict[str, int]


def _collect(ctx: Context) -> Firsts:
    lo, hi = own_range(ctx.document)
    out: Firsts = {}
    for top in ctx.analysis.places:
        if top.status == "contested" and lo <= top.start < hi:
            out.setdefault(top.surface.lower(), global_offset(ctx, top.start))
    return out


def _merge(a: Firsts, b: Firsts) -> Firsts:
    return {**b, **a}  # the earlier stretch's first occurrences win


FIRSTS: FactKind[Firsts] = fact_kind(FactKind(
    "normalize.rules.toponym.contested:firsts", _collect, _merge,
    # A piece needs the first places of its own spellings only.
    lambda before, total, own: {s: total[s] for s in own}))


@register
class ToponymContested(Rule):
    id = "toponym.contested"
    category = Category.TOPONYM
    severity = Severity.INFO
    scope = "document"
    # In pieces: a spelling's first occurrence in the whole text comes from the facts.
    facts = (FIRSTS.name,)
    mqm = "Terminology/Wrong term"
    description = "Contested place names, reported once per spelling with the other side's name."

    def check(self, ctx: Context) -> Iterator[Finding]:
        gaz = get_gazetteer()
        seen: set[str] = set()
        lang = ctx.language.family
        firsts: Firsts | None = None
        for top in ctx.analysis.places:
            if top.status != "contested" or top.surface.lower() in seen:
                continue
            # Only the spelling's first occurrence in the whole text is reported (in a piece,
            # one in its context lines stands for the piece before).
            if firsts is None:
                firsts = document_facts(ctx, FIRSTS)
            if firsts.get(top.surface.lower()) != global_offset(ctx, top.start):
                continue
            seen.add(top.surface.lower())
            rows = gaz.contested.get(top.place, [])
            rows = [r for r in rows if r[0] == lang] or rows
            others = [f"{name} ({who})" if who else name for _, name, who in rows
                      if name.lower() != top.surface.lower()]
            mine = next((who for _, name, who in rows if name.lower() == top.surface.lower() and who), "")
            used = f" (used by {mine})" if mine else ""
            also = f"; also called {', '.join(dict.fromkeys(others))}" if others else ""
            yield self.finding(
                ctx, top.start, top.end,
                f"'{top.surface}' is a contested name{used}{also}: choose deliberately, "
                f"mtnorm does not change it", data={"place": top.place})
