#!/usr/bin/env python3
"""Which rules grow faster than the text: each rule's CPU at two sizes, and the ratio.

The texts are the WMT22 English references (read in place from ``../shared/benchmarks``)
concatenated and repeated up to ``--small`` and ``--large`` MB. Each size is checked with
every rule enabled (``--lang``/``--style``), timed as ``scripts/profile_rules.py`` times it:
CPU seconds of this process per rule and per shared analysis, exclusive (an analysis is
charged to itself, not to the first rule that asks for it). A linear rule's time grows
with the text (ratio about ``large / small``); a rule well above that scans too much per
occurrence. ``--write DIR`` also writes the two texts there (e.g. ``/tmp``) for other tools.

Two effects that are not the rule's own: scans of a 20 MB text run from memory rather than
cache (a plain ``in`` over the text measures about x6.8 for x5), and a full garbage
collection over the large check's objects is charged to whichever rule allocates when it
falls due (``--no-gc`` times with the collector off, to tell the two apart).

    .venv/bin/python scripts/profile_scaling.py                    # 4 MB and 20 MB
    .venv/bin/python scripts/profile_scaling.py --small 1 --large 5 --min 0.02
    .venv/bin/python scripts/profile_scaling.py --rules garble.unbalanced rendering.inconsistent
"""
from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import profile_rules  # the timer and the instrumentation are shared

from normalize.checker import get_linter
from normalize.document import Document
from normalize.linter import Options

MB = 1_000_000


def references() -> list[Path]:
    """The WMT22 English references: beside this checkout, or beside the main checkout when
    this one is a ``git worktree`` elsewhere (whose parent has no ``shared/``)."""
    found = sorted(profile_rules.REFS.glob("*.en"))
    if not found:
        common = subprocess.run(["git", "rev-parse", "--path-format=absolute", "--git-common-dir"],
                                cwd=HERE, capture_output=True, text=True, check=False).stdout.strip()
        if common:
            inside = profile_rules.REFS.relative_to(profile_rules.REPO.parent)
            found = sorted((Path(common).parent.parent / inside).glob("*.en"))
    if not found:
        raise SystemExit(f"no references under {profile_rules.REFS}")
    return found


def build_text(megabytes: float) -> str:
    """The references, concatenated and repeated, cut at a line end near ``megabytes`` MB."""
    base = "".join(p.read_text(encoding="utf-8") for p in references())
    if not base.endswith("\n"):
        base += "\n"
    target = int(megabytes * MB)
    size = len(base.encode("utf-8"))
    text = base * max(1, -(-target // size))
    # Characters are mostly ASCII: cut by characters, then at the last line end.
    cut = text.rfind("\n", 0, min(len(text), target)) + 1
    return text[:cut] if cut > 0 else text


def time_all(text: str, options: Options, runs: int) -> dict[str, float]:
    """Median CPU seconds per label (``rule.X``, ``analysis.X``, ``shared.X``) of a check."""
    linter = get_linter(options)
    per_run: list[dict[str, float]] = []
    for _ in range(runs):
        _, per = profile_rules.measure(linter, text, "check", options)
        per_run.append(per)
    labels = {k for per in per_run for k in per}
    return {k: statistics.median(per.get(k, 0.0) for per in per_run) for k in labels}


def time_rules(text: str, options: Options, rules: list[str], runs: int) -> dict[str, float]:
    """CPU seconds of the named rules only: every rule checks once (so that the shared
    analyses exist, as in a real check), then the named ones are timed again."""
    linter = get_linter(options)
    doc = Document(text, lang=options.lang, style=options.style)
    ctx = linter.context(doc)
    active = linter._active(ctx, None)
    for rule in active:
        list(rule.check(ctx))
    out: dict[str, float] = {}
    for rule in active:
        if rule.id not in rules:
            continue
        times = []
        for _ in range(runs):
            start = time.process_time()
            list(rule.check(ctx))
            times.append(time.process_time() - start)
        out[f"rule.{rule.id}"] = statistics.median(times)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--small", type=float, default=4.0, help="MB of the small text (default 4)")
    ap.add_argument("--large", type=float, default=20.0, help="MB of the large text (default 20)")
    ap.add_argument("--lang", default="en")
    ap.add_argument("--style", default="ap")
    ap.add_argument("--runs", type=int, default=1, help="timed runs per size (median; default 1)")
    ap.add_argument("--rules", nargs="*", help="time only these rules (after one full check)")
    ap.add_argument("--min", type=float, default=0.05,
                    help="leave out labels under this many seconds at the large size (default 0.05)")
    ap.add_argument("--write", type=Path, metavar="DIR", help="also write the two texts to DIR")
    ap.add_argument("--no-gc", action="store_true",
                    help="time with the garbage collector off (a collection is charged to the "
                         "rule that happens to trigger it)")
    args = ap.parse_args()
    if args.no_gc:
        gc.disable()

    options = Options(lang=args.lang, style=args.style)
    get_linter(options).check(Document("Warm-up.\n", lang=args.lang, style=args.style))
    if not args.rules:
        profile_rules._instrument()
    sizes = (args.small, args.large)
    results: list[dict[str, float]] = []
    mbs: list[float] = []
    for megabytes in sizes:
        text = build_text(megabytes)
        mbs.append(len(text.encode("utf-8")) / MB)
        if args.write:
            (args.write / f"wmt22_refs_{megabytes:g}mb.txt").write_text(text, encoding="utf-8")
        if args.rules:
            results.append(time_rules(text, options, args.rules, args.runs))
        else:
            results.append(time_all(text, options, args.runs))
        del text
    small, large = results
    expected = mbs[1] / mbs[0]
    print(f"# {mbs[0]:.2f} MB and {mbs[1]:.2f} MB (x{expected:.2f}), lang {args.lang}, style "
          f"{args.style}, CPU seconds, median of {args.runs}{', gc off' if args.no_gc else ''} ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})")
    print(f"| rule / analysis | {mbs[0]:.1f} MB s | {mbs[1]:.1f} MB s | ratio | ratio / x{expected:.1f} |")
    print("|---|---:|---:|---:|---:|")
    rows = [(k, small.get(k, 0.0), large.get(k, 0.0)) for k in set(small) | set(large)]
    rows = [r for r in rows if r[2] >= args.min]
    rows.sort(key=lambda r: -(r[2] / r[1] if r[1] else float("inf")))
    for label, a, b in rows:
        ratio = b / a if a else float("inf")
        print(f"| {label.removeprefix('rule.')} | {a:.3f} | {b:.3f} | {ratio:.1f} | {ratio / expected:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
