"""repetition.duplicate_paragraph: a headline, lead or paragraph that a scraper copied twice.

Scrapers and republishers duplicate text: the headline printed twice, the
headline again as the first sentence of the lead, a teaser (often cut off
mid-sentence, or with the source and date glued on) before the full lead, an
image's alt text repeating a paragraph. Paragraphs (non-blank lines) are
compared on their lower-cased word tokens:

* exact copies, reported on the second copy (with a safe fix, deleting the
  line, when the two stand next to each other: nothing is lost);
* near copies (difflib ratio of the tokens >= 0.9), reported on the second;
* a shorter paragraph nearly all of whose words run, in order, inside a
  later one, reported on the shorter (a teaser or cut-off copy) — unless it
  is the headline and the later paragraph starts with it as a whole sentence,
  which is reported on that sentence (the headline repeated in the lead).

Only paragraphs of at least ``MIN_WORDS`` words count: short lines (a
dateline, a subheading, "Kyiv") legitimately repeat. Near and partial copies
are looked for among the ``WINDOW`` preceding paragraphs, exact ones anywhere.

Checked piece by piece (:mod:`normalize.pieces`), a piece sees only its own
text and the context lines before it; the document fact :data:`COPIES` tells
it the rest: where each of its lines (and its context's) first occurred in the
whole text, and how many non-blank lines come before it (the headline and the
teasers are the first paragraphs of the whole text, not of the piece). Near
and partial copies are still compared on the text, so only within the piece
and its context lines: an original more than the context (60 lines, 16 KB)
before its copy is not seen, nor, by the piece of a cut-off copy or teaser
(reported on the earlier, shorter paragraph), a longer one more than three
lines after the piece.
"""
from __future__ import annotations

import difflib
import hashlib
import itertools
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...findings import Category, Finding, FixSafety, Severity
from ...lazy import cached_property
from ...patterns import LazyPattern
from ...pieces import (
    CONTEXT_LINES,
    FactKind,
    document_facts,
    fact_kind,
    global_offset,
    lines_before,
    own_from,
    own_range,
)
from ...registry import Context, Rule, register
from .._text import removal_span

if TYPE_CHECKING:
    import numpy as np

#: Paragraphs shorter than this (in words) are never duplicates.
MIN_WORDS = 8
#: difflib ratio of two paragraphs' tokens from which they are one paragraph.
NEAR_RATIO = 0.9
#: A near (not exact) copy needs this many words: two short sentences that differ in
#: one word ("I am sad to see ..." / "I am happy to see ...") are a contrast, not a copy.
NEAR_MIN_WORDS = 16
#: Share of a shorter paragraph's tokens found in order in a longer one (runs of >= 3).
COVERED = 0.85
#: A teaser (partial copy) is looked for among the first paragraphs, this close to its lead.
TEASER_PARAGRAPHS = 3
#: How many preceding paragraphs a near or partial copy is looked for in.
WINDOW = 40
#: Shorter lines (in characters) cannot hold MIN_WORDS words worth reporting.
MIN_CHARS = 30
#: How many characters at each end make a paragraph's sketch, and how many
#: paragraphs per sketch are remembered.
SKETCH = 24
SKETCH_BUCKET = 8
#: How many paragraphs (with their words) are kept for comparison before the ones more
#: than WINDOW lines back are let go.
_PARAS_KEPT = 4 * WINDOW
_WORD = LazyPattern(r"\w+")
#: The hash the exact copies are remembered by (a test puts a colliding one in its place).
_text_hash = hash
_PUNCT = ".,;:!?\"'()[]«»“”„‘’—–-…"
_SENTENCE_END = ".!?:;…"


@dataclass
class _Para:
    index: int                     # among the non-blank lines
    line: int
    start: int
    end: int
    text: str

    @cached_property
    def words(self) -> list[str]:
        """Lower-cased, split on spaces (cheap, punctuation kept): the first filter."""
        return self.text.lower().split()

    @cached_property
    def word_set(self) -> frozenset[str]:
        """:attr:`words` as a set (made once: a paragraph is compared with several)."""
        return frozenset(self.words)

    @cached_property
    def tokens(self) -> list[str]:
        return _WORD.findall(self.text.lower())

    @cached_property
    def types(self) -> frozenset[str]:
        return frozenset(self.tokens)


