#!/usr/bin/env python3
"""The gazetteer matcher against a pyahocorasick automaton over the same keys.

mtnorm finds names with a capitalised-word scan plus dict lookups
(``normalize.gazetteer.matcher.find_names``). This script builds an
``ahocorasick.Automaton`` from the same English index keys (every key of
``get_gazetteer().index("en")``: its ``by_key`` dict, or its SQLite ``names``
table in the SQLite versions), scans the same text with it, keeps
the matches that ``find_names`` would keep (word boundaries, a capitalised
first letter, leftmost-longest, non-overlapping), checks that both give the
same matches on a 5 MB slice, then times both. It decides whether
pyahocorasick stays a dependency.

Keys are words joined by one space, and ``find_names`` lets one separator
(``_SEP``: spaces with an optional full stop, a hyphen, an apostrophe, a full
stop) stand between the words of a name. So the automaton scans the text
lower-cased with every separator collapsed to one space; the few positions
where that shortens the text (". ", runs of spaces) are kept to map matches
back to offsets in the original text. Automaton variants:

* ``ac-iter``: the keys as they are; ``iter()`` reports every occurrence,
  also inside words, and Python drops those off word boundaries;
* ``ac-bounded``: each key with a boundary character on each side, the text
  with every other non-word character turned into one boundary character, so
  the automaton itself only reports whole-word matches;
* ``ac-raw``: the ``ac-iter`` automaton on the lower-cased text with no
  separator collapse. NOT equivalent (it misses "Nagorno-Karabakh",
  "St. Petersburg" for keys written with a space): an upper bound of what an
  automaton could do; its differences are counted, not treated as failures.

All filter on capitalisation and pick leftmost-longest in Python.

Usage::

    .venv/bin/python scripts/bench_matcher.py                 # 20 MB
    .venv/bin/python scripts/bench_matcher.py --size-mb 5 --check-mb 1
"""
from __future__ import annotations

import argparse
import bisect
import inspect
import os
import pickle
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_throughput import (
    MB,
    REPO,
    compile_scan_pattern,
    count_names,
    index_keys,
    load_text,
    split_documents,
)

sys.path.insert(0, str(REPO))

from normalize.gazetteer import matcher as _matcher
from normalize.gazetteer.matcher import find_names
from normalize.gazetteer.store import Gazetteer, get_gazetteer

# The separators find_names allows between the words of a name (``_SEP`` or
# ``_NEXT_WORD`` in normalize/gazetteer/matcher.py); checked against it below.
_SEP_PATTERN = r"(?:\.?[ \u00a0]+|[-\u2010\u2011]|['\u2019]|\.)"
_SEP = re.compile(_SEP_PATTERN)
for _name in ("_SEP", "_NEXT_WORD"):
    _theirs = getattr(_matcher, _name, None)
    _theirs = getattr(_theirs, "pattern", _theirs)
    if isinstance(_theirs, str) and _SEP_PATTERN not in _theirs:
        print(f"WARNING: matcher.{_name} is {_theirs!r}; this script assumes separators "
              f"{_SEP_PATTERN!r}: matches may differ")
# The separators that are longer than one character: only these shorten the text.
_LONG_SEP = re.compile(r"\.[ \u00a0]+|[ \u00a0]{2,}")
# Every non-word character that is not a separator (bounded variant).
_OTHER = re.compile(r"[^\w \u00a0.\-\u2010\u2011'\u2019]")
_W = re.compile(r"\w")
_BOUND = "\x01"
LANG = "en"  # the text is English news


def _upper_first(ch: str) -> bool:
    return ch.isupper() or ch.istitle()


