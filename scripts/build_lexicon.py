#!/usr/bin/env python3
"""Build and measure the per-language word lists of :mod:`normalize.lexicon`.

``build`` writes ``<lang>.tsv.gz`` (``word<TAB>zipf``, most frequent first) for
each language from an installed source, into a folder that
``$MTNORM_LEXICON_DIR`` then points at (a list there takes precedence over
wordfreq at run time)::

    python scripts/build_lexicon.py build --source wordfreq --out ~/lexicon [--langs en,fr]
    python scripts/build_lexicon.py build --source pyspellchecker --out ~/lexicon

Both sources' data are share-alike (CC BY-SA 4.0, see corpora/lexicon/SOURCES.md):
build into a folder of your own; do not commit the lists into corpora/lexicon.

``measure`` compares the candidates on clean human text read from
../shared/benchmarks (never copied): the share of lower-case word tokens each
list lacks (OOV), its size and its load time, per language::

    python scripts/build_lexicon.py measure [--hunspell /usr/share/hunspell]

Sources not installed (pyspellchecker, spylls and Debian's hunspell
dictionaries) are skipped with a note.
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from normalize import lexicon

#: Clean human text per language (relative to ../shared/benchmarks).
HUMAN = {
    "en": ["wmt22_general/txt/references/*.ref.A.en", "mlqe_pe/*/*.pe"],
    "de": ["wmt22_general/txt/sources/*.src.de"],
    "ru": ["mlqe_pe/ru-en-*/*.src"],
}
#: Debian hunspell dictionary names per language.
HUNSPELL = {"en": "en_US", "fr": "fr", "de": "de_DE", "es": "es_ES", "ru": "ru_RU", "it": "it_IT",
            "uk": "uk_UA"}
_WORD = re.compile(r"[^\W\d_]+")


def wordfreq_words(lang: str) -> Iterator[tuple[str, float]]:
    """(word, zipf) from wordfreq's large list, most frequent first."""
    path = lexicon._wordfreq_file(lang)
    if path is None:
        raise SystemExit("wordfreq is not installed: pip install 'mtnorm[lexicon]'")
    yield from ((w, cz / 100) for w, cz in lexicon._read_source(path, "wordfreq").items())


def pyspellchecker_words(lang: str) -> Iterator[tuple[str, float]]:
    """(word, zipf) from pyspellchecker's bundled frequency dictionary."""
    try:
        import spellchecker
    except ImportError:
        raise SystemExit("pyspellchecker is not installed: pip install pyspellchecker") from None
    path = Path(spellchecker.__file__).parent / "resources" / f"{lang}.json.gz"
    if not path.is_file():
        raise SystemExit(f"pyspellchecker has no list for {lang!r}")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        counts: dict[str, int] = json.load(handle)
    total = sum(counts.values())
    for word, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        if word.isalpha():
            yield word, round(math.log10(n / total * 1e9), 2)


SOURCES: dict[str, Callable[[str], Iterator[tuple[str, float]]]] = {
    "wordfreq": wordfreq_words, "pyspellchecker": pyspellchecker_words}


def build(source: str, langs: list[str], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for lang in langs:
        path = out / f"{lang}.tsv.gz"
        n = 0
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            for word, zipf in SOURCES[source](lang):
                if zipf < lexicon.MIN_ZIPF or n >= lexicon.MAX_WORDS:
                    break
                handle.write(f"{word}\t{zipf:.2f}\n")
                n += 1
        print(f"{lang}: {n} words -> {path} ({path.stat().st_size / 1e6:.1f} MB)")


def human_tokens(lang: str) -> Counter:
    """Lower-case word tokens of the clean human text of ``lang`` (capitalised ones are
    mostly names, which no word list is meant to hold)."""
    counts: Counter = Counter()
    for pattern in HUMAN.get(lang, []):
        for path in sorted((SHARED / "benchmarks").glob(pattern)):
            for word in _WORD.findall(path.read_text(encoding="utf-8")):
                if word.islower():
                    counts[word] += 1
    return counts


def _oov(tokens: Counter, has: Callable[[str], bool]) -> float:
    total = sum(tokens.values())
    return 100 * sum(n for w, n in tokens.items() if not has(w)) / total


def measure(hunspell_dir: Path) -> None:
    print("lang\tsource\twords\tload_s\toov_%")
    for lang in HUMAN:
        tokens = human_tokens(lang)
        if not tokens:
            print(f"{lang}\t(no human text under {SHARED / 'benchmarks'})")
            continue
        for source, reader in SOURCES.items():
            try:
                start = time.perf_counter()
                words = dict(reader(lang))
                took = time.perf_counter() - start
            except SystemExit as exc:
                print(f"{lang}\t{source}\t-\t-\t- ({exc})")
                continue
            for top in (100_000, 200_000, len(words)):
                head = set(list(words)[:top])
                print(f"{lang}\t{source} top {min(top, len(words))}\t{len(head)}\t{took:.2f}"
                      f"\t{_oov(tokens, head.__contains__):.2f}")
        _measure_hunspell(lang, tokens, hunspell_dir)


def _measure_hunspell(lang: str, tokens: Counter, folder: Path) -> None:
    stem = folder / HUNSPELL[lang]
    try:
        from spylls.hunspell import Dictionary
    except ImportError:
        print(f"{lang}\thunspell\t-\t-\t- (spylls not installed)")
        return
    if not stem.with_suffix(".dic").is_file():
        print(f"{lang}\thunspell\t-\t-\t- (no {stem}.dic: apt-get install hunspell-{lang})")
        return
    start = time.perf_counter()
    dictionary = Dictionary.from_files(str(stem))
    took = time.perf_counter() - start
    known = {w: dictionary.lookup(w) for w in tokens}
    print(f"{lang}\thunspell {stem.name}\t(stems+affixes)\t{took:.2f}\t{_oov(tokens, known.__getitem__):.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="write <lang>.tsv.gz lists from an installed source")
    b.add_argument("--source", choices=sorted(SOURCES), default="wordfreq")
    b.add_argument("--langs", default=",".join(lexicon.LANGUAGES))
    b.add_argument("--out", type=Path, required=True)
    m = sub.add_parser("measure", help="OOV rate, size and load time of each candidate")
    m.add_argument("--hunspell", type=Path, default=Path("/usr/share/hunspell"))
    args = parser.parse_args(argv)
    if args.command == "build":
        build(args.source, [lang for lang in args.langs.split(",") if lang], args.out)
    else:
        measure(args.hunspell)
    return 0


if __name__ == "__main__":
    sys.exit(main())