def _lines(text: str, index_base: int = 0, line_base: int = 0) -> array[int]:
    """``index among non-blank lines, line number, start, end`` of the stripped lines long
    enough to be a duplicate worth reporting, four integers each (not the lines' texts:
    a copy of every line would cost four bytes per character of a large document, and
    most are compared with nothing). Indexes count from ``index_base``, line numbers from
    ``line_base + 1`` (a piece's place in the whole text); offsets are into ``text``."""
    out = array("q")
    pos = 0
    index = index_base - 1
    for number, line in enumerate(text.split("\n"), line_base + 1):
        stripped = line.strip()
        if stripped:
            index += 1
            if len(stripped) >= MIN_CHARS:
                start = pos + line.index(stripped[0])
                out.extend((index, number, start, start + len(stripped)))
        pos += len(line) + 1
    return out


def _has_words(low: str, n: int) -> bool:
    """``len(_Para.tokens) >= n`` for a line of lower-cased text ``low``, counting no
    further than ``n`` (an exact copy needs no more of its words)."""
    return next(itertools.islice(_WORD.finditer(low), n - 1, None), None) is not None


def _stable_hash(key: str) -> int:
    """A hash of a line's lower-cased text that is the same in every process (Python's
    ``hash`` of a string is not: the pieces' facts are collected in worker processes)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"),
                                          digest_size=8).digest(), "little")


def _nonblank_lines(text: str) -> int:
    return sum(1 for line in text.split("\n") if line.strip())


@dataclass(frozen=True, eq=False)   # arrays: no field-wise == (nor hash)
class _Firsts:
    """The first occurrence of each line's hash in a stretch of text, sorted by hash:
    ``hashes`` (uint64) and ``rows`` (``line, index among non-blank lines, start`` in the
    whole text; the index counts from ``base``: a later stretch's indexes are shifted when
    two stretches merge without copying its arrays)."""

    hashes: np.ndarray
    rows: np.ndarray
    base: int = 0

    def __len__(self) -> int:
        return len(self.hashes)


def _join(a: _Firsts, b: _Firsts) -> _Firsts:
    """One :class:`_Firsts` for ``a`` and the later ``b``: a hash both hold keeps ``a``'s."""
    import numpy as np  # only for a text read in pieces (not on every start-up)

    hashes = np.concatenate((a.hashes, b.hashes))
    rows = np.concatenate((a.rows, b.rows))
    rows[:len(a), 1] += a.base
    rows[len(a):, 1] += b.base
    # np.unique sorts stably when asked for the indexes: each hash's first row is a's.
    hashes, first = np.unique(hashes, return_index=True)
    return _Firsts(hashes, rows[first])


@dataclass(frozen=True, eq=False)
class Copies:
    """What :class:`DuplicateParagraph` needs of a stretch of text beyond a piece.

    ``firsts`` is a short list of :class:`_Firsts` in text order (a hash's first
    occurrence is in the first one that holds it), each more than twice the size of the
    next, so that merging piece after piece stays about linear; ``tail`` the ``(line,
    hash)`` of the lines among the last ``CONTEXT_LINES`` (the next piece's context
    lines: it needs their first occurrences too).
    """

    nonblank: int                          # non-blank lines in the stretch
    lines_end: int                         # lines of the whole text before its end
    firsts: tuple[_Firsts, ...] = ()
    tail: tuple[tuple[int, int], ...] = ()


def _stacked(chunks: tuple[_Firsts, ...]) -> tuple[_Firsts, ...]:
    stack: list[_Firsts] = []
    for chunk in chunks:
        stack.append(chunk)
        while len(stack) >= 2 and len(stack[-2]) <= 2 * len(stack[-1]):
            last = stack.pop()
            stack[-1] = _join(stack[-1], last)
    return tuple(stack)


