"""A progress bar on a terminal (files, records, MB/s, ETA); nothing otherwise."""
from __future__ import annotations

import sys
from typing import Any


class Progress:
    """Counts bytes (the bar's unit, so tqdm shows MB/s and an ETA), records and files.

    Shown only when standard error is a terminal and ``quiet`` is false, so
    logs and CI output never fill with carriage returns.
    """

    def __init__(self, total_bytes: int, files: int, *, quiet: bool = False) -> None:
        self.files = files
        self.files_done = 0
        self.records = 0
        self._bar: Any = None
        if quiet or not sys.stderr.isatty():
            return
        try:
            from tqdm import tqdm
        except ImportError:  # tqdm is a core dependency, but a bar is not worth failing over
            return
        self._bar = tqdm(total=total_bytes or None, unit="B", unit_scale=True, unit_divisor=1000,
                         file=sys.stderr, dynamic_ncols=True, leave=False, desc="mtnorm")

    @property
    def shown(self) -> bool:
        return self._bar is not None

    def advance(self, nbytes: int, records: int, file_done: bool) -> None:
        self.records += records
        self.files_done += file_done
        if self._bar is not None:
            self._bar.set_postfix_str(f"files {self.files_done}/{self.files}, "
                                      f"records {self.records:,}", refresh=False)
            self._bar.update(nbytes)

    def write(self, line: str) -> None:
        """Print a line to stderr without breaking the bar."""
        if self._bar is not None:
            self._bar.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr)

    def close(self) -> None:
        if self._bar is not None:
            # tqdm redraws at most every 0.1 s: show the final counts once
            # before the bar goes, however short the run was.
            self._bar.refresh()
            self._bar.close()
            self._bar = None
