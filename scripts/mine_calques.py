#!/usr/bin/env python3
"""Mine calque candidates: recurring edits between machine output and human text.

Each ``--mt FILE`` is paired, line by line, with the ``--pe FILE`` given in the
same position (a post-edit of that output, or a human reference translation of
the same source). Both sides are split into lower-case tokens (words and single
punctuation marks, so tokenised MLQE-PE text and plain WMT text give the same
tokens) and aligned with :class:`difflib.SequenceMatcher`. Every replaced or
deleted run of MT tokens (up to ``--max-n`` tokens; a one-token run is also
taken with its neighbours, since "on the territory of" -> "in" often aligns
"the ... of") is a candidate, counted once per segment.

A calque is an n-gram that MT writes and humans rewrite, so candidates are
ranked by how often they were edited and by how rarely the n-gram survives in
human text: its document frequency in the post-edits and in every ``--ref``
file (human English that was never MT) against its frequency in the MT lines.

    scripts/mine_calques.py --mt dev.mt --pe dev.pe [--mt test.mt --pe test.pe]
                            [--ref refs.en ...] [--top 200] [--min-count 2] [--tsv out.tsv]
    scripts/mine_calques.py --score ru --mt dev.mt --pe dev.pe [--ref refs.en ...]

With ``--score SOURCE`` the script measures the curated entries instead
(``calque.false_friend`` with ``--source-lang SOURCE``, target ``--lang``): for
each entry, the MT segments it flags, the share of those whose flagged text the
human side no longer holds (its measured precision), and its hits on human text
(post-edits and ``--ref``) per 1,000 human segments, then the same for all
entries together. MLQE-PE text is tokenised: it is detokenised before matching.

Files may be plain text or ``.gz``. Output (standard output, or ``--tsv``) is
one candidate a line: score, edits, MT segments holding the n-gram, share of
those the human side changed, human hits per 1,000 human segments, the MT
n-gram and its most frequent human replacements. The input is read where it is
and nothing is copied into the project: the list is for curation by hand.
"""
from __future__ import annotations

import argparse
import difflib
import gzip
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_TOKEN = re.compile(r"\w+|[^\w\s]")
#: Tokens that are never a candidate on their own (punctuation and the commonest words).
_TRIVIAL = frozenset([".,;:!?\"'()[]-–—«»“”‘’", "a", "an", "the", "of", "to", "in", "and", "or", "is", "was", "be"])


def read_lines(path: str) -> list[str]:
    """The lines of a plain or gzip-compressed UTF-8 file, without line ends."""
    p = Path(path)
    if not p.is_file():
        raise SystemExit(f"mine_calques: {path}: no such file")
    opener = gzip.open if p.suffix == ".gz" else open
    with opener(p, "rt", encoding="utf-8", errors="replace") as fh:  # type: ignore[operator]
        return fh.read().splitlines()


#: Quote styles folded together: a typographic edit is not a calque.
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
                       "\u00ab": '"', "\u00bb": '"'})


def tokens(line: str) -> list[str]:
    """Lower-case word and punctuation tokens of a line (tokenised or not, quotes folded)."""
    return _TOKEN.findall(line.lower().translate(_FOLD))


def ngrams(toks: list[str], max_n: int) -> set[tuple[str, ...]]:
    """Every n-gram of 1..max_n tokens of ``toks``, once."""
    return {tuple(toks[i:i + n]) for n in range(1, max_n + 1) for i in range(len(toks) - n + 1)}


