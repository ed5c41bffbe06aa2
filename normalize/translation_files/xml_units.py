"""XLIFF 1.2, XLIFF 2.x and TMX 1.4 read as a stream of units with byte spans.

Two readers see the same bytes, block by block, so memory stays bounded on a
TMX of any size:

- lxml's pull parser (:class:`Validator`) decides whether the file is
  well-formed XML and gives the line of any error; each unit element is
  cleared once parsed, so it never holds more than one unit.
- :class:`UnitScanner` finds where each unit, source and target is written
  (byte offsets, line numbers) and reads the attributes that matter (ids,
  languages, states). ``fix`` edits those bytes and nothing else, which is
  how the rest of the file stays byte for byte as it was.

Only UTF-8 (or ASCII) files are read; any other declared encoding is refused.
"""
from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field

from ..errors import InputError
from .units import Unit

#: The element that holds one unit, per format.
UNIT_ELEMENTS = {"xliff": ("trans-unit", "unit"), "tmx": ("tu",)}
#: The root element of each format.
ROOTS = {"xliff": "xliff", "tmx": "tmx"}
_ARTICLE = {"xliff": "an", "tmx": "a"}
#: (element, parent) pairs whose content is a segment: jumped over, not parsed.
_LEAVES = {("source", "trans-unit"), ("target", "trans-unit"), ("source", "segment"),
           ("target", "segment"), ("seg", "tuv")}
#: XLIFF 1.2 target states that mean "done, do not touch".
FINAL_STATES = frozenset({"final", "signed-off"})

