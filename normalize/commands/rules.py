"""``mtnorm rules``: list the rules with their category, severity and fix safety."""
from __future__ import annotations

import argparse
import json
import sys

from ..registry import rule_table


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("rules", help="list the rules")
    parser.add_argument("-f", "--format", default="text", choices=["text", "json"])
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    rows = rule_table()
    if args.format == "json":
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    for row in rows:
        fixes = "/".join(row["fixes"])   # "safe/unsafe": the rule decides per finding
        print(f"{row['id']:28} {row['category']:12} {row['severity']:8} {fixes:11} {row['description']}")
    return 0
