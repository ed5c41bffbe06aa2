#!/usr/bin/env python3
"""Evaluate mtnorm's gender reading and ``gender.source_mismatch`` on WinoMT.

WinoMT (Stanovsky et al., ACL 2019; MIT licence) pairs 3,888 English sentences
(``data/en.txt``: gold gender, entity index, sentence, entity) with Google
Translate output (``translations_google/en-XX.txt.gz``: ``source ||| target``)
and publishes the gender accuracy of that output as read by its own aligner and
morphological analysers (``logs_google/XX.log``). The data is read from
``../shared/benchmarks/mt_gender`` and never copied into the project.

For each of fr, de, es, ru this prints:

1. mtnorm's *view*: the gender mtnorm reads in the target for the gold entity
   (``normalize/rules/gender/_target.py``, reading a Russian noun of common gender
   with no agreement as grammatically masculine, as WinoMT's analyser does; the
   rule itself leaves it undecided), its coverage and the accuracy that
   view gives Google's output (counted as WinoMT does: an unread or neutral
   reading is wrong), beside the published figures;
2. the reader checked against WinoMT's human annotations (``human_annotations/``,
   ~100 target sentences per language with a human-read gender);
3. ``gender.source_mismatch`` as a detector: a segment is a *problem* when the
   target gender of the gold entity (as mtnorm reads it) differs from the gold
   gender; precision and recall of the rule's flags against that, and against
   the human annotations where they cover the segment.

Usage::

    .venv/bin/python scripts/eval_winomt.py                # all four languages
    .venv/bin/python scripts/eval_winomt.py --lang de --json out.json
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "benchmarks" / "mt_gender"
LANGS = ("fr", "de", "es", "ru")
HUMAN = {"fr": "fr.in__fr.csv", "de": "aws.de.in__de.csv", "es": "es.in__es.csv",
         "ru": "ru.google__ru.csv"}

sys.path.insert(0, str(REPO))  # run from a checkout without installing


def load_gold() -> list[tuple[str, int, str, str]]:
    rows = []
    with open(DATA / "data" / "en.txt", encoding="utf-8") as handle:
        for line in handle:
            gender, index, sentence, entity = line.rstrip("\n").split("\t")
            rows.append((gender, int(index), sentence, entity))
    return rows


def load_translations(lang: str) -> list[tuple[str, str]]:
    with gzip.open(DATA / "translations_google" / f"en-{lang}.txt.gz", "rt", encoding="utf-8") as handle:
        return [tuple(line.rstrip("\n").split(" ||| ", 1)) for line in handle]  # type: ignore[misc]


def published(lang: str) -> dict[str, float]:
    text = (DATA / "logs_google" / f"{lang}.log").read_text(encoding="utf-8")
    out = {}
    for name, pattern in (("acc", r"acc = ([\d.]+)%"), ("f1_male", r"f1_male = ([\d.]+)%"),
                          ("f1_female", r"f1_female = ([\d.]+)%")):
        m = re.search(pattern, text)
        if m:
            out[name] = float(m.group(1))
    return out


def f1(pred: list[str | None], gold: list[str], g: str) -> float:
    tp = sum(1 for p, t in zip(pred, gold) if p == g and t == g)
    fp = sum(1 for p, t in zip(pred, gold) if p == g and t != g)
    fn = sum(1 for p, t in zip(pred, gold) if p != g and t == g)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return 100 * 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def flagged_lines(sources: list[str], targets: list[str], lang: str) -> set[int]:
    """0-based indexes of the segments gender.source_mismatch reports."""
    import normalize

    clean = [t.replace("\n", " ").strip() or "." for t in targets]
    source = "".join(s.replace("\n", " ").strip() + "\n" for s in sources)
    findings = normalize.check("".join(t + "\n" for t in clean), lang=lang, source=source,
                               source_lang="en", select=["gender.source_mismatch"])
    return {f.line - 1 for f in findings}


def evaluate(lang: str, gold_rows) -> dict[str, object]:
    from normalize.rules.gender._target import read_gender, role_key

    pairs = load_translations(lang)
    assert len(pairs) == len(gold_rows), f"{lang}: {len(pairs)} translations, {len(gold_rows)} gold rows"
    gold = [{"male": "m", "female": "f"}.get(g, "n") for g, _, _, _ in gold_rows]
    pred = []
    for (g, _, _, entity), (_, target) in zip(gold_rows, pairs):
        key = role_key(entity)
        pred.append(read_gender(target, lang, key, grammatical=True) if key else None)
    n = len(gold)
    read = sum(1 for p in pred if p)
    acc = 100 * sum(1 for p, t in zip(pred, gold) if p == t) / n
    gendered = [i for i, t in enumerate(gold) if t in "mf"]
    acc_read = 100 * sum(1 for i in gendered if pred[i] == gold[i]) / max(1, sum(1 for i in gendered if pred[i]))
    result: dict[str, object] = {
        "published": published(lang),
        "view": {"acc": acc, "f1_male": f1(pred, gold, "m"), "f1_female": f1(pred, gold, "f"),
                 "coverage": 100 * read / n, "acc_where_read": acc_read},
    }

    # The reader against human annotations of target sentences.
    human_path = DATA / "human_annotations" / HUMAN[lang]
    human_rows = []
    if human_path.is_file():
        with open(human_path, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                hg = (row.get("Gender? [M/F/N]") or "").strip().upper()[:1]
                found = (row.get("Find entity? [Y/N]") or "").strip().upper()[:1]
                entity = (row.get("Entity") or "").strip()
                entity = entity[4:] if entity.lower().startswith("the ") else entity
                key = role_key(entity)
                mine = read_gender(row["Sentence"], lang, key, grammatical=True) if key else None
                human_rows.append((int(row["Index"]), found, hg.lower(), mine, row["Sentence"]))
    judged = [(h, m) for _, found, h, m, _ in human_rows if found == "Y" and h in ("m", "f")]
    agree = sum(1 for h, m in judged if m == h)
    answered = sum(1 for _, m in judged if m)
    result["reader_vs_human"] = {
        "rows": len(human_rows), "judged": len(judged), "read": answered,
        "agree_of_judged": 100 * agree / max(1, len(judged)),
        "agree_of_read": 100 * agree / max(1, answered)}

    # The rule as a detector.
    flags = flagged_lines([s for s, _ in pairs], [t for _, t in pairs], lang)
    problems = {i for i in gendered if pred[i] and pred[i] != gold[i]}
    tp = len(flags & problems)
    result["rule"] = {
        "flags": len(flags), "problems_by_view": len(problems),
        "precision": 100 * tp / max(1, len(flags)), "recall": 100 * tp / max(1, len(problems))}
    # Against human-read target gender, where the sentence is Google's (es, ru: all rows).
    human_google = [(i, h) for i, found, h, _, sent in human_rows
                    if found == "Y" and h in ("m", "f") and gold[i] in "mf"
                    and sent.strip() == pairs[i][1].strip()]
    if human_google:
        hp = {i for i, h in human_google if h != gold[i]}
        covered = {i for i, _ in human_google}
        hf = flags & covered
        result["rule_vs_human"] = {
            "segments": len(human_google), "problems": len(hp), "flags": len(hf),
            "precision": 100 * len(hf & hp) / len(hf) if hf else float("nan"),
            "recall": 100 * len(hf & hp) / len(hp) if hp else float("nan")}
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lang", action="append", choices=LANGS, help="a target language (repeatable)")
    ap.add_argument("--json", metavar="FILE", help="write the numbers as JSON")
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        sys.exit(f"eval_winomt: {DATA} is missing (the WinoMT data in ../shared/benchmarks)")
    t0 = time.perf_counter()
    gold_rows = load_gold()
    report = {}
    print(f"WinoMT: {len(gold_rows)} sentences; Google Translate output; mtnorm reads the gold "
          f"entity's gender in the target")
    print(f"{'lang':<5}{'acc':>7}{'pub':>7}{'f1 m':>7}{'pub':>7}{'f1 f':>7}{'pub':>7}{'read%':>7}"
          f"{'acc|read':>9} | {'human n':>7}{'agree':>7} | {'flags':>6}{'prob':>6}{'P':>6}{'R':>6}"
          f" | {'hum n':>6}{'prob':>5}{'flags':>6}{'P':>6}{'R':>6}")
    for lang in args.lang or LANGS:
        r = evaluate(lang, gold_rows)
        report[lang] = r
        v, p, h, rule = r["view"], r["published"], r["reader_vs_human"], r["rule"]
        hr = r.get("rule_vs_human") or {}
        print(f"{lang:<5}{v['acc']:>7.1f}{p.get('acc', float('nan')):>7.1f}{v['f1_male']:>7.1f}"
              f"{p.get('f1_male', float('nan')):>7.1f}{v['f1_female']:>7.1f}"
              f"{p.get('f1_female', float('nan')):>7.1f}{v['coverage']:>7.1f}{v['acc_where_read']:>9.1f}"
              f" | {h['judged']:>7}{h['agree_of_judged']:>7.1f} | {rule['flags']:>6}"
              f"{rule['problems_by_view']:>6}{rule['precision']:>6.1f}{rule['recall']:>6.1f}"
              f" | {hr.get('segments', 0):>6}{hr.get('problems', 0):>5}{hr.get('flags', 0):>6}"
              f"{hr.get('precision', float('nan')):>6.1f}{hr.get('recall', float('nan')):>6.1f}")
    print("acc: share of all 3,888 whose target gender (as read) equals the gold (unread = wrong; "
          "'pub' = WinoMT's published figure for the same output); read%: coverage; acc|read: "
          "accuracy where mtnorm read a gender; human n/agree: reader vs WinoMT's human "
          "annotations (rows with a found entity and M/F); flags/prob/P/R: gender.source_mismatch "
          "flags against segments whose read target gender differs from the gold (precision is "
          "near 100% by construction: a flag needs the read gender to contradict the source); "
          "hum n/prob/flags/P/R: the same against WinoMT's human-read gender, on the annotated "
          "rows that are Google's output (fr and de annotate other systems)")
    print(f"({time.perf_counter() - t0:.1f} s)")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
