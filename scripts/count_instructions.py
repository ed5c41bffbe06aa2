#!/usr/bin/env python3
"""Instructions one ``check`` of a text costs, counted by valgrind, for one or more checkouts.

Timings of a single check drift by 10-20% on a shared machine within minutes, more
than most changes to the check move them; an instruction count does not drift. Each
checkout's check runs once uncounted (its first run builds caches), then in a process
under ``valgrind --tool=callgrind`` twice, for N and for 2N texts after the same
warm-up, and the difference divided by N is what one more check costs (the start-up,
imports and data loading cancel out). Hash seeds are
fixed (``PYTHONHASHSEED=0``), so a run gives the same count each time. Instructions
are not time (cache misses, allocation and system calls weigh differently): use it to
tell whether a change to the check's code made it cheaper, and the whole-process
benchmarks (``bench_desk.py``, ``bench_throughput.py``) for what a user sees.

    .venv/bin/python scripts/count_instructions.py --checkout /tmp/before --checkout .
    .venv/bin/python scripts/count_instructions.py --text wmt22 --checkout .
    .venv/bin/python scripts/count_instructions.py --text records --docs 400 --warm 300

Texts: ``kharkiv`` (the desk's default story, ``--source-lang fr``), ``wmt22`` (the
first 1.2 KB of the WMT22 English references, as ``bench_desk.py --wmt22-bytes 1200``
sends), ``records`` (one-sentence WMT22 references, a different one each check:
``.bench/batch-wmt22-0.3MB.jsonl``, built by ``bench_batch.py``'s corpus builder on first
use) and ``stories`` (12 lines of the WMT22 English references at a time, ~1.1 KB, a
different story each check: a desk's new stories, whose words the caches have not
seen; the repeated stories above measure words seen before). Needs valgrind
(Debian: ``apt install valgrind``); a checkout is a directory with the package
(``git worktree add --detach /tmp/before <commit>``).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KHARKIV = REPO / "corpora" / "examples" / "wire-kharkiv-en-from-fr.txt"
#: The size of the records corpus (``bench_batch.build_corpus``), in MB.
RECORDS_MB = 0.3

#: The program each counted process runs: the checkout's package, ``warm`` checks,
#: then ``docs`` more (the texts come as JSON on stdin: one list, used in turn).
CHILD = r"""
import json, sys
checkout, warm, docs, source_lang = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] or None
sys.path.insert(0, checkout)
import normalize
assert normalize.__file__.startswith(checkout), normalize.__file__
from normalize.checker import get_linter
from normalize.document import Document
from normalize.linter import Options
texts = json.load(sys.stdin)
linter = get_linter(Options(lang="en", style="ap", source_lang=source_lang))
for i in range(warm + docs):
    linter.check(Document(texts[i % len(texts)], path="<text>", lang="en", style="ap",
                          source_lang=source_lang))
"""

_COLLECTED = re.compile(r"Collected : (\d+)")


def texts_for(kind: str) -> tuple[list[str], str]:
    """The texts a run checks in turn, and their source language ("" for none)."""
    if kind == "kharkiv":
        return [KHARKIV.read_text(encoding="utf-8")], "fr"
    sys.path.insert(0, str(REPO / "scripts"))
    if kind == "wmt22":
        from bench_desk import wmt22_story

        return [wmt22_story(1200)], ""
    if kind == "stories":
        from bench_desk import WMT22_REFERENCES

        lines = [line for path in sorted(WMT22_REFERENCES.glob("*.en"))
                 for line in path.read_text(encoding="utf-8").splitlines(keepends=True) if line.strip()]
        return ["".join(lines[i:i + 12]) for i in range(0, len(lines) - 11, 12)], ""
    from bench_batch import build_corpus

    with open(build_corpus(RECORDS_MB), encoding="utf-8") as src:
        return [json.loads(line)["text"] for line in src], ""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"}


def prepare(python: str, checkout: Path, texts: list[str], source_lang: str) -> None:
    """One uncounted run: a checkout's first run builds its caches (the dataclass and
    regex code, the gazetteer's index), which would otherwise count in the first of
    the two counted runs only."""
    proc = subprocess.run([python, "-c", CHILD, str(checkout), "1", "1", source_lang],
                          input=json.dumps(texts), capture_output=True, text=True, env=_env(),
                          check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{checkout}: the check failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")


def count(python: str, checkout: Path, texts: list[str], source_lang: str, warm: int, docs: int) -> int:
    """Instructions of a process that checks ``warm`` texts and then ``docs`` more."""
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", python, "-c", CHILD,
         str(checkout), str(warm), str(docs), source_lang],
        input=json.dumps(texts), capture_output=True, text=True, env=_env(), check=False)
    found = _COLLECTED.search(proc.stderr)
    if proc.returncode != 0 or found is None:
        raise SystemExit(f"{checkout}: the counted run failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkout", action="append", type=Path,
                        help="a directory holding the package (repeat to compare; default: this one)")
    parser.add_argument("--text", choices=["kharkiv", "wmt22", "records", "stories"], default="kharkiv")
    parser.add_argument("--docs", type=int, default=40, help="N: checks counted (default 40)")
    parser.add_argument("--warm", type=int, default=50,
                        help="checks before them, caches filled (default 50; 300 for records)")
    parser.add_argument("--python", default=sys.executable, help="the interpreter (default: this one)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt install valgrind)")
    if args.docs < 1 or args.warm < 0:
        raise SystemExit("--docs must be at least 1 and --warm at least 0")
    texts, source_lang = texts_for(args.text)
    checkouts = [c.resolve() for c in (args.checkout or [REPO])]
    print(f"instructions per check of {args.text} (--lang en --style ap"
          f"{' --source-lang ' + source_lang if source_lang else ''}), callgrind, "
          f"{args.warm} checks to warm up, the difference of {args.docs} and {2 * args.docs}:")
    first = None
    for checkout in checkouts:
        prepare(args.python, checkout, texts, source_lang)
        one = count(args.python, checkout, texts, source_lang, args.warm, args.docs)
        two = count(args.python, checkout, texts, source_lang, args.warm, 2 * args.docs)
        per = (two - one) // args.docs
        first = per if first is None else first
        print(f"  {checkout}: {per:,}" + (f" ({per / first - 1:+.1%} against the first)" if checkout != checkouts[0] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
