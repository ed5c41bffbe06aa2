"""Word tokens worth a lexicon look-up, shared by the rules that use a lexicon.

A token is a run of letters. Tokens that are not prose are left out: parts of
addresses, handles, hashtags, file names and code (``@user``, ``#tag``,
``www.site.com``, ``snake_case``, ``obj.method``), and letters stuck to
digits (``5km``, ``COVID19``), since no word list describes them, and runs
next to combining marks or mojibake (encoding.nfc's and encoding.mojibake's business).
"""
from __future__ import annotations

import re
from unicodedata import combining
from typing import Iterator, NamedTuple

_TOKEN = re.compile(r"[^\W\d_]+")
_APOSTROPHES = "'\u2019"
#: A neighbouring character that makes a letter run part of something other than prose.
_GLUE_BEFORE = frozenset("@#/\\_.=&%$+~")
_GLUE_AFTER = frozenset("@/\\_=&%+~")
#: UTF-8 continuation bytes read as Latin-1 ("Ã©"), less the punctuation that
#: stands next to words in real text (no-break space, ¡ ¿ « » ° § ·).
_MOJIBAKE = frozenset(chr(c) for c in range(0x80, 0xC0)) \
    - frozenset("\u00a0\u00a1\u00ab\u00bb\u00bf\u00b0\u00a7\u00b7")
_URLISH = re.compile(r"(?:https?://|www\.|\S@\S|\.(?:com|org|net|html?|php|jpe?g|png|gif|pdf)\b)",
                     re.I)


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


def prose_tokens(text: str) -> Iterator[Token]:
    """Runs of letters in ``text`` that read as prose words (see the module docstring)."""
    n = len(text)
    for m in _TOKEN.finditer(text):
        start, end = m.span()
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
        yield Token(start, end, m.group(), elided, clipped)


def is_lower(word: str) -> bool:
    """All letters lower case."""
    return word.islower()


def is_title(word: str) -> bool:
    """A capital then lower-case letters only ("Paris", not "McDonald" or "NATO")."""
    return len(word) > 1 and word[0].isupper() and word[1:].islower()
