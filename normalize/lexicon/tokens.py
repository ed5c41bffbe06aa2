"""Word tokens worth a lexicon look-up, shared by the rules that use a lexicon.

A token is a run of letters. Tokens that are not prose are left out: parts of
addresses, handles, hashtags, file names and code (``@user``, ``#tag``,
``www.site.com``, ``snake_case``, ``obj.method``), and letters stuck to
digits (``5km``, ``COVID19``), since no word list describes them, and runs
next to combining marks or mojibake (encoding.nfc's and encoding.mojibake's business).
"""
from __future__ import annotations

import re
from collections.abc import Container, Iterator
from itertools import accumulate, compress
from typing import NamedTuple
from unicodedata import combining

_TOKEN = re.compile(r"[^\W\d_]+")
#: The same runs as a capture group: ``split`` gives them with the text between them.
_TOKEN_SPLIT = re.compile(r"([^\W\d_]+)")
_APOSTROPHES = "'\u2019"
#: A neighbouring character that makes a letter run part of something other than prose.
_GLUE_BEFORE = frozenset("@#/\\_.=&%$+~")
_GLUE_AFTER = frozenset("@/\\_=&%+~")
#: UTF-8 continuation bytes read as Latin-1 ("Ã©"), less the punctuation that
#: stands next to words in real text (no-break space, ¡ ¿ « » ° § ·).
_MOJIBAKE = frozenset(chr(c) for c in range(0x80, 0xC0)) \
    - frozenset("\u00a0\u00a1\u00ab\u00bb\u00bf\u00b0\u00a7\u00b7")
_URLISH = re.compile(r"(?:https?://|www\.|\S@\S|\.(?:com|org|net|html?|php|jpe?g|png|gif|pdf)\b)",
                     re.IGNORECASE)


class Token(NamedTuple):
    start: int
    end: int
    text: str
    #: An apostrophe joins the token to letters before it ("l'" + "armée", "don'" + "t").
    elided: bool
    #: An apostrophe joins the token to letters after it ("don" + "'t", "l" + "'armée").
    clipped: bool


def _chunk_is_code_or_url(text: str, start: int, end: int) -> bool:
    """Whether the whitespace-delimited chunk around ``start:end`` looks like an address or code."""
    left = start
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = end
    n = len(text)
    while right < n and not text[right].isspace():
        right += 1
    chunk = text[left:right]
    return "`" in chunk or bool(_URLISH.search(chunk))


class LetterRuns(NamedTuple):
    """Every run of letters of a text, prose or not (the superset :func:`prose_tokens` filters)."""

    #: The runs, in order.
    words: list[str]
    #: The offset of each run in the text.
    starts: list[int]


def letter_runs(text: str) -> LetterRuns:
    """The runs of letters of ``text`` with their offsets, built by C-level calls only
    (``split``, ``accumulate``): about 0.06 s per MB, where a Python loop over
    ``finditer`` costs three times that. A rule can decide on the distinct words first
    and then ask :func:`prose_tokens` for the few it cares about."""
    parts = _TOKEN_SPLIT.split(text)  # [between, run, between, run, ..., between]
    ends = list(accumulate(map(len, parts)))
    return LetterRuns(parts[1::2], ends[0:-1:2])


def letter_words(words: list[str], starts: list[int]) -> LetterRuns:
    """The words among ``words`` (a text's ``\\w+`` runs, at ``starts``) made of letters
    only: of a text's runs of letters, all that :func:`prose_tokens` can give, since a
    run inside a word with a digit or an underscore is stuck to it. Built from the words
    a check has already split, by C-level calls but for words with a digit in them."""
    keep = list(map(str.isalpha, words))
    if not all(keep):
        # "²" and "Ⅻ" are letters here ([^\\W\\d_]) though not alphabetic: decide on
        # what is not a letter, a decimal digit or the underscore.
        keep = [k or ("_" not in w and not any(c.isdecimal() for c in w)) for k, w in zip(keep, words)]
    return LetterRuns(list(compress(words, keep)), list(compress(starts, keep)))


def prose_tokens(text: str, only: Container[str] | None = None,
                 runs: LetterRuns | None = None) -> Iterator[Token]:
    """Runs of letters in ``text`` that read as prose words (see the module docstring).

    With ``only``, just the runs whose text is in it (``runs``: the text's
    :func:`letter_runs`, if the caller has them): the per-token checks below cost
    about 5 µs each, so a rule that needs a few words of a long text passes them here
    instead of filtering every token afterwards. Every occurrence of those words is
    still checked, so counts over the result are exact for them.
    """
    if only is None:
        spans: Iterator[tuple[int, str]] = ((m.start(), m.group()) for m in _TOKEN.finditer(text))
    else:
        runs = runs if runs is not None else letter_runs(text)
        spans = ((start, word) for start, word in zip(runs.starts, runs.words) if word in only)
    n = len(text)
    for start, word in spans:
        end = start + len(word)
        before = text[start - 1] if start else " "
        after = text[end] if end < n else " "
        if before in _GLUE_BEFORE or after in _GLUE_AFTER or before.isdigit() or after.isdigit():
            continue
        if combining(after) or combining(before) or combining(text[start]):
            continue  # decomposed letters (NFD "u" + U+0308) are encoding.nfc's business
        near = text[max(0, start - 3):end]
        if before in _MOJIBAKE or after in _MOJIBAKE or "\u00c3" in near or "\u00c2" in near:
            continue  # "Ã©xito": encoding.mojibake's business, not a word with letters missing
        # "obj.method", "file.txt": a dot glued to letters on both sides
        if after == "." and end + 1 < n and text[end + 1].isalpha():
            continue
        if (":" in text[max(0, start - 8):end + 3] or "." in text[start:end + 1]) \
                and _chunk_is_code_or_url(text, start, end):
            continue
        elided = before in _APOSTROPHES and start >= 2 and text[start - 2].isalpha()
        clipped = after in _APOSTROPHES and end + 1 < n and text[end + 1].isalpha()
        yield Token(start, end, word, elided, clipped)


def is_lower(word: str) -> bool:
    """All letters lower case."""
    return word.islower()


def is_title(word: str) -> bool:
    """A capital then lower-case letters only ("Paris", not "McDonald" or "NATO")."""
    return len(word) > 1 and word[0].isupper() and word[1:].islower()
