"""The ``mtnorm`` command: parse arguments, hand over to a subcommand module.

Each subcommand lives in :mod:`normalize.commands` and provides ``add_parser``
and ``run``; this module only wires them up and turns errors into exit codes
(0 clean, 1 findings at or above ``--fail-on``, 2 usage or input error).
"""
from __future__ import annotations

import argparse
import importlib
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
    parser = build_parser(_command(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(argv)
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
