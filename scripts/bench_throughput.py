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

Every run must prove it did its work, or the benchmark stops with a message and
averages nothing: its exit status (``check`` exits 1 with findings), no Python
traceback on standard error, and its output (``check``: the summary line last;
``fix`` and Moses: at least half the input's bytes), read from files after each
round; no run under a third of its command's median (wall and CPU); and no file of a measured
checkout's ``normalize/`` changed during the timings. (A run of 20 MB once
"took" 0.13 s: the shared working tree had a module saved before the one it
imported from, every start crashed with ImportError, exit 1, which the old
wrapper passed as findings.) ``--checkout`` measures a snapshot nobody edits.

Prints the machine, the date and every command (rerun any of them by hand),
then a Markdown table of medians: wall seconds, CPU seconds (user + system of the
whole process tree: steadier than wall time on a shared machine), MB/s and throughput
relative to Moses on the same input (above 1 is faster than Moses), and every
run's wall seconds. MB = 10**6 bytes.

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
import re
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
#: The last line of ``mtnorm check``'s text report ("42 warnings, 9 infos in 1 file", "no
#: findings in 1 file"): written once every finding is, so it proves the run went through.
CHECK_SUMMARY = r"\bin [0-9,]+ files?\b"

#: Exit statuses of a command's wrapper (:func:`shell`) that are not the command's own.
EXIT_NO_CHECKOUT = 94
EXIT_MEANINGS = {1: "exit 1 (not a status this command may end with)",
                 2: "exit 2 (mtnorm: an error, e.g. an unreadable input or a bad option)",
                 EXIT_NO_CHECKOUT: "could not cd into the checkout",
                 130: "interrupted", 137: "killed (SIGKILL: out of memory?)", 143: "terminated"}


class Command(str):
    """A ``bash -c SCRIPT`` command line that also says how to tell a run that did its work
    from one that did not (a crash at start-up returns in a tenth of a second and, with exit
    1, looks like ``mtnorm check`` reporting findings): where its standard output and error
    go (``<out>.out``, ``<out>.err``, each run overwriting the last), how many bytes of
    output it must write, and what its last output line must match."""

    out: Path | None
    min_bytes: int
    last_line: str | None
    checkout: Path | None
    prefix: str | None

    def __new__(cls, line: str, *, out: Path | None = None, min_bytes: int = 0,
                last_line: str | None = None, checkout: Path | None = None,
                prefix: str | None = None) -> Command:
        self = super().__new__(cls, line)
        self.out, self.min_bytes, self.last_line = out, min_bytes, last_line
        #: The checkout the command runs (its sources must not change during the timings).
        self.checkout = checkout
        #: The script up to ``-m normalize`` (environment, checkout), for :func:`prefill`.
        self.prefix = prefix
        return self


_spare_dir: Path | None = None


def _spare_out(command: str) -> Path:
    """A place for the output of a command given no ``out``: a directory of this process."""
    global _spare_dir
    if _spare_dir is None:
        import atexit

        _spare_dir = Path(tempfile.mkdtemp(prefix="mtnorm-bench-out-"))
        atexit.register(shutil.rmtree, _spare_dir, True)
    import hashlib

    return _spare_dir / hashlib.sha1(command.encode()).hexdigest()[:12]


def shell(command: str, cwd: Path | None, env: dict[str, str], ok_codes: str = "0", *,
          out: Path | None = None, min_bytes: int = 0, last_line: str | None = None) -> Command:
    """``bash -c`` running ``command`` in ``cwd`` with ``env``: exits listed in ``ok_codes``
    become 0, any other status is kept (a failed run, which :func:`run_rounds` reports).
    Standard output and error go to ``<out>.out`` and ``<out>.err`` (files, not /dev/null:
    after each round :func:`verify_run` reads them; the wrapper itself runs no extra
    process, so the timings stay the command's own)."""
    q = shlex.quote
    out = out or _spare_out(f"{cwd}\0{env}\0{command}")
    where = f"cd {q(str(cwd))} || exit {EXIT_NO_CHECKOUT}; " if cwd else ""
    assign = "".join(f"{k}={q(v)} " for k, v in env.items())
    unset = "unset PYTHONDONTWRITEBYTECODE; " if "PYTHONPYCACHEPREFIX" in env else ""
    codes = ok_codes.replace(",", "|")
    script = (f"{unset}{where}{assign}{command} > {q(f'{out}.out')} 2> {q(f'{out}.err')}; "
              f"rc=$?; case $rc in {codes}) exit 0;; esac; exit $rc")
    return Command(f"bash -c {q(script)}", out=out, min_bytes=min_bytes, last_line=last_line,
                   checkout=cwd, prefix=f"{unset}{where}{assign}{command}".split(" -m normalize ")[0]
                   if " -m normalize " in command else None)