def edits(mt: list[str], pe: list[str], max_n: int) -> Iterable[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(MT n-gram, human replacement) for each replaced or deleted MT run of the pair."""
    sm = difflib.SequenceMatcher(None, mt, pe, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op not in ("replace", "delete") or i2 - i1 > max_n:
            continue
        src, dst = tuple(mt[i1:i2]), tuple(pe[j1:j2])
        if not all(t in _TRIVIAL for t in src):
            yield src, dst
        if i2 - i1 < max_n:
            # With its neighbours: "the territory of" edited to "" leaves "on ... in" aligned.
            lo, hi = max(0, i1 - 1), min(len(mt), i2 + 1)
            jlo, jhi = max(0, j1 - (i1 - lo)), min(len(pe), j2 + (hi - i2))
            if hi - lo <= max_n + 1 and not all(t in _TRIVIAL for t in mt[lo:hi]):
                yield tuple(mt[lo:hi]), tuple(pe[jlo:jhi])


@dataclass
class Candidate:
    ngram: tuple[str, ...]
    edited: int          # segments where the MT n-gram was part of an edit
    mt_df: int           # MT segments holding the n-gram
    pe_df: int           # post-edit/reference segments (paired) holding it
    ref_df: int          # --ref segments holding it
    human_per_1000: float
    changed_share: float
    score: float
    replacements: list[tuple[str, int]]


def detok(toks: Iterable[str]) -> str:
    """Tokens joined for reading: no space before closing punctuation or inside n't/'s."""
    text = " ".join(toks)
    text = re.sub(r" ([.,;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[]) ", r"\1", text)
    return re.sub(r" ?' ?(s|t|re|ve|ll|d|m)\b", r"'\1", text)


def mine(pairs: list[tuple[str, str]], refs: list[str], max_n: int = 5,
         min_count: int = 2) -> list[Candidate]:
    """Candidates from the (MT file, human file) pairs, ranked best first."""
    edited: Counter[tuple[str, ...]] = Counter()
    repl: dict[tuple[str, ...], Counter[tuple[str, ...]]] = defaultdict(Counter)
    mt_docs: list[list[str]] = []
    human_docs: list[list[str]] = []
    for mt_path, pe_path in pairs:
        mt_lines, pe_lines = read_lines(mt_path), read_lines(pe_path)
        if len(mt_lines) != len(pe_lines):
            raise SystemExit(f"mine_calques: {mt_path} has {len(mt_lines)} lines and "
                             f"{pe_path} {len(pe_lines)}: pair files segment by segment")
        for mt_line, pe_line in zip(mt_lines, pe_lines):
            mt, pe = tokens(mt_line), tokens(pe_line)
            mt_docs.append(mt)
            human_docs.append(pe)
            seen = set()
            for src, dst in edits(mt, pe, max_n):
                if src not in seen:
                    seen.add(src)
                    edited[src] += 1
                    repl[src][dst] += 1
    wanted = {g for g, c in edited.items() if c >= min_count}
    n = max(g and len(g) for g in wanted) if wanted else 1

    def df(docs: Iterable[list[str]]) -> Counter[tuple[str, ...]]:
        counts: Counter[tuple[str, ...]] = Counter()
        for toks in docs:
            counts.update(g for g in ngrams(toks, n) if g in wanted)
        return counts

    mt_df, pe_df = df(mt_docs), df(human_docs)
    ref_docs = [tokens(line) for path in refs for line in read_lines(path)]
    ref_df = df(ref_docs)
    n_human = len(human_docs) + len(ref_docs)
    out = []
    for g in wanted:
        human = pe_df[g] + ref_df[g]
        per_1000 = 1000.0 * human / max(n_human, 1)
        changed = edited[g] / max(mt_df[g], 1)
        # Often edited, rarely kept by humans: frequency times the MT-vs-human ratio.
        rate_mt = mt_df[g] / max(len(mt_docs), 1)
        rate_h = (human + 0.5) / max(n_human, 1)
        score = edited[g] * changed * min(rate_mt / rate_h, 50.0)
        out.append(Candidate(g, edited[g], mt_df[g], pe_df[g], ref_df[g], per_1000, changed, score,
                             [(detok(r), c) for r, c in repl[g].most_common(3)]))
    out.sort(key=lambda c: (-c.score, -c.edited, c.ngram))
    return out


def detok_line(line: str) -> str:
    """A tokenised line (MLQE-PE: "the country 's economy , which") as running text."""
    text = re.sub(r" ([.,;:!?%)\]])", r"\1", line)
    text = re.sub(r"([(\[]) ", r"\1", text)
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text)
    return re.sub(r"\s*(@-@|@ - @)\s*", "-", text)


def _flags(lines: list[str], lang: str, source: str) -> list[list[tuple[str, str]]]:
    """(entry id, flagged text) per line: one check call for all lines (one line each)."""
    import normalize  # the project, imported only for --score

    text = "\n".join(detok_line(line) for line in lines) + "\n"
    starts = [0]
    for line in text.split("\n")[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    out: list[list[tuple[str, str]]] = [[] for _ in lines]
    for f in normalize.check(text, lang=lang, source_lang=source, select=["calque.false_friend"]):
        out[f.line - 1].append((str(f.data.get("entry")), f.text))
    return out


def score(pairs: list[tuple[str, str]], refs: list[str], lang: str, source: str) -> str:
    """Per-entry hits on MT and human text (TSV), the totals on the last line."""
    mt_lines: list[str] = []
    pe_lines: list[str] = []
    for mt_path, pe_path in pairs:
        mt_lines += read_lines(mt_path)
        pe_lines += read_lines(pe_path)
    ref_lines = [line for path in refs for line in read_lines(path)]
    mt_flags = _flags(mt_lines, lang, source)
    human_flags = _flags(pe_lines + ref_lines, lang, source)
    pe_low = [detok_line(line).lower() for line in pe_lines]
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # MT segments, changed, human
    for i, flags in enumerate(mt_flags):
        for entry, text in dict(flags).items():
            stats[entry][0] += 1
            stats[entry][1] += " ".join(text.lower().split()) not in " ".join(pe_low[i].split())
    for flags in human_flags:
        for entry in {e for e, _ in flags}:
            stats[entry][2] += 1
    n_human = max(len(human_flags), 1)
    rows = ["entry\tmt_segments\tchanged_share\thuman_hits\thuman_per_1000"]
    for entry, (mt, changed, human) in sorted(stats.items(), key=lambda kv: (-kv[1][2], -kv[1][0])):
        rows.append(f"{entry}\t{mt}\t{changed / mt if mt else 0:.2f}\t{human}\t{1000 * human / n_human:.2f}")
    mt_all = sum(v[0] for v in stats.values())
    changed_all = sum(v[1] for v in stats.values())
    human_all = sum(1 for flags in human_flags if flags)
    rows.append(f"ALL\t{mt_all}\t{changed_all / mt_all if mt_all else 0:.2f}\t{human_all}\t"
                f"{1000 * human_all / n_human:.2f}\t(of {len(human_flags)} human segments)")
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line: print the ranked candidates."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mt", action="append", required=True, help="machine output, one segment a line")
    ap.add_argument("--pe", action="append", required=True,
                    help="post-edit or reference of the --mt given in the same position")
    ap.add_argument("--ref", action="append", default=[], nargs="+",
                    help="other human text in the target language (for survival counts)")
    ap.add_argument("--max-n", type=int, default=5)
    ap.add_argument("--min-count", type=int, default=2, help="least number of edited segments")
    ap.add_argument("--top", type=int, default=200)
    ap.add_argument("--tsv", help="write here instead of standard output")
    ap.add_argument("--score", metavar="SOURCE", help="measure the curated entries for this source language")
    ap.add_argument("--lang", default="en", help="target language of the entries (with --score)")
    args = ap.parse_args(argv)
    if len(args.mt) != len(args.pe):
        ap.error("give one --pe for each --mt")
    refs = [r for group in args.ref for r in group]
    if args.score:
        text = score(list(zip(args.mt, args.pe)), refs, args.lang, args.score)
        if args.tsv:
            Path(args.tsv).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return 0
    ranked = mine(list(zip(args.mt, args.pe)), refs, args.max_n, args.min_count)[:args.top]
    rows = ["score\tedited\tmt_segments\tchanged_share\thuman_per_1000\tmt_ngram\treplacements"]
    for c in ranked:
        rows.append(f"{c.score:.1f}\t{c.edited}\t{c.mt_df}\t{c.changed_share:.2f}\t{c.human_per_1000:.2f}\t"
                    f"{detok(c.ngram)}\t" + " | ".join(f"{r or '∅'} ({k})" for r, k in c.replacements))
    text = "\n".join(rows) + "\n"
    if args.tsv:
        Path(args.tsv).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
