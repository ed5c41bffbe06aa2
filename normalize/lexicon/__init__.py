"""Per-language word lists: membership and frequency, loaded lazily and once.

A :class:`Lexicon` answers "is this a word of the language?" and "how
common is it?" (Zipf scale: 7 for "the", 3 for a word seen once per million
words, 0 for an unknown one). Rules get one with :func:`get`, which loads the
language's list the first time it is asked for, so a run that never meets a
candidate token never pays for it.

Where the lists come from (the first found wins; see corpora/lexicon/SOURCES.md):

1. a list built by ``scripts/build_lexicon.py`` in ``$MTNORM_LEXICON_DIR`` or
   the package's ``corpora/lexicon/`` (``<lang>.tsv.gz``: ``word<TAB>zipf``,
   most frequent first), from a source the user may redistribute;
2. the "large" lists of the ``wordfreq`` package, when it is installed
   (``pip install mtnorm[lexicon]``): its data is CC BY-SA 4.0, so the project
   reads it at run time and does not ship it.

Without either, :func:`get` returns None and the rules that need a lexicon
stay silent. A loaded list is cached in the cache directory as a word table
(:class:`normalize.cache.WordTable`): memory-mapped, so a run reads only the
entries it looks up instead of loading ~300,000 words (70-100 ms) at start.
"""
from __future__ import annotations

import functools
import gzip
import os
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from ..cache import (
    WordTable,
    cache_dir,
    load_marshal,
    open_word_table,
    store_marshal,
    store_word_table,
)
from ..resources import corpus

#: Languages whose lists the project measured and its rules claim.
LANGUAGES = ("en", "fr", "de", "es", "ru", "it", "uk")
#: At most this many words per language, most frequent first (the long tail of
#: web word lists is mostly typos and glued tokens, the very things rules look for).
MAX_WORDS = 400_000
#: Words rarer than this (Zipf) are left out for the same reason.
MIN_ZIPF = 1.0
#: Format version of the cache files; bump when :func:`_read_source` changes.
_CACHE_VERSION = 2


class AccentEntry(NamedTuple):
    """The most frequent word behind an accent key, and how many words share the key."""

    word: str
    zipf: float
    sharing: int  # (not "count": that would shadow tuple.count)


class Lexicon:
    """The words of one language with their frequencies (lower-case keys)."""

    def __init__(self, lang: str, centizipf: Mapping[str, int] | WordTable, source: str,
                 cache: Path | None = None, built_from: dict[str, int] | None = None) -> None:
        self.lang = lang
        self.source = source
        # Zipf * 100 as int: a third of the memory of a float per entry.
        self._cz = centizipf
        self._cache = cache
        #: The list the word table was just built from, in this process (a first run): the
        #: accent index reads it instead of decoding every word of the table back.
        self._built_from = built_from

    def __len__(self) -> int:
        return len(self._cz)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and (word in self._cz or word.lower() in self._cz)

    def zipf(self, word: str) -> float:
        """Frequency on the Zipf scale (log10 of occurrences per billion words); 0 if unknown."""
        cz = self._cz.get(word)
        if cz is None:
            cz = self._cz.get(word.lower(), 0)
        return cz / 100

    def known(self, word: str, min_zipf: float = 0.0) -> bool:
        """Whether ``word`` is in the list at least ``min_zipf`` frequent."""
        z = self.zipf(word)
        return z > 0 and z >= min_zipf

    def words(self) -> Iterable[str]:
        """Every word, most frequent first."""
        return iter(self._cz)

    @functools.cached_property
    def accent_index(self) -> tuple[dict[str, AccentEntry], dict[str, AccentEntry]]:
        """Two maps from a damaged form to the accented word it likely was.

        ``stripped``: accents removed, letters kept ("armées" -> "armees");
        ``deleted``: accented letters dropped ("armées" -> "arms"). Built on first use
        from the words that carry an accent (a fraction of the list).
        """
        path = self._cache.with_suffix(".accents.marshal") if self._cache else None
        cached = load_marshal(path) if path is not None else None
        if cached is not None:
            raw_stripped, raw_deleted = cached
            return ({k: AccentEntry(*v) for k, v in raw_stripped.items()},
                    {k: AccentEntry(*v) for k, v in raw_deleted.items()})
        stripped, deleted = self._build_accent_index()
        if path is not None:
            store_marshal(path, ({k: tuple(v) for k, v in stripped.items()},
                                 {k: tuple(v) for k, v in deleted.items()}))
        return stripped, deleted

    def _build_accent_index(self) -> tuple[dict[str, AccentEntry], dict[str, AccentEntry]]:
        stripped: dict[str, list] = {}
        deleted: dict[str, list] = {}
        source, self._built_from = self._built_from or self._cz, None
        accented = [(word, cz) for word, cz in source.items() if not word.isascii()]
        # strip_accents and delete_accented of each word, as str.translate tables over the
        # characters these words hold (a character at a time in Python: ~0.3 s a list).
        chars = {c for c in "".join(word for word, _ in accented) if not c.isascii()}
        strip = {ord(c): _bare(c) for c in chars}
        delete = {ord(c): None for c in chars if _bare(c) != c}
        for word, cz in accented:
            for index, key in ((stripped, word.translate(strip)), (deleted, word.translate(delete))):
                if key == word or not key:
                    continue
                entry = index.get(key)
                if entry is None:
                    index[key] = [word, cz, 1]
                else:  # words come most frequent first: keep the first, count the rest
                    entry[2] += 1
        return ({k: AccentEntry(w, cz / 100, n) for k, (w, cz, n) in stripped.items()},
                {k: AccentEntry(w, cz / 100, n) for k, (w, cz, n) in deleted.items()})