def mtnorm(python: str, args: str, checkout: Path, work: Path, label: str, *, min_bytes: int = 0,
           last_line: str | None = None) -> Command:
    """``python -m normalize ARGS`` from ``checkout`` with a cache and byte code of its own
    (``label`` names them and the output files: one label per command)."""
    env = {"MTNORM_CACHE_DIR": str(work / f"cache-{label}"),
           "PYTHONPYCACHEPREFIX": str(work / f"pyc-{label}")}
    # check exits 1 when it finds something: not a failure here (a crash exits 1 too:
    # verify_run tells them apart by the traceback and the output).
    return shell(f"{shlex.quote(python)} -m normalize {args}", checkout, env, ok_codes="0,1",
                 out=work / f"out-{label}", min_bytes=min_bytes, last_line=last_line)


def _run_failed(label: str, cmd: str, reason: str) -> str:
    return f"  {label}: {reason}\n    command: {cmd}"


def prefill(cmd: str, article: Path, label: str = "") -> None:
    """Fill the caches of an mtnorm command (gazetteer index, lexicon, byte code) by running
    it once on one article: they depend on the data and the language, not on the input.
    A run that fails stops the benchmark (the timed runs would fail the same way)."""
    prefix = getattr(cmd, "prefix", None)
    if not prefix:
        return
    script = f"{prefix} -m normalize check --lang en --style ap {shlex.quote(str(article))}"
    done = subprocess.run(["bash", "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          check=False)
    err = done.stderr.decode(errors="replace")
    sys.stderr.write(err)
    if done.returncode not in (0, 1) or "Traceback (most recent call last)" in err:
        raise SystemExit(f"bench: filling the caches failed (exit {done.returncode}); nothing timed\n"
                         + _run_failed(label or "command", f"bash -c {shlex.quote(script)}",
                                       _tail(err, 15)))


def _tail(text: str, lines: int) -> str:
    return "\n      ".join(text.rstrip().splitlines()[-lines:])


def _last_line(path: Path) -> str:
    with open(path, "rb") as f:
        f.seek(max(0, f.seek(0, os.SEEK_END) - 4096))
        tail = f.read().decode("utf-8", errors="replace").rstrip("\n")
    return tail.rsplit("\n", 1)[-1]


def verify_run(cmd: str, exit_code: int) -> str | None:
    """Why the run of ``cmd`` that just ended did not do its work, or None when it did: its
    exit status (after the wrapper's mapping), a Python traceback on standard error, less
    standard output than ``cmd.min_bytes``, or a last line not matching ``cmd.last_line``."""
    if exit_code != 0:
        return EXIT_MEANINGS.get(exit_code, f"exit {exit_code}")
    out = getattr(cmd, "out", None)
    if out is None:
        return None
    err_path, out_path = Path(f"{out}.err"), Path(f"{out}.out")
    if not out_path.is_file() or not err_path.is_file():
        return f"no output files ({out_path}, {err_path}): the command did not run"
    err = err_path.read_text(encoding="utf-8", errors="replace")
    if "Traceback (most recent call last)" in err:
        return f"a Python traceback on standard error:\n      {_tail(err, 8)}"
    size = out_path.stat().st_size
    if size < cmd.min_bytes:
        return (f"wrote {size:,} bytes to standard output, expected at least {cmd.min_bytes:,}"
                + (f"; standard error: {_tail(err, 5)}" if err.strip() else ""))
    if cmd.last_line:
        last = _last_line(out_path)
        if not re.search(cmd.last_line, last):
            return (f"standard output does not end with the summary line (/{cmd.last_line}/): "
                    f"{last[-200:]!r}" + (f"; standard error: {_tail(err, 5)}" if err.strip() else ""))
    return None


def source_fingerprint(checkout: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file of the checkout's package (``normalize/``,
    byte code left out): a shared working tree edited during the timings measures code that
    changed under it, or none (a module saved before what it imports crashes every start)."""
    root = checkout / "normalize"
    found: dict[str, tuple[int, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for name in filenames:
            path = os.path.join(dirpath, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            found[os.path.relpath(path, checkout)] = (st.st_size, st.st_mtime_ns)
    return found


def changed_sources(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    """The files added, removed or changed between two fingerprints (:func:`source_fingerprint`)."""
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def short_runs(times: list[float], fraction: float = 1 / 3) -> list[int]:
    """Indexes of the runs that took less than ``fraction`` of the median: a run that did
    not do the work the others did (with 2 runs the median is their mean, so a run of
    nothing beside a real one is under a third of it)."""
    if len(times) < 2:
        return []
    median = statistics.median(times)
    return [i for i, t in enumerate(times) if t < fraction * median]


def run_rounds(commands: list[tuple[str, str]], runs: int, work: Path,
               warmup: int = 1) -> list[list[tuple[float, float]]]:
    """Each command's runs as (wall seconds, CPU seconds: user + system, the whole process
    tree), in round order, in the order of ``commands``.

    hyperfine runs all the runs of one command before the next; on a shared machine the
    load then drifts between contenders. So each round is one hyperfine call timing every
    command once (``-r 1``), the order rotated from round to round: old and new, Moses
    and mtnorm alternate, and a burst of load hits all of them alike.

    After each round every run is checked (:func:`verify_run`, with hyperfine's exit status
    of each run: ``-i`` lets a round finish so that every failure is named), and so are the
    sources of the checkouts run (:func:`source_fingerprint`): the benchmark stops with a
    message, nothing averaged, at the first round with a failed run or a changed source.
    """
    checkouts = sorted({c.checkout for _, c in commands if isinstance(c, Command) and c.checkout},
                       key=str)
    before = {c: source_fingerprint(c) for c in checkouts}
    measured: list[list[tuple[float, float]]] = [[] for _ in commands]
    for round_no in range(runs):
        order = [(i + round_no) % len(commands) for i in range(len(commands))]
        results = work / f"hyperfine-{round_no}.json"
        argv = ["hyperfine", "-N", "-i", "-w", str(warmup if round_no == 0 else 0), "-r", "1",
                "--export-json", str(results)]
        for i in order:
            argv += ["-n", commands[i][0], commands[i][1]]
        subprocess.run(argv, check=True, stdout=sys.stderr)
        failures: list[str] = []
        for i, result in zip(order, json.loads(results.read_text())["results"]):
            label, cmd = commands[i]
            codes = result.get("exit_codes") or [0] * len(result["times"])
            for code in codes:
                reason = verify_run(cmd, code)
                if reason:
                    failures.append(_run_failed(label, cmd, reason))
            measured[i].append((result["times"][-1], result["user"] + result["system"]))
        if failures:
            raise SystemExit(f"bench: round {round_no + 1} of {runs}: {len(failures)} run(s) did not do "
                             f"their work; nothing averaged\n" + "\n".join(failures))
        for checkout in checkouts:
            changed = changed_sources(before[checkout], source_fingerprint(checkout))
            if changed:
                raise SystemExit(
                    f"bench: round {round_no + 1} of {runs}: {len(changed)} file(s) of {checkout} changed "
                    f"during the timings ({', '.join(changed[:10])}{', ...' if len(changed) > 10 else ''}); "
                    "the runs measured code that changed under them, nothing averaged. Measure a "
                    "checkout nobody edits: git worktree add /tmp/snap HEAD, then --checkout /tmp/snap")
    return measured


def check_runs(commands: list[tuple[str, str]], measured: list[list[tuple[float, float]]]) -> None:
    """Stop (SystemExit, nonzero) when a run of a command took less than a third of that
    command's median, in wall time and in CPU time alike: it cannot have done the same work
    as the others. (Both: on a shared machine a short command's wall time alone can vary
    threefold, its CPU time much less; a run that did nothing is short in both.)"""
    bad = []
    for (label, _), runs in zip(commands, measured):
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        short = sorted(set(short_runs(walls)) & set(short_runs(cpus)))
        if short:
            bad.append(f"  {label}: runs {', '.join(_seconds(w) for w in walls)} s wall, "
                       f"{', '.join(_seconds(c) for c in cpus)} s CPU (medians {_seconds(statistics.median(walls))}, "
                       f"{_seconds(statistics.median(cpus))}): run(s) {', '.join(str(i + 1) for i in short)} "
                       "under a third of both")
    if bad:
        raise SystemExit("bench: a run much shorter than its command's median did not do the same "
                         "work (a failure the checks missed, or a cache that skipped it); nothing "
                         "averaged\n" + "\n".join(bad))


def run_hyperfine(commands: list[tuple[str, str]], runs: int, work: Path,
                  warmup: int = 1) -> tuple[list[float], list[float]]:
    """Median wall seconds and median CPU seconds of each command (:func:`run_rounds`,
    :func:`check_runs`), in the order of ``commands``."""
    measured = run_rounds(commands, runs, work, warmup)
    check_runs(commands, measured)
    return ([statistics.median(w for w, _ in m) for m in measured],
            [statistics.median(c for _, c in m) for m in measured])


def _seconds(value: float) -> str:
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 100 else f"{value:.0f}"


def table(rows: list[tuple[str, list[tuple[float, float]], float | None, float | None]]) -> str:
    """Rows of (label, its runs as (wall, CPU) seconds, MB or None, Moses's wall median or
    None): medians, then every run's wall seconds in round order."""
    out = ["| command | median s | CPU s | MB/s | throughput vs Moses | runs: wall s |",
           "|---|---:|---:|---:|---:|---:|"]
    for label, runs, size, moses in rows:
        median = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        mbs = f"{size / median:.2f}" if size else ""
        ratio = f"{moses / median:.2f}x" if moses else ""
        each = ", ".join(_seconds(w) for w, _ in runs)
        out.append(f"| {label} | {_seconds(median)} | {_seconds(cpu)} | {mbs} | {ratio} | {each} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=20, help="input size in MB (default 20)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each command (default 3)")
    parser.add_argument("--checkout", type=Path, default=REPO,
                        help="the mtnorm checkout to measure (default this one; a shared working tree "
                             "that changes during the timings stops the benchmark: measure a "
                             "`git worktree add` snapshot instead)")
    parser.add_argument("--baseline", type=Path, help="another mtnorm checkout to run beside this one")
    parser.add_argument("--only", action="append", choices=["text", "jsonl", "startup"],
                        help="run only these parts (repeatable; default all)")
    parser.add_argument("--markdown", type=Path, help="also write the tables here")
    args = parser.parse_args(argv)
    if shutil.which("hyperfine") is None:
        sys.exit("bench: hyperfine is missing (apt-get install hyperfine)")
    checkouts = [("", args.checkout.resolve())]
    if args.baseline:
        checkouts.append((" (baseline)", args.baseline.resolve()))
    for _, checkout in checkouts:
        if not (checkout / "normalize" / "__main__.py").is_file():
            sys.exit(f"bench: {checkout} is not an mtnorm checkout (no normalize/__main__.py); "
                     "--checkout and --baseline take a directory, e.g. git worktree add /tmp/old <commit>")
    parts = args.only or ["startup", "text", "jsonl"]
    python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="mtnorm-bench-"))
    (work / "moses_text.py").write_text(MOSES_TEXT, encoding="utf-8")
    (work / "moses_jsonl.py").write_text(MOSES_JSONL, encoding="utf-8")
    main_checkout = checkouts[0][1]
    q = shlex.quote
    sections: list[tuple[str, list[tuple[str, str]], float | None, bool]] = []
    article = build_article()
    # Every command has a cache, byte code and output files of its own, named by its part
    # and place (a cache filled by one checkout is never read by another).
    if "startup" in parts:
        cmds = [("python -c pass", shell(f"{q(python)} -c pass", None, {}, out=work / "out-startup0"))]
        for tag, checkout in checkouts:
            cmds.append((f"`mtnorm check` one article{tag}",
                         mtnorm(python, f"check --lang en --style ap {q(str(article))}", checkout, work,
                                f"startup{len(cmds)}", last_line=CHECK_SUMMARY)))
        for tag, checkout in checkouts:
            # A cache of its own, filled before the timings (and by hyperfine's warm-up run).
            cmds.append((f"`mtnorm gazetteer lookup Kiev`{tag}",
                         mtnorm(python, "gazetteer lookup Kiev", checkout, work, f"startup{len(cmds)}",
                                min_bytes=1)))
        sections.append((f"start-up: {article.stat().st_size:,} bytes", cmds, None, False))
    if "text" in parts:
        text = build_text(args.size_mb)
        half = text.stat().st_size // 2  # the normalised or fixed text: about the input's size
        cmds = [("Moses (sacremoses `MosesPunctNormalizer`, per line)",
                 shell(f"{q(python)} {q(str(work / 'moses_text.py'))} {q(str(text))}", None, {},
                       out=work / "out-text0", min_bytes=half))]
        for tag, checkout in checkouts:
            for command in ("check", "fix"):
                cmds.append((f"`mtnorm {command}`, all rules{tag}",
                             mtnorm(python, f"{command} --lang en --style ap {q(str(text))}", checkout, work,
                                    f"text{len(cmds)}", **_proof(command, half))))
        # A large text is checked in pieces: in the main process by default (bounded
        # memory), or in worker processes with -j.
        for command in ("check", "fix"):
            cmds.append((f"`mtnorm {command} -j 2`, all rules",
                         mtnorm(python, f"{command} --lang en --style ap -j 2 {q(str(text))}", main_checkout,
                                work, f"text{len(cmds)}", **_proof(command, half))))
        sections.append((f"text: {text.stat().st_size / MB:.1f} MB", cmds, text.stat().st_size / MB, True))
    if "jsonl" in parts:
        jsonl = build_jsonl(args.size_mb)
        half = jsonl.stat().st_size // 2
        cmds = [("Moses per record (JSON in and out)",
                 shell(f"{q(python)} {q(str(work / 'moses_jsonl.py'))} {q(str(jsonl))}", None, {},
                       out=work / "out-jsonl0", min_bytes=half))]
        for tag, checkout in checkouts:
            for jobs in ("1", "2"):
                cmds.append((f"`mtnorm fix -j {jobs}`, JSONL{tag}",
                             mtnorm(python, f"fix --lang en --style ap -q -j {jobs} {q(str(jsonl))}",
                                    checkout, work, f"jsonl{len(cmds)}", min_bytes=half)))
        records = jsonl.read_bytes().count(b"\n")
        sections.append((f"JSONL: {jsonl.stat().st_size / MB:.1f} MB, {records:,} records", cmds,
                         jsonl.stat().st_size / MB, True))

    try:  # a stopped run leaves no caches behind either (~160 MB a part); its message
        # already quotes what the failed runs wrote
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        header = (f"machine: {machine()}; Python {platform.python_version()}; {stamp}; "
                  f"load average {os.getloadavg()[0]:.1f} at start; {args.runs} runs each, medians; "
                  f"checkout {main_checkout}")
        print(header, flush=True)
        tables = [header]
        for title, cmds, size, vs_moses in sections:
            print(f"\n## {title}", flush=True)
            for label, cmd in cmds:
                print(f"  {label}: {cmd}", flush=True)
            for label, cmd in cmds:
                prefill(cmd, article, label)
            measured = run_rounds(cmds, args.runs, work, warmup=1 if size is None else 0)
            check_runs(cmds, measured)
            moses = statistics.median(w for w, _ in measured[0]) if vs_moses else None
            rows = [(label, runs, size, moses) for (label, _), runs in zip(cmds, measured)]
            tables.append(f"{title}\n\n{table(rows)}")
            print(f"\n{table(rows)}", flush=True)
        if args.markdown:
            args.markdown.write_text("\n\n".join(tables) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _proof(command: str, half: int) -> dict[str, object]:
    """What a run of ``mtnorm check`` or ``fix`` of a text writes when it went through:
    check, its summary line last; fix, the fixed text (about the input's size)."""
    return {"last_line": CHECK_SUMMARY} if command == "check" else {"min_bytes": half}


if __name__ == "__main__":
    raise SystemExit(main())
