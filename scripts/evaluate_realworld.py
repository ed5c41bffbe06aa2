#!/usr/bin/env python3
"""Measure mtnorm on real machine-translated pages annotated by a copy editor.

Reads a directory laid out like ``../shared/realworld`` (``NN_name.txt`` with a
``NN_name.json`` beside it: ``lang``, ``source_lang``, ``style``,
``machine_translated`` and ``expected`` annotations ``{category, text, why}``)
and runs :func:`normalize.check` on each text with its own settings.

A finding matches an annotation when their character spans overlap; the
annotation's span is wherever its ``text`` occurs in the file (an annotation
whose text occurs several times matches at any occurrence). The headline
figure, as in the data set's README, also requires the categories to agree;
a category-agnostic figure is printed beside it.

Reported: recall overall, per category, per language pair and on the
"mechanical" categories; warnings and errors per 1,000 words on the clean
stories (``machine_translated: false``, where every warning is a false alarm);
the matched and missed annotations; and every finding on the machine-translated
stories that matches no annotation, for a verdict by hand.

Usage::

    scripts/evaluate_realworld.py [--dir ../shared/realworld] [--json out.json] [--markdown]
                                  [--ignore debris.boilerplate,repetition.duplicate_paragraph]

The texts are third-party pages kept for evaluation only: this script reads
them where they are and copies nothing into the project.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import normalize
from normalize.errors import UsageError
from normalize.findings import Finding, Severity

DEFAULT_DIR = ROOT.parent / "shared" / "realworld"
#: Categories a rule can decide mechanically (the issue's second target).
MECHANICAL = ("debris", "typography", "toponym", "consistency", "name", "encoding", "number",
              "untranslated")


class EvalError(Exception):
    """A data file that cannot be evaluated (missing, malformed, text not found)."""


@dataclass
class Annotation:
    """One expected artefact and where its text occurs in the story."""

    story: str
    category: str
    text: str
    why: str
    spans: list[tuple[int, int]]
    matched_by: list[Finding] = field(default_factory=list)        # same category
    overlapped_by: list[Finding] = field(default_factory=list)     # any category


@dataclass
class Story:
    """One annotated text with its settings and mtnorm's findings on it."""

    name: str
    lang: str
    source_lang: str | None
    style: str | None
    machine_translated: bool
    words: int
    annotations: list[Annotation]
    findings: list[Finding]

    @property
    def pair(self) -> str:
        return f"{self.source_lang or '?'}->{self.lang}"


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    spans, pos = [], text.find(needle)
    while pos != -1:
        spans.append((pos, pos + len(needle)))
        pos = text.find(needle, pos + 1)
    return spans


def _overlaps(finding: Finding, span: tuple[int, int]) -> bool:
    start, end = span
    # A zero-width finding (an insertion point) overlaps a span it sits inside.
    if finding.start == finding.end:
        return start <= finding.start <= end
    return finding.start < end and start < finding.end


def load_story(txt: Path, ignore: tuple[str, ...] = ()) -> Story:
    """Read one ``.txt``/``.json`` pair and run mtnorm on the text (without the rules,
    groups or categories in ``ignore``)."""
    meta_path = txt.with_suffix(".json")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        text = txt.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise EvalError(f"{exc.filename}: missing (each .txt needs a .json beside it)") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvalError(f"{meta_path}: cannot read: {exc}") from None
    text = text.removeprefix("\ufeff")  # offsets are into the decoded text, BOM stripped, as mtnorm's
    annotations = []
    for i, item in enumerate(meta.get("expected", [])):
        spans = _occurrences(text, item["text"])
        if not spans:
            raise EvalError(f"{meta_path}: expected[{i}] text {item['text']!r} not found in {txt.name}")
        annotations.append(Annotation(txt.stem, item["category"], item["text"], item.get("why", ""),
                                      spans))
    findings = normalize.check(text, lang=meta["lang"], style=meta.get("style"),
                               source_lang=meta.get("source_lang"), ignore=ignore)
    for ann in annotations:
        for f in findings:
            if any(_overlaps(f, span) for span in ann.spans):
                ann.overlapped_by.append(f)
                if f.category.value == ann.category:
                    ann.matched_by.append(f)
    return Story(txt.stem, meta["lang"], meta.get("source_lang"), meta.get("style"),
                 bool(meta.get("machine_translated", True)), len(text.split()), annotations, findings)


