"""Inline markup kept out of the text rules see, and edits put back around it.

A target is stored as *raw* content (the characters between ``<target>``
and ``</target>``, or inside a PO ``msgstr``'s quotes). :func:`xml_content`
and :func:`po_content` read it into an :class:`Inline`: the plain text that
rules check (entities and escapes decoded, markup removed) and a map from
each plain character back to the raw characters that wrote it.

Markup is kept where it was: an edit of the plain text is written into the
raw content at the raw span of the characters it replaces, so every byte
outside that span stays as it was (an ``&#233;`` elsewhere stays an entity).
*Hard* tags (elements, comments, ``<ph>`` with its native code, HTML tags in
PO) may not be crossed: an edit with a hard tag strictly inside it is
refused. *Soft* boundaries (where a PO string is wrapped onto the next line)
are carried along: they hold no text, so they are written after the
replacement and the wrapping survives.
"""
from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

#: XLIFF/TMX elements whose content is native code, not text: the whole element
#: (start tag, content, end tag) is one placeholder.
OPAQUE = frozenset({"ph", "bpt", "ept", "it", "ut"})
#: Standalone placeholders (XLIFF ``<x/>``, ``<ph>``; TMX ``<ph>``): they stand for
#: content (a variable, an image), so rules see one OBJECT REPLACEMENT CHARACTER
#: there, not nothing ("Click <x/> now" is not "Click  now" with a doubled space).
OBJECTS = frozenset({"x", "ph"})
#: What rules see in place of a standalone placeholder.
OBJECT_CHAR = "\ufffc"

_XML_TOKEN = re.compile(
    r"""<!--.*?-->|<!\[CDATA\[(?P<cdata>.*?)\]\]>|<\?.*?\?>"""
    r"""|<(?P<close>/)?(?P<name>[^\s/>!?]+)(?:\s(?:[^>"']|"[^"]*"|'[^']*')*?)?(?P<empty>/)?>"""
    r"""|&(?P<ent>\#[0-9]+|\#x[0-9a-fA-F]+|[A-Za-z][\w.-]*);""", re.DOTALL)

#: Protected content (XLIFF 1.2 ``<mrk mtype="protected">``, XLIFF 2 ``<mrk translate="no">``):
#: not ours to check or change, so one placeholder like ``<ph>``.
_PROTECTED = re.compile(r"""<(?:[\w.-]+:)?mrk\s[^>]*?\b(?:mtype\s*=\s*["']protected["']"""
                        r"""|translate\s*=\s*["']no["'])""")

_PO_TOKEN = re.compile(
    r"""(?P<wrap>"[ \t]*\r?\n[ \t]*")|\\(?P<esc>[0-7]{1,3}|x[0-9a-fA-F]{1,2}|.)"""
    r"""|(?P<tag></?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*?)?/?>)""", re.DOTALL)

_PO_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
               "f": "\f", "v": "\v"}
_PO_ESCAPE_OUT = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_XML_ESCAPE_OUT = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


@dataclass(frozen=True)
class Tag:
    """Markup at plain offset ``at``: ``raw`` is exactly what was written there."""

    at: int
    raw_start: int
    raw_end: int
    raw: str
    #: A hard tag may not be crossed by an edit; a soft one (a PO line wrap) moves aside.
    hard: bool = True
    #: A standalone placeholder is one character of the plain text (:data:`OBJECT_CHAR`)
    #: that no edit may touch; other tags hold no text.
    width: int = 0

    def inside(self, start: int, end: int) -> bool:
        """Would an edit of plain ``[start, end)`` break this tag?"""
        if self.width:
            return start <= self.at < end
        return start < self.at < end


