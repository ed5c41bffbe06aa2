#!/usr/bin/env python3
"""Build a large TMX 1.4 for measuring ``mtnorm check`` on translation memories.

Pairs are the WMT22 general test sources with their human references
(``../shared/benchmarks/wmt22_general/txt``: de-en and zh-en, references A
and B), repeated until the file reaches ``--size-mb`` (MB = 10^6 bytes).
Each copy's ``tuid`` differs; every tenth target of a copy gets a doubled
space, so fixes have something to do. Nothing is downloaded.

Usage::

    .venv/bin/python scripts/build_bench_tmx.py /tmp/bench.tmx --size-mb 200
    /usr/bin/time -v .venv/bin/python -m normalize check /tmp/bench.tmx -q --jobs 2 \\
        --format json -o /tmp/bench.json --fail-on never

``--measure`` then runs ``mtnorm check FILE -q --jobs N --format text
--fail-on never --report REPORT`` (text findings stream to a file, so the
process keeps no findings) and samples its whole process tree with psutil
every half second: the peak of the summed RSS and of the summed PSS (shared
pages counted once), and the pairs per second from the ``--report`` counts.
``--stop-after S`` interrupts the check (SIGTERM, which mtnorm handles as Ctrl-C;
SIGINT is ignored by a job started in the background) after S seconds
and reports the pairs done by then; ``--delete`` removes the TMX afterwards.
``--engine dask`` runs the same check with ``--engine dask`` against a local
Dask cluster of N single-threaded worker processes started for the run
(their memory is summed too).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "wmt22_general" / "txt"
#: (source file, source language, reference files) of each language pair.
PAIRS = [
    ("generaltest2022.de-en.src.de", "de", ["generaltest2022.de-en.ref.A.en",
                                            "generaltest2022.de-en.ref.B.en"]),
    ("generaltest2022.zh-en.src.zh", "zh", ["generaltest2022.zh-en.ref.A.en",
                                            "generaltest2022.zh-en.ref.B.en"]),
]


def pairs(data: Path = DATA) -> list[tuple[str, str, str]]:
    """(source language, source, reference) for every line of every reference."""
    out = []
    for source_name, lang, refs in PAIRS:
        sources = (data / "sources" / source_name).read_text(encoding="utf-8").splitlines()
        for ref in refs:
            targets = (data / "references" / ref).read_text(encoding="utf-8").splitlines()
            if len(targets) != len(sources):
                raise SystemExit(f"{ref}: {len(targets)} lines, its source has {len(sources)}")
            out.extend((lang, s, t) for s, t in zip(sources, targets) if s.strip() and t.strip())
    return out


def _tree_memory(procs: list, cpu: dict[int, float] | None = None) -> tuple[int, int]:
    """Summed RSS and PSS (bytes) of ``procs`` and all their descendants; ``cpu`` gets
    each process's CPU seconds so far (user + system), by pid."""
    import psutil

    seen: dict[int, object] = {}
    for proc in procs:
        try:
            seen[proc.pid] = proc
            for child in proc.children(recursive=True):
                seen[child.pid] = child
        except psutil.Error:
            continue
    rss = pss = 0
    for proc in seen.values():
        try:
            info = proc.memory_full_info()
            if cpu is not None:
                times = proc.cpu_times()
                cpu[proc.pid] = times.user + times.system
        except psutil.Error:
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
    return rss, pss


