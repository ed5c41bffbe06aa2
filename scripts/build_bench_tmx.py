#!/usr/bin/env python3
"""Build a large TMX 1.4 for measuring ``mtnorm check`` on translation memories.

Pairs are the WMT22 general test sources with their human references
(``../shared/benchmarks/wmt22_general/txt``: de-en and zh-en, references A
and B), repeated until the file reaches ``--size-mb`` (MB = 10^6 bytes).
Each copy's ``tuid`` differs; every tenth target of a copy gets a doubled
space, so fixes have something to do. Nothing is downloaded.

Usage::

    .venv/bin/python scripts/build_bench_tmx.py /tmp/bench.tmx --size-mb 200
    /usr/bin/time -v .venv/bin/python -m normalize check /tmp/bench.tmx -q --jobs 2 \\
        --format json -o /tmp/bench.json --fail-on never
"""
from __future__ import annotations

import argparse
from pathlib import Path
from xml.sax.saxutils import escape

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "wmt22_general" / "txt"
#: (source file, source language, reference files) of each language pair.
PAIRS = [
    ("generaltest2022.de-en.src.de", "de", ["generaltest2022.de-en.ref.A.en",
                                            "generaltest2022.de-en.ref.B.en"]),
    ("generaltest2022.zh-en.src.zh", "zh", ["generaltest2022.zh-en.ref.A.en",
                                            "generaltest2022.zh-en.ref.B.en"]),
]


def pairs(data: Path = DATA) -> list[tuple[str, str, str]]:
    """(source language, source, reference) for every line of every reference."""
    out = []
    for source_name, lang, refs in PAIRS:
        sources = (data / "sources" / source_name).read_text(encoding="utf-8").splitlines()
        for ref in refs:
            targets = (data / "references" / ref).read_text(encoding="utf-8").splitlines()
            if len(targets) != len(sources):
                raise SystemExit(f"{ref}: {len(targets)} lines, its source has {len(sources)}")
            out.extend((lang, s, t) for s, t in zip(sources, targets) if s.strip() and t.strip())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size-mb", type=float, default=200)
    args = parser.parse_args()
    base = pairs()
    limit = int(args.size_mb * 1_000_000)
    written = units = 0
    with args.out.open("w", encoding="utf-8", newline="\n") as out:
        head = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
                '  <header creationtool="mtnorm-bench" creationtoolversion="1" segtype="sentence" '
                'o-tmf="none" adminlang="en" srclang="*all*" datatype="plaintext"/>\n  <body>\n')
        out.write(head)
        written += len(head.encode())
        copy = 0
        while written < limit:
            for n, (lang, source, target) in enumerate(base):
                if n % 10 == copy % 10:
                    target = target.replace(" ", "  ", 1)
                tu = (f'    <tu tuid="c{copy}-{n}">\n'
                      f'      <tuv xml:lang="{lang}"><seg>{escape(source)}</seg></tuv>\n'
                      f'      <tuv xml:lang="en"><seg>{escape(target)}</seg></tuv>\n    </tu>\n')
                out.write(tu)
                written += len(tu.encode())
                units += 1
                if written >= limit:
                    break
            copy += 1
        out.write("  </body>\n</tmx>\n")
    print(f"{args.out}: {units:,} units, {written / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
