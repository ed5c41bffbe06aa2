"""``mtnorm check``: report findings, for files, directories, record corpora and stdin."""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from typing import TextIO

from ..batch.inputs import InputFile
from ..batch.records import Outcome
from ..batch.run import BatchRun
from ..batch.summary import FileSummary
from ..document import atomic_text, read_document
from ..errors import UsageError
from ..formatters import FORMATTERS
from .common import (
    FindingsReport,
    Setup,
    add_check_options,
    add_engine_options,
    engine_pool,
    setup,
    shown_path,
    use_color,
)
from .retranslate import add_round_trip_check_options, round_trip_checker


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("check", help="report MT artefacts and style problems",
                            description="Report MT artefacts, debris, toponym variants and typography.")
    add_check_options(parser)
    parser.add_argument("-f", "--format", default="text", choices=sorted(FORMATTERS),
                        help="output format (default: text). text, github, json and sarif are "
                             "written as findings come and hold none (sarif lists the files that "
                             "could not be read at the end); junit holds each finding as its line "
                             "of text (in memory up to a few MB, then in a temporary file) until "
                             "the end, where its counts go first")
    parser.add_argument("-o", "--output", default=None, metavar="OUT",
                        help="write the report to OUT instead of standard output (atomically: "
                             "written to a temporary file beside OUT, renamed when complete)")
    baseline = parser.add_argument_group("baseline (report only new findings)")
    baseline.add_argument("--baseline", default=None, metavar="FILE",
                          help="leave out the findings recorded in FILE (see --write-baseline)")
    baseline.add_argument("--write-baseline", default=None, metavar="FILE",
                          help="record every finding of this run in FILE and exit 0")
    add_engine_options(parser)
    add_round_trip_check_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    plan = setup(args, "check", baseline_keys=bool(args.baseline or args.write_baseline))
    if not args.output:
        return _run(args, plan, sys.stdout)
    # Written as it is made, to a temporary file put in place at the end: an
    # interrupted or failed run leaves OUT as it was.
    with atomic_text(args.output) as out:
        return _run(args, plan, out)


def _run(args: argparse.Namespace, plan: Setup, out: TextIO) -> int:
    baseline = None
    if args.baseline:
        # Imported only with a baseline (hashlib and the key code are no part of a plain check).
        from ..baseline import Baseline

        baseline = Baseline.load(args.baseline)
    recorded: dict[str, Counter] = {}
    remaining: dict[str, Counter] = {}
    round_trip = round_trip_checker(args)  # None unless --round-trip
    if round_trip is not None and plan.batch:
        raise UsageError("--round-trip works on text files, not on record corpora")
    pool = engine_pool(args)
    if pool is not None and round_trip is not None:
        raise UsageError("--round-trip runs here, not on a Dask cluster: leave out --engine dask")
    color = out is sys.stdout and args.format == "text" and use_color(args.color, sys.stdout)
    # Each chunk's findings are written (or serialised) as they come and none is
    # kept: memory stays bounded on any corpus. A round trip adds findings per file.
    report = FindingsReport(args.format, out, color=color, quiet=args.quiet,
                            options_for=plan.options_for, hold=round_trip is not None)
    round_trip_failed = False

    def screen(source: InputFile, outcome: Outcome) -> None:
        """Baselines: record keys, or drop findings the baseline still holds (in text order)."""
        path = shown_path(source)
        if args.write_baseline:
            recorded.setdefault(path, Counter()).update(outcome.keys)
        if baseline is not None:
            known = remaining.setdefault(path, baseline.known(path).copy())
            kept = []
            for finding, key in zip(outcome.findings, outcome.keys):
                if known[key] > 0:
                    known[key] -= 1
                else:
                    kept.append(finding)
            outcome.findings = kept

    def on_chunk(source: InputFile, outcome: Outcome) -> None:
        report.chunk(source, outcome.findings)

    def on_file(source: InputFile, summary: FileSummary, outcome: Outcome) -> None:
        nonlocal round_trip_failed
        findings = outcome.findings
        if round_trip is not None and summary.error is None:
            findings = round_trip(read_document(source.path), findings,
                                  plan.options_for(source))
            threshold = plan.fail_on_for(source)
            round_trip_failed |= threshold is not None and any(f.severity >= threshold
                                                               for f in findings)
        report.file(source, summary.path, findings, summary.error)

    batch = BatchRun(plan.task, plan.files, plan.options_for, fail_fast=args.fail_fast, quiet=args.quiet,
                     keep_findings=not report.streaming, on_chunk=on_chunk, on_file=on_file,
                     screen=screen if args.baseline or args.write_baseline else None,
                     report=args.report,
                     **{**plan.run_options(), **({"jobs": 1} if round_trip else {}),
                        **({"pool": pool} if pool is not None else {})})
    summary = batch.run()
    report.finish(summary.legacy())
    if plan.batch and not args.quiet:
        print(f"mtnorm: {summary.line()}", file=sys.stderr)
    if args.write_baseline:
        from ..baseline import write_baseline_counts

        count = write_baseline_counts(args.write_baseline, recorded)
        if not args.quiet:
            print(f"mtnorm: wrote {count:,} findings to the baseline {args.write_baseline}",
                  file=sys.stderr)
        return 2 if summary.failure_count else 0
    if summary.failure_count:
        return 2
    return 1 if batch.failed_threshold or round_trip_failed else 0
