"""Invariants behind the per-record fast paths of short documents.

Short texts (below ``_words.NUMPY_THRESHOLD``) take pure-Python paths that
share per-document word lists; these tests check that they answer exactly as
the numpy paths do, and that word lists built at data load are not copied on
every call (that copy once cost ~300 us per short record).
"""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from normalize.analysis import lookup as _lookup
from normalize.analysis import words as _words
from normalize.document import Document
from normalize.languages import get_language
from normalize.registry import Context
from normalize.styles import load_style

ALPHABET = st.sampled_from(list("aAiInN tT,.\n-'éÉİΣσ") + ["in ", "In ", "the ", "The ", "will ", "Will ",
                                                            "the the ", ", In The ", "Kiev "])
FIRSTS = frozenset({"in", "will", "the", "i"})
SECONDS = frozenset({"the", "a"})
FORMS = frozenset({"In", "the", "Kiev", "É"})


def _ctx(text: str) -> Context:
    lang = get_language("en")
    return Context(document=Document(text), language=lang, style=load_style(None, lang.family))


def _both(fn, text: str):
    small = fn(_ctx(text))
    old = _words.NUMPY_THRESHOLD
    _words.NUMPY_THRESHOLD = 0
    try:
        big = fn(_ctx(text))
    finally:
        _words.NUMPY_THRESHOLD = old
    return small, big


