"""Scale-out with Dask: the batch engine's per-record code on a Dask cluster.

Two ways in, both running exactly the per-record functions of
:mod:`normalize.batch.records` (so output equals the local engine's, byte
for byte):

- :class:`DaskPool` / :func:`dask_pool_factory`: a drop-in for
  :class:`normalize.batch.engine.OrderedPool`, so a whole CLI batch run
  (chunks cut locally, outputs written locally) executes its chunks on a
  cluster::

      BatchRun(task, files, options_for, sink_for, jobs=n,
               pool=dask_pool_factory("tcp://scheduler:8786")).run()

- library functions for Dask users: :func:`fix_bag` / :func:`check_bag` over
  bags of JSONL lines, :func:`fix_dataframe` / :func:`check_dataframe` over
  data frames, and :func:`fix_jsonl` / :func:`fix_parquet`, which read a file
  with Dask, fix it on the cluster and write one output file in input order;
  :func:`check_consistency` runs the corpus consistency pass over a frame.

Workers need mtnorm installed (the same version as the client). Options and
tasks are sent to them; each worker process builds its linter once
(:func:`normalize.batch.records.linter_for`). ``options`` is an
:class:`~normalize.linter.Options` or a mapping of the options
:func:`normalize.check` takes (``lang``, ``style``, ``severity``, ``accept``,
``reject``, ..., ``config``), resolved and validated here, on the client, by
:func:`normalize.checker.as_options`.

Dask is optional (``pip install 'mtnorm[dask]'``): it is imported only when
one of these is used. This module is ``normalize.dask``; ``import dask``
below is the top-level Dask package (imports are absolute).
"""
from __future__ import annotations

import dataclasses
import functools
import json
import math
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from .batch.engine import in_order
from .batch.output import FileSink, ParquetSink
from .batch.records import (
    Failure,
    Outcome,
    Task,
    linter_for,
    process_columns,
    process_jsonl_line,
)
from .batch.summary import FileSummary, RunSummary
from .checker import as_options
from .errors import UsageError
from .linter import Options

if TYPE_CHECKING:  # pragma: no cover - types only
    import dask.bag
    import dask.dataframe
    import distributed
    import pandas

T = TypeVar("T")
R = TypeVar("R")

#: How long to wait for a scheduler before saying it cannot be reached.
CONNECT_TIMEOUT_S = 5.0
#: Default size of the blocks :func:`fix_jsonl` reads (one partition each).
JSONL_BLOCKSIZE = "8MiB"
#: How findings of bags and frames name a record's source when there is no path.
BAG_PATH = "<bag>"
FRAME_PATH = "<frame>"

_INSTALL = "pip install 'mtnorm[dask]'"


# -- connecting ---------------------------------------------------------------------------
def _require_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise UsageError(f"the Dask engine needs dask and distributed ({_INSTALL})") from None
    return distributed


def _require_dask() -> None:
    try:
        import dask.bag
        import dask.dataframe  # noqa: F401
    except ImportError:
        raise UsageError(f"this needs dask[dataframe] ({_INSTALL})") from None


def connect(scheduler: str, timeout: float = CONNECT_TIMEOUT_S) -> distributed.Client:
    """A client of the scheduler at ``scheduler`` (``tcp://host:8786``), or a clear UsageError.

    The client is not made the process's default (the caller's own Dask code
    keeps its scheduler); close it when done.
    """
    distributed = _require_distributed()
    try:
        return distributed.Client(scheduler, timeout=timeout, set_as_default=False)
    except Exception as exc:  # timeouts, refusals, bad addresses, something else on that port
        raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None


def _default_client() -> distributed.Client | None:
    """The client the caller's Dask code already uses, if any."""
    try:
        import distributed
    except ImportError:
        return None
    try:
        return distributed.default_client()
    except ValueError:  # no client in this process
        return None


def _threads(client: distributed.Client) -> int:
    """Worker threads of the whole cluster (0 while no worker has joined)."""
    try:
        return sum(client.nthreads().values())
    except Exception:  # a scheduler that went away answers on the first real call
        return 0


