"""The glossary a run checks terms against (``--glossary FILE``, the ``glossary`` key).

:func:`validate_glossary` reads a glossary once when options name it, so that a
missing or malformed file is a usage error (exit status 2) before any text is
read, worded on one line with the file and the line (as the rule's own reader words it)::

    terms.tsv: line 4: unknown status 'must' (use required, forbidden or dnt)
    terms.tbx: line 12: malformed TBX: mismatched tag: line 12, column 4

The rule itself (:mod:`normalize.rules.pair.glossary`) loads the same file
through :mod:`normalize.rules.pair._glossary`, cached by path, size and
modification time.
"""
from __future__ import annotations

import csv
import functools
import io
import os
import xml.etree.ElementTree as ET
from pathlib import Path

from .errors import UsageError

#: Row statuses of a TSV/CSV glossary.
STATUSES = ("required", "forbidden", "dnt")


def glossary_path(value: str | os.PathLike[str], base: str | os.PathLike[str] | None = None) -> str:
    """``value`` as an absolute path (relative to ``base``, else the current directory)."""
    path = Path(os.fspath(value)).expanduser()
    if not path.is_absolute() and base is not None:
        path = Path(base) / path
    return os.path.abspath(path)


def validate_glossary(path: str) -> None:
    """Raise :class:`UsageError` ("FILE:LINE: problem") unless ``path`` is a readable glossary."""
    try:
        stat = os.stat(path)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the glossary: {exc.strerror or exc}") from None
    _validate(path, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _validate(path: str, _size: int, _mtime: int) -> None:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the glossary: {exc.strerror or exc}") from None
    if path.lower().endswith((".tbx", ".xml")) or raw.lstrip()[:5] == b"<?xml":
        _tbx(path, raw)
    else:
        _table(path, raw)
    # The rule's own reader must take it too (its messages name the row, not the line).
    from .rules.pair._glossary import load

    load(path, None, "und")


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _table(path: str, raw: bytes) -> None:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: line {_line_of(raw, exc.start)}: not UTF-8 text "
                         f"(byte 0x{raw[exc.start]:02x})") from None
    dialect = "excel" if path.lower().endswith(".csv") else "excel-tab"
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect, strict=True)
    first = True
    line = 1
    try:
        for row in reader:
            line = reader.line_num
            if not row or not any(c.strip() for c in row) or row[0].lstrip().startswith("#"):
                continue
            if first:
                first = False
                if len(row) >= 2 and _language_row(row):
                    continue
            status = (row[2].strip().lower() if len(row) > 2 else "") or "required"
            if status not in STATUSES:
                raise UsageError(f"{path}: line {line}: unknown status {row[2].strip()!r} "
                                 f"(use {', '.join(STATUSES[:-1])} or {STATUSES[-1]})")
            targets = [t for t in (row[1] if len(row) > 1 else "").split("|") if t.strip()]
            if status == "required" and not (row[0].strip() and targets):
                kind = "tab" if dialect == "excel-tab" else "comma"
                raise UsageError(f"{path}: line {line}: a required entry needs a source term and a "
                                 f"target term ({kind}-separated)")
            if status == "forbidden" and not targets:
                raise UsageError(f"{path}: line {line}: a forbidden entry needs the forbidden target term")
            if status == "dnt" and not row[0].strip():
                raise UsageError(f"{path}: line {line}: a do-not-translate entry needs its source term")
    except csv.Error as exc:
        raise UsageError(f"{path}: line {reader.line_num or line}: malformed "
                         f"{'CSV' if dialect == 'excel' else 'TSV'}: {exc}") from None


def _language_row(row: list[str]) -> bool:
    from .rules.pair._glossary import _LANG_CODE

    return all(_LANG_CODE.fullmatch(c.strip()) and len(c.strip()) <= 8 for c in row[:2])


def _tbx(path: str, raw: bytes) -> None:
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 1
        raise UsageError(f"{path}: line {line}: malformed TBX: {exc}") from None
    if not any(el.tag.rsplit("}", 1)[-1] in ("termEntry", "conceptEntry") for el in root.iter()):
        raise UsageError(f"{path}: line 1: not a TBX glossary (no termEntry or conceptEntry)")