@settings(max_examples=200, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_lookups_agree_on_both_paths(text):
    for fn in (lambda c: _lookup.word_hits(c, FIRSTS),
               lambda c: _lookup.word_indices(c, FORMS),
               lambda c: _lookup.pair_hits(c, FIRSTS, SECONDS),
               lambda c: _lookup.pair_hits(c, ("in",), ("the",), capital_first=True,
                                           capital_second=True, after_comma=True)):
        small, big = _both(fn, text)
        assert small == big


@settings(max_examples=200, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_shared_word_lists_match_the_spans(text):
    spans = _words.WordSpans(text)
    assert spans.words() == [text[s:e] for s, e in zip(spans.starts, spans.ends)]
    assert spans.lower_words() == [text[s:e].lower() for s, e in zip(spans.starts, spans.ends)]
    assert spans.capital_flags() == [_words.is_capital(text[s]) for s in spans.starts]


def test_prebuilt_word_lists_are_used_as_they_are():
    assert _lookup._vocab(FIRSTS) is FIRSTS
    assert _lookup._vocab(("in", "")) is _lookup._vocab(("in", ""))  # built once per tuple
    assert _lookup._vocab(frozenset({"a", ""})) == frozenset({"a"})


def test_finding_evolve_is_replace_without_the_checks():
    """``Finding.evolve`` (the fast copy findings take on their way out) gives what
    ``dataclasses.replace`` gives, for every field, and leaves the original alone."""
    import dataclasses

    from normalize.findings import Category, Edit, Finding, FixSafety, Severity

    original = Finding("typography.x", Category.TYPOGRAPHY, Severity.WARNING, 3, 7, "abcd", "m",
                       replacement="x", fix=FixSafety.SAFE, line=2, column=4, replaces=(2, 8),
                       also=(Edit(10, 11, "y", "typography.x"),), group="g@1", conflicts=("a.b",),
                       data={"k": 1})
    changes = {"start": 13, "end": 17, "line": 9, "column": 1, "replaces": (12, 18),
               "also": (Edit(20, 21, "y"),), "group": "g@9:1", "data": {"k": 2},
               "severity": Severity.ERROR, "message": "n", "rule": "typography.y",
               "text": "efgh", "replacement": "z", "fix": FixSafety.UNSAFE, "mqm": "Other",
               "category": Category.DEBRIS, "conflicts": ()}
    assert set(changes) == {f.name for f in dataclasses.fields(Finding)}
    for name, value in changes.items():
        one = {name: value} if name not in ("start", "end") else {"start": 13, "end": 17}
        fast = original.evolve(**one)
        slow = dataclasses.replace(original, **one)
        # == leaves out group and data (compare=False): compare them too.
        assert (fast, fast.group, fast.data) == (slow, slow.group, slow.data)
        assert getattr(fast, name) == value
    assert original.evolve(**changes) == dataclasses.replace(original, **changes)
    assert original.start == 3 and original.line == 2 and original.data == {"k": 1}


def test_finding_init_keeps_the_dataclass_contract():
    """Finding's generated ``__init__`` (slot writes instead of ``object.__setattr__``)
    takes the fields in order with their defaults, a fresh ``data`` dict each time, and
    still refuses a bad span or a fix without a replacement."""
    import dataclasses
    import inspect

    import pytest

    from normalize.findings import (
        MQM_BY_CATEGORY,
        Category,
        Finding,
        FixSafety,
        Severity,
    )

    names = [f.name for f in dataclasses.fields(Finding)]
    assert list(inspect.signature(Finding.__init__).parameters)[1:] == names
    a = Finding("x.y", Category.NUMBER, Severity.INFO, 1, 2, "a", "m")
    b = Finding(rule="x.y", category=Category.NUMBER, severity=Severity.INFO, start=1, end=2,
                text="a", message="m")
    assert a == b and a.data == {} and a.data is not b.data
    for f in dataclasses.fields(Finding):
        if f.default is not dataclasses.MISSING and f.name != "mqm":
            assert getattr(a, f.name) == f.default
    assert a.mqm == MQM_BY_CATEGORY[Category.NUMBER]
    with pytest.raises(ValueError, match="bad span"):
        Finding("x.y", Category.NUMBER, Severity.INFO, 3, 2, "a", "m")
    with pytest.raises(ValueError, match="needs a replacement"):
        Finding("x.y", Category.NUMBER, Severity.INFO, 1, 2, "a", "m", fix=FixSafety.SAFE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.start = 5  # type: ignore[misc]


def _camel_reference(word: str) -> int | None:
    """garble.glued_words' camelCase split by its definition, scanning every letter: one
    capital after the first letter, at least two lower-case letters before it and a
    lower-case rest after it."""
    ups = [i for i, c in enumerate(word) if i and c.isupper()]
    if len(ups) == 1 and ups[0] >= 2 and len(word) - ups[0] >= 2 \
            and word[:ups[0]].islower() and word[ups[0] + 1:].islower():
        return ups[0]
    return None


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aBcDéÉ1_ßİıǅǆΣσ")), max_size=10) | st.text(max_size=10))
def test_camel_split_shortcut_answers_as_the_full_scan(word):
    from normalize.rules.garble.glued_words import _camel_split

    assert _camel_split(word) == _camel_reference(word)


def test_camel_split_still_splits():
    from normalize.rules.garble.glued_words import _camel_split

    assert [_camel_split(w) for w in ("theGovernment", "iPhone", "government", "YouTube", "ministryOf")] \
        == [3, None, None, None, 8]


def test_exonym_answers_kept_from_text_to_text_are_a_fresh_process_answers(monkeypatch):
    """toponym.exonym keeps its look-ups and its "this word alone starts nothing" answers
    per language across texts (rules/toponym/exonym._memo): checked again with the memo
    full, or from an empty memo each time, or with a memo that is dropped at every text,
    every text gets the same findings."""
    from normalize.checker import get_linter
    from normalize.linter import Options
    from normalize.rules.toponym import exonym

    texts = ["Officials in Kiev said shelling of Kharkov went on; München and Wien sent aid.",
             "Kharkov and Nikolaev. The mayor of Sofievka spoke in Dnepropetrovsk on Monday.",
             "Monday: Kiev, Kyiv, Odessa, Wien. New York and Sankt Petersburg are far away."]
    linter = get_linter(Options(lang="en", style="ap"))

    def findings() -> list[list[tuple]]:
        return [[(f.rule, f.start, f.end, f.message) for f in linter.check(Document(t, lang="en", style="ap"))]
                for t in texts]

    exonym._MEMOS.clear()
    first = findings()
    lookups, lone = exonym._MEMOS["en"][1:]
    assert lone and lookups and lone["Monday"] is True and lone["München"] is False
    assert findings() == first
    fresh = []
    for t in texts:
        exonym._MEMOS.clear()
        fresh.append([(f.rule, f.start, f.end, f.message)
                      for f in linter.check(Document(t, lang="en", style="ap"))])
    assert fresh == first
    monkeypatch.setattr(exonym, "MAX_MEMO", 0)   # dropped at every text
    assert findings() == first
    assert any(rule == "toponym.exonym" for text in first for rule, *_ in text)
