"""toponym.contested: a name whose use takes a side (Shusha/Shushi); reported, never changed."""
from __future__ import annotations

from collections.abc import Iterator

from ...findings import Category, Finding, Severity
from ...gazetteer import get_gazetteer
from ...registry import Context, Rule, register


@register
class ToponymContested(Rule):
    id = "toponym.contested"
    category = Category.TOPONYM
    severity = Severity.INFO
    scope = "document"
    mqm = "Terminology/Wrong term"
    description = "Contested place names, reported once per spelling with the other side's name."

    def check(self, ctx: Context) -> Iterator[Finding]:
        gaz = get_gazetteer()
        seen: set[str] = set()
        lang = ctx.language.family
        for top in ctx.analysis.places:
            if top.status != "contested" or top.surface.lower() in seen:
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
