"""pair.glossary: terms of a glossary that the translation does not render as the glossary says.

The glossary (TBX, or TSV/CSV: see :mod:`normalize.rules.pair._glossary`) is
named by ``--glossary FILE`` (``mtnorm check``/``fix``), the ``glossary`` key of
a configuration file (relative to that file), or ``glossary=`` of
:func:`normalize.check`/:func:`normalize.fix` (``Options.glossary``). Per
segment pair, three checks:

* a source term of an entry is in the source segment, and none of the
  entry's accepted target terms is in the translation (warning, on the
  segment);
* a forbidden target term is in the translation where the source has the
  entry's term, or anywhere for a forbidden term without a source term
  (warning, on the term; the entry's first accepted term is an unsafe fix);
* a do-not-translate term of the source is missing from the translation as
  it is written (warning, on the segment).

Matching ignores case and tolerates inflection (a word of four letters or
more may take a short ending, a long word may change its last letter), so
"treaty" finds "treaties" and "Vertrag" finds "Vertrages"; terms in Han or kana
are matched as they are. Without a glossary the rule does nothing; a
missing or malformed glossary is a usage error naming the file and line
(:mod:`normalize.glossary`).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from ...analysis.segments import segment_pairs
from ...findings import Category, Finding, FixSafety, Severity
from ...registry import Context, Rule, register
from ._glossary import Glossary, load, term_pattern


def _glossary_path(ctx: Context) -> str | None:
    path = getattr(ctx.options, "glossary", None)
    return str(path) if path else None


@register
class PairGlossary(Rule):
    id = "pair.glossary"
    category = Category.STYLE
    severity = Severity.WARNING
    fix = FixSafety.UNSAFE
    mqm = "Terminology/Inappropriate for context"
    needs_source = True
    scope = "document"
    description = ("A term of the glossary (--glossary FILE: TBX, TSV or CSV) that the "
                   "translation renders otherwise, a forbidden rendering, or a do-not-translate "
                   "term changed.")
    options: ClassVar[dict[str, str]] = {
        "--glossary FILE": "the TBX, TSV or CSV glossary (configuration key 'glossary', relative "
                           "to the configuration file; glossary= in normalize.check/fix)"}

    def applies_to(self, ctx: Context) -> bool:
        return super().applies_to(ctx) and _glossary_path(ctx) is not None

    def check(self, ctx: Context) -> Iterator[Finding]:
        path = _glossary_path(ctx)
        if path is None:
            return
        glossary = load(path, ctx.source_lang, ctx.language.code)
        if not glossary.for_pair(ctx.source_lang, ctx.language.code):
            return
        for pair in segment_pairs(ctx):
            yield from self._check_pair(ctx, glossary, pair)

    def _check_pair(self, ctx: Context, glossary: Glossary, pair) -> Iterator[Finding]:
        missing: list[str] = []
        for entry in glossary.entries:
            in_source = [t for t in entry.source if term_pattern(t).search(pair.source)]
            if entry.source and not in_source:
                continue
            if entry.dnt:
                if entry.source[0] not in pair.target:
                    missing.append(f"'{entry.source[0]}' is not to be translated")
                continue
            for term in entry.forbidden:
                for m in term_pattern(term).finditer(pair.target):
                    replacement = entry.required[0] if entry.required else None
                    why = f"for the source's '{in_source[0]}'" if in_source else "anywhere"
                    yield self.finding(
                        ctx, pair.start + m.start(), pair.start + m.end(),
                        f"the glossary forbids '{term}' {why}"
                        + (f"; write '{replacement}'" if replacement else ""),
                        replacement=replacement, data={"kind": "forbidden", "term": term})
            if entry.required and in_source and \
                    not any(term_pattern(t).search(pair.target) for t in entry.required):
                listed = " or ".join(f"'{t}'" for t in entry.required[:3])
                missing.append(f"the source's '{in_source[0]}' is {listed} in the glossary")
        if missing:
            yield self.finding(ctx, pair.start, pair.end,
                               "; ".join(missing) + ", and the translation does not have it",
                               data={"kind": "required", "missing": missing})
