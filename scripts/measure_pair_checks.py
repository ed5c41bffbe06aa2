#!/usr/bin/env python3
"""Measure the source-aware checks (pair.*, number.source_mismatch) on public data.

Prints, per rule and severity:

* findings per 1,000 segment pairs of human translations (WMT22 de-en and zh-en
  reference B, the MQM zh-en `refB` rows, MLQE-PE ro-en/ru-en/et-en test20
  post-edits; the calibration of pair.length_ratio used the other references);
* on the MQM zh-en MT output (13 systems, human references excluded): how many
  findings fall in a segment that a rater marked with an error (segment
  precision), and how many overlap an annotated error span;
* findings per 1,000 segments of the WMT22 de-en and zh-en system outputs, and
  how many times the rate on the human references of the same sources that is.

    python scripts/measure_pair_checks.py [--rules pair number.source_mismatch]
"""
from __future__ import annotations

import argparse
import bisect
import csv
import gzip
import re
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from build_length_ratios import SHARED, _lines, held_out_sets, wmt22  # noqa: E402

from normalize.api import get_linter  # noqa: E402
from normalize.document import Document  # noqa: E402
from normalize.findings import Finding, Severity  # noqa: E402
from normalize.linter import Options  # noqa: E402

HUMAN = {"ref", "refB"}
_V = re.compile(r"</?v>")
CHUNK = 200


def check_pairs(pairs: list[tuple[str, str]], source_lang: str, lang: str,
                rules: tuple[str, ...]) -> list[list[Finding]]:
    """Findings per segment pair (segments checked in chunks of lines, as a file would be)."""
    linter = get_linter(Options(lang=lang, source_lang=source_lang, select=rules))
    out: list[list[Finding]] = []
    for i in range(0, len(pairs), CHUNK):
        chunk = [(s.replace("\n", " "), t.replace("\n", " ")) for s, t in pairs[i:i + CHUNK]]
        offsets, pos = [], 0
        for _, t in chunk:
            offsets.append(pos)
            pos += len(t) + 1
        text = "\n".join(t for _, t in chunk) + "\n"
        source = "\n".join(s for s, _ in chunk) + "\n"
        per: list[list[Finding]] = [[] for _ in chunk]
        for f in linter.check(Document(text, lang=lang, source_lang=source_lang, source=source)):
            j = bisect.bisect_right(offsets, f.start) - 1
            per[j].append(replace(f, start=f.start - offsets[j], end=f.end - offsets[j]))
        out.extend(per)
    return out


