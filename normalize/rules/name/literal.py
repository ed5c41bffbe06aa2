"""name.literal: a newspaper's or a weapon's name translated word for word.

"Ukrainian Truth" for Ukrainska Pravda, "Geranium" drones for Geran, "Dagger"
missiles for Kinzhal: machine translation treats the name as common words.
The literal renderings and the names to write are data (``literal`` in
``corpora/names/institutions.yaml``), matched case-sensitively as whole words,
some only where the story is about the war they belong to.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...analysis.lookup import matches_at, word_indices
from ...errors import DataError
from ...findings import Category, Finding, FixSafety, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register
from ...resources import load_yaml
from .institution import WINDOW


@dataclass(frozen=True)
class Literal:
    name: str
    original: str
    basis: str
    #: Compiled on first use: the check scans with :func:`_scanner`'s one pattern instead.
    pattern: re.Pattern[str] | LazyPattern
    replacements: dict[str, str]
    context: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def literals() -> tuple[Literal, ...]:
    """The ``literal`` entries of ``corpora/names/institutions.yaml``, compiled."""
    raw = load_yaml("names", "institutions.yaml") or {}
    out = []
    for entry in raw.get("literal") or []:
        try:
            forms = {str(k): str(v) for k, v in entry["forms"].items()}
            alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
            out.append(Literal(str(entry["name"]), str(entry.get("original", "")), str(entry.get("basis", "")),
                               LazyPattern(rf"(?<![\w-])(?:{alternatives})(?![\w-])"), forms,
                               tuple(str(c) for c in entry.get("context") or ())))
        except (KeyError, TypeError, AttributeError, re.error) as exc:
            raise DataError(f"corpora/names/institutions.yaml: bad literal entry {entry.get('name')!r}: "
                            f"{exc}") from None
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _scanner() -> tuple[re.Pattern[str], dict[str, Literal]]:
    """One pattern for every literal form (one pass over the text instead of one per
    entry), and the entry each form belongs to."""
    by_form: dict[str, Literal] = {}
    for lit in literals():
        for form in lit.replacements:
            by_form.setdefault(form, lit)
    alternatives = "|".join(re.escape(f) for f in sorted(by_form, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives or '(?!)'})(?![\w-])"), by_form


_LEADING_WORD = LazyPattern(r"\w+")


@functools.lru_cache(maxsize=1)
def _first_words() -> frozenset[str] | None:
    """The leading ``\\w+`` word of every literal form ("Ukrainian" of "Ukrainian Truth"):
    a match starts at a whole word written so (nothing of a word or a hyphen before it).
    None when a form does not start with a word character: the pattern then scans the
    whole text."""
    firsts = set()
    for form in _scanner()[1]:
        m = _LEADING_WORD.match(form)
        if m is None:
            return None
        firsts.add(m.group())
    return frozenset(firsts)


@register
class NameLiteral(Rule):
    id = "name.literal"
    category = Category.NAME
    severity = Severity.WARNING
    fix = FixSafety.UNSAFE
    mqm = "Accuracy/Mistranslation"
    scope = "document"
    languages = frozenset({"en"})
    description = ("A newspaper's or weapon's name translated word for word ('Ukrainian Truth', "
                   "'Geranium' drones): the name English copy uses, as an unsafe fix.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        pattern, by_form = _scanner()
        firsts = _first_words()
        if firsts is None:
            found = pattern.finditer(text)
        else:
            # Tried only where a form's first word stands, not at every character.
            starts = ctx.analysis.words.starts
            found = matches_at(text, pattern, [int(starts[i]) for i in word_indices(ctx, firsts)])
        for m in found:
            lit = by_form[m.group(0)]
            if lit.context:
                near = text[max(0, m.start() - WINDOW):m.end() + WINDOW]
                if not any(c in near for c in lit.context):
                    continue
            written = m.group(0)
            yield self.finding(
                ctx, m.start(), m.end(),
                f"'{written}' translates the name {lit.name} ({lit.original}) word for word; "
                f"write '{lit.replacements[written]}' [{lit.basis.rstrip('.')}]",
                replacement=lit.replacements[written], fix=FixSafety.UNSAFE, data={"name": lit.name})
