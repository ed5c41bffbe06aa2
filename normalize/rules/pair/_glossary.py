"""Glossaries for pair.glossary: TBX (v2 ``termEntry``/``langSet``/``tig``, v3
``conceptEntry``/``langSec``/``termSec``) and TSV/CSV files, read once per file version.

A TSV or CSV glossary has one entry per row::

    source term <TAB> target term[|another accepted target term] [<TAB> status]

``status`` is ``required`` (the default: a segment whose source has the term
must render it with one of the target terms), ``forbidden`` (the target terms
must not render the source term; with an empty source term they are forbidden
everywhere) or ``dnt`` (do not translate: the source term stays as it is). A
first row whose cells are two language codes (``en<TAB>de``) says which pair
the glossary is for; rows starting with ``#`` are comments.

In TBX, the terms of a concept in the source language are the source terms; the
target language's terms are the accepted renderings, except those whose
``administrativeStatus`` is deprecated, superseded or forbidden, which are
forbidden renderings of the concept.
"""
from __future__ import annotations

import csv
import functools
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from ...analysis.segments import is_cjk
from ...errors import UsageError
from ...patterns import LazyPattern

_LANG_CODE = LazyPattern(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_BAD_STATUS = ("deprecated", "superseded", "forbidden", "obsolete")


@dataclass(frozen=True)
class Entry:
    """One glossary concept: source terms, accepted and forbidden target terms, or a
    do-not-translate term (``dnt``)."""

    source: tuple[str, ...]
    required: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    dnt: bool = False


@dataclass(frozen=True)
class Glossary:
    entries: tuple[Entry, ...]
    #: (source language, target language) from the file, when it says.
    langs: tuple[str, str] | None = None

    def for_pair(self, source_lang: str | None, target_lang: str) -> bool:
        if self.langs is None or source_lang is None:
            return True
        return (_family(self.langs[0]), _family(self.langs[1])) == (_family(source_lang), _family(target_lang))


def _family(code: str) -> str:
    return code.replace("_", "-").split("-")[0].lower()


def load(path: str, source_lang: str | None, target_lang: str) -> Glossary:
    """The glossary at ``path`` (cached by path, size and modification time)."""
    p = Path(path)
    try:
        stat = p.stat()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the glossary: {exc.strerror}") from None
    return _load(str(p.resolve()), stat.st_size, stat.st_mtime_ns, _family(source_lang or ""),
                 _family(target_lang))


@functools.lru_cache(maxsize=16)
def _load(path: str, _size: int, _mtime: int, source_lang: str, target_lang: str) -> Glossary:
    raw = Path(path).read_bytes()
    if path.lower().endswith((".tbx", ".xml")) or raw.lstrip()[:5] == b"<?xml":
        return _tbx(path, raw, source_lang, target_lang)
    return _table(path, raw.decode("utf-8-sig"))


def _table(path: str, text: str) -> Glossary:
    dialect = "excel" if path.lower().endswith(".csv") else "excel-tab"
    rows = [r for r in csv.reader(io.StringIO(text), dialect=dialect)
            if r and any(c.strip() for c in r) and not r[0].lstrip().startswith("#")]
    langs = None
    if rows and len(rows[0]) >= 2 and all(_LANG_CODE.fullmatch(c.strip()) for c in rows[0][:2]) \
            and all(len(c.strip()) <= 8 for c in rows[0][:2]):
        langs = (rows[0][0].strip(), rows[0][1].strip())
        rows = rows[1:]
    entries = []
    for n, row in enumerate(rows, 1):
        source = row[0].strip()
        targets = tuple(t.strip() for t in (row[1] if len(row) > 1 else "").split("|") if t.strip())
        status = (row[2].strip().lower() if len(row) > 2 else "") or "required"
        if status == "dnt":
            if source:
                entries.append(Entry((source,), dnt=True))
        elif status == "forbidden":
            if targets:
                entries.append(Entry((source,) if source else (), forbidden=targets))
        elif status == "required":
            if source and targets:
                entries.append(Entry((source,), required=targets))
        else:
            raise UsageError(f"{path}: row {n}: unknown status {status!r} "
                             "(use required, forbidden or dnt)")
    return Glossary(tuple(entries), langs)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _tbx(path: str, raw: bytes, source_lang: str, target_lang: str) -> Glossary:
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise UsageError(f"{path}: line {exc.position[0]}: malformed TBX: {exc}") from None
    entries = []
    for concept in root.iter():
        if _local(concept.tag) not in ("termEntry", "conceptEntry"):
            continue
        src: list[str] = []
        ok: list[str] = []
        bad: list[str] = []
        for lang_set in concept:
            if _local(lang_set.tag) not in ("langSet", "langSec"):
                continue
            lang = _family(lang_set.get(_XML_LANG) or lang_set.get("lang") or "")
            for holder in lang_set.iter():
                if _local(holder.tag) not in ("tig", "ntig", "termSec"):
                    continue
                term = next((e.text for e in holder.iter() if _local(e.tag) == "term" and e.text), None)
                if not term:
                    continue
                status = " ".join((e.text or "").lower() for e in holder.iter()
                                  if _local(e.tag) == "termNote" and e.get("type") == "administrativeStatus")
                if lang == source_lang:
                    src.append(term.strip())
                elif lang == target_lang:
                    (bad if any(s in status for s in _BAD_STATUS) else ok).append(term.strip())
        if src and (ok or bad):
            entries.append(Entry(tuple(src), required=tuple(ok), forbidden=tuple(bad)))
    return Glossary(tuple(entries), None)


@functools.lru_cache(maxsize=4096)
def term_pattern(term: str) -> re.Pattern[str]:
    """A case-insensitive pattern for ``term`` that tolerates inflection: each word of
    four letters or more may take up to three more letters ("Vertrag" matches
    "Vertrages", "treaty" "treaties" through "treat" + "ies"), and a word of six or
    more may lose its last letter. Terms in Han or kana are matched as they are."""
    if any(is_cjk(c) for c in term):
        return re.compile(re.escape(term))
    parts = []
    for word in term.split():
        w = re.escape(word)
        if len(word) >= 6 and word[-1].isalpha():
            w = re.escape(word[:-1]) + r"\w{0,4}"
        elif len(word) >= 4 and word[-1].isalpha():
            w += r"\w{0,3}"
        parts.append(w)
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)", re.IGNORECASE)
