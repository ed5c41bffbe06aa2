#!/usr/bin/env python3
"""Multi-pattern scanners against each other on the data rules' real triggers (issue 11).

Gathers the triggers of every data rule file (corpora/rules, every language and
source language): the literal triggers (the anchors of ``pattern`` entries, the
words of phrases, ``existence`` words, ``substitution`` terms of the house
styles' ``reject`` lists) and the regexes (every ``existence`` pattern and every
``pattern`` entry's regex); with ``--gazetteer``, also the English gazetteer's
names. Then it scans English news (the WMT22 references repeated into
``.bench/``, never into the repo) with each candidate that is installed, in one
run, alternating the candidates ``--runs`` times and quoting the median CPU
seconds:

* literals, whole words, case-insensitive, leftmost-longest, non-overlapping
  (what ``re`` gives for ``(?<!\\w)(?:longest|...|short)(?!\\w)``): ``re`` and
  ``regex`` alternations, ``google-re2`` (leading boundary consumed, trailing
  one checked in Python), ``hyperscan`` (every match with its start, the
  boundaries and leftmost-longest picked in Python, byte offsets mapped back to
  characters) and ``ahocorasick-rs`` (on the lower-cased text, overlapping
  matches, the same Python filter). Every candidate must report the same
  ``(start, end)`` as ``re`` on the ``--check-mb`` slice;
* regexes: ``re`` one pattern at a time (the lines where each one matches, on
  the check slice only: it is slow), ``re`` and ``regex`` as one alternation
  (timing only: leftmost-first is not "every pattern's matches"), ``hyperscan``
  in prefilter mode (every pattern's match ends; its lines must include every
  line ``re`` found; the first ``--hs-regexes`` only: its compiler is slow),
  ``google-re2`` as one alternation of the patterns it compiles (timing only);
* the data rules themselves: CPU s/MB of ``normalize.check --select RULE``
  (calque.false_friend with --source-lang fr/de/ru, debris.pattern,
  terms.rejected), the trigger scanner with and without its automaton
  (``--rules-only`` runs just this; copy the script into an older checkout to
  time that one).

Usage::

    .venv/bin/python scripts/bench_multipattern.py                  # 20 MB, 3 runs
    .venv/bin/python scripts/bench_multipattern.py --size-mb 5 --runs 1 --gazetteer
"""
from __future__ import annotations

import argparse
import bisect
import functools
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_throughput import MB, REPO, build_text

sys.path.insert(0, str(REPO))

Span = tuple[int, int]


# -- the triggers ------------------------------------------------------------------------------
def gather() -> tuple[list[str], list[tuple[str, str, int]]]:
    """``(literals, regexes)`` of every data rule file: literals lower-cased and deduplicated;
    regexes as ``(label, pattern, re flags)``."""
    import yaml

    from normalize.ruletypes import pattern as pattern_type
    from normalize.ruletypes.examples import rule_files

    literals: set[str] = set()
    regexes: list[tuple[str, str, int]] = []
    for file in rule_files():
        data = file.doc.data or {}
        kind = file.rule.spec["type"]
        for w in data.get("words") or []:
            literals.add(" ".join(str(w).lower().split()))
        for term in (data.get("swap") or {}):
            literals.add(" ".join(str(term).lower().split()))
        for group in data.get("groups") or []:
            literals.update(" ".join(str(f).lower().split()) for f in group.get("forms") or [])
        for i, entry in enumerate(data.get("patterns") or []):
            label = f"{file.doc.where}#{entry.get('id', i)}"
            if kind == "existence":
                flags = 0 if file.rule.spec.get("case_sensitive") else re.IGNORECASE
                regexes.append((label, entry["pattern"], flags))
                continue
            compiled = pattern_type._compile(entry, label, None)
            literals.update(compiled.anchors)
            regexes.append((label, compiled.regex.pattern, compiled.regex.flags & ~re.UNICODE))
    for style in sorted((REPO / "corpora" / "styles").glob("*.yaml")):
        raw = yaml.safe_load(style.read_text(encoding="utf-8")) or {}
        reject = raw.get("reject") or {}
        literals.update(" ".join(str(t).lower().split()) for t in reject)
    return sorted(w for w in literals if w.strip()), regexes


