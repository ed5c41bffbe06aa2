#!/usr/bin/env python3
"""Batch benchmark: ``mtnorm fix`` over a large JSONL corpus, 1 and 2 jobs, and on Dask.

The corpus: JSONL news segments (``{"id", "doc", "lang", "text"}``) built
from the English WMT22 human references (``../shared/benchmarks/``), repeated
to ``--size-mb`` (default 1,000 MB) and cached in ``.bench/``. So that
repeats are not identical records, each copy gets MT artefacts of the kinds
mtnorm fixes (toponym variants, scraper debris, doubled words, double
spaces) injected into a seeded random ~10% of segments.

Each contender runs as its own process, on the same file, one after the
other, and its whole process tree (main + workers, or the Dask cluster) is
sampled for resident memory every 0.1 s:

1. ``mtnorm fix -j 1`` (one process),
2. ``mtnorm fix -j 2`` (two worker processes),
3. ``mtnorm fix --engine dask --scheduler ...`` on a ``LocalCluster`` of 2
   single-threaded worker processes started by this script,
4. the competitor for the same job: sacremoses' ``MosesPunctNormalizer`` on
   the same field of every record (JSON in, JSON out, one process), on the
   first ``--small-mb`` MB of the same corpus (the same seed makes it a
   prefix), next to ``mtnorm -j 1`` and ``-j 2`` on that prefix: the ratios
   compare like with like, and the 2-job peak memory at two sizes shows
   whether memory grows with the input.

It reports records/s, MB/s, peak memory, the 2-job speed-up (goal ≥ 1.8x),
checks the 2-job and Dask outputs equal the 1-job output byte for byte, and
writes a JSON file with everything. MB = 10^6 bytes.

Usage::

    .venv/bin/python scripts/bench_batch.py                       # 1 GB, everything
    .venv/bin/python scripts/bench_batch.py --size-mb 50 --skip dask
    .venv/bin/python scripts/bench_batch.py --json docs/benchmarks/batch.json
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
REFS = SHARED / "benchmarks" / "wmt22_general" / "txt" / "references"
BENCH_DIR = REPO / ".bench"
MB = 1_000_000
MTNORM = [sys.executable, "-m", "normalize"]

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


def timed(name: str, cmd: list[str], records: int, nbytes: int, extra_pids: list[int] = ()) -> dict:
    print(f"{name}: {' '.join(cmd[2:]) if cmd[:2] == MTNORM[:2] else ' '.join(cmd)}", flush=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with TreeMemory([proc.pid, *extra_pids]) as memory:
        _, err = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.exit(f"bench: {name} failed with exit {proc.returncode}:\n{err[-2000:]}")
    row = {"name": name, "wall_s": round(wall, 2), "records_per_s": round(records / wall),
           "mb_per_s": round(nbytes / MB / wall, 3), "peak_rss_mb": round(memory.peak / 2**20, 1),
           "summary": err.strip().splitlines()[-1] if err.strip() else ""}
    print(f"  {row['wall_s']:.1f}s  {row['records_per_s']:,} records/s  {row['mb_per_s']:.2f} MB/s  "
          f"peak {row['peak_rss_mb']:.0f} MiB  | {row['summary']}", flush=True)
    return row


def moses_job(inp: str, out: str) -> None:
    """The competitor: Moses punctuation normalisation of every record's text field."""
    from sacremoses import MosesPunctNormalizer

    normalize = MosesPunctNormalizer(lang="en").normalize
    with open(inp, encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        for line in src:
            rec = json.loads(line)
            rec["text"] = normalize(rec["text"])
            dst.write(json.dumps(rec, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=1000)
    parser.add_argument("--small-mb", type=float, default=100,
                        help="size of the prefix for the Moses comparison (default 100)")
    parser.add_argument("--skip", action="append", default=[], choices=["j1", "j2", "dask", "small"])
    parser.add_argument("--json", default=None, help="write the results here")
    parser.add_argument("--moses-input", action="store_true", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.moses_input:  # re-entry: run the competitor in its own process
        moses_job(rest[0], rest[1])
        return
    corpus = build_corpus(args.size_mb)
    nbytes = corpus.stat().st_size
    records = _count_lines(corpus)
    print(f"corpus: {corpus.name}, {records:,} records, {nbytes / MB:,.0f} MB; "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}", flush=True)
    outputs = {k: BENCH_DIR / f"batch-out-{k}.jsonl" for k in ("j1", "j2", "dask", "moses", "small")}
    common = ["fix", "--style", "ap", "-q", str(corpus)]
    rows = []
    if "small" not in args.skip:
        small = build_corpus(args.small_mb)
        small_bytes, small_records = small.stat().st_size, _count_lines(small)
        small_common = ["fix", "--style", "ap", "-q", str(small), "-o", str(outputs["small"])]
        rows.append(timed(f"sacremoses, {args.small_mb:g} MB (1 process)",
                          [sys.executable, __file__, "--moses-input", str(small), str(outputs["moses"])],
                          small_records, small_bytes))
        for jobs in ("1", "2"):
            rows.append(timed(f"mtnorm -j {jobs}, {args.small_mb:g} MB",
                              [*MTNORM, *small_common, "-j", jobs], small_records, small_bytes))
    if "j1" not in args.skip:
        rows.append(timed("mtnorm -j 1", [*MTNORM, *common, "-j", "1", "-o", str(outputs["j1"])],
                          records, nbytes))
    if "j2" not in args.skip:
        rows.append(timed("mtnorm -j 2", [*MTNORM, *common, "-j", "2", "-o", str(outputs["j2"])],
                          records, nbytes))
    if "dask" not in args.skip:
        import psutil
        from distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None) as cluster:
            # The cluster's nannies and workers are this script's child processes.
            worker_pids = [p.pid for p in psutil.Process().children()]
            rows.append(timed("mtnorm dask (2 workers)",
                              [*MTNORM, *common, "--engine", "dask", "--scheduler",
                               cluster.scheduler_address, "-o", str(outputs["dask"])],
                              records, nbytes, extra_pids=worker_pids))
    by = {r["name"]: r for r in rows}
    result = {"corpus_mb": round(nbytes / MB, 1), "records": records, "cpus": os.cpu_count(),
              "python": platform.python_version(), "rows": rows}
    if "mtnorm -j 1" in by and "mtnorm -j 2" in by:
        result["speedup_2_jobs"] = round(by["mtnorm -j 1"]["wall_s"] / by["mtnorm -j 2"]["wall_s"], 2)
        result["j2_equals_j1"] = _same_file(outputs["j1"], outputs["j2"])
    if "mtnorm -j 1" in by and "mtnorm dask (2 workers)" in by:
        result["dask_equals_j1"] = _same_file(outputs["j1"], outputs["dask"])
        result["dask_speedup_vs_j1"] = round(
            by["mtnorm -j 1"]["wall_s"] / by["mtnorm dask (2 workers)"]["wall_s"], 2)
    small_rows = [by.get(f"sacremoses, {args.small_mb:g} MB (1 process)"),
                  by.get(f"mtnorm -j 1, {args.small_mb:g} MB"), by.get(f"mtnorm -j 2, {args.small_mb:g} MB")]
    if all(small_rows):
        moses, j1, j2 = small_rows
        result["vs_moses_1_job"] = round(j1["mb_per_s"] / moses["mb_per_s"], 2)
        result["vs_moses_2_jobs"] = round(j2["mb_per_s"] / moses["mb_per_s"], 2)
    print(json.dumps({k: v for k, v in result.items() if k != "rows"}, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


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
    main()
