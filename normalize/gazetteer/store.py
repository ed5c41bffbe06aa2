"""Loading the compiled gazetteer shipped in ``corpora/gazetteer/``.

The compiled files are gzip TSV (see ``corpora/gazetteer/SOURCES.md`` and
``scripts/build_gazetteer.py``). Loading their ~285,000 names into Python
objects takes longer than checking an article, so they are queried from one
SQLite file, the catalogue of every name and place (a pure function of the
data files' bytes), per distinct word with the answers memoised: an article
touches a few hundred rows, a 50 MB corpus a few tens of thousands.

The catalogue serves both the matcher of each language (:class:`LanguageIndex`:
the language's names plus the untagged ones, less the untagged names that are
function words of the language, filtered as they are read; the first words of
its names, asked for every capitalised word, from a word table beside it:
:func:`first_words`) and what
``mtnorm gazetteer lookup`` and the desk ask (the places that have a name in
any language, every name of a place, a place's row).

Where it comes from, first found first: the cache directory (keyed by the data
files' sizes and times); the copy the wheel build put in the package
(``normalize/_prebuilt``, keyed by a hash of the data files' bytes, so a copy
built from other data is never read; linked into the cache directory on first
use); else it is built into the cache directory (~1 s).
"""
from __future__ import annotations

import functools
import gzip
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cache import (
    WordTable,
    cache_dir,
    content_digest,
    link_into_cache,
    open_word_table,
    prebuilt,
    store_word_table,
)
from ..errors import DataError
from ..resources import corpus

#: Name statuses. "contested" names are never replaced.
STATUSES = ("preferred", "variant", "translit", "historic", "misspelling", "contested")
_WORD = re.compile(r"\w+")
#: 2: what the matcher of every language reads (no index per language).
_CATALOGUE_VERSION = 2
NAME_FILES = ("names.tsv.gz",)


def name_key(name: str) -> str:
    """The matching key of a name: its words, lower-cased, joined by one space.

    "Nagorno-Karabakh", "Nagorno Karabakh" and "NAGORNO KARABAKH" share a key;
    which of them the text used is recovered from the text itself.
    """
    # The words joined, then lower-cased: as each word lower-cased alone (the one context
    # Python's lower() reads, a final sigma, ends at a space), at half the cost.
    return " ".join(_WORD.findall(name)).lower()


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
    """Names usable in documents of one language, read from the catalogue, memoised in memory.

    ``first_word(w)`` is the largest number of words of a name starting with
    ``w`` (or None); ``names(key)`` the names whose key is ``key``;
    ``preferred(place)`` the place's preferred name in this language.

    The names are those of the language and the untagged ones (``und``), in file
    order, each (place, text, language) once, those whose text starts with a
    capital (the matcher only starts at capitalised words), less the untagged
    names whose first word is a function word of the language or a single
    letter: towns somewhere, but words here ("But", "She"; "S-On" would match
    "U.S. on"). The catalogue holds every language, so that last filter is
    applied as rows are read.
    """

    def __init__(self, lang: str, path: Path) -> None:
        self.lang = lang
        self.path = path
        self._local = threading.local()
        self._common: frozenset[str] | None = None
        self._first: dict[str, int | None] = {}
        self._first_words: WordTable | dict[str, int] | None = None
        self._first_lock = threading.Lock()
        self._names: dict[str, list[Name]] = {}
        self._preferred: dict[str, str | None] = {}
        self._prefix: dict[str, bool] = {}

    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = _open_read_only(self.path)
            self._local.conn = conn
        return conn

    def _und_left_out(self, head: str) -> bool:
        """Whether untagged names whose first word (lower case) is ``head`` are left out."""
        if len(head) < 2:
            return True
        common = self._common
        if common is None:
            common = self._common = _function_words(self.lang)
        return head in common

    def _first_table(self) -> WordTable | dict[str, int]:
        """The ``first`` rows of this language and the untagged ones, by word
        (:func:`first_words`), read once."""
        table = self._first_words
        if table is None:
            with self._first_lock:
                if self._first_words is None:
                    self._first_words = first_words(self.path, self.lang)
                table = self._first_words
        return table

    def first_word(self, word: str) -> int | None:
        try:
            return self._first[word]
        except KeyError:
            own, und = unpack_first(self._first_table().get(word))
            if self.lang == "und":
                own = None  # the same row: untagged, and filtered as such
            if und is not None and self._und_left_out(word):
                und = None
            value = own if und is None else und if own is None else max(own, und)
            self._first[word] = value
            return value

    def names(self, key: str) -> list[Name]:
        try:
            return self._names[key]
        except KeyError:
            value: list[Name] = []
            if key:
                seen: set[tuple[str, str, str]] = set()
                und_out: bool | None = None
                for place, lang, status, text, source, kind in self._db().execute(
                        "SELECT n.place, n.lang, n.status, n.text, n.source, coalesce(p.kind, '') "
                        "FROM names n LEFT JOIN places p ON p.id = n.place "
                        "WHERE n.key = ? AND n.cap AND n.lang IN (?, 'und') ORDER BY n.rowid",
                        (key, self.lang)):
                    if lang == "und":
                        if und_out is None:
                            und_out = self._und_left_out(key.split(" ", 1)[0])
                        if und_out:
                            continue
                    ident = (place, text, lang)
                    if ident not in seen:
                        seen.add(ident)
                        value.append(Name(place, lang, status, text, source, kind))
            self._names[key] = value
            return value

    def has_key(self, key: str) -> bool:
        return bool(self.names(key))

    def has_prefix(self, words: str) -> bool:
        """True if some multi-word key starts with these words (space-joined)."""
        try:
            return self._prefix[words]
        except KeyError:
            value = False
            if " " in words:
                # The keys from ``words`` up to ``words + "!"`` are ``words`` itself and those
                # that go on after a space: a key holds nothing below "!" but spaces.
                for (lang,) in self._db().execute(
                        "SELECT DISTINCT lang FROM names WHERE key >= ? AND key < ? AND cap "
                        "AND lang IN (?, 'und')", (words, words + "!", self.lang)):
                    if lang != "und" or not self._und_left_out(words.split(" ", 1)[0]):
                        value = True
                        break
            self._prefix[words] = value
            return value

    def preferred(self, place: str) -> str | None:
        try:
            return self._preferred[place]
        except KeyError:
            row = self._db().execute(
                "SELECT text FROM names WHERE place = ? AND lang = ? AND status = 'preferred' "
                "ORDER BY rowid LIMIT 1", (place, self.lang)).fetchone()
            self._preferred[place] = value = row[0] if row else None
            return value

    def __getstate__(self) -> dict[str, object]:
        # Process pools pickle linters: send the path, not the connection.
        return {"lang": self.lang, "path": self.path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["lang"], state["path"])  # type: ignore[misc]  # unpickling re-runs __init__ on the bare instance


