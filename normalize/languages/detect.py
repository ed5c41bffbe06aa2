"""Which supported language a document is written in (``--lang auto``, wrong-language hints).

Two signals: closed-class words (each language's ``function_words`` list,
free to count) and py3langid (the model the untranslated rules already
use, loaded only when the words point away from the expected language or
``--lang auto`` asks). A sample of the document is enough: the first
:data:`SAMPLE_BYTES` of a text file, the text fields of a record file's
first records.
"""
from __future__ import annotations

import functools
import gzip
import json
import os
import re
import sys
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .base import get_language, known_languages

if TYPE_CHECKING:
    from ..linter import Options

#: How much of a file is read to tell its language.
SAMPLE_BYTES = 16_384
#: Fewer words than this say too little (a headline, a caption).
MIN_WORDS = 20
#: py3langid's probability at or above which a file "clearly" is in a language.
CLEAR = 0.95
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True)
class Detection:
    """A language guess: the code, how sure (0-1), and what said so."""

    lang: str
    confidence: float
    method: str  # "langid" or "function words"

    @property
    def name(self) -> str:
        """The language's English name ("French")."""
        from . import language_name

        return language_name(self.lang)


@functools.cache
def _function_words(lang: str) -> frozenset[str]:
    words = get_language(lang).data("function_words").get("words", [])
    return frozenset(str(w).lower() for w in words)


def function_word_hits(text: str) -> dict[str, int]:
    """For each supported language, how many words of ``text`` are its function words."""
    words = [w.lower() for w in _WORD.findall(text)]
    return {lang: sum(w in _function_words(lang) for w in words) for lang in known_languages()}


def _langid(text: str) -> tuple[str, float] | None:
    from ..analysis.langid import identifier

    ident = identifier(known_languages())
    if ident is None:
        return None
    lang, prob = ident.classify(text)
    return (lang, prob) if lang in known_languages() else None


def detect(text: str) -> Detection | None:
    """The language of ``text``, or None when it is too short to tell."""
    if len(_WORD.findall(text)) < MIN_WORDS:
        return None
    found = _langid(text)
    if found is not None:
        return Detection(found[0], found[1], "langid")
    hits = function_word_hits(text)
    total = sum(hits.values()) or 1
    best = max(hits, key=lambda lang: hits[lang])
    return Detection(best, hits[best] / total, "function words") if hits[best] else None


def clearly_other(text: str, expected: str) -> Detection | None:
    """The language ``text`` clearly is in, when that is not ``expected``; else None.

    Cheap for the usual case: unless another language's function words
    outnumber the expected one's twice over, no model is loaded.
    """
    family = expected.split("-")[0].lower()
    if len(_WORD.findall(text)) < MIN_WORDS:
        return None
    hits = function_word_hits(text)
    best = max(hits, key=lambda lang: hits[lang])
    if best == family or hits[best] < 10 or hits[best] < 2 * hits.get(family, 0):
        return None
    found = _langid(text)
    if found is None:  # no model: the words alone, when they leave no doubt
        if not _function_words(family):  # a language without a word list (uk, pl) cannot be outvoted
            return None
        return Detection(best, 1.0, "function words") if hits[best] >= 4 * hits.get(family, 0) else None
    lang, prob = found
    if lang != best or prob < CLEAR:
        return None
    return Detection(lang, prob, "langid")


def options_for_text(options: Options, text: str) -> Options:
    """``options`` in the language of ``text`` (``--lang auto`` per record);
    unchanged when the text is too short to tell."""
    found = detect(text)
    return options if found is None else with_language(options, found.lang)


def with_language(options: Options, lang: str) -> Options:
    """``options`` for documents in ``lang``: a house style that does not cover
    that language gives way to the language's default style."""
    import dataclasses

    from ..styles import DEFAULT, style_languages

    if lang == options.lang.split("-")[0].lower():
        return options
    style = options.style
    if style and style != DEFAULT and lang not in style_languages(style):
        style = None
    return dataclasses.replace(options, lang=lang, style=style)


# -- samples --------------------------------------------------------------------------------
def sample(path: str, fmt: str, fields: Iterable[str] = ("text",)) -> str:
    """The first part of a file's text (the ``fields`` of its first records for JSONL/TSV).

    Only regular files and standard input (peeked, not consumed) are read; for
    anything else, or on any error, the sample is empty (the run itself reports
    what is wrong with the file).
    """
    try:
        raw = _head(path)
    except (OSError, EOFError, ValueError, zlib.error):  # zlib.error: a corrupt .gz
        return ""
    if raw is None:
        return ""
    text = raw.decode("utf-8", errors="ignore")
    if fmt == "jsonl":
        return _jsonl_text(text, tuple(fields))
    if fmt == "tsv":
        return "\n".join(text.split("\n")[1:])  # the header is not prose
    return text if fmt == "text" else ""


def _head(path: str) -> bytes | None:
    if path == "-":
        stream = sys.stdin.buffer
        peek = getattr(stream, "peek", None)
        return peek(SAMPLE_BYTES)[:SAMPLE_BYTES] if peek is not None else None
    if not os.path.isfile(path):  # FIFOs, devices: reading could block or never end
        return None
    if path.endswith(".gz"):
        with gzip.open(path, "rb") as stream:
            return stream.read(SAMPLE_BYTES)
    with open(path, "rb") as stream:
        return stream.read(SAMPLE_BYTES)


def _jsonl_text(text: str, fields: tuple[str, ...]) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        try:
            record = json.loads(line)
        except ValueError:  # the cut last line, or a malformed one: the run reports it
            continue
        if isinstance(record, dict):
            out.extend(record[f] for f in fields if isinstance(record.get(f), str))
    return "\n".join(out)
