"""Cutting each input format into chunks of records, and processing a chunk.

Chunks are cut in the main process, the same way whatever the number of
jobs (so parallel output equals serial output byte for byte), and are small
(about :data:`CHUNK_BYTES`), so memory stays bounded on inputs of any size.
:func:`run_chunk` is what a worker does with one.
"""
from __future__ import annotations

import codecs
import gc
from dataclasses import dataclass, field
from typing import IO, Any, Iterator

from ..errors import InputError
from ..linter import Options
from .inputs import InputFile
from .records import (MAX_RECORD_BYTES, Failure, Outcome, Task, linter_for, process_columns,
                      process_jsonl_line, process_text_chunk, process_tsv_row)

#: Target size of a chunk of JSONL/TSV lines.
CHUNK_BYTES = 1 << 20
#: Text files up to this size are one document; bigger ones are cut at
#: paragraph breaks into pieces of about this size (document-wide rules then
#: see one piece at a time).
TEXT_PIECE_BYTES = 8 << 20
#: Rows per Parquet batch.
PARQUET_ROWS = 4096


@dataclass
class Chunk:
    """Some consecutive records of one input file."""

    file_no: int
    seq: int
    kind: str  # "text" | "jsonl" | "tsv" | "parquet" | "raw"
    path: str
    first_line: int
    payload: Any
    options: Options
    #: TSV: header name -> column index of the columns that matter.
    columns: dict[str, int] | None = None
    #: "raw" chunks: the failure that made this line pass through unprocessed.
    problem: str | None = None
    size: int = 0
    last: bool = False
    #: Kept in the main process only (not sent to workers): the Parquet batch.
    local: Any = field(default=None, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["local"] = None
        return state


@dataclass
class FileProblem:
    """A whole file could not be read (missing, unreadable, wrong header)."""

    file_no: int
    path: str
    message: str
    line: int | None = None
    last: bool = True


_gc_frozen = False


def run_chunk(task: Task, chunk: Chunk) -> tuple[Any, Outcome]:
    """Process one chunk; return its output (same kind as the payload) and outcome."""
    global _gc_frozen
    try:
        return _run_chunk(task, chunk)
    finally:
        if not _gc_frozen:
            # The first chunk loaded the rules' data (lexicons, gazetteer
            # memos): long-lived objects the cyclic collector need not walk
            # again on every collection (~6 µs per record otherwise).
            gc.freeze()
            _gc_frozen = True


def _run_chunk(task: Task, chunk: Chunk) -> tuple[Any, Outcome]:
    outcome = Outcome()
    if chunk.kind == "raw":
        if chunk.problem is not None:
            outcome.records += 1
            outcome.failures.append(Failure(chunk.path, chunk.first_line, None, chunk.problem))
        return chunk.payload, outcome
    if chunk.kind == "text":
        return process_text_chunk(task, chunk.options, chunk.path, chunk.first_line,
                                  chunk.payload, outcome), outcome
    linter = linter_for(chunk.options)
    if chunk.kind == "parquet":
        return process_columns(linter, task, chunk.payload, chunk.path, chunk.first_line,
                               outcome), outcome
    out: list[bytes] = []
    line = chunk.first_line
    for raw in split_lines(chunk.payload):
        if chunk.kind == "jsonl":
            out.append(process_jsonl_line(linter, task, raw, line, chunk.path, outcome))
        else:
            out.append(process_tsv_row(linter, task, raw, line, chunk.path, chunk.columns or {},
                                       outcome))
        line += 1
    return b"".join(out), outcome


def split_lines(data: bytes) -> list[bytes]:
    """Lines ending in ``\\n`` (kept); a lone ``\\r`` is not a line break here."""
    parts = data.split(b"\n")
    last = parts.pop()
    lines = [p + b"\n" for p in parts]
    if last:
        lines.append(last)
    return lines


# -- cutting files into chunks (main process) --------------------------------------
def chunks_of(file_no: int, source: InputFile, stream: IO[bytes] | None, options: Options,
              task: Task) -> Iterator[Chunk | FileProblem]:
    """The chunks of one input, in order; the last one has ``last=True``.

    ``stream`` is an open binary stream for text-like formats (None for
    Parquet, read by path). Problems with the whole file come as a
    :class:`FileProblem` (after which nothing more of that file comes).
    """
    shown = "<stdin>" if source.is_stdin else source.path
    if source.format == "parquet":
        yield from _parquet_chunks(file_no, source.path, options, task)
        return
    assert stream is not None
    if source.format == "text":
        pieces = _text_pieces(file_no, shown, stream, options)
    elif source.format == "jsonl":
        pieces = _line_chunks(file_no, shown, stream, options, "jsonl", None, 1)
    else:
        pieces = _tsv_chunks(file_no, shown, stream, options, task)
    previous: Chunk | None = None
    for piece in pieces:
        if isinstance(piece, FileProblem):
            yield piece
            return
        if previous is not None:
            yield previous
        previous = piece
    if previous is None:  # an empty file is still a file: one empty chunk
        kind = "text" if source.format == "text" else "raw"
        previous = Chunk(file_no, 0, kind, shown, 1, b"", options)
    previous.last = True
    yield previous


def _text_pieces(file_no: int, path: str, stream: IO[bytes], options: Options
                 ) -> Iterator[Chunk | FileProblem]:
    head = stream.read(TEXT_PIECE_BYTES)
    utf8 = not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not utf8:  # UTF-16/32 cannot be cut at b"\n": read it whole
        head += stream.read()
    line, seq, buffer = 1, 0, head
    while True:
        more = stream.read(TEXT_PIECE_BYTES) if utf8 else b""
        if not more:
            yield Chunk(file_no, seq, "text", path, line, buffer, options, size=len(buffer))
            return
        buffer += more
        cut = _paragraph_cut(buffer, TEXT_PIECE_BYTES)
        piece, buffer = buffer[:cut], buffer[cut:]
        yield Chunk(file_no, seq, "text", path, line, piece, options, size=len(piece))
        line += piece.count(b"\n")
        seq += 1


def _paragraph_cut(data: bytes, near: int) -> int:
    """Where to cut ``data`` near ``near`` bytes: after a blank line, else after a line."""
    for sep in (b"\n\n", b"\n"):
        pos = data.rfind(sep, 0, max(near, 1))
        if pos == -1:
            pos = data.find(sep, near)
        if pos != -1:
            return pos + len(sep)
    return len(data)


def _line_chunks(file_no: int, path: str, stream: IO[bytes], options: Options, kind: str,
                 columns: dict[str, int] | None, first_line: int) -> Iterator[Chunk]:
    lines: list[bytes] = []
    size = 0
    seq = 0
    line = start = first_line
    readline = stream.readline
    while True:
        raw = readline(MAX_RECORD_BYTES + 1)
        if not raw:
            break
        if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
            # An overlong line is passed through piece by piece, never held whole.
            if lines:
                yield Chunk(file_no, seq, kind, path, start, b"".join(lines), options, columns,
                            size=size)
                seq += 1
                lines, size = [], 0
            problem: str | None = f"line longer than {MAX_RECORD_BYTES:,} bytes; passed through"
            while raw:
                yield Chunk(file_no, seq, "raw", path, line, raw, options, problem=problem,
                            size=len(raw))
                seq += 1
                problem = None
                if raw.endswith(b"\n"):
                    break
                raw = readline(MAX_RECORD_BYTES + 1)
            line += 1
            start = line
            continue
        lines.append(raw)
        size += len(raw)
        line += 1
        if size >= CHUNK_BYTES:
            yield Chunk(file_no, seq, kind, path, start, b"".join(lines), options, columns,
                        size=size)
            seq += 1
            lines, size, start = [], 0, line
    if lines:
        yield Chunk(file_no, seq, kind, path, start, b"".join(lines), options, columns, size=size)


def _tsv_chunks(file_no: int, path: str, stream: IO[bytes], options: Options, task: Task
                ) -> Iterator[Chunk | FileProblem]:
    header = stream.readline(MAX_RECORD_BYTES + 1)
    if not header:
        return
    try:
        names = header.decode("utf-8").rstrip("\r\n").split("\t")
    except UnicodeDecodeError:
        yield FileProblem(file_no, path, "header row is not valid UTF-8", line=1)
        return
    wanted = [*task.fields, *([task.id_field] if task.id_field else []),
              *([task.source_field] if task.source_field else [])]
    columns: dict[str, int] = {}
    for name in wanted:
        if name in names:
            columns[name] = names.index(name)
        elif name.isdigit() and 1 <= int(name) <= len(names):
            columns[name] = int(name) - 1
        elif name in task.fields:
            yield FileProblem(file_no, path, f"no column {name!r} in the header "
                              f"(columns: {', '.join(names)})", line=1)
            return
    yield Chunk(file_no, 0, "raw", path, 1, header, options, size=len(header))
    for chunk in _line_chunks(file_no, path, stream, options, "tsv", columns, 2):
        chunk.seq += 1
        yield chunk


def _parquet_chunks(file_no: int, path: str, options: Options, task: Task
                    ) -> Iterator[Chunk | FileProblem]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield FileProblem(file_no, path, "reading Parquet needs pyarrow (pip install 'mtnorm[parquet]')")
        return
    try:
        parquet = pq.ParquetFile(path)
    except FileNotFoundError:
        yield FileProblem(file_no, path, "no such file")
        return
    except Exception as exc:  # pyarrow raises its own types for corrupt files
        yield FileProblem(file_no, path, f"not a readable Parquet file: {exc}")
        return
    names = parquet.schema_arrow.names
    missing = [name for name in task.fields if name not in names]
    if missing:
        yield FileProblem(file_no, path, f"no column {missing[0]!r} (columns: {', '.join(names)})")
        return
    wanted = [n for n in dict.fromkeys([*task.fields, task.id_field, task.source_field])
              if n is not None and n in names]
    row, seq = 1, 0
    batches = parquet.iter_batches(batch_size=PARQUET_ROWS)
    batch = next(batches, None)
    while batch is not None:
        following = next(batches, None)
        payload = {name: batch.column(name).to_pylist() for name in wanted}
        yield Chunk(file_no, seq, "parquet", path, row, payload, options,
                    size=batch.nbytes, last=following is None, local=batch)
        row += batch.num_rows
        seq += 1
        batch = following
    if seq == 0:
        yield Chunk(file_no, 0, "parquet", path, 1, {name: [] for name in wanted}, options,
                    last=True, local=parquet.schema_arrow.empty_table())
