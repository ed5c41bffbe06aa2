"""The ``mtnorm`` command: parse arguments, hand over to a subcommand module.

Each subcommand lives in :mod:`normalize.commands` and provides ``add_parser``
and ``run``; this module only wires them up and turns errors into exit codes
(0 clean, 1 findings at or above ``--fail-on``, 2 usage or input error).
"""
from __future__ import annotations

import argparse
import gc
import importlib
import os
import stat
import sys
from collections.abc import Sequence

from . import __version__
from .batch.engine import Terminated, sigterm_as_interrupt
from .errors import MtnormError

#: Subcommand name -> module in normalize.commands.
COMMANDS = {"check": "check", "fix": "fix", "gazetteer": "gazetteer", "rules": "rules", "score": "score",
            "serve": "serve",
            "retranslate": "retranslate",
            "models": "models"}

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

#: Allocations between two collections of the youngest generation while ``check`` or
#: ``fix`` starts (Python's default: 700; mypy raises it too). Most of what start-up
#: allocates stays (modules, classes, rule data), and collecting every 700 allocations
#: scanned it again and again: ~4% of a one-article check. Kept for the whole run
#: only when the inputs are files small enough to be checked whole: a text read in
#: pieces makes cyclic garbage (a piece's context and analyses) that would wait longer
#: (5 MB: peak memory 185 -> 243 MB), so other runs go back to the default.
GC_YOUNG_THRESHOLD = 50_000


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # type: ignore[name-defined]  # noqa: F821
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser: every subcommand, or with ``only`` just that one (a
    subcommand's module imports what it runs, ~50-110 ms, so a run pays for its own)."""
    parser = _Parser(prog="mtnorm", description="Find and fix machine-translation artefacts in news copy.")
    parser.add_argument("--version", action="version", version=f"mtnorm {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, module_name in COMMANDS.items():
        if only is None or name == only:
            module = importlib.import_module(f"normalize.commands.{module_name}")
            module.add_parser(sub)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names, when its first argument is one (else None: the whole
    parser is built, for ``--help``, ``--version`` and argparse's own errors)."""
    return argv[0] if argv and argv[0] in COMMANDS else None


def main(argv: Sequence[str] | None = None) -> int:
    command = _command(sys.argv[1:] if argv is None else argv)
    if command not in ("check", "fix"):
        return _main(argv, command)
    threshold = gc.get_threshold()
    gc.set_threshold(max(GC_YOUNG_THRESHOLD, threshold[0]), *threshold[1:])
    try:
        return _main(argv, command, threshold)
    finally:  # as it was, for a caller that runs more than the command (tests)
        gc.set_threshold(*threshold)


def _small_files(paths: Sequence[str]) -> bool:
    """Whether ``paths`` are regular files that are checked whole (no standard input,
    folder, compressed file or text read in pieces)."""
    from .batch.formats import TEXT_DOCUMENT_BYTES

    total = 0
    for path in paths:
        if path.endswith(".gz"):  # its text may be any size
            return False
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            return False
        if not stat.S_ISREG(st.st_mode):
            return False
        total += st.st_size
    return bool(paths) and total <= TEXT_DOCUMENT_BYTES


def _main(argv: Sequence[str] | None, command: str | None,
          gc_threshold: tuple[int, int, int] | None = None) -> int:
    parser = build_parser(command)
    args = parser.parse_args(argv)
    if gc_threshold is not None and not _small_files(getattr(args, "files", None) or []):
        gc.set_threshold(*gc_threshold)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        with sigterm_as_interrupt():  # SIGTERM cleans up like Ctrl-C (no orphans, no temp files)
            return int(args.run(args))
    except MtnormError as exc:
        print(f"mtnorm: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except Terminated:
        print("mtnorm: terminated", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("mtnorm: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (| head): not an error of ours.
        sys.stderr.close()
        return EXIT_OK
