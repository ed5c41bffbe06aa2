"""Cutting each input format into chunks of records, and processing a chunk.

Chunks are cut in the main process, the same way whatever the number of
jobs (so parallel output equals serial output byte for byte), and are small
(about :data:`CHUNK_BYTES`), so memory stays bounded on inputs of any size.
:func:`run_chunk` is what a worker does with one.
"""
from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from ..document import BINARY, MAX_LINE_CHARS, bom_encoding, line_too_long, looks_binary
from ..findings import Edit, Finding
from ..linter import Options
from .inputs import UNIT_FORMATS, InputFile
from .records import (
    MAX_RECORD_BYTES,
    Failure,
    Outcome,
    Task,
    linter_for,
    process_columns,
    process_jsonl_line,
    process_text_chunk,
    process_tsv_row,
)

#: Target size of a chunk of JSONL/TSV lines.
CHUNK_BYTES = 1 << 20
#: Text files up to this size are checked as one document. A bigger one is cut
#: at line breaks (after a blank line where there is one) into pieces of about
#: :data:`TEXT_PIECE_BYTES`, read twice: a first pass collects the document
#: facts the rules need of the whole text, the second checks each piece with
#: the lines around it and its share of the facts, so the findings are those of
#: the whole text (normalize/pieces.py), while memory holds one piece's analyses
#: (a document costs about 30 times its size in memory to check, 40 to fix).
#: The first pass costs time, so texts this small are not cut.
TEXT_DOCUMENT_BYTES = 2 << 20
TEXT_PIECE_BYTES = 512 << 10
#: What is read of a text file to tell it is binary before reading it all.
SNIFF_BYTES = 65536 + 4
#: Rows per Parquet batch.
PARQUET_ROWS = 4096


@dataclass
class Chunk:
    """Some consecutive records of one input file."""

    file_no: int
    seq: int
    kind: str  # "text" | "jsonl" | "tsv" | "parquet" | "units" | "raw"
    path: str
    first_line: int
    payload: Any
    options: Options
    #: TSV: header name -> column index of the columns that matter.
    columns: dict[str, int] | None = None
    #: Text pieces: characters of the file's decoded text before this piece.
    first_char: int = 0
    #: "raw" chunks: the failure that made this line pass through unprocessed.
    problem: str | None = None
    size: int = 0
    last: bool = False
    #: Kept in the main process only (not sent to workers): the Parquet batch.
    local: Any = field(default=None, compare=False)
    #: Text pieces: the lines before and after the piece checked with it (their own
    #: findings belong to the neighbouring pieces; see :mod:`normalize.pieces`).
    before: bytes = b""
    after: bytes = b""
    #: Text pieces: the document facts this piece reads ("facts" chunks collect them).
    facts: Any = None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["local"] = None
        return state


@dataclass
class FileNote:
    """Something to tell the user about a file that is being read normally."""

    file_no: int
    path: str
    message: str


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
    if chunk.kind == "facts":
        from .records import collect_text_facts

        return collect_text_facts(chunk.options, chunk.path, chunk.payload, chunk.before,
                                  chunk.after, chunk.first_char, chunk.first_line,
                                  chunk.last), outcome
    if chunk.kind == "text":
        out = process_text_chunk(task, chunk.options, chunk.path, chunk.first_line,
                                 chunk.payload, outcome, piece=_piece_of(chunk))
        return out, outcome
    if chunk.kind == "units":
        from ..translation_files.process import process_units

        return process_units(task, chunk.options, chunk.path, chunk.payload, outcome), outcome
    linter = linter_for(chunk.options)
    if chunk.kind == "parquet":
        return process_columns(linter, task, chunk.payload, chunk.path, chunk.first_line,
                               outcome), outcome
    rows: list[bytes] = []
    line = chunk.first_line
    for raw in split_lines(chunk.payload):
        if chunk.kind == "jsonl":
            rows.append(process_jsonl_line(linter, task, raw, line, chunk.path, outcome))
        else:
            rows.append(process_tsv_row(linter, task, raw, line, chunk.path, chunk.columns or {},
                                        outcome))
        line += 1
    return b"".join(rows), outcome


_GROUP = re.compile(r"(.*)@(\d+):(\d+)")


def _piece_of(chunk: Chunk) -> tuple[bytes, bytes, Any, bool, int] | None:
    """What a text chunk that is a piece of a larger text needs besides its bytes:
    (context before, context after, facts, whether it ends the text, its first
    character in the text); None when the chunk is the whole text."""
    if chunk.seq == 0 and chunk.last and not chunk.after:
        return None
    return chunk.before, chunk.after, chunk.facts, chunk.last, chunk.first_char


