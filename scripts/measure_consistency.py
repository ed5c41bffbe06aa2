"""Findings of the corpus consistency pass (pair.inconsistent_translation,
pair.inconsistent_source) per 1,000 segments of human translations, and of MT output
for contrast: each set is one JSONL corpus checked by ``mtnorm check --source-field``
(the batch engine's corpus pass, as a user runs it). Reads ../shared/benchmarks/, copies
nothing into the repository. ``--examples N`` prints N findings per set (to judge them).

    python scripts/measure_consistency.py [--examples 3]
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "benchmarks"
RULES = ("pair.inconsistent_translation", "pair.inconsistent_source")


def _lines(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [line.rstrip("\n") for line in handle]


def _wmt(pair: str, target: str) -> tuple[list[str], list[str]]:
    src, tgt = pair.split("-")
    base = BENCH / "wmt22_general" / "txt"
    sources = _lines(base / "sources" / f"generaltest2022.{pair}.src.{src}")
    if target.startswith("ref"):
        targets = _lines(base / "references" / f"generaltest2022.{pair}.{target}.{tgt}")
    else:
        targets = _lines(base / "system-outputs" / f"generaltest2022.{pair}.hyp.{target}.{tgt}.gz")
    return sources, targets


def _mlqe(pair: str, split: str) -> tuple[list[str], list[str]]:
    folder = BENCH / "mlqe_pe" / f"{pair}-{split}"
    return _lines(folder / f"{split}.src"), _lines(folder / f"{split}.pe")


def _mqm(name: str, system: str) -> tuple[list[str], list[str]]:
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    for line in _lines(BENCH / "mqm" / name)[1:]:
        cells = line.split("\t")
        if len(cells) < 7 or cells[0] != system:
            continue
        key = (cells[1], cells[3])
        seen.setdefault(key, (cells[5], re.sub(r"</?v>", "", cells[6])))
    pairs = [seen[k] for k in sorted(seen)]
    return [s for s, _ in pairs], [t for _, t in pairs]


SETS = [
    ("WMT22 de-en reference A", "human", "de", "en", lambda: _wmt("de-en", "ref.A")),
    ("WMT22 de-en reference B", "human", "de", "en", lambda: _wmt("de-en", "ref.B")),
    ("WMT22 zh-en reference A", "human", "zh", "en", lambda: _wmt("zh-en", "ref.A")),
    ("WMT22 zh-en reference B", "human", "zh", "en", lambda: _wmt("zh-en", "ref.B")),
    ("MQM TED zh-en ref", "human", "zh", "en", lambda: _mqm("mqm_ted_zhen.tsv.gz", "ref")),
    ("MQM TED zh-en refB", "human", "zh", "en", lambda: _mqm("mqm_ted_zhen.tsv.gz", "refB")),
    ("MQM TED en-de ref", "human", "en", "de", lambda: _mqm("mqm_ted_ende.tsv.gz", "ref")),
    ("MLQE-PE ro-en test20 post-edits", "human", "ro", "en", lambda: _mlqe("ro-en", "test20")),
    ("MLQE-PE et-en test20 post-edits", "human", "et", "en", lambda: _mlqe("et-en", "test20")),
    ("MLQE-PE ru-en test20 post-edits", "human", "ru", "en", lambda: _mlqe("ru-en", "test20")),
    ("MLQE-PE ro-en dev post-edits", "human", "ro", "en", lambda: _mlqe("ro-en", "dev")),
    ("WMT22 de-en Online-B (MT)", "MT", "de", "en", lambda: _wmt("de-en", "Online-B")),
    ("WMT22 zh-en Online-B (MT)", "MT", "zh", "en", lambda: _wmt("zh-en", "Online-B")),
]


def run(name: str, src_lang: str, lang: str, sources: list[str], targets: list[str],
        folder: Path, examples: int) -> Counter:
    path = folder / (re.sub(r"\W+", "_", name) + ".jsonl")
    with path.open("w", encoding="utf-8") as out:
        for i, (s, t) in enumerate(zip(sources, targets), 1):
            out.write(json.dumps({"id": str(i), "src": s, "text": t}, ensure_ascii=False) + "\n")
    proc = subprocess.run([sys.executable, "-m", "normalize", "check", "--isolated", "-q",
                           "--lang", lang, "--source-lang", src_lang, "--source-field", "src",
                           "--select", ",".join(RULES), "-f", "json", "-j", "1", str(path)],
                          capture_output=True, text=True, encoding="utf-8", check=False)
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr)
    findings = [f for file in json.loads(proc.stdout)["files"] for f in file["findings"]]
    for f in findings[:examples]:
        other = int(f["data"]["other"]["line"]) - 1
        here = int(f["line"]) - 1
        print(f"  {f['rule']} {f['severity']} {f['data']['likeness']}: "
              f"{sources[other]!r} -> {targets[other]!r} | "
              f"{sources[here]!r} -> {targets[here]!r}", file=sys.stderr)
    counts = Counter(f["rule"] for f in findings)
    counts.update(f"{f['rule']}:{f['severity']}" for f in findings)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=0)
    args = parser.parse_args()
    print("| set | kind | segments | inconsistent_translation (warning) | per 1k | "
          "inconsistent_source (warning) | per 1k |")
    print("|---|---|---:|---:|---:|---:|---:|")
    totals: dict[str, Counter] = {"human": Counter(), "MT": Counter()}
    with tempfile.TemporaryDirectory() as tmp:
        for name, kind, src_lang, lang, load in SETS:
            try:
                sources, targets = load()
            except FileNotFoundError as exc:
                print(f"skipped {name}: {exc}", file=sys.stderr)
                continue
            n = min(len(sources), len(targets))
            print(f"{name}:", file=sys.stderr)
            counts = run(name, src_lang, lang, sources[:n], targets[:n], Path(tmp), args.examples)
            totals[kind].update(counts)
            totals[kind]["segments"] += n
            print(_row(name, kind, n, counts))
    for kind, counts in totals.items():
        print(_row(f"**all {kind}**", kind, counts["segments"], counts))


def _row(name: str, kind: str, n: int, counts: Counter) -> str:
    cells = []
    for rule in RULES:
        total, warn = counts[rule], counts[f"{rule}:warning"]
        cells.append(f"{total} ({warn}) | {1000 * total / max(n, 1):.2f} "
                     f"({1000 * warn / max(n, 1):.2f})")
    return f"| {name} | {kind} | {n:,} | {' | '.join(cells)} |"


if __name__ == "__main__":
    main()