def gazetteer_names() -> list[str]:
    from normalize.gazetteer.store import get_gazetteer

    sys.path.insert(0, str(REPO / "scripts"))
    from bench_throughput import index_keys

    return sorted(set(index_keys(get_gazetteer().index("en"))))


# -- literal scanners: whole words, case-insensitive, leftmost-longest -------------------------
def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _pick(text: str, spans: list[Span]) -> list[Span]:
    """Whole-word spans, leftmost-longest, non-overlapping (what a ``re`` alternation gives)."""
    n = len(text)
    ok = [(s, e) for s, e in spans
          if (s == 0 or not _is_word(text[s - 1])) and (e == n or not _is_word(text[e]))]
    ok.sort(key=lambda se: (se[0], -se[1]))
    out: list[Span] = []
    last = -1
    for s, e in ok:
        if s >= last:
            out.append((s, e))
            last = e
    return out


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def re_literal(words: list[str], module=re) -> Callable[[str], list[Span]]:
    rx = module.compile(rf"(?<!\w)(?:{_alternation(words)})(?!\w)", module.IGNORECASE)
    return lambda text: [m.span() for m in rx.finditer(text)]


def re2_literal(words: list[str]) -> Callable[[str], list[Span]]:
    import re2

    opts = re2.Options()
    opts.longest_match = True
    opts.case_sensitive = False
    opts.max_mem = 1 << 30
    # Bytes: re2's str API re-encodes the whole text on every search() call.
    rx = _quiet(lambda: re2.compile(rf"(?:^|[^\pL\pN\pM_])({_alternation(words)})".encode(), opts))

    def scan(text: str) -> list[Span]:
        data = text.encode()
        spans = []
        pos = 0
        search = rx.search
        while True:
            m = search(data, pos)
            if m is None:
                break
            s, e = m.span(1)
            spans.append((s, e))
            pos = max(e, s + 1)
        if len(data) != len(text):
            offs = _char_offsets(data)
            spans = [(int(offs[s]), int(offs[e])) for s, e in spans]
        # Longest-match may pick an alternative that fails the trailing boundary
        # where a shorter one passes: the exact filter says which stand.
        return _pick(text, spans)
    return scan


def _quiet(fn: Callable[[], object]):
    """``fn()`` with file descriptor 2 silenced (re2 logs every pattern it refuses)."""
    import os

    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        return fn()
    finally:
        os.dup2(saved, 2)
        os.close(null)
        os.close(saved)


def _char_offsets(data: bytes):
    """numpy array: byte offset -> character offset (None for ASCII text)."""
    import numpy as np

    arr = np.frombuffer(data, dtype=np.uint8)
    starts = (arr & 0xC0) != 0x80
    out = np.empty(len(arr) + 1, dtype=np.int64)
    out[:-1] = np.cumsum(starts) - 1
    out[-1] = out[-2] + 1 if len(arr) else 0
    return out


def hs_literal(words: list[str]) -> Callable[[str], list[Span]]:
    import hyperscan

    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SOM_LEFTMOST
    # Literal mode takes bytes as they are: case folding is ASCII only there, so
    # non-ASCII words go through the regex compiler with UTF-8 + UCP.
    ascii_words = [w for w in words if w.isascii()]
    other = [w for w in words if not w.isascii()]
    exprs = [w.encode() for w in ascii_words]
    db.compile(expressions=exprs, ids=list(range(len(exprs))), elements=len(exprs),
               flags=flags, literal=True)
    db2 = None
    if other:
        db2 = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        ex2 = [re.escape(w).encode() for w in other]
        db2.compile(expressions=ex2, ids=list(range(len(ex2))), elements=len(ex2),
                    flags=flags | hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP)
    scratch = hyperscan.Scratch(db)
    scratch2 = hyperscan.Scratch(db2) if db2 is not None else None

    def scan(text: str) -> list[Span]:
        data = text.encode()
        found: list[tuple[int, int]] = []
        add = found.append

        def on(_id, start, end, _flags, _ctx):
            add((start, end))

        db.scan(data, match_event_handler=on, scratch=scratch)
        if db2 is not None:
            db2.scan(data, match_event_handler=on, scratch=scratch2)
        if len(data) != len(text):
            offs = _char_offsets(data)
            found = [(int(offs[s]), int(offs[e])) for s, e in found]
        return _pick(text, found)
    return scan


