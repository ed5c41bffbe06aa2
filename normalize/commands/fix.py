"""``mtnorm fix``: apply safe fixes (and unsafe ones when asked) to files and corpora, atomically."""
from __future__ import annotations

import argparse
import os
import sys

from ..batch.inputs import InputFile
from ..batch.output import FileSink, NullSink, ParquetSink, Sink, StdoutSink
from ..batch.records import Outcome
from ..batch.run import BatchRun
from ..batch.summary import FileSummary
from ..errors import UsageError
from .common import Setup, add_check_options, setup


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("fix", help="apply safe fixes", description=(
        "Apply safe fixes to the text (all of them, repeated until nothing is left to fix). "
        "With one input and no -o/--in-place the fixed text goes to standard output. "
        "Every output is written atomically: a file is either old or new, never half-written."))
    add_check_options(parser)
    parser.add_argument("--unsafe", action="store_true",
                        help="also apply unsafe fixes (ambiguous names, consistency choices)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", default=None, metavar="OUT",
                       help="write the fixed text to OUT (one input)")
    where.add_argument("-i", "--in-place", action="store_true",
                       help="rewrite each changed input file")
    where.add_argument("--output-dir", default=None, metavar="DIR",
                       help="write each input's fixed copy under DIR (directory structure kept)")
    where.add_argument("--diff", action="store_true",
                       help="print a unified diff instead of writing; exit 1 if anything would change")
    parser.add_argument("--show-fixes", action="store_true",
                        help="list each applied edit on standard error (a replayable plan)")
    engine = parser.add_argument_group("scale-out")
    engine.add_argument("--engine", default="local", choices=["local", "dask"],
                        help="local worker processes (default) or a Dask cluster")
    engine.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="Dask scheduler address for --engine dask (e.g. tcp://10.0.0.5:8786); "
                             "default: a local cluster")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    plan = setup(args, "fix", unsafe=args.unsafe, show_fixes=args.show_fixes, diff=args.diff)
    sink_for = _sinks(args, plan)
    pool = _pool(args)

    def on_chunk(source: InputFile, outcome: Outcome) -> None:
        for line in outcome.fix_log:
            print(line, file=sys.stderr)
        if outcome.diff:
            sys.stdout.write(outcome.diff)
            sys.stdout.flush()

    def on_file(source: InputFile, summary: FileSummary, outcome: Outcome) -> None:
        if outcome.unsettled:
            lines = ", ".join(map(str, outcome.unsettled[:5]))
            print(f"mtnorm: warning: {summary.path}: fixes did not settle (line {lines}"
                  f"{', ...' if len(outcome.unsettled) > 5 else ''}); some rules disagree",
                  file=sys.stderr)
        if not plan.batch and summary.error is None and not summary.failed and not args.quiet:
            print(f"mtnorm: {summary.path}: {summary.fixed} fixed, {summary.findings} remaining",
                  file=sys.stderr)

    batch = BatchRun(plan.task, plan.files, plan.options_for, sink_for=sink_for, fail_fast=args.fail_fast,
                     quiet=args.quiet, keep_findings=False, on_chunk=on_chunk, on_file=on_file,
                     report=args.report,
                     **plan.run_options(), **({"pool": pool} if pool is not None else {}))
    summary = batch.run()
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
        targets = {}
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


def _pool(args: argparse.Namespace):
    if args.engine != "dask":
        if args.scheduler:
            raise UsageError("--scheduler goes with --engine dask")
        return None
    try:
        from ..dask import dask_pool_factory
    except ImportError as exc:
        raise UsageError(f"--engine dask needs dask and distributed: pip install 'mtnorm[dask]' ({exc})")
    return dask_pool_factory(args.scheduler)
