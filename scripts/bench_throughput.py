#!/usr/bin/env python3
"""Throughput and start-up benchmark of ``mtnorm check`` / ``fix`` against Moses and ftfy.

The project's targets: ``check`` and ``fix`` with the full gazetteer each at
least 3x the throughput of sacremoses' ``MosesPunctNormalizer`` alone on the
same text, and a cold ``mtnorm check`` of one article under 0.5 s.

The text is English news: the human references of the WMT22 general task
(``../shared/benchmarks/wmt22_general/txt/references/*-en.ref.*``) repeated to
``--size-mb`` megabytes and cached in ``.bench/`` (git-ignored; the data is
never copied into the repository). mtnorm sees it as ~64 KB documents cut at
line boundaries, as it would see a corpus of articles.

One run measures, on the same text:

(a) ``MosesPunctNormalizer(lang="en").normalize`` line by line,
(b) ``ftfy.fix_text`` per document,
(c) mtnorm check (``get_linter`` + ``Linter.check``) per document,
(d) mtnorm fix (``fix_document``) per document,

then the start-up time of the CLI on one article (warm and cold index cache),
and a cProfile of check on ~5 MB. MB means 10**6 bytes of UTF-8.

Usage::

    .venv/bin/python scripts/bench_throughput.py                 # 50 MB, everything
    .venv/bin/python scripts/bench_throughput.py --size-mb 5 --json out.json
    .venv/bin/python scripts/bench_throughput.py --skip-cold --skip-profile
"""
from __future__ import annotations

import argparse
import collections
import cProfile
import hashlib
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
REFS = SHARED / "benchmarks" / "wmt22_general" / "txt" / "references"
BENCH_DIR = REPO / ".bench"
ARTICLE = REPO / "corpora" / "examples" / "wire-kharkiv-en-from-fr.txt"
MB = 1_000_000

sys.path.insert(0, str(REPO))  # run from a checkout without installing


# -- the text -----------------------------------------------------------------
def reference_files(refs: Path = REFS) -> list[Path]:
    """The English human references: files of ``*-en`` pairs ending in ``.en``."""
    if not SHARED.is_dir():
        sys.exit(f"bench: {SHARED} is missing: the benchmark text comes from "
                 f"../shared/benchmarks/wmt22_general (mount or check out 'shared' next to the repo)")
    if not refs.is_dir():
        sys.exit(f"bench: {refs} is missing (expected the WMT22 general-task references)")
    files = sorted(p for p in refs.iterdir()
                   if p.is_file() and p.name.endswith(".en") and "-en.ref." in p.name)
    if not files:
        sys.exit(f"bench: no English references (*-en.ref.*.en) in {refs}")
    return files


def load_text(size_mb: float, quiet: bool = False) -> str:
    """English news text of ``size_mb`` MB (cut at a line end), cached in ``.bench/``."""
    files = reference_files()
    signature = hashlib.sha256()
    for f in files:
        st = f.stat()
        signature.update(f"{f.name}:{st.st_size}:{int(st.st_mtime)}\n".encode())
    tag = signature.hexdigest()[:10]
    BENCH_DIR.mkdir(exist_ok=True)
    cache = BENCH_DIR / f"wmt22-en-refs-{size_mb:g}MB-{tag}.txt"
    if cache.is_file():
        return cache.read_text(encoding="utf-8")
    base = "".join(f.read_text(encoding="utf-8").rstrip("\n") + "\n" for f in files)
    base_bytes = len(base.encode("utf-8"))
    target = int(size_mb * MB)
    text = base * (target // base_bytes + 1)
    raw = text.encode("utf-8")[:target]
    raw = raw[:raw.rfind(b"\n") + 1]  # whole lines only
    text = raw.decode("utf-8")
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, cache)
    if not quiet:
        print(f"built {cache.relative_to(REPO)} from {len(files)} reference files "
              f"({base_bytes / MB:.2f} MB, repeated)")
    return text


