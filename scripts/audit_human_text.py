#!/usr/bin/env python3
"""Audit of safe fixes on clean human text: every edit ``fix`` would make.

Human references and post-edits are text a copy editor has already passed,
so every safe edit ``mtnorm fix`` makes to them is either a house-style
change (Kiev -> Kyiv in modern news) or damage (Burma -> Myanmar in a
sentence about the 1920s). This script lists them all for reading by eye:

* the WMT22 general-test references (``txt/references/*.ref.*.<lang>``) in
  every language mtnorm supports (today: English),
* the MLQE-PE post-edits (``mlqe_pe/*/*.pe``, English, tokenised Wikipedia),
* with ``--sources``, the human source sides in supported languages too
  (WMT22 German news, MLQE-PE Russian Wikipedia),

each file fixed as one document, as ``mtnorm fix FILE --style STYLE`` does,
once with ``--style ap`` and once with the language's default style. Each
edit is printed as ``style<TAB>file:line<TAB>rule<TAB>before<TAB>after<TAB>context``,
then counts per style, rule and replacement, and a total. The data is read
from ../shared/benchmarks and never copied into the project.

    python scripts/audit_human_text.py [--styles ap,default] [--sources] [--out edits.tsv] [--quiet]

Exit status: 0 after a complete run (the list is for reading, not a test),
2 when ../shared/benchmarks is missing.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "benchmarks"
sys.path.insert(0, str(ROOT))

import normalize
from normalize.errors import UsageError
from normalize.fixer import AppliedEdit

#: Languages with a built-in house style (corpora/styles/default-<lang>.yaml).
SUPPORTED = ("en", "de", "fr", "es", "ru", "it")
CONTEXT = 60


@dataclass(frozen=True)
class Edit:
    style: str
    path: str
    line: int
    rule: str
    before: str
    after: str
    context: str


def human_files(sources: bool = False) -> list[tuple[Path, str]]:
    """(file, language) of every human text the audit reads.

    With ``sources``, also the human-written source sides in supported
    languages (WMT22 German news, MLQE-PE Russian Wikipedia).
    """
    files: list[tuple[Path, str]] = []
    wmt = SHARED / "wmt22_general" / "txt"
    for path in sorted((wmt / "references").glob("*.ref.*")):
        lang = path.suffix.lstrip(".")
        if lang in SUPPORTED:
            files.append((path, lang))
    for path in sorted((SHARED / "mlqe_pe").glob("*/*.pe")):
        files.append((path, path.parent.name.split("-")[1]))  # "ro-en-dev" -> en
    if sources:
        for path in sorted((wmt / "sources").glob("*.src.*")):
            if path.suffix.lstrip(".") in SUPPORTED:
                files.append((path, path.suffix.lstrip(".")))
        for path in sorted((SHARED / "mlqe_pe").glob("*/*.src")):
            lang = path.parent.name.split("-")[0]  # "ru-en-dev" -> ru
            if lang in SUPPORTED:
                files.append((path, lang))
    return files


def _pass_edits(original: str, applied: list[AppliedEdit]) -> list[tuple[AppliedEdit, str]]:
    """Each applied edit with the text of the pass it was applied to.

    Offsets of an applied edit are into its own pass's input, so the passes
    are replayed here to show each edit in the text it changed.
    """
    out: list[tuple[AppliedEdit, str]] = []
    text = original
    passes = sorted({a.pass_no for a in applied})
    for number in passes:
        edits = sorted((a for a in applied if a.pass_no == number), key=lambda a: a.start)
        out.extend((a, text) for a in edits)
        for a in reversed(edits):
            if text[a.start:a.end] != a.before:
                raise AssertionError(f"pass {number}: {a.rule} at {a.start} does not replay")
            text = text[:a.start] + a.after + text[a.end:]
    return out


def _context(text: str, start: int, end: int) -> str:
    lo = max(text.rfind("\n", 0, start) + 1, start - CONTEXT)
    nl = text.find("\n", end)
    hi = min(nl if nl >= 0 else len(text), end + CONTEXT)
    return f"{text[lo:start]}[{text[start:end]}]{text[end:hi]}".replace("\t", " ")


def audit_file(path: Path, lang: str, style: str) -> list[Edit]:
    """The edits of ``mtnorm fix`` (safe fixes only) on one file."""
    text = path.read_text(encoding="utf-8")
    result = normalize.fix(text, lang=lang, style=None if style == "default" else style)
    rel = str(path.relative_to(SHARED))
    return [Edit(style, rel, a.line, a.rule, a.before, a.after, _context(pass_text, a.start, a.end))
            for a, pass_text in _pass_edits(text, result.applied)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--styles", default="ap,default",
                        help="comma-separated styles ('default': the language's own); default ap,default")
    parser.add_argument("--out", type=Path, help="also write the edits as TSV to this file")
    parser.add_argument("--quiet", action="store_true", help="print the counts only")
    parser.add_argument("--sources", action="store_true",
                        help="also the human source sides in supported languages (WMT22 de, MLQE-PE ru)")
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        print(f"audit_human_text: {SHARED} not found (the shared benchmarks are needed)", file=sys.stderr)
        return 2
    files = human_files(args.sources)
    lines = sum(p.read_text(encoding="utf-8").count("\n") for p, _ in files)
    edits: list[Edit] = []
    began = time.perf_counter()
    for style in args.styles.split(","):
        for path, lang in files:
            if style != "default" and not (ROOT / "corpora" / "styles" / f"{style}.yaml").is_file():
                continue
            try:
                edits.extend(audit_file(path, lang, style))
            except UsageError:  # a house style of another language ("ap" is English)
                continue
    rows = [f"{e.style}\t{e.path}:{e.line}\t{e.rule}\t{e.before}\t{e.after}\t{e.context}" for e in edits]
    if not args.quiet:
        print("style\tfile:line\trule\tbefore\tafter\tcontext")
        print("\n".join(rows))
    if args.out:
        args.out.write_text("".join(f"{r}\n" for r in rows), encoding="utf-8")
    print(f"\n# {len(files)} files, {lines} lines, styles {args.styles}, "
          f"{time.perf_counter() - began:.1f} s")
    for style in args.styles.split(","):
        mine = [e for e in edits if e.style == style]
        print(f"# style {style}: {len(mine)} edits")
        for rule, n in sorted(Counter(e.rule for e in mine).items()):
            print(f"#   {rule}: {n}")
        for (before, after), n in Counter((e.before, e.after) for e in mine).most_common():
            print(f"#     {n:4d}  {before!r} -> {after!r}")
    print(f"# total: {len(edits)} edits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
