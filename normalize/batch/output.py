"""Where fixed records go: streamed into temporary files renamed into place.

A file being rewritten is either the old one or the new one, never half:
output goes to a temporary file beside the target, which replaces the
target only once the last record is in (and is removed on any failure or
interrupt). An ``--in-place`` run leaves files whose records did not change
untouched (not even their modification time).
"""
from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

from ..errors import OutputError


class AtomicFile:
    """A binary file written under a temporary name and renamed over ``path`` on commit."""

    def __init__(self, path: str | os.PathLike[str], make_dirs: bool = False) -> None:
        self.path = Path(path)
        directory = self.path.parent
        try:
            if make_dirs:
                directory.mkdir(parents=True, exist_ok=True)
            self._mode = stat.S_IMODE(self.path.stat().st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            self._mode = 0o666 & ~umask
        except OSError as exc:
            raise OutputError(str(path), exc.strerror or str(exc)) from None
        try:
            fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".mtnorm-tmp",
                                            dir=directory)
        except OSError as exc:
            raise OutputError(str(path), f"cannot write here: {exc.strerror or exc}") from None
        try:
            self.handle: IO[bytes] = os.fdopen(fd, "wb")
            self._gzip: Any = None
            if self.path.name.endswith(".gz"):
                import gzip

                # mtime=0: the same records give the same bytes (reproducible outputs).
                self._gzip = gzip.GzipFile(filename="", fileobj=self.handle, mode="wb", mtime=0)
        except BaseException:  # even an interrupt right here leaves no temporary file
            os.unlink(self.tmp)
            raise

    def write(self, data: bytes) -> None:
        try:
            (self._gzip or self.handle).write(data)
        except OSError as exc:
            self.abort()
            raise OutputError(str(self.path), exc.strerror or str(exc)) from None

    def commit(self) -> None:
        """Flush to disk and rename over the target."""
        try:
            if self._gzip is not None:
                self._gzip.close()
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
            os.chmod(self.tmp, self._mode)
            os.replace(self.tmp, self.path)
        except BaseException as exc:  # an interrupt half-way too: no temporary file left
            self.abort()
            if isinstance(exc, OSError):
                raise OutputError(str(self.path), exc.strerror or str(exc)) from None
            raise

    def abort(self) -> None:
        """Drop the temporary file; the target stays as it was."""
        if not self.handle.closed:
            self.handle.close()
        try:
            os.unlink(self.tmp)
        except FileNotFoundError:
            pass


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
        import pyarrow as pa
        import pyarrow.parquet as pq

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
