"""``mtnorm score``: BLEU, chrF, chrF++ and TER of system outputs, through sacrebleu.

Reads every input before scoring anything (a bad line or a count mismatch
stops the run at once, exit 2), scores each system against the same
references, and reports scores with sacrebleu's signatures; optionally
confidence intervals, segment scores and paired significance tests.
sacrebleu (and numpy) are imported only when this command runs.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from ..document import atomic_write
from ..errors import UsageError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ..scoring.inputs import Source

_DEFAULT_METRICS = "bleu,chrf,ter"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "score", help="BLEU, chrF, chrF++, TER of system outputs (sacrebleu)",
        description="Score system outputs against references with sacrebleu's BLEU, chrF, "
                    "chrF++ and TER: reproducible signatures, several references, confidence "
                    "intervals, segment scores and paired significance tests.",
        epilog="Inputs hold one segment per line: plain text (gzip allowed), JSONL with "
               "--hyp-field/--ref-field naming the keys, or TSV with the fields naming header "
               "columns or 1-based column numbers. Trailing whitespace is dropped from every "
               "segment, as sacrebleu does.")
    parser.add_argument("hyps", nargs="+", metavar="HYP", help="system output files ('-': stdin)")
    parser.add_argument("-r", "--ref", action="append", required=True, metavar="REF",
                        help="reference file (repeat for several references)")
    parser.add_argument("-m", "--metrics", "--metric", action="append", default=None,
                        metavar="LIST",
                        help="metrics, comma-separated or repeated: bleu, chrf, chrf++, ter, "
                             f"comet (default: {_DEFAULT_METRICS})")
    parser.add_argument("--tokenize", "-tok", default=None, metavar="TOK",
                        help="BLEU tokenizer (13a, intl, zh, char, none, ...; default: "
                             "sacrebleu's choice for --lang, 13a otherwise)")
    parser.add_argument("--lowercase", "-lc", action="store_true",
                        help="case-insensitive BLEU and chrF (TER is case-insensitive anyway)")
    parser.add_argument("-l", "--lang", default=None,
                        help="target language: picks BLEU's tokenizer as sacrebleu -l does "
                             "(zh, ja-mecab, ko-mecab; 13a otherwise)")
    parser.add_argument("--ter-case-sensitive", action="store_true",
                        help="case-sensitive TER (sacrebleu's default is insensitive)")

    inputs = parser.add_argument_group("input formats")
    inputs.add_argument("--input-format", default="auto", choices=["auto", "text", "jsonl", "tsv"],
                        help="how to read HYP and REF files (default: auto, from the name: "
                             ".jsonl, .tsv, otherwise text; .gz looked through)")
    inputs.add_argument("--hyp-field", action="append", default=None, metavar="FIELD",
                        help="JSONL key or TSV column holding the hypotheses (repeat: several "
                             "systems in one file)")
    inputs.add_argument("--ref-field", action="append", default=None, metavar="FIELD",
                        help="JSONL key or TSV column holding the references (repeat: several "
                             "references in one file)")
    inputs.add_argument("--strip-bom", action="store_true",
                        help="drop a UTF-8 byte-order mark at the start of a plain-text file "
                             "(by default it stays part of the first segment, as in sacrebleu)")
    inputs.add_argument("--name", action="append", default=None, metavar="NAME",
                        help="system names, one per system in order (default: the file name)")

    out = parser.add_argument_group("output")
    out.add_argument("-f", "--format", default="text", choices=["text", "json", "tsv"],
                     help="report format (default: text)")
    out.add_argument("-o", "--output", default=None, metavar="OUT",
                     help="write the report to OUT (atomically) instead of standard output")
    out.add_argument("--segments", action="store_true",
                     help="also score every segment (sentence-level, as sacrebleu -sl)")
    out.add_argument("-w", "--width", type=int, default=2,
                     help="decimals in the text report (default: 2; json/tsv keep full precision)")

    stats = parser.add_argument_group("confidence and significance")
    stats.add_argument("--confidence", "-ci", action="store_true",
                       help="95%% confidence interval by bootstrap resampling (as sacrebleu)")
    stats.add_argument("--confidence-n", "-cin", type=int, default=1000, metavar="N",
                       help="bootstrap resamples for --confidence (default: 1000)")
    paired = stats.add_mutually_exclusive_group()
    paired.add_argument("--paired-bs", "-pbs", action="store_true",
                        help="paired bootstrap resampling test against the baseline")
    paired.add_argument("--paired-ar", "-par", action="store_true",
                        help="paired approximate randomization test against the baseline")
    stats.add_argument("--paired-bs-n", "-pbsn", type=int, default=1000, metavar="N",
                       help="resamples for --paired-bs (default: 1000)")
    stats.add_argument("--paired-ar-n", "-parn", type=int, default=10000, metavar="N",
                       help="trials for --paired-ar (default: 10000)")
    stats.add_argument("-j", "--jobs", "--paired-jobs", dest="paired_jobs", type=int, default=1,
                       metavar="N",
                       help="worker processes for paired tests (0: one per system, up to half "
                            "the CPUs; default: 1)")
    # check's --baseline is a file of known findings; here it is a system, so
    # the name says so (--baseline still works, as before).
    stats.add_argument("--baseline-system", "--baseline", dest="baseline", default=None,
                       metavar="NAME",
                       help="baseline system of the paired test: a name, path or file name "
                            "(default: the first HYP)")
    stats.add_argument("--seed", default=None, metavar="SEED",
                       help="resampling seed, an integer or 'none' (default: $SACREBLEU_SEED, "
                            "else 12345, as sacrebleu)")

    neural = parser.add_argument_group("COMET (optional: pip install 'mtnorm[comet]')")
    neural.add_argument("--comet-model", default=os.environ.get("MTNORM_COMET_MODEL"),
                        metavar="PATH",
                        help="local COMET checkpoint (never downloaded; default: "
                             "$MTNORM_COMET_MODEL)")
    neural.add_argument("--source", default=None, metavar="SRC",
                        help="source segments, needed by COMET")
    neural.add_argument("--source-field", default=None, metavar="FIELD",
                        help="JSONL key or TSV column of the sources")
    neural.add_argument("--comet-batch-size", type=int, default=16, metavar="N",
                        help="COMET batch size (default: 16)")
    neural.add_argument("--comet-gpus", type=int, default=0, metavar="N",
                        help="GPUs for COMET (default: 0, CPU)")
    parser.set_defaults(run=run)


def _check_args(args: argparse.Namespace) -> None:
    if args.hyps.count("-") > 1:
        raise UsageError("standard input ('-') can be read only once")
    if args.baseline is not None and not (args.paired_bs or args.paired_ar):
        raise UsageError("--baseline applies to a paired test: add --paired-bs or --paired-ar")
    for option in ("confidence_n", "paired_bs_n", "paired_ar_n", "comet_batch_size"):
        if getattr(args, option) < 1:
            raise UsageError(f"--{option.replace('_', '-')} must be at least 1")
    if args.paired_jobs < 0:
        raise UsageError("--paired-jobs must be 0 or more")
    if args.width < 0:
        raise UsageError("--width must be 0 or more")
    if args.seed is not None and args.seed.lower() != "none":
        try:
            int(args.seed)
        except ValueError:
            raise UsageError(f"--seed {args.seed!r}: give an integer or 'none'") from None


def _warn(message: str) -> None:
    print(f"mtnorm: warning: {message}", file=sys.stderr)


def _read_sources(paths: list[str], fields: list[str] | None, fmt: str, option: str,
                  strip_bom: bool = False) -> list[tuple[Source, list[str]]]:
    """(Source, segments) for every file and field, in order."""
    from ..scoring.inputs import Source, read_columns

    wanted: list[str | None] = list(fields) if fields else [None]
    out = []
    for path in paths:
        columns = read_columns(path, wanted, fmt=fmt, option=option, strip_bom=strip_bom,
                               warn=_warn)
        for field, column in zip(wanted, columns):
            out.append((Source(path, field), column))
    return out


def _pick_baseline(systems: list[tuple[str, str, list[str]]], wanted: str) -> int:
    matches = [i for i, (name, _path, _h) in enumerate(systems) if name == wanted]
    if not matches:
        matches = [i for i, (_n, path, _h) in enumerate(systems) if path == wanted]
    if not matches:
        matches = [i for i, (_n, path, _h) in enumerate(systems)
                   if os.path.basename(path) == wanted]
    if not matches:
        raise UsageError(f"--baseline {wanted!r} is none of the systems "
                         f"({', '.join(n for n, _p, _h in systems)})")
    if len(matches) > 1:
        raise UsageError(f"--baseline {wanted!r} matches {len(matches)} systems; give its full name")
    return matches[0]


def run(args: argparse.Namespace) -> int:
    _check_args(args)
    from ..scoring import CometConfig, ScoreOptions, Scorer, resolve
    from ..scoring.report import render

    keys = resolve(args.metrics or [_DEFAULT_METRICS])
    fmt = args.input_format
    hyp_sources = _read_sources(args.hyps, args.hyp_field, fmt, "--hyp-field", args.strip_bom)
    ref_sources = _read_sources(args.ref, args.ref_field, fmt, "--ref-field", args.strip_bom)
    comet = CometConfig(model=args.comet_model, batch_size=args.comet_batch_size,
                        gpus=args.comet_gpus)
    if "comet" in keys and args.source is not None:
        [(source, segments)] = _read_sources([args.source],
                                             [args.source_field] if args.source_field else None,
                                             fmt, "--source-field", args.strip_bom)
        comet = CometConfig(model=args.comet_model, sources=segments, source_label=source.label,
                            batch_size=args.comet_batch_size, gpus=args.comet_gpus)

    if args.name is not None and len(args.name) != len(hyp_sources):
        raise UsageError(f"--name given {len(args.name)} time(s) for {len(hyp_sources)} system(s)")
    names = args.name or [src.label for src, _ in hyp_sources]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise UsageError(f"system name {dup!r} is used twice (give distinct --name values)")
    systems = [(name, src.label, segs) for name, (src, segs) in zip(names, hyp_sources)]

    options = ScoreOptions(tokenize=args.tokenize, lowercase=args.lowercase, lang=args.lang,
                           ter_case_sensitive=args.ter_case_sensitive)
    scorer = Scorer([segs for _src, segs in ref_sources], keys, options,
                    reference_labels=[src.label for src, _ in ref_sources], comet=comet)
    # Lengths are checked for every system before any metric runs.
    for _name, label, segs in systems:
        scorer.check_length(segs, label)

    significance = None
    if args.paired_bs or args.paired_ar:
        if len(systems) < 2:
            raise UsageError("a paired test needs at least two systems (the first, or "
                             "--baseline, is the baseline)")
        if args.baseline is not None:
            index = _pick_baseline(systems, args.baseline)
            systems.insert(0, systems.pop(index))
        test = "bs" if args.paired_bs else "ar"
        results, significance = scorer.compare(
            [(name, segs) for name, _label, segs in systems], test=test,
            n=args.paired_bs_n if test == "bs" else args.paired_ar_n,
            confidence_n=args.confidence_n if args.confidence else -1,
            jobs=args.paired_jobs, segments=args.segments, seed=args.seed,
            paths=[label for _n, label, _s in systems])
    else:
        results = [scorer.score(segs, name, path=label,
                                confidence_n=args.confidence_n if args.confidence else 0,
                                segments=args.segments, seed=args.seed)
                   for name, label, segs in systems]

    references = [{"path": src.path, "field": src.field, "segments": len(segs)}
                  for src, segs in ref_sources]
    report = render(args.format, results, references, significance, args.width)
    if args.output:
        atomic_write(args.output, report.encode("utf-8"))
    else:
        sys.stdout.write(report)
        sys.stdout.flush()
    return 0