def split_documents(text: str, doc_bytes: int = 64 * 1024) -> list[str]:
    """The text as documents of about ``doc_bytes`` bytes, cut at line boundaries."""
    docs: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.splitlines(keepends=True):
        current.append(line)
        size += len(line.encode("utf-8"))
        if size >= doc_bytes:
            docs.append("".join(current))
            current, size = [], 0
    if current:
        docs.append("".join(current))
    return docs


def nbytes(texts) -> int:
    return sum(len(t.encode("utf-8")) for t in texts)


# -- the contenders -----------------------------------------------------------------
def make_linter(lang: str, style: str | None):
    """The linter for these options, and the style actually used.

    A style that this checkout does not have (yet) falls back to the
    language's default style, with a warning, rather than no benchmark.
    """
    from normalize.api import get_linter
    from normalize.errors import MtnormError
    from normalize.linter import Options

    try:
        return get_linter(Options(lang=lang, style=style or None)), style
    except MtnormError as exc:
        if style and "unknown style" in str(exc):
            print(f"WARNING: {exc}; benchmarking the default style of {lang!r} instead")
            return make_linter(lang, None)
        sys.exit(f"bench: cannot build the linter: {exc}")


def run_moses(lines: list[str]) -> None:
    from sacremoses import MosesPunctNormalizer

    normalize = MosesPunctNormalizer(lang="en").normalize
    for line in lines:
        normalize(line)


def run_ftfy(docs: list[str]) -> None:
    import ftfy

    for doc in docs:
        ftfy.fix_text(doc)


def run_check(linter, docs: list[str], lang: str, style: str | None) -> collections.Counter:
    from normalize.document import Document

    counts: collections.Counter = collections.Counter()
    for doc in docs:
        for finding in linter.check(Document(doc, lang=lang, style=style)):
            counts[finding.rule] += 1
    return counts


def run_fix(linter, docs: list[str], lang: str, style: str | None) -> dict[str, int]:
    from normalize.document import Document
    from normalize.fixer import fix_document

    stats = {"edits": 0, "passes": 0, "changed_docs": 0, "not_converged": 0, "checks": 0}
    for doc in docs:
        result = fix_document(linter, Document(doc, lang=lang, style=style))
        stats["edits"] += len(result.applied)
        stats["passes"] += result.passes
        stats["changed_docs"] += result.changed
        stats["not_converged"] += not result.converged
        stats["checks"] += result.passes + 1  # one check per pass with edits, plus the last
    return stats