@dataclass
class Inline:
    """Plain text of a raw segment, its markup, and the map between the two."""

    raw: str
    text: str = ""
    tags: list[Tag] = field(default_factory=list)
    #: Pieces of the text in order: (plain start, raw start, raw end, one to one?).
    #: A one-to-one piece writes each character as itself; otherwise the piece is
    #: one character written as an entity or escape.
    _pieces: list[tuple[int, int, int, bool]] = field(default_factory=list, repr=False)
    _starts: list[int] = field(default_factory=list, repr=False)
    #: How a replacement is written into the raw content (XML or PO escaping).
    escape: Callable[[str], str] = field(default=lambda s: s, repr=False)
    #: Raw spans (start, end) inside which replacements are written unescaped (CDATA).
    _literal: list[tuple[int, int]] = field(default_factory=list, repr=False)

    @property
    def placeholders(self) -> list[tuple[int, str]]:
        """(plain offset, raw markup) of every hard tag: what must come back unchanged."""
        return [(t.at, t.raw) for t in self.tags if t.hard]

    # -- building --------------------------------------------------------------
    def _add_text(self, raw_start: int, raw_end: int, text: str, one_to_one: bool) -> None:
        if not text:
            return
        self._pieces.append((len(self.text), raw_start, raw_end, one_to_one))
        self._starts.append(len(self.text))
        self.text += text

    def _add_tag(self, raw_start: int, raw_end: int, hard: bool = True) -> None:
        self.tags.append(Tag(len(self.text), raw_start, raw_end, self.raw[raw_start:raw_end], hard))

    def _add_object(self, raw_start: int, raw_end: int) -> None:
        self.tags.append(Tag(len(self.text), raw_start, raw_end, self.raw[raw_start:raw_end],
                             width=1))
        self._add_text(raw_start, raw_end, OBJECT_CHAR, False)

    # -- mapping -----------------------------------------------------------------
    def _piece(self, index: int) -> tuple[int, int, int, bool]:
        return self._pieces[bisect.bisect_right(self._starts, index) - 1]

    def _raw_before(self, index: int) -> int:
        """Raw offset where plain character ``index`` is written (after any tag at ``index``)."""
        plain, raw_start, _, one = self._piece(index)
        return raw_start + (index - plain) if one else raw_start

    def _raw_after(self, index: int) -> int:
        """Raw offset just after plain character ``index - 1`` (before any tag at ``index``)."""
        plain, raw_start, raw_end, one = self._piece(index - 1)
        return raw_start + (index - plain) if one else raw_end

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw span that writes plain ``text[start:end]`` (an insertion: one point)."""
        if start < end:
            return self._raw_before(start), self._raw_after(end)
        if start > 0:
            point = self._raw_after(start)
        elif self.text:
            point = self._raw_before(0)
        else:
            point = len(self.raw)
        return point, point

    def apply(self, edits: list[tuple[int, int, str]]) -> tuple[str, int]:
        """The raw content with plain-text ``edits`` (sorted, not overlapping) applied,
        and how many were refused because a hard tag lies strictly inside them."""
        out: list[str] = []
        pos = 0
        refused = 0
        for start, end, replacement in edits:
            inside = [t for t in self.tags if t.inside(start, end)]
            if any(t.hard for t in inside):
                refused += 1
                continue
            raw_start, raw_end = self.raw_span(start, end)
            literal = any(lo <= raw_start < hi or (raw_start == hi and start == end and lo < hi)
                          for lo, hi in self._literal)
            if literal and "]]>" in replacement:
                refused += 1
                continue
            written = replacement if literal else self.escape(replacement)
            out.append(self.raw[pos:raw_start])
            out.append(written + "".join(t.raw for t in inside))
            pos = raw_end
        out.append(self.raw[pos:])
        return "".join(out), refused


def _xml_escape(text: str) -> str:
    return "".join(_XML_ESCAPE_OUT.get(ch, ch) for ch in text)


def _po_escape(text: str) -> str:
    return "".join(_PO_ESCAPE_OUT.get(ch, ch) for ch in text)


def _entity(name: str) -> str:
    if name.startswith("#x"):
        return chr(int(name, 0))
    if name.startswith("#"):
        return chr(int(name[1:]))
    named = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
    return named.get(name) or html.unescape(f"&{name};")


def xml_content(raw: str) -> Inline:
    """The inline model of an XLIFF/TMX segment's raw content.

    Elements (``<g>``, ``<bx/>``, ``<ex/>``, ``<pc>``, ``<mrk>``, ``<sc/>``,
    ...) are hard tags holding no text; ``<bpt>``, ``<ept>``, ``<it>``,
    ``<ut>`` are one hard tag with their native code; ``<x/>``, ``<ph>`` and
    protected ``<mrk>`` are one object character (:data:`OBJECT_CHAR`);
    comments and processing instructions are hard tags; CDATA is text.
    """
    inline = Inline(raw, escape=_xml_escape)
    pos = 0
    opaque: list[str] = []  # names of open opaque elements
    opaque_start = 0
    opaque_object = False
    for match in _XML_TOKEN.finditer(raw):
        if opaque:
            name = match["name"]
            if name is not None and name.split(":")[-1] == opaque[-1] and not match["empty"]:
                if match["close"]:
                    opaque.pop()
                else:
                    opaque.append(opaque[-1])
            if not opaque:
                if opaque_object:
                    inline._add_object(opaque_start, match.end())
                else:
                    inline._add_tag(opaque_start, match.end())
                pos = match.end()
            continue
        inline._add_text(pos, match.start(), raw[pos:match.start()], True)
        if match["ent"] is not None:
            inline._add_text(match.start(), match.end(), _entity(match["ent"]), False)
        elif match["cdata"] is not None:
            body_start = match.start("cdata")
            inline._add_tag(match.start(), body_start)
            inline._add_text(body_start, match.end("cdata"), match["cdata"], True)
            inline._literal.append((body_start, match.end("cdata")))
            inline._add_tag(match.end("cdata"), match.end())
        elif match["name"] is not None and not match["close"] and not match["empty"] and (
                match["name"].split(":")[-1] in OPAQUE or _PROTECTED.match(match.group())):
            name = match["name"].split(":")[-1]
            opaque.append(name)
            opaque_start = match.start()
            opaque_object = name in OBJECTS or name == "mrk"
        elif match["name"] is not None:
            _tag_or_object(inline, match.start(), match.end(), match["name"].split(":")[-1])
        else:
            inline._add_tag(match.start(), match.end())
        pos = match.end()
    if opaque:  # not well formed; the file's parser has said so already
        inline._add_tag(opaque_start, len(raw))
    else:
        inline._add_text(pos, len(raw), raw[pos:], True)
    return inline


def _tag_or_object(inline: Inline, raw_start: int, raw_end: int, name: str) -> None:
    if name in OBJECTS and not inline.raw.startswith("</", raw_start):
        inline._add_object(raw_start, raw_end)
    else:
        inline._add_tag(raw_start, raw_end)


def po_content(raw: str) -> Inline:
    """The inline model of a PO string: ``raw`` runs from just after the first
    opening quote to just before the last closing quote (line wraps included).

    Escapes are one character each; HTML tags are hard tags; each line wrap
    (``"`` line break ``"``) is a soft boundary.
    """
    inline = Inline(raw, escape=_po_escape)
    pos = 0
    for match in _PO_TOKEN.finditer(raw):
        inline._add_text(pos, match.start(), raw[pos:match.start()], True)
        if match["wrap"] is not None:
            inline._add_tag(match.start(), match.end(), hard=False)
        elif match["tag"] is not None:
            inline._add_tag(match.start(), match.end())
        else:
            esc = match["esc"]
            if esc[0] in "01234567":
                char = chr(int(esc, 8))
            elif esc[0] == "x" and len(esc) > 1:
                char = chr(int(esc[1:], 16))
            else:
                char = _PO_ESCAPES.get(esc, esc)
            inline._add_text(match.start(), match.end(), char, False)
        pos = match.end()
    inline._add_text(pos, len(raw), raw[pos:], True)
    return inline


def plain_edits(before: str, after: str) -> list[tuple[int, int, str]]:
    """The edits (start, end, replacement) that turn ``before`` into ``after``,
    as small as a character diff makes them, in text order."""
    import difflib

    if before == after:
        return []
    # Common prefix and suffix first: the usual fix touches one place, and the
    # matcher is quadratic in what is left.
    lo = 0
    limit = min(len(before), len(after))
    while lo < limit and before[lo] == after[lo]:
        lo += 1
    hi = 0
    while hi < limit - lo and before[-1 - hi] == after[-1 - hi]:
        hi += 1
    a, b = before[lo:len(before) - hi], after[lo:len(after) - hi]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(lo + i1, lo + i2, b[j1:j2]) for op, i1, i2, j1, j2 in matcher.get_opcodes()
            if op != "equal"]
