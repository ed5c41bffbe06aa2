"""``mtnorm fix``: apply safe fixes (and unsafe ones when asked) to files and corpora, atomically."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import TextIO

from ..batch.inputs import InputFile
from ..batch.output import FileSink, NullSink, ParquetSink, Sink, StdoutSink
from ..batch.records import Outcome
from ..batch.run import BatchRun
from ..batch.summary import FileSummary
from ..document import atomic_text
from ..errors import UsageError
from ..formatters import FORMATTERS
from .common import (
    FindingsReport,
    Setup,
    add_check_options,
    add_engine_options,
    engine_pool,
    setup,
    use_color,
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("fix", help="apply safe fixes", description=(
        "Apply safe fixes to the text (all of them, repeated until nothing is left to fix). "
        "With one input and no -o/--in-place the fixed text goes to standard output. "
        "Every output is written atomically: a file is either old or new, never half-written "
        "(except a file with several hard links, which is rewritten in place so that every name "
        "sees the new text: only kill -9 or a crash during that copy can leave it half-written)."))
    add_check_options(parser)
    parser.add_argument("--unsafe", action="store_true",
                        help="also apply unsafe fixes (ambiguous names, consistency choices)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", default=None, metavar="OUT",
                       help="write the fixed text to OUT (one input)")
    where.add_argument("-i", "--in-place", action="store_true",
                       help="rewrite each changed input file (symbolic links are written through, "
                            "hard links and permissions kept; FIFOs and devices refused)")
    where.add_argument("--output-dir", default=None, metavar="DIR",
                       help="write each input's fixed copy under DIR (directory structure kept)")
    where.add_argument("--diff", action="store_true",
                       help="print a unified diff instead of writing; exit 1 if anything would change")
    parser.add_argument("--show-fixes", action="store_true",
                        help="list each applied edit on standard error (a replayable plan)")
    add_engine_options(parser)
    found = parser.add_argument_group("findings left after fixing")
    found.add_argument("-f", "--format", default=None, choices=sorted(FORMATTERS),
                       help="list the findings that remain, in this format, on standard output "
                            "(standard error when the fixed text or the diff goes there); "
                            "default: only a count")
    found.add_argument("--findings-output", default=None, metavar="FILE",
                       help="write that list to FILE (atomically) instead")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.findings_output and not args.format:
        raise UsageError("--findings-output goes with --format (the format of the list)")
    plan = setup(args, "fix", unsafe=args.unsafe, show_fixes=args.show_fixes, diff=args.diff)
    sink_for = _sinks(args, plan)
    if not args.findings_output:
        return _run(args, plan, sink_for, None)
    # The list is written as it is made, to a temporary file put in place at the end.
    with atomic_text(args.findings_output) as out:
        return _run(args, plan, sink_for, out)


def _run(args: argparse.Namespace, plan: Setup, sink_for: Callable[[InputFile], Sink],
         out: TextIO | None) -> int:
    pool = engine_pool(args)
    report = _findings_report(args, plan, out)

    def on_chunk(source: InputFile, outcome: Outcome) -> None:
        if report is not None:
            report.chunk(source, outcome.findings)
        for line in outcome.fix_log:
            print(line, file=sys.stderr)
        if outcome.diff:
            sys.stdout.write(outcome.diff)
            sys.stdout.flush()

    def on_file(source: InputFile, summary: FileSummary, outcome: Outcome) -> None:
        if report is not None:
            report.file(source, summary.path, outcome.findings, summary.error, outcome.fixed)
        if outcome.unsettled:
            lines = ", ".join(map(str, outcome.unsettled[:5]))
            print(f"mtnorm: warning: {summary.path}: fixes did not settle (line {lines}"
                  f"{', ...' if len(outcome.unsettled) > 5 else ''}); some rules disagree",
                  file=sys.stderr)
        if not plan.batch and summary.error is None and not summary.failed and not args.quiet:
            print(f"mtnorm: {summary.path}: {summary.fixed} fixed, {summary.findings} remaining",
                  file=sys.stderr)

    batch = BatchRun(plan.task, plan.files, plan.options_for, sink_for=sink_for, fail_fast=args.fail_fast,
                     quiet=args.quiet, keep_findings=report is not None and not report.streaming,
                     on_chunk=on_chunk, on_file=on_file,
                     report=args.report,
                     **plan.run_options(), **({"pool": pool} if pool is not None else {}))
    summary = batch.run()
    if report is not None:
        report.finish(summary.legacy())
    if plan.batch and not args.quiet:
        print(f"mtnorm: {summary.line()}", file=sys.stderr)
    if summary.failure_count:
        return 2
    if batch.failed_threshold or (args.diff and summary.changed):
        return 1
    return 0


def _sinks(args: argparse.Namespace, plan: Setup):
    """Where each input's fixed output goes (checked before anything is read)."""
    files = plan.files
    parquet = any(f.format == "parquet" for f in files)
    if args.in_place:
        if any(f.is_stdin for f in files):
            raise UsageError("--in-place cannot rewrite standard input")
        return lambda source: _file_sink(source, source.path, only_if_changed=True)
    if args.output_dir:
        targets: dict[InputFile, str] = {}
        for source in files:
            if source.is_stdin:
                raise UsageError("--output-dir cannot name standard input's copy; use -o")
            target = os.path.join(args.output_dir, source.relative())
            if os.path.abspath(target) == os.path.abspath(source.path):
                raise UsageError(f"--output-dir would overwrite {source.path}; use --in-place for that")
            if target in targets.values():
                raise UsageError(f"two inputs would both be written to {target}")
            targets[source] = target
        return lambda source: _file_sink(source, targets[source], make_dirs=True)
    if args.diff:
        return lambda source: NullSink()
    if len(files) > 1 or plan.batch and files[0].root is not None:
        raise UsageError("several inputs need --in-place, --output-dir or --diff "
                         "(or fix them one at a time with -o)")
    if args.output:
        return lambda source: _file_sink(source, args.output)
    if parquet:
        raise UsageError("Parquet output needs -o, --in-place or --output-dir (not standard output)")
    return lambda source: StdoutSink()


def _file_sink(source: InputFile, target: str, only_if_changed: bool = False,
               make_dirs: bool = False) -> Sink:
    kind = ParquetSink if source.format == "parquet" else FileSink
    return kind(target, only_if_changed, make_dirs)


def _findings_report(args: argparse.Namespace, plan: Setup, out: TextIO | None
                     ) -> FindingsReport | None:
    """``--format``: where the remaining findings go (``out``: --findings-output's file)."""
    if not args.format:
        return None
    # Standard output is the findings' unless the fixed text or the diff is there.
    stdout_taken = not (args.output or args.in_place or args.output_dir)
    stream = out if out is not None else sys.stderr if stdout_taken else sys.stdout
    color = out is None and args.format == "text" and use_color(args.color, stream)
    return FindingsReport(args.format, stream, color=color, quiet=args.quiet,
                          options_for=plan.options_for)
