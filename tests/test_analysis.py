"""The document analyses (normalize.analysis): fast and plain paths agree on every script.

Text is drawn from every script the project supports, not only from rule
cases: Latin with all its diacritics (Ł Ś Ź Ż Ő Ű ...), Cyrillic, Greek, CJK,
Arabic, combining marks, title-case digraphs and astral letters.
"""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import normalize
from normalize.analysis.capitals import NAME_JOINERS, find_capital_runs, name_runs
from normalize.analysis.words import WordSpans, is_capital

#: Letters of every script the project supports, upper and lower case where the script has case.
_LETTERS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ"
    "ĀāĂăĄąĆćČčĎďĐđĘęĚěĞğİıŁłŃńŇňŐőŒœŘřŚśŞşŠšŢţŤťŮůŰűŸŹźŻżŽžǅǈǋ"
    "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюяІЇЄҐіїєґ"
    "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩαβγδεζηθικλμνξοπρσςτυφχψωΆάΈέ"
    "中国北京上海习近平日本東京한국서울ひらがなカタカナ"
    "العربيةمحمدالقاهرة"
)
_PIECES = (list(_LETTERS) + list(" \u00a0-\u2010\u2011_'.,\n\t0123456789")
           + ["\u0301", "\u0308", "\u0327", "𝐀", "𝑎", "𐐀", "𐐨", "𠀀"]
           + ["Anna ", "Łukaszewska ", "Őri ", "Ümit ", "Ślązak-Żółć ", "Владимир Путин ",
              "Κυριάκος Μητσοτάκης ", "the the ", "Finance Minister "])
#: Any character of the letter, mark, number, space and dash categories, astral ones too.
_ANY_LETTERS = st.characters(categories=("Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Nd", "Nl", "No",
                                         "Zs", "Pd", "Pc"))
TEXTS = st.one_of(st.lists(st.sampled_from(_PIECES), max_size=80).map("".join),
                  st.lists(st.one_of(st.sampled_from(_PIECES), _ANY_LETTERS), max_size=80).map("".join))


def _paths(text: str) -> tuple[WordSpans, WordSpans]:
    return WordSpans(text, fast=False), WordSpans(text, fast=True)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_words_agree_on_both_paths(text: str) -> None:
    plain, fast = _paths(text)
    assert list(plain.starts) == list(fast.starts)
    assert list(plain.ends) == list(fast.ends)
    assert plain.capitalised() == fast.capitalised()
    assert plain.repeated_pairs() == fast.repeated_pairs()
    assert fast.capital_mask().tolist() == plain.capital_flags()


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.sampled_from([NAME_JOINERS, " -"]))
def test_capital_runs_agree_on_both_paths(text: str, joiners: str) -> None:
    plain, fast = _paths(text)
    a, b = find_capital_runs(plain, joiners), find_capital_runs(fast, joiners)
    assert a == b
    assert name_runs(plain, a) == name_runs(fast, b)
    for first, last in zip(a.firsts, a.lasts):
        for i in range(first, last + 1):
            assert is_capital(text[plain.starts[i]])
        for i in range(first, last):
            assert plain.starts[i + 1] - plain.ends[i] == 1 and text[plain.ends[i]] in joiners


def test_one_definition_of_a_capital() -> None:
    """Every letter of category Lu or Lt is a capital, on both paths."""
    letters = [c for c in map(chr, range(0x10000)) if unicodedata.category(c) in ("Lu", "Lt")]
    text = " ".join(letters)
    plain, fast = _paths(text)
    assert all(plain.capital_flags())
    assert fast.capital_mask().all()
    assert "ß" not in letters and not is_capital("ı") and is_capital("Ł") and is_capital("ǅ")


_SENTENCE = "Finance Minister Anna Łukaszewska met the press on Monday. He said the budget was ready."
_FILLER = "The weather was mild and nothing else happened that day. " * 700


@pytest.mark.parametrize("filler", ["", "\n\n" + _FILLER], ids=["short", "over-32768-chars"])
def test_capital_runs_do_not_depend_on_the_text_length(filler: str) -> None:
    """A name with a capital outside Latin-1 is a name in a long text too (the numpy
    path once knew only a few capital ranges, so "Łukaszewska" ended the run)."""
    text = _SENTENCE + filler
    found = [f.rule for f in normalize.check(text, lang="en") if f.start < len(_SENTENCE)
             and f.rule.startswith("gender.")]
    assert found == ["gender.pronoun_slip"]


