"""Options and helpers shared by ``check`` and ``fix``."""
from __future__ import annotations

import argparse
import sys
from typing import Iterator

from ..document import Document, read_document
from ..errors import InputError, UsageError
from ..findings import Finding, Severity
from ..linter import Options


def add_check_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="text files to read; '-' (or nothing, when piped) reads standard input")
    parser.add_argument("-l", "--lang", default="en", help="language of the text (default: en)")
    parser.add_argument("-s", "--style", default=None,
                        help="house style (ap, afp, default-en, ...; default: the language's default)")
    parser.add_argument("--source-lang", default=None,
                        help="language the text was translated from, when known")
    parser.add_argument("--source", default=None, metavar="FILE",
                        help="the source text (one segment per line, aligned with the input): "
                             "enables source-aware checks; needs a single input")
    parser.add_argument("--select", action="append", default=[], metavar="RULE",
                        help="only these rules, groups or categories (repeatable, comma-separated)")
    parser.add_argument("--ignore", action="append", default=[], metavar="RULE",
                        help="skip these rules, groups or categories (repeatable, comma-separated)")
    parser.add_argument("--fail-on", default="error", choices=["error", "warning", "info", "never"],
                        help="exit 1 if findings at or above this severity remain (default: error)")


def _split(values: list[str]) -> tuple[str, ...]:
    return tuple(v.strip() for item in values for v in item.split(",") if v.strip())


def options_from(args: argparse.Namespace) -> Options:
    return Options(lang=args.lang, style=args.style, source_lang=args.source_lang,
                   select=_split(args.select), ignore=_split(args.ignore))


def input_paths(args: argparse.Namespace) -> list[str]:
    files = list(args.files)
    if not files:
        if sys.stdin.isatty():
            raise UsageError("no input: give FILE arguments or pipe text in ('-' reads stdin)")
        files = ["-"]
    if files.count("-") > 1:
        raise UsageError("standard input ('-') can be read only once")
    return files


def read_all(paths: list[str], options: Options,
             source: str | None = None) -> Iterator[tuple[str, Document | InputError]]:
    """Each path with its document, or the error that stopped it from being read.

    ``source`` is the path of the source text for ``--source`` (one input only).
    """
    if source is not None and len(paths) != 1:
        raise UsageError("--source goes with exactly one input file")
    source_text = read_document(source).text if source is not None else None
    for path in paths:
        try:
            doc = read_document(path, lang=options.lang, style=options.style,
                                source_lang=options.source_lang)
            doc.source = source_text
            yield path, doc
        except InputError as exc:
            yield path, exc


def fails(findings: list[Finding], fail_on: str) -> bool:
    if fail_on == "never":
        return False
    threshold = Severity.parse(fail_on)
    return any(f.severity >= threshold for f in findings)
