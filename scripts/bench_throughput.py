#!/usr/bin/env python3
"""Throughput, whole process against whole process: ``mtnorm`` against sacremoses' Moses.

Every contender is a command of its own (interpreter start, imports, data
loading and output included), run on the same input, alternated (rounds of one
hyperfine run of each command, the order rotated), and reported as medians:

- text: ``--size-mb`` MB (default 20) of English news, the WMT22 general-task
  human references (``../shared/benchmarks/wmt22_general/txt/references``)
  repeated into ``.bench/`` (git-ignored; never copied into the repository);
  ``mtnorm check`` and ``mtnorm fix``, every rule, ``--style ap``, against
  ``MosesPunctNormalizer(lang="en").normalize`` per line in its own process;
- JSONL: the same text as one sentence per record (``{"id": N, "text": ...}``);
  ``mtnorm fix -j 1`` and ``-j 2`` against Moses on the ``text`` field of every
  record (JSON in, JSON out);
- start-up: one article (~40 lines of the references), ``mtnorm check`` with a
  warm cache, and ``mtnorm gazetteer lookup Kiev``, against ``python -c pass``.

``--baseline DIR`` adds the same mtnorm commands run from another checkout
(e.g. ``git worktree add /tmp/old <commit>``), so a change is measured
against the code before it in the same run. Each checkout gets its own cache
directory, filled before timing; byte code is compiled once into a private
``PYTHONPYCACHEPREFIX`` (as an installed wheel has it), so a machine that sets
``PYTHONDONTWRITEBYTECODE`` does not charge every run for compiling modules.

Prints the machine, the date and every command (rerun any of them by hand),
then a Markdown table of medians: wall seconds, CPU seconds (user + system of the
whole process tree: steadier than wall time on a shared machine), MB/s and throughput
relative to Moses on the same input (above 1 is faster than Moses). MB = 10**6 bytes.

Usage::

    .venv/bin/python scripts/bench_throughput.py                     # 20 MB, 3 runs
    .venv/bin/python scripts/bench_throughput.py --size-mb 5 --runs 5 --baseline /tmp/old
    .venv/bin/python scripts/bench_throughput.py --only startup --runs 20

Needs Debian's ``hyperfine`` and sacremoses (``pip install -e '.[bench]'``).
For in-process hot spots use ``python -m cProfile -m normalize check ...``.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REFS = REPO.parent / "shared" / "benchmarks" / "wmt22_general" / "txt" / "references"
BENCH_DIR = REPO / ".bench"
MB = 1_000_000

MOSES_TEXT = """import sys
from sacremoses import MosesPunctNormalizer
normalize = MosesPunctNormalizer(lang="en").normalize
write = sys.stdout.write
for line in open(sys.argv[1], encoding="utf-8"):
    write(normalize(line))
"""
MOSES_JSONL = """import json, sys
from sacremoses import MosesPunctNormalizer
normalize = MosesPunctNormalizer(lang="en").normalize
write = sys.stdout.write
for line in open(sys.argv[1], encoding="utf-8"):
    record = json.loads(line)
    record["text"] = normalize(record["text"])
    write(json.dumps(record, ensure_ascii=False) + "\\n")
"""


# -- inputs ---------------------------------------------------------------------------
def reference_files() -> list[Path]:
    """The English human references (``*-en.ref.*.en``)."""
    if not REFS.is_dir():
        sys.exit(f"bench: {REFS} is missing: the text comes from ../shared/benchmarks/wmt22_general")
    files = sorted(p for p in REFS.iterdir() if p.name.endswith(".en") and "-en.ref." in p.name)
    if not files:
        sys.exit(f"bench: no English references (*-en.ref.*.en) in {REFS}")
    return files


def _atomic(path: Path, data: bytes) -> Path:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path


def text_path(size_mb: float) -> Path:
    """Where :func:`build_text` writes the text of ``size_mb`` MB (the JSONL beside it)."""
    return BENCH_DIR / f"wmt22-en-{size_mb:g}MB.txt"


def build_text(size_mb: float) -> Path:
    """``.bench/wmt22-en-<size>MB.txt``: the references repeated, cut at a line end."""
    BENCH_DIR.mkdir(exist_ok=True)
    path = text_path(size_mb)
    base = "".join(f.read_text(encoding="utf-8").rstrip("\n") + "\n" for f in reference_files()).encode()
    target = int(size_mb * MB)
    raw = (base * (target // len(base) + 1))[:target]
    raw = raw[:raw.rfind(b"\n") + 1]
    if not path.is_file() or path.stat().st_size != len(raw):
        _atomic(path, raw)
    return path


def build_jsonl(size_mb: float) -> Path:
    """The same text as JSONL, one sentence (line) per record."""
    text = build_text(size_mb)
    path = text.with_suffix(".jsonl")
    if not path.is_file() or path.stat().st_mtime < text.stat().st_mtime:
        with open(text, encoding="utf-8") as src:
            data = "".join(json.dumps({"id": n, "text": line.rstrip("\n")}, ensure_ascii=False) + "\n"
                           for n, line in enumerate(src) if line.strip())
        _atomic(path, data.encode("utf-8"))
    return path


def build_article(lines: int = 40) -> Path:
    """One article: the first ``lines`` lines of the first reference file."""
    BENCH_DIR.mkdir(exist_ok=True)
    with open(reference_files()[0], encoding="utf-8") as src:
        text = "".join(line for _, line in zip(range(lines), src))
    path = BENCH_DIR / f"article-{lines}-lines.txt"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        _atomic(path, text.encode("utf-8"))
    return path


def machine() -> str:
    """CPU model, cores and memory, in words."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{model}, {os.cpu_count()} CPUs{memory}, {platform.system()} {platform.release()}"


