"""The one model of a translation unit, whatever file it came from."""
from __future__ import annotations

from dataclasses import dataclass

from .inline import Inline, po_content, xml_content


@dataclass
class Unit:
    """One source/target pair of a translation file.

    Spans are byte offsets of the raw content (between the tags, or inside a
    PO string's quotes) in the bytes the unit was read from; ``line`` is the
    1-based line where the unit starts (``<trans-unit>``, ``<unit>``, ``<tu>``,
    the PO entry's first line).
    """

    id: str
    line: int
    source_span: tuple[int, int] | None
    target_span: tuple[int, int] | None
    source_lang: str | None = None
    target_lang: str | None = None
    #: XLIFF ``state="final"``/``signed-off``, ``approved="yes"``, ``translate="no"``,
    #: a locked segment: left alone unless ``--include-final``.
    final: bool = False
    #: "xml" (XLIFF, TMX) or "po": how the raw content is written.
    syntax: str = "xml"
    #: PO: the entry's ``msgctxt`` and ``msgid`` (shown with findings).
    context: str | None = None

    def source(self, data: bytes) -> Inline | None:
        """The source's inline model, read from ``data`` (the bytes the spans are into)."""
        return self._inline(data, self.source_span)

    def target(self, data: bytes) -> Inline | None:
        """The target's inline model, or None when the unit has no target."""
        return self._inline(data, self.target_span)

    def _inline(self, data: bytes, span: tuple[int, int] | None) -> Inline | None:
        if span is None:
            return None
        raw = data[span[0]:span[1]].decode("utf-8")
        return po_content(raw) if self.syntax == "po" else xml_content(raw)


@dataclass(frozen=True)
class PlainUnit:
    """A unit as text (what :func:`~normalize.translation_files.read_units` returns)."""

    id: str
    line: int
    source: str | None
    target: str | None
    source_lang: str | None
    target_lang: str | None
    final: bool
    #: (plain offset, raw markup) of the target's hard tags.
    placeholders: tuple[tuple[int, str], ...] = ()