def ac_literal(words: list[str]) -> Callable[[str], list[Span]]:
    import ahocorasick_rs as ac

    auto = ac.AhoCorasick(words, matchkind=ac.MATCHKIND_STANDARD)

    def scan(text: str) -> list[Span]:
        low = text.lower()
        if len(low) != len(text):  # "İ" lower-cases to two characters
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        found = [(s, e) for _i, s, e in auto.find_matches_as_indexes(low, overlapping=True)]
        return _pick(text, found)
    return scan


def hs_raw(words: list[str]) -> Callable[[str], int]:
    """The hyperscan literal database alone: encode, scan, count the callbacks."""
    import hyperscan

    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    exprs = [re.escape(w).encode() for w in words]
    db.compile(expressions=exprs, ids=list(range(len(exprs))), elements=len(exprs),
               flags=hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP
               | hyperscan.HS_FLAG_SINGLEMATCH)
    scratch = hyperscan.Scratch(db)

    def scan(text: str) -> int:
        hits = [0]

        def on(_id, _s, _e, _f, _c):
            hits[0] += 1

        db.scan(text.encode(), match_event_handler=on, scratch=scratch)
        return hits[0]
    return scan


def ac_raw(words: list[str]) -> Callable[[str], int]:
    """The ahocorasick-rs automaton alone: lower-case, scan (leftmost-longest), count."""
    import ahocorasick_rs as ac

    auto = ac.AhoCorasick(words, matchkind=ac.MATCHKIND_LEFTMOST_LONGEST)
    return lambda text: len(auto.find_matches_as_indexes(text.lower()))


# -- regex scanners -------------------------------------------------------------------------
def _line_of(starts: list[int], pos: int) -> int:
    return bisect.bisect_right(starts, pos) - 1


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer("\n", text))]


def re_each(regexes: list[tuple[str, str, int]]) -> Callable[[str], set[tuple[int, int]]]:
    compiled = [re.compile(p, f | re.MULTILINE) for _l, p, f in regexes]

    def scan(text: str) -> set[tuple[int, int]]:
        starts = _line_starts(text)
        out = set()
        for i, rx in enumerate(compiled):
            for m in rx.finditer(text):
                if m.end() > m.start():
                    out.add((i, _line_of(starts, m.end() - 1)))
        return out
    return scan


def alternation(regexes: list[tuple[str, str, int]], module=re) -> Callable[[str], int]:
    # Per-pattern case flags as inline groups; named groups renamed away (duplicates).
    parts = []
    for _l, p, f in regexes:
        p = re.sub(r"\(\?P<(\w+)>", "(?:", p)
        p = re.sub(r"\(\?\((\w+)\)", "(?(0)", p) if "(?(" in p else p
        if "(?(" in p:
            continue
        parts.append(f"(?{'i' if f & re.IGNORECASE else ''}m:{p})" if f & re.IGNORECASE else f"(?m:{p})")
    rx = module.compile("|".join(parts))
    return lambda text: sum(1 for _ in rx.finditer(text))


def hs_regex(regexes: list[tuple[str, str, int]]) -> tuple[Callable[[str], set[tuple[int, int]]], int]:
    import hyperscan

    base = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP | hyperscan.HS_FLAG_PREFILTER \
        | hyperscan.HS_FLAG_MULTILINE | hyperscan.HS_FLAG_ALLOWEMPTY
    ok, flags, ids = [], [], []
    for i, (_l, p, f) in enumerate(regexes):
        fl = base | (hyperscan.HS_FLAG_CASELESS if f & re.IGNORECASE else 0)
        try:
            probe = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            probe.compile(expressions=[p.encode()], ids=[0], elements=1, flags=fl)
        except hyperscan.error:
            continue
        ok.append(p.encode())
        flags.append(fl)
        ids.append(i)
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=ok, ids=ids, elements=len(ok), flags=flags)
    scratch = hyperscan.Scratch(db)

    def scan(text: str) -> set[tuple[int, int]]:
        data = text.encode()
        ends: list[tuple[int, int]] = []
        add = ends.append
        db.scan(data, match_event_handler=lambda i, _s, e, _f, _c: add((i, e)), scratch=scratch)
        if len(data) != len(text):
            offs = _char_offsets(data)
            ends = [(i, int(offs[e])) for i, e in ends]
        starts = _line_starts(text)
        return {(i, _line_of(starts, max(e - 1, 0))) for i, e in ends}
    return scan, len(regexes) - len(ok)


