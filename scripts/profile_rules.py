#!/usr/bin/env python3
"""Where ``check`` and ``fix`` spend their time, per rule and per shared analysis.

One process, one text (default: the WMT22 English references, ~1 MB, read in place
from ``../shared/benchmarks``), every rule that applies under ``--lang``/``--style``.
Each rule's ``check(ctx)`` is timed (its findings consumed), and so is each analysis
of ``ctx.analysis`` (``words``, ``places``, ``prose_sentences`` ...) and each builder
passed to ``ctx.analysis.shared``: the first rule to ask for an analysis does not pay
for it, the analysis does (times are exclusive: an analysis computed inside another is
charged to itself only). ``fix`` is timed the same way through ``fix_document`` (its
passes re-run line-scope rules on the edited lines and document-scope rules on the
whole text); "fixer" is the fix's time outside the rules and analyses.

Times are CPU seconds of this process (``time.process_time``: user + system, steadier
than wall time on a shared machine), the median of ``--runs`` runs after one warm-up
(data files loaded, caches filled), given per MB (10**6 bytes of UTF-8).

    .venv/bin/python scripts/profile_rules.py                       # table, check and fix
    .venv/bin/python scripts/profile_rules.py --runs 5 --top 25
    .venv/bin/python scripts/profile_rules.py --cprofile garble.glued_words   # hot loops
    .venv/bin/python scripts/profile_rules.py --file /tmp/x.txt --lang de --style default
    .venv/bin/python scripts/profile_rules.py --file corpora/examples/wire-kharkiv-en-from-fr.txt \
        --source-lang fr --runs 301 --only check      # the desk benchmark's story
"""
from __future__ import annotations

import argparse
import cProfile
import functools
import pstats
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
REFS = REPO.parent / "shared" / "benchmarks" / "wmt22_general" / "txt" / "references"
MB = 1_000_000

from normalize import lazy
from normalize.analysis.document import DocumentAnalysis
from normalize.checker import get_linter
from normalize.document import Document
from normalize.fixer import fix_document
from normalize.linter import Linter, Options

clock = time.process_time


class Timer:
    """Exclusive CPU time per label: time spent in a nested label is its own."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = defaultdict(float)
        self._stack: list[list] = []   # [label, start, time of nested labels]

    def run(self, label: str, fn, *args):
        frame = [label, clock(), 0.0]
        self._stack.append(frame)
        try:
            return fn(*args)
        finally:
            self._stack.pop()
            elapsed = clock() - frame[1]
            self.totals[label] += elapsed - frame[2]
            if self._stack:
                self._stack[-1][2] += elapsed


TIMER = Timer()


def _instrument() -> None:
    """Charge every analysis of :class:`DocumentAnalysis` and every shared builder to
    itself, and every rule's ``check`` to the rule."""
    for name, attr in list(vars(DocumentAnalysis).items()):
        # (the analyses use normalize.lazy's lock-free cached_property)
        if isinstance(attr, (functools.cached_property, lazy.cached_property)):
            func = attr.func

            def timed(self, _func=func, _label=f"analysis.{name}"):
                return TIMER.run(_label, _func, self)

            prop = type(attr)(timed)
            prop.__set_name__(DocumentAnalysis, name)
            setattr(DocumentAnalysis, name, prop)
    for name in ("first_prose_sentence", "positions"):
        func = getattr(DocumentAnalysis, name)

        def timed_method(self, *args, _func=func, _label=f"analysis.{name}"):
            return TIMER.run(_label, _func, self, *args)

        setattr(DocumentAnalysis, name, timed_method)
    shared = DocumentAnalysis.shared

    def timed_shared(self, build):
        if build in self._shared:
            return self._shared[build]
        label = f"shared.{build.__module__.rsplit('.', 1)[-1]}.{build.__qualname__}"
        return TIMER.run(label, shared, self, build)

    DocumentAnalysis.shared = timed_shared

    active = Linter._active

    def timed_active(self, ctx, scope):
        return [_TimedRule(rule) for rule in active(self, ctx, scope)]

    Linter._active = timed_active


class _TimedRule:
    def __init__(self, rule) -> None:
        self.rule = rule

    def check(self, ctx):
        return TIMER.run(f"rule.{self.rule.id}", lambda: list(self.rule.check(ctx)))


def _document(text: str, options: Options) -> Document:
    return Document(text, lang=options.lang, style=options.style, source_lang=options.source_lang)


