"""``mtnorm gazetteer lookup NAME``: what the gazetteer knows about a place name."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..errors import UsageError
from ..gazetteer import get_gazetteer
from ..gazetteer.store import name_key
from ..styles import available_styles, load_style, style_languages


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("gazetteer", help="look up places in the gazetteer")
    gsub = parser.add_subparsers(dest="gazetteer_command", metavar="ACTION", required=True)
    lookup = gsub.add_parser("lookup", help="show the entries that have a name")
    lookup.add_argument("name", help="a place name in any language, e.g. Kiev or Киев")
    lookup.add_argument("-l", "--lang", default=None, help="only names usable in this language")
    lookup.add_argument("-f", "--format", default="text", choices=["text", "json"])
    lookup.set_defaults(run=run_lookup)


def _entry(place_id: str) -> dict[str, Any]:
    gaz = get_gazetteer()
    place = gaz.places.get(place_id)
    names = gaz.names_by_lang(place_id)
    styles: dict[str, str] = {}
    for style_name in available_styles():
        # A style written for several languages shows each: "afp" (its own
        # language) and "afp:fr" (its French section).
        for n, lang in enumerate(style_languages(style_name)):
            try:
                style = load_style(style_name, lang)
            except Exception:
                continue
            chosen = style.prefer.get(place_id) or gaz.preferred(place_id, style.lang)
            if chosen:
                styles[style_name if n == 0 else f"{style_name}:{lang}"] = chosen
    return {
        "id": place_id,
        "kind": place.kind if place else "",
        "country": place.country if place else "",
        "flags": sorted(place.flags) if place else [],
        "names": {lang: [{"name": n.text, "status": n.status, "source": n.source} for n in ns]
                  for lang, ns in sorted(names.items())},
        "preferred_by_style": styles,
        "contested": [{"lang": l, "name": n, "used_by": w} for l, n, w in gaz.contested.get(place_id, [])],
    }


def _style_lang(name: str) -> str:
    """The language a style is written for (its first, for a style of several)."""
    return (style_languages(name) or ("en",))[0]


def run_lookup(args: argparse.Namespace) -> int:
    # Names are compared by key; a query with no letters or digits ('*', '-')
    # has the empty key, which some names also reduce to: it names nothing.
    if not name_key(args.name):
        raise UsageError(f"{args.name!r} is not a place name: it has no letters or digits")
    gaz = get_gazetteer()
    places = gaz.lookup(args.name, args.lang)
    entries = [_entry(p.id) for p in places]
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