# -- helpers other benchmarks import (bench_matcher.py, bench_multipattern.py) ----------------
def load_text(size_mb: float, quiet: bool = False) -> str:
    """English news text of ``size_mb`` MB (cut at a line end), cached in ``.bench/``."""
    import hashlib

    files = reference_files()
    signature = hashlib.sha256()
    for f in files:
        st = f.stat()
        signature.update(f"{f.name}:{st.st_size}:{int(st.st_mtime)}\n".encode())
    tag = signature.hexdigest()[:10]
    BENCH_DIR.mkdir(exist_ok=True)
    cache = BENCH_DIR / f"wmt22-en-refs-{size_mb:g}MB-{tag}.txt"
    if cache.is_file():
        return cache.read_text(encoding="utf-8")
    base = "".join(f.read_text(encoding="utf-8").rstrip("\n") + "\n" for f in files)
    base_bytes = len(base.encode("utf-8"))
    target = int(size_mb * MB)
    text = base * (target // base_bytes + 1)
    raw = text.encode("utf-8")[:target]
    raw = raw[:raw.rfind(b"\n") + 1]  # whole lines only
    text = raw.decode("utf-8")
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, cache)
    if not quiet:
        print(f"built {cache.relative_to(REPO)} from {len(files)} reference files "
              f"({base_bytes / MB:.2f} MB, repeated)")
    return text


def split_documents(text: str, doc_bytes: int = 64 * 1024) -> list[str]:
    """The text as documents of about ``doc_bytes`` bytes, cut at line boundaries."""
    docs: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.splitlines(keepends=True):
        current.append(line)
        size += len(line.encode("utf-8"))
        if size >= doc_bytes:
            docs.append("".join(current))
            current, size = [], 0
    if current:
        docs.append("".join(current))
    return docs


# The gazetteer index has changed shape while the project grew (a pickled dict,
# then marshal, then SQLite); these helpers read whichever this checkout has.
def index_keys(index) -> list[str]:
    """Every name key of a LanguageIndex."""
    by_key = getattr(index, "by_key", None)
    if isinstance(by_key, dict):
        return list(by_key)
    path = getattr(index, "path", None)
    if path is not None:
        import sqlite3

        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            return [k for (k,) in conn.execute("SELECT DISTINCT key FROM names")]
    raise SystemExit("bench: cannot list the keys of this LanguageIndex (no by_key, no path)")


def count_names(index) -> int:
    """Names in a LanguageIndex."""
    names = getattr(index, "names", None)
    if isinstance(names, list):
        return len(names)
    by_key = getattr(index, "by_key", None)
    if isinstance(by_key, dict):
        return sum(v.count("\n") + 1 if isinstance(v, str) else len(v) for v in by_key.values())
    path = getattr(index, "path", None)
    if path is not None:
        import sqlite3

        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM names").fetchone()[0]
    return -1


