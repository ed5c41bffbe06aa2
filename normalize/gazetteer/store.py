"""Loading the compiled gazetteer shipped in ``corpora/gazetteer/``.

The compiled files are gzip TSV (see ``corpora/gazetteer/SOURCES.md`` and
``scripts/build_gazetteer.py``). A document only needs the names of its own
language plus the untagged ones. Loading those ~185,000 names into Python
objects takes longer than checking an article, so each language gets a
SQLite index, built once from the TSV into the user cache (it is a pure
function of the data files' bytes), and queried per distinct word with the
answers memoised: an article touches a few hundred rows, a 50 MB corpus a
few tens of thousands.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import os
import re
import sqlite3
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..cache import cache_dir
from ..errors import DataError
from ..resources import corpus

#: Name statuses. "contested" names are never replaced.
STATUSES = ("preferred", "variant", "translit", "historic", "misspelling", "contested")
_WORD = re.compile(r"\w+")
_INDEX_VERSION = 8
NAME_FILES = ("names.tsv.gz",)


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
    kind: str = ""


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


class LanguageIndex:
    """Names usable in documents of one language, backed by SQLite, memoised in memory.

    ``first_word(w)`` is the largest number of words of a name starting with
    ``w`` (or None); ``names(key)`` the names whose key is ``key``;
    ``preferred(place)`` the place's preferred name in this language.
    """

    def __init__(self, lang: str, path: Path) -> None:
        self.lang = lang
        self.path = path
        self._local = threading.local()
        self._first: dict[str, int | None] = {}
        self._names: dict[str, list[Name]] = {}
        self._preferred: dict[str, str | None] = {}
        self._prefix: dict[str, bool] = {}

    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            self._local.conn = conn
        return conn

    def first_word(self, word: str) -> int | None:
        try:
            return self._first[word]
        except KeyError:
            row = self._db().execute("SELECT most FROM first WHERE word = ?", (word,)).fetchone()
            self._first[word] = value = row[0] if row else None
            return value

    def names(self, key: str) -> list[Name]:
        try:
            return self._names[key]
        except KeyError:
            rows = self._db().execute(
                "SELECT place, lang, status, text, source, kind FROM names WHERE key = ?", (key,)).fetchall()
            self._names[key] = value = [Name(*r) for r in rows]
            return value

    def has_key(self, key: str) -> bool:
        return bool(self.names(key))

    def has_prefix(self, words: str) -> bool:
        """True if some multi-word key starts with these words (space-joined)."""
        try:
            return self._prefix[words]
        except KeyError:
            row = self._db().execute("SELECT 1 FROM prefix WHERE p = ?", (words,)).fetchone()
            self._prefix[words] = value = row is not None
            return value

    def preferred(self, place: str) -> str | None:
        try:
            return self._preferred[place]
        except KeyError:
            row = self._db().execute("SELECT name FROM preferred WHERE place = ?", (place,)).fetchone()
            self._preferred[place] = value = row[0] if row else None
            return value

    def __getstate__(self) -> dict[str, object]:
        # Process pools pickle linters: send the path, not the connection.
        return {"lang": self.lang, "path": self.path}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(state["lang"], state["path"])  # type: ignore[misc,arg-type]


class Gazetteer:
    """Places and names, with per-language indexes built lazily."""

    def __init__(self, name_files: Iterable[str] = NAME_FILES, iso3166: bool = False) -> None:
        self.name_files = tuple(name_files)
        self.iso3166 = iso3166
        self._indexes: dict[str, LanguageIndex] = {}
        self._lock = threading.Lock()

    @classmethod
    def load_bundled(cls) -> Gazetteer:
        """The gazetteer shipped in the package.

        ISO 3166 subdivision names come from pycountry, whose data is LGPL, so
        they are not shipped: with the ``iso3166`` extra installed and
        ``MTNORM_GAZETTEER_ISO3166=1`` they are read from pycountry at run time.
        """
        return cls(NAME_FILES, iso3166=os.environ.get("MTNORM_GAZETTEER_ISO3166") == "1")

    # -- small tables, loaded on first use --------------------------------------
    @functools.cached_property
    def places(self) -> dict[str, Place]:
        out: dict[str, Place] = {}
        for file in ("places.tsv.gz",):
            for cols in _rows(file):
                cols += [""] * (4 - len(cols))
                out.setdefault(cols[0], Place(cols[0], cols[1], cols[2],
                                              frozenset(f for f in cols[3].split(",") if f)))
        return out

    @functools.cached_property
    def exceptions(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for cols in _rows("exceptions.tsv"):
            out.setdefault(cols[0], []).append(cols[1])
        return out

    @functools.cached_property
    def contested(self) -> dict[str, list[tuple[str, str, str]]]:
        out: dict[str, list[tuple[str, str, str]]] = {}
        for cols in _rows("contested.tsv"):
            cols += [""] * (4 - len(cols))
            out.setdefault(cols[0], []).append((cols[1], cols[2], cols[3]))
        return out

    def exception_patterns(self, place_id: str) -> tuple[re.Pattern[str], ...]:
        """Compiled exception patterns of a place ("chicken Kiev" for Kyiv)."""
        return _compile_exceptions(tuple(self.exceptions.get(place_id, ())))

    # -- names ---------------------------------------------------------------
    def _iter_names(self, langs: frozenset[str] | None) -> Iterator[Name]:
        for file in self.name_files:
            for cols in _rows(file):
                if len(cols) < 5:
                    continue
                if langs is None or cols[1] in langs:
                    yield Name(cols[0], cols[1], cols[2], cols[3], cols[4])
        if self.iso3166 and (langs is None or "und" in langs):
            yield from _iso3166_names()

    @functools.cached_property
    def _all_names(self) -> list[Name]:
        return list(self._iter_names(None))

    def all_names(self) -> list[Name]:
        """Every name in every language (slow: for lookups, not for checking)."""
        return self._all_names

    def _fingerprint(self, family: str) -> str:
        digest = hashlib.sha256(f"{_INDEX_VERSION}:{sqlite3.sqlite_version}:{self.iso3166}".encode())
        digest.update(repr(sorted(_function_words(family))).encode())
        for file in (*self.name_files, "places.tsv.gz"):
            node = corpus("gazetteer", file)
            digest.update(file.encode())
            if node.is_file():
                stat = None
                try:
                    stat = os.stat(str(node))
                except (OSError, TypeError):
                    pass
                # Size and mtime identify an installed file; hash only when they cannot.
                digest.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode() if stat
                              else node.read_bytes())
        return digest.hexdigest()[:16]

    def index_path(self, lang: str) -> Path:
        """Where the index for ``lang`` is cached (built by :meth:`index` when missing)."""
        family = lang.split("-")[0].lower()
        return cache_dir() / f"gazetteer-{family}-{self._fingerprint(family)}.sqlite"

    def index(self, lang: str) -> LanguageIndex:
        """The matcher index for documents in ``lang`` (its names plus untagged ones)."""
        family = lang.split("-")[0].lower()
        index = self._indexes.get(family)
        if index is not None:
            return index
        with self._lock:
            if family not in self._indexes:
                path = self.index_path(family)
                if not path.is_file():
                    self._build_index(family, path)
                self._indexes[family] = LanguageIndex(family, path)
            return self._indexes[family]

    def _build_index(self, family: str, path: Path) -> None:
        # Untagged (GeoNames) names that are function words of the language are
        # towns somewhere, but words here: "But", "She", "Since".
        common = _function_words(family)
        kinds = {pid: p.kind for pid, p in self.places.items()}
        first: dict[str, int] = {}
        prefixes: set[str] = set()
        preferred: dict[str, str] = {}
        rows: list[tuple[str, str, str, str, str, str, str]] = []
        seen: set[tuple[str, str, str]] = set()
        for name in self._iter_names(frozenset({family, "und"})):
            ident = (name.place, name.text, name.lang)
            if ident in seen:
                continue
            seen.add(ident)
            if name.lang == family and name.status == "preferred":
                preferred.setdefault(name.place, name.text)
            key = name_key(name.text)
            if not key or not name.text[:1].isupper():
                continue  # the matcher only starts at capitalised words
            if name.lang == "und":
                head = key.split(" ", 1)[0]
                if head in common or len(head) < 2:
                    continue  # "But", "She"; "S-On" would match "U.S. on"
            rows.append((key, name.place, name.lang, name.status, name.text, name.source,
                         kinds.get(name.place, "")))
            words = key.count(" ") + 1
            parts = key.split(" ")
            if first.get(parts[0], 0) < words:
                first[parts[0]] = words
            for n in range(2, words + 1):
                prefixes.add(" ".join(parts[:n]))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
            os.close(fd)
        except OSError as exc:
            raise DataError(f"cannot write the gazetteer index under {path.parent}: {exc.strerror}; "
                            "set MTNORM_CACHE_DIR to a writable directory") from None
        try:
            conn = sqlite3.connect(tmp)
            with conn:
                conn.execute("PRAGMA journal_mode=OFF")
                conn.execute("CREATE TABLE first (word TEXT PRIMARY KEY, most INTEGER) WITHOUT ROWID")
                conn.execute("CREATE TABLE names (key TEXT, place TEXT, lang TEXT, status TEXT, "
                             "text TEXT, source TEXT, kind TEXT)")
                conn.execute("CREATE TABLE preferred (place TEXT PRIMARY KEY, name TEXT) WITHOUT ROWID")
                conn.execute("CREATE TABLE prefix (p TEXT PRIMARY KEY) WITHOUT ROWID")
                conn.executemany("INSERT INTO prefix VALUES (?)", ((p,) for p in sorted(prefixes)))
                conn.executemany("INSERT INTO first VALUES (?, ?)", first.items())
                conn.executemany("INSERT INTO names VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
                conn.executemany("INSERT INTO preferred VALUES (?, ?)", preferred.items())
                conn.execute("CREATE INDEX names_key ON names (key)")
            conn.close()
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    # -- queries ---------------------------------------------------------------
    def preferred(self, place_id: str, lang: str) -> str | None:
        """The gazetteer's preferred name of a place in a language, if it has one."""
        return self.index(lang).preferred(place_id)

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


def _function_words(family: str) -> frozenset[str]:
    from ..errors import UsageError
    from ..languages import get_language

    try:
        words = get_language(family).data("function_words").get("words", [])
    except UsageError:  # a language without built-in support still gets an index
        return frozenset()
    return frozenset(str(w).lower() for w in words)


def _iso3166_names() -> Iterator[Name]:
    try:
        import pycountry
    except ImportError:
        raise DataError("MTNORM_GAZETTEER_ISO3166=1 needs pycountry: pip install 'mtnorm[iso3166]'") from None
    for sub in pycountry.subdivisions:
        yield Name(f"region:{sub.code}", "und", "variant", sub.name, "iso3166", "region")


@functools.lru_cache(maxsize=1024)
def _compile_exceptions(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    import regex

    return tuple(regex.compile(p, regex.I | regex.V0) for p in patterns)


@functools.lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The bundled gazetteer (loaded once per process)."""
    return Gazetteer.load_bundled()