def shifted(finding: Finding, by: int, lines: int, *, line: int | None = None) -> Finding:
    """A finding of a text piece placed in the whole file: every offset (span, replaced
    span, other edits) moved ``by`` characters, and its group, named after the line of
    its first place (``rule@line:column``), ``lines`` lines down; its own line set to
    ``line`` where given (one copy of the finding for all of it)."""
    replaces = finding.replaces
    group = getattr(finding, "group", "")
    match = _GROUP.fullmatch(group) if group else None
    extra: dict[str, Any] = {"group": f"{match[1]}@{int(match[2]) + lines}:{match[3]}"} if match else {}
    if line is not None:
        extra["line"] = line
    return finding.evolve(
        start=finding.start + by, end=finding.end + by,
        replaces=(replaces[0] + by, replaces[1] + by) if replaces else None,
        also=tuple(Edit(e.start + by, e.end + by, e.replacement, e.rule) for e in finding.also),
        **extra)


_HUNK = re.compile(r"@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@")


def placed_diff(diff: str, old_before: int, new_before: int, header: bool) -> tuple[str, int]:
    """A text piece's unified diff placed in the whole file, and the lines the piece gained.

    ``old_before`` / ``new_before`` lines precede the piece in the old / new
    text; the ``---``/``+++`` file header is kept only with ``header`` (the
    first piece that changed), so the pieces' diffs make one patch.
    """
    lines = diff.splitlines(keepends=True)
    if lines[:2] and lines[0].startswith("--- ") and lines[1].startswith("+++ "):
        head, lines = lines[:2], lines[2:]
    else:
        head = []
    out = head if header else []
    gained = 0
    for line in lines:
        match = _HUNK.match(line)
        if match:
            old, old_n, new, new_n = match.groups()
            line = (f"@@ -{int(old) + old_before}{old_n or ''} +{int(new) + new_before}"
                    f"{new_n or ''} @@{line[match.end():]}")
        elif line.startswith("+"):
            gained += 1
        elif line.startswith("-"):
            gained -= 1
        out.append(line)
    return "".join(out), gained


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
              task: Task) -> Iterator[Chunk | FileProblem | FileNote]:
    """The chunks of one input, in order; the last one has ``last=True``.

    ``stream`` is an open binary stream for text-like formats (None for
    Parquet, read by path). Problems with the whole file come as a
    :class:`FileProblem` (after which nothing more of that file comes);
    :class:`FileNote` items are for the user, not for processing.
    """
    shown = "<stdin>" if source.is_stdin else source.path
    if source.format == "parquet":
        yield from _parquet_chunks(file_no, source.path, options, task)
        return
    assert stream is not None
    if source.format == "text":
        pieces = _text_pieces(file_no, shown, stream, options, whole=task.source_text is not None)
    elif source.format in UNIT_FORMATS:
        from ..translation_files.chunks import unit_chunks

        pieces = unit_chunks(file_no, shown, stream, options, source.format, task.include_final)
    elif source.format == "jsonl":
        pieces = _line_chunks(file_no, shown, stream, options, "jsonl", None, 1)
    else:
        pieces = _tsv_chunks(file_no, shown, stream, options, task)
    previous: Chunk | None = None
    for piece in pieces:
        if isinstance(piece, FileNote):
            yield piece
            continue
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


