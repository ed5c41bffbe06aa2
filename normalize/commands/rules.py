"""``mtnorm rules``: list the rules, or explain one (``mtnorm rules RULE``)."""
from __future__ import annotations

import argparse
import json
import sys

from ..registry import rule_table


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "rules", help="list the rules, or explain one",
        description="Without RULE: every rule with its category, severity and fix safety. "
                    "With RULE: what it finds and why, its category, severity, MQM type, fix "
                    "safety, scope, languages, data files, options and examples.")
    parser.add_argument("rule", nargs="?", default=None, metavar="RULE",
                        help="a rule id (typography.double_space) to explain")
    parser.add_argument("-f", "--format", default="text", choices=["text", "json"])
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.rule is not None:
        from ..rule_docs import explain, render_text

        info = explain(args.rule)   # an unknown id is a UsageError naming close ids (exit 2)
        if args.format == "json":
            json.dump(info, sys.stdout, indent=2, ensure_ascii=False)
            sys.stdout.write("\n")
        else:
            sys.stdout.write(render_text(info))
        return 0
    rows = rule_table()
    if args.format == "json":
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    for row in rows:
        fixes = "/".join(row["fixes"])   # "safe/unsafe": the rule decides per finding
        print(f"{row['id']:28} {row['category']:12} {row['severity']:8} {fixes:11} {row['description']}")
    return 0