def measure(path: Path, jobs: int, stop_after: float | None, engine: str) -> dict:
    """Run the check (locally or on a Dask cluster) on ``path``, sampling the process
    tree's memory."""
    import psutil

    root = Path(__file__).resolve().parent.parent
    work = Path(tempfile.mkdtemp(prefix="mtnorm-bench-"))
    report = work / "report.json"
    extra: list = []
    cmd = [sys.executable, "-m", "normalize", "check", str(path), "-q", "--jobs", str(jobs),
           "--format", "text", "--fail-on", "never", "--report", str(report)]
    if engine == "dask":
        from dask.distributed import LocalCluster

        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        extra.append(cluster)
        cmd += ["--engine", "dask", "--scheduler", cluster.scheduler_address]
    print("$", " ".join(cmd), flush=True)
    started = time.monotonic()
    cpu0 = psutil.cpu_times()
    with (work / "findings.txt").open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, cwd=root)
        watched = [psutil.Process(proc.pid)] + [psutil.Process(os.getpid())] * bool(extra)
        peak_rss = peak_pss = 0
        stopped = False
        cpu: dict[int, float] = {}
        while proc.poll() is None:
            rss, pss = _tree_memory(watched, cpu)
            if extra:  # the cluster's processes are children of this script
                rss -= psutil.Process(os.getpid()).memory_info().rss
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            if stop_after is not None and not stopped and time.monotonic() - started > stop_after:
                proc.send_signal(signal.SIGTERM)
                stopped = True
            time.sleep(0.5)
        err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    elapsed = time.monotonic() - started
    for thing in extra:
        thing.close()
    summary = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    files = summary.get("files") or [{}]
    pairs_done = int(files[0].get("records") or 0)
    cpu.pop(os.getpid(), None)
    cpu_seconds = sum(cpu.values())
    result = {
        "command": " ".join(cmd), "exit": proc.returncode, "interrupted": stopped,
        "seconds": round(elapsed, 1), "pairs": pairs_done,
        "pairs_per_second": round(pairs_done / elapsed, 1) if elapsed else None,
        "cpu_seconds_tree": round(cpu_seconds, 1),
        "pairs_per_cpu_second": round(pairs_done / cpu_seconds, 1) if cpu_seconds else None,
        "peak_rss_tree_mb": round(peak_rss / 2**20, 1), "peak_pss_tree_mb": round(peak_pss / 2**20, 1),
        "findings_text_mb": round((work / "findings.txt").stat().st_size / 1e6, 1),
        "load_average_1m": os.getloadavg()[0],
        "machine_cpu_busy_share": round(1 - (psutil.cpu_times().idle - cpu0.idle)
                                        / max(1e-9, sum(psutil.cpu_times()) - sum(cpu0)), 2),
        "stderr_tail": err[-300:],
    }
    shutil.rmtree(work, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size-mb", type=float, default=200)
    parser.add_argument("--reuse", action="store_true", help="measure an existing file, do not build")
    parser.add_argument("--measure", action="store_true", help="check the file, sampling memory")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--engine", choices=["local", "dask"], default="local")
    parser.add_argument("--stop-after", type=float, default=None, metavar="S")
    parser.add_argument("--delete", action="store_true", help="remove the TMX at the end")
    parser.add_argument("--distinct", action="store_true",
                        help="number each copy's sentences, so that no pair repeats (the corpus "
                             "consistency index then grows with the file)")
    args = parser.parse_args()
    try:
        if not (args.reuse and args.out.exists()):
            build(args.out, args.size_mb, distinct=args.distinct)
        if args.measure:
            print(json.dumps(measure(args.out, args.jobs, args.stop_after, args.engine), indent=2))
    finally:
        if args.delete:
            args.out.unlink(missing_ok=True)


def build(path: Path, size_mb: float, *, distinct: bool = False) -> None:
    """Write the TMX: the base pairs repeated until ``size_mb`` MB (``distinct``: each
    copy's source and target end with the copy's number, a segment of their own)."""
    base = pairs()
    limit = int(size_mb * 1_000_000)
    written = units = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        head = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
                '  <header creationtool="mtnorm-bench" creationtoolversion="1" segtype="sentence" '
                'o-tmf="none" adminlang="en" srclang="*all*" datatype="plaintext"/>\n  <body>\n')
        out.write(head)
        written += len(head.encode())
        copy = 0
        while written < limit:
            for n, (lang, source, target) in enumerate(base):
                if n % 10 == copy % 10:
                    target = target.replace(" ", "  ", 1)
                if distinct and copy:
                    source, target = f"{source} {copy}", f"{target} {copy}"
                tu = (f'    <tu tuid="c{copy}-{n}">\n'
                      f'      <tuv xml:lang="{lang}"><seg>{escape(source)}</seg></tuv>\n'
                      f'      <tuv xml:lang="en"><seg>{escape(target)}</seg></tuv>\n    </tu>\n')
                out.write(tu)
                written += len(tu.encode())
                units += 1
                if written >= limit:
                    break
            copy += 1
        out.write("  </body>\n</tmx>\n")
    print(f"{path}: {units:,} units, {written / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
