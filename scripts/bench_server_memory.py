#!/usr/bin/env python3
"""Peak memory of the copy desk under concurrent large uploads.

Starts ``mtnorm serve --port 0`` on 127.0.0.1 in a subprocess (reading the
port it prints), warms it up with one small check, then fires ``--uploads``
concurrent ``POST /api/check`` requests of about ``--size-mb`` MB each, for
``--rounds`` rounds, while a thread samples the RSS of the server's process
tree every 20 ms. Prints the RSS before, the peak, the RSS a few seconds
after each round, and the answers by status (200, 503, ...). Traffic goes to
127.0.0.1 only; every round and the whole run are bounded in time.

    python scripts/bench_server_memory.py                 # 64 x 1.9 MB, 2 rounds
    python scripts/bench_server_memory.py --uploads 16 --size-mb 1 --rounds 1

Needs psutil (the 'bench' extra) and the 'desk' extra. Exit 1 if the peak is
over ``--limit-mb`` (default 500).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "corpora" / "examples" / "wire-kharkiv-en-from-fr.txt"
HOST = "127.0.0.1"  # never anything else
ROUND_TIMEOUT = 300.0


def start_server(threads: int) -> tuple[subprocess.Popen, int]:
    """``mtnorm serve --port 0`` and the port it printed."""
    cmd = [sys.executable, "-m", "normalize", "serve", "--host", HOST, "--port", "0",
           "--threads", str(threads), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    assert proc.stderr is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if found:
            # Keep draining stderr so the server never blocks on a full pipe.
            threading.Thread(target=proc.stderr.read, daemon=True).start()
            return proc, int(found.group(1))
    proc.kill()
    raise SystemExit("the server did not print its port")


def tree_rss(pid: int) -> int:
    """RSS in bytes of ``pid`` and its children."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


class Sampler(threading.Thread):
    """Samples the process tree's RSS until stopped; ``peak`` is the largest seen."""

    def __init__(self, pid: int, every: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak = pid, every, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop_event.wait(self.every)

    def stop(self) -> int:
        self._stop_event.set()
        self.join(5)
        return self.peak


async def post(port: int, path: str, body: bytes, timeout: float) -> str:
    """One HTTP/1.1 POST on its own connection; the status code, or the error's name."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), 10)
    except (OSError, asyncio.TimeoutError) as exc:
        return type(exc).__name__
    try:
        # No "Connection: close": a refusal (503) comes before the body is read, and a server
        # closing a connection with unread data in it resets it, losing the answer.
        head = (f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode("ascii")

        async def send_body() -> None:
            try:
                writer.write(body)
                await writer.drain()
            except (ConnectionError, OSError):
                pass

        async def exchange() -> str:
            writer.write(head)
            sending = asyncio.ensure_future(send_body())
            status_line = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            await sending
            parts = status_line.split()
            return parts[1].decode() if len(parts) > 1 else "no answer"

        return await asyncio.wait_for(exchange(), timeout)
    except (ConnectionError, OSError, asyncio.TimeoutError) as exc:
        return type(exc).__name__
    finally:
        writer.close()


async def burst(port: int, body: bytes, uploads: int, timeout: float) -> Counter:
    results = await asyncio.gather(*(post(port, "/api/check", body, timeout) for _ in range(uploads)))
    return Counter(results)


def make_body(size_mb: float) -> bytes:
    story = EXAMPLE.read_text(encoding="utf-8") + "\n"
    target = int(size_mb * 1_000_000)
    text = story * max(1, (target - 100) // len(story.encode("utf-8")))
    return json.dumps({"text": text, "lang": "en"}, ensure_ascii=False).encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploads", type=int, default=64, help="concurrent uploads (1-256, default 64)")
    parser.add_argument("--size-mb", type=float, default=1.9, help="size of each upload (default 1.9)")
    parser.add_argument("--rounds", type=int, default=2, help="bursts, one after the other (1-5, default 2)")
    parser.add_argument("--threads", type=int, default=2, help="server worker threads (default 2)")
    parser.add_argument("--settle", type=float, default=5.0,
                        help="seconds to wait after a burst before measuring RSS again (default 5)")
    parser.add_argument("--warm-wait", type=float, default=15.0,
                        help="seconds to let the server warm up before the first burst (default 15)")
    parser.add_argument("--limit-mb", type=float, default=500.0, help="exit 1 above this peak (default 500)")
    args = parser.parse_args(argv)
    try:
        import psutil  # noqa: F401
    except ImportError:
        print("bench_server_memory.py needs psutil: pip install psutil", file=sys.stderr)
        return 2
    if not 1 <= args.uploads <= 256 or not 1 <= args.rounds <= 5 or not 0 < args.size_mb <= 64:
        parser.error("--uploads 1-256, --rounds 1-5, --size-mb up to 64")
    body = make_body(args.size_mb)
    small = json.dumps({"text": "The mayor of Kiev spoke.", "lang": "en"}).encode()

    proc, port = start_server(args.threads)
    try:
        warm = asyncio.run(burst(port, small, 1, 120))
        if warm != Counter({"200": 1}):
            raise SystemExit(f"warm-up failed: {dict(warm)}")
        time.sleep(args.warm_wait)  # the server warms its indexes up in the background
        start = tree_rss(proc.pid)
        print(f"mtnorm desk memory: {args.uploads} concurrent uploads of {len(body) / 1e6:.2f} MB "
              f"to POST /api/check, server --threads {args.threads}, {args.rounds} round(s)")
        print(f"RSS after warm-up: {start / 2**20:.0f} MiB")
        peak_all = 0
        for n in range(1, args.rounds + 1):
            sampler = Sampler(proc.pid)
            sampler.start()
            t0 = time.monotonic()
            answers = asyncio.run(burst(port, body, args.uploads, ROUND_TIMEOUT))
            wall = time.monotonic() - t0
            time.sleep(0.5)
            peak = sampler.stop()
            peak_all = max(peak_all, peak)
            time.sleep(args.settle)
            after = tree_rss(proc.pid)
            shown = ", ".join(f"{k}: {v}" for k, v in sorted(answers.items()))
            print(f"round {n}: {wall:.1f} s, answers {shown}; peak RSS {peak / 2**20:.0f} MiB, "
                  f"{args.settle:g} s later {after / 2**20:.0f} MiB", flush=True)
        print(f"peak RSS of the server process tree: {peak_all / 2**20:.0f} MiB "
              f"(limit {args.limit_mb:g} MiB)")
        return 0 if peak_all <= args.limit_mb * 2**20 else 1
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    sys.exit(main())
