#!/usr/bin/env python3
"""Throughput of the copy desk's ``POST /api/check`` on this machine.

Starts ``mtnorm serve`` on 127.0.0.1 (a free port) in a subprocess, warms it
up, then runs a closed-loop load generator (threads with keep-alive httpx
clients) against it for a bounded time at each concurrency, and prints
requests/s and latency percentiles. Traffic goes to 127.0.0.1 only, and the
run stops by itself.

    python scripts/bench_desk.py                      # 15 s at 1 and 4 clients
    python scripts/bench_desk.py --duration 30 --concurrency 1,2,8 --endpoint fix
    python scripts/bench_desk.py --wmt22-bytes 1200    # a 1.2 KB story of WMT22 references

Besides wall-clock requests/s (which on a shared machine also counts the load
generator's and other processes' CPU) it prints the server's own CPU time per
request and requests per second of server CPU ("per core"), read from /proc. The
load starts once the server's start-up warm-up is over (its CPU idle), so that the
CPU per request is the steady state's.

A level with failed requests (errors, an empty answer, the server gone) is
printed with its errors and the script exits 1.

Needs the desk extra and httpx: pip install 'mtnorm[desk]' httpx
"""
from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEXT = ROOT / "corpora" / "examples" / "wire-kharkiv-en-from-fr.txt"
#: The WMT22 English references (read in place, never copied into the repository).
WMT22_REFERENCES = ROOT.parent / "shared" / "benchmarks" / "wmt22_general" / "txt" / "references"
HOST = "127.0.0.1"  # never anything else
MAX_DURATION = 120.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def wmt22_story(size: int) -> str:
    """The first whole lines of the first WMT22 English reference file, at most ``size`` bytes."""
    files = sorted(WMT22_REFERENCES.glob("*.en"))
    if not files:
        raise SystemExit(f"no WMT22 references under {WMT22_REFERENCES}")
    lines: list[str] = []
    total = 0
    with open(files[0], encoding="utf-8") as src:
        for line in src:
            n = len(line.encode("utf-8"))
            if total + n > size:
                break
            lines.append(line)
            total += n
    return "".join(lines)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(port: int, threads: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "normalize", "serve", "--host", HOST, "--port", str(port),
           "--threads", str(threads), "--log-level", "warning"]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_ready(httpx, base: str, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read() if proc.stderr is not None else b""
            raise SystemExit(f"the server exited: {err.decode(errors='replace')}")
        try:
            if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not come up")


def wait_idle(pid: int, timeout: float = 120.0, interval: float = 0.5) -> float:
    """Wait until the server uses almost no CPU (its start-up warm-up, which builds the
    gazetteer's name index for the hover cards in a background thread, ~1.7 CPU s, is
    done): that one-off work would otherwise be counted in the first level's CPU per
    request. Idle means two intervals in a row under 4% of a CPU. Returns the seconds waited."""
    t0 = time.monotonic()
    quiet = 0
    while quiet < 2 and time.monotonic() - t0 < timeout:
        before = cpu_seconds(pid)
        time.sleep(interval)
        quiet = quiet + 1 if cpu_seconds(pid) - before < 0.04 * interval else 0
    return time.monotonic() - t0


def load(httpx, url: str, body: dict, concurrency: int, duration: float) -> dict:
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors: list[dict[int | str, int]] = [{} for _ in range(concurrency)]
    start_gate = threading.Barrier(concurrency + 1)
    stop_at = [0.0]

    def worker(i: int) -> None:
        with httpx.Client(timeout=60) as client:
            start_gate.wait()
            while time.perf_counter() < stop_at[0]:
                t0 = time.perf_counter()
                try:
                    r = client.post(url, json=body)
                    status: int | str = r.status_code
                    r.read()
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                elapsed = time.perf_counter() - t0
                if status == 200 and not r.content:
                    status = "200 with an empty body"
                if status == 200:
                    latencies[i].append(elapsed)
                else:
                    errors[i][status] = errors[i].get(status, 0) + 1

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for t in threads:
        t.start()
    stop_at[0] = time.perf_counter() + duration
    t0 = time.perf_counter()
    start_gate.wait()
    for t in threads:
        t.join(duration + 90)
    wall = time.perf_counter() - t0
    ok = [x for per in latencies for x in per]
    failed: dict[int | str, int] = {}
    for per in errors:
        for k, v in per.items():
            failed[k] = failed.get(k, 0) + v
    return {"concurrency": concurrency, "requests": len(ok), "errors": failed, "wall": wall,
            "rps": len(ok) / wall if wall else 0.0,
            "p50": percentile(ok, 0.50) * 1000, "p90": percentile(ok, 0.90) * 1000,
            "p99": percentile(ok, 0.99) * 1000, "max": max(ok) * 1000 if ok else float("nan"),
            "mean": statistics.fmean(ok) * 1000 if ok else float("nan")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=15.0,
                        help=f"seconds of load per concurrency (default 15, at most {MAX_DURATION:g})")
    parser.add_argument("--concurrency", default="1,4",
                        help="comma-separated numbers of concurrent clients (default 1,4)")
    parser.add_argument("--endpoint", choices=["check", "fix"], default="check")
    parser.add_argument("--threads", type=int, default=2, help="server worker threads (mtnorm serve --threads)")
    parser.add_argument("--text", type=Path, default=DEFAULT_TEXT, help="the story to send")
    parser.add_argument("--wmt22-bytes", type=int, default=None, metavar="N",
                        help="send instead the first lines (at most N bytes) of the WMT22 English "
                             "references in ../shared/benchmarks, without a source language")
    args = parser.parse_args(argv)
    try:
        import httpx
    except ImportError:
        print("bench_desk.py needs httpx: pip install httpx", file=sys.stderr)
        return 2
    duration = min(max(args.duration, 1.0), MAX_DURATION)
    levels = [int(c) for c in args.concurrency.split(",") if c.strip()]
    if not levels or any(c < 1 or c > 64 for c in levels):
        parser.error("--concurrency takes numbers from 1 to 64")
    if args.wmt22_bytes:
        text, name = wmt22_story(args.wmt22_bytes), f"WMT22 references, first {args.wmt22_bytes} bytes"
        body = {"text": text, "lang": "en", "style": "ap"}
    else:
        text, name = args.text.read_text(encoding="utf-8"), args.text.name
        body = {"text": text, "lang": "en", "style": "ap", "source_lang": "fr"}

    port = free_port()
    base = f"http://{HOST}:{port}"
    proc = start_server(port, args.threads)
    try:
        wait_ready(httpx, base, proc)
        waited = wait_idle(proc.pid)
        url = f"{base}/api/{args.endpoint}"
        with httpx.Client(timeout=300) as client:  # warm-up: rules, gazetteer index, first parse
            for _ in range(5):
                r = client.post(url, json=body)
                r.raise_for_status()
            findings = len(r.json()["files"][0]["findings"]) if args.endpoint == "check" \
                else len(r.json()["applied"])
        print(f"mtnorm desk {args.endpoint} benchmark: {name} ({len(text.encode()):,} bytes, "
              f"{findings} {'findings' if args.endpoint == 'check' else 'edits'}), "
              f"server --threads {args.threads}, {duration:g} s per level, "
              f"Python {platform.python_version()}, {os.cpu_count()} CPUs; "
              f"measured after the server's start-up warm-up ({waited:.1f} s)")
        print(f"{'clients':>7} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} "
              f"{'p99 ms':>8} {'max ms':>8} {'srv CPU ms/req':>14} {'req/CPU-s':>9}  errors")
        failed: list[str] = []
        for c in levels:
            cpu0 = cpu_seconds(proc.pid)
            res = load(httpx, url, body, c, duration)
            cpu = cpu_seconds(proc.pid) - cpu0
            per_req = cpu / res["requests"] * 1000 if res["requests"] else float("nan")
            per_cpu = 1000 / per_req if per_req else float("nan")
            errs = ", ".join(f"{k}: {v}" for k, v in res["errors"].items()) or "none"
            print(f"{c:>7} {res['requests']:>9} {res['rps']:>8.1f} {res['p50']:>8.1f} {res['p90']:>8.1f} "
                  f"{res['p99']:>8.1f} {res['max']:>8.1f} {per_req:>14.2f} {per_cpu:>9.1f}  "
                  f"{errs}", flush=True)
            # A failed request is left out of the latencies but its server CPU is in the
            # CPU per request: a level with failures measures something else.
            if res["errors"] or not res["requests"]:
                failed.append(f"{c} client(s): {res['requests']} answered, errors {errs}")
            if proc.poll() is not None:
                failed.append(f"the server exited ({proc.returncode}) during the {c}-client level")
                break
        if failed:
            print("bench: requests failed, the figures above do not measure the desk:\n  "
                  + "\n  ".join(failed), file=sys.stderr)
            return 1
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
