"""Loading the compiled gazetteer shipped in ``corpora/gazetteer/``.

The compiled files are gzip TSV (see ``corpora/gazetteer/SOURCES.md`` and
``scripts/build_gazetteer.py``). A document only needs the names of its own
language plus the untagged ones, so the per-language index is built on first
use and cached on disk (it is a pure function of the data file's bytes).
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import io
import os
import pickle
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import DataError
from ..resources import corpus

#: Name statuses, from best to worst. "contested" names are never replaced.
STATUSES = ("preferred", "variant", "translit", "historic", "misspelling", "contested")
_WORD = re.compile(r"\w+")
_INDEX_VERSION = 3


def name_key(name: str) -> str:
    """The matching key of a name: its words, lower-cased, joined by one space.

    "Nagorno-Karabakh", "Nagorno Karabakh" and "NAGORNO KARABAKH" share a key;
    which of them the text used is recovered from the text itself.
    """
    return " ".join(w.lower() for w in _WORD.findall(name))


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    kind: str
    country: str
    flags: frozenset[str]


@dataclass(frozen=True, slots=True)
class Name:
    place: str
    lang: str
    status: str
    text: str
    source: str


@dataclass
class LanguageIndex:
    """Names usable in one document language, keyed for the matcher.

    ``by_key`` maps a name key to indices into ``names``; ``first_words`` maps
    the first word of any key to the most words a key starting with it has.
    """

    lang: str
    names: list[Name]
    by_key: dict[str, tuple[int, ...]]
    first_words: dict[str, int]


def _rows(node_name: str) -> Iterator[list[str]]:
    node = corpus("gazetteer", node_name)
    if not node.is_file():
        return
    raw = node.read_bytes()
    text = gzip.decompress(raw).decode("utf-8") if node_name.endswith(".gz") else raw.decode("utf-8")
    lines = text.split("\n")
    for lineno, line in enumerate(lines[1:], start=2):
        if line:
            cols = line.split("\t")
            if len(cols) < 2:
                raise DataError(f"corpora/gazetteer/{node_name}:{lineno}: malformed row")
            yield cols


def _cache_dir() -> Path | None:
    base = os.environ.get("MTNORM_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    path = Path(base) if base else Path.home() / ".cache"
    if not os.environ.get("MTNORM_CACHE_DIR"):
        path = path / "mtnorm"
    return path


NAME_FILES = ("names.tsv.gz",)


class Gazetteer:
    """Places and names, with per-language indexes built lazily."""

    def __init__(self, places: dict[str, Place], exceptions: dict[str, list[str]],
                 contested: dict[str, list[tuple[str, str, str]]],
                 name_files: Iterable[str] = NAME_FILES) -> None:
        self.places = places
        self.exceptions = exceptions
        self.contested = contested
        self.name_files = tuple(name_files)
        self._indexes: dict[str, LanguageIndex] = {}
        self._all: list[Name] | None = None

    @classmethod
    def load_bundled(cls) -> "Gazetteer":
        places = {}
        for cols in _rows("places.tsv.gz"):
            cols += [""] * (4 - len(cols))
            places[cols[0]] = Place(cols[0], cols[1], cols[2],
                                    frozenset(f for f in cols[3].split(",") if f))
        exceptions: dict[str, list[str]] = {}
        for cols in _rows("exceptions.tsv"):
            exceptions.setdefault(cols[0], []).append(cols[1])
        contested: dict[str, list[tuple[str, str, str]]] = {}
        for cols in _rows("contested.tsv"):
            cols += [""] * (4 - len(cols))
            contested.setdefault(cols[0], []).append((cols[1], cols[2], cols[3]))
        extra = [f for f in ("names-iso3166.tsv.gz",) if corpus("gazetteer", f).is_file()
                 and os.environ.get("MTNORM_GAZETTEER_ISO3166") == "1"]
        return cls(places, exceptions, contested, NAME_FILES + tuple(extra))

    # -- names ---------------------------------------------------------------
    def _iter_names(self, langs: frozenset[str] | None) -> Iterator[Name]:
        for file in self.name_files:
            for cols in _rows(file):
                if len(cols) < 5:
                    continue
                if langs is None or cols[1] in langs:
                    yield Name(cols[0], cols[1], cols[2], cols[3], cols[4])

    def all_names(self) -> list[Name]:
        """Every name in every language (loaded on first call)."""
        if self._all is None:
            self._all = list(self._iter_names(None))
        return self._all

    def _fingerprint(self) -> str:
        digest = hashlib.sha256(str(_INDEX_VERSION).encode())
        for file in self.name_files:
            node = corpus("gazetteer", file)
            digest.update(file.encode())
            digest.update(node.read_bytes() if node.is_file() else b"")
        digest.update(sys.version.encode())
        return digest.hexdigest()[:16]

    def index(self, lang: str) -> LanguageIndex:
        """The matcher index for documents in ``lang`` (its names plus untagged ones)."""
        family = lang.split("-")[0].lower()
        if family in self._indexes:
            return self._indexes[family]
        cache = _cache_dir()
        cache_file = None
        if cache is not None:
            cache_file = cache / f"gazetteer-{family}-{self._fingerprint()}.pickle"
            try:
                with open(cache_file, "rb") as handle:
                    index = pickle.load(handle)
                self._indexes[family] = index
                return index
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
                pass
        index = self._build_index(family)
        if cache_file is not None:
            try:
                cache_file.parent.mkdir(parents=True, exist_ok=True)
                tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
                with open(tmp, "wb") as handle:
                    pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, cache_file)
            except OSError:
                pass  # a read-only home is fine: the index is rebuilt next time
        self._indexes[family] = index
        return index

    def _build_index(self, family: str) -> LanguageIndex:
        names: list[Name] = []
        by_key: dict[str, list[int]] = {}
        first_words: dict[str, int] = {}
        seen: set[tuple[str, str, str]] = set()
        for name in self._iter_names(frozenset({family, "und"})):
            # A name tagged with the language wins over the same untagged one.
            ident = (name.place, name.text, name.lang)
            if ident in seen:
                continue
            seen.add(ident)
            key = name_key(name.text)
            if not key or not any(c.isupper() for c in name.text[:1]):
                continue  # the matcher only starts at capitalised words
            words = key.split(" ")
            by_key.setdefault(key, []).append(len(names))
            names.append(name)
            if first_words.get(words[0], 0) < len(words):
                first_words[words[0]] = len(words)
        return LanguageIndex(family, names, {k: tuple(v) for k, v in by_key.items()}, first_words)

    # -- queries ---------------------------------------------------------------
    def preferred(self, place_id: str, lang: str) -> str | None:
        """The gazetteer's preferred name of a place in a language, if it has one."""
        index = self.index(lang)
        for name in self._names_of(index, place_id):
            if name.lang == index.lang and name.status == "preferred":
                return name.text
        return None

    def _names_of(self, index: LanguageIndex, place_id: str) -> list[Name]:
        by_place = getattr(index, "_by_place", None)
        if by_place is None:
            by_place = {}
            for name in index.names:
                by_place.setdefault(name.place, []).append(name)
            index._by_place = by_place  # type: ignore[attr-defined]
        return by_place.get(place_id, [])

    def names_of(self, place_id: str, lang: str) -> list[Name]:
        """Names of a place usable in ``lang`` documents."""
        return self._names_of(self.index(lang), place_id)

    def lookup(self, name: str, lang: str | None = None) -> list[Place]:
        """Places that have ``name`` (compared by key) in ``lang``, or in any language."""
        key = name_key(name)
        ids: dict[str, None] = {}
        for entry in self.all_names():
            if (lang is None or entry.lang in (lang, "und")) and name_key(entry.text) == key:
                ids.setdefault(entry.place, None)
        return [self.places.get(i) or Place(i, "", "", frozenset()) for i in ids]

    def names_by_lang(self, place_id: str) -> dict[str, list[Name]]:
        out: dict[str, list[Name]] = {}
        for entry in self.all_names():
            if entry.place == place_id:
                out.setdefault(entry.lang, []).append(entry)
        return out

    @functools.lru_cache(maxsize=1024)
    def exception_patterns(self, place_id: str) -> tuple["re.Pattern[str]", ...]:
        import regex

        return tuple(regex.compile(p, regex.I | regex.V0) for p in self.exceptions.get(place_id, ()))


@functools.lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The bundled gazetteer (loaded once per process)."""
    return Gazetteer.load_bundled()
