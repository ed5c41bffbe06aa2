"""debris.pattern: scraper and CMS debris declared as data per language.

The patterns live in ``corpora/rules/<lang>/debris.yaml``; a language's list
extends its parent's. All patterns of a language are compiled into two
alternations (line-scoped and token-scoped) so the text is scanned twice,
whatever the number of patterns.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ...errors import DataError
from ...findings import Category, Finding, FixSafety, Severity
from ...languages import get_language
from ...registry import Context, Rule, register
from .._scan import matches_at
from .._text import removal_span

#: Lines longer than this are prose, not a "Read more" link.
MAX_DEBRIS_LINE = 200


@functools.cache
def _compiled(lang: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, dict[str, dict]]:
    patterns = get_language(lang).data("debris").get("patterns", [])
    by_group: dict[str, dict] = {}
    line_parts, token_parts = [], []
    for i, entry in enumerate(patterns):
        group = f"p{i}"
        try:
            re.compile(entry["pattern"])
        except (KeyError, re.error) as exc:
            raise DataError(f"corpora/rules/*/debris.yaml: pattern {entry.get('id', i)!r}: {exc}") from None
        if entry.get("scope", "token") != "line" and not entry["pattern"].startswith(("\\[", "\\{")):
            raise DataError(f"corpora/rules/*/debris.yaml: token pattern {entry.get('id', i)!r} must "
                            "start with \\[ or \\{ (the scan looks for those characters first); "
                            "use scope: line for other debris")
        by_group[group] = entry
        part = f"(?P<{group}>{entry['pattern']})"
        (line_parts if entry.get("scope", "token") == "line" else token_parts).append(part)
    line_re = (re.compile(r"[ \t]*(?:" + "|".join(line_parts) + r")[ \t]*", re.IGNORECASE)
               if line_parts else None)
    token_re = re.compile("|".join(token_parts), re.IGNORECASE) if token_parts else None
    return line_re, token_re, by_group


@register
class DebrisPattern(Rule):
    id = "debris.pattern"
    category = Category.DEBRIS
    scope = "line"
    severity = Severity.ERROR
    fix = FixSafety.SAFE
    mqm = "Other/Extraneous content"
    description = "Scraper debris such as [ad_1], 'Source link', share prompts (data: debris.yaml)."

    def check(self, ctx: Context) -> Iterator[Finding]:
        line_re, token_re, groups = _compiled(ctx.language.code)
        text = ctx.text
        hits: list[re.Match[str]] = []
        if line_re is not None:
            # Line-scoped debris is short: only short lines are tried, one
            # anchored match each, instead of a regex scan of the whole text.
            pos = 0
            length = len(text)
            while pos < length:
                end = text.find("\n", pos)
                if end == -1:
                    end = length
                # A CRLF line is matched without its \r, so "[^\n]*" tails stop before it.
                stop = end - 1 if end > pos and text[end - 1] == "\r" else end
                if stop - pos <= MAX_DEBRIS_LINE:
                    m = line_re.fullmatch(text, pos, stop)
                    if m is not None:
                        hits.append(m)
                pos = end + 1
        if token_re is not None:
            # Every token pattern starts with a bracket or brace (see debris.yaml).
            hits.extend(matches_at(token_re, text, "[{"))
        for m in hits:
            entry = groups[m.lastgroup or ""]
            start, end = m.span(m.lastgroup)
            cut_start, cut_end = removal_span(text, start, end)
            yield self.finding(
                ctx, start, end, f"{entry.get('message', 'scraper debris')} "
                f"[{entry.get('id', m.lastgroup)}]; remove it",
                replacement="", replaces=(cut_start, cut_end),
                data={"pattern": entry.get("id", "")})