def timed(fn, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t0, out


def timed_row(fn, *args) -> tuple[dict[str, float], object]:
    """Wall and process CPU seconds of one contender (CPU time is steadier on a shared machine)."""
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn(*args)
    return {"seconds": time.perf_counter() - w0, "cpu_seconds": time.process_time() - c0}, out


# The gazetteer index has changed shape while the project grew (a pickled dict,
# then marshal, then SQLite); these helpers read whichever this checkout has.
def index_keys(index) -> list[str]:
    """Every name key of a LanguageIndex."""
    by_key = getattr(index, "by_key", None)
    if isinstance(by_key, dict):
        return list(by_key)
    path = getattr(index, "path", None)
    if path is not None:
        import sqlite3

        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            return [k for (k,) in conn.execute("SELECT DISTINCT key FROM names")]
    raise SystemExit("bench: cannot list the keys of this LanguageIndex (no by_key, no path)")


def count_names(index) -> int:
    """Names in a LanguageIndex."""
    names = getattr(index, "names", None)
    if isinstance(names, list):
        return len(names)
    by_key = getattr(index, "by_key", None)
    if isinstance(by_key, dict):
        return sum(v.count("\n") + 1 if isinstance(v, str) else len(v) for v in by_key.values())
    path = getattr(index, "path", None)
    if path is not None:
        import sqlite3

        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM names").fetchone()[0]
    return -1


def compile_scan_pattern(lowercase: str = "") -> float:
    """Seconds of the matcher's one-time setup: its capitalised-word regex, or the
    Unicode tables of ``rules/_words.py`` (numpy; read from the cache directory)."""
    from normalize.gazetteer import matcher

    candidates = [(getattr(matcher, "_initial_pattern", None), (lowercase,)),
                  (getattr(matcher, "_capitalised_word", None), ())]
    try:
        from normalize.rules import _words

        candidates.append((getattr(_words, "_tables", None), ()))
    except ImportError:
        pass
    for fn, args in candidates:
        if fn is not None:
            if hasattr(fn, "cache_clear"):
                fn.cache_clear()
            t0 = time.perf_counter()
            fn(*args)
            return time.perf_counter() - t0
    return 0.0


def load_phase(lang: str, style: str | None, warm_doc: str) -> tuple[object, str | None, dict]:
    """Build the linter and load the gazetteer index once, timing each part."""
    from normalize.document import Document

    phases: dict[str, float] = {}
    t, (linter, style) = timed(make_linter, lang, style)
    phases["linter (rules, style, data)"] = t
    gaz_info: dict[str, float] = {}
    try:
        from normalize.gazetteer import get_gazetteer

        t, gaz = timed(get_gazetteer)
        phases["get_gazetteer()"] = t
        t, index = timed(gaz.index, lang)
        phases["gazetteer index (disk cache, or build)"] = t
        phases["matcher setup (regex or unicode tables)"] = compile_scan_pattern(
            getattr(linter.language, "lowercase_letters", ""))
        gaz_info = {"keys": len(index_keys(index)), "names": count_names(index)}
    except ImportError:
        pass
    t, _ = timed(linter.check, Document(warm_doc, lang=lang, style=style))
    phases["first check (warm-up, 16 KB)"] = t
    return linter, style, {"phases": phases, "gazetteer": gaz_info}


# -- cold start ---------------------------------------------------------------------
def _wall(cmd: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True)
    return time.perf_counter() - t0, proc


def cold_start(runs: int, lang: str, style: str | None) -> dict[str, dict[str, float]]:
    check_cmd = [sys.executable, "-m", "normalize", "check", str(ARTICLE.relative_to(REPO)),
                 "--lang", lang, *(["--style", style] if style else []), "--source-lang", "fr"]
    base_env = {k: v for k, v in os.environ.items() if k != "MTNORM_CACHE_DIR"}
    results: dict[str, dict[str, float]] = {}

    def series(name: str, cmd: list[str], env_for_run) -> None:
        times = []
        for i in range(runs):
            t, proc = _wall(cmd, env_for_run(i))
            if proc.returncode not in (0, 1):
                print(f"  {name}: exit {proc.returncode}: {proc.stderr.strip()[:500]}")
                results[name] = {"error": proc.returncode}
                return
            times.append(t)
        results[name] = {"min": min(times), "median": statistics.median(times), "runs": runs}

    series("python -c pass", [sys.executable, "-c", "pass"], lambda i: base_env)
    series("python -c 'import normalize'", [sys.executable, "-c", "import normalize"],
           lambda i: base_env)
    t, _proc = _wall(check_cmd, base_env)  # fills the default index cache
    results["first run (fills the default cache if stale)"] = {"min": t, "median": t, "runs": 1}
    series("mtnorm check, index cache warm", check_cmd, lambda i: base_env)
    with tempfile.TemporaryDirectory(prefix="mtnorm-bench-cache-") as tmp:
        def fresh(i: int) -> dict[str, str]:
            d = Path(tmp) / f"run{i}"
            d.mkdir()
            return {**base_env, "MTNORM_CACHE_DIR": str(d)}
        series("mtnorm check, index cache cold", check_cmd, fresh)
    return results


_BREAKDOWN = r"""
import sys, time, json
t0 = time.perf_counter(); out = {}
def lap(name):
    global t0
    t = time.perf_counter(); out[name] = t - t0; t0 = t
import normalize.cli; lap("import normalize.cli (+argparse wiring modules)")
parser = normalize.cli.build_parser(); lap("build_parser (imports subcommands)")
from normalize.api import get_linter
from normalize.linter import Options
linter = get_linter(Options(lang=sys.argv[2], style=sys.argv[3] or None, source_lang="fr")); lap("get_linter (rules, style, yaml)")
try:
    from normalize.gazetteer import get_gazetteer
    g = get_gazetteer(); lap("get_gazetteer()")
    g.index(sys.argv[2]); lap("gazetteer index (warm disk cache)")
except ImportError:
    pass
from normalize.document import read_document
doc = read_document(sys.argv[1], lang=sys.argv[2], style=sys.argv[3] or None, source_lang="fr")
findings = linter.check(doc); lap("check the article")
print(json.dumps(out))
"""


def import_times(lang: str, style: str | None, top: int = 12) -> list[tuple[str, float, float]]:
    """The slowest imports of one CLI check (``python -X importtime``): (module, self s, cumulative s)."""
    cmd = [sys.executable, "-X", "importtime", "-m", "normalize", "check", str(ARTICLE), "--lang", lang,
           "--source-lang", "fr"] + (["--style", style] if style else [])
    env = {k: v for k, v in os.environ.items() if k != "MTNORM_CACHE_DIR"}
    proc = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True)
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        _, self_us, cum_us, name = (part.strip() for part in line.replace("import time:", "|", 1).split("|"))
        rows.append((name.strip(), int(self_us) / 1e6, int(cum_us) / 1e6))
    return sorted(rows, key=lambda r: -r[2])[:top]


