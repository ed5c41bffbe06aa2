"""garble.unbalanced: a quotation mark or bracket opened and never closed, or closed and never opened.

Quotation marks are paired across the whole document with one stack, so that
a quote may run over several lines: text delivered one sentence per line
splits a quoted passage of several sentences, and the standard convention for
a quote of several paragraphs leaves each paragraph open and starts the next
one with an opening mark. An opening mark is reported only when nothing closes
it within :data:`QUOTE_REACH` lines; a closing mark only when nothing open can
take it. Brackets must close on their line (or the next one). Apostrophes and
single quotation marks (which double as apostrophes) are left alone, and so are
inch marks (``55"``), emoticons (``:)``) and list markers (``a)``, ``2)``).

With the source at hand, a mark left open (or closed) where the source segment is
unbalanced the same way is the source's: wiki and page debris ("[[ Name") copied
faithfully is not a translation fault, and ``pair.brackets`` / ``pair.quotes``
report what the translation changed.

Which mark closes which is one table for every language: ``“`` opens an
English quote and closes a German one after ``„``; ``»`` opens German book
quotes and closes French ones. A mark that can close the open quote on top of
the stack closes it; otherwise it opens a new one if it can.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ...analysis.segments import segment_at
from ...analysis.tokenised import TOKENISED
from ...findings import Category, Finding, Severity
from ...pieces import FactKind, document_facts, fact_kind, own_from
from ...registry import Context, Rule, register

#: (opening, closing) quotation marks, any language.
QUOTE_PAIRS = frozenset({
    ("\u201c", "\u201d"),  # “ ”  English, and French/Spanish/Russian inner quotes
    ("\u201e", "\u201c"),  # „ “  German, Russian inner quotes
    ("\u201e", "\u201d"),  # „ ”  Polish, Hungarian, some German MT output
    ("\u00ab", "\u00bb"),  # « »  French, Russian, Spanish, Swiss German
    ("\u00bb", "\u00ab"),  # » «  German books
    ("\u2039", "\u203a"),  # ‹ ›
    ("\u203a", "\u2039"),  # › ‹
    ("\u300c", "\u300d"),  # 「 」
    ("\u300e", "\u300f"),  # 『 』
    ('"', '"'),
    # Straight and curly marks in one pair ("“…\"") are typography.quote_pairing's
    # finding: the quotation itself is closed.
    ("\u201c", '"'), ('"', "\u201d"), ("\u201e", '"'), ("\u00ab", '"'),
})
QUOTE_OPENERS = frozenset(o for o, _ in QUOTE_PAIRS)
QUOTE_CHARS = tuple(sorted({c for pair in QUOTE_PAIRS for c in pair}))
#: The closing mark to suggest for an opening one.
EXPECTED_CLOSE = {"\u201c": "\u201d", "\u201e": "\u201c", "\u00ab": "\u00bb", "\u00bb": "\u00ab",
                  "\u2039": "\u203a", "\u203a": "\u2039", "\u300c": "\u300d", "\u300e": "\u300f",
                  '"': '"'}
BRACKET_PAIRS = frozenset({("(", ")"), ("[", "]")})
BRACKET_CLOSE = {"(": ")", "[": "]"}
BRACKET_OPEN = {")": "(", "]": "["}
#: Brackets of every script, as the ASCII bracket they count for (opening +1, closing -1).
_SOURCE_BRACKETS = {"(": ("(", 1), ")": ("(", -1), "\uff08": ("(", 1), "\uff09": ("(", -1),
                    "[": ("[", 1), "]": ("[", -1), "\uff3b": ("[", 1), "\uff3d": ("[", -1),
                    "\u3010": ("[", 1), "\u3011": ("[", -1)}
#: Double quotation marks of every convention, for the source segment's balance.
_SOURCE_QUOTES = frozenset(QUOTE_CHARS) | {"\u300c", "\u300d", "\u300e", "\u300f"}

#: An open quotation may be closed this many lines further down (a quoted
#: passage split over several one-sentence lines); beyond that it is unbalanced.
QUOTE_REACH = 6
#: Brackets close on their line or the next.
BRACKET_REACH = 1

#: Punctuation that ends a quoted passage: a closing mark right after it is a
#: well-formed end of a quotation that began before this line.
_QUOTE_END_PUNCT = ",.!?\u2026"
_LINE_LEAD = " \t\u00a0-\u2013\u2014\u2022*>"
_EMOTICON_EYES = ":;=8"
#: A line break with text after it: the text has more than one line (trailing breaks aside).
_BREAK_THEN_TEXT = re.compile(r"\n[^\n]")


def _collect_lines(ctx: Context) -> bool:
    """Whether a line break of the document's own text has text after it (the character
    after a piece's last break is the next piece's first)."""
    piece = ctx.document.piece
    end = len(ctx.text) if piece is None or piece.own_to is None else piece.own_to + 1
    return _BREAK_THEN_TEXT.search(ctx.text, own_from(ctx), end) is not None


#: Whether the whole text has more than one line (a one-line text is a segment cut from a
#: longer one): a piece's context may hold nothing but blank lines around one line.
MANY_LINES: FactKind[bool] = fact_kind(FactKind(
    "normalize.rules.garble.unbalanced:many_lines", _collect_lines, lambda a, b: a or b))


class _Open:
    __slots__ = ("ch", "line", "pos")

    def __init__(self, ch: str, pos: int, line: int) -> None:
        self.ch, self.pos, self.line = ch, pos, line


def _events(ctx: Context, chars) -> list[tuple[int, str]]:
    text = ctx.text
    # One ``in`` test (memchr) per mark first: a short document holds few or none of
    # them, and the cached lookup costs more than the test.
    return sorted((p, text[p]) for ch in chars if ch in text for p in ctx.analysis.positions(ch))


def _has_quote_mark(text: str, start: int, end: int) -> bool:
    """True if ``text[start:end]`` holds a double quotation mark (inch marks aside)."""
    chunk = text[start:end]
    return any(c in chunk for c in QUOTE_CHARS if c != '"') or \
        any(i == 0 or not chunk[i - 1].isdigit() for i, c in enumerate(chunk) if c == '"')


def _is_emoticon(text: str, pos: int) -> bool:
    """':)', ':-(', ';)', '(;', '(:' and the like; and the bare ')' smile of Russian
    and Ukrainian chat ("ask questions )", "thanks))") that ends a line."""
    if text[pos] == ")" and pos and text[pos - 1] in " )":
        # One find to the end of the line: a test on ``text[pos:]`` would copy the rest of
        # the text for every ')' after a space.
        line_end = text.find("\n", pos)
        rest = text[pos + 1:line_end if line_end != -1 else len(text)]
        if not rest.strip(" )"):
            return True
    before = text[pos - 1] if pos else ""
    if before == "-" and pos > 1:
        before = text[pos - 2]
    after = text[pos + 1] if pos + 1 < len(text) else ""
    if before and before in _EMOTICON_EYES and (pos < 2 or not text[pos - 2].isalnum()
                                                 or text[pos - 1] == "-"):
        return True
    return text[pos] == "(" and after in (":", ";") and (pos + 2 >= len(text)
                                                         or not text[pos + 2].isalnum())


def _is_list_marker(text: str, line_start: int, pos: int) -> bool:
    """')' after a list label at the start of a line or after a space: '1)', 'a)', 'iv)'."""
    i = pos
    if i > line_start and text[i - 1] == ".":
        i -= 1
    j = i
    while j > line_start and text[j - 1].isalnum() and i - j <= 4:
        j -= 1
    label = text[j:i]
    if not label or (j > line_start and not text[j - 1].isspace() and text[j - 1] not in "(\u2013-"):
        return False
    return (label.isdigit() and len(label) <= 3) or len(label) == 1 or \
        (len(label) <= 4 and all(c in "ivxIVX" for c in label))


@register
class Unbalanced(Rule):
    id = "garble.unbalanced"
    category = Category.GARBLE
    severity = Severity.WARNING
    mqm = "Fluency/Punctuation"
    scope = "document"  # a quotation may close a few lines further down
    # In pieces: whether the text is one line or tokenised comes from the facts; a mark
    # waits QUOTE_REACH (6) lines for its pair, brackets 1, within the 8 lines after a piece
    # and the lines before it (2,000, or fewer only when they hold 32,768 characters: lines
    # of over 5,000 characters on average, where a mark opened before them is not seen).
    facts = (TOKENISED.name, MANY_LINES.name)
    description = "A quotation mark or bracket opened and never closed, or closed and never opened."

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        found: list[Finding] = []
        found.extend(self._quotes(ctx, text))
        found.extend(self._brackets(ctx, text))
        found.sort(key=Finding.sort_key)
        # One finding per line and kind of mark: "”a”/”b”/”c”" is one problem, not five.
        seen: set[tuple[int, bool]] = set()
        # The line break before each finding, found from the previous finding's start (the
        # findings are in text order): a search back to the text's start for each would
        # read a long line once per finding.
        line_break, searched_to = -1, 0
        for f in found:
            nearer = text.rfind("\n", searched_to, f.start)
            if nearer != -1:
                line_break = nearer
            searched_to = max(searched_to, f.start)
            key = (line_break, f.text in "()[]")
            if key not in seen:
                seen.add(key)
                if ctx.source_text is None or not _inherited(ctx, f):
                    yield f

    # -- quotation marks ----------------------------------------------------------
    def _quotes(self, ctx: Context, text: str) -> Iterator[Finding]:
        events = _events(ctx, QUOTE_CHARS)
        if not events:
            return
        # Decided once: deciding it per mark read the whole text each time.
        one_line = not document_facts(ctx, MANY_LINES)
        stack: list[_Open] = []
        line, prev = 0, 0
        line_start = 0
        n = len(events)
        i = -1
        while i + 1 < n:
            i += 1
            pos, ch = events[i]
            if not stack and i + 1 < n and ch != '"':
                # Fast path: a curly pair on one line with nothing open ("“...”").
                q, ch2 = events[i + 1]
                if (ch, ch2) in QUOTE_PAIRS and text.find("\n", pos, q) == -1:
                    i += 1
                    continue
            if ch == '"' and pos and (text[pos - 1].isdigit() or text[pos - 1] == '"'
                                      or text[pos + 1:pos + 2] == '"'):
                continue  # 55" (inches), "" (an escaped quote)
            line, line_start, prev, stack, stale = _advance(text, pos, line, line_start, prev,
                                                            stack, QUOTE_REACH)
            yield from filter(None, (self._unclosed_quote(ctx, o, one_line) for o in stale))
            if (ch in QUOTE_OPENERS and stack and stack[-1].line < line and stack[-1].ch == ch
                    and not text[line_start:pos].strip(_LINE_LEAD)):
                # A quote of several paragraphs: each paragraph opens again.
                stack[-1] = _Open(ch, pos, line)
                continue
            depth = next((i for i in range(len(stack) - 1, -1, -1)
                          if (stack[i].ch, ch) in QUOTE_PAIRS), None)
            if depth is not None and (depth == len(stack) - 1 or ch not in QUOTE_OPENERS):
                for inner in stack[depth + 1:]:
                    if (f := self._unclosed_quote(ctx, inner, one_line)) is not None:
                        yield f
                del stack[depth:]
            elif ch in QUOTE_OPENERS:
                stack.append(_Open(ch, pos, line))
            else:
                if _has_quote_mark(text, line_start, pos):
                    severity, why = None, ""
                elif text[max(line_start, pos - 2):pos].rstrip(" ")[-1:] in _QUOTE_END_PUNCT \
                        and text[max(line_start, pos - 2):pos].strip(" "):
                    # '..., he said.” ' as the first mark of its line ends a quotation
                    # that began in an earlier paragraph or segment: well formed.
                    continue
                elif one_line and _segment_boundary(ctx, pos):
                    # A one-line text is a segment cut from a longer one: a mark that ends a
                    # clause there ("Romania ” .") closes a quotation begun before it.
                    continue
                else:
                    # The first mark of its line: the quotation may have begun in a
                    # paragraph (or segment) that is not part of this text.
                    severity, why = Severity.INFO, " (unless the quotation began before this text)"
                yield self.finding(
                    ctx, pos, pos + 1,
                    f"'{ch}' closes a quotation that was never opened{why}; add the opening mark "
                    f"or remove this one", severity=severity, data={"mark": ch, "kind": "unopened"})
        yield from filter(None, (self._unclosed_quote(ctx, o, one_line) for o in stack))

    def _unclosed_quote(self, ctx: Context, o: _Open, one_line: bool) -> Finding | None:
        """The finding for the quotation ``o`` left open (None where it may go on past the
        text); ``one_line``: the text is one line (a segment cut from a longer text)."""
        close = EXPECTED_CLOSE.get(o.ch, "")
        text = ctx.text
        line_end = text.find("\n", o.pos)
        if _has_quote_mark(text, o.pos + 1, len(text) if line_end == -1 else line_end):
            severity, why = None, ""
        elif o.ch == '"' and text[max(0, o.pos - 2):o.pos].rstrip(" ")[-1:] in _QUOTE_END_PUNCT \
                and text[max(0, o.pos - 2):o.pos].strip(" "):
            # 'priority." ' as the last mark of its line: a straight mark after the end of a
            # sentence closes a quotation that began in an earlier paragraph or segment.
            return None
        elif one_line and _segment_boundary(ctx, o.pos):
            return None  # a one-line segment: the quotation goes on in the next one
        else:
            # The last mark of its line: the quotation may go on in a paragraph (or
            # segment) that is not part of this text.
            severity, why = Severity.INFO, " (unless the quotation goes on after this text)"
        return self.finding(
            ctx, o.pos, o.pos + 1,
            f"'{o.ch}' opens a quotation that is never closed (no '{close}' in this paragraph "
            f"or the next ones{why}); close the quotation or remove the mark",
            severity=severity, data={"mark": o.ch, "kind": "unclosed"})

    # -- brackets -----------------------------------------------------------------
    def _brackets(self, ctx: Context, text: str) -> Iterator[Finding]:
        events = _events(ctx, "()[]")
        if not events:
            return
        stack: list[_Open] = []
        line, prev, line_start = 0, 0, 0
        n = len(events)
        i = -1
        while i + 1 < n:
            i += 1
            pos, ch = events[i]
            if not stack and i + 1 < n and ch in "([":
                # Fast path: "(...)" on one line with nothing open.
                q, ch2 = events[i + 1]
                if ch2 == BRACKET_CLOSE[ch] and text[q - 1] not in _EMOTICON_EYES \
                        and text[pos + 1:pos + 2] not in (":", ";") and text.find("\n", pos, q) == -1:
                    i += 1
                    continue
            line, line_start, prev, stack, stale = _advance(text, pos, line, line_start, prev,
                                                            stack, BRACKET_REACH)
            yield from (self._unclosed_bracket(ctx, o) for o in stale)
            if _is_emoticon(text, pos):
                continue
            if ch in BRACKET_CLOSE:
                stack.append(_Open(ch, pos, line))
                continue
            opener = BRACKET_OPEN[ch]
            depth = next((i for i in range(len(stack) - 1, -1, -1) if stack[i].ch == opener), None)
            if depth is not None:
                for inner in stack[depth + 1:]:
                    yield self._unclosed_bracket(ctx, inner)
                del stack[depth:]
            elif ch == ")" and _is_list_marker(text, line_start, pos):
                continue
            else:
                yield self.finding(
                    ctx, pos, pos + 1, f"'{ch}' has no matching '{opener}'; add it or remove this one",
                    data={"mark": ch, "kind": "unopened"})
        for o in stack:
            yield self._unclosed_bracket(ctx, o)

    def _unclosed_bracket(self, ctx: Context, o: _Open) -> Finding:
        return self.finding(
            ctx, o.pos, o.pos + 1,
            f"'{o.ch}' is never closed; add '{BRACKET_CLOSE[o.ch]}' or remove it",
            data={"mark": o.ch, "kind": "unclosed"})


def _inherited(ctx: Context, f: Finding) -> bool:
    """Whether the source segment of ``f`` is unbalanced the same way: a bracket of the
    same kind left open (or closed) on the same side, or an odd count of quotation marks."""
    pair = segment_at(ctx, f.start)
    if pair is None:
        return False
    if f.text in BRACKET_OPEN or f.text in BRACKET_CLOSE:
        kind = BRACKET_OPEN.get(f.text, f.text)

        def balance(segment: str) -> int:
            total = 0
            for ch in segment:
                mark = _SOURCE_BRACKETS.get(ch)
                if mark and mark[0] == kind:
                    total += mark[1]
            return total

        target, source = balance(pair.target), balance(pair.source)
        return target * source > 0
    return sum(ch in _SOURCE_QUOTES for ch in pair.source) % 2 == 1


def _segment_boundary(ctx: Context, pos: int) -> bool:
    """Whether the mark at ``pos`` of a one-line text (a segment cut from a longer text;
    the caller checks that it is one) may belong to a quotation that runs past the
    segment: it ends a clause ("Romania ” .") or the segment is tokenised corpus text,
    where marks stand apart from words."""
    text = ctx.text
    return not text[pos + 1:pos + 3].strip(" ")[:1].isalnum() or ctx.analysis.tokenised


def _advance(text: str, pos: int, line: int, line_start: int, prev: int, stack: list[_Open],
             reach: int) -> tuple[int, int, int, list[_Open], list[_Open]]:
    """Move the scan to the mark at ``pos``: the new (line, line_start, prev), and the
    open marks split into those still in reach and those left unclosed too long."""
    newlines = text.count("\n", prev, pos)
    stale: list[_Open] = []
    if newlines:
        line += newlines
        line_start = text.rfind("\n", 0, pos) + 1
        stale = [o for o in stack if o.line < line - reach]
        if stale:
            stack = [o for o in stack if o.line >= line - reach]
    return line, line_start, pos, stack, stale
