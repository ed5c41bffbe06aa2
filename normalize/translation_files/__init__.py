"""Translation files (XLIFF 1.2/2.x, TMX 1.4, Gettext PO) read as units and written back.

Each unit's target is checked (and fixed) as a document whose source is the
unit's source; inline markup is kept out of the text rules see and put back
unchanged (:mod:`.inline`); ``fix`` rewrites only the bytes of edited targets
(:mod:`.process`), so the rest of the file stays byte for byte as it was.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..linter import Options
from .units import PlainUnit, Unit

#: Formats of this package, as ``--input-format`` names them.
FORMATS = ("xliff", "tmx", "po")
#: File extension -> format.
EXTENSIONS = {".xlf": "xliff", ".xliff": "xliff", ".tmx": "tmx", ".po": "po", ".pot": "po"}
#: Bytes read at a time from XML files (a block's units are scanned at once, so it is
#: kept to about a chunk: ``chunks.UNIT_CHUNK_BYTES``).
BLOCK_BYTES = 128 << 10


def scan_bytes(data: bytes, path: str, fmt: str) -> tuple[list[Unit], tuple[str | None, str | None]]:
    """Every unit of a whole file's bytes (spans into ``data``) and its (source, target) languages.

    Raises :class:`~normalize.errors.InputError` (naming the line) for a file
    that is not well-formed or whose units lack what they need.
    """
    if fmt == "po":
        from .po_units import read_po

        units, source_lang, target_lang = read_po(data, path)
        return units, (source_lang, target_lang)
    from .xml_units import UnitScanner, Validator

    validator = Validator(path, fmt)
    scanner = UnitScanner(path, fmt)
    validator.feed(data)
    validator.close()
    scanner.feed(data, eof=True)
    _, units = scanner.finish()
    return units, _languages(scanner, units)


def _languages(scanner, units: list[Unit]) -> tuple[str | None, str | None]:
    if scanner.fmt == "tmx":
        srclang = scanner.header.get("srclang")
        first = units[0] if units else None
        return ((srclang if srclang and srclang != "*all*" else first.source_lang if first else None),
                first.target_lang if first else None)
    return scanner.languages


def read_units(path: str | Path, fmt: str | None = None) -> list[PlainUnit]:
    """The units of a translation file as text (markup removed, entities decoded)."""
    path = str(path)
    fmt = fmt or format_of(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(path, exc.strerror or str(exc)) from None
    units, _ = scan_bytes(data, path, fmt)
    out = []
    for unit in units:
        source, target = unit.source(data), unit.target(data)
        out.append(PlainUnit(unit.id, unit.line, source.text if source else None,
                             target.text if target else None, unit.source_lang, unit.target_lang,
                             unit.final, tuple(target.placeholders) if target else ()))
    return out


def check_aligned_lines(target: str, source: str, source_text: str) -> None:
    """An aligned text pair (``--source FILE``, Moses style) must have one source line per
    target line: raise :class:`InputError` naming the target and the first line that has
    no partner. Lines end at ``\\n``; a last line without one counts. The target is
    counted in blocks (it may be large); standard input is not checked here."""
    if target == "-":
        return
    lines = 0
    last = b"\n"
    try:
        with open(target, "rb") as stream:
            while block := stream.read(BLOCK_BYTES):
                lines += block.count(b"\n")
                last = block[-1:]
    except OSError:
        return  # the run reports an unreadable input itself
    lines += last != b"\n"
    source_lines = source_text.count("\n") + (bool(source_text) and not source_text.endswith("\n"))
    if lines != source_lines:
        raise InputError(target, f"{lines:,} line{'s' if lines != 1 else ''}, but its source "
                                 f"{source} has {source_lines:,}; --source pairs them line by line",
                         line=min(lines, source_lines) + 1)


def format_of(path: str) -> str:
    """The translation format of ``path`` by its extension."""
    import os

    ext = os.path.splitext(path.removesuffix(".gz"))[1].lower()
    if ext not in EXTENSIONS:
        raise InputError(path, f"not a translation file extension ({', '.join(EXTENSIONS)})")
    return EXTENSIONS[ext]


def file_languages(path: str, fmt: str) -> tuple[str | None, str | None]:
    """(source, target) languages a translation file declares, read from its head.

    Never raises: a file that cannot be read gives (None, None), and the run
    reports what is wrong with it.
    """
    try:
        opener = __import__("gzip").open if path.endswith(".gz") else open
        with opener(path, "rb") as stream:
            head = stream.read(1 << 16 if fmt != "po" else 1 << 20)
    except (OSError, EOFError, ValueError):
        return None, None
    if fmt == "po":
        import re

        found = {}
        for key in ("Language", "X-Source-Language"):
            match = re.search(rb'"' + key.encode() + rb':\s*([^\\"]*)', head)
            found[key] = match[1].decode("utf-8", "replace").strip() or None if match else None
        return found["X-Source-Language"], found["Language"]
    from .xml_units import UnitScanner

    scanner = UnitScanner(path, fmt)
    try:
        scanner.feed(head, eof=False)
    except InputError:
        return None, None
    return _languages(scanner, scanner.done)


def with_file_languages(options: Options, path: str, fmt: str, *, lang: bool, source_lang: bool
                        ) -> Options:
    """``options`` with the languages ``path`` declares: the target language when
    ``lang`` (none was given), the source language when ``source_lang``.

    A target language mtnorm has no rules for is a usage error that says so
    (checking Chinese as English would only produce noise).
    """
    import dataclasses

    from ..errors import UsageError
    from ..languages.base import known_languages
    from ..languages.detect import with_language

    source, target = file_languages(path, fmt)
    if lang and target:
        tag = target.replace("_", "-").strip()
        if tag.split("-")[0].lower() not in known_languages():
            raise UsageError(f"{path}: target language {target!r} (from the file) is not one "
                             f"mtnorm checks ({', '.join(known_languages())}); give --lang to "
                             "check it as one of those")
        options = with_language(options, tag)
    if source_lang and source:
        options = dataclasses.replace(options, source_lang=source.replace("_", "-").split("-")[0].lower())
    return options