def compile_scan_pattern(lowercase: str = "") -> float:
    """Seconds of the matcher's one-time setup: its capitalised-word regex, or the
    Unicode tables of ``rules/_words.py`` (numpy; read from the cache directory)."""
    from normalize.gazetteer import matcher

    candidates = [(getattr(matcher, "_initial_pattern", None), (lowercase,)),
                  (getattr(matcher, "_capitalised_word", None), ())]
    try:
        from normalize.rules import _words

        candidates.append((getattr(_words, "_tables", None), ()))
    except ImportError:
        pass
    for fn, args in candidates:
        if fn is not None:
            if hasattr(fn, "cache_clear"):
                fn.cache_clear()
            t0 = time.perf_counter()
            fn(*args)
            return time.perf_counter() - t0
    return 0.0


# -- commands ---------------------------------------------------------------------------
def shell(command: str, cwd: Path | None, env: dict[str, str], ok_codes: str = "0") -> str:
    """``bash -c`` running ``command`` in ``cwd`` with ``env``; exits listed in ``ok_codes`` pass."""
    where = f"cd {shlex.quote(str(cwd))} && " if cwd else ""
    assign = "".join(f"{k}={shlex.quote(v)} " for k, v in env.items())
    unset = "unset PYTHONDONTWRITEBYTECODE; " if "PYTHONPYCACHEPREFIX" in env else ""
    check = f"; case $? in {ok_codes.replace(',', '|')}) exit 0;; *) exit 1;; esac"
    return f"bash -c {shlex.quote(f'{unset}{where}{assign}{command} > /dev/null{check}')}"


def mtnorm(python: str, args: str, checkout: Path, work: Path, label: str) -> str:
    """``python -m normalize ARGS`` from ``checkout`` with a cache and byte code of its own."""
    env = {"MTNORM_CACHE_DIR": str(work / f"cache-{label}"),
           "PYTHONPYCACHEPREFIX": str(work / f"pyc-{label}")}
    # check exits 1 when it finds something: not a failure here.
    return shell(f"{shlex.quote(python)} -m normalize {args}", checkout, env, ok_codes="0,1")


def prefill(cmd: str, article: Path) -> None:
    """Fill the caches of an mtnorm command (gazetteer index, lexicon, byte code) by running
    it once on one article: they depend on the data and the language, not on the input."""
    if "-m normalize" in cmd:
        quoted = shlex.split(cmd)[2]  # the bash -c script
        script = quoted.split(" -m normalize ", 1)[0] + " -m normalize check --lang en --style ap " + \
            shlex.quote(str(article)) + " > /dev/null"
        subprocess.run(["bash", "-c", script], check=False)


def run_hyperfine(commands: list[tuple[str, str]], runs: int, work: Path,
                  warmup: int = 1) -> tuple[list[float], list[float]]:
    """Median wall seconds and median CPU seconds (user + system, the whole process tree),
    in the order of ``commands``.

    hyperfine runs all the runs of one command before the next; on a shared machine the
    load then drifts between contenders. So each round is one hyperfine call timing every
    command once (``-r 1``), the order rotated from round to round: old and new, Moses
    and mtnorm alternate, and a burst of load hits all of them alike.
    """
    times: list[list[float]] = [[] for _ in commands]
    cpu: list[list[float]] = [[] for _ in commands]
    for round_no in range(runs):
        order = [(i + round_no) % len(commands) for i in range(len(commands))]
        results = work / f"hyperfine-{round_no}.json"
        argv = ["hyperfine", "-N", "-w", str(warmup if round_no == 0 else 0), "-r", "1",
                "--export-json", str(results)]
        for i in order:
            argv += ["-n", commands[i][0], commands[i][1]]
        subprocess.run(argv, check=True, stdout=sys.stderr)
        for i, result in zip(order, json.loads(results.read_text())["results"]):
            times[i] += result["times"]
            cpu[i].append(result["user"] + result["system"])
    return [statistics.median(t) for t in times], [statistics.median(c) for c in cpu]


def _seconds(value: float) -> str:
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 100 else f"{value:.0f}"


