"""The ``substitution`` rule type: this term -> that one (house style, reject lists).

``swap`` maps each term to its replacement (``null``: report only, no fix).
Terms are whole words or phrases, matched as written, and a term written in
lower case also matches with a capital first letter (sentence-initial), its
replacement then capitalised too; ``ignore_case: true`` matches any case and
gives the replacement the case of the text. Whitespace inside a term matches
any run of spaces or tabs. The fix has the rule's ``fix`` safety.

``terms.rejected`` (the ``reject`` list of a configuration or a house style)
matches with :func:`matcher` too.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from ..findings import Finding, FixSafety
from ..registry import Context
from ..rules._text import transfer_case
from . import DataRule, template

# A word character or a combining mark on either side means the term is part
# of a longer word (Unicode-aware: "Киев" is not found in "Киевская").
_BEFORE = r"(?<![\w\u0300-\u036f])"
_AFTER = r"(?![\w\u0300-\u036f])"


def _capitalised(term: str) -> str:
    return term[:1].upper() + term[1:]


@functools.lru_cache(maxsize=64)
def matcher(swaps: tuple[tuple[str, str | None], ...], ignore_case: bool = False
            ) -> tuple[re.Pattern[str], dict[str, str | None]]:
    """One pattern for all terms, and each spelling's replacement.

    Keys of the replacements are the terms with their spaces normalised (and
    lower-cased with ``ignore_case``).
    """
    replacements: dict[str, str | None] = {}
    for term, replacement in swaps:
        key = " ".join(term.split())
        if ignore_case:
            replacements.setdefault(key.lower(), replacement)
            continue
        replacements.setdefault(key, replacement)
        upper = _capitalised(key)
        if upper != key:
            replacements.setdefault(upper, _capitalised(replacement) if replacement else replacement)
    # Longest first, so "Nagorny Karabakh" wins over "Nagorny".
    alternatives = [r"[^\S\r\n]+".join(re.escape(w) for w in key.split(" "))
                    for key in sorted(replacements, key=lambda k: (-len(k), k))]
    pattern = re.compile(_BEFORE + "(?:" + "|".join(alternatives) + ")" + _AFTER,
                         re.IGNORECASE if ignore_case else 0)
    return pattern, replacements


def substitutions(text: str, swaps: tuple[tuple[str, str | None], ...], ignore_case: bool = False
                  ) -> Iterator[tuple[int, int, str | None]]:
    """``(start, end, replacement or None)`` of every term of ``swaps`` in ``text``."""
    pattern, replacements = matcher(swaps, ignore_case)
    for m in pattern.finditer(text):
        found = " ".join(m[0].split())
        if ignore_case:
            replacement = replacements.get(found.lower())
            yield m.start(), m.end(), transfer_case(m[0], replacement) if replacement else replacement
        else:
            yield m.start(), m.end(), replacements.get(found)


@functools.cache
def _swaps(cls: type[SubstitutionRule], code: str) -> tuple[tuple[str, str | None], ...]:
    out: list[tuple[str, str | None]] = []
    mappings = [cls.spec.get("swap") or {}, *(layer.data.get("swap") or {} for _l, layer in cls.layers(code))]
    for mapping in mappings:
        out.extend((str(t), None if r is None else str(r)) for t, r in mapping.items())
    return tuple(out)


class SubstitutionRule(DataRule):
    """Report each term of the list and offer its replacement."""

    scope = "line"
    fix = FixSafety.UNSAFE

    def swaps(self, ctx: Context) -> tuple[tuple[str, str | None], ...]:
        """The terms for this document: the configuration's and the house style's first
        (with ``swap_from``; the first spelling of a term wins), then the data's."""
        out: tuple[tuple[str, str | None], ...] = ()
        sources = self.spec.get("swap_from") or ()
        if "configuration" in sources and ctx.options is not None:
            out += tuple(getattr(ctx.options, "reject", ()) or ())
        if "style" in sources:
            out += tuple(getattr(ctx.style, "reject", ()) or ())
        return out + _swaps(type(self), ctx.language.code)  # type: ignore[arg-type]  # mypy does not see a class object as Hashable

    def applies_to(self, ctx: Context) -> bool:
        return bool(self.swaps(ctx)) and super().applies_to(ctx)

    def check(self, ctx: Context) -> Iterator[Finding]:
        swaps = self.swaps(ctx)
        if not swaps:
            return
        spec: dict[str, Any] = self.spec
        with_fix = spec.get("message", "'{match}': write '{replacement}'")
        without = spec.get("message_no_fix", "'{match}' should not be here")
        text = ctx.text
        for start, end, replacement in substitutions(text, swaps, bool(spec.get("ignore_case"))):
            fields = {"match": text[start:end], "replacement": replacement}
            if replacement is None:
                yield self.finding(ctx, start, end, template(without, fields, self.where))
            elif self.fix is FixSafety.NONE:  # the replacement is advice, not a fix
                yield self.finding(ctx, start, end, template(with_fix, fields, self.where))
            else:
                yield self.finding(ctx, start, end, template(with_fix, fields, self.where),
                                   replacement=replacement)


RULE = SubstitutionRule
