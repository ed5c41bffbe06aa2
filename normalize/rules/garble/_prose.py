"""Sentences of running prose and their words, shared by the syntax rules of ``garble``.

The syntax rules (``garble.no_finite_verb``, ``garble.inverted_clause``,
``garble.postposed_adjective``, ``garble.dangling_pronoun``) look only at
sentences inside paragraphs of running prose: a line of at least
:data:`MIN_PARAGRAPH_WORDS` words that ends like a sentence. Headlines,
captions, list items, bylines and datelines do not, so their telegraphic
syntax is never reported. Per-language cues live in
``corpora/rules/<lang>/syntax.yaml``.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from ...languages import get_language
from ...registry import Context
from ...translation.segment import split_line

#: A line shorter than this (in words) is a headline, caption or label, not prose.
MIN_PARAGRAPH_WORDS = 12
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*|\d+(?:[.,:]\d+)*")
_ENDS = ('.', '!', '?', '\u2026', '"', '\u201d', '\u00bb', "'", '\u2019', ')')
_LIST_MARK = re.compile(r"^\s*(?:[-*\u2022\u2013\u2014>]|\d{1,3}[.)]\s)")


@dataclass(frozen=True)
class Word:
    """One word of a sentence: offsets in the document, text, lower-cased text."""

    start: int
    end: int
    text: str
    low: str


@dataclass(frozen=True)
class Sentence:
    """One sentence of a prose paragraph, with its words."""

    start: int
    end: int
    text: str
    words: tuple[Word, ...]
    #: Index of the sentence within its paragraph (0: the paragraph's first).
    index: int
    #: Index of the paragraph among the document's prose paragraphs (0: the first).
    paragraph: int


@functools.lru_cache(maxsize=None)
def syntax_data(lang: str) -> dict[str, Any]:
    """The language's ``syntax.yaml`` (merged with its parents'); empty when it has none."""
    return get_language(lang).data("syntax")


@functools.lru_cache(maxsize=None)
def word_set(lang: str, key: str) -> frozenset[str]:
    """A list of ``syntax.yaml`` as a lower-case set (empty when the key is missing)."""
    return frozenset(str(w).lower() for w in syntax_data(lang).get(key) or [])


def _is_prose_line(body: str) -> bool:
    stripped = body.strip()
    if not stripped.endswith(_ENDS) or _LIST_MARK.match(body):
        return False
    return len(_WORD.findall(stripped)) >= MIN_PARAGRAPH_WORDS


def prose_sentences(ctx: Context) -> list[Sentence]:
    """Every sentence of the document's prose paragraphs, in order (computed once)."""
    cached = ctx.cache.get("garble.prose_sentences")
    if cached is not None:
        return cached
    out: list[Sentence] = []
    text = ctx.text
    pos = 0
    paragraph = 0
    lang = ctx.language.code
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if _is_prose_line(body):
            for index, seg in enumerate(split_line(body, pos, 0, lang)):
                words = tuple(Word(seg.start + m.start(), seg.start + m.end(), m.group(),
                                   m.group().lower()) for m in _WORD.finditer(seg.text))
                out.append(Sentence(seg.start, seg.end, seg.text, words, index, paragraph))
            paragraph += 1
        pos += len(line)
    ctx.cache["garble.prose_sentences"] = out
    return out


def phrase_regex(phrases: frozenset[str]) -> "re.Pattern[str]":
    """A regex matching any of ``phrases`` (lower case, single spaces) at a word boundary."""
    alternation = "|".join(re.escape(p).replace("\\ ", r"\s+")
                           for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.I)
