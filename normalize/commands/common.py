"""Options and set-up shared by ``check`` and ``fix``: inputs, formats, jobs, settings."""
from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from ..batch.engine import available_cores
from ..batch.inputs import FORMATS, UNIT_FORMATS, InputFile, expand_inputs
from ..batch.records import Task
from ..checker import Checker, file_result, get_linter
from ..document import read_document
from ..errors import UsageError
from ..findings import Finding, Severity
from ..linter import Options
from ..results import FileResult

#: ``--lang auto``: each file's language is detected.
AUTO = "auto"


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """``--engine`` and ``--scheduler``: where the batch engine's chunks run."""
    engine = parser.add_argument_group("scale-out")
    engine.add_argument("--engine", default="local", choices=["local", "dask"],
                        help="local worker processes (default) or a Dask cluster")
    engine.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="Dask scheduler address, required with --engine dask "
                             "(e.g. tcp://10.0.0.5:8786; start one with dask-scheduler)")


def engine_pool(args: argparse.Namespace) -> Any:
    """The batch engine's pool for ``--engine`` (None: its local worker processes)."""
    if args.engine != "dask":
        if args.scheduler:
            raise UsageError("--scheduler goes with --engine dask")
        return None
    if not args.scheduler:
        raise UsageError("--engine dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
    try:
        from ..dask import dask_pool_factory
    except ImportError as exc:
        raise UsageError(f"--engine dask needs dask and distributed: pip install 'mtnorm[dask]' ({exc})")
    return dask_pool_factory(args.scheduler)


def use_color(choice: str, stream) -> bool:
    """``--color``: always, never, or (auto) on a terminal when NO_COLOR is unset or empty."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def add_check_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", metavar="PATH",
                        help="files or directories (walked recursively) to read; '-' (or nothing, "
                             "when piped) reads standard input")
    parser.add_argument("-l", "--lang", default=None,
                        help="language of the text: en, fr, de, es, ru, it, uk, pl, or 'auto' to detect "
                             "each file's (default: en, with a note for a file that clearly "
                             "is in another language)")
    parser.add_argument("-s", "--style", default=None,
                        help="house style (ap, afp, default-en, ...; 'default' or nothing: the "
                             "language's default)")
    parser.add_argument("--source-lang", default=None,
                        help="language the text was translated from, when known")
    parser.add_argument("--source", default=None, metavar="FILE",
                        help="the source text (one segment per line, aligned with the input): "
                             "enables source-aware checks; needs a single text input")
    parser.add_argument("--glossary", default=None, metavar="FILE",
                        help="terminology to check translations against (TBX, or TSV/CSV rows "
                             "'source<TAB>target[|target][<TAB>required|forbidden|dnt]'; "
                             "pair.glossary, with --source or --source-field)")
    parser.add_argument("--select", action="append", default=[], metavar="RULE",
                        help="only these rules, groups or categories (repeatable, comma-separated)")
    parser.add_argument("--ignore", action="append", default=[], metavar="RULE",
                        help="skip these rules, groups or categories (repeatable, comma-separated)")
    parser.add_argument("--fail-on", default=None, choices=["error", "warning", "info", "never"],
                        help="exit 1 if findings at or above this severity remain (default: error)")
    parser.add_argument("--config", default=None, metavar="FILE",
                        help="use this mtnorm.toml / pyproject.toml for every input (default: the "
                             "nearest one found walking up from each input)")
    parser.add_argument("--isolated", action="store_true",
                        help="ignore configuration files")
    parser.add_argument("--color", "--colour", default="auto", choices=["auto", "always", "never"],
                        help="colour the severities of text findings: auto (default) on a "
                             "terminal unless NO_COLOR is set, always, or never")
    batch = parser.add_argument_group("corpora (directories, JSONL, TSV, Parquet)")
    batch.add_argument("--include", action="append", default=[], metavar="GLOB",
                       help="in directories, read only files matching GLOB (repeatable; default: "
                            "*.txt *.md *.jsonl *.ndjson *.tsv *.parquet *.xlf *.xliff *.tmx *.po)")
    batch.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                       help="skip files matching GLOB (repeatable; '**' crosses folders)")
    batch.add_argument("--input-format", default="auto", choices=["auto", *FORMATS],
                       help="how to read inputs (default: by extension; stdin: text)")
    batch.add_argument("--field", action="append", default=[], metavar="NAME",
                       help="JSONL field / Parquet column holding text (repeatable, "
                            "comma-separated; default: text); other fields pass through untouched")
    batch.add_argument("--column", action="append", default=[], metavar="NAME",
                       help="TSV column (header name or 1-based number) holding text; same as --field")
    batch.add_argument("--id-field", default="id", metavar="NAME",
                       help="field/column with each record's id, shown with its findings (default: id)")
    batch.add_argument("--source-field", default=None, metavar="NAME",
                       help="field/column with each record's source text (source-aware checks)")
    batch.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                       help="worker processes (default: all cores; small inputs run in one)")
    batch.add_argument("-q", "--quiet", action="store_true",
                       help="no progress bar, no summary line and no notes")
    batch.add_argument("--fail-fast", action="store_true",
                       help="stop at the first record or file that cannot be processed")
    batch.add_argument("--include-final", action="store_true",
                       help="translation files: also check and fix units marked final, approved "
                            "or locked (left alone by default)")
    batch.add_argument("--consistency-limit", type=int, default=None, metavar="N",
                       help="pair.inconsistent_*: distinct segments remembered per direction "
                            "(default 1,000,000: ~130 MB of temporary disk past the first 10,000, "
                            "which are held in memory; later ones are still compared with them)")
    batch.add_argument("--report", default=None, metavar="FILE",
                       help="write a JSON summary (counts per rule, category, file; failures) to FILE")


def _glossary(value: str | None) -> str | None:
    """``--glossary``: an absolute path (read when the linters are built: a missing or
    malformed file is a usage error naming its line)."""
    if value is None:
        return None
    if not value.strip():
        raise UsageError("--glossary needs a file path")
    from ..glossary import glossary_path

    return glossary_path(value)


def _split(values: list[str]) -> tuple[str, ...]:
    return tuple(v.strip() for item in values for v in item.split(",") if v.strip())


@dataclass
class Setup:
    """What a ``check``/``fix`` run reads and how: decided before any file is read."""

    files: list[InputFile]
    task: Task
    jobs: int
    options_for: Callable[[InputFile], Options]
    fail_on_for: Callable[[InputFile], Severity | None]
    #: The user chose --jobs: honour it even for small inputs.
    jobs_chosen: bool = False
    #: ``--consistency-limit`` (None: the default).
    consistency_limit: int | None = None

    def run_options(self) -> dict[str, Any]:
        """Keyword arguments of :class:`~normalize.batch.run.BatchRun` that come from the set-up."""
        return {"jobs": self.jobs, "fail_on": self.fail_on_for,
                **({"parallel_min_bytes": 0} if self.jobs_chosen else {}),
                **({"consistency_limit": self.consistency_limit}
                   if self.consistency_limit is not None else {})}

    @property
    def batch(self) -> bool:
        """A corpus run (records or a directory): a summary line is worth printing."""
        return any(f.format != "text" or f.root is not None for f in self.files)


def setup(args: argparse.Namespace, mode: str, **task_options: Any) -> Setup:
    """Inputs, task and per-file options for ``check``/``fix`` from the arguments."""
    files = input_files(args)
    fields = _split(args.field) + _split(args.column) or ("text",)
    source_text = None
    if args.source is not None:
        if len(files) != 1 or files[0].format != "text":
            raise UsageError("--source goes with exactly one text input (for records use --source-field)")
        source_text = read_document(args.source).text
        from ..translation_files import (
            check_aligned_lines,  # one line per segment on both sides
        )
        check_aligned_lines(files[0].path, args.source, source_text)
    task = Task(mode, fields=fields, id_field=args.id_field or None,
                source_field=args.source_field, source_text=source_text,
                auto_lang=args.lang == AUTO,
                include_final=getattr(args, "include_final", False),
                unit_source_lang=args.source_lang is None, **task_options)
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.config is not None and args.isolated:
        raise UsageError("--config and --isolated contradict each other")
    # The nearest configuration of each input (or --config's, or none with --isolated),
    # resolved by the same Checker as normalize.check and the desk.
    checker = Checker(config=args.config, discover=not args.isolated)
    auto = args.lang == AUTO
    cli = {"lang": None if auto else args.lang, "style": args.style, "source_lang": args.source_lang,
           "select": _split(args.select), "ignore": _split(args.ignore),
           "glossary": _glossary(args.glossary)}
    # Every input's settings are resolved (and every configuration validated)
    # before any file is read: a bad config is a usage error, not a failed run.
    settings = {f: checker.settings_for(f.path) for f in files}
    options = {f: checker.options_for(given=cli, settings=s) for f, s in settings.items()}
    thresholds = {f: _threshold(checker.fail_on_for(given=args.fail_on, settings=s))
                  for f, s in settings.items()}
    unset = [f for f, s in settings.items() if args.lang is None and s.lang is None]
    # Translation files say their languages; they are not sampled as text.
    for f in (f for f in files if f.format in UNIT_FORMATS):
        # Imported here: reading translation files costs ~8 ms of imports a text check never needs.
        from ..translation_files import with_file_languages

        options[f] = with_file_languages(options[f], f.path, f.format, lang=f in unset,
                                         source_lang=args.source_lang is None
                                         and settings[f].source_lang is None)
    unset = [f for f in unset if f.format not in UNIT_FORMATS]
    if auto or unset:
        sampled = [f for f in files if f.format not in UNIT_FORMATS] if auto else unset
        options = _languages(options, sampled, task, auto, args.quiet)
    for distinct in set(options.values()):
        get_linter(distinct)  # unknown language/style/rule: a usage error now
    task = _with_corpus_pass(task, files, set(options.values()))
    _prepare_gazetteer(set(options.values()), args.quiet)
    return Setup(files=files, task=task, jobs=args.jobs or available_cores(),
                 options_for=options.__getitem__, fail_on_for=thresholds.__getitem__,
                 jobs_chosen=args.jobs is not None,
                 consistency_limit=_consistency_limit(args))


def _consistency_limit(args: argparse.Namespace) -> int | None:
    limit = getattr(args, "consistency_limit", None)
    if limit is not None and limit < 1:
        raise UsageError("--consistency-limit must be at least 1")
    return limit


def _with_corpus_pass(task: Task, files: list[InputFile], distinct: set[Options]) -> Task:
    """``task`` with the consistency pass on when units or records have a source and a
    ``pair.inconsistent_*`` rule is selected (:mod:`normalize.consistency`)."""
    sourced = task.source_field is not None or any(f.format in UNIT_FORMATS for f in files)
    if not sourced:
        return task
    # Imported only now: the module compiles its patterns (~4 ms) and a text has no pairs.
    from ..consistency import RULES

    if any(rule in get_linter(o).scope_of for o in distinct for rule in RULES):
        return dataclasses.replace(task, consistency=True)
    return task


def _languages(options: dict[InputFile, Options], files: list[InputFile], task: Task,
               auto: bool, quiet: bool) -> dict[InputFile, Options]:
    """Per-file languages: detected (``--lang auto``), or a note for a file that clearly
    is in another language than the one assumed. ``check`` then leaves out that file's
    untranslated findings (the whole file would be one); ``fix`` leaves the file as it
    is (another language's fixes would damage it)."""
    from ..languages.detect import clearly_other, detect, sample, with_language
    from ..registry import all_rules

    out = dict(options)
    undecided: list[str] = []
    for source in files:
        text = sample(source.path, source.format, task.fields)
        shown = shown_path(source)
        if auto:
            found = detect(text)
            if found is not None:
                out[source] = with_language(options[source], found.lang)
            elif source.format == "text":  # records are detected one by one anyway
                undecided.append(shown)
            continue
        assumed = options[source].lang
        other = clearly_other(text, assumed)
        if other is None:
            continue
        fixing = task.mode == "fix"
        if not quiet:
            print(f"mtnorm: {shown} looks {other.name} ({other.lang}): "
                  f"{'left unchanged; ' if fixing else ''}use --lang {other.lang}", file=sys.stderr)
        ignore = tuple(rule.id for rule in all_rules()) if fixing else ("untranslated",)
        out[source] = dataclasses.replace(options[source], ignore=(*options[source].ignore, *ignore))
    if undecided and not quiet:
        print(f"mtnorm: note: too little text to tell the language of {undecided[0]}"
              + (f" and {len(undecided) - 1} more" if len(undecided) > 1 else "")
              + f"; checked as {options[files[0]].lang}", file=sys.stderr)
    return out


#: Rule groups that read the gazetteer's catalogue.
_GAZETTEER_GROUPS = ("toponym.", "name.")


def _prepare_gazetteer(distinct: set[Options], quiet: bool) -> None:
    """Build a missing gazetteer catalogue now, saying so: the first run (without the
    copy a wheel ships) would otherwise sit silent for a second or two (and every
    worker would wait on it). One catalogue serves every language."""
    from ..gazetteer import get_gazetteer

    langs = sorted({o.lang.split("-")[0].lower() for o in distinct
                    if any(r.id.startswith(_GAZETTEER_GROUPS) for r in get_linter(o).rules)})
    gaz = get_gazetteer()
    if not langs or gaz.catalogue_path().is_file():
        return
    if not quiet:
        print("mtnorm: building the gazetteer index (first run, ~2 s)…",
              file=sys.stderr, flush=True)
    gaz.index(langs[0])


class FindingsReport:
    """Findings of a run in a ``--format``: each chunk's are handed to the formatter as
    they come (every format writes them, or serialises them, then and there) and none
    is kept; with ``hold`` (a round trip adds findings per file) a file's are collected
    and handed over when the file ends. :meth:`finish` closes the report."""

    def __init__(self, fmt: str, stream: TextIO, *, color: bool, quiet: bool,
                 options_for: Callable[[InputFile], Options], hold: bool = False) -> None:
        from ..formatters import get_formatter

        self.formatter = get_formatter(fmt, stream, color=color)
        self.formatter.summary_line = not quiet
        self.options_for = options_for
        self.hold = hold

    def result(self, source: InputFile, path: str, findings: list[Finding],
               error: str | None = None, fixed: int = 0) -> FileResult:
        """A file's result, named and described as every report of mtnorm describes it."""
        return file_result(path, self.options_for(source), findings, error=error, fixed=fixed)

    @property
    def streaming(self) -> bool:
        """Findings are handed over chunk by chunk (the run need not keep them)."""
        return self.formatter.streaming and not self.hold

    def chunk(self, source: InputFile, findings: list[Finding]) -> None:
        """A chunk's findings (handed to the formatter now when streaming)."""
        if self.streaming and findings:
            self.formatter.file(self.result(source, shown_path(source), findings))

    def file(self, source: InputFile, path: str, findings: list[Finding], error: str | None,
             fixed: int = 0) -> FileResult:
        """A finished file: its error, its fixed count, and its findings unless streamed already."""
        result = self.result(source, path, [] if self.streaming else findings, error, fixed)
        self.formatter.end_file(result)
        return result

    def finish(self, summary: dict[str, Any]) -> None:
        # Every file was handed over already: the formatter has nothing to replay.
        self.formatter.finish([], summary)


def shown_path(source: InputFile) -> str:
    """How an input is named in findings: its path, or ``<stdin>``."""
    return "<stdin>" if source.is_stdin else source.path


def _threshold(fail_on: str) -> Severity | None:
    return None if fail_on == "never" else Severity.parse(fail_on)


def input_files(args: argparse.Namespace) -> list[InputFile]:
    paths = list(args.files)
    if not paths:
        if sys.stdin.isatty():
            raise UsageError("no input: give FILE arguments or pipe text in ('-' reads stdin)")
        paths = ["-"]
    if paths.count("-") > 1:
        raise UsageError("standard input ('-') can be read only once")
    files = expand_inputs(paths, args.include, args.exclude, args.input_format)
    if not files:
        raise UsageError(f"no input files found in {', '.join(paths)} (see --include/--exclude)")
    return files


def fails(findings: list[Finding], fail_on: str) -> bool:
    if fail_on == "never":
        return False
    threshold = Severity.parse(fail_on)
    return any(f.severity >= threshold for f in findings)
