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
