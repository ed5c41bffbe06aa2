"""Where fixed records go: streamed into temporary files renamed into place.

A file being rewritten is either the old one or the new one, never half:
output goes to a temporary file beside the target, which replaces the
target only once the last record is in (and is removed on any failure or
interrupt). An ``--in-place`` run leaves files whose records did not change
untouched (not even their modification time). Links are respected: see
:class:`AtomicFile`.
"""
from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..document import special_kind
from ..errors import OutputError

#: Where Linux shows a process's open files; linking one of them gives an
#: unnamed (``O_TMPFILE``) file its name.
_PROC_FD = "/proc/self/fd"


class AtomicFile:
    """A binary file written beside ``path`` and put in its place on :meth:`commit`.

    - The file being written has no name until it is complete (``O_TMPFILE``
      on Linux), so even ``kill -9`` leaves nothing behind; at commit it is
      linked under a hidden temporary name and renamed over the target.
      Where ``O_TMPFILE`` is not supported a hidden named temporary file is
      used instead (removed on any error or interrupt, not on ``kill -9``).
    - A symbolic link is written through: the file it points to is replaced
      (atomically, as above) and the link stays a link.
    - The target's permission bits (and, where allowed, owner) are kept.
    - A target with other hard links is rewritten in place, so that every
      name sees the new content. This is *not* atomic: the new content is
      complete and flushed before the target is touched, and Ctrl-C or
      SIGTERM wait until the copy is over, but a ``kill -9`` or a crash
      during the copy leaves the file part new, part old.
    - A target that exists and is not a regular file (FIFO, device, socket,
      directory) is refused with :class:`OutputError`.

    ``compress`` gzips what is written (default: when the name ends in ``.gz``).
    """

    def __init__(self, path: str | os.PathLike[str], make_dirs: bool = False,
                 compress: bool | None = None) -> None:
        self.path = Path(path)
        #: The file actually replaced: ``path`` with symbolic links resolved.
        self.target = Path(os.path.realpath(path))
        self.tmp: str | None = None
        directory = self.target.parent
        try:
            if make_dirs:
                directory.mkdir(parents=True, exist_ok=True)
            self._stat: os.stat_result | None = os.stat(self.target)
        except FileNotFoundError:
            self._stat = None
        except OSError as exc:
            raise OutputError(str(path), exc.strerror or str(exc)) from None
        if self._stat is not None and not stat.S_ISREG(self._stat.st_mode):
            raise OutputError(str(path), f"is {_kind(self._stat.st_mode)}, not a regular file: "
                                         "it cannot be replaced (write to a regular file)")
        if self._stat is not None:
            self._mode = stat.S_IMODE(self._stat.st_mode)
        else:
            # A new file gets the usual permissions (0666 less the umask), not mkstemp's 0600.
            umask = os.umask(0)
            os.umask(umask)
            self._mode = 0o666 & ~umask
        fd = _open_unnamed(directory)
        if fd is None:
            import tempfile  # only where the kernel cannot make an unnamed file (~1 ms to import)

            try:
                fd, self.tmp = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".mtnorm-tmp",
                                                dir=directory)
            except OSError as exc:
                raise OutputError(str(path), f"cannot write here: {exc.strerror or exc}") from None
        try:
            self.handle: IO[bytes] = os.fdopen(fd, "w+b")
            self._gzip: Any = None
            if compress or compress is None and self.path.name.endswith(".gz"):
                import gzip

                # mtime=0: the same records give the same bytes (reproducible outputs).
                self._gzip = gzip.GzipFile(filename="", fileobj=self.handle, mode="wb", mtime=0)
        except BaseException:  # even an interrupt right here leaves no temporary file
            self.abort()
            raise

    def write(self, data: bytes) -> None:
        try:
            (self._gzip or self.handle).write(data)
        except OSError as exc:
            self.abort()
            raise OutputError(str(self.path), exc.strerror or str(exc)) from None

    def commit(self) -> None:
        """Flush to disk and put the new content in place (see the class docstring)."""
        try:
            if self._gzip is not None:
                self._gzip.close()
            self.handle.flush()
            fd = self.handle.fileno()
            os.fsync(fd)
            try:
                current: os.stat_result | None = os.stat(self.target)
            except FileNotFoundError:
                current = None
            if current is not None and current.st_nlink > 1 and stat.S_ISREG(current.st_mode):
                with _signals_deferred():
                    _copy_into(fd, self.target)
                self.abort()  # the staged copy has done its job
                return
            os.chmod(fd, self._mode)
            if self._stat is not None and (self._stat.st_uid, self._stat.st_gid) != (
                    os.fstat(fd).st_uid, os.fstat(fd).st_gid):
                with contextlib.suppress(OSError):  # only root may give files away
                    os.chown(fd, self._stat.st_uid, self._stat.st_gid)
            if self.tmp is None:
                self.tmp = _link_unnamed(fd, self.target)
            self.handle.close()
            os.replace(self.tmp, self.target)
            self.tmp = None
        except BaseException as exc:  # an interrupt half-way too: no temporary file left
            self.abort()
            if isinstance(exc, OSError):
                raise OutputError(str(self.path), exc.strerror or str(exc)) from None
            raise

    def abort(self) -> None:
        """Drop the temporary file; the target stays as it was."""
        handle = getattr(self, "handle", None)
        if handle is not None and not handle.closed:
            handle.close()
        if self.tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.tmp)
            self.tmp = None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    return special_kind(mode) or "a special file"


