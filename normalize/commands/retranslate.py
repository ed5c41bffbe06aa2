"""``mtnorm retranslate``: translate a document with a local seq2seq model, optionally
round-trip it and report the sentences that do not survive the trip.

torch and transformers (the ``neural`` extra) are imported only when this
command runs, never when the parser is built.
"""
from __future__ import annotations

import argparse
import io
import sys

from ..document import atomic_write, read_document
from ..errors import UsageError
from ..formatters import FORMATTERS, get_formatter
from ..results import FileResult, summarize
from .common import fails


def add_translation_options(parser: argparse.ArgumentParser,
                            group: argparse._ArgumentGroup | None = None) -> None:
    """Model and run options shared by every command that translates."""
    if group is None:
        group = parser.add_argument_group("model (optional: pip install 'mtnorm[neural]')")
    group.add_argument("--model", default=None, metavar="PATH",
                       help="local model directory (Marian/OPUS-MT, M2M100 or NLLB) or a "
                            "registry name; default: the registry's model for the pair, from "
                            "the local store or the Hugging Face cache (never downloaded)")
    group.add_argument("--back-model", default=None, metavar="PATH",
                       help="model for the way back of a round trip (default: --model when it "
                            "is multilingual, else the registry's model for the reverse pair)")
    group.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"],
                       help="where to run the model (default: auto, CUDA when available)")
    group.add_argument("--batch-size", type=int, default=16, metavar="N",
                       help="sentences per batch (default: 16)")
    group.add_argument("--max-length", type=int, default=512, metavar="TOKENS",
                       help="longest sentence and translation, in tokens; longer input is cut "
                            "(default: 512, or the model's limit)")
    group.add_argument("--beams", type=int, default=None, metavar="N",
                       help="beam size (default: the model's own setting)")
    if not any("--quiet" in action.option_strings for action in parser._actions):
        # check/fix have their own --quiet (batch progress), which serves here too.
        group.add_argument("-q", "--quiet", action="store_true",
                           help="no progress bar and no notes on standard error")


def add_parser(sub: argparse._SubParsersAction) -> None:
    from ..translation.roundtrip import DEFAULT_THRESHOLD

    parser = sub.add_parser(
        "retranslate", help="translate a document with a local neural model; --round-trip "
                            "flags sentences that do not survive a round trip",
        description="Translate FILE sentence by sentence with a local Marian/OPUS-MT, M2M100 "
                    "or NLLB model, keeping its lines, blank lines and separators. With "
                    "--round-trip, also translate the result back and report the sentences "
                    "whose back-translation scores below --round-trip-threshold chrF "
                    "against the original, as garble.round_trip findings.",
        epilog="Models are never downloaded while translating: see 'mtnorm models list' and "
               "'mtnorm models fetch NAME'. Needs the neural extra: "
               "pip install 'mtnorm[neural]'.")
    parser.add_argument("file", metavar="FILE", help="text to translate ('-': standard input)")
    # The same names as check's: --source-lang is what the text was translated
    # from, --lang the translation's language (--from/--to still work).
    parser.add_argument("--source-lang", "--from", dest="source_lang", required=True, metavar="LANG",
                        help="language of FILE, translated from (fr, en, de, ...)")
    parser.add_argument("-l", "--lang", "--to", dest="target_lang", required=True, metavar="LANG",
                        help="language to translate into")
    parser.add_argument("-o", "--output", default=None, metavar="OUT",
                        help="write the translation to OUT (atomically); without --round-trip "
                             "the default is standard output")
    add_translation_options(parser)
    trip = parser.add_argument_group("round trip")
    trip.add_argument("--round-trip", action="store_true",
                      help="translate back into --from and report sentences whose "
                           "back-translation scores below --round-trip-threshold chrF")
    trip.add_argument("--round-trip-threshold", "--threshold", dest="threshold", type=float,
                      default=None, metavar="CHRF",
                      help=f"chrF (0-100) below which a sentence is reported "
                           f"(default: {DEFAULT_THRESHOLD:g})")
    trip.add_argument("-f", "--format", default=None, choices=sorted(FORMATTERS),
                      help="report format (default: text)")
    # check's --report is a JSON run summary; this writes the findings, which
    # is fix's --findings-output (--report still works, as before).
    trip.add_argument("--findings-output", "--report", dest="report", default=None, metavar="PATH",
                      help="write the findings to PATH (atomically) instead of standard output")
    trip.add_argument("--fail-on", default="warning",
                      choices=["error", "warning", "info", "never"],
                      help="exit 1 if findings at or above this severity (default: warning, "
                           "the severity of garble.round_trip)")
    parser.set_defaults(run=run)


class _DefaultThreshold:
    """``--round-trip-threshold``'s default as ``mtnorm check`` holds it: the round trip's
    :data:`~normalize.translation.roundtrip.DEFAULT_THRESHOLD`, imported only when the help
    shows it or a round trip runs (the module brings the model registry and PyYAML, ~15 ms
    of every ``check`` otherwise)."""

    def value(self) -> float:
        from ..translation.roundtrip import DEFAULT_THRESHOLD

        return DEFAULT_THRESHOLD

    def __str__(self) -> str:
        return f"{self.value():g}"


def _threshold(args: argparse.Namespace) -> float:
    """``--round-trip-threshold`` as given, or its default."""
    value = args.round_trip_threshold
    return value.value() if isinstance(value, _DefaultThreshold) else float(value)