# -- ordered, bounded futures ----------------------------------------------------------------
def _in_order(client: distributed.Client, items: Iterable[T], submit: Callable[[T], Any],
              limit: int, skip: Callable[[T], bool] = lambda item: False,
              pending: deque[tuple[T, Any]] | None = None) -> Iterator[tuple[T, Any]]:
    """:func:`normalize.batch.engine.in_order` on a cluster: futures still pending
    when the consumer stops (an error, ``--fail-fast``, Ctrl-C) are cancelled."""
    if pending is None:
        pending = deque()
    try:
        yield from in_order(items, submit, limit, skip, pending)
    finally:
        futures = [future for _, future in pending if future is not None]
        if futures:
            client.cancel(futures)


class DaskPool:
    """:class:`~normalize.batch.engine.OrderedPool`'s interface, running on a Dask cluster.

    ``fn(item)`` runs on the cluster of ``client``, or of a client connected
    to ``scheduler`` (closed again on exit), or of the process's current
    default client. Results come back in input order, with at most
    ``2 x`` the cluster's worker threads (at least 2) in flight. ``jobs`` is
    the caller's local parallelism and is not used to size the work: the
    cluster decides that (it only stands in while no worker has joined yet).
    """

    def __init__(self, fn: Callable[[T], R], jobs: int = 1, scheduler: str | None = None,
                 client: distributed.Client | None = None, *,
                 connect_timeout: float = CONNECT_TIMEOUT_S) -> None:
        self.fn = fn
        self.jobs = max(1, jobs)
        self.scheduler = scheduler
        self.connect_timeout = connect_timeout
        self.client = client
        self._owns_client = False
        self._pending: deque[tuple[Any, Any]] = deque()
        self.limit = 2

    def __enter__(self) -> DaskPool:
        if self.client is None:
            if self.scheduler is not None:
                self.client = connect(self.scheduler, self.connect_timeout)
                self._owns_client = True
            else:
                _require_distributed()
                self.client = _default_client()
                if self.client is None:
                    raise UsageError("the Dask engine needs a scheduler address "
                                     "(e.g. tcp://127.0.0.1:8786) or a running client")
        self.limit = max(2, 2 * (_threads(self.client) or self.jobs))
        return self

    def __exit__(self, *exc: object) -> None:
        # What a consumer left in flight (an error, a break) is not wanted any more.
        futures = [future for _, future in self._pending if future is not None]
        self._pending.clear()
        if futures and self.client is not None:
            self.client.cancel(futures)
        if self._owns_client and self.client is not None:
            self.client.close()
            self.client = None
            self._owns_client = False

    def map(self, items: Iterable[T], skip: Callable[[T], bool] = lambda item: False
            ) -> Iterator[tuple[T, R | None]]:
        """``(item, fn(item))`` in input order; skipped items come with ``None``."""
        if self.client is None:
            raise RuntimeError("DaskPool.map outside its with-block")
        client = self.client
        # pure=False: equal chunks (two empty files) are still separate tasks,
        # and no time goes into hashing megabytes of payload for a key.
        self._pending = deque()
        return _in_order(client, items, lambda item: client.submit(self.fn, item, pure=False),
                         self.limit, skip, self._pending)


def dask_pool_factory(scheduler: str | None = None, client: distributed.Client | None = None,
                      *, connect_timeout: float = CONNECT_TIMEOUT_S
                      ) -> Callable[[Callable, int], DaskPool]:
    """A ``pool`` for :class:`normalize.batch.run.BatchRun` that runs chunks on Dask.

    Fails at once (UsageError) when Dask is not installed; the scheduler is
    contacted when the run starts.
    """
    _require_distributed()
    return functools.partial(DaskPool, scheduler=scheduler, client=client,
                             connect_timeout=connect_timeout)


# -- records in partitions (run on workers) --------------------------------------------------
def _as_task(task: Task | None, mode: str) -> Task:
    if task is None:
        return Task(mode)
    return task if task.mode == mode else dataclasses.replace(task, mode=mode)