def re2_alternation(regexes: list[tuple[str, str, int]]) -> tuple[Callable[[str], int], int]:
    import re2

    opts = re2.Options()
    opts.max_mem = 1 << 30
    opts.never_capture = True
    parts = []
    for _l, p, f in regexes:
        p = f"(?{'i' if f & re.IGNORECASE else ''}m:{p})" if f & re.IGNORECASE else f"(?m:{p})"
        try:
            _quiet(lambda p=p: re2.compile(p, opts))
        except re2.error:
            continue
        parts.append(p)
    rx = re2.compile("|".join(parts), opts)
    return (lambda text: sum(1 for _ in rx.finditer(text))), len(regexes) - len(parts)


# -- the data rules themselves -----------------------------------------------------------------
RULE_RUNS = [
    ("calque.false_friend", "fr"), ("calque.false_friend", "de"), ("calque.false_friend", "ru"),
    ("debris.pattern", None), ("terms.rejected", None), ("all four data rules", "fr"),
]
#: A reject list for terms.rejected (it runs only when terms are configured).
REJECT = {"utilize": "use", "in order to": "to", "Kiev": "Kyiv", "leverage": None, "amid": None}


def rule_seconds(docs: list[str], mb: float, runs: int) -> None:
    """CPU seconds per MB of ``normalize.check`` with one data rule selected (its analyses
    included), median of ``runs``, after one warm-up document (data loaded, regexes compiled):
    the data rules' trigger scanner (normalize/ruletypes/triggers.py) with its word-hash
    look-up and with an ahocorasick-rs automaton put in its place, alternated in one run."""
    import normalize

    try:
        from normalize.ruletypes import triggers
    except ImportError:  # a checkout before the trigger scanner
        triggers = None
    modes = ["automaton", "word hashes"] if triggers is not None else ["as is"]
    word_hash_scan = triggers.scan if triggers is not None else None
    print(f"\ndata rules, normalize.check with --select RULE ({mb:.1f} MB in {len(docs)} documents, "
          f"CPU s/MB, median of {runs}):")
    print(f"  {'rule':<22} {'':<17} " + " ".join(f"{m:>12}" for m in modes) + "   findings")
    data_rules = sorted(r for r, _s in RULE_RUNS if not r.startswith("all"))
    for rule, source in RULE_RUNS:
        select = data_rules if rule.startswith("all") else [rule]
        kw = {"lang": "en", "source_lang": source, "select": select, "reject": REJECT}
        times: dict[str, list[float]] = {m: [] for m in modes}
        counts: dict[str, int] = {}
        for _ in range(runs):
            for mode in modes:
                if triggers is not None:
                    triggers.scan = _automaton_scan if mode == "automaton" else word_hash_scan
                normalize.check(docs[0][:2000], **kw)  # warm: data loaded, scanner built
                c0 = time.process_time()
                found = 0
                for d in docs:
                    found += len(normalize.check(d, **kw))
                times[mode].append(time.process_time() - c0)
                counts[mode] = found
        cells = " ".join(f"{statistics.median(times[m]) / mb:12.3f}" for m in modes)
        same = "" if len(set(counts.values())) == 1 else "  DIFFERENT COUNTS"
        print(f"  {rule:<22} {'--source-lang ' + source if source else '':<17} {cells}   "
              f"{counts[modes[0]]:,}{same}")
    if triggers is not None:
        triggers.scan = word_hash_scan


@functools.cache
def _automaton(words: frozenset[str]):
    import ahocorasick_rs

    return ahocorasick_rs.AhoCorasick(sorted(words),
                                      matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST)