def table(rows: list[tuple[str, float, float, float | None, float | None]]) -> str:
    """Rows of (label, wall median, CPU median, MB or None, Moses's wall median or None)."""
    out = ["| command | median s | CPU s | MB/s | throughput vs Moses |", "|---|---:|---:|---:|---:|"]
    for label, median, cpu, size, moses in rows:
        mbs = f"{size / median:.2f}" if size else ""
        ratio = f"{moses / median:.2f}x" if moses else ""
        out.append(f"| {label} | {_seconds(median)} | {_seconds(cpu)} | {mbs} | {ratio} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=20, help="input size in MB (default 20)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each command (default 3)")
    parser.add_argument("--baseline", type=Path, help="another mtnorm checkout to run beside this one")
    parser.add_argument("--only", action="append", choices=["text", "jsonl", "startup"],
                        help="run only these parts (repeatable; default all)")
    parser.add_argument("--markdown", type=Path, help="also write the tables here")
    args = parser.parse_args(argv)
    if shutil.which("hyperfine") is None:
        sys.exit("bench: hyperfine is missing (apt-get install hyperfine)")
    parts = args.only or ["startup", "text", "jsonl"]
    python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="mtnorm-bench-"))
    (work / "moses_text.py").write_text(MOSES_TEXT, encoding="utf-8")
    (work / "moses_jsonl.py").write_text(MOSES_JSONL, encoding="utf-8")
    checkouts = [("", REPO)] + ([(" (baseline)", args.baseline.resolve())] if args.baseline else [])
    q = shlex.quote
    sections: list[tuple[str, list[tuple[str, str]], float | None, bool]] = []
    article = build_article()
    if "startup" in parts:
        cmds = [("python -c pass", f"{q(python)} -c pass")]
        for tag, checkout in checkouts:
            cmds.append((f"`mtnorm check` one article{tag}",
                         mtnorm(python, f"check --lang en --style ap {q(str(article))}", checkout, work,
                                f"c{len(cmds)}")))
        for tag, checkout in checkouts:
            # A cache of its own, filled by hyperfine's warm-up run.
            cmds.append((f"`mtnorm gazetteer lookup Kiev`{tag}",
                         mtnorm(python, "gazetteer lookup Kiev", checkout, work, f"c{len(cmds)}")))
        sections.append((f"start-up: {article.stat().st_size:,} bytes", cmds, None, False))
    if "text" in parts:
        text = build_text(args.size_mb)
        cmds = [("Moses (sacremoses `MosesPunctNormalizer`, per line)",
                 shell(f"{q(python)} {q(str(work / 'moses_text.py'))} {q(str(text))}", None, {}))]
        for tag, checkout in checkouts:
            for command in ("check", "fix"):
                cmds.append((f"`mtnorm {command}`, all rules{tag}",
                             mtnorm(python, f"{command} --lang en --style ap {q(str(text))}", checkout, work,
                                    f"c{len(cmds)}")))
        # A large text is checked in pieces: in the main process by default (bounded
        # memory), or in worker processes with -j.
        for command in ("check", "fix"):
            cmds.append((f"`mtnorm {command} -j 2`, all rules",
                         mtnorm(python, f"{command} --lang en --style ap -j 2 {q(str(text))}", REPO, work,
                                f"c{len(cmds)}")))
        sections.append((f"text: {text.stat().st_size / MB:.1f} MB", cmds, text.stat().st_size / MB, True))
    if "jsonl" in parts:
        jsonl = build_jsonl(args.size_mb)
        cmds = [("Moses per record (JSON in and out)",
                 shell(f"{q(python)} {q(str(work / 'moses_jsonl.py'))} {q(str(jsonl))}", None, {}))]
        for tag, checkout in checkouts:
            for jobs in ("1", "2"):
                cmds.append((f"`mtnorm fix -j {jobs}`, JSONL{tag}",
                             mtnorm(python, f"fix --lang en --style ap -q -j {jobs} {q(str(jsonl))}",
                                    checkout, work, f"c{len(cmds)}")))
        records = jsonl.read_bytes().count(b"\n")
        sections.append((f"JSONL: {jsonl.stat().st_size / MB:.1f} MB, {records:,} records", cmds,
                         jsonl.stat().st_size / MB, True))

    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    header = (f"machine: {machine()}; Python {platform.python_version()}; {stamp}; "
              f"load average {os.getloadavg()[0]:.1f} at start; {args.runs} runs each, medians")
    print(header, flush=True)
    tables = [header]
    for title, cmds, size, vs_moses in sections:
        print(f"\n## {title}", flush=True)
        for label, cmd in cmds:
            print(f"  {label}: {cmd}", flush=True)
        for _, cmd in cmds:
            prefill(cmd, article)
        medians, cpu = run_hyperfine(cmds, args.runs, work, warmup=1 if size is None else 0)
        moses = medians[0] if vs_moses else None
        rows = [(label, m, c, size, moses) for (label, _), m, c in zip(cmds, medians, cpu)]
        tables.append(f"{title}\n\n{table(rows)}")
        print(f"\n{table(rows)}", flush=True)
    if args.markdown:
        args.markdown.write_text("\n\n".join(tables) + "\n", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