def load_mqm_mt() -> list[tuple[str, str, list[tuple[int, int]]]]:
    """(source, target, error spans) of every MT segment of MQM zh-en (references excluded)."""
    segs: dict[tuple[str, str, int], tuple[str, str, list[tuple[int, int]]]] = {}
    with gzip.open(SHARED / "mqm" / "mqm_ted_zhen.tsv.gz", "rt", encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for row in reader:
            system, doc, _doc_id, seg_id, _rater, source, target, category = row[:8]
            if system in HUMAN:
                continue
            clean = _V.sub("", target)
            seg = segs.setdefault((system, doc, int(seg_id)), (_V.sub("", source), clean, []))
            if category in ("No-error", "Source error") or "<v>" not in target:
                continue
            start = target.index("<v>")
            close = target.find("</v>")
            seg[2].append((start, close - 3 if close != -1 else len(clean)))
    return [segs[k] for k in sorted(segs)]


def _key(f: Finding) -> str:
    return f"{f.rule} {f.severity}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rules", nargs="*", default=["pair", "number.source_mismatch"])
    args = parser.parse_args()
    rules = tuple(args.rules)

    human_counts: dict[str, Counter] = {}
    human_sizes: dict[str, int] = {}
    examples: dict[str, list[str]] = defaultdict(list)
    for pair, data in held_out_sets().items():
        src_lang, lang = pair.split("-")
        found = check_pairs(data, src_lang, lang, rules)
        human_sizes[pair] = len(data)
        counts = Counter(_key(f) for fs in found for f in fs)
        human_counts[pair] = counts
        for (s, t), fs in zip(data, found):
            for f in fs:
                if f.severity >= Severity.WARNING and len(examples[_key(f)]) < 3:
                    examples[_key(f)].append(f"{pair}: {f.message} | {t[:100]!r}")

    mt = load_mqm_mt()
    found = check_pairs([(s, t) for s, t, _ in mt], "zh", "en", rules)
    in_seg: Counter = Counter()
    in_span: Counter = Counter()
    total: Counter = Counter()
    flagged_warn, flagged_warn_err = set(), set()
    for i, ((_, _, spans), fs) in enumerate(zip(mt, found)):
        for f in fs:
            k = _key(f)
            total[k] += 1
            if spans:
                in_seg[k] += 1
            if any(f.start < e and s < f.end or (f.start == f.end and s <= f.start <= e) for s, e in spans):
                in_span[k] += 1
            if f.severity >= Severity.WARNING:
                flagged_warn.add(i)
                if spans:
                    flagged_warn_err.add(i)

    # WMT22 system outputs (no annotations): how much more often each check fires on MT
    # than on the human references of the same sources.
    mt_counts: Counter = Counter()
    mt_n = 0
    for pair in ("de-en", "zh-en"):
        src_lang, lang = pair.split("-")
        sources = [s for s, _ in wmt22(pair, "A")]
        folder = SHARED / "wmt22_general" / "txt" / "system-outputs"
        for path in sorted(folder.glob(f"generaltest2022.{pair}.hyp.*.en.gz")):
            hyp = _lines(path)
            if len(hyp) != len(sources):
                continue
            found_mt = check_pairs(list(zip(sources, hyp)), src_lang, lang, rules)
            mt_n += len(hyp)
            mt_counts.update(_key(f) for fs in found_mt for f in fs)
    wmt_human = {p: human_counts[p] for p in ("de-en", "zh-en")}
    wmt_human_n = sum(human_sizes[p] for p in wmt_human)

    keys = sorted(set(total) | {k for c in human_counts.values() for k in c} | set(mt_counts))
    pairs = list(human_sizes)
    print(f"Human segment pairs: " + ", ".join(f"{p} {n}" for p, n in human_sizes.items()))
    print(f"MQM zh-en MT segments: {len(mt)} ({sum(1 for _, _, s in mt if s)} with an annotated error)")
    print()
    print(f"WMT22 de-en/zh-en MT output: {mt_n} segments from every system")
    print()
    print("| rule severity | " + " | ".join(f"{p} /1k" for p in pairs) + " | all human /1k"
          " | WMT22 MT /1k | WMT22 MT : human | MQM MT findings | in error segment | precision | overlap span |")
    print("|---|" + "---:|" * (len(pairs) + 7))
    n_all = sum(human_sizes.values())
    for k in keys:
        per = [1000 * human_counts[p][k] / human_sizes[p] for p in pairs]
        all_h = 1000 * sum(human_counts[p][k] for p in pairs) / n_all
        prec = in_seg[k] / total[k] if total[k] else float("nan")
        mt_rate = 1000 * mt_counts[k] / max(1, mt_n)
        h_rate = 1000 * sum(c[k] for c in wmt_human.values()) / max(1, wmt_human_n)
        ratio = f"{mt_rate / h_rate:.1f}" if h_rate else "-"
        print(f"| {k} | " + " | ".join(f"{x:.1f}" for x in per) +
              f" | {all_h:.1f} | {mt_rate:.1f} | {ratio} | {total[k]} | {in_seg[k]} | {prec:.2f} | {in_span[k]} |")
    warn_h = sum(v for p in pairs for k, v in human_counts[p].items() if not k.endswith(" info"))
    print()
    print(f"warning/error findings on human pairs: {1000 * warn_h / n_all:.1f} per 1,000 segments")
    if flagged_warn:
        print(f"MQM zh-en MT segments flagged warning+: {len(flagged_warn)}, "
              f"precision {len(flagged_warn_err) / len(flagged_warn):.2f}, "
              f"recall {len(flagged_warn_err) / max(1, sum(1 for _, _, s in mt if s)):.3f}")
    print()
    for k, ex in sorted(examples.items()):
        for e in ex:
            print(f"  [{k}] {e}")


if __name__ == "__main__":
    main()