#: The largest number of words a packed ``first`` row holds (:func:`pack_first`).
_FIRST_MOST = 254


def pack_first(own: int | None, und: int | None) -> int:
    """A word's ``first`` rows for a language and for the untagged names as one int
    (:func:`unpack_first` reads it back): ``(own + 1) * 256 + und + 1``, 0 for a missing one."""
    return ((0 if own is None else own + 1) << 8) | (0 if und is None else und + 1)


def unpack_first(packed: int | None) -> tuple[int | None, int | None]:
    """The ``(own, untagged)`` pair :func:`pack_first` packed (``(None, None)`` for None)."""
    if not packed:
        return None, None
    own, und = packed >> 8, packed & 0xFF
    return (own - 1 if own else None), (und - 1 if und else None)


def first_words_name(catalogue: Path, lang: str) -> str:
    """The file name of :func:`first_words`' table: named after the catalogue's file (the
    package's prebuilt copy where the cache links to it, so that a wheel can ship it)."""
    return f"{catalogue.resolve().stem}.first-{lang}"


def first_words(catalogue: Path, lang: str) -> WordTable | dict[str, int]:
    """The ``first`` rows of ``lang`` and of the untagged names in the catalogue at
    ``catalogue``, :func:`pack_first`-ed by word: a word table, the package's prebuilt
    copy (English) or one kept in the cache directory (built at its first use, ~0.15 s,
    since the rows are found by a scan), or a dict where it cannot be written.

    A matcher asks for every capitalised word it meets. A word met for the first time
    cost a query of the catalogue, 10-18 µs (a new 1 KB story holds ~5); a look-up in
    the mapped table costs ~1 µs. ~130,000 words, ~3 MB, of which a process reads the
    pages its look-ups touch."""
    name = first_words_name(catalogue, lang)
    path = cache_dir() / name
    for found in (prebuilt(name), path):
        table = None if found is None else open_word_table(found)
        if table is not None:
            return table
    packed = read_first_words(catalogue, lang)
    if store_word_table(path, packed):
        table = open_word_table(path)
        if table is not None:
            return table
    return packed


