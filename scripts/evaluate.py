#!/usr/bin/env python3
"""Quality evaluation of mtnorm's checks against public annotated data.

Reads ../shared/benchmarks (never copied into the project) and prints one
report (Markdown) with:

1. span precision and recall per MQM category on mqm_ted_zhen.tsv.gz (English
   output of 13 MT systems, expert MQM annotations),
2. findings per 1,000 segments on human references (the MQM file's `ref` and
   `refB` rows, and the WMT22 de-en / zh-en references A and B): the goal is
   fewer than 2 error-level findings per 1,000,
3. the correlation of findings per segment with MQM scores (segment and
   system level),
4. WinoMT gender accuracy with the source given (scripts/eval_winomt.py).

    python scripts/evaluate.py [--out docs/evaluation.md] [--skip-winomt]
"""
from __future__ import annotations

import argparse
import csv
import gzip
import math
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "benchmarks"
KEEP_MARKER = "<!-- kept by scripts/evaluate.py: sections below are maintained by hand -->"
sys.path.insert(0, str(ROOT))

from normalize.api import get_linter
from normalize.document import Document
from normalize.findings import Finding, Severity
from normalize.linter import Options

HUMAN = {"ref", "refB"}
# Google's MQM weighting (Freitag et al. 2021): Major 5, Minor 1, minor punctuation 0.1.
WEIGHTS = {"Major": 5.0, "Minor": 1.0, "Critical": 10.0}
_V = re.compile(r"</?v>")


@dataclass
class Segment:
    system: str
    doc: str
    seg_id: int
    target: str
    spans: list[tuple[int, int, str, str]] = field(default_factory=list)  # start, end, category, severity
    raters: set[str] = field(default_factory=set)
    score: float = 0.0
    findings: list[Finding] = field(default_factory=list)


