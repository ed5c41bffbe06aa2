"""The cache of derived data (gazetteer indexes, lookup tables, word lists) in one place.

Everything here can be rebuilt from what ships in the wheel, so a cache that
cannot be written (read-only home, full disk) is never an error: the data is
built again next time. Writes go to a temporary file beside the target and
are renamed into place, so a reader never sees half a file.

A wheel may also carry some of this data prebuilt (``normalize/_prebuilt``, written
by ``hatch_build.py`` when the wheel is built): each such file is named by a hash of
the bytes it was built from (:func:`content_digest`), so the loaders read it
(read-only) only where the installed data is the very data it was built from, and
build into the cache otherwise. A source checkout has none.
"""
from __future__ import annotations

import array
import contextlib
import functools
import marshal
import os
import struct
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    """Where derived indexes live: $MTNORM_CACHE_DIR, else $XDG_CACHE_HOME/mtnorm or ~/.cache/mtnorm."""
    if os.environ.get("MTNORM_CACHE_DIR"):
        return Path(os.environ["MTNORM_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "mtnorm"


#: The folder of the package that holds the data built when the wheel was built.
PREBUILT = "_prebuilt"


@functools.cache
def prebuilt_dir() -> Path | None:
    """``normalize/_prebuilt`` of an installed wheel (or of the source tree of an editable
    install); None where there is none (a plain checkout, a package imported from a zip)
    or where ``MTNORM_NO_PREBUILT=1`` says not to read it (everything is then built into
    the cache, as on a first run without it)."""
    if os.environ.get("MTNORM_NO_PREBUILT") == "1":
        return None
    folder = Path(__file__).with_name(PREBUILT)
    return folder if folder.is_dir() else None


def prebuilt(name: str | Callable[[], str | None]) -> Path | None:
    """The prebuilt file ``name`` that the wheel carries, or None. ``name`` may be a function
    giving the name, called only where the package has prebuilt files (naming one hashes
    the data it was built from)."""
    folder = prebuilt_dir()
    if folder is None:
        return None
    named = name() if callable(name) else name
    if named is None:
        return None
    path = folder / named
    return path if path.is_file() else None


def content_digest(tag: str, inputs: Iterable[tuple[str, ...]]) -> str:
    """16 hex digits of SHA-256 over ``tag`` and the bytes of the bundled data files
    ``inputs`` (each the parts of a path under ``corpora/``; a missing file counts as
    such): what a prebuilt file is named by, the same on the machine that built the
    wheel and on every machine that installs it (file times differ between them)."""
    import hashlib

    from .resources import corpus

    digest = hashlib.sha256(tag.encode())
    for parts in inputs:
        node = corpus(*parts)
        digest.update(b"\0" + "/".join(parts).encode() + b"\0")
        digest.update(node.read_bytes() if node.is_file() else b"\0missing")
    return digest.hexdigest()[:16]


def link_into_cache(source: Path, path: Path) -> Path:
    """Make ``path`` in the cache a symbolic link to the prebuilt file ``source`` (so later
    runs find it by ``path``'s cheap key, without hashing the data again); returns
    ``path``, or ``source`` itself where no link can be made."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        os.symlink(os.path.abspath(source), tmp)
        os.replace(tmp, path)
        return path
    except (OSError, NotImplementedError):
        with contextlib.suppress(OSError):
            tmp.unlink()
        return source


def store(path: Path, write: Callable[[Path], object]) -> bool:
    """Have ``write`` fill a temporary file beside ``path``, then rename it into place.

    The temporary name keeps ``path``'s suffix (numpy's ``savez`` appends ``.npz``
    otherwise). Returns whether the cache was written; an unwritable cache is
    not an error, and no temporary file is left behind.
    """
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp{path.suffix}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(tmp)
        os.replace(tmp, path)
        return True
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False


def store_bytes(path: Path, data: bytes | memoryview) -> bool:
    """:func:`store` of a ready byte string (or a view of one)."""
    return store(path, lambda tmp: tmp.write_bytes(data))


def load_marshal(path: Path) -> Any | None:
    """The value marshalled at ``path``, or None when it is missing or unreadable."""
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def store_marshal(path: Path, value: Any) -> bool:
    """Marshal ``value`` to ``path`` (plain containers of str/int/float/bytes only)."""
    return store_bytes(path, marshal.dumps(value))


# -- word tables: str -> int, looked up in place -------------------------------------------
_TABLE_MAGIC = b"MTWT\x01\x00\x00\x00"
_TABLE_HEADER = struct.Struct("<8sIIII")  # magic, words, slots, string bytes, byte order
_NATIVE = 1 if sys.byteorder == "little" else 2
#: Memoised answers kept per table before the memo starts again (bounds memory on huge inputs).
_MEMO_LIMIT = 1 << 20


def store_word_table(path: Path, table: dict[str, int]) -> bool:
    """Write ``table`` (words to 32-bit ints, in its order) as a file :class:`WordTable` maps.

    An open-addressing hash table (CRC-32 of the UTF-8, linear probing, at most half
    full) over the words' UTF-8 bytes: opening it reads nothing, a lookup touches a
    few bytes. Returns whether it was written (never an error, like every store here).
    """
    try:
        encoded = [w.encode("utf-8") for w in table]
        values = array.array("i", table.values())
    except (UnicodeEncodeError, OverflowError, TypeError):
        return False
    n = len(encoded)
    nslots = 1 << max(4, (2 * n).bit_length())
    mask = nslots - 1
    slots = array.array("I", bytes(4 * nslots))
    offsets = array.array("I", [0]) * (n + 1)
    total = 0
    crc32 = zlib.crc32
    for i, word in enumerate(encoded):
        total += len(word)
        offsets[i + 1] = total
        h = crc32(word) & mask
        while slots[h]:
            h = (h + 1) & mask
        slots[h] = i + 1
    if total >= 1 << 32:
        return False
    header = _TABLE_HEADER.pack(_TABLE_MAGIC, n, nslots, total, _NATIVE)
    return store_bytes(path, b"".join((header, slots.tobytes(), offsets.tobytes(), values.tobytes(),
                                       *encoded)))


def open_word_table(path: Path) -> WordTable | None:
    """The table stored at ``path``, mapped; None when it is missing or not a whole table."""
    try:
        return WordTable(path)
    except (OSError, ValueError, struct.error):
        return None


class WordTable:
    """A read-only mapping of words to ints in a file of :func:`store_word_table`, memory-mapped.

    Acts as the dict it was written from for ``get``, ``in``, ``len``, iteration and
    ``items()`` (words in their original order); answers are memoised.
    """

    def __init__(self, path: Path) -> None:
        import mmap

        self.path = path
        with open(path, "rb") as handle:
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        magic, n, nslots, total, order = _TABLE_HEADER.unpack_from(self._map, 0)
        start = _TABLE_HEADER.size
        end = start + 4 * nslots + 4 * (n + 1) + 4 * n + total
        if magic != _TABLE_MAGIC or order != _NATIVE or nslots & (nslots - 1) or len(self._map) != end:
            raise ValueError(f"{path}: not a word table of this machine")
        view = memoryview(self._map)
        self._slots = view[start:start + 4 * nslots].cast("I")
        start += 4 * nslots
        self._offsets = view[start:start + 4 * (n + 1)].cast("I")
        start += 4 * (n + 1)
        self._values = view[start:start + 4 * n].cast("i")
        self._strings = start + 4 * n
        self._n = n
        self._mask = nslots - 1
        self._memo: dict[str, int | None] = {}

    def _find(self, word: str) -> int | None:
        try:
            key = word.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: no word of the table
            return None
        slots, offsets, data, base, mask = self._slots, self._offsets, self._map, self._strings, self._mask
        h = zlib.crc32(key) & mask
        size = len(key)
        while True:
            i = slots[h]
            if not i:
                return None
            i -= 1
            a = offsets[i]
            if offsets[i + 1] - a == size and data[base + a:base + a + size] == key:
                return self._values[i]
            h = (h + 1) & mask

    def get(self, word: object, default: Any = None) -> Any:
        memo = self._memo
        try:
            value = memo[word]  # type: ignore[index]
        except KeyError:
            if not isinstance(word, str):
                return default
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            value = memo[word] = self._find(word)
        except TypeError:  # unhashable: in no table
            return default
        return default if value is None else value

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __len__(self) -> int:
        return self._n

    def _word(self, i: int) -> str:
        a, b = self._offsets[i], self._offsets[i + 1]
        return self._map[self._strings + a:self._strings + b].decode("utf-8")

    def _words(self) -> list[str]:
        """Every word, in order, decoded in one pass (a word at a time costs twice as much)."""
        offsets = self._offsets.tolist()
        # Latin-1 turns each byte into one character: a word's byte offsets are then its
        # character offsets, and only the words that are not ASCII are decoded again.
        text = self._map[self._strings:self._strings + offsets[-1]].decode("latin-1")
        return [w if w.isascii() else w.encode("latin-1").decode("utf-8")
                for w in map(text.__getitem__, map(slice, offsets, offsets[1:]))]

    def __iter__(self) -> Iterator[str]:
        return iter(self._words())

    def keys(self) -> Iterator[str]:
        return iter(self)

    def items(self) -> Iterator[tuple[str, int]]:
        return zip(self._words(), self._values.tolist())

    def __reduce__(self) -> tuple[Any, ...]:
        # Process pools pickle what rules hold: send the path, map it again there.
        return (WordTable, (self.path,))


def parsed_copy(folder: str, entry: str, where: str, text: str, version: int,
                parse: Callable[[], Any], file: str | None = None) -> Any:
    """``parse()`` of ``text``, read back from a marshal copy in the cache folder
    ``folder`` (file ``entry``-CRC.marshal, the CRC of ``file`` or ``where``) when this
    very text (same length and CRC-32, named ``where``, parsed by the same ``version``
    of its parser) was parsed before: the parser is then not imported nor run.

    Each call returns new objects, as parsing does. What marshal cannot hold (a date)
    is parsed every time; what does not parse raises every time (it is never stored)."""
    data = text.encode("utf-8", "surrogatepass")
    key = (where, len(data), zlib.crc32(data), version)
    name = zlib.crc32((file or where).encode("utf-8", "surrogatepass"))
    path = cache_dir() / folder / f"{entry}-{name:08x}.marshal"
    cached = load_marshal(path)
    if type(cached) is tuple and len(cached) == 2 and cached[0] == key:
        return cached[1]
    value = parse()
    try:
        store_marshal(path, (key, value))
    except ValueError:
        pass
    return value