def read_first_words(catalogue: Path, lang: str) -> dict[str, int]:
    """:func:`first_words`, read from the catalogue's ``first`` rows."""
    conn = _open_read_only(catalogue)
    try:
        rows = conn.execute("SELECT word, lang, most FROM first WHERE lang IN (?, 'und')",
                            (lang,)).fetchall()
    finally:
        conn.close()
    own: dict[str, int] = {}
    und: dict[str, int] = {}
    for word, row_lang, most in rows:
        if not isinstance(most, int) or not 0 <= most <= _FIRST_MOST:
            raise DataError(f"{catalogue}: a name of {most!r} words starts with {word!r} "
                            f"(at most {_FIRST_MOST}); delete the file to build it again")
        (und if row_lang == "und" else own)[word] = most
    return {word: pack_first(own.get(word), und.get(word)) for word in sorted(own.keys() | und.keys())}


class Gazetteer:
    """Places and names, with per-language indexes built lazily."""

    def __init__(self, name_files: Iterable[str] = NAME_FILES, iso3166: bool = False) -> None:
        self.name_files = tuple(name_files)
        self.iso3166 = iso3166
        self._indexes: dict[str, LanguageIndex] = {}
        self._catalogue: Catalogue | None | bool = False  # False: not opened yet
        self._catalogue_error = ""
        self._shipped: Path | None | bool = False  # the package's prebuilt copy; False: not looked for
        self._lock = threading.RLock()
        self._exception_patterns: dict[str, tuple[re.Pattern[str], ...]] = {}
        self._exception_gates: dict[tuple[str, str], re.Pattern[str] | None] = {}

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
    def places(self) -> Mapping[str, Place]:
        """Every place by id, read row by row from the catalogue (all of them loaded
        into a dict only when the catalogue cannot be written)."""
        catalogue = self.catalogue()
        return _PlaceTable(catalogue) if catalogue is not None else _load_places()

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
        """Compiled exception patterns of a place ("chicken Kiev" for Kyiv), kept per place:
        every mention of a place asks (a tuple of its patterns hashed at each one cost
        more than the scan of most mentions)."""
        try:
            return self._exception_patterns[place_id]
        except KeyError:
            found = self._exception_patterns[place_id] = _compile_exceptions(
                tuple(self.exceptions.get(place_id, ())))
            return found

    def exception_gate(self, place_id: str, mention: str) -> re.Pattern[str] | None:
        """:func:`~normalize.patterns.gate_of` the place's exception patterns around a
        ``mention`` of it (its text), kept per place and spelling: where it finds no run
        in a window around the mention, none of them can match there (one search, where
        each pattern was looked at in turn: Kyiv has eight). None where
        some pattern needs no more than the mention's own words ("Kiev (class)"): its
        patterns are then looked at one by one."""
        key = (place_id, mention)
        try:
            return self._exception_gates[key]
        except KeyError:
            from ..patterns import folded_for_literals, gate_of, required_in

            found = gate_of((required_in(p.pattern) for p in self.exception_patterns(place_id)),
                            around=folded_for_literals(mention))
            if len(self._exception_gates) < 4096:
                self._exception_gates[key] = found
            return found

    # -- names ---------------------------------------------------------------
    def _catalogue_rows(self) -> Iterator[tuple[str, str, str, str, str, str]]:
        """(place, lang, status, text, source, kind) of the names :meth:`_iter_names` yields, in order."""
        for file in self.name_files:
            for cols in _rows(file):
                if len(cols) >= 5:
                    yield cols[0], cols[1], cols[2], cols[3], cols[4], ""
        if self.iso3166:
            for name in _iso3166_names():
                yield name.place, name.lang, name.status, name.text, name.source, name.kind

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

    def _data_files(self) -> tuple[str, ...]:
        return (*self.name_files, "places.tsv.gz")

    def _fingerprint(self) -> str:
        """What the catalogue in the cache directory is a function of: the data files'
        stamps (size and time: no file is read), the catalogue's format."""
        import hashlib

        digest = hashlib.sha256(f"catalogue:{_CATALOGUE_VERSION}:{sqlite3.sqlite_version}:"
                                f"{self.iso3166}".encode())
        for file in self._data_files():
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

    def prebuilt_name(self) -> str | None:
        """The name the catalogue of this data has among the package's prebuilt files: keyed
        by the data files' bytes (not their times, which an install sets) and the format.
        None with ISO 3166 names, which come from pycountry and are never shipped."""
        if self.iso3166:
            return None
        return f"gazetteer-catalogue-{content_digest(f'catalogue:{_CATALOGUE_VERSION}', [('gazetteer', f) for f in self._data_files()])}.sqlite"

    def index(self, lang: str) -> LanguageIndex:
        """The matcher index for documents in ``lang`` (its names plus untagged ones).

        Raises :class:`DataError` when the catalogue is neither shipped nor cached and
        the cache directory cannot be written."""
        family = lang.split("-")[0].lower()
        index = self._indexes.get(family)
        if index is not None:
            return index
        with self._lock:
            if family not in self._indexes:
                catalogue = self.catalogue()
                if catalogue is None:
                    raise DataError(self._catalogue_error)
                self._indexes[family] = LanguageIndex(family, catalogue.path)
            return self._indexes[family]

    # -- queries ---------------------------------------------------------------
    def preferred(self, place_id: str, lang: str) -> str | None:
        """The gazetteer's preferred name of a place in a language, if it has one (the
        first preferred name of that language in file order)."""
        return self.index(lang).preferred(place_id)

    def lookup(self, name: str, lang: str | None = None) -> list[Place]:
        """Places that have ``name`` (compared by key) in ``lang``, or in any language."""
        key = name_key(name)
        catalogue = self.catalogue()
        ids: dict[str, None] = {}
        if catalogue is not None:
            for place, entry_lang in catalogue.key_rows(key):
                if lang is None or entry_lang in (lang, "und"):
                    ids.setdefault(place, None)
        else:
            for entry in self.all_names():
                if (lang is None or entry.lang in (lang, "und")) and name_key(entry.text) == key:
                    ids.setdefault(entry.place, None)
        return [self.places.get(i) or Place(i, "", "", frozenset()) for i in ids]

    def names_by_lang(self, place_id: str) -> dict[str, list[Name]]:
        """A place's names grouped by language (languages and names in file order)."""
        catalogue = self.catalogue()
        entries = catalogue.place_names(place_id) if catalogue is not None else \
            [entry for entry in self.all_names() if entry.place == place_id]
        out: dict[str, list[Name]] = {}
        for entry in entries:
            out.setdefault(entry.lang, []).append(entry)
        return out

    # -- the catalogue of every name and place -------------------------------------
    def catalogue_path(self) -> Path:
        """Where the catalogue is read from: the cache directory's file when there is one;
        else the package's prebuilt copy of this very data (linked into the cache
        directory); else the cache directory's file, which :meth:`catalogue` builds."""
        cached = cache_dir() / f"gazetteer-catalogue-{self._fingerprint()}.sqlite"
        if cached.is_file():
            return cached
        if self._shipped is False:
            self._shipped = prebuilt(self.prebuilt_name)
        if isinstance(self._shipped, Path):
            return link_into_cache(self._shipped, cached)
        return cached

    def catalogue(self) -> Catalogue | None:
        """Every name and place on disk, for lookups; None when it is neither cached nor
        shipped and cannot be written."""
        if self._catalogue is False:
            with self._lock:
                if self._catalogue is False:
                    path = self.catalogue_path()
                    if not path.is_file():
                        try:
                            _write_sqlite(path, self._fill_catalogue)
                        except DataError as exc:
                            self._catalogue_error = str(exc)
                            self._catalogue = None  # unwritable cache: the slow, in-memory way
                            return None
                    self._catalogue = Catalogue(path)
        return self._catalogue  # type: ignore[return-value]

    def _fill_catalogue(self, conn: sqlite3.Connection) -> None:
        fill_catalogue(conn, self._catalogue_rows())