def load_mqm(path: Path) -> dict[tuple[str, str, int], Segment]:
    segments: dict[tuple[str, str, int], Segment] = {}
    penalties: dict[tuple[str, str, int], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for row in reader:
            system, doc, _doc_id, seg_id, rater, _source, target, category, severity = row[:9]
            key = (system, doc, int(seg_id))
            clean = _V.sub("", target)
            seg = segments.setdefault(key, Segment(system, doc, int(seg_id), clean))
            seg.raters.add(rater)
            if category in ("No-error", "Source error") or "<v>" not in target:
                penalties[key][rater] += 0.0
                continue
            start = target.index("<v>")
            close = target.find("</v>")
            end = close - 3 if close != -1 else len(clean)  # an unclosed mark runs to the end
            seg.spans.append((start, end, category, severity))
            weight = WEIGHTS.get(severity, 1.0)
            if category == "Fluency/Punctuation" and severity == "Minor":
                weight = 0.1
            penalties[key][rater] += weight
    for key, seg in segments.items():
        by_rater = penalties.get(key, {})
        seg.score = sum(by_rater.values()) / max(1, len(seg.raters))
    return segments


def check_segments(segments: list[Segment], linter) -> None:
    """Check each document (segments joined by lines, in order) and give findings back to segments."""
    by_doc: dict[tuple[str, str], list[Segment]] = defaultdict(list)
    for seg in segments:
        by_doc[(seg.system, seg.doc)].append(seg)
    for segs in by_doc.values():
        segs.sort(key=lambda s: s.seg_id)
        offsets = []
        pos = 0
        for seg in segs:
            offsets.append(pos)
            pos += len(seg.target) + 1
        text = "\n".join(s.target for s in segs) + "\n"
        for f in linter.check(Document(text)):
            i = max(0, _bisect(offsets, f.start))
            seg = segs[i]
            base = offsets[i]
            seg.findings.append(_shift(f, -base))


def _bisect(offsets: list[int], value: int) -> int:
    import bisect
    return bisect.bisect_right(offsets, value) - 1


def _shift(f: Finding, delta: int) -> Finding:
    from dataclasses import replace
    return replace(f, start=f.start + delta, end=f.end + delta)


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1 or (a0 == a1 and b0 <= a0 <= b1)


def span_scores(segments: list[Segment]) -> list[tuple[str, int, int, int, int]]:
    """Per MQM top-level category of our findings: findings, hits (overlap an annotated error of
    any category), same-category hits; and per annotated category: errors, recalled."""
    rows = []
    ours: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    same: Counter[str] = Counter()
    for seg in segments:
        for f in seg.findings:
            top = f.mqm.split("/")[0]
            ours[top] += 1
            matched = [c for s, e, c, _ in seg.spans if _overlaps(f.start, f.end, s, e)]
            if matched:
                hits[top] += 1
                if any(c.split("/")[0] == top for c in matched):
                    same[top] += 1
    for top in sorted(ours):
        rows.append((top, ours[top], hits[top], same[top]))
    return rows


def recall_by_category(segments: list[Segment]) -> list[tuple[str, int, int]]:
    total: Counter[str] = Counter()
    found: Counter[str] = Counter()
    for seg in segments:
        for s, e, category, _ in seg.spans:
            total[category] += 1
            if any(_overlaps(f.start, f.end, s, e) for f in seg.findings):
                found[category] += 1
    return [(c, total[c], found[c]) for c in sorted(total, key=lambda c: -total[c])]


def _ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def pearson(x: list[float], y: list[float]) -> float:
    n = len(x)
    if n < 3:
        return float("nan")
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else float("nan")


def spearman(x: list[float], y: list[float]) -> float:
    return pearson(_ranks(x), _ranks(y))


def per_thousand(segments: list[Segment], minimum: Severity) -> float:
    count = sum(1 for s in segments for f in s.findings if f.severity >= minimum)
    return 1000 * count / max(1, len(segments))


def wmt22_references(linter) -> list[tuple[str, int, float, float, Counter[str]]]:
    rows = []
    for path in sorted((SHARED / "wmt22_general" / "txt" / "references").glob("*.en")):
        lines = path.read_text(encoding="utf-8").splitlines()
        findings = linter.check(Document("\n".join(lines) + "\n"))
        errors = sum(1 for f in findings if f.severity >= Severity.ERROR)
        rows.append((path.name, len(lines), 1000 * errors / len(lines), 1000 * len(findings) / len(lines),
                     Counter(f.rule for f in findings)))
    return rows


def mlqe_post_edits(linter) -> list[tuple[str, int, float, float, Counter[str]]]:
    """Findings on the MLQE-PE human post-edits (English), one segment per document.

    Each segment is a sentence drawn from a different Wikipedia article, so it is
    checked on its own, as ``mtnorm check`` checks the records of a JSONL corpus;
    joined into one document, unrelated sentences would meet each other's names."""
    rows = []
    for path in sorted(SHARED.glob("mlqe_pe/*/*.pe")):
        lines = path.read_text(encoding="utf-8").splitlines()
        rules: Counter[str] = Counter()
        errors = 0
        for line in lines:
            for f in linter.check(Document(line)):
                rules[f.rule] += 1
                errors += f.severity >= Severity.ERROR
        rows.append((f"{path.parent.name}/{path.name}", len(lines), 1000 * errors / len(lines),
                     1000 * sum(rules.values()) / len(lines), rules))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=None, help="also write the report here")
    parser.add_argument("--skip-winomt", action="store_true")
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        print(f"evaluate.py needs {SHARED} (the shared benchmark data)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    linter = get_linter(Options(lang="en"))
    out: list[str] = ["# mtnorm evaluation", "",
                      f"Rules: {', '.join(r.id for r in linter.rules)}", ""]

    segments = list(load_mqm(SHARED / "mqm" / "mqm_ted_zhen.tsv.gz").values())
    check_segments(segments, linter)
    mt = [s for s in segments if s.system not in HUMAN]
    human = [s for s in segments if s.system in HUMAN]

    out += ["## 1. Span precision on MQM (mqm_ted_zhen, English output of 13 MT systems)", "",
            f"{len(mt):,} MT segments, {sum(len(s.spans) for s in mt):,} annotated error spans, "
            f"{sum(len(s.findings) for s in mt):,} mtnorm findings.", "",
            "| our MQM top-level | findings | overlap any annotated error | precision | same top-level category | precision |",
            "|---|---:|---:|---:|---:|---:|"]
    for top, n, hit, same in span_scores(mt):
        out.append(f"| {top} | {n} | {hit} | {hit / n:.2f} | {same} | {same / n:.2f} |")
    out += ["", "Recall per annotated MQM category (an annotated span counts as found when a finding overlaps it):", "",
            "| MQM category | annotated spans | found | recall |", "|---|---:|---:|---:|"]
    for category, total, found in recall_by_category(mt):
        out.append(f"| {category} | {total} | {found} | {found / total:.3f} |")

    out += ["", "## 2. Findings on human translations", "",
            "| text | segments | error-level per 1,000 | all findings per 1,000 | top rules |",
            "|---|---:|---:|---:|---|"]
    for name, group in (("MQM human references (ref, refB)", human),):
        rules = Counter(f.rule for s in group for f in s.findings)
        out.append(f"| {name} | {len(group)} | {per_thousand(group, Severity.ERROR):.2f} | "
                   f"{per_thousand(group, Severity.INFO):.2f} | "
                   f"{', '.join(f'{r} {n}' for r, n in rules.most_common(4))} |")
    total_segs = total_err = 0
    rows = wmt22_references(linter)
    for name, n, err, allf, rules in rows:
        total_segs += n
        total_err += err * n / 1000
        out.append(f"| WMT22 {name} | {n} | {err:.2f} | {allf:.2f} | "
                   f"{', '.join(f'{r} {c}' for r, c in rules.most_common(4))} |")
    total_all = sum(allf * n / 1000 for _, n, _, allf, _ in rows)
    out.append(f"| **all WMT22 references** | {total_segs} | **{1000 * total_err / max(1, total_segs):.2f}** | "
               f"**{1000 * total_all / max(1, total_segs):.2f}** | goal < 2 and < 15 |")
    segs = err_n = all_n = 0
    for name, n, err, allf, rules in mlqe_post_edits(linter):
        segs += n
        err_n += err * n / 1000
        all_n += allf * n / 1000
        out.append(f"| MLQE-PE {name} (segments one by one) | {n} | {err:.2f} | {allf:.2f} | "
                   f"{', '.join(f'{r} {c}' for r, c in rules.most_common(4))} |")
    out.append(f"| **all MLQE-PE post-edits** | {segs} | **{1000 * err_n / max(1, segs):.2f}** | "
               f"**{1000 * all_n / max(1, segs):.2f}** | goal < 2 and < 15 |")

    seg_x = [len(s.findings) for s in mt]
    seg_y = [s.score for s in mt]
    systems = sorted({s.system for s in mt})
    sys_x = [sum(len(s.findings) for s in mt if s.system == name) / sum(1 for s in mt if s.system == name)
             for name in systems]
    sys_y = [sum(s.score for s in mt if s.system == name) / sum(1 for s in mt if s.system == name)
             for name in systems]
    out += ["", "## 3. Findings per segment against MQM scores", "",
            "| level | n | Pearson | Spearman |", "|---|---:|---:|---:|",
            f"| segment | {len(mt)} | {pearson(seg_x, seg_y):.3f} | {spearman(seg_x, seg_y):.3f} |",
            f"| system | {len(systems)} | {pearson(sys_x, sys_y):.3f} | {spearman(sys_x, sys_y):.3f} |",
            "", "(MQM score = weighted error count per segment, averaged over raters: higher is worse, "
            "so a positive correlation means findings go with errors.)"]

    if not args.skip_winomt and (ROOT / "scripts" / "eval_winomt.py").is_file():
        out += ["", "## 4. WinoMT gender accuracy (scripts/eval_winomt.py)", "", "```"]
        proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "eval_winomt.py")],
                              capture_output=True, text=True, cwd=ROOT, timeout=900)
        out += [proc.stdout.rstrip() or proc.stderr.rstrip()[-2000:], "```"]
    out += ["", f"_evaluate.py ran in {time.perf_counter() - started:.0f} s._"]
    report = "\n".join(out) + "\n"
    print(report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        # Sections written by hand (verdicts on real pages) sit below KEEP_MARKER: keep them.
        old = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        if KEEP_MARKER in old:
            report += "\n" + old[old.index(KEEP_MARKER):]
        args.out.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
