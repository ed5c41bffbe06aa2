"""One batch run: files cut into chunks, chunks through workers, outputs and counts in order."""
from __future__ import annotations

import dataclasses
import functools
import gzip
import os
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..document import Document
from ..findings import Severity
from ..linter import Options
from .engine import OrderedPool
from .formats import (
    Chunk,
    FileNote,
    FileProblem,
    _chars,
    chunks_of,
    placed_diff,
    run_chunk,
    shifted,
)
from .inputs import InputFile
from .output import NullSink, ParquetSink, Sink
from .progress import Progress
from .records import Failure, Outcome, Task, linter_for
from .summary import FileSummary, RunSummary

#: Below this much input, worker processes cost more than they save.
PARALLEL_MIN_BYTES = 2 << 20
#: Lines of records whose fixes did not settle, kept per file for the warning.
MAX_UNSETTLED = 100
#: Failed records printed one by one on stderr; the rest are counted (and in --report).
MAX_PRINTED_FAILURES = 50


@dataclass
class _Open:
    """A file whose chunks are coming in."""

    source: InputFile
    sink: Sink
    summary: FileSummary
    outcome: Outcome = field(default_factory=Outcome)
    first_problem: str | None = None
    #: Pieces of a huge text file: lines the fixes added so far (negative: removed),
    #: and whether the diff's file header was printed (once per file).
    lines_gained: int = 0
    diff_header: bool = False
    #: Pieces of a large text file: characters and lines the fixes of the pieces before
    #: added (negative: removed), so that findings are placed in the fixed file.
    chars_fixed: int = 0
    lines_fixed: int = 0


