"""``mtnorm check``: report findings."""
from __future__ import annotations

import argparse
import io
import sys

from ..api import get_linter
from ..document import atomic_write
from ..formatters import FORMATTERS, get_formatter
from ..results import FileResult, summarize
from .common import add_check_options, fails, input_paths, options_from, read_all
from .retranslate import add_round_trip_check_options, round_trip_checker


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("check", help="report MT artefacts and style problems",
                            description="Report MT artefacts, debris, toponym variants and typography.")
    add_check_options(parser)
    parser.add_argument("-f", "--format", default="text", choices=sorted(FORMATTERS),
                        help="output format (default: text)")
    parser.add_argument("-o", "--output", default=None, metavar="OUT",
                        help="write the report to OUT (atomically) instead of standard output")
    add_round_trip_check_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    options = options_from(args)
    linter = get_linter(options)
    paths = input_paths(args)
    round_trip = round_trip_checker(args)  # None unless --round-trip
    buffer = io.StringIO() if args.output else sys.stdout
    color = args.output is None and args.format == "text" and sys.stdout.isatty()
    formatter = get_formatter(args.format, buffer, color=color)
    results: list[FileResult] = []
    failed = errors = False
    for path, doc in read_all(paths, options, args.source):
        if isinstance(doc, Exception):
            print(f"mtnorm: error: {doc}", file=sys.stderr)
            result = FileResult(path=path, lang=options.lang, style=linter.style.name, error=str(doc))
            errors = True
        else:
            findings = linter.check(doc)
            if round_trip is not None:
                findings = round_trip(doc, findings)
            result = FileResult(path=doc.path, lang=options.lang, style=linter.style.name,
                                findings=findings)
            failed = failed or fails(result.findings, args.fail_on)
        results.append(result)
        formatter.file(result)
    formatter.finish(results, summarize(results))
    if args.output:
        atomic_write(args.output, buffer.getvalue().encode("utf-8"))
    return 2 if errors else 1 if failed else 0
