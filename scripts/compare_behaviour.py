"""Same findings and fixes before and after a change: run this checkout and another
commit over the same texts and report every difference.

The texts: every case of ``tests/rules/*.yml`` (fail, pass, fixed), the project's and the
shared examples, the pages of ``../shared/realworld`` and the WMT22 English references
(``../shared/benchmarks``), each file as one document and its first ``--lines`` lines one
document each. Texts are read in place, never copied into the repository.

For each text both checkouts report ``normalize.check`` (every rule: rule, span, severity,
message, replacement, fix safety) and ``normalize.fix`` (safe fixes) under the text's own
language, style and source. The older commit runs from a ``git worktree`` made once under
the system's temporary directory. Exit 0 when nothing differs, 1 otherwise; ``--show N``
prints the first N differences.

    python scripts/compare_behaviour.py --baseline HEAD~3
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

#: Run in each checkout: reads jobs (JSON lines) on stdin, writes results (JSON lines).
WORKER = r"""
import json, sys
sys.path.insert(0, ".")
import normalize
for line in sys.stdin:
    job = json.loads(line)
    kw = dict(lang=job["lang"], style=job.get("style"), source_lang=job.get("source_lang"),
              source=job.get("source"))
    try:
        found = [[f.rule, f.start, f.end, f.severity.value, f.message, f.replacement,
                  f.fix.value] for f in normalize.check(job["text"], **kw)]
        fixed = normalize.fix(job["text"], **kw).text
    except Exception as exc:   # a crash is a difference too
        found, fixed = [["crash", 0, 0, type(exc).__name__, str(exc), None, ""]], None
    sys.stdout.write(json.dumps({"name": job["name"], "findings": found, "fixed": fixed}) + "\n")
"""


def rule_case_jobs() -> list[dict]:
    jobs = []
    for path in sorted((ROOT / "tests" / "rules").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data.get("cases", [])):
            for kind in ("fail", "pass", "fixed", "fixed_unsafe"):
                texts = case.get(kind)
                if texts is None:
                    continue
                for j, text in enumerate(texts if isinstance(texts, list) else [texts]):
                    if not isinstance(text, str):
                        continue
                    jobs.append({"name": f"{path.stem}#{case.get('name', i)}/{kind}{j}",
                                 "text": text, "lang": case.get("lang", "en"),
                                 "style": case.get("style"), "source_lang": case.get("source_lang"),
                                 "source": case.get("source")})
    return jobs


def example_jobs() -> list[dict]:
    jobs = []
    for folder in (ROOT / "corpora" / "examples", SHARED / "examples", SHARED / "realworld"):
        for meta_path in sorted(folder.glob("*.json")):
            txt = meta_path.with_suffix(".txt")
            if not txt.is_file():
                continue
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            jobs.append({"name": f"{folder.name}/{txt.name}", "text": txt.read_text(encoding="utf-8"),
                         "lang": meta.get("lang", "en"), "style": meta.get("style"),
                         "source_lang": meta.get("source_lang")})
    return jobs


def reference_jobs(lines: int) -> list[dict]:
    jobs = []
    for path in sorted((SHARED / "benchmarks" / "wmt22_general" / "txt" / "references").glob("*.en")):
        text = path.read_text(encoding="utf-8")
        jobs.append({"name": f"wmt22/{path.name}", "text": text, "lang": "en", "style": "ap"})
        for n, line in enumerate(text.splitlines()[:lines], 1):
            jobs.append({"name": f"wmt22/{path.name}:{n}", "text": line, "lang": "en", "style": "ap"})
    return jobs


def run(checkouts: list[Path], jobs: list[dict]) -> list[dict[str, dict]]:
    """The results of ``jobs`` in each checkout (run side by side), by job name."""
    payload = "".join(json.dumps(j) + "\n" for j in jobs)
    outs = []
    with tempfile.TemporaryDirectory() as tmp:
        procs = []
        for i, checkout in enumerate(checkouts):
            out = Path(tmp) / f"{i}.jsonl"
            outs.append(out)
            with open(out, "w", encoding="utf-8") as sink:
                procs.append(subprocess.Popen(
                    [sys.executable, "-c", WORKER], cwd=checkout, stdin=subprocess.PIPE,
                    stdout=sink, text=True, env={**os.environ, "PYTHONPATH": str(checkout)}))
        for proc in procs:
            proc.stdin.write(payload)
            proc.stdin.close()
        for proc, checkout in zip(procs, checkouts):
            if proc.wait():
                sys.exit(f"compare_behaviour: the run in {checkout} failed")
        return [{r["name"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
                for out in outs]


def baseline_checkout(rev: str) -> Path:
    """A worktree of ``rev`` (made once, reused while it is at the same commit)."""
    commit = subprocess.run(["git", "rev-parse", rev], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    where = Path(tempfile.gettempdir()) / f"mtnorm-baseline-{commit[:12]}"
    if not where.is_dir():
        subprocess.run(["git", "worktree", "add", "--detach", str(where), commit], cwd=ROOT,
                       check=True, capture_output=True)
    return where


def differences(old: dict[str, dict], new: dict[str, dict]) -> list[tuple[str, str, str]]:
    """``(job, what, detail)`` for each finding or fixed text that differs."""
    out = []
    for name in old:
        a, b = old[name], new.get(name)
        if b is None:
            out.append((name, "missing", ""))
            continue
        fa = Counter(json.dumps(f) for f in a["findings"])
        fb = Counter(json.dumps(f) for f in b["findings"])
        for f in (fa - fb).elements():
            out.append((name, "lost", f))
        for f in (fb - fa).elements():
            out.append((name, "new", f))
        if a["fixed"] != b["fixed"]:
            out.append((name, "fixed text", _first_change(a["fixed"] or "", b["fixed"] or "")))
    return out


def _first_change(a: str, b: str) -> str:
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"at {i}: {a[max(0, i - 30):i + 40]!r} -> {b[max(0, i - 30):i + 40]!r}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="HEAD", help="the commit to compare against (HEAD)")
    parser.add_argument("--lines", type=int, default=2000,
                        help="WMT22 reference lines checked one by one, per file (2000)")
    parser.add_argument("--show", type=int, default=20, help="differences printed (20)")
    parser.add_argument("--shared", type=Path, default=None,
                        help="the shared data folder (default: ../shared beside the checkout)")
    args = parser.parse_args(argv)
    global SHARED
    if args.shared is not None:
        SHARED = args.shared
    if not (SHARED / "realworld").is_dir() or not (SHARED / "benchmarks").is_dir():
        # Without it the realworld pages and the WMT22 references would be skipped in silence
        # (a checkout in a temporary worktree has no ../shared beside it).
        print(f"compare_behaviour.py: {SHARED} has no realworld/ and benchmarks/; "
              "give --shared DIR", file=sys.stderr)
        return 2
    sets = {"rule cases": rule_case_jobs(), "examples and realworld": example_jobs(),
            "WMT22 references": reference_jobs(args.lines)}
    jobs = [j for group in sets.values() for j in group]
    old, new = run([baseline_checkout(args.baseline), ROOT], jobs)
    diffs = differences(old, new)
    print(f"baseline {args.baseline} against this checkout")
    for label, group in sets.items():
        names = {j["name"] for j in group}
        n = sum(1 for d in diffs if d[0] in names)
        print(f"  {label}: {len(group)} texts, {n} differences")
    for name, what, detail in diffs[:args.show]:
        print(f"{name}: {what} {detail}")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