def fill_catalogue(conn: sqlite3.Connection, names: Iterable[tuple[str, str, str, str, str, str]]) -> None:
    """Write the catalogue's tables: ``names`` (place, lang, status, text, source, kind)
    in file order, with each name's key, number of words and whether it starts with a
    capital; the places of ``places.tsv.gz``; and per language the largest number of
    words of a capitalised name by first word (``first``), which :class:`LanguageIndex`
    reads."""
    conn.execute("CREATE TABLE names (key TEXT, place TEXT, lang TEXT, status TEXT, "
                 "text TEXT, source TEXT, kind TEXT, words INTEGER, cap INTEGER)")
    conn.execute("CREATE TABLE places (id TEXT, kind TEXT, country TEXT, flags TEXT)")
    conn.execute("CREATE TABLE first (word TEXT, lang TEXT, most INTEGER, PRIMARY KEY (word, lang)) "
                 "WITHOUT ROWID")
    words_of = _WORD.findall
    rows = []
    for place, lang, status, text, source, kind in names:
        words = words_of(text)
        rows.append((" ".join(words).lower(), place, lang, status, text, source, kind,  # name_key(text)
                     len(words), text[:1].isupper()))
    conn.executemany("INSERT INTO names VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    seen: set[str] = set()
    places = []
    for cols in _rows("places.tsv.gz"):
        if cols[0] not in seen:  # the first row of an id wins
            seen.add(cols[0])
            cols += [""] * (4 - len(cols))
            places.append(cols[:4])
    conn.executemany("INSERT INTO places VALUES (?, ?, ?, ?)", places)
    # In key order (appends, not B-tree splits all over), grouped by SQLite itself.
    conn.execute("INSERT INTO first SELECT CASE WHEN words = 1 THEN key "
                 "ELSE substr(key, 1, instr(key, ' ') - 1) END AS word, lang, max(words) FROM names "
                 "WHERE cap AND words > 0 GROUP BY word, lang ORDER BY word, lang")
    conn.execute("CREATE INDEX names_key ON names (key)")
    conn.execute("CREATE INDEX names_place ON names (place)")
    conn.execute("CREATE UNIQUE INDEX places_id ON places (id)")


def _open_read_only(path: Path, check_same_thread: bool = True) -> sqlite3.Connection:
    """A read-only connection to the catalogue.

    Its pages are read with read(), not through a memory map: a mapped page a look-up
    touched counts in the process's resident memory, and a large text touches much of
    the 37 MB catalogue (check of 5 MB: 202 MB peak with a map, 176-179 MB without, for
    ~2 ms of CPU per MB more without)."""
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=check_same_thread)


