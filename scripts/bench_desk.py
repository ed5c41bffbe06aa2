#!/usr/bin/env python3
"""Throughput of the copy desk's ``POST /api/check`` on this machine.

Starts ``mtnorm serve`` on 127.0.0.1 (a free port) in a subprocess, warms it
up, then runs a closed-loop load generator against it for a bounded time at
each concurrency, and prints requests/s and latency percentiles. The load
comes from ``wrk`` where it is installed (one thread in C, one keep-alive
connection per client: on 2 CPUs a Python load generator takes about as much
CPU as the server and makes its figures noisy), else from threads of
keep-alive httpx clients (``--load`` chooses). Traffic goes to 127.0.0.1
only, and the run stops by itself.

    python scripts/bench_desk.py                      # 15 s at 1 and 4 clients
    python scripts/bench_desk.py --duration 30 --concurrency 1,2,8 --endpoint fix
    python scripts/bench_desk.py --wmt22-bytes 1200    # a 1.2 KB story of WMT22 references
    python scripts/bench_desk.py --wmt22-bytes 1200 --checkout /tmp/new --baseline /tmp/old --rounds 3

``--baseline DIR`` serves another checkout too (``git worktree add /tmp/old
<commit>``); the servers run side by side, idle but for the one under load,
and are loaded in turn, level by level, the order rotated each round, so a
change is measured against the code before it in one run; a table of
medians closes the run, with each server's CPU per request against the first
server's both as a ratio of medians and as the median of the ratios within a
round (two runs seconds apart: steadier where the machine's speed drifts).

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
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
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


def start_server(port: int, threads: int, checkout: Path = ROOT) -> subprocess.Popen:
    """``mtnorm serve`` of ``checkout`` (run from it: ``-m normalize`` imports its package)."""
    cmd = [sys.executable, "-m", "normalize", "serve", "--host", HOST, "--port", str(port),
           "--threads", str(threads), "--log-level", "warning"]
    return subprocess.Popen(cmd, cwd=checkout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


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


def wrk_load(url: str, body: dict, concurrency: int, duration: float, workdir: Path) -> dict:
    """One level of load from ``wrk`` (one thread, ``concurrency`` keep-alive connections):
    a load generator in C, whose CPU per request is a small fraction of a Python client's,
    so that on a machine of 2 CPUs the server is not starved by its own load."""
    script = workdir / "post.lua"
    script.write_text('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                      f"wrk.body = {json.dumps(json.dumps(body))}\n", encoding="utf-8")
    out = subprocess.run(["wrk", "-t1", f"-c{concurrency}", f"-d{duration:g}s", "--latency",
                          "--timeout", "60s", "-s", str(script), url],
                         capture_output=True, text=True, timeout=duration + 120)
    return parse_wrk(out.stdout, concurrency, duration,
                     None if out.returncode == 0 else f"wrk exit {out.returncode}: {out.stderr.strip()[:200]}")


def parse_wrk(text: str, concurrency: int, duration: float, failure: str | None = None) -> dict:
    """What one ``wrk --latency`` run printed, as :func:`load` reports a level: requests
    answered 2xx, requests/s, latency percentiles and mean in ms, and the errors (non-2xx
    answers, socket errors, ``failure``: why wrk itself failed)."""
    failed: dict[int | str, int] = {}
    if failure is not None:
        failed[failure] = 1
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", text)
    requests = int(m.group(1)) if m else 0
    wall = _seconds(m.group(2), m.group(3)) if m else duration
    percentiles = {q: _seconds(v, unit) * 1000 for q, v, unit in
                   re.findall(r"^\s+(50|90|99)%\s+([\d.]+)(\w+)\s*$", text, re.MULTILINE)}
    # "Latency  avg  stdev  max  +/- stdev"
    mean = re.search(r"Latency\s+([\d.]+)(\w+)\s+[\d.]+\w+\s+([\d.]+)(\w+)", text)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if non_2xx:
        failed["non-2xx"] = int(non_2xx.group(1))
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if sock and any(int(x) for x in sock.groups()):
        failed["socket errors"] = sum(int(x) for x in sock.groups())
    ok = requests - failed.get("non-2xx", 0)
    nan = float("nan")
    return {"concurrency": concurrency, "requests": ok, "errors": failed, "wall": wall,
            "rps": ok / wall if wall else 0.0, "p50": percentiles.get("50", nan),
            "p90": percentiles.get("90", nan), "p99": percentiles.get("99", nan),
            "max": _seconds(mean.group(3), mean.group(4)) * 1000 if mean else nan,
            "mean": _seconds(mean.group(1), mean.group(2)) * 1000 if mean else nan}


def _seconds(value: str, unit: str) -> float:
    """A wrk duration (``812.5us``, ``3.2ms``, ``1.1s``, ``2m``) in seconds."""
    scale = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
    return float(value) * scale.get(unit, float("nan"))


def machine() -> str:
    """The machine in words, as the other benchmarks print it."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_throughput import machine as described

    return described()