def _ratio(hit: int, total: int) -> dict[str, Any]:
    return {"found": hit, "total": total, "recall": round(hit / total, 3) if total else None}


def _recall(annotations: list[Annotation]) -> dict[str, Any]:
    return {"category": _ratio(sum(bool(a.matched_by) for a in annotations), len(annotations)),
            "any_category": _ratio(sum(bool(a.overlapped_by) for a in annotations), len(annotations))}


def _finding_row(story: Story, f: Finding, annotations: list[Annotation]) -> dict[str, Any]:
    other = sorted({a.category for a in annotations
                    if any(_overlaps(f, s) for s in a.spans)})
    return {"story": story.name, "rule": f.rule, "category": f.category.value,
            "severity": str(f.severity), "start": f.start, "end": f.end, "text": f.text,
            "message": f.message, "overlaps_annotation_of": other}


def evaluate(directory: Path, ignore: tuple[str, ...] = ()) -> dict[str, Any]:
    """Run every story in ``directory`` and gather the figures (a JSON-ready dict)."""
    texts = sorted(directory.glob("*.txt"))
    if not texts:
        raise EvalError(f"{directory}: no .txt files")
    stories = [load_story(t, ignore) for t in texts]
    mt = [s for s in stories if s.machine_translated]
    clean = [s for s in stories if not s.machine_translated]
    anns = [a for s in mt for a in s.annotations]

    by_cat: dict[str, list[Annotation]] = defaultdict(list)
    for a in anns:
        by_cat[a.category].append(a)
    by_pair: dict[str, list[Annotation]] = defaultdict(list)
    by_lang: dict[str, list[Annotation]] = defaultdict(list)
    for s in mt:
        by_pair[s.pair].extend(s.annotations)
        by_lang[s.lang].extend(s.annotations)

    clean_words = sum(s.words for s in clean)
    clean_alarms = [_finding_row(s, f, []) for s in clean for f in s.findings
                    if f.severity >= Severity.WARNING]
    clean_info = sum(1 for s in clean for f in s.findings if f.severity < Severity.WARNING)

    unmatched = []
    mt_findings = 0
    for s in mt:
        for f in s.findings:
            mt_findings += 1
            if not any(f in a.matched_by for a in s.annotations):
                unmatched.append(_finding_row(s, f, s.annotations))

    return {
        "directory": str(directory),
        "stories": len(stories), "machine_translated": len(mt), "clean_stories": len(clean),
        "headline": "category",  # the data set's README: overlap AND same category
        "overall": _recall(anns),
        "mechanical": _recall([a for a in anns if a.category in MECHANICAL]),
        "per_category": {c: _recall(v) for c, v in sorted(by_cat.items(), key=lambda kv: -len(kv[1]))},
        "per_language": {k: _recall(v) for k, v in sorted(by_lang.items())},
        "per_pair": {k: _recall(v) for k, v in sorted(by_pair.items())},
        "clean": {"words": clean_words, "warnings_errors": len(clean_alarms), "info": clean_info,
                  "per_1000_words": round(1000 * len(clean_alarms) / clean_words, 2) if clean_words else None,
                  "findings": clean_alarms},
        "mt_findings": mt_findings,
        "mt_unmatched": unmatched,
        "matched": [{"story": a.story, "category": a.category, "text": a.text,
                     "rules": sorted({f.rule for f in a.matched_by})} for a in anns if a.matched_by],
        "missed": [{"story": a.story, "category": a.category, "text": a.text,
                    "other_rules": sorted({f"{f.rule} ({f.category.value})" for f in a.overlapped_by})}
                   for a in anns if not a.matched_by],
    }


