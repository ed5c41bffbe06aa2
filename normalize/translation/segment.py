"""Sentence segments of a document, and putting translated segments back in place.

Translation models work sentence by sentence, but a news story's layout —
lines, blank lines between paragraphs, indentation, CRLF line ends — must
survive a round through one. :func:`split_segments` cuts every line into
sentences and records each sentence's character span; :func:`join` puts new
text into those spans and leaves everything between them (the separators)
exactly as it was. A sentence never spans a line break: text delivered one
segment per line stays one segment per line.

The splitter is deliberately plain: a sentence ends at ``.``, ``!``, ``?`` or
``…`` (with any closing quotes or brackets after it) followed by white space
and a capital letter, a digit or an opening quote — unless the word before a
single full stop is a known abbreviation or an initial ("Mr.", "M.", "J.").
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: Words that a full stop follows without ending the sentence (case-sensitive;
#: titles and short forms common in news copy of the supported languages).
ABBREVIATIONS = frozenset(["Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr", "St", "Mt", "Ft", "Gen", "Lt", "Col", "Maj", "Capt", "Cmdr", "Adm", "Sgt", "Cpl", "Gov", "Sen", "Rep", "Rev", "Hon", "Pres", "Supt", "Insp", "Det", "No", "Nos", "Nr", "Vol", "Fig", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mme", "Mlle", "Mgr", "Me", "Pr", "Dre", "Cie", "Sté", "av", "bd", "apr", "env", "cf", "etc", "vs", "approx", "ca", "max", "incl", "excl", "esp", "resp", "Co", "Corp", "Inc", "Ltd", "Bros", "Hr", "Fr", "Frl", "Hrn", "Nr", "Str", "bzw", "ggf", "usw", "vgl", "Sra", "Srta", "Sres", "Dña", "Dra", "Avda", "Sig", "Sigg", "Dott", "Ing", "Avv", "On", "г", "гг", "ул", "им", "тыс", "млн", "млрд", "руб", "коп"])

_END = re.compile(r"([.!?\u2026]+)([)\]\"'\u201d\u2019\u00bb]*)(\s+)")
_OPENERS = "\"'(\u201c\u2018\u00ab\u201e[\u2014\u2013-"
_WORD_BEFORE = re.compile(r"(\w+)$")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Segment:
    """One sentence: ``text == document[start:end]``."""

    start: int
    end: int
    text: str
    #: 1-based number of the line the segment is on.
    line: int = 0

    @property
    def translatable(self) -> bool:
        """Whether there is anything to translate (a letter); other segments are copied."""
        return _LETTER.search(self.text) is not None


def _starts_sentence(text: str, pos: int) -> bool:
    while pos < len(text) and text[pos] in _OPENERS:
        pos += 1
    if pos >= len(text):
        return False
    ch = text[pos]
    return ch.isdigit() or (ch.isalpha() and (ch.isupper() or not ch.islower()))


def _is_abbreviation(body: str, dot: int, marks: str, lang: str | None) -> bool:
    if marks != ".":
        return False
    # Only the word before the dot matters: searching from 0 made long lines quadratic.
    m = _WORD_BEFORE.search(body, max(0, dot - 64), dot)
    if m is None:
        return False
    word = m.group(1)
    if word in ABBREVIATIONS or word.lower() in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "J. K. Rowling", "M. Macron"
    # German writes ordinals and dates with a full stop: "am 3. Mai".
    return bool(lang and lang.split("-")[0] == "de" and word.isdigit() and len(word) <= 2)


def split_line(body: str, offset: int = 0, line: int = 0,
               lang: str | None = None) -> list[Segment]:
    """The sentences of one line (without its line break), with absolute offsets."""
    stripped = body.strip()
    if not stripped:
        return []
    start = len(body) - len(body.lstrip())
    end_of_content = len(body.rstrip())
    out: list[Segment] = []
    for m in _END.finditer(body, start, end_of_content + 1):
        stop = m.end(2)  # the sentence includes its closing quotes and brackets
        if m.end(3) >= end_of_content or not _starts_sentence(body, m.end(3)):
            continue
        if _is_abbreviation(body, m.start(1), m.group(1), lang):
            continue
        if stop > start:
            out.append(Segment(offset + start, offset + stop, body[start:stop], line))
        start = m.end(3)
    if start < end_of_content:
        out.append(Segment(offset + start, offset + end_of_content,
                           body[start:end_of_content], line))
    return out


def may_split(stripped: str) -> bool:
    """Whether :func:`split_line` may cut the line ``stripped`` (a line stripped of its
    white space) into several sentences: False when no sentence end followed by white
    space stands inside it, and then the line is one segment, all of it."""
    return _END.search(stripped) is not None


def split_segments(text: str, lang: str | None = None) -> list[Segment]:
    """Every sentence of ``text``, line by line, in order."""
    segments: list[Segment] = []
    pos = 0
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        body = line.rstrip("\r\n")
        segments.extend(split_line(body, pos, number, lang))
        pos += len(line)
    return segments


def join(text: str, segments: Sequence[Segment], replacements: Sequence[str]) -> str:
    """``text`` with each segment's span replaced by its replacement, separators kept.

    A replacement's own line breaks become spaces, so that the line structure
    of ``text`` is exactly the structure of the result.
    """
    if len(segments) != len(replacements):
        raise ValueError(f"{len(segments)} segments but {len(replacements)} replacements")
    parts: list[str] = []
    pos = 0
    for segment, new in zip(segments, replacements):
        if segment.start < pos:
            raise ValueError("segments overlap or are out of order")
        parts.append(text[pos:segment.start])
        parts.append(" ".join(new.split()) if ("\n" in new or "\r" in new) else new.strip())
        pos = segment.end
    parts.append(text[pos:])
    return "".join(parts)
