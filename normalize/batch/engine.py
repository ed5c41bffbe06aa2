"""Run chunks in worker processes and hand back results in input order.

At most ``2 x jobs`` chunks are in flight, so memory stays bounded however
large the input: reading waits for workers, and results are consumed in the
order the chunks were cut (which is what makes ``--jobs 4`` output equal the
serial output byte for byte).
"""
from __future__ import annotations

import os
import signal
from collections import deque
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")


def available_cores() -> int:
    """CPUs this process may run on (the default for ``--jobs``)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _worker_init() -> None:
    # Ctrl-C goes to the whole process group; the main process decides what
    # to do (abort outputs), so workers must not die half-way on their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class OrderedPool:
    """``map`` over an iterator with bounded look-ahead, results in order.

    ``jobs <= 1`` runs everything in this process (no pickling, no start-up).
    Items for which ``skip(item)`` is true are not sent to a worker; they
    come back in their place with result ``None``.
    """

    def __init__(self, fn: Callable[[T], R], jobs: int) -> None:
        self.fn = fn
        self.jobs = max(1, jobs)
        self._executor: "ProcessPoolExecutor | None" = None

    def __enter__(self) -> "OrderedPool":
        if self.jobs > 1:
            # Imported here: a one-article check should not pay for them at start-up.
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # spawn, not fork: workers must not inherit open files, threads
            # (progress bar) or SQLite handles of the main process.
            self._executor = ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_init)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=exc[0] is None, cancel_futures=True)

    def map(self, items: Iterable[T], skip: Callable[[T], bool] = lambda item: False
            ) -> Iterator[tuple[T, R | None]]:
        if self._executor is None:
            for item in items:
                yield item, (None if skip(item) else self.fn(item))
            return
        executor = self._executor
        yield from in_order(items, lambda item: executor.submit(self.fn, item), 2 * self.jobs, skip)


def in_order(items: Iterable[T], submit: Callable[[T], Any], limit: int,
             skip: Callable[[T], bool] = lambda item: False,
             pending: "deque[tuple[T, Any]] | None" = None) -> Iterator[tuple[T, Any]]:
    """``(item, result)`` in input order, at most ``limit`` submitted and not yet taken.

    ``submit(item)`` returns a future (anything with ``result()``: local or
    Dask). Skipped items are not submitted and come back, in their place,
    with ``None``. ``pending`` lets a caller see (and cancel) what is in flight.
    """
    if pending is None:
        pending = deque()
    for item in items:
        pending.append((item, None if skip(item) else submit(item)))
        # Skipped items at the head need no waiting: hand them on at once.
        while len(pending) > limit or (pending and pending[0][1] is None):
            yield _pop(pending)
    while pending:
        yield _pop(pending)


def _pop(pending: "deque[tuple[T, Any]]") -> tuple[T, Any]:
    item, future = pending.popleft()
    return item, (None if future is None else future.result())