def _lines(elements: Iterable[Any], options: Options, task: Task, path: str | None,
           collect_findings: bool = False) -> tuple[list[Any], Outcome, dict[str, int],
                                                    list[tuple[str, dict[str, Any]]]]:
    """JSONL lines (str, or ``(str, path)`` as ``read_text(include_path=True)`` gives) processed.

    Lines are numbered from 1 per path within this partition; the caller
    shifts them by the lines of the partitions before (which this one cannot
    know). Returns the new lines (same shape as the input), the outcome, the
    lines counted per path (in order of appearance) and, when
    ``collect_findings``, ``(path, finding dict)`` pairs.
    """
    linter = linter_for(options)
    outcome = Outcome()
    out: list[Any] = []
    counts: dict[str, int] = {}
    found: list[tuple[str, dict[str, Any]]] = []
    for element in elements:
        tagged = isinstance(element, tuple)
        text, where = element if tagged else (element, path or BAG_PATH)
        line = counts.get(where, 0) + 1
        counts[where] = line
        # surrogateescape: lines read with errors="surrogateescape" give back
        # their exact bytes, so an invalid line is reported and passed through
        # unchanged, as the local engine does.
        raw = text.encode("utf-8", "surrogateescape")
        before = len(outcome.findings)
        new = process_jsonl_line(linter, task, raw, line, where, outcome)
        if collect_findings:
            found.extend((where, _finding_dict(f)) for f in outcome.findings[before:])
        new_text = text if new is raw else new.decode("utf-8", "surrogateescape")
        out.append((new_text, where) if tagged else new_text)
    return out, outcome, counts, found


def _finding_dict(finding: Any) -> dict[str, Any]:
    """A record finding flattened: where it is (record, field, line in the field) and what."""
    out = finding.to_dict()
    data = dict(out.pop("data", {}))
    out["record"] = data.pop("record", None)
    out["field"] = data.pop("field", None)
    out["field_line"] = data.pop("field_line", 1)
    out["data"] = data
    return out


def _fix_lines(elements: Iterable[Any], options: Options, task: Task) -> list[Any]:
    return _lines(elements, options, task, None)[0]


def _check_lines(elements: Iterable[Any], options: Options, task: Task
                 ) -> list[tuple[dict[str, int], list[tuple[str, dict[str, Any]]]]]:
    _, _, counts, found = _lines(elements, options, task, None, collect_findings=True)
    return [(counts, found)]


def _advance(offsets: dict[str, int], part: list[tuple[dict[str, int], Any]]) -> dict[str, int]:
    """Lines per path before the next partition."""
    counts = part[0][0]
    out = dict(offsets)
    for where, n in counts.items():
        out[where] = out.get(where, 0) + n
    return out


def _placed(part: list[tuple[dict[str, int], list[tuple[str, dict[str, Any]]]]],
            offsets: dict[str, int]) -> list[dict[str, Any]]:
    """Finding dicts with true line numbers and their path."""
    out = []
    for where, finding in part[0][1]:
        finding = {"path": where, **finding}
        finding["line"] += offsets.get(where, 0)
        out.append(finding)
    return out


# -- bags ------------------------------------------------------------------------------------
def fix_bag(bag: dask.bag.Bag, options: Options | Mapping[str, Any], task: Task | None = None
            ) -> dask.bag.Bag:
    """JSONL lines fixed: each line as the local engine writes it, byte for byte.

    ``bag`` holds lines (str) as ``dask.bag.read_text(path, linedelimiter="\\n",
    errors="surrogateescape")`` gives them: ``linedelimiter="\\n"`` keeps
    ``\\r\\n`` endings (the default turns them into ``\\n``) and
    ``surrogateescape`` lets invalid UTF-8 pass through unchanged (it is an
    error with ``errors="strict"``). ``(line, path)`` pairs
    (``include_path=True``) come back as pairs. A line that cannot be
    processed is passed through; use :func:`fix_jsonl` to have such lines
    reported. ``task`` is run as a fix whatever its mode.
    """
    _require_dask()
    return bag.map_partitions(functools.partial(_fix_lines, options=as_options(options),
                                                task=_as_task(task, "fix")))