def _pct(r: dict[str, Any]) -> str:
    return f"{r['found']}/{r['total']} ({100 * r['recall']:.1f}%)" if r["total"] else "-"


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def render_text(res: dict[str, Any]) -> str:
    """A plain-text report."""
    out = [f"{res['machine_translated']} machine-translated and {res['clean_stories']} clean stories "
           f"in {res['directory']}",
           "recall (headline: span overlap AND same category; any category in brackets)",
           f"  overall     {_pct(res['overall']['category'])}  [{_pct(res['overall']['any_category'])}]",
           f"  mechanical  {_pct(res['mechanical']['category'])}  [{_pct(res['mechanical']['any_category'])}]"]
    for title, key in (("per category", "per_category"), ("per target language", "per_language"),
                       ("per language pair", "per_pair")):
        out.append(title)
        for name, r in res[key].items():
            out.append(f"  {name:<12} {_pct(r['category'])}  [{_pct(r['any_category'])}]")
    c = res["clean"]
    out.append(f"clean stories: {c['warnings_errors']} warnings+errors in {c['words']} words = "
               f"{c['per_1000_words']} per 1,000 words ({c['info']} info)")
    for row in c["findings"]:
        out.append(f"  {row['story']}: {row['rule']} {row['severity']} {_short(row['text'], 50)!r}")
    out.append(f"matched ({len(res['matched'])})")
    for m in res["matched"]:
        out.append(f"  {m['story']} [{m['category']}] {_short(m['text'])!r} <- {', '.join(m['rules'])}")
    out.append(f"missed ({len(res['missed'])})")
    for m in res["missed"]:
        extra = f"  (overlapped by {', '.join(m['other_rules'])})" if m["other_rules"] else ""
        out.append(f"  {m['story']} [{m['category']}] {_short(m['text'])!r}{extra}")
    out.append(f"findings on MT stories matching no annotation: {len(res['mt_unmatched'])} "
               f"of {res['mt_findings']} (verdict by hand: right, defensible, false alarm)")
    for row in res["mt_unmatched"]:
        other = f" (overlaps {'/'.join(row['overlaps_annotation_of'])})" if row["overlaps_annotation_of"] else ""
        out.append(f"  {row['story']}: {row['rule']} {row['severity']} {_short(row['text'], 50)!r}{other}"
                   f" — {_short(row['message'], 90)}")
    return "\n".join(out) + "\n"


def render_markdown(res: dict[str, Any]) -> str:
    """The figures as Markdown tables, for docs/evaluation.md (spans as offsets: no page text)."""
    def table(title: str, rows: dict[str, Any]) -> list[str]:
        lines = [f"| {title} | found (same category) | found (any category) |", "|---|---|---|"]
        lines += [f"| {k} | {_pct(v['category'])} | {_pct(v['any_category'])} |" for k, v in rows.items()]
        return lines + [""]

    c = res["clean"]
    out = [f"Stories: {res['machine_translated']} machine-translated, {res['clean_stories']} clean. "
           "Headline: a finding's span overlaps the annotation and the categories agree.", ""]
    out += table("", {"overall": res["overall"], "mechanical": res["mechanical"]})
    out += table("category", res["per_category"])
    out += table("language pair", res["per_pair"])
    out += [f"Clean stories: {c['warnings_errors']} warnings or errors in {c['words']} words "
            f"({c['per_1000_words']} per 1,000 words).", "",
            f"Findings on the machine-translated stories that match no annotation: "
            f"{len(res['mt_unmatched'])} of {res['mt_findings']}.", "",
            # Offsets, not the text: the pages are third-party and stay out of the project.
            "| story | rule | severity | span | overlaps |", "|---|---|---|---|---|"]
    for row in res["mt_unmatched"]:
        out.append(f"| {row['story']} | {row['rule']} | {row['severity']} | {row['start']}-{row['end']} | "
                   f"{'/'.join(row['overlaps_annotation_of'])} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="annotated stories (default: %(default)s)")
    parser.add_argument("--json", type=Path, help="also write the full results as JSON here")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables instead of text")
    parser.add_argument("--ignore", default="", metavar="RULES",
                        help="comma-separated rules, groups or categories to leave out (to measure "
                             "what they contribute)")
    args = parser.parse_args(argv)
    try:
        res = evaluate(args.dir, tuple(r for r in args.ignore.split(",") if r))
    except (EvalError, UsageError) as exc:
        print(f"evaluate_realworld: {exc}", file=sys.stderr)
        return 2
    if args.json:
        tmp = args.json.with_name(args.json.name + ".tmp")
        tmp.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(args.json)
    sys.stdout.write(render_markdown(res) if args.markdown else render_text(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