def measure(linter: Linter, text: str, what: str, options: Options) -> tuple[float, dict[str, float]]:
    """CPU seconds of one ``check`` or ``fix`` of ``text``, and the time per label."""
    TIMER.totals.clear()
    doc = _document(text, options)
    start = clock()
    if what == "check":
        linter.check(doc)
    else:
        fix_document(linter, doc)
    total = clock() - start
    return total, dict(TIMER.totals)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--file", type=Path, help="the text (default: the WMT22 English references)")
    ap.add_argument("--lang", default="en")
    ap.add_argument("--style", default="ap")
    ap.add_argument("--source-lang", help="the text's source language (rules for its calques, "
                                          "false friends and typography run)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs (median; default 3)")
    ap.add_argument("--top", type=int, default=40, help="rows shown (default 40)")
    ap.add_argument("--only", choices=("check", "fix"), help="time one command only")
    ap.add_argument("--cprofile", metavar="LABEL",
                    help="instead: cProfile one check, printing the hottest functions under a "
                         "rule or analysis (e.g. garble.glued_words, analysis.places, or 'all')")
    args = ap.parse_args()

    if args.file:
        text = args.file.read_text(encoding="utf-8")
    else:
        text = "".join(p.read_text(encoding="utf-8") for p in sorted(REFS.glob("*.en")))
    size = len(text.encode("utf-8")) / MB
    options = Options(lang=args.lang, style=args.style, source_lang=args.source_lang)
    linter = get_linter(options)
    linter.check(_document(text, options))   # warm-up: data, caches

    if args.cprofile:
        return _cprofile(linter, text, options, args.cprofile)

    _instrument()
    whats = [args.only] if args.only else ["check", "fix"]
    results: dict[str, tuple[float, dict[str, float]]] = {}
    for what in whats:
        totals: list[float] = []
        labels: dict[str, list[float]] = defaultdict(list)
        for _ in range(args.runs):
            total, per = measure(linter, text, what, options)
            totals.append(total)
            for label in set(per) | set(labels):
                labels[label].append(per.get(label, 0.0))
        results[what] = (statistics.median(totals),
                         {k: statistics.median(v) for k, v in labels.items()})

    print(f"# {size:.2f} MB, lang {args.lang}, source {args.source_lang or '-'}, style {args.style}, "
          f"median of {args.runs} runs, CPU seconds per MB ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})")
    order = sorted({k for _, per in results.values() for k in per},
                   key=lambda k: -max(per.get(k, 0.0) for _, per in results.values()))
    head = "| rule / analysis | " + " | ".join(f"{w} s/MB" for w in whats) + " |"
    print(head)
    print("|---|" + "---:|" * len(whats))
    for what_total in ("total",):
        cells = [f"{results[w][0] / size:.3f}" for w in whats]
        print(f"| **{what_total}** | " + " | ".join(cells) + " |")
    rules_cells = [f"{sum(v for k, v in results[w][1].items() if k.startswith('rule.')) / size:.3f}"
                   for w in whats]
    print("| rules (sum) | " + " | ".join(rules_cells) + " |")
    an_cells = [f"{sum(v for k, v in results[w][1].items() if not k.startswith('rule.')) / size:.3f}"
                for w in whats]
    print("| analyses + shared (sum) | " + " | ".join(an_cells) + " |")
    other = [f"{(results[w][0] - sum(results[w][1].values())) / size:.3f}" for w in whats]
    print("| linter/fixer outside rules | " + " | ".join(other) + " |")
    for label in order[:args.top]:
        cells = [f"{results[w][1].get(label, 0.0) / size:.3f}" for w in whats]
        print(f"| {label.removeprefix('rule.')} | " + " | ".join(cells) + " |")
    return 0


def _cprofile(linter: Linter, text: str, options: Options, label: str) -> int:
    doc = _document(text, options)
    ctx = linter.context(doc)
    profiler = cProfile.Profile()
    if label == "all":
        profiler.enable()
        linter.check(doc)
        profiler.disable()
    elif label.startswith("analysis."):
        name = label.removeprefix("analysis.")
        profiler.enable()
        getattr(ctx.analysis, name)
        profiler.disable()
    elif label == "fix":
        profiler.enable()
        fix_document(linter, doc)
        profiler.disable()
    else:
        rule = next((r for r in linter._active(ctx, None) if r.id == label), None)
        if rule is None:
            print(f"no active rule {label!r}", file=sys.stderr)
            return 2
        # The analyses it reads are computed first, by the rules before it, as in a check.
        for other in linter._active(ctx, None):
            if other is rule:
                break
            list(other.check(ctx))
        profiler.enable()
        list(rule.check(ctx))
        profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
