"""Translation files cut into chunks of whole units for the batch engine (main process).

A chunk is the file's bytes from the end of the previous chunk to the end
of a line closing a unit, with the units inside it (spans into those bytes):
the chunks' outputs put end to end are the file, so ``fix`` streams it, and
a TMX of any size is read in bounded memory. PO files are one chunk.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from ..batch.formats import CHUNK_BYTES, Chunk, FileProblem
from ..errors import InputError
from ..linter import Options
from . import BLOCK_BYTES


def unit_chunks(file_no: int, path: str, stream: IO[bytes], options: Options, fmt: str
                ) -> Iterator[Chunk | FileProblem]:
    """The chunks of one translation file; a bad file ends in a :class:`FileProblem`."""
    try:
        if fmt == "po":
            from .po_units import read_po

            data = stream.read()
            units, _, _ = read_po(data, path)
            yield Chunk(file_no, 0, "units", path, 1, (data, units), options, size=len(data))
            return
        yield from _xml_chunks(file_no, path, stream, options, fmt)
    except InputError as exc:
        yield FileProblem(file_no, path, exc.problem, line=exc.line)


def _xml_chunks(file_no: int, path: str, stream: IO[bytes], options: Options, fmt: str
                ) -> Iterator[Chunk]:
    from .xml_units import UnitScanner, Validator

    validator = Validator(path, fmt)
    scanner = UnitScanner(path, fmt, prefer_target=options.lang)
    seq = 0
    while True:
        block = stream.read(BLOCK_BYTES)
        if block:
            validator.feed(block)
            scanner.feed(block)
        else:
            validator.close()
            scanner.feed(b"", eof=True)
        while scanner.pending() >= CHUNK_BYTES or (not block and (scanner.buf or seq == 0)):
            line = scanner.first_line
            data, units = scanner.take() if block else scanner.finish()
            yield Chunk(file_no, seq, "units", path, line, (data, units), options, size=len(data))
            seq += 1
        if not block:
            return
