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
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, islice
from typing import TYPE_CHECKING, NamedTuple, overload

from ..translation.segment import may_split, split_line

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

    def iter_words(self) -> Iterator[Word]:
        """:attr:`words` one by one, each found when it is asked for (when they are not
        known yet): a walk that stops after a few words splits no more of the sentence."""
        if self._words is not None:
            yield from self._words
            return
        start = self.start
        for m in _WORD.finditer(self.text):
            word = m.group()
            yield Word(start + m.start(), start + m.end(), word, word.lower())

    @property
    def first_word(self) -> str | None:
        """The first of :attr:`word_texts` (None if there is none), without finding the
        others when they are not known yet."""
        if self._texts is not None:
            return self._texts[0] if self._texts else None
        if self._words is not None:
            return self._words[0].text if self._words else None
        m = _WORD.search(self.text)  # the leftmost match is findall's first
        return m.group() if m is not None else None

    @property
    def word_texts(self) -> list[str]:
        """The text of each word, as in :attr:`words` (without building them)."""
        if self._texts is None:
            self._texts = ([w.text for w in self._words] if self._words is not None
                           else _WORD.findall(self.text))
        return self._texts

    def word_texts_before(self, pos: int) -> list[str]:
        """The first of :attr:`word_texts`: the words of ``text[:pos]``, where ``pos`` is
        the offset of a space in :attr:`text` (no word runs across a space), split
        without splitting the rest; for a test that stops at the first word it needs."""
        return _WORD.findall(self.text, 0, pos)

    def __repr__(self) -> str:
        return (f"Sentence(start={self.start}, end={self.end}, text={self.text!r}, "
                f"index={self.index}, paragraph={self.paragraph})")


def _is_prose_line(body: str, stripped: str) -> bool:
    """Whether the line ``body`` (``stripped``: the same without its white space) is a
    line of running prose. Its words are only counted up to the last needed, without
    a list of them (a findall of every word of every line was half of this analysis)."""
    if len(stripped) < MIN_PARAGRAPH_WORDS or not stripped.endswith(_ENDS) or _LIST_MARK.match(body):
        return False  # (each word is a character at least)
    # Enough white-space-separated tokens of letters only settle it without the word
    # pattern (~3 µs a line): such a token is one word, all of it (no word holds white
    # space), so they are as many different words. The pattern counts the rest.
    if sum(map(str.isalpha, stripped.split())) >= MIN_PARAGRAPH_WORDS:
        return True
    return next(islice(_WORD.finditer(stripped), MIN_PARAGRAPH_WORDS - 1, None), None) is not None


def iter_prose_sentences(ctx: Context) -> Iterator[Sentence]:
    """Every sentence of the document's prose paragraphs, in order."""
    text = ctx.text
    for start, end, index, paragraph in _prose_spans(text, ctx.language.code):
        yield Sentence(start, end, text[start:end], index, paragraph)


def _prose_spans(text: str, lang: str) -> Iterator[tuple[int, int, int, int]]:
    """Each prose sentence's start, end, index in its paragraph and paragraph."""
    pos = 0
    paragraph = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if _is_prose_line(body, stripped):
            if may_split(stripped):
                for index, seg in enumerate(split_line(body, pos, 0, lang)):
                    yield seg.start, seg.end, index, paragraph
            else:
                # No sentence end inside: the line is one sentence, all of its content
                # (most lines of a one-sentence-per-line file), not cut by split_line.
                start = pos + len(body) - len(body.lstrip())
                yield start, start + len(stripped), 0, paragraph
            paragraph += 1
        pos += len(line)


#: A text shorter than this keeps its sentences once built (:class:`ProseSentences`).
KEEP_BUILT = 65_536


class ProseSentences(Sequence[Sentence]):
    """The prose sentences of a document, held as four integers each.

    A megabyte of prose holds ~10k sentences and ~150k words; keeping a
    :class:`Sentence` with its text and word list for each cost ~16 bytes of
    memory per byte of text, for the whole life of the document. Here only
    the offsets, the index in the paragraph and the paragraph are kept (in an
    ``array``); each access builds a fresh :class:`Sentence` whose text is a
    slice of the document and whose words are split on first use, and which
    is freed when the rule moves on. A rule that keeps a sentence keeps only
    that one. A text shorter than :data:`KEEP_BUILT` (a story) keeps each
    sentence once built: several rules read every sentence, and each built
    them and split their words again (~25 µs of a 1.2 KB story's check).
    """

    __slots__ = ("_built", "_fields", "_text")

    def __init__(self, text: str, lang: str) -> None:
        self._text = text
        fields = array("q")
        for span in _prose_spans(text, lang):
            fields.extend(span)
        self._fields = fields
        self._built: list[Sentence | None] | None = (
            [None] * (len(fields) // 4) if len(text) < KEEP_BUILT else None)

    def __len__(self) -> int:
        return len(self._fields) // 4

    def _build(self, i: int) -> Sentence:
        built = self._built
        if built is not None:
            kept = built[i]
            if kept is not None:
                return kept
        start, end, index, paragraph = self._fields[4 * i:4 * i + 4]
        sentence = Sentence(start, end, self._text[start:end], index, paragraph)
        if built is not None:
            built[i] = sentence
        return sentence

    @overload
    def __getitem__(self, i: int) -> Sentence: ...

    @overload
    def __getitem__(self, i: slice) -> list[Sentence]: ...

    def __getitem__(self, i: int | slice) -> Sentence | list[Sentence]:
        if isinstance(i, slice):
            return [self._build(k) for k in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("sentence index out of range")
        return self._build(i)

    def holding(self, offsets: Iterable[int]) -> list[Sentence]:
        """The sentences, in order, within which one of ``offsets`` (sorted) lies: a rule
        that needs a listed word finds its occurrences first (a vectorised look-up) and
        builds only the sentences that hold one."""
        fields = self._fields
        starts = fields[0::4]
        out: list[Sentence] = []
        last = -1
        for offset in offsets:
            i = bisect_right(starts, offset) - 1
            if i > last and offset < fields[4 * i + 1]:
                out.append(self._build(i))
                last = i
        return out

    def __iter__(self) -> Iterator[Sentence]:
        if self._built is not None:
            for i in range(len(self._built)):
                yield self._build(i)
            return
        text, fields = self._text, self._fields
        for k in range(0, len(fields), 4):
            start, end = fields[k], fields[k + 1]
            yield Sentence(start, end, text[start:end], fields[k + 2], fields[k + 3])