def _text_pieces(file_no: int, path: str, stream: IO[bytes], options: Options,
                 whole: bool = False) -> Iterator[Chunk | FileProblem | FileNote]:
    """A text file as one chunk, or (over :data:`TEXT_DOCUMENT_BYTES`, in UTF-8, and not
    ``whole``: checked against a source) as pieces.

    Pieces end at a blank line (else at a line break) near
    :data:`TEXT_PIECE_BYTES`, so no line is ever split; each knows the line
    and the character it starts at, so findings are placed in the whole file,
    and carries the lines around it (:mod:`normalize.pieces`).
    """
    head = stream.read(SNIFF_BYTES)
    bom, encoding = bom_encoding(head)
    utf8 = encoding == "utf-8"
    if utf8 and looks_binary(head[len(bom):]):
        # Said at once, before reading on (/dev/zero on standard input), and once,
        # not once per piece by the workers.
        yield FileProblem(file_no, path, BINARY)
        return
    head += stream.read(max(0, TEXT_DOCUMENT_BYTES + 1 - len(head)))
    if len(head) <= TEXT_DOCUMENT_BYTES or not utf8 or whole:
        if not utf8 or whole:
            # UTF-16/32 cannot be cut at b"\n"; a text checked against its source (--source)
            # is aligned with it line by line as a whole: read it whole.
            head += stream.read()
        yield Chunk(file_no, 0, "text", path, 1, head, options, size=len(head))
        return
    bom_chars = 1 if bom else 0  # the BOM is one character, not part of the text
    buffer, pos, eof = head, 0, False
    line, char, seq = 1, 0, 0
    before = b""
    piece_bytes = TEXT_PIECE_BYTES
    while True:
        if not eof and len(buffer) - pos < 2 * piece_bytes:
            more = stream.read(piece_bytes)
            eof = not more
            buffer, pos = buffer[pos:] + more, 0
            continue
        if eof and pos == len(buffer):
            return
        if eof and len(buffer) - pos <= piece_bytes:
            cut = len(buffer)
        else:
            cut = _paragraph_cut(buffer, pos, piece_bytes)
            # No line break in what is buffered (two pieces' worth): read on while
            # the line might still be short enough to be prose (only with small pieces).
            while cut == -1 and not eof and len(buffer) - pos <= 4 * MAX_LINE_CHARS:
                more = stream.read(piece_bytes)
                eof = not more
                buffer += more
                cut = _paragraph_cut(buffer, pos, piece_bytes)
            if cut == -1:
                if not eof:  # a line far too long: say so once, with its true length
                    length = _chars(buffer[pos:]) + _rest_of_line(stream)
                    yield FileProblem(file_no, path, line_too_long(path, line, length).problem,
                                      line=line)
                    return
                cut = len(buffer)  # the last line; the worker measures it
        piece = buffer[pos:cut]
        after = _lines_after(buffer, cut) if cut < len(buffer) else b""
        yield Chunk(file_no, seq, "text", path, line, piece, options, size=len(piece),
                    first_char=max(0, char - bom_chars), before=before, after=after)
        if cut == len(buffer) and eof:
            return
        # What the next piece's context is taken from: it may reach back over several
        # small pieces (the reference, normalize.pieces, takes it from the whole text).
        before = _lines_before(before + piece)
        line += piece.count(b"\n")
        char += _chars(piece)
        pos = cut
        seq += 1


def _lines_before(recent: bytes) -> bytes:
    """The context the next piece is checked with: the last lines of ``recent`` (the
    text read so far, or its end, from a line start) as
    :func:`normalize.pieces.context_start` takes them from a whole text."""
    from ..pieces import context_start

    # Counted in bytes here, characters there: a little more context, never less.
    return recent[context_start(recent, len(recent))::] if recent else b""


def _lines_after(data: bytes, cut: int) -> bytes:
    """The context a piece ending at ``cut`` is checked with: the lines after it, as
    :func:`normalize.pieces.context_end` takes them from a whole text."""
    from ..pieces import context_end

    return data[cut:context_end(data, cut)]


#: UTF-8 continuation bytes: every other byte starts a character.
_CONTINUATION = bytes(range(0x80, 0xC0))


def _chars(data: bytes) -> int:
    """How many characters UTF-8 ``data`` decodes to (without decoding it)."""
    return len(data.translate(None, _CONTINUATION))


def _rest_of_line(stream: IO[bytes]) -> int:
    """Read ``stream`` up to the end of the current line; its length in characters."""
    total = 0
    while True:
        block = stream.read(TEXT_PIECE_BYTES)
        if not block:
            return total
        end = block.find(b"\n")
        if end != -1:
            return total + _chars(block[:end])
        total += _chars(block)


def _paragraph_cut(data: bytes, start: int, near: int) -> int:
    """Where to cut ``data[start:]`` near ``near`` bytes in: after a blank line in the
    second half, else after a line break (the last one before ``near``, or the first
    after it); -1 if there is none."""
    for sep, lowest in ((b"\n\n", start + near // 2), (b"\n", start)):
        pos = data.rfind(sep, lowest, start + max(near, 1))
        if pos != -1:
            return pos + len(sep)
    pos = data.find(b"\n", start + near)
    return pos + 1 if pos != -1 else -1


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
            # Its last piece carries the failure, with the line's true length.
            length = 0
            while raw:
                following = b"" if raw.endswith(b"\n") else readline(MAX_RECORD_BYTES + 1)
                length += len(raw)
                problem = None if following else (
                    f"line longer than {MAX_RECORD_BYTES:,} bytes ({length:,} bytes); passed through")
                yield Chunk(file_no, seq, "raw", path, line, raw, options, problem=problem,
                            size=len(raw))
                seq += 1
                raw = following
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
        # A BOM opening the file is not part of the first column's name (kept in the output).
        names = header.decode("utf-8").removeprefix("\ufeff").rstrip("\r\n").split("\t")
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
    from .arrow import parquet as arrow_parquet

    try:
        pq = arrow_parquet()
    except ImportError:
        yield FileProblem(file_no, path, "reading Parquet needs pyarrow (pip install 'mtnorm[parquet]')")
        return
    try:
        # No pre-buffering: it keeps what it read of every row group until the file is
        # closed (reading 60 MB of records peaked 15 MB above 20 MB with it, flat without,
        # at the same speed from a local disk).
        parquet = pq.ParquetFile(path, pre_buffer=False)
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