def check_bag(bag: dask.bag.Bag, options: Options | Mapping[str, Any], task: Task | None = None
              ) -> dask.bag.Bag:
    """Findings of JSONL lines (a bag as for :func:`fix_bag`), as dicts.

    Each dict is :meth:`normalize.findings.Finding.to_dict` with the record's
    ``path``, ``line`` (its line number, counted across the bag, or per path
    for ``(line, path)`` pairs: the file's line number when the bag was read
    from files), ``record`` (the id field's value), ``field`` and
    ``field_line`` (the line within the field that ``column`` counts in).
    Line numbers need the line counts of all earlier partitions, so the
    findings of a partition are placed once those are known (a count per
    partition, not its lines, is what waits).
    """
    _require_dask()
    from dask import delayed
    from dask.bag import from_delayed

    task = _as_task(task, "check")
    parts = bag.map_partitions(functools.partial(_check_lines, options=as_options(options),
                                                 task=task)).to_delayed()
    placed = []
    offsets: Any = {}
    advance = delayed(_advance)
    place = delayed(_placed)
    for part in parts:
        placed.append(place(part, offsets))
        offsets = advance(offsets, part)
    return from_delayed(placed)


# -- data frames ---------------------------------------------------------------------------
#: Columns (and dtypes) of :func:`check_dataframe`'s frame, in order.
FINDING_COLUMNS: dict[str, str] = {
    "record": "string", "field": "string", "field_line": "int64", "column": "int64",
    "start": "int64", "end": "int64", "rule": "string", "category": "string",
    "severity": "string", "text": "string", "message": "string", "replacement": "string",
    "fix": "string", "mqm": "string", "data": "string",
}


def _is_null(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or \
        type(value).__name__ == "NAType"


def _values(series: pandas.Series) -> list[Any]:
    """A column as Python values, nulls as None: what the local engine gets from Arrow."""
    import pyarrow as pa

    try:
        return pa.array(series, from_pandas=True).to_pylist()
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):  # mixed object columns
        return [None if _is_null(v) else v for v in series.tolist()]


def _frame_columns(part: pandas.DataFrame, task: Task) -> dict[str, list[Any]]:
    wanted = dict.fromkeys([*task.fields, task.id_field, task.source_field])
    return {name: _values(part[name]) for name in wanted if name is not None and name in part}


def _fix_frame_outcome(part: pandas.DataFrame, options: Options, task: Task, path: str
                       ) -> tuple[pandas.DataFrame, Outcome]:
    outcome = Outcome()
    columns = _frame_columns(part, task)
    fixed = process_columns(linter_for(options), task, columns, path, 1, outcome)
    if not outcome.changed:
        return part, outcome
    part = part.copy()
    for name in task.fields:
        before, after = columns[name], fixed[name]
        where = [i for i, (old, new) in enumerate(zip(before, after)) if old != new]
        if where:
            # Only the changed cells are set: the column keeps its dtype and
            # every untouched value (nulls included) stays as it was.
            column = part[name].copy()
            column.iloc[where] = [after[i] for i in where]
            part[name] = column
    return part, outcome


def _fix_frame(part: pandas.DataFrame, options: Options, task: Task) -> pandas.DataFrame:
    return _fix_frame_outcome(part, options, task, FRAME_PATH)[0]


def _findings_frame(rows: list[dict[str, Any]], index: list[Any], like: pandas.Index
                    ) -> pandas.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(FINDING_COLUMNS),
                         index=pd.Index(index, dtype=like.dtype, name=like.name))
    return frame.astype(FINDING_COLUMNS)


def _check_frame(part: pandas.DataFrame, options: Options, task: Task) -> pandas.DataFrame:
    outcome = Outcome()
    process_columns(linter_for(options), task, _frame_columns(part, task), FRAME_PATH, 1, outcome)
    rows, index = [], []
    for finding in outcome.findings:
        index.append(part.index[finding.line - 1])  # rows are numbered from 1 in the partition
        flat = _finding_dict(finding)
        flat["data"] = json.dumps(flat["data"], ensure_ascii=False, sort_keys=True, default=str)
        rows.append({name: flat.get(name) for name in FINDING_COLUMNS})
    return _findings_frame(rows, index, part.index)


