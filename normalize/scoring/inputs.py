"""Reading segments for scoring: plain text (one per line), JSONL, TSV; gzip allowed.

Every reader returns lists of segments aligned by position: segment *i* of a
hypothesis is scored against segment *i* of every reference, so a reader
must never skip or merge a line. Lines are split on ``\\n`` only (never on
the other characters ``str.splitlines`` treats as line breaks, which would
shift the alignment), and trailing whitespace is dropped from each segment,
exactly as ``sacrebleu``'s command line does when it reads a file, so that the
same files give the same scores with both tools.
"""
from __future__ import annotations

import codecs
import gzip
import json
import sys
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..document import decode
from ..errors import InputError, UsageError

FORMATS = ("auto", "text", "jsonl", "tsv")
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class Source:
    """One column of segments: a file, and the field read from it (None for plain text)."""

    path: str
    field: str | None = None

    @property
    def label(self) -> str:
        """How messages and reports name it: ``path`` or ``path:field``."""
        return self.path if self.field is None else f"{self.path}:{self.field}"


def detect_format(path: str) -> str:
    """``jsonl``, ``tsv`` or ``text`` from the file name (a ``.gz`` suffix is looked through)."""
    name = path.lower()
    name = name.removesuffix(".gz")
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if name.endswith(".tsv"):
        return "tsv"
    return "text"


def _read_bytes(path: str) -> tuple[bytes, str]:
    if path == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(path, "is a directory, not a file of segments")
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as exc:
        raise InputError(path, exc.strerror or str(exc)) from None
    return data, path


def read_text(path: str, *, strip_bom: bool = False,
              warn: Callable[[str], None] | None = None) -> tuple[str, str]:
    """Decoded text of ``path`` (``-``: standard input), gunzipped when it is gzip data.

    Gzip is recognised by its magic bytes, not the name, so a ``.gz`` that is
    really plain text (or the reverse) still reads. A UTF-8 byte-order mark
    stays at the start of the first segment unless ``strip_bom``: sacrebleu
    keeps it there, and scores must agree with sacrebleu's on the same file
    (one WMT17 system output starts with one). ``warn`` hears about it.
    Returns (text, shown name).
    """
    data, shown = _read_bytes(path)
    if data.startswith(_GZIP_MAGIC):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(shown, f"corrupt gzip data ({exc})") from None
    text, _encoding, bom = decode(data, shown)
    if bom == codecs.BOM_UTF8 and not strip_bom:
        text = "\ufeff" + text
        if warn is not None:
            warn(f"{shown}: starts with a UTF-8 byte-order mark, scored as part of the first "
                 "segment as sacrebleu does (--strip-bom drops it)")
    return text, shown


def split_lines(text: str) -> list[str]:
    """Lines of ``text`` split on ``\\n`` only; a final newline does not start another line."""
    if not text:
        return []
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def _text_column(lines: list[str]) -> list[str]:
    return [line.rstrip() for line in lines]


def _jsonl_columns(lines: list[str], fields: Sequence[str], shown: str, option: str) -> list[list[str]]:
    columns: list[list[str]] = [[] for _ in fields]
    for number, line in enumerate(lines, 1):
        if not line.strip():
            # A blank line would silently shift every later segment against the references.
            raise InputError(shown, "empty line in JSONL (every line must be one JSON object)",
                             line=number)
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(shown, f"malformed JSON: {exc.msg} (column {exc.colno})",
                             line=number) from None
        if not isinstance(record, dict):
            raise InputError(shown, f"expected a JSON object, found {type(record).__name__}",
                             line=number)
        for column, field in zip(columns, fields):
            try:
                value = record[field]
            except KeyError:
                known = ", ".join(map(str, list(record)[:8])) or "none"
                raise InputError(shown, f"no field {field!r} (fields here: {known}; choose one "
                                 f"with {option})", line=number) from None
            if not isinstance(value, str):
                raise InputError(shown, f"field {field!r} is {type(value).__name__}, not a string",
                                 line=number)
            column.append(value.rstrip())
    return columns


def _tsv_columns(lines: list[str], fields: Sequence[str], shown: str, option: str) -> list[list[str]]:
    # A field that is a number is a 1-based column in a file without a header;
    # a name is looked up in the header (first line), which is not a segment.
    by_index = [f.isdigit() for f in fields]
    if any(by_index) and not all(by_index):
        raise UsageError(f"{option}: give TSV columns all by number or all by header name, "
                         f"not both ({', '.join(fields)})")
    start = 1
    if all(by_index):
        indices = [int(f) - 1 for f in fields]
        if any(i < 0 for i in indices):
            raise UsageError(f"{option}: TSV columns are numbered from 1")
    else:
        if not lines:
            raise InputError(shown, "empty TSV file: no header line with column names")
        header = [h.strip() for h in lines[0].rstrip("\r").split("\t")]
        indices = []
        for field in fields:
            if field not in header:
                raise InputError(shown, f"no column {field!r} in the header "
                                 f"({', '.join(header)}; choose one with {option})", line=1)
            indices.append(header.index(field))
        start = 2
    need = max(indices) + 1
    columns: list[list[str]] = [[] for _ in fields]
    for number, line in enumerate(lines[start - 1:], start):
        cells = line.rstrip("\r").split("\t")
        if len(cells) < need:
            raise InputError(shown, f"{len(cells)} tab-separated column(s), column {need} needed",
                             line=number)
        for column, index in zip(columns, indices):
            column.append(cells[index].rstrip())
    return columns


def read_columns(path: str, fields: Sequence[str | None], *, fmt: str = "auto",
                 option: str = "--field", strip_bom: bool = False,
                 warn: Callable[[str], None] | None = None) -> list[list[str]]:
    """One list of segments per entry of ``fields``, read from ``path`` in one pass.

    ``fmt`` is ``text`` (one segment per line; ``fields`` must be ``[None]``),
    ``jsonl`` (each line a JSON object, ``fields`` are keys), ``tsv``
    (``fields`` are header names or 1-based column numbers) or ``auto``
    (from the file name). ``option`` names the command-line option that sets
    the fields, for error messages; ``strip_bom`` and ``warn`` are as in
    :func:`read_text`.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown input format {fmt!r} (choose from {', '.join(FORMATS)})")
    kind = detect_format(path) if fmt == "auto" else fmt
    text, shown = read_text(path, strip_bom=strip_bom or kind != "text", warn=warn)
    lines = split_lines(text)
    if kind == "text":
        named = [f for f in fields if f is not None]
        if named:
            raise UsageError(f"{shown} is read as plain text (one segment per line), so "
                             f"{option} {named[0]} does not apply; name it .jsonl/.tsv or give "
                             "--input-format jsonl|tsv")
        return [_text_column(lines)]
    if any(f is None for f in fields):
        raise UsageError(f"{shown} is {kind.upper()}: say which field holds the segments with {option}")
    names = [f for f in fields if f is not None]
    if kind == "jsonl":
        return _jsonl_columns(lines, names, shown, option)
    return _tsv_columns(lines, names, shown, option)