def commit_of(checkout: Path) -> str:
    """The checkout's commit (short), with ``+changes`` when its ``normalize/`` is edited."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(checkout), *args], capture_output=True,
                              text=True).stdout.strip()
    rev = git("rev-parse", "--short", "HEAD") or "?"
    return rev + ("+changes" if git("status", "--porcelain", "--", "normalize") else "")


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
    parser.add_argument("--checkout", type=Path, default=ROOT, metavar="DIR",
                        help="serve this checkout (default: the one this script is in)")
    parser.add_argument("--baseline", type=Path, action="append", default=[], metavar="DIR",
                        help="also serve this checkout (e.g. git worktree add /tmp/old <commit>), "
                             "load the servers in turn and compare (repeatable)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="rounds of every level on every server, the order rotated (default 1)")
    parser.add_argument("--load", choices=["auto", "wrk", "httpx"], default="auto",
                        help="load generator: wrk (in C) or threads of httpx clients; "
                             "auto: wrk where it is installed")
    args = parser.parse_args(argv)
    try:
        import httpx
    except ImportError:
        print("bench_desk.py needs httpx: pip install httpx", file=sys.stderr)
        return 2
    use_wrk = args.load == "wrk" or (args.load == "auto" and shutil.which("wrk") is not None)
    if use_wrk and shutil.which("wrk") is None:
        parser.error("--load wrk: wrk is not installed (Debian: apt install wrk)")
    duration = min(max(args.duration, 1.0), MAX_DURATION)
    levels = [int(c) for c in args.concurrency.split(",") if c.strip()]
    if not levels or any(c < 1 or c > 64 for c in levels):
        parser.error("--concurrency takes numbers from 1 to 64")
    checkouts = [args.checkout.resolve(), *(b.resolve() for b in args.baseline)]
    for checkout in checkouts:
        if not (checkout / "normalize" / "__main__.py").is_file():
            parser.error(f"{checkout}: not an mtnorm checkout (no normalize/__main__.py)")
    if args.wmt22_bytes:
        text, name = wmt22_story(args.wmt22_bytes), f"WMT22 references, first {args.wmt22_bytes} bytes"
        body = {"text": text, "lang": "en", "style": "ap"}
    else:
        text, name = args.text.read_text(encoding="utf-8"), args.text.name
        body = {"text": text, "lang": "en", "style": "ap", "source_lang": "fr"}

    servers: list[tuple[str, subprocess.Popen, str]] = []
    failed: list[str] = []
    results: dict[tuple[str, int], list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-desk-") as tmp:
        try:
            for checkout in checkouts:
                port = free_port()
                base = f"http://{HOST}:{port}"
                proc = start_server(port, args.threads, checkout)
                label = f"{checkout} ({commit_of(checkout)})"
                servers.append((label, proc, f"{base}/api/{args.endpoint}"))
                wait_ready(httpx, base, proc)
                waited = wait_idle(proc.pid)
                with httpx.Client(timeout=300) as client:  # warm-up: rules, index, first parse
                    for _ in range(5):
                        r = client.post(f"{base}/api/{args.endpoint}", json=body)
                        r.raise_for_status()
                    findings = len(r.json()["files"][0]["findings"]) if args.endpoint == "check" \
                        else len(r.json()["applied"])
                print(f"server {len(servers)}: {label}, mtnorm serve --threads {args.threads}, "
                      f"start-up warm-up {waited:.1f} s; {findings} "
                      f"{'findings' if args.endpoint == 'check' else 'edits'}", flush=True)
            print(f"mtnorm desk {args.endpoint} benchmark: {name} ({len(text.encode()):,} bytes), "
                  f"{duration:g} s per level, {args.rounds} round(s), load from "
                  f"{'wrk (one thread, one connection per client)' if use_wrk else 'httpx client threads'}; "
                  f"{machine()}, Python {platform.python_version()}, "
                  f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
                  f"load average {os.getloadavg()[0]:.1f}", flush=True)
            print(f"{'server':>6} {'clients':>7} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} "
                  f"{'p99 ms':>8} {'max ms':>8} {'srv CPU ms/req':>14} {'req/CPU-s':>9}  errors")
            for rnd in range(args.rounds):
                for c in levels:
                    order = servers[rnd % len(servers):] + servers[:rnd % len(servers)]
                    for label, proc, url in order:
                        number = [s[0] for s in servers].index(label) + 1
                        cpu0 = cpu_seconds(proc.pid)
                        res = (wrk_load(url, body, c, duration, Path(tmp)) if use_wrk
                               else load(httpx, url, body, c, duration))
                        cpu = cpu_seconds(proc.pid) - cpu0
                        res["cpu_ms"] = cpu / res["requests"] * 1000 if res["requests"] else float("nan")
                        results.setdefault((label, c), []).append(res)
                        errs = ", ".join(f"{k}: {v}" for k, v in res["errors"].items()) or "none"
                        print(f"{number:>6} {c:>7} {res['requests']:>9} {res['rps']:>8.1f} {res['p50']:>8.1f} "
                              f"{res['p90']:>8.1f} {res['p99']:>8.1f} {res['max']:>8.1f} "
                              f"{res['cpu_ms']:>14.2f} {1000 / res['cpu_ms']:>9.1f}  {errs}", flush=True)
                        # A failed request is left out of the latencies but its server CPU is in
                        # the CPU per request: a level with failures measures something else.
                        if res["errors"] or not res["requests"]:
                            failed.append(f"server {number}, {c} client(s): {res['requests']} answered, "
                                          f"errors {errs}")
                        if proc.poll() is not None:
                            failed.append(f"server {number} exited ({proc.returncode}) during the "
                                          f"{c}-client level")
                            raise SystemExit(1)
        finally:
            for _, proc, _ in servers:
                proc.terminate()
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()
    if failed:
        print("bench: requests failed, the figures above do not measure the desk:\n  "
              + "\n  ".join(failed), file=sys.stderr)
        return 1
    if args.rounds > 1 or len(servers) > 1:
        print(f"\nmedians over {args.rounds} round(s):")
        print("| server | clients | req/s | server CPU ms/request | requests per CPU-second | p99 ms | "
              "vs server 1 (CPU per request) | same, by round: median (range) |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for c in levels:
            first_runs = results[(servers[0][0], c)]
            first = statistics.median(r["cpu_ms"] for r in first_runs)
            for label, _, _ in servers:
                runs = results[(label, c)]
                cpu_ms = statistics.median(r["cpu_ms"] for r in runs)
                # Each round loads the servers one after the other: a ratio within a round
                # compares two runs a few seconds apart, whatever the machine does over the
                # whole run (on a shared machine its speed drifts by 10-20%).
                paired = [r["cpu_ms"] / f["cpu_ms"] for r, f in zip(runs, first_runs)]
                print(f"| {label} | {c} | {statistics.median(r['rps'] for r in runs):.0f} | {cpu_ms:.2f} | "
                      f"{1000 / cpu_ms:.0f} | {statistics.median(r['p99'] for r in runs):.1f} | "
                      f"{cpu_ms / first:.2f}x | {statistics.median(paired):.2f}x "
                      f"({min(paired):.2f}-{max(paired):.2f}) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
