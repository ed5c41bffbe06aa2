"""One multi-pattern scan of a document for every data rule's literal triggers.

The literal triggers of the data rules that run for a (language, source
language) pair, today the ``anchors`` of every ``pattern`` rule's entries, are
gathered into one set, built the first time a document of that pair is
checked and cached. A document then costs one scan for all those rules
together (:func:`hits`, computed once per document through
``ctx.analysis.shared``); each rule looks closer only where its own triggers
fired.

The words are looked up through the document's word hashes
(:func:`normalize.analysis.lookup.word_hits`), one look-up for all rules: every
whole-word, case-insensitive occurrence in text order. An Aho-Corasick automaton
(ahocorasick-rs) was measured in its place and did not pay: its scan plus the
whole-word check in Python (short triggers such as "be" also fire inside "been")
cost 0.065 against 0.061 CPU s/MB for calque.false_friend --source-lang fr
(``scripts/bench_multipattern.py --rules-only``, which measures ``re``, ``regex``,
``google-re2``, ``hyperscan`` and ``ahocorasick-rs`` against each other).
"""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..registry import Context


def scan(ctx: Context, words: frozenset[str]) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` of every whole-word occurrence of ``words`` (lower-case ``\\w+``
    words), in text order."""
    from ..analysis.lookup import word_hits

    return word_hits(ctx, words)


def _all_words(ctx: Context) -> tuple[frozenset[str], list[tuple[int, int, str]]]:
    words = _pair_words(ctx.language.code, _source(ctx))
    return words, scan(ctx, words)


def _source(ctx: Context) -> str | None:
    return (ctx.source_lang or "").replace("_", "-").split("-")[0].lower() or None


@functools.cache
def _pair_words(code: str, source: str | None) -> frozenset[str]:
    """The anchors of every declared ``pattern`` rule for documents in ``code`` from ``source``."""
    from ..errors import DataError
    from ..rules.data.declared import DECLARED
    from .pattern import PatternRule, compiled

    words: set[str] = set()
    for cls in DECLARED:
        if not issubclass(cls, PatternRule):
            continue
        uses_source = "{source}" in (cls.spec.get("data") or "")
        try:
            data = compiled(cls, code, source if uses_source else None)  # type: ignore[arg-type]  # mypy does not see a class object as Hashable
        except DataError:
            continue  # reported by that rule when it runs
        if data is not None:
            words.update(data.by_anchor)
    return frozenset(words)


#: Whether a rule's words are among the pair's, per words object (both are built once
#: per process and kept: asking again cost ~15 µs a rule and document).
_WITHIN: dict[int, tuple[object, object, bool]] = {}


def _within(words: frozenset[str] | dict[str, Any], shared: frozenset[str]) -> bool:
    known = _WITHIN.get(id(words))
    if known is not None and known[0] is words and known[1] is shared:
        return known[2]
    verdict = shared.issuperset(words)
    if len(_WITHIN) < 1024:
        _WITHIN[id(words)] = (words, shared, verdict)
    return verdict


def hits(ctx: Context, words: frozenset[str] | dict[str, Any]) -> list[tuple[int, int, str]]:
    """The occurrences of ``words`` (a rule's triggers) in the document, from the one scan
    of every data rule's triggers; a rule whose words are not all among them (a rule
    declared after the pair's words were gathered) is looked up on its own."""
    shared, found = ctx.analysis.shared(_all_words)
    if _within(words, shared):
        if len(words) == len(shared):
            return found
        return [h for h in found if h[2] in words]
    return scan(ctx, frozenset(words))
