"""Whole process against whole process: `mtnorm check`/`fix` against sacremoses' Moses
punctuation normaliser on the same file, alternated by hyperfine in one run.

The input is the WMT22 English human references (de-en and zh-en, A and B: about 1 MB of
distinct news sentences) read from ``../shared/benchmarks`` and written to ``.bench/``; it is
never copied into the repository. ``--baseline DIR`` adds the same commands run from another
checkout of mtnorm (e.g. ``git worktree add /tmp/old <commit>``), so a change can be measured
against the code before it in the same run.

Needs Debian's ``hyperfine`` and ``pip install -e '.[bench]'`` (sacremoses). Prints the
commands and a table of medians: seconds, MB/s and the ratio to Moses (its throughput
over Moses's, so above 1 is faster than Moses).
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFS = ROOT.parent / "shared" / "benchmarks" / "wmt22_general" / "txt" / "references"
MOSES = """import sys
from sacremoses import MosesPunctNormalizer
normalizer = MosesPunctNormalizer(lang="en")
write = sys.stdout.write
for line in open(sys.argv[1], encoding="utf-8"):
    write(normalizer.normalize(line))
"""


def build_input() -> Path:
    """The WMT22 English references, concatenated, in ``.bench/``."""
    if not REFS.is_dir():
        sys.exit(f"bench_whole_process: {REFS} not found (the shared benchmarks are needed)")
    out = ROOT / ".bench" / "wmt22-refs-en.txt"
    out.parent.mkdir(exist_ok=True)
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(REFS.glob("*.en")))
    if not out.is_file() or out.read_text(encoding="utf-8") != text:
        out.write_text(text, encoding="utf-8")
    return out


def mtnorm(python: str, command: str, path: Path, checkout: Path | None, cache: str) -> str:
    """A shell command running ``python -m normalize`` from ``checkout`` (this one if None);
    exit 1 (findings) counts as success."""
    where = f"cd {shlex.quote(str(checkout))} && " if checkout else ""
    run = (f"{where}MTNORM_CACHE_DIR={shlex.quote(cache)} {shlex.quote(python)} -m normalize "
           f"{command} --lang en --style ap {shlex.quote(str(path))} > /dev/null; test $? -le 1")
    return f"bash -c {shlex.quote(run)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (default 5)")
    parser.add_argument("--baseline", type=Path, help="another mtnorm checkout to compare with")
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    args = parser.parse_args(argv)
    if shutil.which("hyperfine") is None:
        sys.exit("bench_whole_process: hyperfine is missing (apt-get install hyperfine)")
    path = build_input()
    python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="mtnorm-bench-"))
    moses = work / "moses.py"
    moses.write_text(MOSES, encoding="utf-8")
    cache = str(work / "cache")
    commands = [("Moses (sacremoses, per line)", f"{shlex.quote(python)} {moses} {shlex.quote(str(path))}")]
    for label, checkout, cache_dir in (("now", None, cache),
                                       ("baseline", args.baseline, cache + "-baseline")):
        if label == "baseline" and checkout is None:
            continue
        for command in ("check", "fix"):
            commands.append((f"mtnorm {command} ({label})", mtnorm(python, command, path, checkout, cache_dir)))
    for _, cmd in commands[1:]:  # build the gazetteer index outside the timings
        subprocess.run(cmd, shell=True, check=False)
    results = work / "results.json"
    argv_h = ["hyperfine", "-N", "-w", "1", "-r", str(args.runs), "--export-json", str(results)]
    for label, cmd in commands:
        argv_h += ["-n", label, cmd]
    print(f"input: {path} ({path.stat().st_size:,} bytes); machine: {os.cpu_count()} cores")
    for label, cmd in commands:
        print(f"  {label}: {cmd}")
    subprocess.run(argv_h, check=True, stdout=subprocess.DEVNULL)
    medians = [statistics.median(r["times"]) for r in json.loads(results.read_text())["results"]]
    megabytes = path.stat().st_size / 1e6
    lines = ["| command | median s | MB/s | throughput vs Moses |", "|---|---:|---:|---:|"]
    for (label, _), median in zip(commands, medians):
        lines.append(f"| {label} | {median:.2f} | {megabytes / median:.2f} | {medians[0] / median:.2f}x |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
