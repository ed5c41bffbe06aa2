"""terms.rejected: terms the user's configuration rejects (``reject`` in mtnorm.toml)."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import ClassVar

from ...findings import Category, Finding, FixSafety, Severity
from ...registry import Context, Rule, register

# A word character or a combining mark on either side means the term is part
# of a longer word (Unicode-aware: "Киев" is not found in "Киевская").
_BEFORE = r"(?<![\w\u0300-\u036f])"
_AFTER = r"(?![\w\u0300-\u036f])"


def _capitalised(term: str) -> str:
    return term[:1].upper() + term[1:]


@functools.lru_cache(maxsize=64)
def _matcher(reject: tuple[tuple[str, str | None], ...]) -> tuple[re.Pattern[str], dict[str, str | None]]:
    """One pattern for all rejected terms, and each spelling's replacement.

    A term written in lower case also matches with a capital first letter
    (sentence-initial), and its replacement is capitalised to match.
    Whitespace inside a term matches any run of spaces or tabs.
    """
    replacements: dict[str, str | None] = {}
    for term, replacement in reject:
        key = " ".join(term.split())
        replacements.setdefault(key, replacement)
        upper = _capitalised(key)
        if upper != key:
            replacements.setdefault(upper, _capitalised(replacement) if replacement else replacement)
    # Longest first, so "Nagorny Karabakh" wins over "Nagorny".
    alternatives = [r"[^\S\r\n]+".join(re.escape(w) for w in key.split(" "))
                    for key in sorted(replacements, key=lambda k: (-len(k), k))]
    pattern = re.compile(_BEFORE + "(?:" + "|".join(alternatives) + ")" + _AFTER)
    return pattern, replacements


@register
class Rejected(Rule):
    id = "terms.rejected"
    # No "style" category exists yet; a rejected term is a terminology choice.
    category = Category.STYLE
    scope = "line"
    severity = Severity.WARNING
    fix = FixSafety.SAFE
    mqm = "Terminology/Wrong term"
    description = ("Terms the configuration rejects ('reject' in mtnorm.toml or "
                   "[tool.mtnorm]); runs only when some are configured.")
    options: ClassVar[dict[str, str]] = {
        "reject (configuration)": "the terms to report, as a table term = replacement (a safe "
                                  "fix) or an array of terms (reported only)",
    }

    def applies_to(self, ctx: Context) -> bool:
        options = ctx.options
        return bool(options is not None and getattr(options, "reject", ())) and super().applies_to(ctx)

    def check(self, ctx: Context) -> Iterator[Finding]:
        pattern, replacements = _matcher(ctx.options.reject)
        text = ctx.text
        for m in pattern.finditer(text):
            start, end = m.span()
            found = " ".join(m[0].split())
            replacement = replacements.get(found)
            if replacement is None:
                yield self.finding(ctx, start, end, f"{m[0]!r} is a rejected term")
            else:
                yield self.finding(ctx, start, end, f"{m[0]!r} is a rejected term; use {replacement!r}",
                                   replacement=replacement)


def validate_reject(reject: tuple[tuple[str, str | None], ...]) -> None:
    """Raise ``ValueError`` for a term list that cannot work: an empty term, or a
    replacement that is itself rejected (fixing it would never settle)."""
    for term, replacement in reject:
        if not term.strip():
            raise ValueError("a rejected term is empty")
    pattern, _ = _matcher(reject)
    for term, replacement in reject:
        if replacement and pattern.search(replacement):
            hit = pattern.search(replacement)[0]
            raise ValueError(f"the replacement {replacement!r} for {term!r} contains the rejected "
                             f"term {hit!r}, so fixing it would never settle")
