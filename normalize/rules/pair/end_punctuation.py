"""pair.end_punctuation: a segment ending in ?, ! or : whose translation ends otherwise, or the reverse.

Full-width and other scripts' marks count as their ASCII kin (。？！： in
Chinese and Japanese, ؟ in Arabic, the Greek question mark ; in Greek), and
closing quotes and brackets after the mark are looked through. A mark the
translation adds is reported only where the source ends with another mark (chat
text often has none) and not for Japanese, which may end a question with 。.
A lost question mark in a short segment is a warning; the rest is information,
since translators turn statements into questions, rhetorical questions of long
sentences into statements, and drop exclamations and colons.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...analysis.segments import segment_pairs
from ...findings import Category, Finding, FixSafety, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register

_EQUIV = {"?": "?", "\uff1f": "?", "\u061f": "?", "\u037e": "?", "!": "!", "\uff01": "!",
          ":": ":", "\uff1a": ":", ".": ".", "\u3002": ".", "\uff0e": ".", "\u2026": "\u2026",
          ";": ";", "\uff1b": ";"}
_CLOSERS = "\"'\u201c\u201d\u2018\u2019\u00bb\u00ab\u201e\u300d\u300f)]}\uff09\u3011 \t\u00a0\u202f*_"
#: The marks this rule compares; '.', ';' and '…' only stand for "something else".
_CHECKED = ("?", "!", ":")
_INNER_END = LazyPattern(r"[.!?\u3002\uff01\uff1f](?:\s|$)|[\u3002\uff01\uff1f]")
#: A lost question mark in a translation of this many words or fewer is a warning.
_SHORT_WORDS = 15
_NAMES = {"?": "a question mark", "!": "an exclamation mark", ":": "a colon"}


def end_mark(text: str, greek: bool = False) -> tuple[int, str] | None:
    """The offset of the segment's last punctuation mark and its ASCII kin, looking
    through closing quotes and brackets; None when it ends in a letter or digit."""
    i = len(text.rstrip(_CLOSERS))
    if i == 0:
        return None
    ch = text[i - 1]
    if ch == ";" and greek:
        return i - 1, "?"
    kin = _EQUIV.get(ch)
    if kin is None:
        return None
    # "?!" and "!?" ask: a cluster of marks is a question if any of them is one.
    j = i - 1
    while j > 0 and _EQUIV.get(text[j - 1]) in ("?", "!"):
        j -= 1
    if kin == "!" and any(_EQUIV.get(c) == "?" for c in text[j:i]):
        kin = "?"
    return i - 1, kin


@register
class PairEndPunctuation(Rule):
    id = "pair.end_punctuation"
    category = Category.TYPOGRAPHY
    severity = Severity.WARNING
    fix = FixSafety.UNSAFE
    mqm = "Fluency/Punctuation"
    needs_source = True
    scope = "document"
    description = ("The source segment ends with '?', '!' or ':' and the translation does not, "
                   "or the reverse (full-width marks count as their ASCII kin).")

    def check(self, ctx: Context) -> Iterator[Finding]:
        src_greek = ctx.source_family == "el"
        tgt_greek = ctx.language.family == "el"
        for pair in segment_pairs(ctx):
            if not pair.target.strip() or not pair.source.strip():
                continue
            s = end_mark(pair.source, src_greek)
            t = end_mark(pair.target, tgt_greek)
            skind = s[1] if s else None
            tkind = t[1] if t else None
            if skind == tkind or (skind not in _CHECKED and tkind not in _CHECKED):
                continue
            if skind not in _CHECKED and (s is None or ctx.source_family == "ja"):
                continue  # chat text without end marks; Japanese questions ending in 。
            if skind in _CHECKED:
                message = f"the source ends with {_NAMES[skind]}, the translation does not"
            else:
                assert tkind is not None  # one of the two ends with a checked mark
                message = f"the translation ends with {_NAMES[tkind]}, the source does not"
            # A translator may make a statement a question, or drop an exclamation or
            # a colon: only a lost question mark is a warning.
            # In a segment of several sentences the question is often rhetorical and
            # rendered as a statement: information there too.
            # So is a long one: a rhetorical question rendered as a statement.
            short = len(pair.target.split()) <= _SHORT_WORDS
            severity = None if skind == "?" and s is not None and short and not _INNER_END.search(pair.source[:s[0]]) \
                else Severity.INFO
            if t is not None:
                start = pair.start + t[0]
                end = start + 1
                replacement = skind
            else:
                start = end = pair.start + len(pair.target.rstrip(_CLOSERS))
                replacement = skind
            yield self.finding(ctx, start, end, message, replacement=replacement, severity=severity,
                               data={"source": skind, "target": tkind})
