"""What the incremental fixer does to save time and memory, without changing its result
(``tests/test_fixer.py`` compares its output with a full re-check of every pass)."""
from __future__ import annotations

import gc
import weakref
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from normalize.api import get_linter
from normalize.document import Document
from normalize.findings import Category, Edit, Finding, FixSafety, Severity
from normalize.fixer import _moved, _Shift, fix_document
from normalize.linter import Linter, Options
from normalize.registry import Context

EXAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "examples"


def _finding(start: int, end: int, **kw: Any) -> Finding:
    return Finding(rule="typography.double_space", category=Category.TYPOGRAPHY,
                   severity=Severity.WARNING, start=start, end=end, text="x" * (end - start),
                   message="m", **kw)


def test_an_item_before_the_first_edit_is_kept_as_it_is() -> None:
    shift = _Shift([Edit(10, 12, "a"), Edit(20, 20, "bc")])
    before = _finding(2, 5, replacement=" ", fix=FixSafety.SAFE, replaces=(1, 9))
    assert _moved(before, shift) is before
    # One reaching the first edit, or after it, is a moved copy, as before.
    for item in (_finding(2, 10), _finding(12, 15), _finding(2, 5, replaces=(2, 11),
                                                              replacement="", fix=FixSafety.SAFE),
                 _finding(2, 5, also=(Edit(25, 26, "y"),), replacement="", fix=FixSafety.SAFE)):
        moved = _moved(item, shift)
        assert moved is not item
        expected = replace(
            item, start=shift(item.start), end=shift(item.end),
            replaces=None if item.replaces is None else (shift(item.replaces[0]),
                                                         shift(item.replaces[1])),
            also=tuple(replace(e, start=shift(e.start), end=shift(e.end)) for e in item.also))
        assert moved == expected


def test_the_analyses_of_each_pass_are_let_go_without_the_cyclic_collector(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An analysis and its context refer to each other: the fixer drops the analyses
    of a text once it has carried what it needs over, so that two whole texts' analyses
    are not held at once (fix's peak memory) until a full collection finds them."""
    analyses: list[weakref.ref[object]] = []
    context = Linter.context

    def recording(self: Linter, doc: Document) -> Context:
        ctx = context(self, doc)
        analyses.append(weakref.ref(ctx.analysis))
        return ctx

    monkeypatch.setattr(Linter, "context", recording)
    text = (EXAMPLES / "wire-kharkiv-en-from-fr.txt").read_text(encoding="utf-8")
    linter = get_linter(Options(lang="en", style="ap"))
    gc.collect()
    gc.disable()
    try:
        result = fix_document(linter, Document(text))
        alive = [ref() is not None for ref in analyses]
    finally:
        gc.enable()
    assert result.applied
    # The last context is the one of the fixed text; every other one is gone.
    assert len(alive) > 2
    assert not any(alive[:-1])


def test_fix_stays_idempotent_with_the_report_taken_from_the_last_pass() -> None:
    """The report reuses the last pass's settled findings when no doubt was added: a
    second run over the fixed text changes nothing and reports the same, with and without
    fixes held back by a contradiction (``--source-lang fr --unsafe`` has some)."""
    linter = get_linter(Options(lang="en", style="ap", source_lang="fr"))
    text = (EXAMPLES / "wire-kharkiv-en-from-fr.txt").read_text(encoding="utf-8")
    for unsafe in (False, True):
        first = fix_document(linter, Document(text), unsafe)
        again = fix_document(linter, Document(first.text), unsafe)
        assert again.text == first.text
        assert [(f.rule, f.start, f.end, f.message, f.fix) for f in again.remaining] == \
               [(f.rule, f.start, f.end, f.message, f.fix) for f in first.remaining]
