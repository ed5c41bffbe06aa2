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
"""
from __future__ import annotations

import difflib
import functools
from array import array
from collections.abc import Iterator
from dataclasses import dataclass

from ...findings import Category, Finding, FixSafety, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register
from .._text import removal_span

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

    @functools.cached_property
    def words(self) -> list[str]:
        """Lower-cased, split on spaces (cheap, punctuation kept): the first filter."""
        return self.text.lower().split()

    @functools.cached_property
    def tokens(self) -> list[str]:
        return _WORD.findall(self.text.lower())

    @functools.cached_property
    def types(self) -> frozenset[str]:
        return frozenset(self.tokens)


def _lines(text: str) -> array[int]:
    """``index among non-blank lines, line number, start, end`` of the stripped lines long
    enough to be a duplicate worth reporting, four integers each (not the lines' texts:
    a copy of every line would cost four bytes per character of a large document, and
    most are compared with nothing)."""
    out = array("q")
    pos = 0
    index = -1
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if stripped:
            index += 1
            if len(stripped) >= MIN_CHARS:
                start = pos + line.index(stripped[0])
                out.extend((index, number, start, start + len(stripped)))
        pos += len(line) + 1
    return out


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

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        lines = _lines(text)
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
            hashed = _text_hash(key)
            first = seen.get(hashed)
            if first is not None and lowered(first) != key:
                first = clashes.get(key)
            if first is not None and len(para(j).tokens) >= MIN_WORDS:
                a, b = para(first), para(j)
                reported.add(b.index)
                yield self._exact(ctx, a, b, a.index == b.index - 1 and _only_blank_between(text, a, b))
                continue
            if hashed not in seen:
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
                shared = len(set(a.words).intersection(b.words))
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

    def _exact(self, ctx: Context, first: _Para, b: _Para, adjacent: bool) -> Finding:
        message = f"paragraph repeats line {first.line} word for word (a scraper's copy); delete one copy"
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