@dataclass
class BatchRun:
    """Check or fix ``files`` with ``task``; see :meth:`run`.

    ``options_for`` gives each file's options (config files may differ per
    path), ``sink_for`` where its output goes. ``on_chunk`` sees each chunk's
    outcome as it arrives (fix logs, diffs, streaming formatters);
    ``on_file`` each finished file with everything its chunks produced (the
    findings only when ``keep_findings``: a fix of a huge corpus keeps counts).
    """

    task: Task
    files: list[InputFile]
    options_for: Callable[[InputFile], Options]
    sink_for: Callable[[InputFile], Sink] = lambda source: NullSink()
    jobs: int = 1
    #: Below this much input, run in this process whatever ``jobs`` says (worker
    #: start-up would cost more than it saves); 0 when the user chose ``--jobs``.
    parallel_min_bytes: int = PARALLEL_MIN_BYTES
    fail_fast: bool = False
    quiet: bool = False
    keep_findings: bool = True
    fail_on: Callable[[InputFile], Severity | None] = lambda source: Severity.ERROR
    #: Sees each chunk's outcome first and may drop findings (``--baseline``).
    screen: Callable[[InputFile, Outcome], None] | None = None
    on_chunk: Callable[[InputFile, Outcome], None] | None = None
    on_file: Callable[[InputFile, FileSummary, Outcome], None] | None = None
    #: Runs chunks: ``pool(fn, jobs)`` is a context manager with ``map(items, skip)``
    #: yielding ``(item, fn(item))`` in order (:class:`OrderedPool`, or Dask's).
    pool: Callable[[Callable, int], Any] = OrderedPool
    #: Set by :meth:`run`: a finding at or above a file's ``fail_on`` severity remained.
    failed_threshold: bool = False
    #: ``--report``: the JSON report, written however the run ends (an
    #: interrupt too: then with what was done so far, marked ``interrupted``).
    report: str | None = None
    #: The corpus pass (``Task.consistency``): distinct segments held per direction.
    consistency_limit: int | None = None

    def run(self) -> RunSummary:
        """Process everything; return the counts. Outputs of files that did not
        finish (interrupt, ``--fail-fast``, a crash) are never put in place."""
        summary = RunSummary(self.task.mode)
        sizes = [_size(f) for f in self.files]
        total = sum(sizes)
        jobs = self.jobs if total >= self.parallel_min_bytes or any(
            f.is_stdin for f in self.files) else 1
        if self.parallel_min_bytes and _one_text_file(self.files):
            # One text file runs in this process unless --jobs says otherwise: one
            # document has nothing to run beside it (a worker would only add an
            # interpreter, the text pickled both ways and the findings pickled back),
            # and the pieces of a large one are bounded in memory here, while each
            # worker holds its own copy of the rules' data (~150 MB apiece).
            jobs = 1
        progress = self._progress = Progress(total, len(self.files), quiet=self.quiet)
        open_files: dict[int, _Open] = {}
        self._corpus = _CorpusPass(self.task, self.options_for, self.consistency_limit) \
            if self.task.consistency else None
        try:
            with self.pool(functools.partial(run_chunk, self.task), jobs) as pool:
                self._pool = pool
                for item, result in pool.map(self._chunks(), skip=lambda x: isinstance(x, FileProblem)):
                    if not self._take(item, result, open_files, summary, progress):
                        summary.interrupted = True
                        self._stop(open_files, summary, "stopped by --fail-fast; not written")
                        break
        except BaseException as exc:
            summary.interrupted = True
            why = "interrupted" if isinstance(exc, KeyboardInterrupt) else f"stopped by {exc!r}"
            self._stop(open_files, summary, f"{why} before the end; not written")
            raise
        finally:
            note = None
            if self._corpus is not None:
                note = self._corpus.index.note()
                self._corpus.index.close()
            if note is not None and not self.quiet:
                progress.write(f"mtnorm: note: {note}")
            progress.close()
            summary.elapsed = time.monotonic() - summary.started
            if self.report is not None:
                self._write_report(summary)
        return summary

    def _stop(self, open_files: dict[int, _Open], summary: RunSummary, why: str) -> None:
        """Files the run stopped in: outputs dropped, their records counted as failed."""
        for state in open_files.values():
            state.sink.abort()
            state.summary.lose(why, unfinished=True)
            summary.files.append(state.summary)
        open_files.clear()

    def _write_report(self, summary: RunSummary) -> None:
        from ..document import atomic_write  # the one atomic writer of small files

        assert self.report is not None  # asked for only with --report
        try:
            atomic_write(self.report, summary.report_json())
        except KeyboardInterrupt:  # a second Ctrl-C while writing: the old report stays
            pass

    # -- reading ---------------------------------------------------------------------
    def _chunks(self) -> Iterator[Chunk | FileProblem]:
        for file_no, source in enumerate(self.files):
            if source.problem is not None:  # a device, FIFO or socket: never opened
                yield FileProblem(file_no, source.path, source.problem)
                continue
            options = self.options_for(source)
            if source.format == "parquet":
                yield from self._noted(chunks_of(file_no, source, None, options, self.task))
                continue
            try:
                stream = sys.stdin.buffer if source.is_stdin else _open(source.path)
            except OSError as exc:
                yield FileProblem(file_no, source.path, _problem(exc))
                continue
            try:
                items = chunks_of(file_no, source, stream, options, self.task)
                if source.format == "text":
                    items = self._with_facts(file_no, source, options, items)
                yield from self._noted(items)
            except (OSError, EOFError, zlib.error) as exc:  # a directory, an I/O error, a bad .gz
                yield FileProblem(file_no, source.path, _problem(exc))
            finally:
                if not source.is_stdin:
                    stream.close()

    def _with_facts(self, file_no: int, source: InputFile, options: Options,
                    items: Iterator[Chunk | FileProblem | FileNote]
                    ) -> Iterator[Chunk | FileProblem | FileNote]:
        """A text file's chunks, each piece of a large one given its document facts.

        A text cut into pieces is read twice: a first pass collects the facts the
        rules read of the whole text (:mod:`normalize.pieces`), piece by piece in the
        workers, merged here in order; the second gives each piece its share, so its
        findings are the ones of the whole text. Standard input cannot be read twice:
        its pieces see only their own facts (said in a note).
        """
        first = next(items, None)
        if first is None:
            return
        if not isinstance(first, Chunk) or first.kind != "text" or first.last:
            yield first
            yield from items
            return
        from ..pieces import FactsMerger, facts_needed

        linter = linter_for(options)
        names = facts_needed(linter._active(linter.context(Document("")), None))
        if not names:
            yield first
            yield from items
            return
        if source.is_stdin:
            yield FileNote(file_no, "<stdin>", "large text read from standard input: checked in "
                           "pieces, each seeing only its own counts of spellings and names; "
                           "give a file to have them counted over the whole text")
            yield first
            yield from items
            return
        merger = FactsMerger(names)
        with _open(source.path) as again:
            pieces = (dataclasses.replace(c, kind="facts") if isinstance(c, Chunk) else c
                      for c in chunks_of(file_no, source, again, options, self.task))
            for item, result in self._pool.map(pieces, skip=lambda x: not isinstance(x, Chunk)):
                if isinstance(item, Chunk) and result is not None:
                    merger.add(result[0])
        shares = merger.shares()
        first.facts = next(shares, None)
        yield first
        for item in items:
            if isinstance(item, Chunk):
                item.facts = next(shares, None)
            yield item

    @staticmethod
    def _place_in_fixed(item: Chunk, out: bytes, outcome: Outcome, state: _Open) -> None:
        """A fixed piece's findings (placed by the worker as if the pieces before were
        unchanged) moved by what the fixes of those pieces added or removed."""
        if (state.chars_fixed or state.lines_fixed) and outcome.findings:
            chars, lines = state.chars_fixed, state.lines_fixed
            outcome.findings = [shifted(f, chars, lines, line=f.line + lines)
                                for f in outcome.findings]
        if out is not item.payload and out != item.payload:
            state.chars_fixed += _chars(out) - _chars(item.payload)
            state.lines_fixed += out.count(b"\n") - item.payload.count(b"\n")

    def _noted(self, items: Iterator[Chunk | FileProblem | FileNote]) -> Iterator[Chunk | FileProblem]:
        """``items`` less the notes, which are shown to the user."""
        for item in items:
            if isinstance(item, FileNote):
                if not self.quiet:  # --quiet: "no notes"
                    self._progress.write(f"mtnorm: note: {item.path}: {item.message}")
            else:
                yield item

    # -- results, in input order -------------------------------------------------------
    def _take(self, item: Chunk | FileProblem, result: tuple | None, open_files: dict[int, _Open],
              summary: RunSummary, progress: Progress) -> bool:
        """Handle one chunk's result; False to stop the run."""
        source = self.files[item.file_no]
        state = open_files.get(item.file_no)
        if state is None:
            shown = "<stdin>" if source.is_stdin else source.path
            state = open_files[item.file_no] = _Open(
                source, self.sink_for(source) if not isinstance(item, FileProblem) else NullSink(),
                FileSummary(shown, source.format))
        if isinstance(item, FileProblem):
            state.sink.abort()
            del open_files[item.file_no]
            state.summary.lose(item.message)
            failure = Failure(item.path, item.line, None, item.message)
            self._report_failures([failure], summary, progress)
            summary.files.append(state.summary)
            if self.on_file is not None:
                self.on_file(source, state.summary, Outcome(failures=[failure]))
            progress.advance(0, 0, True)
            return not self.fail_fast
        assert result is not None  # only file problems are skipped, and they returned above
        out, outcome = result
        if item.kind == "text" and item.seq > 0:
            # Later pieces of a huge text file: still one record, changed at most once,
            # and a file that cannot be decoded is reported once, not once per piece.
            outcome.records = 0
            if state.summary.changed:
                outcome.changed = 0
            if state.outcome.abandon:
                outcome.failures = []
        if item.kind == "text" and self.task.mode == "fix":
            self._place_in_fixed(item, out, outcome, state)
        if item.kind in ("text", "units") and outcome.diff:
            outcome.diff, gained = placed_diff(outcome.diff, item.first_line - 1,
                                               item.first_line - 1 + state.lines_gained,
                                               header=not state.diff_header)
            state.lines_gained += gained
            state.diff_header = True
        if self._corpus is not None and outcome.segments:
            self._corpus.take(source, state.summary.path, item, outcome)
        if self.screen is not None:
            self.screen(source, outcome)
        if isinstance(state.sink, ParquetSink):
            state.sink.write_batch(item.local, out)
        else:
            state.sink.write(out)
        file_summary = state.summary
        file_summary.add(outcome, item.size)
        summary.count(outcome)
        if outcome.failures and state.first_problem is None:
            state.first_problem = str(outcome.failures[0])
        self._report_failures(outcome.failures, summary, progress)
        threshold = self.fail_on(source)
        if threshold is not None and any(f.severity >= threshold for f in outcome.findings):
            self.failed_threshold = True
        if self.on_chunk is not None:
            self.on_chunk(source, outcome)
        if not self.keep_findings:
            outcome.findings, outcome.keys = [], []
        # Counted and shown above: a file's outcome must not grow with its records.
        outcome.replacements, outcome.fix_log, outcome.diff = Counter(), [], ""
        outcome.unsettled = outcome.unsettled[:max(0, MAX_UNSETTLED - len(state.outcome.unsettled))]
        outcome.failures = []  # counted and reported above
        state.outcome.merge(outcome)
        progress.advance(item.size, outcome.records, item.last)
        if self.fail_fast and file_summary.failed:
            return False
        if item.last:
            if state.outcome.abandon:  # a text file that cannot be read: a file error
                state.sink.abort()
                file_summary.lose(state.first_problem or "could not be read")
            else:
                state.sink.commit(file_summary.changed > 0)
                file_summary.finish()
            del open_files[item.file_no]  # only now: an interrupt during commit still aborts
            if state.outcome.skipped:
                n = state.outcome.skipped
                progress.write(f"mtnorm: warning: {state.outcome.first_skipped}; "
                               f"{n:,} null field{'s' if n != 1 else ''} skipped in this file")
            summary.files.append(file_summary)
            if self.on_file is not None:
                self.on_file(source, file_summary, state.outcome)
        return True

    def _report_failures(self, failures: list[Failure], summary: RunSummary,
                         progress: Progress) -> None:
        for failure in failures:
            if summary.failure_count < MAX_PRINTED_FAILURES:
                progress.write(f"mtnorm: error: {failure}")
            elif summary.failure_count == MAX_PRINTED_FAILURES:
                progress.write("mtnorm: error: more records failed; the summary counts them "
                               "and --report lists them")
            summary.add_failures([failure])


