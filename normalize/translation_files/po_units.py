"""Gettext PO (and POT) files read as units with byte spans.

polib reads the entries (context, ids, flags, obsolete marks, the header's
``Language``); the bytes of each ``msgstr`` are found line by line from the
entry's first line, so that ``fix`` can rewrite a translation in place and
leave comments, flags and the wrapping of every other string as they were.
PO files are small (a few MB at most), so a file is read whole.
"""
from __future__ import annotations

import re

from ..errors import InputError
from .units import Unit

_STRING = rb'"(?:[^"\\\n]|\\.)*"'
_KEYWORD = re.compile(rb"^(?:#~\s*)?(msgctxt|msgid|msgid_plural|msgstr(?:\[(\d+)\])?)\s+" + _STRING
                      + rb"\s*$")
_CONTINUATION = re.compile(rb"^(?:#~\s*)?" + _STRING + rb"\s*$")
_POLIB_LINE = re.compile(r"\(line (\d+)\)")
_CHARSET = re.compile(r"charset=([A-Za-z0-9._-]+)")
#: Ids longer than this are shortened when shown with findings.
ID_CHARS = 80


def _check_syntax(data: bytes, path: str) -> list[bytes]:
    """The file's lines (endings kept); a line that is no PO is an input error."""
    lines = data.splitlines(keepends=True)
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        if not line or (line.startswith(b"#") and not line.startswith(b"#~")):
            continue
        body = line[2:].strip() if line.startswith(b"#~") else line
        if not body or _KEYWORD.match(line) or _CONTINUATION.match(line) or body.startswith(b"#"):
            continue
        shown = line[:40].decode("utf-8", "replace")
        raise InputError(path, f"PO syntax error: expected a keyword (msgid, msgstr, ...) or a "
                               f"quoted string, found {shown!r}", number)
    return lines


def _short(text: str) -> str:
    return text if len(text) <= ID_CHARS else text[:ID_CHARS - 1] + "…"


def read_po(data: bytes, path: str) -> tuple[list[Unit], str | None, str | None]:
    """The units of a PO file, and its source and target languages from the header.

    The header entry, untranslated strings (no target: kept as units with an
    empty target span, left alone) and obsolete (``#~``) entries are no units
    to check; plural forms are one unit each (``[n]`` after the id).
    """
    import polib

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}): "
                               "PO files are read as UTF-8", line) from None
    lines = _check_syntax(data, path)
    try:
        po = polib.pofile(text.removeprefix("\ufeff"), wrapwidth=0)
    except (OSError, ValueError) as exc:
        match = _POLIB_LINE.search(str(exc))
        raise InputError(path, f"PO syntax error: {str(exc).split(' (line')[0]}",
                         int(match[1]) if match else None) from None
    charset = _CHARSET.search(po.metadata.get("Content-Type", ""))
    if charset and charset[1].lower() not in ("utf-8", "utf8", "charset", "us-ascii", "ascii"):
        raise InputError(path, f"charset {charset[1]} is not read: convert the file to UTF-8", 1)
    starts = [0]
    for raw in lines:
        starts.append(starts[-1] + len(raw))
    target_lang = po.metadata.get("Language") or None
    source_lang = po.metadata.get("X-Source-Language") or None
    units: list[Unit] = []
    for entry in po:
        if entry.obsolete or (entry.msgid == "" and not entry.msgctxt):
            continue
        spans = _entry_spans(lines, starts, entry.linenum - 1)
        ident = _short(f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid)
        forms = sorted(k for k in spans if isinstance(k, int)) if entry.msgid_plural else ["msgstr"]
        for form in forms:
            if form not in spans:
                continue
            name = ident if form == "msgstr" else f"{ident}[{form}]"
            source = spans.get("msgid_plural" if form not in ("msgstr", 0) else "msgid")
            translated = entry.msgstr_plural.get(form) if form != "msgstr" else entry.msgstr
            units.append(Unit(name, entry.linenum, source, spans[form] if translated else None,
                              source_lang, target_lang, False, "po", entry.msgctxt))
    return units, source_lang, target_lang


def _entry_spans(lines: list[bytes], starts: list[int], first: int
                 ) -> dict[str | int, tuple[int, int]]:
    """Byte spans (inside the first opening and the last closing quote) of the strings
    of the entry whose first line is ``first`` (0-based): by keyword (``msgctxt``,
    ``msgid``, ``msgid_plural``, ``msgstr``) or plural form number."""
    spans: dict[str | int, tuple[int, int]] = {}
    current: str | int | None = None
    for index in range(first, len(lines)):
        raw = lines[index]
        line = raw.strip()
        keyword = _KEYWORD.match(line)
        if keyword:
            name: str | int = (int(keyword[2]) if keyword[2] is not None
                               else keyword[1].decode("ascii"))
            if name in spans or (name in ("msgctxt", "msgid") and
                                 any(k not in ("msgctxt",) for k in spans)):
                break  # the next entry begins (no blank line between them)
            current = name
            spans[name] = _quoted(raw, starts[index])
            continue
        if _CONTINUATION.match(line) and current is not None:
            start, _ = spans[current]
            spans[current] = (start, _quoted(raw, starts[index])[1])
            continue
        if any(k == "msgstr" or isinstance(k, int) for k in spans):
            break  # a blank line or a comment after the strings: the entry is over
    return spans


def _quoted(raw: bytes, offset: int) -> tuple[int, int]:
    """Byte span inside the first and last quote of a line starting at ``offset``."""
    return offset + raw.index(b'"') + 1, offset + raw.rindex(b'"')
