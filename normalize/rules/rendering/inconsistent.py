"""rendering.inconsistent: one short source phrase translated two ways in one text.

Wire copy often repeats a phrase of a quote as a subheading. When MT renders
"sauvage et déraisonnable" once as the subheading "Wild and unreasonable" and
once, in the quote, as "brutal and unreasonable", the reader sees two phrases
where the source had one. The heuristic:

* a heading is a short standalone line (2-6 words, no final punctuation) next
  to a line of body text;
* the heading, or a coordinated pair in it ("X and Y"), reappears in the body
  with exactly one content word changed ("brutal and unreasonable");
* the body occurrence stands inside a quotation (subheadings quote the text;
  a human editor's heading that merely shares words with the text does not
  repeat a quote with one word swapped), and the text has no exact repeat of
  the heading phrase.

The heading is reported, pointing at the other rendering.
"""
from __future__ import annotations

import bisect
import functools
import itertools
from collections import defaultdict
from collections.abc import Iterator

from ...findings import Category, Finding, Severity
from ...languages import get_language
from ...patterns import LazyPattern
from ...registry import Context, Rule, register

_TOKEN = LazyPattern(r"\w+(?:['’]\w+)*")
#: A maximal run of letters and digits (``str.isalnum``: ``\w`` but for ``_``).
_ALNUM_RUN = LazyPattern(r"[^\W_]+")
_FINAL = ".,;:!?\u2026"
_OPEN_Q = "\u201c\u201e\u00ab\u2039"
_CLOSE_Q = "\u201d\u00bb\u203a"
_QUOTES = _OPEN_Q + _CLOSE_Q + "\"\u201c"

MAX_HEADING_CHARS = 70
MAX_HEADING_WORDS = 6
#: Body text next to a heading: a line at least this long or ending in punctuation.
BODY_LINE = 60
#: At most this share of a text's lines may look like headings (else it is a list).
MAX_HEADING_SHARE = 0.3
#: Up to this many distinct anchor words are looked up with ``str.find`` over the
#: quotations; more are looked up in an index built in one pass (a find per word over
#: all the quotations grows with headings x text, quadratically in the text).
FIND_ANCHORS = 16


