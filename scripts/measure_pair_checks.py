#!/usr/bin/env python3
"""Measure the source-aware checks (pair.*, number.source_mismatch) on public data.

Prints, per rule and severity:

* findings per 1,000 segment pairs of human translations (WMT22 de-en and zh-en
  reference B, the MQM zh-en `refB` rows, MLQE-PE ro-en/ru-en/et-en test20
  post-edits; the calibration of pair.length_ratio used the other references;
  and the MQM en-de `ref` rows, which it also used);
* on the MQM zh-en and en-de MT output (human references excluded): how many
  findings fall in a segment that a rater marked with an error (segment
  precision), and (zh-en) how many overlap an annotated error span;
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

from build_length_ratios import SHARED, _lines, held_out_sets, wmt22

from normalize.api import get_linter
from normalize.document import Document
from normalize.findings import Finding, Severity
from normalize.linter import Options

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


def load_mqm_mt(pair: str = "zh-en") -> list[tuple[str, str, list[tuple[int, int]]]]:
    """(source, target, error spans) of every MT segment of MQM ``pair`` (references excluded)."""
    segs: dict[tuple[str, str, int], tuple[str, str, list[tuple[int, int]]]] = {}
    name = {"zh-en": "mqm_ted_zhen.tsv.gz", "en-de": "mqm_ted_ende.tsv.gz"}[pair]
    with gzip.open(SHARED / "mqm" / name, "rt", encoding="utf-8") as handle:
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

    mqm: dict[str, dict[str, Counter]] = {}
    flagged: dict[str, tuple[int, int, int]] = {}
    for mqm_pair in ("zh-en", "en-de"):
        mt = load_mqm_mt(mqm_pair)
        src_lang, lang = mqm_pair.split("-")
        found = check_pairs([(s, t) for s, t, _ in mt], src_lang, lang, rules)
        in_seg: Counter = Counter()
        in_span: Counter = Counter()
        total: Counter = Counter()
        warn, warn_err = set(), set()
        for i, ((_, _, spans), fs) in enumerate(zip(mt, found)):
            for f in fs:
                k = _key(f)
                total[k] += 1
                if spans:
                    in_seg[k] += 1
                if any(f.start < e and s < f.end or (f.start == f.end and s <= f.start <= e) for s, e in spans):
                    in_span[k] += 1
                if f.severity >= Severity.WARNING:
                    warn.add(i)
                    if spans:
                        warn_err.add(i)
        mqm[mqm_pair] = {"total": total, "in_seg": in_seg, "in_span": in_span}
        flagged[mqm_pair] = (len(warn), len(warn_err), sum(1 for _, _, sp in mt if sp), len(mt))

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

    keys = sorted({k for c in human_counts.values() for k in c} | set(mt_counts)
                  | {k for m in mqm.values() for k in m["total"]})
    pairs = list(human_sizes)
    print("Human segment pairs: " + ", ".join(f"{p} {n}" for p, n in human_sizes.items()))
    for p, (n_flag, n_err, n_with, n) in flagged.items():
        print(f"MQM {p} MT segments: {n} ({n_with} with an annotated error)")
    print(f"WMT22 de-en/zh-en MT output: {mt_n} segments from every system")
    print()
    print("| rule severity | " + " | ".join(f"{p} /1k" for p in pairs) + " | all human /1k"
          " | WMT22 MT /1k | MT : human | MQM zh-en MT findings | in error segment | precision | overlap span"
          " | MQM en-de MT findings | precision |")
    print("|---|" + "---:|" * (len(pairs) + 9))
    n_all = sum(human_sizes.values())
    for k in keys:
        per = [1000 * human_counts[p][k] / human_sizes[p] for p in pairs]
        all_h = 1000 * sum(human_counts[p][k] for p in pairs) / n_all
        mt_rate = 1000 * mt_counts[k] / max(1, mt_n)
        h_rate = 1000 * sum(c[k] for c in wmt_human.values()) / max(1, wmt_human_n)
        ratio = f"{mt_rate / h_rate:.1f}" if h_rate else "-"
        zh, de = mqm["zh-en"], mqm["en-de"]
        prec_zh = f"{zh['in_seg'][k] / zh['total'][k]:.2f}" if zh["total"][k] else "-"
        prec_de = f"{de['in_seg'][k] / de['total'][k]:.2f}" if de["total"][k] else "-"
        print(f"| {k} | " + " | ".join(f"{x:.1f}" for x in per) +
              f" | {all_h:.1f} | {mt_rate:.1f} | {ratio} | {zh['total'][k]} | {zh['in_seg'][k]} | {prec_zh}"
              f" | {zh['in_span'][k]} | {de['total'][k]} | {prec_de} |")
    warn_h = sum(v for p in pairs for k, v in human_counts[p].items() if not k.endswith(" info"))
    print()
    print(f"warning/error findings on human pairs: {1000 * warn_h / n_all:.1f} per 1,000 segments")
    for p, (n_flag, n_err, n_with, n) in flagged.items():
        if n_flag:
            print(f"MQM {p} MT segments flagged warning+: {n_flag}, precision {n_err / n_flag:.2f}, "
                  f"recall {n_err / max(1, n_with):.3f}")
    print()
    for k, ex in sorted(examples.items()):
        for e in ex:
            print(f"  [{k}] {e}")


if __name__ == "__main__":
    main()