def _write_sqlite(path: Path, fill: Callable[[sqlite3.Connection], None]) -> None:
    """Have ``fill`` write a new SQLite database, then rename it to ``path`` (readers never
    see half a file); an unwritable cache directory is a :class:`DataError`."""
    import tempfile

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
            conn.execute("PRAGMA synchronous=OFF")  # the file is renamed into place only when whole
            conn.execute("PRAGMA cache_size=-65536")  # 64 MiB: index creation stays in memory
            fill(conn)
        conn.close()
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _place(cols: list[str] | tuple[str, ...]) -> Place:
    cols = list(cols) + [""] * (4 - len(cols))
    return Place(cols[0], cols[1], cols[2], frozenset(f for f in cols[3].split(",") if f))


def _load_places() -> dict[str, Place]:
    out: dict[str, Place] = {}
    for cols in _rows("places.tsv.gz"):
        if cols[0] not in out:
            out[cols[0]] = _place(cols)
    return out


class Catalogue:
    """Every name (all languages, file order) and every place, in SQLite: lookups read a few rows."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._places: dict[str, Place | None] = {}

    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = _open_read_only(self.path, check_same_thread=False)
            self._local.conn = conn
        return conn

    def key_rows(self, key: str) -> list[tuple[str, str]]:
        """(place, language) of every name whose key is ``key``, in file order."""
        return self._db().execute("SELECT place, lang FROM names WHERE key = ? ORDER BY rowid",
                                  (key,)).fetchall()

    def place_names(self, place_id: str) -> list[Name]:
        """Every name of a place, in file order."""
        rows = self._db().execute("SELECT place, lang, status, text, source, kind FROM names "
                                  "WHERE place = ? ORDER BY rowid", (place_id,)).fetchall()
        return [Name(*r) for r in rows]

    def preferred(self, place_id: str, family: str) -> str | None:
        """The first preferred name of a place in language ``family``, in file order."""
        row = self._db().execute("SELECT text FROM names WHERE place = ? AND lang = ? AND "
                                 "status = 'preferred' ORDER BY rowid LIMIT 1",
                                 (place_id, family)).fetchone()
        return row[0] if row else None

    def place(self, place_id: str) -> Place | None:
        try:
            return self._places[place_id]
        except KeyError:
            row = self._db().execute("SELECT id, kind, country, flags FROM places WHERE id = ?",
                                     (place_id,)).fetchone()
            self._places[place_id] = value = _place(row) if row else None
            return value

    def place_ids(self) -> list[str]:
        return [r[0] for r in self._db().execute("SELECT id FROM places ORDER BY rowid")]

    def place_count(self) -> int:
        return self._db().execute("SELECT count(*) FROM places").fetchone()[0]


class _PlaceTable(Mapping[str, Place]):
    """:attr:`Gazetteer.places` read from the catalogue, a row at a time."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue

    def __getitem__(self, place_id: str) -> Place:
        place = self._catalogue.place(place_id) if isinstance(place_id, str) else None
        if place is None:
            raise KeyError(place_id)
        return place

    def __contains__(self, place_id: object) -> bool:
        return isinstance(place_id, str) and self._catalogue.place(place_id) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._catalogue.place_ids())

    def __len__(self) -> int:
        return self._catalogue.place_count()


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