class Normalized:
    """Lower-cased text with separators collapsed, and the way back to offsets."""

    __slots__ = ("marks", "shifts", "text")

    def __init__(self, text: str, mode: str = "iter") -> None:
        lowered = text.lower()
        if len(lowered) != len(text):  # "İ" lower-cases to two characters
            lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        marks: list[int] = []   # normalized offsets after which the shift grows
        shifts: list[int] = []  # cumulative shift (original - normalized) from there
        self.marks = marks
        self.shifts = shifts
        if mode == "raw":
            self.text = lowered
            return
        bounded = mode == "bounded"
        shift = 0
        for m in _LONG_SEP.finditer(lowered):
            shift += m.end() - m.start() - 1
            marks.append(m.start() - (shift - (m.end() - m.start() - 1)) + 1)
            shifts.append(shift)
        if bounded:  # one character for one, so offsets do not move
            lowered = _OTHER.sub(_BOUND, lowered)
        norm = _SEP.sub(" ", lowered)
        if bounded:
            norm = _BOUND + norm + _BOUND
        self.text = norm

    def original(self, pos: int) -> int:
        i = bisect.bisect_right(self.marks, pos) - 1
        return pos + (self.shifts[i] if i >= 0 else 0)


def build_automaton(keys, bounded: bool):
    """An automaton of the keys (each with boundary characters around it if ``bounded``)."""
    import ahocorasick

    automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
    for key in keys:
        if bounded:
            automaton.add_word(_BOUND + key + " ", key)
            automaton.add_word(_BOUND + key + _BOUND, key)
            automaton.add_word(" " + key + " ", key)
            automaton.add_word(" " + key + _BOUND, key)
        else:
            automaton.add_word(key, key)
    automaton.make_automaton()
    return automaton


def _is_word(ch: str) -> bool:
    return _W.match(ch) is not None


def ac_find(text: str, automaton, mode: str) -> list[tuple[int, int, str]]:
    """find_names' matches, found with the automaton (same offsets, same keys)."""
    norm = Normalized(text, mode)
    ntext = norm.text
    n = len(ntext)
    best: dict[int, tuple[int, str]] = {}  # normalized start -> longest (end, key)
    if mode == "bounded":
        for end, key in automaton.iter(ntext):
            # ntext[end] is the trailing boundary; minus 1 for the text's leading pad.
            start = end - len(key) - 1
            ostart = norm.original(start)
            if not _upper_first(text[ostart]):
                continue
            prev = best.get(start)
            if prev is None or prev[0] < end - 1:
                best[start] = (end - 1, key)
    else:
        for end, key in automaton.iter(ntext):
            end += 1
            start = end - len(key)
            if start > 0 and _is_word(ntext[start - 1]):
                continue
            if end < n and _is_word(ntext[end]):
                continue
            ostart = norm.original(start)
            if not _upper_first(text[ostart]):
                continue
            prev = best.get(start)
            if prev is None or prev[0] < end:
                best[start] = (end, key)
    out: list[tuple[int, int, str]] = []
    next_free = 0
    for start in sorted(best):
        if start < next_free:
            continue
        end, key = best[start]
        out.append((norm.original(start), norm.original(end - 1) + 1, key))
        next_free = end
    return out


try:  # the language's extra lower-case letters (an older find_names took them)
    from normalize.languages import get_language as _get_language

    LOWER = getattr(_get_language(LANG), "lowercase_letters", "")
except Exception:  # pragma: no cover - older checkouts
    LOWER = ""
_FIND_PARAMS = inspect.signature(find_names).parameters


def _capitalised_spans(text: str):
    """The capitalised-word spans newer find_names takes (ctx.analysis.words; rules/_words.py
    in older checkouts), as the rules compute them."""
    from normalize.api import get_linter
    from normalize.document import Document
    from normalize.linter import Options

    ctx = get_linter(Options(lang=LANG)).context(Document(text, lang=LANG))
    if hasattr(ctx, "analysis"):
        return ctx.analysis.words.capitalised()
    from normalize.rules._words import word_spans  # older checkouts

    return word_spans(ctx).capitalised()


def mtnorm_find(text: str, index) -> list[tuple[int, int, str]]:
    """find_names as the toponym rules call it (the capitalised-word spans included)."""
    if "capitalised" in _FIND_PARAMS:
        found = find_names(text, index, _capitalised_spans(text))
    elif "lowercase" in _FIND_PARAMS:
        found = find_names(text, index, LOWER)
    else:
        found = find_names(text, index)
    return [(m.start, m.end, m.key) for m in found]