def _ctx(text: str):
    from normalize.document import Document
    from normalize.languages import get_language
    from normalize.registry import Context
    from normalize.styles import load_style

    lang = get_language("en")
    return Context(document=Document(text), language=lang, style=load_style(None, lang.family))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + ["in ", "In ", "ın ", "Ін ", ", In ", "the "]), max_size=60)
       .map("".join))
def test_look_ups_agree_on_both_paths(text: str) -> None:
    """Capitalised look-ups (``pair_hits``) take capitals from the word spans on the numpy
    path too, so they find the same pairs in every script."""
    from normalize.analysis import lookup as _lookup
    from normalize.analysis import words

    def run(ctx):
        return [_lookup.pair_hits(ctx, ("in",), ("the",), capital_first=True, capital_second=True,
                                  after_comma=True),
                _lookup.pair_hits(ctx, ("in", "ін"), (), capital_second=True),
                _lookup.word_hits(ctx, ("in", "łódź")), ctx.analysis.lower_aligned]

    small = run(_ctx(text))
    old = words.NUMPY_THRESHOLD
    words.NUMPY_THRESHOLD = 0
    try:
        big = run(_ctx(text))
    finally:
        words.NUMPY_THRESHOLD = old
    assert small == big


@pytest.mark.parametrize("text", ["Talks in Kyiv.", "İstanbul talks.", "", "ΟΔΟΣ Σ."])
def test_lower_cased_text_is_kept_for_a_short_text_only(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``lower``/``lower_aligned`` give the same text whether kept (a short text) or made
    at each use (a long one); only a short text's copy is the same object at each use."""
    from normalize.analysis import document

    fresh = text.lower() if len(text.lower()) == len(text) else None
    aligned = fresh if fresh is not None else "".join(
        c.lower() if len(c.lower()) == 1 else c for c in text)
    for keep, kept in ((1 << 20, True), (0, False)):
        monkeypatch.setattr(document, "KEEP_LOWER", keep)
        analysis = _ctx(text).analysis
        assert (analysis.lower, analysis.lower_aligned) == (fresh, aligned)
        if len(text) > 1:  # (Python shares the empty and one-character strings)
            assert (analysis.lower_aligned is analysis.lower_aligned) is kept
        assert (analysis.lower, analysis.lower_aligned) == (fresh, aligned)


_NUMERALS = ["٣", "۵", "३", "০", "๕", "〇", "Ⅻ", "²", "①", "１", "Ａ", "ｶ", "ⴀ"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES + _NUMERALS), _ANY_LETTERS), max_size=80).map("".join),
       st.sampled_from(["Latin", "Cyrillic", "Greek", "Han", "Arabic", "Kana"]))
def test_foreign_letters_agree_on_both_paths(text: str, script: str) -> None:
    """The script pass finds the same letters of other scripts with the numpy table as
    with the regex, digits and numerals of a script's block included (neutral on both)."""
    from normalize.analysis.scripts import (
        NEUTRAL,
        SCRIPT_ID,
        foreign_letters,
        script_of,
    )

    sid = SCRIPT_ID[script]
    plain = foreign_letters(text, sid)
    fast = foreign_letters(text, sid, WordSpans(text, fast=True).cps)
    assert plain == fast
    assert foreign_letters(text, sid, large=True) == plain
    assert plain == [i for i, c in enumerate(text) if script_of(c) not in (NEUTRAL, sid)]


def test_an_analysis_is_computed_once_and_shared_results_are_keyed_by_function() -> None:
    ctx = _ctx("Anna Łukaszewska met Jan Kowalski in Kraków.")
    assert ctx.analysis is ctx.analysis
    assert ctx.analysis.words is ctx.analysis.words
    calls = []

    def build(c):
        calls.append(c)
        return [len(c.text)]

    assert ctx.analysis.shared(build) is ctx.analysis.shared(build)
    assert calls == [ctx]
    runs = ctx.analysis.capital_runs
    assert [ctx.text[s:e] for s, e in zip(ctx.analysis.name_runs.given_starts,
                                          ctx.analysis.name_runs.surname_ends)] == \
        ["Anna Łukaszewska", "Jan Kowalski"]
    assert len(runs) == 2
    with pytest.raises(ValueError):
        ctx.analysis.adopt("words", [])
    assert not ctx.analysis.computed("places")
    ctx.analysis.adopt("places", [])
    assert ctx.analysis.computed("places") and ctx.analysis.places == []