@functools.lru_cache(maxsize=4096)
def _bare(c: str) -> str:
    """One character without its combining marks ("é" -> "e"); itself if it has none."""
    if c.isascii():
        return c
    decomposed = unicodedata.normalize("NFD", c)
    return "".join(d for d in decomposed if not unicodedata.combining(d)) or c


def strip_accents(word: str) -> str:
    """``word`` with combining marks removed ("Armées" -> "Armees"); other letters kept."""
    return word if word.isascii() else "".join(_bare(c) for c in word)


def delete_accented(word: str) -> str:
    """``word`` without its accented letters ("nommé" -> "nomm"), as a lossy encoder leaves it."""
    return word if word.isascii() else "".join(c for c in word if _bare(c) == c)


def lexicon_dirs() -> list[Path]:
    """Folders searched for built lists: ``$MTNORM_LEXICON_DIR``, then ``corpora/lexicon``."""
    dirs = []
    if os.environ.get("MTNORM_LEXICON_DIR"):
        dirs.append(Path(os.environ["MTNORM_LEXICON_DIR"]))
    dirs.append(Path(str(corpus("lexicon"))))
    return dirs


def _built_list(lang: str) -> Path | None:
    for folder in lexicon_dirs():
        path = folder / f"{lang}.tsv.gz"
        if path.is_file():
            return path
    return None


def _wordfreq_file(lang: str) -> Path | None:
    """The wordfreq data file of ``lang``, found without importing wordfreq (which is slow)."""
    import importlib.util

    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "data" / f"large_{lang}.msgpack.gz"
        if path.is_file():
            return path
    return None


def available(lang: str) -> bool:
    """Whether a list for ``lang`` can be loaded (cheap: no list is read)."""
    return lang in LANGUAGES and (_built_list(lang) is not None or _wordfreq_file(lang) is not None)


def stamp(lang: str) -> str:
    """What :func:`get` would read for ``lang``, without reading it: the file's path, size
    and time ("" when there is no list). Data derived with the lexicon is keyed by it."""
    if lang not in LANGUAGES:
        return ""
    path = _built_list(lang) or _wordfreq_file(lang)
    if path is None:
        return ""
    stat = path.stat()
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}:{MAX_WORDS}:{MIN_ZIPF}:{_CACHE_VERSION}"


@functools.cache
def get(lang: str) -> Lexicon | None:
    """The lexicon of ``lang`` (a base code such as "fr"), or None when no list is available."""
    if lang not in LANGUAGES:
        return None
    path = _built_list(lang)
    kind = "list"
    if path is None:
        path, kind = _wordfreq_file(lang), "wordfreq"
        if path is None:
            return None
    cache = _cache_path(path, kind)
    table, built_from = _cached(path, kind, cache)
    return Lexicon(lang, table, f"{kind}:{path.name}", cache, built_from)


def _cache_path(path: Path, kind: str) -> Path:
    """Where the marshal copy of the list at ``path`` lives, keyed by the file's stamp."""
    stat = path.stat()
    stamp = f"{kind}-{path.name}-{stat.st_size}-{int(stat.st_mtime)}-{MAX_WORDS}-{MIN_ZIPF}-v{_CACHE_VERSION}"
    return cache_dir() / "lexicon" / f"{stamp}.words"


def _cached(path: Path, kind: str, cache: Path) -> tuple[Mapping[str, int] | WordTable, dict[str, int] | None]:
    """The list at ``path`` as ``{word: centizipf}``: its word table ``cache``, mapped (built
    first when missing), or the parsed list itself when the cache cannot be written; and
    the parsed list where it was read here (None where the table was already there)."""
    table = open_word_table(cache)
    if table is not None:
        return table, None
    words = _read_source(path, kind)
    if not store_word_table(cache, words) or (table := open_word_table(cache)) is None:
        return words, None
    return table, words


def _keep(word: str) -> bool:
    # Letters only, with inner apostrophes or hyphens ("aujourd'hui", "peut-être"):
    # the rules look words up by runs of letters, and digits or symbols only add noise.
    return word.replace("'", "").replace("-", "").isalpha()


def _read_source(path: Path, kind: str) -> dict[str, int]:
    words: dict[str, int] = {}
    floor = int(MIN_ZIPF * 100)
    normalize = unicodedata.normalize
    if kind == "wordfreq":
        import msgpack  # a dependency of wordfreq

        with gzip.open(path, "rb") as handle:
            data = msgpack.load(handle, raw=False)
        if not isinstance(data[0], dict) or data[0].get("format") != "cB":
            raise ValueError(f"{path}: not a wordfreq cBpack file (header {data[0]!r})")
        # Bin i holds the words of frequency 10**(-i/100): Zipf = 9 - i/100.
        for i, bucket in enumerate(data[1:]):
            cz = 900 - i
            if cz < floor or len(words) >= MAX_WORDS:
                break
            for word in bucket:
                if word.isalpha() or _keep(word):  # most words are letters only: the test first
                    words[normalize("NFC", word)] = cz
        return words
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            word, _, zipf = line.rstrip("\n").partition("\t")
            try:
                cz = round(float(zipf) * 100)
            except ValueError:
                raise ValueError(f"{path}:{lineno}: expected 'word<TAB>zipf', got {line!r}") from None
            if cz < floor or len(words) >= MAX_WORDS:
                break
            words.setdefault(word.lower(), cz)
    return words
