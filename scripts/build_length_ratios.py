#!/usr/bin/env python3
"""Calibrate pair.length_ratio on human translations: corpora/rules/pair/length_ratios.yaml.

For each language pair, the ratio of a human translation's length to its
source's (characters, both stripped) over segments whose source has at least 20
characters; the bounds are the 0.5th and 99.5th percentiles. Read from
../shared/benchmarks (never copied into the project):

* WMT22 general test de-en and zh-en: sources and reference A (reference B is
  kept for measuring, scripts/measure_pair_checks.py);
* MQM TED zh-en and en-de: the `ref` rows (source and human reference; `refB`
  is kept for measuring);
* MLQE-PE ro-en, ru-en, et-en dev: sources and post-edits (test20 is kept for
  measuring). These are tokenised on both sides, which barely moves a ratio.

    python scripts/build_length_ratios.py [--out corpora/rules/pair/length_ratios.yaml]
"""
from __future__ import annotations

import argparse
import csv
import gzip
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from normalize.analysis.segments import cjk_share
from normalize.rules.pair.length_ratio import MIN_CHARS, source_length

SHARED = ROOT.parent / "shared" / "benchmarks"
OUT = ROOT / "corpora" / "rules" / "pair" / "length_ratios.yaml"
LOW_PCT, HIGH_PCT = 0.5, 99.5
#: Source languages written in Han or kana, whose Latin insertions are weighed.
CJK_SOURCES = frozenset({"zh", "ja"})
_V = re.compile(r"</?v>")

Pairs = list[tuple[str, str]]


def _lines(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [line.rstrip("\n") for line in handle]


def wmt22(pair: str, ref: str) -> Pairs:
    """WMT22 general test sources with human reference ``ref`` ("A" or "B")."""
    src_lang, tgt_lang = pair.split("-")
    base = SHARED / "wmt22_general" / "txt"
    src = _lines(base / "sources" / f"generaltest2022.{pair}.src.{src_lang}")
    tgt = _lines(base / "references" / f"generaltest2022.{pair}.ref.{ref}.{tgt_lang}")
    return list(zip(src, tgt, strict=True))


def mqm_rows(pair: str, systems: set[str]) -> dict[tuple[str, str, int], tuple[str, str]]:
    """(system, doc, seg_id) -> (source, target) of the MQM TED file of ``pair``."""
    name = {"zh-en": "mqm_ted_zhen.tsv.gz", "en-de": "mqm_ted_ende.tsv.gz"}[pair]
    out: dict[tuple[str, str, int], tuple[str, str]] = {}
    with gzip.open(SHARED / "mqm" / name, "rt", encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for row in reader:
            system, doc, _doc_id, seg_id, _rater, source, target = row[:7]
            if system in systems:
                out.setdefault((system, doc, int(seg_id)), (_V.sub("", source), _V.sub("", target)))
    return out


def mqm_human(pair: str, system: str) -> Pairs:
    rows = mqm_rows(pair, {system})
    return [rows[k] for k in sorted(rows)]


def mlqe(pair: str, split: str) -> Pairs:
    """MLQE-PE sources and post-edits (``split`` "dev" or "test20")."""
    folder = SHARED / "mlqe_pe" / f"{pair}-{split}"
    return list(zip(_lines(folder / f"{split}.src"), _lines(folder / f"{split}.pe"), strict=True))


def calibration_sets() -> dict[str, Pairs]:
    """Human translations per language pair, for the bounds."""
    return {
        "de-en": wmt22("de-en", "A"),
        "zh-en": wmt22("zh-en", "A") + mqm_human("zh-en", "ref"),
        "en-de": mqm_human("en-de", "ref"),
        "ro-en": mlqe("ro-en", "dev"),
        "ru-en": mlqe("ru-en", "dev"),
        "et-en": mlqe("et-en", "dev"),
    }


def held_out_sets() -> dict[str, Pairs]:
    """Other human translations of the same pairs, for measuring the checks (en-de has
    one MQM reference only, so its rows are also in the calibration)."""
    return {
        "en-de": mqm_human("en-de", "ref"),
        "de-en": wmt22("de-en", "B"),
        "zh-en": wmt22("zh-en", "B") + mqm_human("zh-en", "refB"),
        "ro-en": mlqe("ro-en", "test20"),
        "ru-en": mlqe("ru-en", "test20"),
        "et-en": mlqe("et-en", "test20"),
    }


def ratios(pairs: Pairs, other_weight: float | None = None) -> list[float]:
    """Target/source length ratios, the source measured as pair.length_ratio measures it."""
    return [len(t.strip()) / source_length(s, other_weight) for s, t in pairs
            if len(s.strip()) >= MIN_CHARS and t.strip()]


def percentile(values: list[float], pct: float) -> float:
    """Linear-interpolated percentile (as numpy's default)."""
    xs = sorted(values)
    pos = (len(xs) - 1) * pct / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def build() -> dict:
    rows = {}
    for pair, data in calibration_sets().items():
        weight = None
        if pair.split("-")[0] in CJK_SOURCES:
            # Latin text inside a Chinese segment counts 1 / the median ratio (of the
            # segments that are mostly Han), as the rule measures it.
            han = [(s, t) for s, t in data if cjk_share(s) > 0.9]
            weight = round(1 / percentile(ratios(han), 50), 4)
        rs = ratios(data, weight)
        rows[pair] = {"low": round(percentile(rs, LOW_PCT), 3), "high": round(percentile(rs, HIGH_PCT), 3),
                      "median": round(percentile(rs, 50), 3), "segments": len(rs)}
        if weight:
            rows[pair]["other_weight"] = weight
    alpha = [r for p, r in rows.items() if p.split("-")[0] not in CJK_SOURCES]
    zh = rows["zh-en"]
    defaults = {
        "alphabetic-alphabetic": {"low": min(r["low"] for r in alpha), "high": max(r["high"] for r in alpha)},
        "cjk-alphabetic": {"low": zh["low"], "high": zh["high"], "other_weight": zh["other_weight"]},
        "alphabetic-cjk": {"low": round(1 / zh["high"], 3), "high": round(1 / zh["low"], 3)},
    }
    return {"pairs": rows, "defaults": defaults}


def render(data: dict) -> str:
    lines = ["# Length ratio bounds per language pair for pair.length_ratio (target chars / source chars).",
             "# Built by scripts/build_length_ratios.py from human translations; do not edit by hand.",
             f"# low/high: {LOW_PCT}th and {HIGH_PCT}th percentiles over segments with a source of "
             f">= {MIN_CHARS} characters. Sources and licences: SOURCES.md.",
             "# other_weight (Chinese sources): a non-Han source character counts as this many characters.",
             "pairs:"]
    def flow(row: dict) -> str:
        return "{" + ", ".join(f"{k}: {v}" for k, v in row.items()) + "}"

    for pair, row in sorted(data["pairs"].items()):
        lines.append(f"  {pair}: {flow(row)}")
    lines.append("# For pairs without their own figures, by the scripts of the source and target.")
    lines.append("defaults:")
    for key, row in data["defaults"].items():
        lines.append(f"  {key}: {flow(row)}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    text = render(build())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text, end="")


if __name__ == "__main__":
    main()
