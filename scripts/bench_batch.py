#!/usr/bin/env python3
"""Batch benchmark, whole process against whole process: ``mtnorm fix`` over a JSONL corpus
with 1 and 2 jobs against sacremoses' Moses on the same records, alternated by hyperfine.

The corpus: JSONL news segments (``{"id", "doc", "lang", "text"}``) built from the
English WMT22 human references (``../shared/benchmarks/``), repeated to ``--size-mb``
(default 100) and cached in ``.bench/`` (git-ignored). So that repeats are not identical
records, each copy gets MT artefacts of the kinds mtnorm fixes (toponym variants, scraper
debris, doubled words, double spaces) injected into a seeded random ~10% of segments.

The contenders, each a command of its own on the same file (interpreter start, imports
and output included), alternated by hyperfine, medians of ``--runs``:

1. sacremoses' ``MosesPunctNormalizer`` on the ``text`` field of every record (JSON in,
   JSON out, one process),
2. ``mtnorm fix --style ap -j 1``,
3. ``mtnorm fix --style ap -j 2``,
4. with ``--baseline DIR``, 2 and 3 from another checkout of mtnorm.

Then (unless ``--no-memory``) each mtnorm command once more on its own, its whole process
tree sampled for resident memory every 0.1 s, and the 2-job output compared with the
1-job output byte for byte. Prints the machine, the date, every command and a Markdown
table: seconds, records/s, MB/s, throughput relative to Moses, peak memory. MB = 10^6 bytes.
The Dask engine (``--engine dask``) is not measured here (it was 17% slower than local
processes on one machine, docs/benchmarks/batch-issue5.txt).

Usage::

    .venv/bin/python scripts/bench_batch.py                       # 100 MB, 3 runs
    .venv/bin/python scripts/bench_batch.py --size-mb 20 --baseline /tmp/old
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from bench_throughput import MOSES_JSONL, machine, mtnorm, run_hyperfine, shell

SHARED = REPO.parent / "shared"
REFS = SHARED / "benchmarks" / "wmt22_general" / "txt" / "references"
BENCH_DIR = REPO / ".bench"
MB = 1_000_000

#: Artefacts injected into copies of segments (all fixable by mtnorm fix, style ap).
INJECT = [
    ("Kyiv", "Kiev"), ("Kharkiv", "Kharkov"), ("Nagorno-Karabakh", "Nagorny Karabakh"),
    ("Odesa", "Odessa"),
]


def reference_lines() -> list[str]:
    if not REFS.is_dir():
        sys.exit(f"bench: {REFS} is missing: the corpus is built from the WMT22 references "
                 "in ../shared/benchmarks (check out 'shared' next to the repository)")
    files = sorted(p for p in REFS.iterdir() if p.name.endswith(".en") and "-en.ref." in p.name)
    lines = [line for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not lines:
        sys.exit(f"bench: no English references in {REFS}")
    return lines


def _mutate(text: str, rng: random.Random) -> str:
    kind = rng.randrange(5)
    if kind == 0:
        return text + " [ad_1]"
    if kind == 1:
        words = text.split(" ")
        i = rng.randrange(len(words))
        return " ".join(words[:i + 1] + [words[i]] + words[i + 1:]) if words[i].isalpha() else text
    if kind == 2:
        return text.replace(" ", "  ", 1)
    good, bad = INJECT[rng.randrange(len(INJECT))]
    return text.replace(good, bad) if good in text else f"Officials in {bad} said: {text}"


def build_corpus(size_mb: float) -> Path:
    """The cached corpus file of ``size_mb`` MB (built once, atomically)."""
    BENCH_DIR.mkdir(exist_ok=True)
    path = BENCH_DIR / f"batch-wmt22-{size_mb:g}MB.jsonl"
    if path.is_file():
        return path
    lines = reference_lines()
    rng = random.Random(20261127)
    target = int(size_mb * MB)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    written = n = 0
    t0 = time.perf_counter()
    with open(tmp, "w", encoding="utf-8") as out:
        while written < target:
            for doc_no, text in enumerate(lines):
                if rng.random() < 0.10:
                    text = _mutate(text, rng)
                rec = json.dumps({"id": f"s{n:09d}", "doc": doc_no // 20, "lang": "en", "text": text},
                                 ensure_ascii=False) + "\n"
                out.write(rec)
                written += len(rec.encode("utf-8"))
                n += 1
                if written >= target:
                    break
    os.replace(tmp, path)
    print(f"built {path.relative_to(REPO)}: {n:,} records, {written / MB:,.0f} MB "
          f"in {time.perf_counter() - t0:.0f}s", flush=True)
    return path


# -- measuring a process tree ----------------------------------------------------------------
class TreeMemory:
    """Samples the summed RSS of a process and all its descendants (peak kept)."""

    def __init__(self, pids: list[int]) -> None:
        import psutil

        self.roots = [psutil.Process(p) for p in pids]
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        import psutil

        total = 0
        seen = set()
        for root in self.roots:
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                continue
            for proc in procs:
                if proc.pid in seen:
                    continue
                seen.add(proc.pid)
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(0.1)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def peak_memory(cmd: str) -> tuple[float, float]:
    """(wall seconds, peak resident MiB of the whole process tree) of one shell command."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(["bash", "-c", shlex.split(cmd)[2]], stdout=subprocess.DEVNULL)
    with TreeMemory([proc.pid]) as memory:
        proc.wait()
    if proc.returncode:
        sys.exit(f"bench: {cmd} failed (exit {proc.returncode})")
    return time.perf_counter() - t0, memory.peak / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=100, help="corpus size in MB (default 100)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each command (default 3)")
    parser.add_argument("--baseline", type=Path, help="another mtnorm checkout to run beside this one")
    parser.add_argument("--no-memory", action="store_true", help="no peak-memory pass")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    corpus = build_corpus(args.size_mb)
    nbytes, records = corpus.stat().st_size, _count_lines(corpus)
    python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="mtnorm-batch-"))
    (work / "moses_jsonl.py").write_text(MOSES_JSONL, encoding="utf-8")
    q = shlex.quote
    cmds = [("Moses per record (JSON in and out)",
             shell(f"{q(python)} {q(str(work / 'moses_jsonl.py'))} {q(str(corpus))}", None, {}))]
    checkouts = [("", REPO)] + ([(" (baseline)", args.baseline.resolve())] if args.baseline else [])
    outputs: dict[str, Path] = {}
    for tag, checkout in checkouts:
        for jobs in ("1", "2"):
            label = f"`mtnorm fix -j {jobs}`{tag}"
            outputs[label] = work / f"out-{len(cmds)}.jsonl"
            cmds.append((label, mtnorm(python, f"fix --lang en --style ap -q -j {jobs} {q(str(corpus))} "
                                       f"-o {q(str(outputs[label]))}", checkout, work, f"c{len(cmds)}")))
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    header = (f"machine: {machine()}; Python {platform.python_version()}; {stamp}; load average "
              f"{os.getloadavg()[0]:.1f} at start; {args.runs} runs each, medians")
    print(header)
    print(f"corpus: {corpus} ({records:,} records, {nbytes / MB:,.1f} MB)")
    for label, cmd in cmds:
        print(f"  {label}: {cmd}", flush=True)
    for _, cmd in cmds[1:]:  # caches (gazetteer index, lexicon, byte code) filled outside the timings
        subprocess.run(["bash", "-c", shlex.split(cmd)[2].replace(str(corpus), str(_tiny(corpus)))],
                       check=False, stdout=subprocess.DEVNULL)
    medians, cpu = run_hyperfine(cmds, args.runs, work, warmup=0)
    memory: dict[str, float] = {}
    if not args.no_memory:
        for label, cmd in cmds:
            memory[label] = peak_memory(cmd)[1]
    rows = ["| command | median s | CPU s | records/s | MB/s | throughput vs Moses | peak memory (whole tree) |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for (label, _), median, seconds in zip(cmds, medians, cpu):
        mem = f"{memory[label]:.0f} MiB" if label in memory else ""
        rows.append(f"| {label} | {median:.1f} | {seconds:.1f} | {records / median:,.0f} | "
                    f"{nbytes / MB / median:.2f} | {medians[0] / median:.2f}x | {mem} |")
    table = "\n".join(rows)
    print(f"\n{table}")
    same = {label: _same_file(outputs["`mtnorm fix -j 1`"], path)
            for label, path in outputs.items() if path.is_file() and "-j 2" in label and "baseline" not in label}
    for label, ok in same.items():
        print(f"{label} output {'equals' if ok else 'DIFFERS FROM'} the 1-job output byte for byte")
    if args.json:
        args.json.write_text(json.dumps({"header": header, "records": records, "bytes": nbytes,
                                         "commands": cmds, "medians": medians, "cpu_medians": cpu,
                                         "memory_mib": memory,
                                         "same_as_j1": same}, indent=2) + "\n", encoding="utf-8")
    return 0


def _tiny(corpus: Path) -> Path:
    """The first 100 records of ``corpus`` (to fill caches quickly)."""
    tiny = corpus.with_name(corpus.stem + "-first100.jsonl")
    with open(corpus, encoding="utf-8") as src:
        tiny.write_text("".join(line for _, line in zip(range(100), src)), encoding="utf-8")
    return tiny


def _count_lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 24), b""))


def _same_file(a: Path, b: Path, block: int = 1 << 24) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            x, y = fa.read(block), fb.read(block)
            if x != y:
                return False
            if not x:
                return True


if __name__ == "__main__":
    raise SystemExit(main())
