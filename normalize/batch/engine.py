"""Run chunks in worker processes and hand back results in input order.

At most ``2 x jobs`` chunks are in flight, so memory stays bounded however
large the input: reading waits for workers, and results are consumed in the
order the chunks were cut (which is what makes ``--jobs 4`` output equal the
serial output byte for byte).

Workers never outlive the run: they die with the main process however it
ends (``kill -9`` included: a parent-death signal on Linux, and everywhere
a thread watching the pipe to the parent), the main process kills them at
once when interrupted, and SIGTERM unwinds like Ctrl-C
(:func:`sigterm_as_interrupt`). With no worker left holding it, the
multiprocessing resource tracker sees its pipe close and exits too.
"""
from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

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


#: ``prctl`` option asking the kernel to signal this process when its parent dies.
PR_SET_PDEATHSIG = 1


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: unwinds exactly like Ctrl-C (outputs aborted, workers killed)."""


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """While inside, SIGTERM raises :class:`Terminated` in the main thread.

    A no-op outside the main thread (only it may set signal handlers); the
    previous handler is put back on the way out.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: Any) -> None:
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _worker_init(parent: int) -> None:
    # Ctrl-C goes to the whole process group; the main process decides what
    # to do (abort outputs), so workers must not die half-way on their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)


def die_with_parent(parent: int) -> None:
    """End this (worker) process as soon as process ``parent`` ends, however it ends.

    On Linux the kernel sends SIGKILL on the parent's death (``prctl``), which
    works even while this process is busy in C code. Everywhere, a daemon
    thread waits on the pipe multiprocessing keeps to the parent (it reads
    end-of-file when the parent is gone) and exits the process.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no libc prctl: the watcher below still works
            pass
    if os.getppid() != parent:  # died before prctl took effect: no signal would come
        os._exit(1)
    import multiprocessing

    parent_process = multiprocessing.parent_process()
    if parent_process is not None:
        threading.Thread(target=_exit_when_gone, args=(parent_process,), daemon=True,
                         name="mtnorm-parent-watch").start()


def _exit_when_gone(parent_process: Any) -> None:
    parent_process.join()  # returns when the pipe to the parent reads end-of-file
    os._exit(1)


class OrderedPool(Generic[T, R]):
    """``map`` over an iterator with bounded look-ahead, results in order.

    ``jobs <= 1`` runs everything in this process (no pickling, no start-up).
    Items for which ``skip(item)`` is true are not sent to a worker; they
    come back in their place with result ``None``.
    """

    def __init__(self, fn: Callable[[T], R], jobs: int) -> None:
        self.fn = fn
        self.jobs = max(1, jobs)
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> OrderedPool[T, R]:
        if self.jobs > 1:
            # Imported here: a one-article check should not pay for them at start-up.
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # spawn, not fork: workers must not inherit open files, threads
            # (progress bar) or SQLite handles of the main process.
            self._executor = ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_init, initargs=(os.getpid(),))
        return self

    def __exit__(self, *exc: object) -> None:
        executor = self._executor
        if executor is None:
            return
        if exc[0] is None:
            executor.shutdown(wait=True)
            return
        # Interrupted or failed: chunks still running are of no use, and
        # workers left to finish them would keep the run alive after its end.
        workers = list((getattr(executor, "_processes", None) or {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for process in workers:
            with contextlib.suppress(Exception):  # already gone
                process.kill()
        for process in workers:
            with contextlib.suppress(Exception):
                process.join(5)

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
             pending: deque[tuple[T, Any]] | None = None) -> Iterator[tuple[T, Any]]:
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


def _pop(pending: deque[tuple[T, Any]]) -> tuple[T, Any]:
    item, future = pending.popleft()
    return item, (None if future is None else future.result())
