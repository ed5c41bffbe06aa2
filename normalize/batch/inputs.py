"""Which files a run reads, and in which format.

Directories are walked recursively in sorted order (so runs are
reproducible), skipping hidden entries; ``--include`` / ``--exclude`` globs
filter what is found. Globs match the path relative to the directory given
(``**`` crosses folders; :mod:`normalize.globs`) or, without ``/``, the
file name alone.

Devices, FIFOs and sockets are never read (reading ``/dev/zero`` or a FIFO
nobody writes to would never end): named on the command line they are an
input error of their own, found in a walk they are skipped with a note.
"""
from __future__ import annotations

import fnmatch
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..document import special_kind, special_problem
from ..errors import UsageError
from ..globs import compile_glob

#: File extension -> format. Anything else is read as plain text.
EXTENSIONS = {
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".tsv": "tsv", ".tab": "tsv",
    ".parquet": "parquet", ".pq": "parquet",
    # Translation files (normalize.translation_files).
    ".xlf": "xliff", ".xliff": "xliff", ".tmx": "tmx", ".po": "po", ".pot": "po",
}
FORMATS = ("text", "jsonl", "tsv", "parquet", "xliff", "tmx", "po")
#: Formats read as translation units (source and target) by normalize.translation_files.
UNIT_FORMATS = ("xliff", "tmx", "po")
#: What a directory walk picks up when no --include is given.
DEFAULT_INCLUDE = ("*.txt", "*.md", "*.jsonl", "*.ndjson", "*.tsv", "*.parquet",
                   "*.xlf", "*.xliff", "*.tmx", "*.po")


@dataclass(frozen=True)
class InputFile:
    """One input: ``path`` as the user will see it, its format, and where it came from."""

    path: str
    format: str
    #: The directory argument it was found under (None for files given directly).
    root: str | None = None
    #: Why the file must not be read (a device, FIFO or socket named directly).
    problem: str | None = None

    @property
    def is_stdin(self) -> bool:
        return self.path == "-"

    def relative(self) -> str:
        """Path relative to the directory it was found in (for --output-dir)."""
        if self.root is None:
            return Path(self.path).name
        return os.path.relpath(self.path, self.root)


def format_of(path: str, forced: str | None = None) -> str:
    """The format of ``path``: ``forced`` when given, else by extension (``.gz`` ignored)."""
    if forced and forced != "auto":
        if forced not in FORMATS:
            raise UsageError(f"unknown input format {forced!r} (choose from: {', '.join(FORMATS)})")
        return forced
    name = path.removesuffix(".gz")
    return EXTENSIONS.get(os.path.splitext(name)[1].lower(), "text")


def glob_match(relative: str, pattern: str) -> bool:
    """Does a posix relative path match ``pattern``?

    A pattern without ``/`` matches the file name at any depth (as in
    ``.gitignore``); one with ``/`` matches the whole relative path, as the
    ``paths`` of configuration overrides do (see :mod:`normalize.globs`).
    """
    if "/" not in pattern:
        return fnmatch.fnmatchcase(PurePosixPath(relative).name, pattern)
    try:
        return compile_glob(pattern).fullmatch(relative) is not None
    except ValueError:
        return False


def _note(message: str) -> None:
    print(f"mtnorm: note: {message}", file=sys.stderr)


def expand_inputs(args: Iterable[str], include: Iterable[str] = (), exclude: Iterable[str] = (),
                  forced_format: str | None = None,
                  note: Callable[[str], None] = _note) -> list[InputFile]:
    """The files named or found under the directories named, in a stable order.

    Files named directly are always read (exclude globs still apply), except
    devices, FIFOs and sockets, which come with a ``problem``; directories
    yield the files matching ``include`` (default: text, JSONL, TSV and
    Parquet by extension) and not ``exclude``, special files skipped with a
    ``note``.
    """
    include = tuple(include) or DEFAULT_INCLUDE
    exclude = tuple(exclude)
    out: list[InputFile] = []
    seen: set[str] = set()
    for arg in args:
        if arg == "-":
            out.append(InputFile("-", format_of("-", forced_format or "text")))
            continue
        if os.path.isdir(arg):
            for path in _walk(arg):
                rel = os.path.relpath(path, arg).replace(os.sep, "/")
                if any(glob_match(rel, p) for p in include) and \
                        not any(glob_match(rel, p) for p in exclude) and path not in seen:
                    seen.add(path)
                    kind = _special(path)
                    if kind is not None:
                        note(f"{path}: skipped: {kind}, not a regular file")
                        continue
                    out.append(InputFile(path, format_of(path, forced_format), root=arg))
            continue
        rel = arg.replace(os.sep, "/")
        if any(glob_match(rel, p) for p in exclude) or arg in seen:
            continue
        seen.add(arg)
        kind = _special(arg)
        out.append(InputFile(arg, format_of(arg, forced_format),
                             problem=special_problem(kind) if kind is not None else None))
    return out


def _special(path: str) -> str | None:
    """What kind of special file ``path`` is (links followed), or None.

    A path that cannot be stat'ed is left for the reader to report (no such
    file, permission denied).
    """
    try:
        return special_kind(os.stat(path).st_mode)
    except OSError:
        return None


def _walk(root: str) -> list[str]:
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(os.path.join(dirpath, f) for f in sorted(filenames) if not f.startswith("."))
    return found
