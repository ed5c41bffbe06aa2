"""Text helpers shared by rules: clean removal spans, case transfer, line bounds."""
from __future__ import annotations

_SPACES = " \t\u00a0\u202f"
_CLOSING = ".,;:!?)]}\u00bb\u201d\u2019"
#: Marks that set a word apart on purpose (quoted, emphasised).
_QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u2039\u203a*_"


def line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Start of the line holding ``start`` and end of the line holding ``end`` (before its newline)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end == -1:
        line_end = len(text)
    elif line_end > 0 and text[line_end - 1] == "\r":
        line_end -= 1
    return line_start, line_end


def _is_blank(text: str, start: int, end: int) -> bool:
    return not text[start:end].strip()


def removal_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span to delete so that removing ``text[start:end]`` leaves clean text.

    If the match is alone on its line, the whole line goes with its line
    break, plus one neighbouring blank line when it stood between blank lines
    (so no double blank line is left). Otherwise one neighbouring run of
    spaces goes with it, so no double space is left.
    """
    line_start, line_end = line_bounds(text, start, end)
    if _is_blank(text, line_start, start) and _is_blank(text, end, line_end):
        # Whole line: take its terminator (\n or \r\n) too.
        after = text.find("\n", line_end)
        if after == len(text) - 1 and line_start > 0 and _prev_line_blank(text, line_start):
            # The last line, after a blank line: take the blank line too, so the
            # text does not end in an empty line.
            return text.rfind("\n", 0, line_start - 1) + 1, len(text)
        if after == -1:
            # Last line: take the preceding line break instead.
            cut_start = line_start
            if cut_start > 0:
                cut_start -= 1
                if cut_start > 0 and text[cut_start - 1] == "\r":
                    cut_start -= 1
            return cut_start, len(text)
        cut_end = after + 1
        prev_blank = line_start == 0 or _prev_line_blank(text, line_start)
        if prev_blank:
            # Swallow the following blank line too, so blank lines do not pile up.
            next_end = text.find("\n", cut_end)
            if next_end != -1 and _is_blank(text, cut_end, next_end):
                cut_end = next_end + 1
        return line_start, cut_end
    # Inline: take one neighbouring run of spaces, only where two runs would
    # otherwise meet, or where spaces would be left at a line edge or before
    # punctuation. "a <b>word" loses only the tag.
    lead = start
    while lead > line_start and text[lead - 1] in _SPACES:
        lead -= 1
    trail = end
    while trail < line_end and text[trail] in _SPACES:
        trail += 1
    if trail > end and (lead < start or lead == line_start):
        return (lead if trail == line_end else start), trail
    if lead < start and (trail == line_end or text[trail] in _CLOSING):
        return lead, trail
    return start, end


def _prev_line_blank(text: str, line_start: int) -> bool:
    if line_start < 1:
        return True
    prev_start = text.rfind("\n", 0, line_start - 1) + 1
    return _is_blank(text, prev_start, line_start - 1)


def transfer_case(surface: str, replacement: str) -> str:
    """Give ``replacement`` the casing of ``surface`` ("KIEV" → "KYIV")."""
    letters = [c for c in surface if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if surface[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def common_affixes(a: str, b: str) -> tuple[int, int]:
    """Lengths of the common prefix and suffix of two strings (not overlapping)."""
    limit = min(len(a), len(b))
    prefix = 0
    while prefix < limit and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    return prefix, suffix


def quoted_on_purpose(text: str, start: int, end: int) -> bool:
    """Quoted, emphasised or glossed on purpose: 'word', «word», "a title", word (gloss)."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if before in _QUOTES or after in _QUOTES or text[end:end + 2] == " (":
        return True
    line = text[text.rfind("\n", 0, start) + 1:start]
    return (line.count("\u201c") + line.count("\u00ab") + line.count("\u201e")
            > line.count("\u201d") + line.count("\u00bb")) or line.count('"') % 2 == 1