@functools.cache
def _words(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    language = get_language(lang)
    conj = frozenset(str(w).lower() for w in language.data("rendering").get("conjunctions", []))
    function = frozenset(str(w).lower() for w in language.data("function_words").get("words", []))
    return conj, function | conj


def _stem_related(a: str, b: str) -> bool:
    """'attack'/'attacks', 'wild'/'wildly': one word, not two renderings."""
    n = min(len(a), len(b))
    prefix = 0
    while prefix < n and a[prefix] == b[prefix]:
        prefix += 1
    return prefix >= 4 or (prefix >= n - 1 and n >= 3)


def _quoted(ctx: Context) -> list[tuple[int, int]]:
    """Spans of the text inside quotation marks, one line at most each (a quotation
    left open runs to the end of its line)."""
    text = ctx.text
    # ``in`` first: cheaper than the cached lookup for the marks a short text lacks.
    events = sorted(p for ch in _OPEN_Q + _CLOSE_Q + '"' if ch in text for p in ctx.analysis.positions(ch))
    out: list[tuple[int, int]] = []
    open_at = -1
    line_end = -1
    for p in events:
        if p > line_end:
            if open_at >= 0:
                out.append((open_at, line_end))
                open_at = -1
            line_end = text.find("\n", p)
            if line_end == -1:
                line_end = len(text)
        ch = text[p]
        if open_at < 0:
            if ch in _OPEN_Q or ch == '"':
                open_at = p + 1
        elif ch in _CLOSE_Q or ch == '"' or (ch == "\u201c" and text[open_at - 1] == "\u201e"):
            out.append((open_at, p))
            open_at = -1
    if open_at >= 0:
        out.append((open_at, line_end))
    return out


class _Anchors:
    """Where each anchor word stands in the quotations ``low`` as a whole word: the
    positions at which ``low.find(anchor)``, resumed after each match, finds it with no
    letter or digit on either side, in text order."""

    __slots__ = ("_heads", "_index", "_low", "_memo")

    def __init__(self, low: str, anchors: set[str]) -> None:
        self._low = low
        self._memo: dict[str, list[int]] = {}
        self._index: dict[str, list[int]] | None = None
        self._heads: set[str] = set()
        if len(anchors) > FIND_ANCHORS:
            # A whole-word match of an anchor that begins with a letter or digit begins a
            # maximal run of letters and digits equal to the anchor's first such run.
            self._heads = heads = {_head(a) for a in anchors} - {""}
            index: dict[str, list[int]] = defaultdict(list)
            for m in _ALNUM_RUN.finditer(low):
                if (run := m.group()) in heads:
                    index[run].append(m.start())
            self._index = index

    def positions(self, anchor: str) -> list[int]:
        """The whole-word positions of ``anchor`` (see the class)."""
        found = self._memo.get(anchor)
        if found is None:
            head = _head(anchor)
            if self._index is None or head not in self._heads:
                found = self._find(anchor)
            elif head == anchor:
                # Letters and digits only: the matches cannot overlap, and each is a run.
                found = self._index.get(head, [])
            else:
                found = [p for p in self._index.get(head, []) if self._visited(anchor, p)]
            self._memo[anchor] = found
        return found

    def _find(self, anchor: str) -> list[int]:
        low = self._low
        out = []
        pos = low.find(anchor)
        while pos != -1:
            end = pos + len(anchor)
            if (pos == 0 or not low[pos - 1].isalnum()) and (end >= len(low) or not low[end].isalnum()):
                out.append(pos)
            pos = low.find(anchor, end)
        return out

    def _visited(self, anchor: str, pos: int) -> bool:
        """Whether the resumed ``find`` of ``anchor`` (letters or digits, then another
        character: "biden's") stops at ``pos``, where a run begins like it, and the match
        ends a word. Matches that overlap lie in one run of the anchor's own characters, so
        the finds are replayed from that run's start only (a match before it cannot reach
        into it)."""
        low = self._low
        end = pos + len(anchor)
        if not low.startswith(anchor, pos) or (end < len(low) and low[end].isalnum()):
            return False
        chars = set(anchor)
        start = pos
        while start and low[start - 1] in chars:
            start -= 1
        at = low.find(anchor, start, end)
        while at != -1 and at < pos:
            at = low.find(anchor, at + len(anchor), end)
        return at == pos


def _neighbours_may_match(low: str, pos: int, index: int, window: list[str]) -> bool:
    """False where no phrase of ``window`` with its word number ``index`` (letters and
    digits only) at ``pos`` can match but for one word, judged from the words right beside
    it: _compare's words are one space apart, so the word before ends at ``pos - 1`` and
    the word after begins one character after the anchor. At most one word differs, so
    one of two neighbours matches; a lone neighbour that differs leaves every other word
    of the window to match within the stretch _compare reads. An apostrophe or '_' beside
    the anchor may join it to a longer token: no judgement there (True)."""
    end = pos + len(window[index])
    if (pos and low[pos - 1] in "_'’") or (end < len(low) and low[end] in "_'’"):
        return True
    left = window[index - 1] if index else None
    right = window[index + 1] if index + 1 < len(window) else None
    if left is not None and pos - 1 - len(left) >= 0 and low.startswith(left, pos - 1 - len(left)):
        return True  # the word before ends one character before the anchor
    if right is not None and low.startswith(right, end + 1):
        return True
    if left is not None and right is not None:
        return False
    # One neighbour, and it differs: all the other words match.
    lo, hi = max(0, pos - 120), pos + 200
    lone = index - 1 if left is not None else index + 1
    return all(low.find(w, lo, hi) != -1 for i, w in enumerate(window) if i not in (index, lone))


def _head(word: str) -> str:
    """The letters and digits ``word`` begins with ('' if it begins with '_')."""
    m = _ALNUM_RUN.match(word)
    return m.group() if m else ""


class _Lines:
    """Line bounds from the document's (shared, cached) line starts."""

    __slots__ = ("size", "starts")

    def __init__(self, ctx: Context) -> None:
        self.starts = ctx.document.line_starts()
        self.size = len(ctx.text)

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> tuple[int, int]:
        starts = self.starts
        return starts[i], (starts[i + 1] - 1 if i + 1 < len(starts) else self.size)

    def short(self, limit: int) -> tuple[list[int], int]:
        """Indexes of lines of 3 to ``limit`` characters, and the number of non-empty lines
        (numpy for long texts)."""
        starts = self.starts
        if len(starts) < 2000:
            lengths = [b - a - 1 for a, b in itertools.pairwise(starts)] + [self.size - starts[-1]]
            return [i for i, n in enumerate(lengths) if 2 < n <= limit], sum(1 for n in lengths if n > 1)
        import numpy as np

        arr = np.asarray(starts, dtype=np.int64)
        sizes = np.diff(np.append(arr, self.size + 1)) - 1
        return (np.flatnonzero((sizes > 2) & (sizes <= limit)).tolist(),
                int(np.count_nonzero(sizes > 1)))


@register
class InconsistentRendering(Rule):
    id = "rendering.inconsistent"
    category = Category.CONSISTENCY
    severity = Severity.WARNING
    mqm = "Terminology/Inconsistent"
    scope = "document"
    # Not in pieces: a heading is compared with the quotations of the whole text (and left
    # alone where one repeats it exactly, or where headings are over 30% of the lines); a
    # piece compares it with those of its own text and context only.
    description = ("A subheading and a quote render one short source phrase two ways "
                   "('Wild and unreasonable' / 'brutal and unreasonable').")

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        quoted = _quoted(ctx)
        if not quoted:
            return  # the other rendering must stand in a quotation
        conj, function = _words(ctx.language.code)
        headings = self._headings(ctx)
        if not headings:
            return
        # The quoted passages, lower-cased, joined by newlines (offsets mapped back).
        pieces, offsets = [], []
        length = 0
        for q_start, q_end in quoted:
            offsets.append((length, q_start))
            pieces.append(text[q_start:q_end].lower())
            length += q_end - q_start + 1
        low = "\n".join(pieces)
        if len(low) != length - 1:
            return  # lower-casing changed lengths ("İ"): offsets would not map back
        per_heading = []
        anchors: set[str] = set()
        for h_start, h_end in headings:
            words = [m.group().lower() for m in _TOKEN.finditer(text, h_start, h_end)]
            windows = []
            if len(words) >= 3:
                windows.append(words)
            for i in range(1, len(words) - 1):
                if words[i] in conj and len(words) > 3:
                    windows.append(words[i - 1:i + 2])
            per_heading.append((h_start, h_end, windows))
            anchors.update(w for window in windows for w in window if w not in function)
        where = _Anchors(low, anchors)
        line_starts = ctx.document.line_starts()
        # A window's other rendering depends on its words only: a repeated heading (or a
        # pair repeated in several) is looked up once.
        memo: dict[tuple[str, ...], tuple[int, int, str, str] | None] = {}
        for h_start, h_end, windows in per_heading:
            for window in windows:
                key = tuple(window)
                if key in memo:
                    hit = memo[key]
                else:
                    hit = memo[key] = self._other_rendering(low, window, function, where)
                if hit is None:
                    continue
                q_from, q_to, mine, theirs = hit
                k = bisect.bisect_right(offsets, (q_from, len(text) + 1)) - 1
                b_start = offsets[k][1] + q_from - offsets[k][0]
                b_end = b_start + (q_to - q_from)
                if h_start <= b_start < h_end:
                    continue
                heading = text[h_start:h_end]
                # Line starts at or before b_start: the line breaks before it, plus one
                # (a count of the breaks from the text's start would read the text per finding).
                line_no = bisect.bisect_right(line_starts, b_start)
                yield self.finding(
                    ctx, h_start, h_end,
                    f"the heading '{heading}' and '{text[b_start:b_end]}' (line {line_no}) look like "
                    f"two renderings of one source phrase ('{mine}' / '{theirs}'); use one wording",
                    data={"other": text[b_start:b_end], "other_start": b_start, "line": line_no})
                break

    # -- headings ----------------------------------------------------------------
    def _headings(self, ctx: Context) -> list[tuple[int, int]]:
        text = ctx.text
        bounds = _Lines(ctx)
        short, nonempty = bounds.short(MAX_HEADING_CHARS + 4)
        out = []
        starts = bounds.starts
        size = len(text)
        for i in short:
            s = starts[i]
            e = starts[i + 1] - 1 if i + 1 < len(starts) else size
            if text[e - 1] in _FINAL or (text[e - 1] == "\r" and text[e - 2] in _FINAL):
                continue  # most short lines are short sentences
            line = text[s:e]
            stripped = line.strip()
            if not stripped:
                continue
            core = stripped.strip(_QUOTES + " ")
            if not core or core[-1] in _FINAL or not (core[0].isupper()):
                continue
            nwords = len(_TOKEN.findall(core))
            if not 2 <= nwords <= MAX_HEADING_WORDS:
                continue
            if not (self._body(text, bounds, i - 1, -1) or self._body(text, bounds, i + 1, 1)):
                continue
            c_start = s + line.index(core)
            out.append((c_start, c_start + len(core)))
        if nonempty and len(out) > max(2, MAX_HEADING_SHARE * nonempty):
            return []
        return out

    @staticmethod
    def _body(text: str, bounds: _Lines, i: int, step: int) -> bool:
        """True if the nearest non-empty line from ``i`` (going by ``step``) is body text."""
        while 0 <= i < len(bounds):
            s, e = bounds[i]
            line = text[s:e].strip()
            if line:
                return len(line) >= BODY_LINE or line.rstrip(_QUOTES + " ")[-1:] in ".!?:"
            i += step
        return False

    # -- the other rendering -------------------------------------------------------
    def _other_rendering(self, low: str, window: list[str], function: frozenset[str],
                         where: _Anchors) -> tuple[int, int, str, str] | None:
        """(start, end, heading word, quoted word) of a phrase of the quotations ``low``
        equal to ``window`` but for one content word; None if there is none or if the
        phrase also occurs unchanged. ``where``: the anchor words' positions in ``low``."""
        content = [w for w in window if w not in function]
        if len(content) < 2:
            return None
        found = None
        # Anchor on each content word in turn (the changed word may be any of them).
        for anchor_index, anchor in enumerate(window):
            if anchor in function:
                continue
            others = [w for i, w in enumerate(window) if i != anchor_index]
            plain = anchor.isalnum()
            for pos in where.positions(anchor):
                # Positions where _compare cannot find a phrase are skipped without
                # tokenising (each test below is a necessary condition of a match): a
                # common anchor word stands in many places, and a heading's word is looked
                # up for every heading.
                if plain and not _neighbours_may_match(low, pos, anchor_index, window):
                    continue
                # A phrase that matches but for at most one of its three or more words
                # holds all the window's other words but one within the stretch _compare
                # reads.
                lo, hi = max(0, pos - 120), pos + 200
                missing = 0
                for w in others:
                    if low.find(w, lo, hi) == -1:
                        missing += 1
                        if missing > 1:
                            break
                if missing > 1:
                    continue
                hit = self._compare(low, pos, anchor_index, window, function)
                if hit == "exact":
                    return None
                if hit is not None and found is None:
                    found = hit
        return found

    @staticmethod
    def _compare(low: str, pos: int, anchor_index: int, window: list[str],
                 function: frozenset[str]):
        line_start = low.rfind("\n", 0, pos) + 1
        line_end = low.find("\n", pos)
        if line_end == -1:
            line_end = len(low)
        n = len(window)
        before = _TOKEN.findall(low, max(line_start, pos - 120), pos)
        if len(before) < anchor_index:
            return None
        seq = list(_TOKEN.finditer(low, max(line_start, pos - 120), min(line_end, pos + 200)))
        # The anchor is token number len(before) of seq (tokens do not straddle pos).
        first = len(before) - anchor_index
        seq = seq[first:first + n]
        if len(seq) < n:
            return None
        body = [m.group() for m in seq]
        # Only spaces between the words: "brutal and unreasonable", not "brutal. And".
        for a, b in itertools.pairwise(seq):
            if low[a.end():b.start()] not in (" ", "\u00a0"):
                return None
        diffs = [i for i in range(n) if body[i] != window[i]]
        if not diffs:
            return "exact"
        if len(diffs) != 1:
            return None
        i = diffs[0]
        mine, theirs = window[i], body[i]
        if mine in function or theirs in function or _stem_related(mine, theirs) \
                or theirs.isdigit() or mine.isdigit():
            return None
        return seq[0].start(), seq[-1].end(), mine, theirs