_GENDER_PIECES = ["he ", "He ", "she ", "She ", "her ", "him ", "his ", "spokeswoman ", "minister ",
                  "Mrs ", "Mr. ", "President ", "said ", ". ", "\n", "Ministerin ", "der Sprecher ",
                  "sie ", "er ", "elle ", "il ", "la ministre ", "она ", "он ", "заявила ", "Анна ",
                  "Anna ", "Łukaszewska ", "Ursula von der Leyen ", "John F. Kennedy ", "Harris ",
                  "Harris said ", "'s ", "the ship ", "every citizen "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_GENDER_PIECES + _PIECES), _ANY_LETTERS), max_size=60)
       .map("".join), st.sampled_from(["en", "de", "fr", "ru"]))
def test_gender_cues_agree_on_both_paths(text: str, lang: str) -> None:
    """The gender scan (numpy candidate filter, capital runs, suffix nouns on large texts;
    plain word lists on short ones) finds the same cues in every script."""
    from normalize.analysis import words
    from normalize.document import Document
    from normalize.languages import get_language
    from normalize.registry import Context
    from normalize.rules.gender._analysis import analyse
    from normalize.styles import load_style

    def run():
        language = get_language(lang)
        ctx = Context(document=Document(text), language=language,
                      style=load_style(None, language.family))
        a = analyse(ctx)
        n = len(text)
        return (a.cues, a.names(0, n), a.window_cues(0, n), a.surname_cues(0, n),
                [a.in_quote(i) for i in range(0, n, 7)])

    small = run()
    old = words.NUMPY_THRESHOLD
    words.NUMPY_THRESHOLD = 0
    try:
        big = run()
    finally:
        words.NUMPY_THRESHOLD = old
    assert small == big


_PROSE = ("Headline of the day\n\n"
          "In Kyiv, the minister said on Monday that the talks would go on, and the "
          "delegates agreed. Later on the same day the talks ended without any result at all.\n"
          "- a list item that is long enough to count as words of prose if it were one.\n"
          "Another paragraph of running prose with more than twelve words in it, ending well.\n")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([_PROSE, "Short line.\n", "\n", "Über die Grenze gingen sie "
                                 "mit zwölf Wörtern und mehr, so sagt man es jedenfalls. Ja.\n"]),
                max_size=12).map("".join))
def test_prose_sentences_are_the_sentences_of_the_scan(text: str) -> None:
    """The compact sequence of prose sentences gives the sentences the line scan gives,
    words included, by iteration, index and slice: whether it keeps them once built (a
    short text) or builds them at each access."""
    from normalize.analysis import sentences

    old = sentences.KEEP_BUILT
    try:
        for keep, kept in ((1 << 20, True), (0, False)):
            sentences.KEEP_BUILT = keep
            _check_prose_sentences(text, kept)
    finally:
        sentences.KEEP_BUILT = old


def _check_prose_sentences(text: str, kept: bool) -> None:
    from normalize.analysis.sentences import iter_prose_sentences

    ctx = _ctx(text)
    expected = list(iter_prose_sentences(ctx))
    held = ctx.analysis.prose_sentences

    def fields(s):
        return (s.start, s.end, s.text, s.index, s.paragraph, s.word_texts, s.words)

    assert len(held) == len(expected)
    # Kept: the words a rule split are there for the next (the same object each time).
    assert all((a is b) is kept for a, b in zip(held, held))
    assert [fields(s) for s in held] == [fields(s) for s in expected]
    assert [fields(s) for s in held[1:3]] == [fields(s) for s in expected[1:3]]
    for i in range(-len(expected), len(expected)):
        assert fields(held[i]) == fields(expected[i])
        assert held[i].first_word == (expected[i].word_texts or [None])[0]
        assert held[i].text == text[held[i].start:held[i].end]
    with pytest.raises(IndexError):
        held[len(expected)]
    first = ctx.analysis.first_prose_sentence()
    assert (fields(first) if first else None) == (fields(expected[0]) if expected else None)