class _CorpusPass:
    """The run's consistency index (:mod:`normalize.consistency`), fed in input order:
    the findings of a chunk's segments join the chunk's findings, under the file's options
    (selected rules, severity overrides, accepted terms)."""

    def __init__(self, task, options_for: Callable[[InputFile], Options], limit: int | None
                 ) -> None:
        from ..consistency import DEFAULT_LIMIT, ConsistencyIndex

        self.task = task
        self.options_for = options_for
        self.index = ConsistencyIndex(DEFAULT_LIMIT if limit is None else limit)

    def take(self, source: InputFile, shown: str, item: Chunk, outcome: Outcome) -> None:
        from ..baseline import finding_keys
        from ..checker import get_linter
        from ..consistency import SOURCE_RULE, TRANSLATION_RULE

        segments, outcome.segments = outcome.segments, []
        if item.kind == "units":   # a PO msgid in two contexts is two segments
            contexts = {unit.line: unit.context for unit in item.payload[1] if unit.context}
            if contexts:
                segments = [s.with_context(contexts[s.line]) if s.line in contexts else s
                            for s in segments]
        options = self.options_for(source)
        linter = get_linter(options)
        found = self.index.observe(shown, segments,
                                   translation=TRANSLATION_RULE in linter.scope_of,
                                   source=SOURCE_RULE in linter.scope_of)
        accept = set(options.accept)
        found = [linter.adjust(f) for f in found if f.text not in accept]
        if not found:
            return
        if self.task.baseline_keys:
            pairs = list(zip(outcome.findings, outcome.keys))
            pairs += [(f, key) for f in found for key in finding_keys([f], f.text)]
        else:
            pairs = [(f, None) for f in (*outcome.findings, *found)]
        pairs.sort(key=lambda pair: pair[0].line)   # stable: the records' own order kept
        outcome.findings = [f for f, _ in pairs]
        if self.task.baseline_keys:
            outcome.keys = [k for _, k in pairs]


def _open(path: str):
    """A binary stream of the file's contents (``.gz`` files decompressed)."""
    if path.endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def _one_text_file(files: list[InputFile]) -> bool:
    """Whether the whole input is one plain text file (not standard input, whose
    size is not known ahead)."""
    return (len(files) == 1 and files[0].format == "text" and files[0].problem is None
            and not files[0].is_stdin)


def _size(source: InputFile) -> int:
    if source.is_stdin:
        return 0
    try:
        return os.path.getsize(source.path)
    except OSError:
        return 0


def _problem(exc: BaseException) -> str:
    """The one-line problem of a file that could not be read."""
    if isinstance(exc, EOFError):  # gzip: the stream ends before the end-of-stream marker
        return "compressed data cut short (truncated .gz file)"
    if isinstance(exc, zlib.error):
        return f"corrupt .gz file ({exc})"
    if isinstance(exc, gzip.BadGzipFile):
        return f"corrupt .gz file ({exc})"
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return getattr(exc, "strerror", None) or str(exc)