def _check_columns(ddf: dask.dataframe.DataFrame, task: Task) -> None:
    missing = [name for name in task.fields if name not in ddf.columns]
    if missing:
        raise UsageError(f"no column {missing[0]!r} (columns: {', '.join(map(str, ddf.columns))})")


def fix_dataframe(ddf: dask.dataframe.DataFrame, options: Options | Mapping[str, Any],
                  task: Task | None = None
                  ) -> dask.dataframe.DataFrame:
    """``ddf`` with its text columns (``task.fields``) fixed; everything else untouched.

    Same columns, dtypes, index and partitions. A row that cannot be
    processed (a text cell that is not a string) is left as it was; nulls
    are skipped. ``task`` is run as a fix whatever its mode.
    """
    _require_dask()
    task = _as_task(task, "fix")
    _check_columns(ddf, task)
    return ddf.map_partitions(_fix_frame, as_options(options), task, meta=ddf._meta)


def check_dataframe(ddf: dask.dataframe.DataFrame, options: Options | Mapping[str, Any],
                    task: Task | None = None
                    ) -> dask.dataframe.DataFrame:
    """Findings of ``ddf``'s text columns: one row per finding, in row order.

    The findings frame's index is the index of the row each finding is in
    (so it joins back onto ``ddf``; divisions are kept); the columns are
    :data:`FINDING_COLUMNS`: ``record`` (the id column's value), ``field``,
    ``field_line`` and ``column`` (where in the field), the finding's span,
    rule, category, severity, text, message, replacement, fix safety, MQM
    type, and its other data as JSON text.
    """
    _require_dask()
    task = _as_task(task, "check")
    _check_columns(ddf, task)
    meta = _findings_frame([], [], ddf._meta.index)
    return ddf.map_partitions(_check_frame, as_options(options), task, meta=meta)


# -- consistency across a whole frame (the corpus pass) ---------------------------------------
def _frame_segments(part: pandas.DataFrame, options: Options, task: Task
                    ) -> tuple[int, list[Any]]:
    """A partition's segments (hashes and row numbers within it, no texts kept beyond the
    target of each row), made by the batch engine's own code."""
    from .consistency import pair_name, segment

    linter = linter_for(options)
    columns = _frame_columns(part, task)
    sources = columns.get(task.source_field) if task.source_field else None
    ids = columns.get(task.id_field) if task.id_field else None
    pair = pair_name(options.source_lang, linter.language.family)
    out = []
    for i in range(len(part)):
        source = sources[i] if sources is not None else None
        if not isinstance(source, str):
            continue
        for name in task.fields:
            value = columns[name][i]
            if isinstance(value, str):
                seg = segment(source, value, pair=pair, line=i + 1, field=name,
                              record=None if ids is None or ids[i] is None else str(ids[i]))
                if seg is not None:
                    out.append((part.index[i], seg))
    return len(part), out