def probe_first_word(index, word: str) -> object:
    if hasattr(index, "first_word"):
        return index.first_word(word)
    return index.first_words.get(word)


def compare(docs: list[str], index, automata: dict[str, tuple[object, str]]) -> bool:
    ok = True
    for name, (automaton, mode) in automata.items():
        diffs = []
        total = 0
        for d, text in enumerate(docs):
            ours = set(mtnorm_find(text, index))
            theirs = set(ac_find(text, automaton, mode))
            total += len(ours)
            for span in sorted(ours ^ theirs):
                diffs.append((d, span, "find_names only" if span in ours else f"{name} only", text))
        if diffs:
            ok = ok and mode == "raw"  # raw is known not to be equivalent
            print(f"  {name}: {len(diffs)} differences out of {total:,} matches; first ones:")
            for d, (s, e, key), who, text in diffs[:5 if mode == "raw" else 15]:
                print(f"    doc {d} [{s}:{e}] {who}: key {key!r} text {text[max(0, s - 20):e + 20]!r}")
        else:
            print(f"  {name}: same {total:,} matches as find_names")
    return ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size-mb", type=float, default=20, help="text to time on, in MB (default 20)")
    ap.add_argument("--check-mb", type=float, default=5, help="slice compared match by match (default 5)")
    ap.add_argument("--doc-kb", type=int, default=64, help="scan documents of this size (default 64 KB)")
    args = ap.parse_args(argv)

    gz = REPO / "corpora" / "gazetteer" / "names.tsv.gz"
    if not gz.is_file():
        sys.exit(f"bench: {gz.relative_to(REPO)} is missing: build the gazetteer first "
                 f"(scripts/build_gazetteer.py)")

    # -- loading ----------------------------------------------------------------
    print("loading:")
    rows: list[tuple[str, float, int | None]] = []
    index = get_gazetteer().index(LANG)  # makes sure the on-disk cache exists
    t0 = time.perf_counter()
    gaz = Gazetteer.load_bundled()
    rows.append(("Gazetteer.load_bundled()", time.perf_counter() - t0, None))
    build = getattr(gaz, "_build_index", None)
    if build is not None:
        if len(inspect.signature(build).parameters) >= 2:  # builds a file (SQLite)
            with tempfile.TemporaryDirectory() as tmp:
                target = Path(tmp) / "index"
                t0 = time.perf_counter()
                build(LANG, target)
                rows.append(("index build from the TSV (_build_index)", time.perf_counter() - t0,
                             target.stat().st_size if target.is_file() else None))
        else:  # returns the index (in-memory dict versions)
            t0 = time.perf_counter()
            built = build(LANG)
            rows.append(("index build from the TSV (_build_index)", time.perf_counter() - t0, None))
            if hasattr(built, "to_marshal"):
                blob = built.to_marshal()
                t0 = time.perf_counter()
                type(built).from_marshal(blob)
                rows.append(("index marshal load (bytes in memory)", time.perf_counter() - t0, len(blob)))
            else:
                blob = pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL)
                t0 = time.perf_counter()
                pickle.loads(blob)
                rows.append(("index pickle load (bytes in memory)", time.perf_counter() - t0, len(blob)))
    t0 = time.perf_counter()
    fresh = Gazetteer.load_bundled().index(LANG)
    probe_first_word(fresh, "paris")
    cache_size = None
    if getattr(fresh, "path", None) is not None and Path(fresh.path).is_file():
        cache_size = Path(fresh.path).stat().st_size
    rows.append(("fresh load_bundled().index() + 1 lookup (disk cache)", time.perf_counter() - t0,
                 cache_size))
    rows.append(("find_names setup (capitalised regex / unicode tables)", compile_scan_pattern(LOWER), None))
    # A fresh index pays per distinct word where lookups are lazy (SQLite + memo).
    first_mb = load_text(1, quiet=True)
    for label in ("find_names on 1 MB, fresh index (cold lookups)", "find_names on the same 1 MB again"):
        t0 = time.perf_counter()
        mtnorm_find(first_mb, fresh)
        rows.append((label, time.perf_counter() - t0, None))
    t0 = time.perf_counter()
    keys = index_keys(index)
    rows.append(("list all keys (what an automaton needs)", time.perf_counter() - t0, None))
    print(f"  {len(keys):,} keys ({sum(' ' in k for k in keys):,} multi-word), "
          f"{count_names(index):,} names, {len({k.split(' ', 1)[0] for k in keys}):,} first words; "
          f"index: {type(index).__name__} ({'SQLite' if getattr(index, 'path', None) else 'in memory'})")
    automata: dict[str, tuple[object, str]] = {}
    for name, bounded in (("ac-iter", False), ("ac-bounded", True)):
        t0 = time.perf_counter()
        automaton = build_automaton(keys, bounded)
        t_ac = time.perf_counter() - t0
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "ac.pickle")
            t0 = time.perf_counter()
            with open(path, "wb") as f:
                pickle.dump(automaton, f, protocol=pickle.HIGHEST_PROTOCOL)
            t_dump = time.perf_counter() - t0
            size = os.path.getsize(path)
            t0 = time.perf_counter()
            with open(path, "rb") as f:
                automaton = pickle.load(f)
            t_load = time.perf_counter() - t0
        rows += [(f"{name}: automaton build ({len(automaton):,} words)", t_ac, None),
                 (f"{name}: automaton pickle.dump", t_dump, size),
                 (f"{name}: automaton pickle.load", t_load, size)]
        automata[name] = (automaton, "bounded" if bounded else "iter")
    automata["ac-raw"] = (automata["ac-iter"][0], "raw")
    for name, t, size in rows:
        extra = f"   {size / MB:7.1f} MB" if size else ""
        print(f"  {name:<52} {t * 1000:9.1f} ms{extra}")
    print("  (an automaton replaces only the key lookup: names(key) still comes from the index)")

    # -- equality ---------------------------------------------------------------
    text = load_text(args.size_mb)
    docs = split_documents(text, args.doc_kb * 1024)
    size_mb = len(text.encode("utf-8")) / MB
    check_docs, acc = [], 0
    for d in docs:
        if acc >= args.check_mb * MB:
            break
        check_docs.append(d)
        acc += len(d.encode("utf-8"))
    print(f"\nsame matches? ({acc / MB:.1f} MB, {len(check_docs)} documents)")
    same = compare(check_docs, index, automata)

    # -- timing -----------------------------------------------------------------
    for d in docs[:2]:  # warm-up
        mtnorm_find(d, index)
        for automaton, mode in automata.values():
            ac_find(d, automaton, mode)
    print(f"\nscan of {size_mb:.1f} MB in {len(docs):,} documents of ~{args.doc_kb} KB:")
    print(f"  {'matcher':<44} {'wall s':>7} {'cpu s':>7} {'MB/s':>6} {'MB/s cpu':>8} {'matches':>10}")
    contenders = [("find_names (capitalised-word scan + lookups)", lambda d: mtnorm_find(d, index))]
    if "capitalised" in _FIND_PARAMS:
        contenders.append(("  of which: capitalised-word spans (numpy)", lambda d: len(_capitalised_spans(d)) and 0))
    for name, (automaton, mode) in automata.items():
        contenders.append((f"{name} (normalize + iter + filter)",
                           lambda d, a=automaton, m=mode: ac_find(d, a, m)))
        contenders.append((f"{name}: normalize + iter() alone",
                           lambda d, a=automaton, m=mode: sum(1 for _ in a.iter(Normalized(d, m).text))))
    contenders.append(("(normalize alone: lower + collapse)", lambda d: Normalized(d) and 0))
    contenders.append(("(normalize alone, bounded)", lambda d: Normalized(d, "bounded") and 0))
    for name, fn in contenders:
        w0, c0 = time.perf_counter(), time.process_time()
        count = 0
        for d in docs:
            r = fn(d)
            count += r if isinstance(r, int) else len(r)
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        print(f"  {name:<44} {wall:7.2f} {cpu:7.2f} {size_mb / wall:6.1f} {size_mb / cpu:8.1f} "
              f"{count if count else '':>10}")
    print("  (cpu = process CPU time: the fairer number when the machine is shared)")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
