"""The numpy and pure-Python word scans must agree exactly."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalize.analysis import words as _words
from normalize.analysis.words import WordSpans

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


DIGITS = st.sampled_from(list("a1 2_.,9") + ["\u0661", "\u00b2", "\U0001d7d9", "\u0e53", "x\U0001d7d9"])


@settings(max_examples=300, deadline=None)
@given(st.lists(DIGITS, max_size=40).map("".join))
def test_digit_runs_agree_with_the_regex(text):
    import re

    expected = [m.start() for m in re.finditer(r"\d+", text)]
    small, big = _both(text)
    assert _words.digit_run_starts(small) == expected
    assert _words.digit_run_starts(big) == expected


HALVES = st.sampled_from(list("abé-- _1²½İß'\n@/.:’\u00c3") + ["Σ", "\u0301", "ǅ", "polizei", "station", "www.x.com"])


@settings(max_examples=500, deadline=None)
@given(st.lists(HALVES, max_size=30).map("".join))
def test_half_translated_scans_agree_with_the_regexes(text):
    """garble.half_translated reads compounds and long words off the letter runs; they are
    what its former regexes matched."""
    import re

    from normalize.lexicon.tokens import letter_runs, letter_words
    from normalize.rules.garble.half_translated import _compounds, _long_words

    compound = re.compile(r"(?<![\w-])([^\W\d_]{3,})-([^\W\d_]{3,})(?![\w-])")
    long_word = re.compile(r"(?<![\w-])[^\W\d_]{9,}(?![\w-])")
    spans = WordSpans(text, fast=False)
    # Either form of the letter runs (see DocumentAnalysis.letter_runs) gives the same.
    for runs in (letter_runs(text), letter_words(spans.words(), spans.starts)):
        assert list(_compounds(text, runs)) == [(m.start(), m.end(), m.group(1), m.group(2))
                                                for m in compound.finditer(text)]
        assert list(_long_words(text, runs)) == [(m.start(), m.group()) for m in long_word.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.lists(HALVES, max_size=30).map("".join))
def test_prose_tokens_from_whole_letter_words_are_those_from_every_run(text):
    """untranslated.source_word asks prose_tokens about the words of letters only (short
    texts) or every run of letters (large ones): the same tokens either way."""
    from normalize.lexicon.tokens import letter_runs, letter_words, prose_tokens

    runs = letter_runs(text)
    spans = WordSpans(text, fast=False)
    words = letter_words(spans.words(), spans.starts)
    assert set(words.words) <= set(runs.words)
    wanted = set(runs.words)
    assert list(prose_tokens(text, only=wanted, runs=words)) == list(prose_tokens(text, only=wanted, runs=runs))


ACRONYMS = st.sampled_from(list("AOVZaé &.-/@#_1\n(") + ["ODA", "MChS", "İ", "Ä", "ǅ", "NATOSTAN"])


@settings(max_examples=500, deadline=None)
@given(st.lists(ACRONYMS, max_size=30).map("".join))
def test_acronym_tokens_agree_with_the_regex(text):
    """untranslated.acronym reads its tokens off the capitalised words; they are what its
    former regex matched over the whole text."""
    import re

    from normalize.checker import get_linter
    from normalize.document import Document
    from normalize.linter import Options
    from normalize.rules.untranslated.acronym import _tokens

    token = re.compile(r"(?<![\w&.\-/@#])([A-Z][A-Za-z]{1,6})(?![\w&\-/@])")
    ctx = get_linter(Options(lang="en")).context(Document(text, lang="en"))
    assert list(_tokens(ctx)) == [(m.start(), m.end(), m.group(1)) for m in token.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.lists(ALPHABET, max_size=30).map("".join), st.integers(0, 40), st.integers(0, 40))
def test_last_word_is_what_the_regex_finds(text, lo, end):
    import re

    from normalize.rules.gender._analysis import last_word

    m = re.compile(r"\w+(?=\W*$)").search(text, lo, end)
    lo, end = min(lo, len(text)), min(end, len(text))
    assert last_word(text, lo, end) == (m.span() if m else None)


def test_spans_are_words():
    small, big = _both("Kiev-based the the KYIV 𝐀b")
    assert [("Kiev-based the the KYIV 𝐀b")[s:e] for s, e in small.capitalised()] == ["Kiev", "KYIV", "𝐀b"]
    assert big.capitalised() == small.capitalised()


def _case_texts():
    from pathlib import Path

    import yaml

    for path in sorted((Path(__file__).parent / "rules").glob("*.yml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            text = case.get("fail", case.get("pass"))
            if text:
                yield pytest.param(spec["rule"], case, id=f"{spec['rule']}::{case['name']}")


@pytest.mark.parametrize("rule,case", list(_case_texts()))
def test_rules_agree_on_both_scan_paths(rule, case, monkeypatch):
    """Every rule case gives the same findings with the numpy scan as with the Python one."""
    import normalize
    from normalize import api

    kwargs = {"lang": case.get("lang", "en"), "style": case.get("style"),
              "source_lang": case.get("source_lang"), "source": case.get("source")}
    text = case.get("fail", case.get("pass"))
    small = normalize.check(text, **kwargs)
    monkeypatch.setattr(_words, "NUMPY_THRESHOLD", 0)
    api.get_linter.cache_clear()
    big = normalize.check(text, **kwargs)
    api.get_linter.cache_clear()
    assert [f.to_dict() for f in big] == [f.to_dict() for f in small]
