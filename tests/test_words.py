"""The numpy and pure-Python word scans must agree exactly."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from normalize.rules import _words
from normalize.rules._words import WordSpans

ALPHABET = st.sampled_from(list("aAbB zZ-_'.\n\t1éÉßİıΣσДдǅ") + ["𝐀", "𝑎", "𐐀", "𐐨", "\u0301", "Kiev", "the the "])


def _both(text: str):
    small = WordSpans(text)
    old = _words.NUMPY_THRESHOLD
    _words.NUMPY_THRESHOLD = 0
    try:
        big = WordSpans(text)
    finally:
        _words.NUMPY_THRESHOLD = old
    return small, big


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_numpy_and_python_scans_agree(text):
    small, big = _both(text)
    assert list(small.starts) == list(big.starts)
    assert list(small.ends) == list(big.ends)
    assert small.capitalised() == big.capitalised()
    assert small.repeated_pairs() == big.repeated_pairs()


def test_spans_are_words():
    small, big = _both("Kiev-based the the KYIV 𝐀b")
    assert [("Kiev-based the the KYIV 𝐀b")[s:e] for s, e in small.capitalised()] == ["Kiev", "KYIV", "𝐀b"]
    assert big.capitalised() == small.capitalised()
