"""``mtnorm rules``: list the rules with their category, severity and fix safety."""
from __future__ import annotations

import argparse
import json
import sys

from ..registry import all_rules


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("rules", help="list the rules")
    parser.add_argument("-f", "--format", default="text", choices=["text", "json"])
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    rows = [{"id": r.id, "category": r.category.value, "severity": str(r.severity),
             "fix": r.fix.value, "mqm": r.mqm, "languages": sorted(r.languages) if r.languages else "all",
             "description": r.description} for r in all_rules()]
    if args.format == "json":
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    for row in rows:
        print(f"{row['id']:28} {row['category']:12} {row['severity']:8} {row['fix']:7} {row['description']}")
    return 0