def cold_breakdown(lang: str, style: str | None) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if k != "MTNORM_CACHE_DIR"}
    proc = subprocess.run([sys.executable, "-c", _BREAKDOWN, str(ARTICLE), lang, style or ""],
                          env=env, cwd=REPO, capture_output=True, text=True)
    if proc.returncode:
        print(f"  breakdown failed: {proc.stderr.strip()[-800:]}")
        return {}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- profile --------------------------------------------------------------------------
def per_rule_times(linter, docs: list[str], lang: str, style: str | None) -> dict[str, float]:
    """CPU seconds per rule over ``docs`` (the toponym scan shared by toponym.* is its own line)."""
    from normalize.document import Document

    try:
        from normalize.rules._toponyms import toponyms
    except ImportError:
        toponyms = None
    times: collections.Counter = collections.Counter()
    for text in docs:
        doc = Document(text, lang=lang, style=style)
        ctx = linter.context(doc)
        if toponyms is not None:
            t0 = time.process_time()
            toponyms(ctx)
            times["(shared toponym scan: find_names + resolve)"] += time.process_time() - t0
        for rule in linter.rules:
            t0 = time.process_time()
            if rule.applies_to(ctx):
                list(rule.check(ctx))
            times[rule.id] += time.process_time() - t0
        t0 = time.process_time()
        doc.line_starts()
        times["(Document.line_starts for positions)"] += time.process_time() - t0
    return dict(times)


def profile_check(linter, docs: list[str], lang: str, style: str | None, top: int = 15) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    run_check(linter, docs, lang, style)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs()
    out.write(f"--- top {top} by cumulative time ---\n")
    stats.sort_stats("cumulative").print_stats(top)
    out.write(f"--- top {top} by own time (tottime) ---\n")
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