def check_consistency(ddf: dask.dataframe.DataFrame, options: Options | Mapping[str, Any],
                      task: Task | None = None, client: distributed.Client | str | None = None,
                      *, limit: int | None = None) -> pandas.DataFrame:
    """``pair.inconsistent_translation`` / ``pair.inconsistent_source`` over a whole frame:
    the corpus pass of :mod:`normalize.consistency`, as ``mtnorm check`` runs it on a file.

    Partitions give their rows' segment hashes on the cluster (``client`` as for
    :func:`fix_jsonl`); they are fed to one index here in row order, so the findings are
    the same whatever the partitioning. ``task.source_field`` names the source column.
    Returns a pandas frame of :data:`FINDING_COLUMNS` indexed like the rows (as
    :func:`check_dataframe`), with ``line`` the row number (1-based) across the frame
    and the first row's number in ``data`` (``other``). Rules not selected by
    ``options`` give nothing.
    """
    _require_dask()
    from dask import delayed

    from .checker import get_linter
    from .consistency import (
        DEFAULT_LIMIT,
        SOURCE_RULE,
        TRANSLATION_RULE,
        ConsistencyIndex,
    )

    task = _as_task(task, "check")
    if task.source_field is None:
        raise UsageError("the consistency pass needs task.source_field (the source column)")
    _check_columns(ddf, task)
    options = as_options(options)
    linter = get_linter(options)
    index = ConsistencyIndex(DEFAULT_LIMIT if limit is None else limit)
    client, owns = _client_for(client)
    rows, where = [], []
    offset = 0
    try:
        part = delayed(_frame_segments)
        parts = [part(p, options, task) for p in ddf.to_delayed()]
        for size, segments in _results(client, parts):
            shifted = [(ix, dataclasses.replace(seg, line=seg.line + offset))
                       for ix, seg in segments]
            by_line = {seg.line: ix for ix, seg in shifted}
            found = index.observe(FRAME_PATH, [seg for _, seg in shifted],
                                  translation=TRANSLATION_RULE in linter.scope_of,
                                  source=SOURCE_RULE in linter.scope_of)
            for finding in found:
                finding = linter.adjust(finding)
                if finding.text in options.accept:
                    continue
                flat = _finding_dict(finding)
                flat["data"] = json.dumps(flat["data"], ensure_ascii=False, sort_keys=True,
                                          default=str)
                rows.append({name: flat.get(name) for name in FINDING_COLUMNS})
                where.append(by_line[finding.line])
            offset += size
    finally:
        index.close()
        if owns and client is not None:
            client.close()
    return _findings_frame(rows, where, ddf._meta.index)


# -- whole files: read with Dask, fixed on the cluster, written here in order ----------------
def _fix_text_part(elements: list[str], options: Options, task: Task, path: str
                   ) -> tuple[bytes, Outcome, int]:
    out, outcome, counts, _ = _lines(elements, options, task, path)
    data = "".join(out).encode("utf-8", "surrogateescape")
    return data, outcome, counts.get(path, 0)


def _fix_parquet_part(part: pandas.DataFrame, options: Options, task: Task, path: str,
                      schema: Any) -> tuple[Any, Outcome, int]:
    import pyarrow as pa

    fixed, outcome = _fix_frame_outcome(part, options, task, path)
    # The file's own schema (and metadata), so the output has the input's types.
    table = pa.Table.from_pandas(fixed, schema=schema, preserve_index=False)
    return table.replace_schema_metadata(schema.metadata), outcome, len(part)


def _client_for(client: distributed.Client | str | None
                ) -> tuple[distributed.Client | None, bool]:
    """(client, whether it is ours to close)."""
    if isinstance(client, str):
        return connect(client), True
    if client is None:
        return _default_client(), False
    return client, False


def _results(client: distributed.Client | None, parts: list[Any]) -> Iterator[Any]:
    """Each delayed part's result, in order, a bounded number computing at once."""
    if client is not None:
        limit = max(2, 2 * _threads(client))
        for _, result in _in_order(client, parts, client.compute, limit):
            yield result
        return
    import dask  # no distributed client: Dask's configured scheduler, a few parts at a time

    limit = max(2, 2 * (os.cpu_count() or 1))
    for start in range(0, len(parts), limit):
        yield from dask.compute(*parts[start:start + limit])


def _shifted(failures: list[Failure], offset: int) -> list[Failure]:
    return [dataclasses.replace(f, line=f.line + offset) if f.line is not None else f
            for f in failures]


def _run_file(parts: list[Any], sink: Any, write: Callable[[Any, Any], None], path: str,
              fmt: str, client: distributed.Client | None, owns_client: bool) -> RunSummary:
    summary = RunSummary("fix")
    file_summary = FileSummary(path, fmt)
    try:
        file_summary.bytes_in = os.path.getsize(path)
    except OSError:
        pass
    offset = 0
    try:
        for data, outcome, lines in _results(client, parts):
            write(sink, data)
            file_summary.add(outcome)
            summary.count(outcome)
            # Partitions number their lines from 1: put failures on the file's lines.
            summary.add_failures(_shifted(outcome.failures, offset))
            offset += lines
        sink.commit(file_summary.changed > 0)
    except BaseException:
        summary.interrupted = True
        sink.abort()
        raise
    finally:
        if owns_client and client is not None:
            client.close()
        summary.elapsed = time.monotonic() - summary.started
    file_summary.finish()  # in = out + failed, as in the local engine
    summary.files.append(file_summary)
    return summary


