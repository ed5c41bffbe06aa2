"""toponym.variant: a place spelled otherwise than the house style writes it."""
from __future__ import annotations

from typing import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...registry import Context, Rule, register
from .._text import transfer_case
from .._toponyms import preferred_form, toponyms

_SEVERITY = {"misspelling": Severity.WARNING, "historic": Severity.WARNING,
             "translit": Severity.WARNING, "variant": Severity.INFO, "preferred": Severity.INFO}
_WHAT = {"misspelling": "a misspelling of", "historic": "an old name or exonym of",
         "translit": "a transliteration variant of", "variant": "a variant spelling of",
         "preferred": "another accepted name of"}


#: Sources whose names are tagged with a language (so a status in that language means something).
_TAGGED_SOURCES = frozenset({"curated", "cldr", "iso3166"})


@register
class ToponymVariant(Rule):
    id = "toponym.variant"
    category = Category.TOPONYM
    severity = Severity.WARNING
    fix = FixSafety.SAFE
    mqm = "Terminology/Wrong term"
    description = "A place name spelled otherwise than the house style (gazetteer + corpora/styles)."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for top in toponyms(ctx):
            if top.status == "contested":
                continue
            preferred, by_style = preferred_form(ctx, top.place)
            if not preferred or preferred.lower() == top.surface.lower():
                continue
            if top.status in ("preferred", "variant") and not by_style:
                continue  # an accepted name, and the house style has not chosen between them
            if top.source not in _TAGGED_SOURCES:
                # GeoNames and countrynames names carry no language: "Philadelphia"
                # is an old name of Amman, not an English misspelling of it.
                continue
            # Only spellings we can vouch for are replaced without asking:
            # curated entries (their exceptions guard homonyms) and language-tagged
            # names that belong to no other place.
            trusted = top.curated or (not top.ambiguous and top.source in ("cldr", "iso3166"))
            fix = FixSafety.SAFE if trusted else FixSafety.UNSAFE
            replacement = transfer_case(top.surface, preferred)
            style = ctx.style.name or "the default style"
            yield self.finding(
                ctx, top.start, top.end,
                f"'{top.surface}' is {_WHAT.get(top.status, 'a variant of')} {preferred}; "
                f"{style} writes '{preferred}'",
                replacement=replacement, fix=fix, severity=_SEVERITY.get(top.status, self.severity),
                data={"place": top.place, "status": top.status, "source": top.source})
