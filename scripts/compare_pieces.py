#!/usr/bin/env python3
"""Findings of texts checked whole against the same texts checked piece by piece.

A text bigger than a piece is checked in pieces with a first pass for the
document facts (:mod:`normalize.pieces`); the findings must be the ones of the
whole text. This script concatenates the given files (blank line between them),
checks the result both ways in one process and prints, per rule, the findings
only one way gives (``-v``: some of them)::

    .venv/bin/python scripts/compare_pieces.py --size 3000 ../shared/realworld/*.txt
    .venv/bin/python scripts/compare_pieces.py --size 100000 .bench/wmt22-refs-en.txt -v

Exit status 1 when there is any difference.
"""
from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from normalize import api
from normalize.document import Document
from normalize.findings import Finding
from normalize.pieces import check_in_pieces


def key(f: Finding) -> tuple:
    return (f.rule, f.start, f.end, f.line, f.column, f.message, f.replacement, f.fix.value,
            f.severity.value)


def compare(text: str, size: int, lang: str = "en", style: str | None = "ap"
            ) -> tuple[collections.Counter, collections.Counter]:
    """(findings only the whole check gives, findings only the pieces give), as counters of keys."""
    linter = api.get_linter(api.options(lang, style))
    doc = Document(text, lang=lang, style=style)
    whole = collections.Counter(key(f) for f in linter.check(doc))
    parts = collections.Counter(key(f) for f in check_in_pieces(linter, doc, size))
    return whole - parts, parts - whole


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--size", type=int, default=3000, help="piece size in characters")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--style", default="ap")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    text = "\n\n".join(p.read_text(encoding="utf-8").strip("\n") for p in args.files) + "\n"
    only_whole, only_pieces = compare(text, args.size, args.lang, args.style)
    print(f"{len(text):,} characters in pieces of {args.size:,}: "
          f"{sum(only_whole.values())} findings only whole, {sum(only_pieces.values())} only in pieces")
    for label, diff in (("only whole", only_whole), ("only pieces", only_pieces)):
        by_rule = collections.Counter(k[0] for k in diff.elements())
        for rule, n in sorted(by_rule.items()):
            print(f"  {label}: {rule} {n}")
        if args.verbose:
            for k in list(diff.elements())[:8]:
                print(f"    {k}")
    return 1 if only_whole or only_pieces else 0


if __name__ == "__main__":
    sys.exit(main())
