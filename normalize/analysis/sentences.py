"""Sentences of running prose and their words (``ctx.analysis.prose_sentences``).

The syntax rules of ``garble`` (``garble.no_finite_verb``, ``garble.inverted_clause``,
``garble.postposed_adjective``, ``garble.dangling_pronoun``) look only at
sentences inside paragraphs of running prose: a line of at least
:data:`MIN_PARAGRAPH_WORDS` words that ends like a sentence. Headlines,
captions, list items, bylines and datelines do not, so their telegraphic
syntax is never reported.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import accumulate
from typing import TYPE_CHECKING, NamedTuple

from ..translation.segment import split_line

if TYPE_CHECKING:
    from ..registry import Context

#: A line shorter than this (in words) is a headline, caption or label, not prose.
MIN_PARAGRAPH_WORDS = 12
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*|\d+(?:[.,:]\d+)*")
#: The same words as a capture group: ``split`` gives them with the text between them.
_WORD_SPLIT = re.compile(f"({_WORD.pattern})")
_ENDS = ('.', '!', '?', '\u2026', '"', '\u201d', '\u00bb', "'", '\u2019', ')')
_LIST_MARK = re.compile(r"^\s*(?:[-*\u2022\u2013\u2014>]|\d{1,3}[.)]\s)")


class Word(NamedTuple):
    """One word of a sentence: offsets in the document, text, lower-cased text."""

    start: int
    end: int
    text: str
    low: str


class Sentence:
    """One sentence of a prose paragraph; its words are split on first use.

    A megabyte of prose holds ~140k words: building a :class:`Word` for each cost
    0.4 s when every rule only needs some sentences' words (``dangling_pronoun``
    reads the first sentence, ``postposed_adjective`` those holding a listed
    adjective). :attr:`word_texts` (one C-level ``findall``) answers counts and
    first words without building them.
    """

    __slots__ = ("_texts", "_words", "end", "index", "paragraph", "start", "text")

    def __init__(self, start: int, end: int, text: str, index: int, paragraph: int) -> None:
        self.start = start
        self.end = end
        self.text = text
        #: Index of the sentence within its paragraph (0: the paragraph's first).
        self.index = index
        #: Index of the paragraph among the document's prose paragraphs (0: the first).
        self.paragraph = paragraph
        self._words: tuple[Word, ...] | None = None
        self._texts: list[str] | None = None

    @property
    def words(self) -> tuple[Word, ...]:
        """The sentence's words with their offsets in the document (built once)."""
        if self._words is None:
            parts = _WORD_SPLIT.split(self.text)  # [between, word, between, ..., between]
            texts = parts[1::2]
            # offsets[k]: where parts[k] starts in the document (word i is parts[2i + 1]).
            offsets = list(accumulate(map(len, parts), initial=self.start))
            self._words = tuple(map(Word, offsets[1::2], offsets[2::2], texts,
                                    map(str.lower, texts)))
        return self._words

    @property
    def word_texts(self) -> list[str]:
        """The text of each word, as in :attr:`words` (without building them)."""
        if self._texts is None:
            self._texts = ([w.text for w in self._words] if self._words is not None
                           else _WORD.findall(self.text))
        return self._texts

    def __repr__(self) -> str:
        return (f"Sentence(start={self.start}, end={self.end}, text={self.text!r}, "
                f"index={self.index}, paragraph={self.paragraph})")


def _prose_line_words(body: str) -> list[str] | None:
    """The words of ``body`` if it is a line of running prose, else None."""
    stripped = body.strip()
    if not stripped.endswith(_ENDS) or _LIST_MARK.match(body):
        return None
    words = _WORD.findall(stripped)
    return words if len(words) >= MIN_PARAGRAPH_WORDS else None


def iter_prose_sentences(ctx: Context) -> Iterator[Sentence]:
    """Every sentence of the document's prose paragraphs, in order."""
    text = ctx.text
    pos = 0
    paragraph = 0
    lang = ctx.language.code
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        words = _prose_line_words(body)
        if words is not None:
            segments = list(split_line(body, pos, 0, lang))
            for index, seg in enumerate(segments):
                sentence = Sentence(seg.start, seg.end, seg.text, index, paragraph)
                if len(segments) == 1 and seg.text.strip() == body.strip():
                    # The line is one sentence (most lines of a one-sentence-per-line
                    # file): its words are those just found, not to be found again.
                    sentence._texts = words
                yield sentence
            paragraph += 1
        pos += len(line)
