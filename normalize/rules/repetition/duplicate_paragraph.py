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
import re
from dataclasses import dataclass
from typing import Iterator

from ...findings import Category, Finding, FixSafety, Severity
from ...registry import Context, Rule, register
from .._text import removal_span

#: Paragraphs shorter than this (in words) are never duplicates.
MIN_WORDS = 8
#: difflib ratio of two paragraphs' tokens from which they are one paragraph.
NEAR_RATIO = 0.9
#: Share of a shorter paragraph's tokens found in order in a longer one (runs of >= 3).
COVERED = 0.85
#: A teaser (partial copy) is looked for among the first paragraphs, this close to its lead.
TEASER_PARAGRAPHS = 3
#: How many preceding paragraphs a near or partial copy is looked for in.
WINDOW = 40
_WORD = re.compile(r"\w+")
_SENTENCE_END = ".!?:;…"


@dataclass
class _Para:
    line: int
    start: int
    end: int
    tokens: list[str]
    spans: list[tuple[int, int]]   # character span of each token in the text


def _paragraphs(text: str) -> list[_Para]:
    out = []
    pos = 0
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        body = line.rstrip("\r\n")
        if body.strip():
            matches = list(_WORD.finditer(body))
            lead = len(body) - len(body.lstrip())
            out.append(_Para(number, pos + lead, pos + len(body.rstrip()),
                             [m.group(0).lower() for m in matches],
                             [(pos + m.start(), pos + m.end()) for m in matches]))
        pos += len(line)
    return out


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
        paras = _paragraphs(text)
        seen: dict[tuple[str, ...], _Para] = {}
        reported: set[int] = set()
        for j, b in enumerate(paras):
            if len(b.tokens) < MIN_WORDS:
                continue
            key = tuple(b.tokens)
            first = seen.get(key)
            if first is not None:
                reported.add(j)
                yield self._exact(ctx, first, b, _only_blank_between(text, paras[j - 1], b)
                                  and paras[j - 1] is first)
                continue
            seen[key] = b
            bset = set(b.tokens)
            for i in range(max(0, j - WINDOW), j):
                a = paras[i]
                if i in reported or len(a.tokens) < MIN_WORDS:
                    continue
                shorter = min(len(a.tokens), len(b.tokens))
                # Cheap filter before difflib: most of the shorter one's words in the other.
                if len(bset.intersection(a.tokens)) < 0.8 * len(set(a.tokens if len(a.tokens) == shorter
                                                                     else b.tokens)):
                    continue
                finding = self._compare(ctx, i, j, a, b)
                if finding is not None:
                    reported.add(i if finding.start == a.start else j)
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
            end = b.spans[len(a.tokens) - 1][1]
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
        if ratio >= NEAR_RATIO:
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
