"""Translation files cut into chunks of whole units for the batch engine (main process).

A chunk is the file's bytes from the end of the previous chunk to the end
of a line closing a unit, with the units inside it (spans into those bytes):
the chunks' outputs put end to end are the file, so ``fix`` streams it, and
a TMX of any size is read in bounded memory. PO files are one chunk.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from ..batch.formats import Chunk, FileNote, FileProblem
from ..errors import InputError
from ..linter import Options
from . import BLOCK_BYTES

#: Bytes of units in a chunk: an eighth of a record file's chunk (``CHUNK_BYTES``). A unit
#: is checked against its source, and its findings and corpus segments travel back to the
#: main process, which also scans the next block: with 1 MB chunks and blocks a TMX
#: checked by two workers peaked at 334 MiB for the process tree, at 128 KiB at 247-251
#: MiB, with as many units a second (``scripts/bench_memory.py --records``).
UNIT_CHUNK_BYTES = 128 << 10


def unit_chunks(file_no: int, path: str, stream: IO[bytes], options: Options, fmt: str,
                include_final: bool = False) -> Iterator[Chunk | FileProblem | FileNote]:
    """The chunks of one translation file; a bad file ends in a :class:`FileProblem`.

    A note at the end says how many units were left alone as final, approved
    or locked (unless ``include_final``), so a short count of records is explained.
    """
    final = 0
    first_unit: int | None = None
    with_target = 0
    try:
        if fmt == "po":
            from .po_units import read_po

            data = stream.read()
            units, _, _ = read_po(data, path)
            chunks: Iterator[Chunk] = iter([Chunk(file_no, 0, "units", path, 1, (data, units),
                                                  options, size=len(data))])
        else:
            chunks = _xml_chunks(file_no, path, stream, options, fmt)
        for chunk in chunks:
            units = chunk.payload[1]
            final += sum(1 for unit in units if unit.final and unit.target_span)
            with_target += sum(1 for unit in units if unit.target_span is not None)
            if first_unit is None and units:
                first_unit = units[0].line
            yield chunk
    except InputError as exc:
        yield FileProblem(file_no, path, exc.problem, line=exc.line)
        return
    if fmt == "xliff" and first_unit is not None and not with_target:
        # Not one translation: an export made before translating, or the wrong file.
        yield FileProblem(file_no, path, "no unit has a <target>: nothing to check "
                                         "(an XLIFF exported before translation?)", line=first_unit)
        return
    if final and not include_final:
        yield FileNote(file_no, path, f"{final:,} unit{'s' if final != 1 else ''} marked final, "
                                      "approved or locked left alone (--include-final checks them)")


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
        while scanner.pending() >= UNIT_CHUNK_BYTES or (not block and (scanner.buf or seq == 0)):
            line = scanner.first_line
            data, units = scanner.take() if block else scanner.finish()
            yield Chunk(file_no, seq, "units", path, line, (data, units), options, size=len(data))
            seq += 1
        if not block:
            return
