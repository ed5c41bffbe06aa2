"""Reading text safely, and finding lines and columns in it.

A :class:`Document` holds decoded text exactly as it was (line endings kept),
with the byte-order mark removed and remembered so that writing it back
restores it. Offsets everywhere in mtnorm are offsets into ``Document.text``.
"""
from __future__ import annotations

import bisect
import codecs
import contextlib
import io
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .errors import InputError

if TYPE_CHECKING:
    from .pieces import Piece

#: A line longer than this (in characters) is refused: it is almost always a
#: binary or minified file given by mistake, and rules are not built for it.
MAX_LINE_CHARS = 1_000_000

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass
class Document:
    """Decoded text plus what is needed to write it back byte for byte."""

    text: str
    path: str = "<string>"
    lang: str = "en"
    style: str | None = None
    source_lang: str | None = None
    encoding: str = "utf-8"
    bom: bytes = b""
    #: The text this one was translated from, when known (``--source FILE``).
    source: str | None = None
    #: Where this text sits in a larger one checked piece by piece (None: it is whole).
    piece: Piece | None = field(default=None, compare=False)
    _line_starts: list[int] | None = field(default=None, repr=False, compare=False)

    def line_starts(self) -> list[int]:
        """Offsets at which each line begins (computed once, on demand)."""
        if self._line_starts is None:
            starts = [0]
            text = self.text
            find = text.find
            pos = find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._line_starts = starts
        return self._line_starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; columns count code points."""
        starts = self.line_starts()
        index = bisect.bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def encode(self, text: str | None = None) -> bytes:
        """Bytes of ``text`` (default: this document's) in the original encoding and BOM."""
        return self.bom + (self.text if text is None else text).encode(self.encoding)


def bom_encoding(data: bytes) -> tuple[bytes, str]:
    """The byte-order mark ``data`` starts with (or b"") and the encoding it implies."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return bom, encoding
    return b"", "utf-8"


def decode(data: bytes, path: str) -> tuple[str, str, bytes]:
    """Decode file bytes to text; return (text, encoding, bom).

    UTF-8 is assumed unless a UTF-16/32 byte-order mark says otherwise. Binary
    data and invalid UTF-8 raise :class:`InputError` naming the line.
    """
    bom, encoding = bom_encoding(data)
    body = data[len(bom):]
    if encoding == "utf-8" and looks_binary(body):
        raise InputError(path, BINARY)
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        col = exc.start - (body.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            path,
            f"not valid {encoding.upper()}: byte 0x{body[exc.start]:02x} at column {col} "
            f"(convert the file to UTF-8, e.g. with iconv)",
            line=line,
        ) from None
    _check_line_lengths(text, path)
    return text, encoding, bom


#: The problem reported for a file that is not text.
BINARY = "binary file (contains NUL bytes), not text"


def looks_binary(head: bytes) -> bool:
    """Whether UTF-8 data (BOM removed) is binary: a NUL byte in its first 64 KiB."""
    return b"\x00" in head[:65536]


def line_too_long(path: str, line: int, length: int) -> InputError:
    """The error for a line of ``length`` characters (over :data:`MAX_LINE_CHARS`)."""
    return InputError(path, f"line is {length:,} characters long (limit {MAX_LINE_CHARS:,}); "
                      "is this really prose?", line=line)


def _check_line_lengths(text: str, path: str) -> None:
    if len(text) <= MAX_LINE_CHARS:
        return
    start = 0
    line = 1
    while start < len(text):
        end = text.find("\n", start)
        if end == -1:
            end = len(text)
        if end - start > MAX_LINE_CHARS:
            raise line_too_long(path, line, end - start)
        start = end + 1
        line += 1


def special_kind(mode: int) -> str | None:
    """What a file of this ``st_mode`` is, if it is a device, FIFO or socket (else None).

    Such files are refused: reading one may never end (``/dev/zero``, a FIFO
    nobody writes to) and is never the same twice.
    """
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return None


def special_problem(kind: str) -> str:
    """The one-line problem for a special file named as input."""
    return f"is {kind}, not a regular file (pipe it to standard input with '-' instead)"


def read_document(path: str, *, lang: str = "en", style: str | None = None,
                  source_lang: str | None = None) -> Document:
    """Read a file (or ``-`` for standard input) into a :class:`Document`."""
    if path == "-":
        data = sys.stdin.buffer.read()
        shown = "<stdin>"
    else:
        shown = path
        p = Path(path)
        try:
            mode = p.stat().st_mode
        except FileNotFoundError:
            raise InputError(shown, "no such file") from None
        except PermissionError:
            raise InputError(shown, "permission denied") from None
        if stat.S_ISDIR(mode):
            raise InputError(shown, "is a directory (give files, or use a batch command)")
        kind = special_kind(mode)
        if kind is not None:
            raise InputError(shown, special_problem(kind))
        try:
            data = p.read_bytes()
        except PermissionError:
            raise InputError(shown, "permission denied") from None
        except OSError as exc:
            raise InputError(shown, exc.strerror or str(exc)) from None
    text, encoding, bom = decode(data, shown)
    return Document(text=text, path=shown, lang=lang, style=style, source_lang=source_lang,
                    encoding=encoding, bom=bom)


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    The bytes go to a temporary file in the same directory, are flushed to
    disk, and the file is renamed over the target (keeping its permissions,
    writing through symbolic links): :class:`normalize.batch.output.AtomicFile`,
    whose docstring says what happens to hard-linked targets.
    """
    from .batch.output import AtomicFile  # here: reading documents needs none of it

    file = AtomicFile(path, compress=False)
    file.write(data)
    file.commit()


@contextlib.contextmanager
def atomic_text(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """A UTF-8 text stream whose content replaces ``path`` when the block ends.

    What is written goes straight to the temporary file of :func:`atomic_write`
    (:class:`normalize.batch.output.AtomicFile`), not to memory: a report of any
    size can be written as it is made. An exception (an interrupt too) drops
    the temporary file and leaves ``path`` as it was.
    """
    from .batch.output import AtomicFile  # here: reading documents needs none of it

    file = AtomicFile(path, compress=False)
    raw = _AtomicRaw(file)
    stream = io.TextIOWrapper(io.BufferedWriter(raw, 1 << 16), encoding="utf-8", newline="\n")
    try:
        yield stream
        stream.flush()
    except BaseException:
        raw.file = None  # what is still buffered goes nowhere
        file.abort()
        raise
    file.commit()
    stream.close()


class _AtomicRaw(io.RawIOBase):
    """The byte sink of :func:`atomic_text`: every write goes to the :class:`AtomicFile`
    (which turns an ``OSError`` into an :class:`~normalize.errors.OutputError`)."""

    def __init__(self, file: Any) -> None:
        self.file = file

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.file is not None:
            self.file.write(bytes(data))
        return len(data)
