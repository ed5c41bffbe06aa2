"""``mtnorm gazetteer lookup NAME``: what the gazetteer knows about a place name."""
from __future__ import annotations

import argparse
import json
import sys

from ..errors import UsageError
from ..gazetteer import get_gazetteer
from ..gazetteer.store import name_key
from ..places import place_entry


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("gazetteer", help="look up places in the gazetteer")
    gsub = parser.add_subparsers(dest="gazetteer_command", metavar="ACTION", required=True)
    lookup = gsub.add_parser("lookup", help="show the entries that have a name")
    lookup.add_argument("name", help="a place name in any language, e.g. Kiev or Киев")
    lookup.add_argument("-l", "--lang", default=None, help="only names usable in this language")
    lookup.add_argument("-f", "--format", default="text", choices=["text", "json"])
    lookup.set_defaults(run=run_lookup)


def run_lookup(args: argparse.Namespace) -> int:
    # Names are compared by key; a query with no letters or digits ('*', '-')
    # has the empty key, which some names also reduce to: it names nothing.
    if not name_key(args.name):
        raise UsageError(f"{args.name!r} is not a place name: it has no letters or digits")
    gaz = get_gazetteer()
    places = gaz.lookup(args.name, args.lang)
    entries = [place_entry(p.id) for p in places]
    if args.format == "json":
        json.dump({"query": args.name, "entries": entries}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0 if entries else 1
    if not entries:
        print(f"no place is called {args.name!r}" + (f" in {args.lang}" if args.lang else ""))
        return 1
    main_langs = ("en", "fr", "de", "es", "ru", "it", "und")
    for e in entries:
        print(f"{e['id']}  ({e['kind'] or '?'}{', ' + e['country'] if e['country'] else ''})"
              + (f"  [{', '.join(e['flags'])}]" if e["flags"] else ""))
        for lang in [l for l in main_langs if l in e["names"]] + \
                    [l for l in e["names"] if l not in main_langs][:0]:
            shown = ", ".join(f"{n['name']} ({n['status']})" for n in e["names"][lang][:12])
            more = len(e["names"][lang]) - 12
            print(f"  {lang:4} {shown}" + (f", … {more} more" if more > 0 else ""))
        others = len([l for l in e["names"] if l not in main_langs])
        if others:
            print(f"  + names in {others} other languages (--format json shows all)")
        for c in e["contested"]:
            print(f"  contested ({c['lang']}): {c['name']}" + (f" used by {c['used_by']}" if c["used_by"] else ""))
        if e["preferred_by_style"]:
            print("  styles: " + ", ".join(f"{s}: {n}" for s, n in e["preferred_by_style"].items()))
    return 0