# -- main --------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size-mb", type=float, default=50, help="text size in MB (default 50)")
    ap.add_argument("--doc-kb", type=int, default=64, help="document size in KB (default 64)")
    ap.add_argument("--lang", default="en")
    ap.add_argument("--style", default="ap", help="house style (default ap; '' for the default)")
    ap.add_argument("--json", metavar="FILE", help="write the numbers to FILE as JSON")
    ap.add_argument("--cold-runs", type=int, default=5)
    ap.add_argument("--profile-mb", type=float, default=5)
    ap.add_argument("--skip-cold", action="store_true", help="no CLI start-up measurement")
    ap.add_argument("--skip-profile", action="store_true", help="no cProfile / per-rule breakdown")
    ap.add_argument("--skip", action="append", default=[], choices=["moses", "ftfy", "check", "fix"],
                    help="leave out a contender (repeatable)")
    args = ap.parse_args(argv)
    style = args.style or None
    report: dict[str, object] = {
        "python": sys.version.split()[0], "machine": platform.machine(),
        "cpu_count": os.cpu_count(), "size_mb_requested": args.size_mb, "doc_kb": args.doc_kb,
        "lang": args.lang, "style": style,
    }

    gz = REPO / "corpora" / "gazetteer" / "names.tsv.gz"
    if not gz.is_file():
        print(f"WARNING: {gz.relative_to(REPO)} is missing: toponym rules run with an EMPTY gazetteer")
    report["gazetteer_file_bytes"] = gz.stat().st_size if gz.is_file() else 0

    text = load_text(args.size_mb)
    lines = text.splitlines()
    docs = split_documents(text, args.doc_kb * 1024)
    size = len(text.encode("utf-8")) / MB
    print(f"text: {size:.1f} MB, {len(lines):,} lines, {len(docs):,} documents of ~{args.doc_kb} KB")
    report.update({"size_mb": size, "lines": len(lines), "documents": len(docs)})

    # Load once (gazetteer index, rule data), reported apart from the throughput.
    linter, style, load = load_phase(args.lang, style, text[:16 * 1024])
    report["style"] = style
    print(f"style: {style or '(default of the language)'}; rules: {', '.join(r.id for r in linter.rules)}")
    if load["gazetteer"]:
        print(f"gazetteer index ({args.lang}): {load['gazetteer']['keys']:,} keys, "
              f"{load['gazetteer']['names']:,} names")
    print("one-time load:")
    for name, t in load["phases"].items():
        print(f"  {name:<42} {t * 1000:8.1f} ms")
    report["load"] = load

    # Warm the contenders up on a small slice.
    warm_lines, warm_docs = lines[:200], [text[:16 * 1024]]
    run_moses(warm_lines)
    run_ftfy(warm_docs)
    run_fix(linter, warm_docs, args.lang, style)

    rows: dict[str, dict[str, float]] = {}
    if "moses" not in args.skip:
        row, _ = timed_row(run_moses, lines)
        rows["sacremoses MosesPunctNormalizer (per line)"] = row
    if "ftfy" not in args.skip:
        row, _ = timed_row(run_ftfy, docs)
        rows["ftfy.fix_text (per document)"] = row
    if "check" not in args.skip:
        row, counts = timed_row(run_check, linter, docs, args.lang, style)
        rows["mtnorm check (per document)"] = {**row, "findings": sum(counts.values())}
        report["findings_by_rule"] = dict(counts.most_common())
    if "fix" not in args.skip:
        row, stats = timed_row(run_fix, linter, docs, args.lang, style)
        rows["mtnorm fix (per document)"] = {**row, **stats}
        report["fix_stats"] = stats
    for row in rows.values():
        row["mb"] = size
        row["mb_per_s"] = size / row["seconds"]
        row["mb_per_s_cpu"] = size / row["cpu_seconds"]

    print()
    print(f"{'contender':<46} {'MB':>6} {'wall s':>8} {'MB/s':>7} {'cpu s':>8} {'MB/s cpu':>9}")
    for name, row in rows.items():
        print(f"{name:<46} {row['mb']:>6.1f} {row['seconds']:>8.2f} {row['mb_per_s']:>7.2f} "
              f"{row['cpu_seconds']:>8.2f} {row['mb_per_s_cpu']:>9.2f}")
    ratios: dict[str, float] = {}
    for basis, field_ in (("wall", "mb_per_s"), ("cpu", "mb_per_s_cpu")):
        speed = {k.split(" (")[0]: v[field_] for k, v in rows.items()}
        moses, ftfy_ = speed.get("sacremoses MosesPunctNormalizer"), speed.get("ftfy.fix_text")
        for name in ("mtnorm check", "mtnorm fix"):
            if name in speed and moses:
                ratios[f"{name} / Moses ({basis})"] = speed[name] / moses
            if name in speed and ftfy_:
                ratios[f"{name} / ftfy ({basis})"] = speed[name] / ftfy_
    print()
    for name, r in ratios.items():
        goal = "  (goal >= 3.0: " + ("met)" if r >= 3 else "NOT met)") if "Moses" in name else ""
        print(f"ratio {name:<30} {r:6.2f}x{goal}")
    if "findings_by_rule" in report:
        print("\nfindings by rule:", ", ".join(f"{k} {v:,}" for k, v in report["findings_by_rule"].items())
              or "none")
    if "fix_stats" in report:
        s = report["fix_stats"]
        print(f"fix: {s['edits']:,} edits, {s['changed_docs']:,}/{len(docs):,} documents changed, "
              f"{s['passes']:,} passes with edits, {s['not_converged']} not converged")
    report["throughput"] = rows
    report["ratios"] = ratios

    if not args.skip_cold:
        print(f"\ncold start: {ARTICLE.relative_to(REPO)} ({ARTICLE.stat().st_size} bytes), "
              f"{args.cold_runs} runs each, wall time incl. interpreter start")
        cold = cold_start(args.cold_runs, args.lang, style)
        for name, r in cold.items():
            if "error" in r:
                print(f"  {name:<46} failed (exit {r['error']})")
            else:
                goal = ""
                if name.startswith("mtnorm"):
                    goal = "  (goal < 0.5 s: " + ("met)" if r["median"] < 0.5 else "NOT met)")
                print(f"  {name:<46} min {r['min'] * 1000:7.1f} ms   median {r['median'] * 1000:7.1f} ms{goal}")
        breakdown = cold_breakdown(args.lang, style)
        if breakdown:
            print("  in-process breakdown of one warm-cache start (after interpreter start):")
            for name, t in breakdown.items():
                print(f"    {name:<48} {t * 1000:7.1f} ms")
        imports = import_times(args.lang, style)
        if imports:
            print("  slowest imports of one CLI check (python -X importtime; cumulative, nested):")
            for name, self_s, cum_s in imports:
                print(f"    {name:<48} {cum_s * 1000:7.1f} ms  (self {self_s * 1000:5.1f})")
        report["cold_start"] = cold
        report["cold_breakdown"] = breakdown
        report["import_times"] = imports

    if not args.skip_profile:
        pdocs: list[str] = []
        pbytes = 0
        for d in docs:
            if pbytes >= args.profile_mb * MB:
                break
            pdocs.append(d)
            pbytes += len(d.encode("utf-8"))
        print(f"\nper-rule CPU time over {pbytes / MB:.1f} MB ({len(pdocs)} documents):")
        times = per_rule_times(linter, pdocs, args.lang, style)
        total = sum(times.values())
        for name, t in sorted(times.items(), key=lambda kv: -kv[1]):
            print(f"  {name:<48} {t:7.3f} s  {100 * t / total:5.1f}%  {pbytes / MB / t if t else 0:9.1f} MB/s")
        report["per_rule_seconds"] = {"mb": pbytes / MB, **times}
        print(f"\ncProfile of mtnorm check over {pbytes / MB:.1f} MB (wall clock; profiler overhead "
              f"inflates Python-level calls; regex scans show as their caller's own time):")
        prof = profile_check(linter, pdocs, args.lang, style)
        print(prof)
        report["profile"] = prof

    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