_SPECIAL = re.compile(rb"<(?:!--|!\[CDATA\[|\?|!)|<(/?)([^\s/>!?]+)")
_TAG = re.compile(rb"""<(/?)([^\s/>]+)((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_ATTR = re.compile(r"""([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def local(name: str) -> str:
    """An element or attribute name without its namespace prefix."""
    return name.rsplit(":", 1)[-1] if ":" in name else name


@functools.lru_cache(maxsize=64)
def _end_pattern(name: str) -> re.Pattern[bytes]:
    """What ends a segment's content: its end tag, or a comment or CDATA to skip."""
    return re.compile(rb"<!--|<!\[CDATA\[|</" + re.escape(name.encode()) + rb"\s*>")


def attributes(text: str) -> dict[str, str]:
    """Attributes of a start tag's attribute text, by local name (``xml:lang`` kept whole)."""
    out = {}
    for name, dq, sq in _ATTR.findall(text):
        value = html.unescape(dq if dq or not sq else sq)
        out[name if name == "xml:lang" else local(name)] = value
    return out


class Validator:
    """Well-formedness of the whole file by lxml's pull parser, fed block by block."""

    def __init__(self, path: str, fmt: str) -> None:
        from lxml import etree

        self._etree = etree
        self.path = path
        tags = tuple(f"{{*}}{name}" for name in UNIT_ELEMENTS[fmt]) + UNIT_ELEMENTS[fmt]
        # No entities resolved, nothing fetched: a translation file is data, never a program.
        self.parser = etree.XMLPullParser(events=("end",), tag=tags, resolve_entities=False,
                                          no_network=True, huge_tree=True, load_dtd=False)

    def feed(self, block: bytes) -> None:
        """Parse the next block; a syntax error is an :class:`InputError` with its line."""
        try:
            self.parser.feed(block)
        except self._etree.XMLSyntaxError as exc:
            raise self._error(exc) from None
        self._drop()

    def close(self) -> None:
        """The file has ended: an unclosed element is an error too."""
        try:
            self.parser.close()
        except self._etree.XMLSyntaxError as exc:
            raise self._error(exc) from None

    def _drop(self) -> None:
        for _, elem in self.parser.read_events():
            elem.clear(keep_tail=True)
            parent = elem.getparent()
            while parent is not None and elem.getprevious() is not None:
                del parent[0]

    def _error(self, exc) -> InputError:
        message = (exc.msg or str(exc)).split(", line ")[0].strip()
        return InputError(self.path, f"malformed XML: {message}", exc.lineno or None)


@dataclass
class _Open:
    name: str
    attrs: dict[str, str]
    number: int


@dataclass
class _Partial:
    """A unit being scanned: where it starts and the segments found so far."""

    name: str
    start: int
    line: int
    attrs: dict[str, str]
    final: bool
    #: (container element, its attributes, its number, leaf name, leaf attributes, content span)
    leaves: list[tuple[str, dict[str, str], int, str, dict[str, str], tuple[int, int] | None]] = \
        field(default_factory=list)


class UnitScanner:
    """Finds units in XML bytes fed block by block (see the module docstring).

    :meth:`feed` adds bytes; :meth:`take` hands back the bytes scanned so far
    up to the end of the last complete unit, with those units (spans into the
    bytes handed back), and forgets them.
    """

    def __init__(self, path: str, fmt: str, prefer_target: str | None = None) -> None:
        self.path = path
        self.fmt = fmt
        self.units_names = UNIT_ELEMENTS[fmt]
        self.prefer_target = prefer_target
        self.buf = bytearray()
        self.pos = 0           # scan position in buf
        self.line = 1          # line at buf[pos]
        self.first_line = 1    # line at buf[0]
        self.stack: list[_Open] = []
        self.unit: _Partial | None = None
        self.done: list[Unit] = []
        self.done_end = 0      # buf offset just after the last complete unit
        self.count = 0         # units seen (TMX ids by position)
        self.numbered = 0
        self.header: dict[str, str] = {}
        self.checked_encoding = False
        self.languages: tuple[str | None, str | None] = (None, None)

    # -- feeding ---------------------------------------------------------------
    def feed(self, block: bytes, eof: bool = False) -> None:
        """Scan the next block (``eof``: no more will come); complete units wait for :meth:`take`."""
        self.buf += block
        if not self.checked_encoding and (len(self.buf) >= 200 or eof):
            self._check_encoding()
        self._scan(eof)

    def take(self) -> tuple[bytes, list[Unit]]:
        """Bytes up to the end of the last complete unit (all, after the end), and their units."""
        cut = self.done_end
        # Cut after the rest of the unit's last line, when the next unit starts on
        # another line: chunks then hold whole lines (their diffs place cleanly).
        limit = self.unit.start if self.unit is not None else self.pos
        newline = self.buf.find(b"\n", cut, limit)
        if newline != -1:
            cut = newline + 1
        data = bytes(self.buf[:cut])
        self.first_line += data.count(b"\n")
        units = self.done
        del self.buf[:cut]
        self.pos -= cut
        self.done_end = 0
        self.done = []
        if self.unit is not None:
            self.unit.start -= cut
            self.unit.leaves = [(c, ca, n, leaf, la, span and (span[0] - cut, span[1] - cut))
                                for c, ca, n, leaf, la, span in self.unit.leaves]
        return data, units

    def finish(self) -> tuple[bytes, list[Unit]]:
        """What is left once the file has ended (everything after the last unit)."""
        self.done_end = len(self.buf)
        return self.take()

    def pending(self) -> int:
        """Bytes of complete units waiting to be taken."""
        return self.done_end

    def _check_encoding(self) -> None:
        self.checked_encoding = True
        head = bytes(self.buf[:200])
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
            raise InputError(self.path, "UTF-16 translation files are not read: convert to UTF-8", 1)
        match = _ENCODING.match(head.removeprefix(b"\xef\xbb\xbf"))
        if match and match[1].lower().replace(b"_", b"-") not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
            raise InputError(self.path, f"encoding {match[1].decode()} is not read: convert to UTF-8", 1)

    # -- scanning --------------------------------------------------------------
    def _advance(self, to: int) -> None:
        self.line += self.buf.count(b"\n", self.pos, to)
        self.pos = to

    def _scan(self, eof: bool) -> None:
        buf = self.buf
        while True:
            match = _SPECIAL.search(buf, self.pos)
            if match is None:
                # A "<" or "</" at the very end may open a tag the next block completes.
                self._advance(len(buf) if eof else max(self.pos, len(buf) - 2))
                return
            start = match.start()
            if match.group(2) is None:  # comment, CDATA, processing instruction, DOCTYPE
                end = self._special_end(start)
                if end == -1:
                    self._advance(start)
                    return
                self._advance(end)
                continue
            tag = _TAG.match(buf, start)
            if tag is None:
                self._advance(start)
                return  # the tag is not complete yet (or the file is cut; lxml says so)
            self._advance(start)
            closing, name = tag.group(1) == b"/", tag.group(2).decode("utf-8", "replace")
            attr_text = tag.group(3).decode("utf-8", "replace")
            empty = attr_text.endswith("/")
            if closing:
                self._close(local(name), tag.end())
                self._advance(tag.end())
                continue
            element = local(name)
            parent = self.stack[-1].name if self.stack else None
            attrs = attributes(attr_text.rstrip("/"))
            if self.unit is not None and (element, parent) in _LEAVES and not empty:
                content = self._content_end(tag.end(), name)
                if content is None:
                    return  # wait for the rest of the segment
                container = self.stack[-1]
                self.unit.leaves.append((container.name, container.attrs, container.number,
                                         element, attrs, (tag.end(), content[0])))
                self._advance(content[1])
                continue
            if self.unit is not None and (element, parent) in _LEAVES:
                # <target/>, <seg/>: there, but empty: no text to check or fix.
                container = self.stack[-1]
                self.unit.leaves.append((container.name, container.attrs, container.number,
                                         element, attrs, None))
                self._advance(tag.end())
                continue
            self._open(element, attrs, start, tag.end(), empty)
            self._advance(tag.end())

    def _special_end(self, start: int) -> int:
        buf = self.buf
        if buf.startswith(b"<!--", start):
            end = buf.find(b"-->", start + 4)
            return -1 if end == -1 else end + 3
        if buf.startswith(b"<![CDATA[", start):
            end = buf.find(b"]]>", start + 9)
            return -1 if end == -1 else end + 3
        if buf.startswith(b"<?", start):
            end = buf.find(b"?>", start + 2)
            return -1 if end == -1 else end + 2
        gt = buf.find(b">", start)
        bracket = buf.find(b"[", start, gt if gt != -1 else len(buf))
        if bracket != -1:  # a DOCTYPE with an internal subset
            close = buf.find(b"]", bracket)
            gt = -1 if close == -1 else buf.find(b">", close)
        return -1 if gt == -1 else gt + 1

    def _content_end(self, pos: int, name: str) -> tuple[int, int] | None:
        """(start, end) of the end tag of the leaf ``name`` opened before ``pos``."""
        pattern = _end_pattern(name)
        buf = self.buf
        while True:
            match = pattern.search(buf, pos)
            if match is None:
                return None
            if match.group().startswith(b"</"):
                return match.start(), match.end()
            end = self._special_end(match.start())
            if end == -1:
                return None
            pos = end

    def _open(self, element: str, attrs: dict[str, str], start: int, end: int, empty: bool) -> None:
        if not self.numbered and element != ROOTS[self.fmt]:
            raise InputError(self.path, f"not {_ARTICLE[self.fmt]} {self.fmt.upper()} file: the root element is "
                                        f"<{element}>, not <{ROOTS[self.fmt]}>", self.line)
        if element == "header" and self.fmt == "tmx":
            self.header = attrs
        if element in ("xliff", "file"):
            self._languages(element, attrs)
        if element in self.units_names and self.unit is None:
            final = any(o.attrs.get("translate") == "no" for o in self.stack)
            self.unit = _Partial(element, start, self.line, attrs, final)
        if empty:
            self._close(element, end, pop=False)
            return
        self.numbered += 1
        self.stack.append(_Open(element, attrs, self.numbered))

    def _languages(self, element: str, attrs: dict[str, str]) -> None:
        if element == "xliff" and ("srcLang" in attrs or "trgLang" in attrs):
            self.languages = (attrs.get("srcLang"), attrs.get("trgLang"))
        elif element == "file" and ("source-language" in attrs or "target-language" in attrs):
            self.languages = (attrs.get("source-language"), attrs.get("target-language"))

    def _close(self, element: str, end: int, pop: bool = True) -> None:
        if pop and self.stack:
            self.stack.pop()
        if self.unit is not None and element == self.unit.name:
            unit, self.unit = self.unit, None
            self.count += 1
            self.done.extend(self._units(unit))
            self.done_end = end

    # -- units -------------------------------------------------------------------
    def _units(self, unit: _Partial) -> list[Unit]:
        if self.fmt == "tmx":
            return [self._tmx_unit(unit)]
        if unit.name == "unit":
            return self._xliff2_units(unit)
        return [self._xliff1_unit(unit)]

    def _error(self, unit: _Partial, problem: str) -> InputError:
        return InputError(self.path, problem, unit.line)

    def _xliff1_unit(self, unit: _Partial) -> Unit:
        ident = unit.attrs.get("id")
        sources = [leaf for leaf in unit.leaves if leaf[3] == "source"]
        targets = [leaf for leaf in unit.leaves if leaf[3] == "target"]
        if not sources:
            raise self._error(unit, f"trans-unit {ident!r} has no <source>")
        target = targets[0] if targets else None
        state = target[4].get("state", "") if target else ""
        final = (unit.final or unit.attrs.get("translate") == "no"
                 or unit.attrs.get("approved") == "yes" or state in FINAL_STATES
                 or _locked(unit.attrs) or (target is not None and _locked(target[4])))
        source_lang, target_lang = self.languages
        if target is not None and target[4].get("xml:lang"):
            target_lang = target[4]["xml:lang"]
        return Unit(ident or f"#{self.count}", unit.line, sources[0][5],
                    target[5] if target else None, source_lang, target_lang, final)

    def _xliff2_units(self, unit: _Partial) -> list[Unit]:
        ident = unit.attrs.get("id") or f"#{self.count}"
        segments: dict[int, dict] = {}
        for container, cattrs, number, leaf, lattrs, span in unit.leaves:
            if container != "segment":
                continue
            segment = segments.setdefault(number, {"attrs": cattrs})
            segment.setdefault(leaf, span)
        if not segments:
            raise self._error(unit, f"unit {ident!r} has no <segment> with a <source>")
        out = []
        source_lang, target_lang = self.languages
        for n, segment in enumerate(segments.values(), 1):
            if "source" not in segment:
                raise self._error(unit, f"unit {ident!r}: a <segment> has no <source>")
            attrs = segment["attrs"]
            seg_id = attrs.get("id")
            name = ident if len(segments) == 1 else f"{ident}/{seg_id or n}"
            final = (unit.final or unit.attrs.get("translate") == "no"
                     or attrs.get("state") == "final" or _locked(unit.attrs) or _locked(attrs))
            target = segment.get("target")
            out.append(Unit(name, unit.line, segment["source"],
                            target if target else None, source_lang, target_lang,
                            final))
        return out

    def _tmx_unit(self, unit: _Partial) -> Unit:
        ident = unit.attrs.get("tuid") or f"#{self.count}"
        tuvs = [(lattrs, cattrs, span) for container, cattrs, number, leaf, lattrs, span
                in unit.leaves if container == "tuv"]
        if len(tuvs) < 2:
            raise self._error(unit, f"tu {ident!r} has {len(tuvs)} <tuv> with a <seg>; "
                                    "a translation unit needs a source and a target")
        srclang = self.header.get("srclang", "")

        def lang(cattrs: dict[str, str]) -> str:
            return cattrs.get("xml:lang") or cattrs.get("lang") or ""

        source = next((t for t in tuvs if _same_lang(lang(t[1]), srclang)), tuvs[0])
        others = [t for t in tuvs if t is not source]
        target = next((t for t in others if self.prefer_target and
                       _same_lang(lang(t[1]), self.prefer_target)), others[0])
        return Unit(ident, unit.line, source[2], target[2],
                    lang(source[1]) or None, lang(target[1]) or None, _locked(unit.attrs))


def _locked(attrs: dict[str, str]) -> bool:
    return attrs.get("locked", "").lower() in ("true", "yes", "1")


def _same_lang(a: str, b: str) -> bool:
    """Language tags match by their primary subtag (``en-US`` is ``en``)."""
    if not a or not b or b == "*all*":
        return False
    return a.replace("_", "-").split("-")[0].lower() == b.replace("_", "-").split("-")[0].lower()
