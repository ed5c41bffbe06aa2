"""``mtnorm models list`` and ``mtnorm models fetch NAME``: the translation model registry
and the local model store.

``list`` only looks at directories. ``fetch`` is the one command in mtnorm that
downloads anything, and only the model it is asked for.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("models", help="list translation models, or fetch one",
                            description="The translation models of models/registry.yaml and "
                                        "which of them are on this machine.")
    msub = parser.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    show = msub.add_parser("list", help="the registry and where each model is found locally")
    show.add_argument("-f", "--format", default="text", choices=["text", "json"])
    show.set_defaults(run=run_list)
    fetch = msub.add_parser(
        "fetch", help="download a model into the local store (needs network access)",
        description="Download a registered model from the Hugging Face hub into the local "
                    "store ($MTNORM_MODELS_DIR, else models/store), so that retranslate finds "
                    "it offline. Needs huggingface_hub (part of the neural extra).")
    fetch.add_argument("name", metavar="NAME",
                       help="registry name (e.g. opus-mt-fr-en) or repository id")
    fetch.add_argument("--force", action="store_true",
                       help="download again even if the store has the model")
    fetch.add_argument("--revision", default=None, help="a branch, tag or commit of the repository")
    fetch.add_argument("--endpoint", default=None, metavar="URL",
                       help="hub address (default: $HF_ENDPOINT, else huggingface.co)")
    fetch.set_defaults(run=run_fetch)


def _rows() -> list[dict[str, Any]]:
    from ..translation.registry import load_registry
    from ..translation.store import find_local

    rows = []
    for entry in load_registry().entries:
        local = find_local(entry)
        rows.append({
            "name": entry.name, "repo": entry.repo, "family": entry.family,
            "pairs": [f"{s}-{t}" for s, t in entry.pairs],
            "languages": sorted(entry.codes) if entry.multilingual else [],
            "size": entry.size, "license": entry.license,
            "present": local is not None,
            "origin": local.origin if local else None,
            "path": str(local.path) if local else None,
        })
    return rows


def run_list(args: argparse.Namespace) -> int:
    from ..translation.store import hf_cache_dir, store_dir

    rows = _rows()
    if args.format == "json":
        json.dump({"store": str(store_dir()), "hf_cache": str(hf_cache_dir()), "models": rows},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    out = sys.stdout
    out.write(f"local store:        {store_dir()}\n")
    out.write(f"Hugging Face cache: {hf_cache_dir()}\n\n")
    table = [["NAME", "COVERS", "FAMILY", "SIZE", "LOCAL COPY"]]
    for row in rows:
        covers = ", ".join(row["pairs"]) or f"{len(row['languages'])} languages"
        where = {"store": "store", "hf-cache": "HF cache"}.get(row["origin"] or "", "-")
        if row["path"]:
            where += f" ({row['path']})"
        table.append([row["name"], covers, row["family"], row["size"], where])
    widths = [max(len(r[i]) for r in table) for i in range(4)]
    for r in table:
        out.write("  ".join(c.ljust(w) for c, w in zip(r[:4], widths)) + "  " + r[4] + "\n")
    present = sum(1 for r in rows if r["present"])
    out.write(f"\n{present} of {len(rows)} models on this machine; "
              "'mtnorm models fetch NAME' downloads one (network needed)\n")
    return 0


def run_fetch(args: argparse.Namespace) -> int:
    from ..translation.registry import entry_named
    from ..translation.store import fetch, is_model_dir, store_dir

    entry = entry_named(args.name)
    existing = store_dir() / entry.name
    if is_model_dir(existing) and not args.force:
        print(f"{entry.name} is already in the store: {existing} (--force downloads it again)")
        return 0
    def announce(target) -> None:
        print(f"mtnorm: downloading {entry.repo} ({entry.size or 'size unknown'}) into {target}",
              file=sys.stderr)

    path = fetch(entry, force=args.force, revision=args.revision, endpoint=args.endpoint,
                 announce=announce)
    print(f"{entry.name}: {path}")
    return 0
