#!/usr/bin/env python3
"""Peak memory of whole ``mtnorm`` process trees on large text files.

Runs each command as its own process and samples the summed resident memory
of it and every descendant (worker processes included) every 0.1 s with
psutil, as RSS (a page shared by several processes counted in each) and as
PSS (shared pages divided among them: what the tree takes); also reports the
wall time and the kernel's own high-water mark of the largest single process
(``ru_maxrss``, what ``/usr/bin/time -v`` prints).

The inputs are English news built from the WMT22 references by repetition
into ``.bench/`` (see ``bench_throughput.py``)::

    .venv/bin/python scripts/bench_memory.py --size-mb 20 --size-mb 200
    .venv/bin/python scripts/bench_memory.py --checkout /tmp/old   # another mtnorm
    .venv/bin/python scripts/bench_memory.py --size-mb 20 --size-mb 60 --records --command check

``--records`` also measures the record and translation formats at each size:
the text as JSONL, TSV and Parquet (a record per line) and a TMX of WMT22
de-en and zh-en pairs (``build_bench_tmx.py --distinct``: each unit checked
against its source, no pair repeated, so the corpus consistency index grows
with the file), with the default jobs and ``-j 1``.

Each command is printed so it can be rerun by hand. A run that did not do its work
(an exit other than 0 or 1, a Python traceback on standard error, no summary line
after check's findings, less than half the input's bytes out of fix, no report
file) is marked FAILED in its row, and the script exits 1 naming it.
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from bench_throughput import CHECK_SUMMARY, machine, text_path


def tree_memory(root) -> tuple[int, int]:
    """The summed RSS and PSS of ``root`` and its descendants. RSS counts a page shared by
    several processes (the interpreter, word tables mapped by every worker) in each of
    them; PSS divides it among them, so the tree's PSS is what it takes of the machine."""
    import psutil

    rss = pss = 0
    try:
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    for proc in procs:
        try:
            full = proc.memory_full_info()
        except psutil.Error:
            continue
        rss += full.rss
        pss += getattr(full, "pss", full.rss)
    return rss, pss


def measure(argv: list[str], cwd: Path, limit_gib: float, *, min_stdout: int = 0,
            last_line: str | None = None, out_file: Path | None = None) -> dict[str, float | str]:
    """Wall seconds, peak summed RSS and PSS of the tree (MiB, :func:`tree_memory`), ru_maxrss
    of the largest child (MiB), and ``failed``: why the run did not do its work, or "".

    Each process gets an address-space limit of ``limit_gib`` (a shared machine must not
    run out of memory): a command that needs more fails with MemoryError, reported as such.
    A run did its work when it exits 0 or 1 (check's findings) with no Python traceback on
    standard error (a crash exits 1 too), writes at least ``min_stdout`` bytes to standard
    output (counted as they come, never held), ends it with a line matching ``last_line``
    and, with ``out_file``, writes that file.
    """
    import psutil

    if out_file is not None:
        out_file.unlink(missing_ok=True)  # a report left by an earlier run proves nothing
    capped = ["prlimit", f"--as={int(limit_gib * 2**30)}", "--", *argv]  # execs argv: same pid
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as err_file:
        proc = subprocess.Popen(capped, cwd=cwd, stdout=subprocess.PIPE, stderr=err_file)
        root = psutil.Process(proc.pid)
        peak = peak_pss = 0
        written = 0
        tail = b""
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak, peak_pss
            while not stop.is_set():
                rss, pss = tree_memory(root)
                peak, peak_pss = max(peak, rss), max(peak_pss, pss)
                stop.wait(0.1)

        def drain() -> None:
            nonlocal written, tail
            assert proc.stdout is not None
            while block := proc.stdout.read(1 << 20):
                written += len(block)
                tail = (tail + block)[-4096:]

        threads = [threading.Thread(target=sample, daemon=True), threading.Thread(target=drain, daemon=True)]
        for thread in threads:
            thread.start()
        threads[1].join()
        # The process's own high-water mark (wait4's usage), not RUSAGE_CHILDREN's: that is
        # the largest of every child this script waited for (the input builder's too).
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        stop.set()
        threads[0].join()
        wall = time.perf_counter() - t0
        err_file.seek(0)
        text = err_file.read().decode(errors="replace")
    last = tail.decode(errors="replace").rstrip("\n").rsplit("\n", 1)[-1]
    said = text.strip().splitlines()[-1] if text.strip() else ""
    failed = ""
    if proc.returncode not in (0, 1):
        failed = (f"out of memory at the {limit_gib:g} GiB cap" if "MemoryError" in text
                  else f"exit {proc.returncode}: {said}")
    elif "Traceback (most recent call last)" in text:
        failed = f"crashed (exit {proc.returncode}): {said}"
    elif written < min_stdout:
        failed = f"wrote {written:,} bytes, expected at least {min_stdout:,}: {said}"
    elif last_line and not re.search(last_line, last):
        failed = f"output does not end with the summary line: {last[-120:]!r} {said}"
    elif out_file is not None and (not out_file.is_file() or out_file.stat().st_size == 0):
        failed = f"wrote no {out_file.name}: {said}"
    return {"wall_s": wall, "tree_peak_mib": peak / 2**20, "tree_peak_pss_mib": peak_pss / 2**20,
            "failed": failed,
            "largest_process_mib": usage.ru_maxrss / 1024}


