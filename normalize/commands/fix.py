"""``mtnorm fix``: apply safe fixes (and unsafe ones when asked), atomically."""
from __future__ import annotations

import argparse
import sys

from ..api import get_linter
from ..document import atomic_write
from ..errors import UsageError
from ..fixer import fix_document, unified_diff
from .common import add_check_options, fails, input_paths, options_from, read_all


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("fix", help="apply safe fixes", description=(
        "Apply safe fixes to the text (all of them, repeated until nothing is left to fix). "
        "With one input and no -o/--in-place the fixed text goes to standard output."))
    add_check_options(parser)
    parser.add_argument("--unsafe", action="store_true",
                        help="also apply unsafe fixes (ambiguous names, consistency choices)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", default=None, metavar="OUT",
                       help="write the fixed text to OUT (atomically)")
    where.add_argument("-i", "--in-place", action="store_true",
                       help="rewrite each input file atomically")
    where.add_argument("--diff", action="store_true",
                       help="print a unified diff instead of writing; exit 1 if anything would change")
    parser.add_argument("--show-fixes", action="store_true",
                        help="list each applied edit on standard error (a replayable plan)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    options = options_from(args)
    linter = get_linter(options)
    paths = input_paths(args)
    if args.in_place and "-" in paths:
        raise UsageError("--in-place cannot rewrite standard input")
    if len(paths) > 1 and not (args.in_place or args.diff):
        raise UsageError("several inputs need --in-place or --diff (or fix them one at a time with -o)")
    status = 0
    for path, doc in read_all(paths, options, args.source):
        if isinstance(doc, Exception):
            print(f"mtnorm: error: {doc}", file=sys.stderr)
            status = 2
            continue
        result = fix_document(linter, doc, unsafe=args.unsafe)
        if args.show_fixes:
            for edit in result.applied:
                print(f"{doc.path}:{edit.line}:{edit.column}: pass {edit.pass_no} {edit.rule} "
                      f"{edit.before!r} -> {edit.after!r}", file=sys.stderr)
        if not result.converged:
            print(f"mtnorm: warning: {doc.path}: fixes did not settle after {result.passes} passes; "
                  "some rules disagree", file=sys.stderr)
        if args.diff:
            if result.changed:
                sys.stdout.write(unified_diff(doc.text, result.text, doc.path))
                status = max(status, 1)
        elif args.in_place:
            if result.changed:
                atomic_write(path, doc.encode(result.text))
        elif args.output:
            atomic_write(args.output, doc.encode(result.text))
        else:
            sys.stdout.buffer.write(doc.encode(result.text))
            sys.stdout.buffer.flush()
        remaining = len(result.remaining)
        print(f"mtnorm: {doc.path}: {len(result.applied)} fixed, {remaining} remaining",
              file=sys.stderr)
        if fails(result.remaining, args.fail_on):
            status = max(status, 1)
    return status