def _collect_copies(ctx: Context) -> Copies:
    """The lines long enough to be copies in the document's own text: each hash's first
    occurrence, the non-blank lines, the tail."""
    import numpy as np  # only for a text read in pieces (not on every start-up)

    text = ctx.text
    lo, hi = own_range(ctx.document)
    own = text[lo:hi]
    line_base = lines_before(ctx) + text.count("\n", 0, lo)
    lines_end = line_base + own.count("\n")
    start_base = global_offset(ctx, lo)
    rows = np.frombuffer(_lines(own, 0, line_base), dtype=np.int64).reshape(-1, 4)
    hashes = np.fromiter((_stable_hash(own[start:end].lower()) for start, end in rows[:, 2:].tolist()),
                         dtype=np.uint64, count=len(rows))
    # Sorted by hash, each hash's first line (np.unique sorts stably for the indexes).
    unique, first = np.unique(hashes, return_index=True)
    firsts = rows[first][:, :3]
    firsts = np.stack((firsts[:, 1], firsts[:, 0], firsts[:, 2] + start_base), axis=1)
    late = rows[:, 1] > lines_end - CONTEXT_LINES
    tail = tuple(zip(rows[late, 1].tolist(), hashes[late].tolist()))
    chunks = (_Firsts(unique, firsts),) if len(unique) else ()
    return Copies(_nonblank_lines(own), lines_end, chunks, tail)


def _merge_copies(a: Copies, b: Copies) -> Copies:
    shifted = tuple(_Firsts(c.hashes, c.rows, c.base + a.nonblank) for c in b.firsts)
    return Copies(a.nonblank + b.nonblank, b.lines_end, _stacked(a.firsts + shifted),
                  tuple(t for t in a.tail + b.tail if t[0] > b.lines_end - CONTEXT_LINES))


@dataclass(frozen=True)
class CopiesShare:
    """A piece's share of :data:`COPIES`: the non-blank lines of the whole text before its
    own text, and the first occurrence (``line, index, start`` in the whole text) of each
    hash its own lines and its context lines have, where that lies before its own text."""

    nonblank_before: int = 0
    firsts: dict[int, tuple[int, int, int]] = field(default_factory=dict)


_NOTHING_BEFORE = CopiesShare()


def _share_of_copies(before: Copies | None, total: Copies, own: Copies) -> CopiesShare:
    import numpy as np  # only for a text read in pieces (not on every start-up)

    if before is None:
        return CopiesShare()
    wanted = np.unique(np.array([h for chunk in own.firsts for h in chunk.hashes.tolist()]
                                + [h for _, h in before.tail], dtype=np.uint64))
    firsts: dict[int, tuple[int, int, int]] = {}
    for chunk in before.firsts:
        if not len(wanted):
            break
        at = np.searchsorted(chunk.hashes, wanted).clip(max=len(chunk) - 1)
        found = chunk.hashes[at] == wanted
        for hashed, (line, index, start) in zip(wanted[found].tolist(), chunk.rows[at[found]].tolist()):
            firsts[hashed] = (line, index + chunk.base, start)
        wanted = wanted[~found]
    return CopiesShare(before.nonblank, firsts)


#: Where each paragraph of the whole text first occurred (exact copies are found anywhere
#: before). Two different lines with the same 64-bit hash in different pieces are taken
#: for copies (within a piece and its context a copy is confirmed on the text).
COPIES: FactKind[Copies] = fact_kind(FactKind(
    "normalize.rules.repetition.duplicate_paragraph:copies",
    _collect_copies, _merge_copies, _share_of_copies))


def _token_end(text: str, para: _Para, count: int) -> int:
    """Offset just after the ``count``-th word of ``para``."""
    matches = _WORD.finditer(text, para.start, para.end)
    end = para.start
    for _, m in zip(range(count), matches):
        end = m.end()
    return end


def _covered(short: list[str], long: list[str]) -> float:
    """Share of ``short``'s tokens found, in order, in runs of three or more in ``long``."""
    blocks = difflib.SequenceMatcher(None, short, long, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks if b.size >= 3) / len(short)


