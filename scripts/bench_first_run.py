"""The first run on a fresh machine against a warm run: CPU seconds of one command
with an empty ``MTNORM_CACHE_DIR``, then of the same command again with the cache it
filled, best of ``--runs`` rounds (each round a new empty cache).

Commands: ``check`` of one article in English (``--style ap``) and in ``--lang``
(default fr), and ``gazetteer lookup Kiev``. ``--python`` runs them with another
interpreter, e.g. that of a virtualenv where the wheel is installed::

    .venv/bin/pip wheel --no-deps -w /tmp/whl .
    python3 -m venv /tmp/v && /tmp/v/bin/pip install /tmp/whl/mtnorm-*.whl
    .venv/bin/python scripts/bench_first_run.py --python /tmp/v/bin/python

The commands run in an empty working directory, so ``python -m normalize`` imports
the package that interpreter has installed (this checkout for the project's own
virtualenv, an editable install), never the source tree by accident. CPU time is the
child's own (``os.wait4``), user plus system. Prints the machine, the date, the
package's place, whether it ships prebuilt data (``normalize/_prebuilt``) and whether
wordfreq (the lexicon's word lists, built into the cache on first use) is installed.
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / ".bench" / "article-40-lines.txt"

#: What the interpreter under test says about its package (one line of key=value pairs).
PROBE = """import importlib.util, pathlib, normalize
pkg = pathlib.Path(normalize.__file__).parent
pre = pkg / "_prebuilt"
print(f"package={pkg}")
print(f"prebuilt={' '.join(sorted(p.name for p in pre.iterdir())) if pre.is_dir() else '-'}")
print(f"wordfreq={'yes' if importlib.util.find_spec('wordfreq') else 'no'}")
"""


def cpu_seconds(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    """User + system CPU seconds of one run of ``argv`` (exit 0 or 1: findings)."""
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode not in (0, 1):
        sys.exit(f"bench_first_run: {shlex.join(argv)} exited {proc.returncode}:\n"
                 f"{err.decode(errors='replace')[-2000:]}")
    return usage.ru_utime + usage.ru_stime


def machine() -> str:
    """The machine in words (as the other benchmarks print it), with its load average."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_throughput import machine as described

    load = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return f"{described()}, load average {load}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable, help="interpreter that runs mtnorm")
    parser.add_argument("--runs", type=int, default=3, help="rounds, each with a new empty cache")
    parser.add_argument("--article", type=Path, default=ARTICLE)
    parser.add_argument("--lang", default="fr", help="the second language of `check`")
    args = parser.parse_args(argv)
    article = args.article.resolve()
    if not article.is_file():
        sys.exit(f"bench_first_run: {article} not found")
    python = shutil.which(args.python) or args.python
    work = Path(tempfile.mkdtemp(prefix="mtnorm-first-run-"))
    env = {k: v for k, v in os.environ.items() if k not in ("MTNORM_CACHE_DIR", "PYTHONPATH")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed wheel has its byte code
    try:
        probe = subprocess.run([python, "-c", PROBE], env=env, cwd=work, capture_output=True,
                               text=True, check=True).stdout
        info = dict(line.split("=", 1) for line in probe.splitlines())
        # Byte code once, as pip does for an installed wheel (a no-op there).
        subprocess.run([python, "-m", "compileall", "-q", info["package"]], env=env, cwd=work,
                       stdout=subprocess.DEVNULL, check=False)
        commands = [
            ("check en", ["check", "--lang", "en", "--style", "ap", str(article)]),
            (f"check {args.lang}", ["check", "--lang", args.lang, str(article)]),
            ("gazetteer lookup", ["gazetteer", "lookup", "Kiev"]),
        ]
        print(f"# bench_first_run.py, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}")
        print(f"machine: {machine()}")
        print(f"python: {python} ({platform.python_version()} here)")
        print(f"package: {info['package']}")
        print(f"prebuilt data: {info['prebuilt']}")
        print(f"wordfreq installed: {info['wordfreq']}")
        print(f"rounds: {args.runs}, each: MTNORM_CACHE_DIR=<new empty dir> CMD (first), then CMD "
              "again (warm); CPU seconds (user+sys), best of the rounds; cwd: an empty directory")
        for label, cmd in commands:
            print(f"  {label}: {shlex.join([python, '-m', 'normalize', *cmd])}")
        print()
        print("| command | first run (CPU s) | warm run (CPU s) | first - warm |")
        print("|---|---:|---:|---:|")
        for label, cmd in commands:
            first, warm = [], []
            for i in range(args.runs):
                cache = work / f"cache-{label.replace(' ', '-')}-{i}"
                run_env = {**env, "MTNORM_CACHE_DIR": str(cache)}
                first.append(cpu_seconds([python, "-m", "normalize", *cmd], run_env, work))
                warm.append(cpu_seconds([python, "-m", "normalize", *cmd], run_env, work))
                shutil.rmtree(cache, ignore_errors=True)
            print(f"| {label} | {min(first):.2f} | {min(warm):.2f} | {min(first) - min(warm):+.2f} |",
                  flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
