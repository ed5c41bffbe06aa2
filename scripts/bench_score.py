#!/usr/bin/env python3
"""``mtnorm score`` against published figures and against sacrebleu's command line.

Three parts, each runnable alone:

* **reproduce**: every WMT22 zh-en and de-en system output in
  ``../shared/benchmarks/wmt22_general`` is scored with ``mtnorm score``
  (the real command, as a subprocess, JSON output) and compared with
  ``automatic-scores.tsv``: ``bleu-A`` and ``chrf-A`` against reference A,
  ``bleu-all`` against references A and B together (sacrebleu defaults:
  13a tokenizer, exp smoothing, chrF2). Equal means the same float repr, or
  within 1e-9. ``chrf-all`` is shown as well, for information only.
* **timing**: ``mtnorm score`` against ``sacrebleu`` on the same files, in the
  same run, alternating the two, best of ``--repeat`` (wall and CPU time of
  the child process). Goal: mtnorm within 1.2x of sacrebleu.
* **significance**: the 16 WMT17 en-de systems of
  ``../shared/benchmarks/sacrebleu_wmt17_ende`` with ``--paired-bs`` and
  ``--paired-ar`` (BLEU and chrF; full sacrebleu defaults: 1000 resamples,
  10000 trials, seed 12345). sacrebleu's p-values are taken at full precision
  from its own ``main()``, run with only the final table printer replaced
  (its ``-f json`` printer fails on numpy floats in paired mode), and, for the
  bootstrap test, also from its unmodified text table (4 decimals).

Usage::

    .venv/bin/python scripts/bench_score.py                      # everything (~15-25 min on 2 cores)
    .venv/bin/python scripts/bench_score.py --only reproduce
    .venv/bin/python scripts/bench_score.py --only timing --repeat 3
    .venv/bin/python scripts/bench_score.py --only significance --paired-ar-n 2000

Exit status 1 if a published figure or a p-value is not reproduced.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "benchmarks"
WMT22 = SHARED / "wmt22_general"
WMT17 = SHARED / "sacrebleu_wmt17_ende"
PAIRS = ("de-en", "zh-en")
REQUIRED = ("bleu-A", "chrf-A", "bleu-all")
#: The baseline of the WMT17 paired tests: a mid-table system, so that several
#: others are close to it and their p-values are not all at the floor.
WMT17_BASELINE = "LIUM-NMT.4900"
GOAL_RATIO = 1.2

#: sacrebleu's own main(), with the results table printer swapped for a raw dump.
SACREBLEU_RAW = str(Path(__file__).with_name("sacrebleu_raw.py"))


def tool(name: str) -> list[str]:
    """The console script ``name`` next to this Python (the venv's), else ``python -m``."""
    script = Path(sys.executable).with_name(name)
    if script.exists():
        return [str(script)]
    found = shutil.which(name)
    if found:
        return [found]
    return [sys.executable, "-m", "normalize" if name == "mtnorm" else name]


def need(path: Path) -> None:
    if not path.exists():
        sys.exit(f"bench_score: {path} is missing: this benchmark reads ../shared/benchmarks")


def run_json(cmd: Sequence[str], env: dict[str, str] | None = None) -> Any:
    proc = subprocess.run(list(cmd), capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        sys.exit(f"bench_score: {' '.join(cmd[:4])} ... failed ({proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout)


# -- (a) the published WMT22 figures ------------------------------------------------------------

def wmt22_files(pair: str) -> tuple[Path, Path, list[tuple[str, Path]]]:
    refs = WMT22 / "txt" / "references"
    outputs = sorted((WMT22 / "txt" / "system-outputs").glob(f"generaltest2022.{pair}.hyp.*.en.gz"))
    systems = [(p.name.split(".hyp.", 1)[1][: -len(".en.gz")], p) for p in outputs]
    return (refs / f"generaltest2022.{pair}.ref.A.en", refs / f"generaltest2022.{pair}.ref.B.en",
            systems)


def reproduce() -> tuple[int, int, list[dict[str, Any]]]:
    need(WMT22 / "automatic-scores.tsv")
    with (WMT22 / "automatic-scores.tsv").open(encoding="utf-8", newline="") as handle:
        published = {(r["pair"], r["system"], r["metric"]): r["score"]
                     for r in csv.DictReader(handle, delimiter="\t")}
    mtnorm = tool("mtnorm")
    rows: list[dict[str, Any]] = []
    for pair in PAIRS:
        ref_a, ref_b, systems = wmt22_files(pair)
        names = [a for name, _ in systems for a in ("--name", name)]
        paths = [str(p) for _, p in systems]
        one = run_json([*mtnorm, "score", "-f", "json", "-m", "bleu,chrf", "-r", str(ref_a),
                        *names, *paths])
        both = run_json([*mtnorm, "score", "-f", "json", "-m", "bleu,chrf", "-r", str(ref_a),
                         "-r", str(ref_b), *names, *paths])
        for s1, s2 in zip(one["systems"], both["systems"]):
            for metric, got in (("bleu-A", s1["metrics"]["bleu"]["score"]),
                                ("chrf-A", s1["metrics"]["chrf"]["score"]),
                                ("bleu-all", s2["metrics"]["bleu"]["score"]),
                                ("chrf-all", s2["metrics"]["chrf"]["score"])):
                want = published.get((pair, s1["name"], metric))
                ok = want is not None and (repr(got) == want or abs(got - float(want)) < 1e-9)
                rows.append({"pair": pair, "system": s1["name"], "metric": metric,
                             "published": want, "mtnorm": got, "match": ok,
                             "required": metric in REQUIRED})
    print("\n== WMT22: mtnorm score against automatic-scores.tsv ==")
    print(f"{'pair':6} {'system':18} {'metric':9} {'published':>20} {'mtnorm':>20}  result")
    for r in rows:
        mark = "match" if r["match"] else "MISMATCH"
        if not r["required"]:
            mark += " (info)"
        print(f"{r['pair']:6} {r['system']:18} {r['metric']:9} {r['published']!s:>20} "
              f"{r['mtnorm']!r:>20}  {mark}")
    required = [r for r in rows if r["required"]]
    matched = sum(r["match"] for r in required)
    systems = len({(r["pair"], r["system"]) for r in required})
    sys_ok = len({(r["pair"], r["system"]) for r in required}) - len(
        {(r["pair"], r["system"]) for r in required if not r["match"]})
    info = [r for r in rows if not r["required"]]
    print(f"\nrequired figures (bleu-A, chrf-A, bleu-all): {matched} of {len(required)} exact; "
          f"systems fully reproduced: {sys_ok} of {systems}")
    print(f"chrf-all (information only): {sum(r['match'] for r in info)} of {len(info)} exact")
    return sys_ok, systems, rows


# -- (b) timing against the sacrebleu command line ---------------------------------------------

def timed(cmd: Sequence[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of ``cmd``, output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench_score: {' '.join(cmd[:4])} ... failed:\n"
                 f"{proc.stderr.read().decode() if proc.stderr else ''}")
    if proc.stderr:
        proc.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime


def timing(repeat: int) -> list[dict[str, Any]]:
    ref_a, _ref_b, systems = wmt22_files("de-en")
    need(ref_a)
    one = [str(p) for name, p in systems if name == "Online-A"]
    every = [str(p) for _, p in systems]
    sacrebleu, mtnorm = tool("sacrebleu"), tool("mtnorm")
    cases = [
        ("1 system, BLEU+chrF+TER", ["bleu", "chrf", "ter"], one),
        (f"{len(every)} systems, BLEU+chrF", ["bleu", "chrf"], every),
    ]
    results = []
    print(f"\n== timing: mtnorm score vs sacrebleu CLI, WMT22 de-en ({len(every)} systems, "
          f"ref A), best of {repeat} ==")
    for label, metrics, hyps in cases:
        cmd_s = [*sacrebleu, str(ref_a), "-i", *hyps, "-m", *metrics, "-q"]
        cmd_m = [*mtnorm, "score", "-r", str(ref_a), "-m", ",".join(metrics), *hyps]
        runs: dict[str, list[tuple[float, float]]] = {"sacrebleu": [], "mtnorm": []}
        for _ in range(repeat):
            # Alternate the two, so that a burst of load elsewhere hits both alike.
            runs["sacrebleu"].append(timed(cmd_s))
            runs["mtnorm"].append(timed(cmd_m))
        best = {k: (min(w for w, _ in v), min(c for _, c in v)) for k, v in runs.items()}
        ratio_wall = best["mtnorm"][0] / best["sacrebleu"][0]
        ratio_cpu = best["mtnorm"][1] / best["sacrebleu"][1]
        ok = ratio_wall <= GOAL_RATIO or ratio_cpu <= GOAL_RATIO
        print(f"{label:28} sacrebleu {best['sacrebleu'][0]:7.2f} s wall {best['sacrebleu'][1]:7.2f} s"
              f" cpu | mtnorm {best['mtnorm'][0]:7.2f} s wall {best['mtnorm'][1]:7.2f} s cpu | "
              f"ratio {ratio_wall:.2f}x wall, {ratio_cpu:.2f}x cpu "
              f"({'within' if ok else 'OVER'} the {GOAL_RATIO}x goal)")
        results.append({"case": label, "sacrebleu_wall": best["sacrebleu"][0],
                        "sacrebleu_cpu": best["sacrebleu"][1], "mtnorm_wall": best["mtnorm"][0],
                        "mtnorm_cpu": best["mtnorm"][1], "ratio_wall": ratio_wall,
                        "ratio_cpu": ratio_cpu})
    return results


# -- (c) paired significance against sacrebleu on WMT17 -------------------------------------------

def wmt17_systems() -> tuple[Path, list[Path]]:
    ref = WMT17 / "newstest2017.ref.en-de.txt.gz"
    need(ref)
    systems = sorted(p for p in WMT17.glob("newstest2017.*.en-de.txt.gz") if p != ref)
    base = [p for p in systems if WMT17_BASELINE in p.name]
    return ref, base + [p for p in systems if p not in base]


def significance(bs_n: int, ar_n: int, jobs: int,
                 tests: Sequence[str] = ("bs", "ar")) -> tuple[int, int, list[dict[str, Any]]]:
    ref, systems = wmt17_systems()
    paths = [str(p) for p in systems]
    env = {**os.environ, "SACREBLEU_SEED": "12345", "NO_COLOR": "1"}
    mtnorm = tool("mtnorm")
    rows: list[dict[str, Any]] = []
    equal = total = 0
    for test, n in [(t, bs_n if t == "bs" else ar_n) for t in tests]:
        flags = [f"--paired-{test}", f"--paired-{test}-n", str(n), "--paired-jobs", str(jobs)]
        start = time.perf_counter()
        raw = run_json([sys.executable, SACREBLEU_RAW, str(ref), "-i", *paths,
                        "-m", "bleu", "chrf", *flags, "-q"], env=env)
        t_sacrebleu = time.perf_counter() - start
        start = time.perf_counter()
        ours = run_json([*mtnorm, "score", "-f", "json", "-r", str(ref), "-m", "bleu,chrf",
                         *flags, *paths], env=env)
        t_mtnorm = time.perf_counter() - start
        printed: list[float] | None = None
        if test == "bs":
            proc = subprocess.run([*tool("sacrebleu"), str(ref), "-i", *paths, "-m", "bleu", "chrf",
                                   *flags, "-q", "-f", "text"], capture_output=True, text=True,
                                  env=env, check=True)
            printed = [float(p) for p in re.findall(r"\(p = ([0-9.]+)\)", proc.stdout)]
        print(f"\n== WMT17 en-de, {len(paths)} systems, paired {test} (n={n}), baseline "
              f"{WMT17_BASELINE}: sacrebleu {t_sacrebleu:.1f} s, mtnorm {t_mtnorm:.1f} s ==")
        print(f"{'system':28} {'metric':6} {'sacrebleu p':>12} {'mtnorm p':>12}  {'p-value':9} "
              f"{'printed':9} score")
        k = 0
        for index, system in enumerate(ours["systems"]):
            short = Path(paths[index]).name.replace("newstest2017.", "").replace(".en-de.txt.gz", "")
            for key, name in (("bleu", "BLEU"), ("chrf", "chrF2")):
                theirs = raw[name][index]
                got = system["metrics"][key]
                p_same = got.get("p_value") == theirs["p_value"]
                score_same = got["score"] == theirs["score"]
                printed_same: bool | None = None
                if printed is not None and index > 0:
                    printed_same = round(got["p_value"], 4) == printed[k]
                    k += 1
                same = p_same and score_same and printed_same is not False
                if index > 0:
                    total += 1
                    equal += same
                p_theirs = "baseline" if theirs["p_value"] is None else f"{theirs['p_value']:.6f}"
                p_ours = "baseline" if got.get("p_value") is None else f"{got['p_value']:.6f}"
                shown = "-" if printed_same is None else "equal" if printed_same else "DIFFERENT"
                print(f"{short:28} {name:6} {p_theirs:>12} {p_ours:>12}  "
                      f"{'equal' if p_same else 'DIFFERENT':9} {shown:9} "
                      f"{'equal' if score_same else 'DIFFERENT'}")
                rows.append({"test": test, "system": short, "metric": name,
                             "sacrebleu": theirs["p_value"], "mtnorm": got.get("p_value"),
                             "p_equal": p_same, "printed_equal": printed_same,
                             "score_equal": score_same, "equal": same})
    print(f"\nsystem x metric x test with p-value and score equal to sacrebleu's (full precision; "
          f"bs also against its printed 4-decimal table): {equal} of {total}")
    return equal, total, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["reproduce", "timing", "significance"], action="append",
                        help="run only these parts (repeatable; default: all)")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs per tool (best of)")
    parser.add_argument("--paired-bs-n", type=int, default=1000)
    parser.add_argument("--paired-ar-n", type=int, default=10000)
    parser.add_argument("--tests", default="bs,ar",
                        help="paired tests to compare, comma-separated (default: bs,ar)")
    parser.add_argument("--paired-jobs", type=int, default=1,
                        help="worker processes for the paired tests, same for both tools")
    parser.add_argument("--json", default=None, metavar="OUT", help="also write the results here")
    args = parser.parse_args()
    parts = args.only or ["reproduce", "timing", "significance"]
    report: dict[str, Any] = {}
    failed = False
    if "reproduce" in parts:
        ok, total, rows = reproduce()
        report["reproduce"] = {"systems_matched": ok, "systems": total, "rows": rows}
        failed = failed or ok != total
    if "timing" in parts:
        report["timing"] = timing(args.repeat)
    if "significance" in parts:
        tests = [t.strip() for t in args.tests.split(",") if t.strip() in ("bs", "ar")]
        equal, total, rows = significance(args.paired_bs_n, args.paired_ar_n, args.paired_jobs,
                                          tests)
        report["significance"] = {"equal": equal, "total": total, "rows": rows}
        failed = failed or equal != total
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