def _only_blank_between(text: str, a: _Para, b: _Para) -> bool:
    return not text[a.end:b.start].strip()


@register
class DuplicateParagraph(Rule):
    id = "repetition.duplicate_paragraph"
    category = Category.DEBRIS
    severity = Severity.WARNING
    fix = FixSafety.SAFE
    mqm = "Other/Extraneous content"
    scope = "document"
    description = ("Headlines, leads and paragraphs copied twice by a scraper (exact, near or "
                   "truncated copies; the headline repeated as the lead's first sentence).")
    facts = (COPIES.name,)

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        if ctx.document.piece is None and "\n" not in text:
            return  # a copy needs two lines (most records of a corpus have one)
        # A whole document (or the first piece) has nothing before it: its facts would
        # be collected only to say so (hashing every line costs ~50 µs a short record).
        share: CopiesShare = (document_facts(ctx, COPIES) if ctx.document.piece is not None
                              else _NOTHING_BEFORE)
        # Indexes and line numbers are the whole text's (the headline is its first line);
        # offsets are into this text.
        index_base = share.nonblank_before - _nonblank_lines(text[:own_from(ctx)])
        lines = _lines(text, index_base, lines_before(ctx))
        # First occurrences before this text (a piece's): only those are taken from the
        # facts, the ones in this text are found below as in a whole text.
        text_start = global_offset(ctx, 0)
        earlier = {h: first for h, first in share.firsts.items() if first[2] < text_start}
        paras: dict[int, _Para] = {}

        def para(j: int) -> _Para:
            if j not in paras:
                index, number, start, end = lines[4 * j:4 * j + 4]
                paras[j] = _Para(index, number, start, end, text[start:end])
            return paras[j]

        def lowered(j: int) -> str:
            return text[lines[4 * j + 2]:lines[4 * j + 3]].lower()

        # Earlier lines by exact text and by sketch (the first and last characters,
        # without edge punctuation): a copy shares one or both with its original, so
        # only those few pairs are compared; most lines of a story meet nothing.
        # The exact texts are remembered by their hash (a copy of every line, lower-cased,
        # would cost four bytes per character of a large document): a hit is confirmed on
        # the text, and a different text with the same hash goes to ``clashes``.
        seen: dict[int, int] = {}
        clashes: dict[str, int] = {}
        by_sketch: dict[str, list[int]] = {}
        reported: set[int] = set()
        strip_chars = _PUNCT + " \t"
        for j in range(len(lines) // 4):
            index = lines[4 * j]
            if len(paras) > _PARAS_KEPT:
                # Only a cache (a paragraph is rebuilt the same on demand): near and partial
                # copies are looked for WINDOW paragraphs back, so older ones are let go.
                for k in [k for k in paras if k < j - WINDOW]:
                    del paras[k]
            key = lowered(j)
            # A line whose first copy is before this piece: the facts say where that is.
            outside = earlier.get(_stable_hash(key)) if earlier else None
            hashed = _text_hash(key)
            first = seen.get(hashed) if outside is None else None
            if first is not None and lowered(first) != key:
                first = clashes.get(key)
            if (first is not None or outside is not None) and _has_words(key, MIN_WORDS):
                b = para(j)
                reported.add(b.index)
                if outside is not None:
                    # Only blank lines between them when no non-blank line is.
                    yield self._exact(ctx, outside[0], b, outside[1] == b.index - 1)
                else:
                    assert first is not None
                    a = para(first)
                    yield self._exact(ctx, a.line, b,
                                      a.index == b.index - 1 and _only_blank_between(text, a, b))
                continue
            if outside is not None:
                pass  # not the first of its text: that one is before this piece
            elif hashed not in seen:
                seen[hashed] = j
            elif first is None:
                clashes.setdefault(key, j)
            bare = key.strip(strip_chars)
            head, tail = "^" + bare[:SKETCH], "$" + bare[-SKETCH:]
            candidates = by_sketch.get(head, []) + by_sketch.get(tail, [])
            if index < 2 * TEASER_PARAGRAPHS:
                # A teaser at the top may share neither end with its lead.
                candidates += [i for i in range(j) if lines[4 * i] < TEASER_PARAGRAPHS]
            for group in (head, tail):
                bucket = by_sketch.setdefault(group, [])
                bucket.append(j)
                del bucket[:-SKETCH_BUCKET]
            if not candidates:
                continue
            b = para(j)
            tried: set[int] = set()
            for i in sorted(candidates):
                a = para(i)
                if i in tried or a.index in reported or b.index - a.index > WINDOW:
                    continue
                tried.add(i)
                # Cheap filter on the space-split words before the regex tokens.
                shared = len(a.word_set & b.word_set)
                if shared < 0.5 * min(len(a.words), len(b.words)):
                    continue
                if min(len(a.tokens), len(b.tokens)) < MIN_WORDS:
                    continue
                # Most of the shorter one's words must be in the other.
                if len(a.types & b.types) < 0.8 * min(len(a.types), len(b.types)):
                    continue
                finding = self._compare(ctx, a.index, b.index, a, b)
                if finding is not None:
                    reported.add(a.index if finding.start == a.start else b.index)
                    yield finding
                    break

    def _exact(self, ctx: Context, line: int, b: _Para, adjacent: bool) -> Finding:
        """``b`` repeats line ``line`` word for word (the two stand next to each other when
        ``adjacent``)."""
        message = f"paragraph repeats line {line} word for word (a scraper's copy); delete one copy"
        if adjacent:
            return self.finding(ctx, b.start, b.end, message, replacement="",
                                replaces=removal_span(ctx.text, b.start, b.end))
        return self.finding(ctx, b.start, b.end, message)

    def _compare(self, ctx: Context, i: int, j: int, a: _Para, b: _Para) -> Finding | None:
        """A finding when ``a`` (paragraph ``i``) and ``b`` (a later one, ``j``) are copies
        of one text, else None."""
        headline = i == 0
        # A cut-off copy first: it is also a near copy when only a word or two is missing,
        # but the copy to delete is the cut-off one.
        if len(a.tokens) < len(b.tokens) and b.tokens[:len(a.tokens)] == a.tokens:
            end = _token_end(ctx.text, b, len(a.tokens))
            rest = ctx.text[end:b.end].lstrip(" \t\u00a0\"'”’»")
            if headline and (not rest or rest[0] in _SENTENCE_END):
                # The headline again as the lead's first sentence: report the copy.
                if rest:
                    end = ctx.text.index(rest[0], end) + 1
                return self.finding(ctx, b.start, end,
                                    f"the headline (line {a.line}) is repeated as the first "
                                    "sentence of this paragraph; delete the copy")
            return self.finding(ctx, a.start, a.end,
                                f"cut-off copy of the start of line {b.line} (a teaser left "
                                "by the scraper); delete it")
        ratio = difflib.SequenceMatcher(None, a.tokens, b.tokens, autojunk=False).ratio()
        if ratio >= NEAR_RATIO and min(len(a.tokens), len(b.tokens)) >= NEAR_MIN_WORDS:
            return self.finding(ctx, b.start, b.end,
                                f"paragraph nearly repeats line {a.line} ({ratio:.0%} the same words); "
                                "keep one copy")
        if len(a.tokens) < len(b.tokens):
            # A teaser sits at the top, just before the lead it summarises; elsewhere a
            # sentence that a later paragraph repeats is the writer's own emphasis.
            if i < TEASER_PARAGRAPHS and j - i <= TEASER_PARAGRAPHS and \
                    _covered(a.tokens, b.tokens) >= COVERED:
                return self.finding(ctx, a.start, a.end,
                                    f"this paragraph is repeated inside line {b.line} (a teaser or "
                                    "summary left by the scraper); delete it")
        elif not ctx.text[b.end - 1] in _SENTENCE_END and _covered(b.tokens, a.tokens) >= COVERED:
            # An alt text or caption has no full stop; a sentence repeated later is a pull quote.
            return self.finding(ctx, b.start, b.end,
                                f"paragraph repeats part of line {a.line} (an alt text, caption or "
                                "pull quote copied by the scraper?); delete it unless it is meant")
        return None