def _open_unnamed(directory: Path) -> int | None:
    """An unnamed file in ``directory`` (``O_TMPFILE``), or None where that is unsupported."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not os.path.isdir(_PROC_FD):
        return None
    try:
        return os.open(directory, flag | os.O_RDWR | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError:
        # Filesystems without O_TMPFILE answer EOPNOTSUPP (older kernels EISDIR);
        # anything else (no such directory, permission) the named fallback reports.
        return None


def _link_unnamed(fd: int, target: Path) -> str:
    """Give the unnamed file ``fd`` a hidden temporary name beside ``target``; return it.

    Where linking fails (``/proc`` not as expected), its content is copied
    into a named temporary file instead.
    """
    directory = os.open(target.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        for _ in range(100):
            name = f".{target.name}.{os.urandom(4).hex()}.mtnorm-tmp"
            try:
                # dst_dir_fd makes Python call linkat(AT_SYMLINK_FOLLOW): plain link()
                # would try to link the /proc symlink itself (EXDEV).
                os.link(f"{_PROC_FD}/{fd}", name, dst_dir_fd=directory, follow_symlinks=True)
                return str(target.parent / name)
            except FileExistsError:
                continue
            except OSError:
                break
    finally:
        os.close(directory)
    import tempfile

    copy_fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".mtnorm-tmp", dir=target.parent)
    try:
        os.fchmod(copy_fd, os.fstat(fd).st_mode)
        _copy_fd(fd, copy_fd)
    except BaseException:
        os.close(copy_fd)
        os.unlink(tmp)
        raise
    os.close(copy_fd)
    return tmp


def _copy_into(fd: int, target: Path) -> None:
    """Overwrite ``target``'s content with all of ``fd``'s, keeping its inode (hard links)."""
    out = os.open(target, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        _copy_fd(fd, out)
    finally:
        os.close(out)


def _copy_fd(src: int, dst: int) -> None:
    """Make ``dst``'s content ``src``'s, flushed to disk (``dst`` is never empty half-way)."""
    offset = 0
    while True:
        block = os.pread(src, 1 << 20, offset)
        if not block:
            break
        view = memoryview(block)
        while view:
            written = os.pwrite(dst, view, offset)
            view = view[written:]
            offset += written
    os.ftruncate(dst, offset)
    os.fsync(dst)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block is done, then deliver them."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    wanted = [signal.SIGINT] + ([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])
    previous = {sig: signal.signal(sig, lambda signum, frame: caught.append(signum)) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for signum in caught:
            signal.raise_signal(signum)


class Sink:
    """Receives one input file's output chunk by chunk, in order."""

    def write(self, data: Any) -> None:
        """Take the next chunk's output."""

    def commit(self, changed: bool) -> None:
        """The file is complete; ``changed`` says whether any record changed."""

    def abort(self) -> None:
        """The file failed or the run stopped: leave the target as it was."""


class NullSink(Sink):
    """Output nobody asked for (``check``, ``fix --diff``)."""


class StdoutSink(Sink):
    """Streams to standard output (one input, no ``-o``)."""

    def write(self, data: Any) -> None:
        sys.stdout.buffer.write(data)

    def commit(self, changed: bool) -> None:
        sys.stdout.buffer.flush()


class FileSink(Sink):
    """Writes to ``target`` atomically; with ``only_if_changed`` an unchanged file is not touched."""

    def __init__(self, target: str | os.PathLike[str], only_if_changed: bool = False,
                 make_dirs: bool = False) -> None:
        self.target = target
        self.only_if_changed = only_if_changed
        self.make_dirs = make_dirs
        self.file: AtomicFile | None = None

    def _open(self) -> AtomicFile:
        if self.file is None:
            self.file = AtomicFile(self.target, self.make_dirs)
        return self.file

    def write(self, data: Any) -> None:
        self._open().write(data)

    def commit(self, changed: bool) -> None:
        file = self._open()
        if self.only_if_changed and not changed:
            file.abort()
        else:
            file.commit()

    def abort(self) -> None:
        if self.file is not None:
            self.file.abort()


class ParquetSink(FileSink):
    """Writes Parquet: each chunk's fixed columns put back into its batch, streamed."""

    def __init__(self, target: str | os.PathLike[str], only_if_changed: bool = False,
                 make_dirs: bool = False) -> None:
        super().__init__(target, only_if_changed, make_dirs)
        self.writer: Any = None

    def write_batch(self, batch: Any, columns: dict[str, list[Any]]) -> None:
        from .arrow import parquet

        pq = parquet()   # first: the allocator is chosen when pyarrow is imported
        import pyarrow as pa

        if isinstance(batch, pa.Table):
            batch = batch.combine_chunks()
            table = batch
        else:
            arrays = list(batch.columns)
            names = batch.schema.names
            for name, values in columns.items():
                i = names.index(name)
                arrays[i] = pa.array(values, type=batch.schema.field(i).type)
            table = pa.Table.from_batches([pa.RecordBatch.from_arrays(arrays, schema=batch.schema)])
        if self.writer is None:
            self.writer = pq.ParquetWriter(self._open().handle, table.schema)
        self.writer.write_table(table)

    def commit(self, changed: bool) -> None:
        if self.writer is not None:
            self.writer.close()
        super().commit(changed)

    def abort(self) -> None:
        if self.writer is not None:
            try:
                self.writer.close()
            except Exception:  # the file is being thrown away anyway
                pass
        super().abort()