def test_duplicate_paragraphs_do_not_depend_on_the_hash_of_the_lines(monkeypatch) -> None:
    """Exact copies are remembered by the hash of their text: with every line's hash the
    same, the findings are the same (a clash is confirmed on the text)."""
    from normalize.rules.repetition import duplicate_paragraph

    para = "The delegates of both countries met again in Geneva on Monday to talk about the border."
    other = "A quite different paragraph about the weather, which was cold and wet all week long."
    third = "And a third paragraph, about the harvest, which was better than anyone had expected."
    parts = [para, other, para, third, other, third, "Short.", para]
    text = "\n\n".join(parts) + "\n"
    select = ("repetition.duplicate_paragraph",)

    def found() -> list[tuple[int, int, str]]:
        return [(f.start, f.end, f.message) for f in normalize.check(text, lang="en", select=select)]

    expected = found()
    assert len(expected) == 4
    monkeypatch.setattr(duplicate_paragraph, "_text_hash", lambda key: 7)
    assert found() == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES + _NUMERALS + ["12", "3", "x4", "𝟙", "٣٤"]),
                          _ANY_LETTERS), max_size=80).map("".join),
       st.integers(min_value=1, max_value=9))
def test_blockwise_scans_agree_with_whole_text_scans(text: str, block: int) -> None:
    """Digit runs and letters of other scripts found a block of code points at a time (any
    block size, a run across two blocks included) are those of the whole-text scans."""
    from normalize.analysis import words
    from normalize.analysis.scripts import SCRIPT_ID, foreign_letters
    from normalize.analysis.words import digit_run_starts

    expected = digit_run_starts(WordSpans(text, fast=False))
    letters = [foreign_letters(text, sid) for sid in (SCRIPT_ID["Latin"], SCRIPT_ID["Cyrillic"])]
    old = words.BLOCK_CHARS
    words.BLOCK_CHARS = block
    try:
        assert digit_run_starts(WordSpans(text, fast=True)) == expected
        assert [foreign_letters(text, sid, large=True)
                for sid in (SCRIPT_ID["Latin"], SCRIPT_ID["Cyrillic"])] == letters
    finally:
        words.BLOCK_CHARS = old


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.integers(min_value=1, max_value=9))
def test_word_analyses_do_not_depend_on_the_block_size(text: str, block: int) -> None:
    """The numpy path reads code points a block of the text at a time: any block size gives
    the words, capitals, repeated pairs, capital runs and word hashes of one block."""
    import numpy as np

    from normalize.analysis import words
    from normalize.analysis.word_index import WordIndex
    from normalize.analysis.words import code_points_at

    whole = WordSpans(text, fast=True)
    expected = (list(whole.starts), list(whole.ends), list(whole.capitalised()), whole.repeated_pairs(),
                whole.capital_mask().tolist(), find_capital_runs(whole, NAME_JOINERS),
                WordIndex(whole).hashes.tolist() if len(whole.starts) else [])
    cps = whole.cps
    old = words.BLOCK_CHARS
    words.BLOCK_CHARS = block
    try:
        spans = WordSpans(text, fast=True)
        assert (list(spans.starts), list(spans.ends), list(spans.capitalised()), spans.repeated_pairs(),
                spans.capital_mask().tolist(), find_capital_runs(spans, NAME_JOINERS),
                WordIndex(spans).hashes.tolist() if len(spans.starts) else []) == expected
        for positions in (np.arange(len(text)), np.arange(len(text))[::-1], np.zeros(0, dtype=np.int64),
                          np.array([len(text) - 1, 0] if text else [], dtype=np.int64)):
            assert code_points_at(text, positions).tolist() == cps[positions].tolist()
    finally:
        words.BLOCK_CHARS = old


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + ["\n", "\n\n", "ab", "Ünter", "x1y"]), max_size=60).map("".join),
       st.integers(min_value=1, max_value=9))
def test_letter_runs_listed_by_blocks_are_those_of_the_whole_text(text: str, block: int) -> None:
    """garble.glued_words lists a large text's distinct letter runs a block of lines at a
    time: the same runs as one findall over the whole text, whatever the block size."""
    from normalize.rules.garble.glued_words import _LETTERS, _distinct_letter_runs

    assert _distinct_letter_runs(text, block) == set(_LETTERS.findall(text))
