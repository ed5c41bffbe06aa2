"""Loading the compiled gazetteer shipped in ``corpora/gazetteer/``.

The compiled files are gzip TSV (see ``corpora/gazetteer/SOURCES.md`` and
``scripts/build_gazetteer.py``). A document only needs the names of its own
language plus the untagged ones. Loading those ~185,000 names into Python
objects takes longer than checking an article, so each language gets a
SQLite index, built once from the TSV into the user cache (it is a pure
function of the data files' bytes), and queried per distinct word with the
answers memoised: an article touches a few hundred rows, a 50 MB corpus a
few tens of thousands.

What ``mtnorm gazetteer lookup`` and the desk ask (the places that have a name
in any language, every name of a place, a place's row) is answered from one
more SQLite file, the catalogue of every name and place, built once the same
way; a lookup reads a few rows of it instead of loading every name.
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

from ..cache import cache_dir
from ..errors import DataError
from ..resources import corpus

#: Name statuses. "contested" names are never replaced.
STATUSES = ("preferred", "variant", "translit", "historic", "misspelling", "contested")
_WORD = re.compile(r"\w+")
_INDEX_VERSION = 8
_CATALOGUE_VERSION = 1
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

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["lang"], state["path"])  # type: ignore[misc]  # unpickling re-runs __init__ on the bare instance


class Gazetteer:
    """Places and names, with per-language indexes built lazily."""

    def __init__(self, name_files: Iterable[str] = NAME_FILES, iso3166: bool = False) -> None:
        self.name_files = tuple(name_files)
        self.iso3166 = iso3166
        self._indexes: dict[str, LanguageIndex] = {}
        self._catalogue: Catalogue | None | bool = False  # False: not opened yet
        self._lock = threading.RLock()

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
        """Compiled exception patterns of a place ("chicken Kiev" for Kyiv)."""
        return _compile_exceptions(tuple(self.exceptions.get(place_id, ())))

    # -- names ---------------------------------------------------------------
    def _name_rows(self, langs: frozenset[str] | None) -> Iterator[tuple[str, str, str, str, str]]:
        """(place, lang, status, text, source) of the names :meth:`_iter_names` yields, in order."""
        for file in self.name_files:
            for cols in _rows(file):
                if len(cols) >= 5 and (langs is None or cols[1] in langs):
                    yield cols[0], cols[1], cols[2], cols[3], cols[4]
        if self.iso3166 and (langs is None or "und" in langs):
            for name in _iso3166_names():
                yield name.place, name.lang, name.status, name.text, name.source

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

    def _fingerprint(self, family: str | None) -> str:
        """What an index is a function of: the data files' stamps, the index format, the
        language's function words (``family``; None for the catalogue)."""
        import hashlib

        if family is None:
            digest = hashlib.sha256(f"catalogue:{_CATALOGUE_VERSION}:{sqlite3.sqlite_version}:"
                                    f"{self.iso3166}".encode())
        else:
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
        kinds = _place_kinds()
        first: dict[str, int] = {}
        prefixes: set[str] = set()
        preferred: dict[str, str] = {}
        rows: list[tuple[str, str, str, str, str, str, str]] = []
        seen: set[tuple[str, str, str]] = set()
        words_of = _WORD.findall
        for place, lang, status, text, source in self._name_rows(frozenset({family, "und"})):
            ident = (place, text, lang)
            if ident in seen:
                continue
            seen.add(ident)
            if lang == family and status == "preferred":
                preferred.setdefault(place, text)
            if not text[:1].isupper():
                continue  # the matcher only starts at capitalised words
            parts = [w.lower() for w in words_of(text)]  # name_key(text), split
            if not parts:
                continue
            if lang == "und":
                head = parts[0]
                if head in common or len(head) < 2:
                    continue  # "But", "She"; "S-On" would match "U.S. on"
            key = " ".join(parts)
            rows.append((key, place, lang, status, text, source, kinds.get(place, "")))
            words = len(parts)
            if first.get(parts[0], 0) < words:
                first[parts[0]] = words
            for n in range(2, words + 1):
                prefixes.add(" ".join(parts[:n]))

        def fill(conn: sqlite3.Connection) -> None:
            conn.execute("CREATE TABLE first (word TEXT PRIMARY KEY, most INTEGER) WITHOUT ROWID")
            conn.execute("CREATE TABLE names (key TEXT, place TEXT, lang TEXT, status TEXT, "
                         "text TEXT, source TEXT, kind TEXT)")
            conn.execute("CREATE TABLE preferred (place TEXT PRIMARY KEY, name TEXT) WITHOUT ROWID")
            conn.execute("CREATE TABLE prefix (p TEXT PRIMARY KEY) WITHOUT ROWID")
            # Keyed tables are filled in key order (appends, not B-tree splits all over).
            conn.executemany("INSERT INTO prefix VALUES (?)", ((p,) for p in sorted(prefixes)))
            conn.executemany("INSERT INTO first VALUES (?, ?)", sorted(first.items()))
            conn.executemany("INSERT INTO names VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            conn.executemany("INSERT INTO preferred VALUES (?, ?)", sorted(preferred.items()))
            conn.execute("CREATE INDEX names_key ON names (key)")

        _write_sqlite(path, fill)

    # -- queries ---------------------------------------------------------------
    def preferred(self, place_id: str, lang: str) -> str | None:
        """The gazetteer's preferred name of a place in a language, if it has one.

        From the language's matcher index when it is open; otherwise from the
        catalogue when that is built (the same answer: the first preferred name of
        that language in file order), so showing a place builds no index per style
        language.
        """
        family = lang.split("-")[0].lower()
        catalogue = None
        if family not in self._indexes and (isinstance(self._catalogue, Catalogue) or (
                self._catalogue is False and self.catalogue_path().is_file())):
            catalogue = self.catalogue()  # already built: never build it for this alone
        if catalogue is None:
            return self.index(lang).preferred(place_id)
        return catalogue.preferred(place_id, family)

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
        """Where the catalogue is cached (built by :meth:`catalogue` when missing)."""
        return cache_dir() / f"gazetteer-catalogue-{self._fingerprint(None)}.sqlite"

    def catalogue(self) -> Catalogue | None:
        """Every name and place on disk, for lookups; None when it cannot be written."""
        if self._catalogue is False:
            with self._lock:
                if self._catalogue is False:
                    path = self.catalogue_path()
                    if not path.is_file():
                        try:
                            _write_sqlite(path, self._fill_catalogue)
                        except DataError:
                            self._catalogue = None  # unwritable cache: the slow, in-memory way
                            return None
                    self._catalogue = Catalogue(path)
        return self._catalogue  # type: ignore[return-value]

    def _fill_catalogue(self, conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE names (key TEXT, place TEXT, lang TEXT, status TEXT, "
                     "text TEXT, source TEXT, kind TEXT)")
        conn.execute("CREATE TABLE places (id TEXT, kind TEXT, country TEXT, flags TEXT)")
        conn.executemany("INSERT INTO names VALUES (?, ?, ?, ?, ?, ?, ?)",
                         ((name_key(n.text), n.place, n.lang, n.status, n.text, n.source, n.kind)
                          for n in self._iter_names(None)))
        seen: set[str] = set()
        rows = []
        for cols in _rows("places.tsv.gz"):
            if cols[0] not in seen:  # the first row of an id wins
                seen.add(cols[0])
                cols += [""] * (4 - len(cols))
                rows.append(cols[:4])
        conn.executemany("INSERT INTO places VALUES (?, ?, ?, ?)", rows)
        conn.execute("CREATE INDEX names_key ON names (key)")
        conn.execute("CREATE INDEX names_place ON names (place)")
        conn.execute("CREATE UNIQUE INDEX places_id ON places (id)")


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


def _place_kinds() -> dict[str, str]:
    """Each place's kind (the first row of an id wins, as in :attr:`Gazetteer.places`)."""
    kinds: dict[str, str] = {}
    for cols in _rows("places.tsv.gz"):
        if cols[0] not in kinds:
            kinds[cols[0]] = cols[1]
    return kinds


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
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
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