def record_paths(size_mb: float) -> list[Path]:
    """The record and translation inputs of ``size_mb`` (:func:`build_records`)."""
    text = text_path(size_mb)
    return [text.with_suffix(".jsonl"), text.with_suffix(".tsv"), text.with_suffix(".parquet"),
            text.with_name(f"wmt22-de-zh-en-distinct-{size_mb:g}MB.tmx")]


def build_records(size_mb: float) -> None:
    """TSV and Parquet of the JSONL records of ``size_mb`` (an ``id`` and a ``text``
    column), and a TMX of ``size_mb`` MB of distinct pairs; each made once."""
    import json

    jsonl, tsv, parquet, tmx = record_paths(size_mb)
    if not tsv.is_file() or tsv.stat().st_mtime < jsonl.stat().st_mtime:
        with open(jsonl, encoding="utf-8") as src, open(f"{tsv}.tmp", "w", encoding="utf-8") as out:
            out.write("id\ttext\n")
            for line in src:
                record = json.loads(line)
                out.write(f"{record['id']}\t{record['text'].replace(chr(9), ' ')}\n")
        os.replace(f"{tsv}.tmp", tsv)
    if not parquet.is_file() or parquet.stat().st_mtime < jsonl.stat().st_mtime:
        import pyarrow as pa
        import pyarrow.parquet as pq

        ids: list[int] = []
        texts: list[str] = []
        with open(jsonl, encoding="utf-8") as src:
            for line in src:
                record = json.loads(line)
                ids.append(record["id"])
                texts.append(record["text"])
        pq.write_table(pa.table({"id": ids, "text": texts}), f"{parquet}.tmp", row_group_size=20_000)
        os.replace(f"{parquet}.tmp", parquet)
    if not tmx.is_file():
        from build_bench_tmx import build

        partial = tmx.with_name(f"{tmx.name}.tmp")
        build(partial, size_mb, distinct=True)
        os.replace(partial, tmx)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, action="append", help="input sizes (default 20 and 200)")
    parser.add_argument("--checkout", type=Path, default=REPO, help="the mtnorm checkout to run")
    parser.add_argument("--command", action="append", choices=["check", "fix"],
                        help="commands (default both)")
    parser.add_argument("--limit-gib", type=float, default=8,
                        help="address-space cap of each mtnorm process (default 8 GiB)")
    parser.add_argument("--formats", action="store_true",
                        help="also `check --format json|sarif|junit -o FILE` of each text")
    parser.add_argument("--jsonl", action="store_true",
                        help="also the same text as JSONL records, `check` and `fix` with the "
                             "default jobs and with -j 1")
    parser.add_argument("--records", action="store_true",
                        help="also JSONL, TSV, Parquet and TMX inputs of each size, with the "
                             "default jobs and with -j 1")
    parser.add_argument("--record-format", action="append", choices=["jsonl", "tsv", "parquet", "tmx"],
                        help="with --records: only these formats (default all)")
    args = parser.parse_args(argv)
    sizes = args.size_mb or [20, 200]
    commands = args.command or ["check", "fix"]
    print(f"machine: {machine()}; {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; "
          f"Python {platform.python_version()}; checkout {args.checkout}")
    print("| command | input | wall s | peak RSS, whole tree | peak PSS, whole tree | largest process (ru_maxrss) |")
    print("|---|---:|---:|---:|---:|---:|")
    out = Path(tempfile.mkdtemp(prefix="mtnorm-mem-"))
    # The inputs are built in a process of their own: building 200 MB of text takes this
    # process to ~400 MB, and a child forked from it inherits that high-water mark, which
    # the kernel then reports as the child's ru_maxrss.
    build = ("import sys; sys.path.insert(0, sys.argv[1]); from bench_throughput import build_text, "
             "build_jsonl; [(build_text(float(s)), build_jsonl(float(s)) if sys.argv[2] == '1' else None) "
             "for s in sys.argv[3:]]")
    subprocess.run([sys.executable, "-c", build, str(REPO / "scripts"),
                    "1" if args.jsonl or args.records else "0", *map(str, sizes)], check=True)
    if args.records:
        subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                        "from bench_memory import build_records; "
                        "[build_records(float(s)) for s in sys.argv[2:]]",
                        str(REPO / "scripts"), *map(str, sizes)], check=True)

    # The caches first (gazetteer catalogue, exonym and word tables, compiled patterns):
    # a run that builds them peaks higher than any later one, and measures the first run,
    # not the command (scripts/bench_first_run.py measures that).
    article = REPO / ".bench" / "article-40-lines.txt"
    warm = [sys.executable, "-m", "normalize", "check", "--lang", "en", "--style", "ap"]
    for command in ("check", "fix"):
        subprocess.run([*warm[:3], command, *warm[4:], str(article if article.is_file() else text_path(sizes[0]))],
                       cwd=args.checkout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    failures: list[str] = []

    def row(label: str, extra: list[str], path: Path, size: float, **expect: object) -> None:
        run = [sys.executable, "-m", "normalize", *extra, "--lang", "en", "--style", "ap", str(path)]
        print(f"<!-- cd {shlex.quote(str(args.checkout))} && prlimit --as={int(args.limit_gib * 2**30)} "
              f"{shlex.join(run)} -->", flush=True)
        found = measure(run, args.checkout, args.limit_gib, **expect)
        note = f" (FAILED: {found['failed']})" if found["failed"] else ""
        if found["failed"]:
            failures.append(f"  `mtnorm {label}` {round(size, 1):g} MB: {found['failed']}")
        print(f"| `mtnorm {label}`{note} | {round(size, 1):g} MB | {found['wall_s']:.0f} | "
              f"{found['tree_peak_mib']:.0f} MiB | {found['tree_peak_pss_mib']:.0f} MiB | "
              f"{found['largest_process_mib']:.0f} MiB |", flush=True)

    def proof(command: str, path: Path) -> dict[str, object]:
        """check: its summary line last; fix: the fixed text, about the input's size."""
        return {"last_line": CHECK_SUMMARY} if command == "check" else {"min_stdout": path.stat().st_size // 2}

    for size in sizes:
        path = text_path(size)  # built above
        for command in commands:
            row(command, [command], path, size, **proof(command, path))
        if args.formats:
            for fmt in ("json", "sarif", "junit"):
                report = out / f"report.{fmt}"
                row(f"check -f {fmt} -o FILE", ["check", "-f", fmt, "-o", str(report)], path, size,
                    out_file=report)
        if args.records:
            for record_path in record_paths(size):
                if args.record_format and record_path.suffix[1:] not in args.record_format:
                    continue
                grown = record_path.stat().st_size / 1e6
                kind = record_path.suffix[1:].upper()
                for command in commands:
                    # check -q: findings only (no summary line); fix: every record or unit
                    # (Parquet is written to a file, never to standard output).
                    to_file: list[str] = []
                    expect: dict[str, object] = {}
                    if command == "fix" and kind == "PARQUET":
                        fixed = out / "fixed.parquet"
                        to_file, expect = ["-o", str(fixed)], {"out_file": fixed}
                    elif command == "fix":
                        expect = {"min_stdout": record_path.stat().st_size // 4}
                    for jobs in ([], ["-j", "1"]):
                        row(f"{command}` {kind} `-q{' -j 1' if jobs else ''}",
                            [command, "-q", *jobs, *to_file], record_path, grown, **expect)
        elif args.jsonl:
            jsonl = path.with_suffix(".jsonl")
            for command in commands:
                # check -q of records: findings only (no summary line); fix: every record.
                expect = {"min_stdout": jsonl.stat().st_size // 2} if command == "fix" else {}
                row(f"{command}` JSONL `-q", [command, "-q"], jsonl, jsonl.stat().st_size / 1e6, **expect)
                row(f"{command}` JSONL `-q -j 1", [command, "-q", "-j", "1"], jsonl,
                    jsonl.stat().st_size / 1e6, **expect)
    shutil.rmtree(out, ignore_errors=True)
    if failures:
        print(f"bench: {len(failures)} run(s) did not do their work (their rows measure a failure, "
              "not the command):\n" + "\n".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