def fix_jsonl(in_path: str | os.PathLike[str], out_path: str | os.PathLike[str],
              options: Options | Mapping[str, Any],
              task: Task | None = None, client: distributed.Client | str | None = None,
              blocksize: int | str | None = JSONL_BLOCKSIZE) -> RunSummary:
    """Fix a JSONL file on a Dask cluster into ``out_path``, byte for byte as the local engine.

    The file is read with ``dask.bag.read_text`` in blocks of ``blocksize``
    (one partition each), processed on the cluster of ``client`` (a Client,
    a scheduler address, or None for the current default client, else
    Dask's configured scheduler), and written here in input order to a
    temporary file renamed over ``out_path`` at the end (on any error the
    target is left as it was). Lines that cannot be processed are passed
    through and listed in the summary's ``failures`` with their line numbers
    in the file. Returns the run's counts (``records_in``, ``records_out``,
    ``changed``, ``failure_count``, ``failures``, ...).
    """
    _require_dask()
    import dask.bag as db
    from dask import delayed

    path = os.fspath(in_path)
    if not os.path.isfile(path):
        raise UsageError(f"{path}: no such file")
    task = _as_task(task, "fix")
    options = as_options(options)
    client, owns = _client_for(client)
    try:
        # linedelimiter="\n" keeps "\r\n" endings as they are; surrogateescape
        # keeps invalid UTF-8 (reported and passed through, not an error).
        blocks = db.read_text(path, blocksize=blocksize, linedelimiter="\n", encoding="utf-8",
                              errors="surrogateescape", collection=False)
        fix = delayed(_fix_text_part)
        parts = [fix(block, options, task, path) for block in blocks]
        sink = FileSink(out_path)
    except BaseException:
        if owns and client is not None:
            client.close()
        raise
    return _run_file(parts, sink, lambda s, data: s.write(data), path, "jsonl", client, owns)


def fix_parquet(in_path: str | os.PathLike[str], out_path: str | os.PathLike[str],
                options: Options | Mapping[str, Any], task: Task | None = None,
                client: distributed.Client | str | None = None, **read_kwargs: Any
                ) -> RunSummary:
    """Fix a Parquet file on a Dask cluster into one Parquet file ``out_path``.

    Read with ``dask.dataframe.read_parquet`` (Arrow dtypes, every column
    kept as a column; ``read_kwargs`` go to it, e.g. ``split_row_groups``),
    fixed with :func:`fix_dataframe`'s code, and written here in row order,
    atomically, with the input's schema: the table equals the local
    engine's. ``client`` as for :func:`fix_jsonl`. Failed rows are listed
    with their 1-based row numbers.
    """
    _require_dask()
    import dask.dataframe as dd
    import pyarrow.parquet as pq
    from dask import delayed

    path = os.fspath(in_path)
    try:
        schema = pq.read_schema(path)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except Exception as exc:  # pyarrow raises its own types for corrupt files
        raise UsageError(f"{path}: not a readable Parquet file: {exc}") from None
    task = _as_task(task, "fix")
    options = as_options(options)
    missing = [name for name in task.fields if name not in schema.names]
    if missing:
        raise UsageError(f"{path}: no column {missing[0]!r} (columns: {', '.join(schema.names)})")
    client, owns = _client_for(client)
    try:
        ddf = dd.read_parquet(path, dtype_backend="pyarrow", index=False, **read_kwargs)
        fix = delayed(_fix_parquet_part)
        parts = [fix(part, options, task, path, schema) for part in ddf.to_delayed()]
        sink = ParquetSink(out_path)
    except BaseException:
        if owns and client is not None:
            client.close()
        raise
    return _run_file(parts, sink, lambda s, table: s.write_batch(table, {}), path, "parquet",
                     client, owns)