def add_round_trip_check_options(parser: argparse.ArgumentParser) -> None:
    """``mtnorm check --round-trip``: the options, in one group of their own."""
    group = parser.add_argument_group(
        "round trip (optional: pip install 'mtnorm[neural]' and a local model)")
    group.add_argument("--round-trip", action="store_true",
                       help="also translate each sentence into --source-lang and back, and "
                            "report those whose back-translation scores below "
                            "--round-trip-threshold chrF (garble.round_trip, warning)")
    group.add_argument("--round-trip-threshold", type=float, default=_DefaultThreshold(),
                       metavar="CHRF", help="default: %(default)s")
    add_translation_options(parser, group)


def round_trip_checker(args: argparse.Namespace):
    """For ``mtnorm check``: None without --round-trip; otherwise a function
    ``(document, findings, options) -> findings`` adding the round-trip findings. Options, the
    extra and the models are checked here, before any file is read."""
    if not args.round_trip:
        return None
    if not args.source_lang:
        raise UsageError("--round-trip needs --source-lang: the language to translate "
                         "through and back from")
    threshold = _threshold(args)
    if not 0 <= threshold <= 100:
        raise UsageError("--round-trip-threshold is a chrF score: give a number from 0 to 100")
    options = translation_options(args)
    from ..translation.engine import import_backend
    from ..translation.resolve import resolve
    from ..translation.roundtrip import findings_from, resolve_back_model, round_trip

    import_backend()
    forward = resolve(args.lang, args.source_lang, args.model)
    backward = resolve_back_model(args.lang, args.source_lang, forward, args.back_model)
    for model in (forward, backward):
        if model.warning:
            _warn(model.warning)

    def add(doc, findings: list, check_options) -> list:
        # The file's own options (configuration, --ignore, severities, directives)
        # apply to garble.round_trip like to any rule; ignored, it costs no translation.
        from ..checker import get_linter
        from ..translation.roundtrip import RULE_ID

        linter = get_linter(check_options)
        if RULE_ID not in linter.scope_of:
            return findings
        trip = round_trip(doc.text, args.lang, args.source_lang, model=forward,
                          back_model=backward, options=options)
        extra = findings_from(trip, doc.text, threshold, doc)
        return linter.admit(doc, findings, extra)

    return add


def translation_options(args: argparse.Namespace):  # -> TranslationOptions
    from ..translation.engine import TranslationOptions

    options = TranslationOptions(device=args.device, batch_size=args.batch_size,
                                 max_length=args.max_length, beams=args.beams,
                                 progress=not args.quiet and sys.stderr.isatty())
    options.check()
    return options


def _note(args: argparse.Namespace, message: str) -> None:
    if not args.quiet:
        print(f"mtnorm: {message}", file=sys.stderr)


def _warn(message: str) -> None:
    print(f"mtnorm: warning: {message}", file=sys.stderr)


def _check_args(args: argparse.Namespace) -> None:
    if not args.round_trip:
        for option, value in (("--threshold", args.threshold), ("--format", args.format),
                              ("--report", args.report), ("--back-model", args.back_model)):
            if value is not None:
                raise UsageError(f"{option} goes with --round-trip")
    if args.threshold is not None and not 0 <= args.threshold <= 100:
        raise UsageError("--threshold is a chrF score: give a number from 0 to 100")


def _describe(model) -> str:  # ResolvedModel
    where = {"store": "local store", "hf-cache": "Hugging Face cache", "path": "--model"}
    return f"{model.label} ({where.get(model.origin, model.origin)}: {model.path})"


def run(args: argparse.Namespace) -> int:
    _check_args(args)
    options = translation_options(args)
    from ..translation.engine import import_backend
    from ..translation.resolve import resolve
    from ..translation.roundtrip import (
        DEFAULT_THRESHOLD,
        findings_from,
        resolve_back_model,
        round_trip,
        translate_document,
    )

    import_backend()  # a missing extra is reported before anything else is read
    src, tgt = args.source_lang, args.target_lang
    forward = resolve(src, tgt, args.model)
    backward = resolve_back_model(src, tgt, forward, args.back_model) if args.round_trip \
        else None
    for model in (forward, backward):
        if model is not None and model.warning:
            _warn(model.warning)
    doc = read_document(args.file, lang=src)

    if not args.round_trip:
        result = translate_document(doc.text, src, tgt, model=forward, options=options)
        _note(args, f"{src}→{tgt}: {len(result.segments)} sentences with {_describe(forward)}")
        if result.truncated:
            _warn(f"{result.truncated} sentence(s) longer than --max-length were cut")
        if args.output:
            atomic_write(args.output, doc.encode(result.text))
        else:
            sys.stdout.write(result.text)
            sys.stdout.flush()
        return 0

    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    trip = round_trip(doc.text, src, tgt, model=forward, back_model=backward, options=options)
    findings = findings_from(trip, doc.text, threshold, doc)
    scores = [s.score for s in trip.segments if s.score is not None]
    if scores:
        _note(args, f"round trip {src}→{tgt}→{src} with {forward.label} and "
                    f"{trip.backward_model.label}: {len(scores)} sentences, mean chrF "
                    f"{sum(scores) / len(scores):.1f}, {len(findings)} below {threshold:g}")
    if trip.truncated:
        _warn(f"{trip.truncated} sentence(s) longer than --max-length were cut")
    if args.output:
        atomic_write(args.output, doc.encode(trip.forward.text))

    fmt = args.format or "text"
    buffer = io.StringIO() if args.report else sys.stdout
    color = args.report is None and fmt == "text" and sys.stdout.isatty()
    formatter = get_formatter(fmt, buffer, color=color)
    file_result = FileResult(path=doc.path, lang=src, style="", findings=findings)
    formatter.end_file(file_result)
    formatter.finish([file_result], summarize([file_result]))
    if args.report:
        assert isinstance(buffer, io.StringIO)
        atomic_write(args.report, buffer.getvalue().encode("utf-8"))
    return 1 if fails(findings, args.fail_on) else 0