def _automaton_scan(ctx, words) -> list[tuple[int, int, str]]:
    """What normalize.ruletypes.triggers.scan gives, found by an Aho-Corasick automaton over
    the lower-cased text plus a whole-word check in Python."""
    text, low = ctx.text, ctx.analysis.lower_aligned
    n = len(text)
    out = []
    for _i, s, e in _automaton(words).find_matches_as_indexes(low):
        if (s == 0 or not (text[s - 1].isalnum() or text[s - 1] == "_")) and \
                (e == n or not (text[e].isalnum() or text[e] == "_")):
            out.append((s, e, low[s:e]))
    return out


# -- running -------------------------------------------------------------------------------
def _docs(text: str, size: int) -> list[str]:
    out, start = [], 0
    while start < len(text):
        end = text.find("\n", start + size)
        end = len(text) if end == -1 else end + 1
        out.append(text[start:end])
        start = end
    return out


def _time(fn: Callable[[str], object], docs: list[str]) -> float:
    c0 = time.process_time()
    for d in docs:
        fn(d)
    return time.process_time() - c0


def race(title: str, contenders: dict[str, Callable[[str], object]], docs: list[str], mb: float,
         runs: int, builds: dict[str, float]) -> dict[str, float]:
    """Alternate the contenders ``runs`` times; print median CPU s and MB/s."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(runs):
        for name, fn in contenders.items():
            times[name].append(_time(fn, docs))
    print(f"\n{title} ({mb:.1f} MB in {len(docs)} documents, median of {runs} CPU times):")
    print(f"  {'scanner':<34} {'build s':>8} {'scan s':>8} {'MB/s':>8}")
    medians = {}
    for name, ts in times.items():
        med = statistics.median(ts)
        medians[name] = med
        print(f"  {name:<34} {builds.get(name, 0):8.2f} {med:8.2f} {mb / med if med else 0:8.2f}")
    return medians


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size-mb", type=float, default=20, help="text to scan, MB (default 20)")
    ap.add_argument("--check-mb", type=float, default=1, help="slice compared match by match (default 1)")
    ap.add_argument("--doc-kb", type=int, default=64, help="documents of this size (default 64 KB)")
    ap.add_argument("--regex-mb", type=float, default=0.5,
                    help="text for the regex scans (default 0.5 MB: re takes ~1 s per KB of 1,400 patterns)")
    ap.add_argument("--hs-regexes", type=int, default=150,
                    help="regexes given to hyperscan's prefilter compiler (default 150: with UTF-8 "
                         "and UCP it took 137 CPU s for 150 here, each probed alone then all "
                         "together; all 1,388 would take half an hour)")
    ap.add_argument("--runs", type=int, default=3, help="alternations (default 3)")
    ap.add_argument("--gazetteer", action="store_true", help="also the English gazetteer names (literals)")
    ap.add_argument("--rules-only", action="store_true",
                    help="only time the data rules (normalize.check --select RULE) on --rules-mb")
    ap.add_argument("--rules-mb", type=float, default=1, help="text for the data rules (default 1 MB)")
    args = ap.parse_args(argv)

    text = build_text(args.size_mb).read_text(encoding="utf-8")
    docs = _docs(text, args.doc_kb * 1024)
    mb = len(text.encode()) / MB
    check = _docs(text[:int(args.check_mb * MB)], args.doc_kb * 1024)
    rules_text = text[:int(args.rules_mb * MB)]
    rules_docs = _docs(rules_text[:rules_text.rfind("\n") + 1], args.doc_kb * 1024)
    if args.rules_only:
        rule_seconds(rules_docs, len(rules_text.encode()) / MB, args.runs)
        return 0
    literals, regexes = gather()
    print(f"triggers: {len(literals):,} literals, {len(regexes):,} regexes "
          f"(every data rule file, every language and source language)")

    builders: dict[str, Callable[[list[str]], Callable[[str], list[Span]]]] = {
        "re alternation": re_literal,
        "regex alternation": lambda w: re_literal(w, __import__("regex")),
        "google-re2 (longest match)": re2_literal,
        "hyperscan (literal + UCP)": hs_literal,
        "ahocorasick-rs (lower + filter)": ac_literal,
    }
    raw_builders = {
        "(hyperscan alone, SINGLEMATCH)": hs_raw,
        "(ahocorasick-rs alone, lower)": ac_raw,
    }
    sets = [("data-rule literals", literals)]
    if args.gazetteer:
        names = gazetteer_names()
        print(f"gazetteer: {len(names):,} English names")
        sets.append(("gazetteer names", names))
    ok = True
    for title, words in sets:
        contenders: dict[str, Callable[[str], object]] = {}
        builds: dict[str, float] = {}
        for name, build in builders.items():
            if title == "gazetteer names" and name in ("re alternation", "regex alternation"):
                continue  # 180,000 branches: minutes per MB (no trie); measured separately
            try:
                t0 = time.process_time()
                contenders[name] = build(words)
                builds[name] = time.process_time() - t0
            except ImportError as exc:
                print(f"  {name}: not installed ({exc})")
        timed = dict(contenders)
        for name, build in raw_builders.items():
            try:
                t0 = time.process_time()
                timed[name] = build(words)
                builds[name] = time.process_time() - t0
            except ImportError:
                pass
        reference_name = "re alternation" if "re alternation" in contenders else next(iter(contenders))
        reference = contenders[reference_name]
        print(f"\n{title}: same (start, end) as {reference_name} on {args.check_mb:g} MB?")
        expected = [reference(d) for d in check]
        for name, fn in contenders.items():
            if name == reference_name:
                continue
            diffs = []
            for d, doc in enumerate(check):
                got = fn(doc)
                if got != expected[d]:
                    a, b = set(got), set(expected[d])
                    diffs += [(d, s, "extra", doc) for s in sorted(a - b)]
                    diffs += [(d, s, "missing", doc) for s in sorted(b - a)]
            total = sum(len(e) for e in expected)
            if diffs:
                ok = False
                print(f"  {name}: {len(diffs)} differences out of {total:,} matches; first ones:")
                for d, (s, e), kind, doc in diffs[:8]:
                    print(f"    doc {d} [{s}:{e}] {kind}: {doc[max(0, s - 20):e + 20]!r}")
            else:
                print(f"  {name}: same {total:,} matches")
        race(f"{title}: {len(words):,} literals", timed, docs, mb, args.runs, builds)

    # -- regexes --------------------------------------------------------------------------
    print(f"\nregexes: {len(regexes):,}")
    check_text = text[:int(args.regex_mb * MB)]
    check_text = check_text[:check_text.rfind("\n") + 1]
    regex_docs = _docs(check_text, args.doc_kb * 1024)
    check_mb = len(check_text.encode()) / MB
    t0 = time.process_time()
    each = re_each(regexes)
    expected_lines = each(check_text)
    t_each = time.process_time() - t0
    print(f"  re, one pattern at a time: {t_each:.2f} CPU s on {check_mb:.1f} MB "
          f"({check_mb / t_each:.2f} MB/s), {len(expected_lines):,} (pattern, line) hits")
    contenders = {}
    builds = {}
    for name, build in (("re alternation (timing only)", lambda r: alternation(r)),
                        ("regex alternation (timing only)", lambda r: alternation(r, __import__("regex")))):
        t0 = time.process_time()
        contenders[name] = build(regexes)
        builds[name] = time.process_time() - t0
    try:
        t0 = time.process_time()
        fn, refused = re2_alternation(regexes)
        builds["google-re2 alternation"] = time.process_time() - t0
        contenders["google-re2 alternation"] = fn
        print(f"  google-re2 refuses {refused} of {len(regexes)} (lookarounds, conditionals)")
    except ImportError:
        print("  google-re2: not installed")
    try:
        t0 = time.process_time()
        subset = regexes[:args.hs_regexes]
        hs_scan, refused = hs_regex(subset)
        label = f"hyperscan prefilter ({len(subset)} regexes)"
        builds[label] = time.process_time() - t0
        contenders[label] = hs_scan
        got = hs_scan(check_text)
        missing = {hit for hit in expected_lines if hit[0] < len(subset) and hit not in got}
        print(f"  hyperscan: {len(subset)} regexes compiled in {builds[label]:.1f} CPU s, "
              f"{refused} refused; on the regex slice it reports {len(got):,} (pattern, line) "
              f"hits, {len(missing):,} of re's missing (the refused patterns' included)")
    except ImportError:
        print("  hyperscan: not installed")
    race("regexes, one pass", contenders, regex_docs, check_mb, args.runs, builds)
    rule_seconds(rules_docs, len(rules_text.encode()) / MB, args.runs)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
