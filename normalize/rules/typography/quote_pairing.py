"""typography.quote_pairing: quotation marks that do not pair the language's way.

One pass over the double quotation marks of the text, in order, with the
language's opening and closing marks (``Language.quotes``) and the straight
``"`` whose role comes from the pass (it closes an open quote, else opens one):

* a closing mark with nothing open (“ … ” written ” … “, or marks shifted by one);
* an opening mark while a quote opened on the same line is still open (“ … “);
* a pair of two kinds, curly opened and straight closed or the reverse;
* a space inside the pair (``" word"``, ``word "``).

A quote may run over several lines (one sentence per line, or a quoted
paragraph reopened on the next one), so an unclosed quote is never a finding
by itself and a new line that opens again starts afresh.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...analysis.tokenised import TOKENISED
from ...findings import Category, Finding, FixSafety, Severity
from ...pieces import FactKind, document_facts, fact_kind, own_from, own_range
from ...registry import Context, Rule, register

STRAIGHT = '"'
_SPACES = " \t\u00a0\u202f"


@dataclass
class _Open:
    pos: int
    mark: str
    line: int


@functools.lru_cache(maxsize=16)
def _marks_pattern(marks: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(marks) + "]")


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _reversed(text: str, i: int, open_q: str) -> bool:
    """A closing mark at ``i`` glued to a word and followed by a word, with an opening mark
    later on its line: the pair written backwards (``the” invasion “of``)."""
    return 0 < i and text[i - 1].isalnum() and text[i + 1:i + 2] == " " and \
        text[i + 2:i + 3].isalpha() and open_q in text[i + 1:_line_end(text, i)]


def _opens(text: str, i: int) -> bool:
    """A mark at ``i`` stands where a quote opens: after a space or line start, before a word."""
    return (i == 0 or text[i - 1].isspace() or text[i - 1] in "([") and \
        i + 1 < len(text) and not text[i + 1].isspace()


#: A quote opened on an earlier line and still open where a line starts: all the pass
#: carries from one line to the next (its place and mark are read on its own line only).
_EARLIER = _Open(-1, "", -1)


def _marks(ctx: Context) -> tuple[str, str, set[str]] | None:
    """(opening mark, closing mark, marks looked at), or None for a language that quotes
    with one symmetric mark (no pairs to judge)."""
    open_q, close_q = ctx.language.quotes
    return None if open_q == close_q else (open_q, close_q, {open_q, close_q, STRAIGHT})


#: Whether a quote is open where a stretch of lines ends: (if none was open where it
#: began, if one was). Composed from piece to piece, it gives a piece the state of the
#: pass at its first own line, which may have been left by a mark any distance before.
OpenAtEnd = tuple[bool, bool]


def _collect_open(ctx: Context) -> OpenAtEnd:
    piece = ctx.document.piece
    marks = _marks(ctx)
    if piece is None or marks is None:
        return (False, False)  # a whole document has nothing before it
    end = min(own_range(ctx.document)[1], len(ctx.text))
    rule = QuotePairing()  # a fresh one: the pass keeps the language's foreign mark on it
    out: list[bool] = []
    for entry in (None, _EARLIER):
        rule._foreign_close = _foreign_close(*marks[:2])
        for _ in rule._scan(ctx, ctx.text, *marks, own_from(ctx), end, entry, out):
            pass
    return (out[0], out[1])


def _compose(a: OpenAtEnd, b: OpenAtEnd) -> OpenAtEnd:
    return (b[1] if a[0] else b[0], b[1] if a[1] else b[0])


OPEN_AT_END: FactKind[OpenAtEnd] = fact_kind(FactKind(
    "normalize.rules.typography.quote_pairing:open_at_end", _collect_open, _compose,
    lambda before, total, own: before is not None and before[0]))


def _foreign_close(open_q: str, close_q: str) -> str:
    # German closes with the English opening mark, Polish with the English closing one:
    # a line quoting the English way (“ ”) is foreign typography
    # (typography.foreign_quotes), not a pairing slip.
    return ("\u201d" if close_q == "\u201c" else
            "\u201c" if close_q == "\u201d" and open_q != "\u201c" else "")


@register
class QuotePairing(Rule):
    id = "typography.quote_pairing"
    category = Category.TYPOGRAPHY
    scope = "document"  # spacing inside quotes is judged against the whole text (tokenised or not)
    # In pieces: whether the whole text is tokenised, and whether a quote is open where the
    # piece's own lines start, come from the facts; every other test reads the mark's line.
    facts = (TOKENISED.name, OPEN_AT_END.name)
    severity = Severity.WARNING
    fixes = frozenset({FixSafety.UNSAFE})
    mqm = "Fluency/Punctuation"
    description = ("Quotation marks that do not pair: reversed or shifted (” … “), opened twice (“ … “), "
                   "curly opened and straight closed, a space inside the marks.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        found = _marks(ctx)
        if found is None:  # a language quoting with one symmetric mark has no pairs to judge
            return
        open_q, close_q, marks = found
        self._foreign_close = _foreign_close(open_q, close_q)
        if not any(m in text for m in marks):
            return
        if ctx.document.piece is None:
            yield from self._scan(ctx, text, open_q, close_q, marks)
            return
        # A piece: the pass starts at its own lines, in the state the lines before left.
        entry = _EARLIER if document_facts(ctx, OPEN_AT_END) else None
        yield from self._scan(ctx, text, open_q, close_q, marks, own_from(ctx), None, entry)

    def _scan(self, ctx: Context, text: str, open_q: str, close_q: str, marks: set[str],
              start: int = 0, end: int | None = None, entry: _Open | None = None,
              exit_open: list[bool] | None = None) -> Iterator[Finding]:
        """The pass over the marks of ``text[start:end]`` (``start`` a line start), with
        ``entry`` open where it starts; whether a quote is left open is appended to
        ``exit_open``."""
        name = ctx.language.name
        pair = f"{open_q}…{close_q}"
        current: _Open | None = entry
        line, seen = 0, start
        # Only the marks (and line breaks between them) are visited: a regex finds them at C speed.
        for m in _marks_pattern("".join(sorted(marks))).finditer(text, start, len(text) if end is None else end):
            i, c = m.start(), m.group()
            line += text.count("\n", seen, i)
            seen = i
            if self._foreign_close and self._foreign_close in text[text.rfind("\n", 0, i) + 1:_line_end(text, i)]:
                continue
            if c == STRAIGHT and current is None and i and text[i - 1].isdigit():
                continue  # 12" is an inch mark, not a quote
            if c == STRAIGHT and current is not None and current.line != line and _opens(text, i):
                current = None  # a quote left open on an earlier line; this one opens anew
            if c == open_q or (c == STRAIGHT and current is None):
                if current is not None and current.line == line and c == open_q:
                    yield self.finding(
                        ctx, i, i + 1,
                        f"opening quote {c} while the quote opened at '{text[current.pos:current.pos + 20]}…' "
                        f"is still open: a mismatched pair ({name} pairs {pair})")
                    current = None  # most often the mark meant to close it
                    continue
                current = _Open(i, c, line)
                continue
            # a closing mark: the language's, or a straight one while a quote is open
            if current is None:
                # A quote opened lines before closes here (one sentence per line): only a
                # closing mark that stands where a quote opens, or one followed by an opening
                # mark on its line (” … “), is surely misplaced.
                if not (_opens(text, i) or _reversed(text, i, open_q)):
                    continue
                yield self.finding(
                    ctx, i, i + 1,
                    f"closing quote {c} with no opening quote before it: a reversed or shifted pair "
                    f"({name} pairs {pair})")
                continue
            if current.line == line:  # a quote over several lines is judged by its marks only
                yield from self._pair(ctx, text, current, i, pair)
            current = None
        if exit_open is not None:
            exit_open.append(current is not None)

    def _pair(self, ctx: Context, text: str, opened: _Open, close: int, pair: str) -> Iterator[Finding]:
        start, c = opened.pos, text[close]
        if (opened.mark == STRAIGHT) != (c == STRAIGHT):
            yield self.finding(
                ctx, start, close + 1,
                f"quote opened with {opened.mark} and closed with {c}: straight and curly marks in one "
                f"pair; use {pair}")
            return
        inner = text[start + 1:close]
        # French spaces inside « » (typography.french_spacing judges that)
        if not inner.strip() or ctx.analysis.tokenised or ctx.language.spaced_punctuation:
            return
        # Straight marks guessed wrong (a quote left open lines before) stand glued to a
        # word on their outer side: "said", "Word" is no pair to judge.
        if (start and text[start - 1].isalnum()) or text[close + 1:close + 2].isalnum():
            return
        lead = len(inner) - len(inner.lstrip(_SPACES))
        trail = len(inner) - len(inner.rstrip(_SPACES))
        # A word beyond the space: a space after sentence punctuation (". ”") is another,
        # rarer slip, and a lone mark in a list ("A ” B") is no pair at all.
        if lead and not inner[lead].isalnum():
            lead = 0
        if trail and not inner[-trail - 1].isalnum():
            trail = 0
        if lead or trail:
            fixed = opened.mark + inner.strip(_SPACES) + c
            where = "after the opening" if lead and not trail else \
                "before the closing" if trail and not lead else "inside the"
            yield self.finding(
                ctx, start, close + 1, f"space {where} quotation mark; {ctx.language.name} sets none there",
                replacement=fixed, fix=FixSafety.UNSAFE, severity=Severity.INFO)
