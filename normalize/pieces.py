"""Checking a long text piece by piece, with the findings of checking it whole.

A text too big to hold with all its analyses is cut at line breaks into pieces.
Two things would change a rule's findings if it saw one piece alone:

* what comes just before and after it (a pronoun's antecedent, a caption's
  neighbours, the story's first lines, the next line): each piece is checked
  with up to :data:`CONTEXT_LINES` lines before it and
  :data:`CONTEXT_AFTER_LINES` after it, and the findings in those lines are
  left to the piece they belong to (:attr:`Piece.own_from`, :attr:`Piece.own_to`);
* what the whole text holds (how often each spelling of a place or a name
  occurs, which paragraphs came before): **document facts**. A rule that needs
  them reads them with :func:`document_facts`: on a whole document that collects
  them from the text itself; on a piece it returns what a first pass collected
  from every piece and merged in order. Rules read facts the same way in both
  cases, so a piece's findings are the whole document's by construction, as
  far as the facts say all a rule needs of the rest of the text.

A kind of fact (:class:`FactKind`) collects from the piece's own text only,
with positions into the whole text (:func:`global_offset`), and merges two
consecutive collections; :meth:`FactKind.for_piece` picks what one piece's
second pass needs (default: the merge of all pieces). Kinds register
themselves with :func:`fact_kind` under a name ``module:name`` (the module
that defines them); a rule names the kinds it reads in ``Rule.facts``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from .document import Document
    from .findings import Finding
    from .linter import Linter
    from .registry import Context

T = TypeVar("T")

#: Characters of the text before a piece that are checked with it (whole lines; their
#: findings are reported by the piece before): more than ``name.inconsistent``'s
#: WINDOW (two spellings within 20,000 characters of each other are judged together),
#: the 40 paragraphs back that a near copy is looked for in
#: (``repetition.duplicate_paragraph``), a pronoun's antecedent.
CONTEXT_CHARS = 32_768
#: ... but no more lines than this (a run of blank lines).
CONTEXT_LINES = 2_000
#: Lines after a piece checked with it: a line-scope rule looks at a line's neighbours,
#: and a teaser at the top of a story is compared with the lead a few paragraphs on.
CONTEXT_AFTER_LINES = 8
#: ... and no fewer characters than this: a party's name is judged by the country named
#: up to 1,500 characters after it (``name.institution``, ``name.literal``), an HTML
#: comment may run over a few lines (``debris.html``).
CONTEXT_AFTER_CHARS = 4_096


@dataclass(frozen=True)
class Piece:
    """Where a document's text sits in a larger text checked piece by piece."""

    #: Characters of the whole text before this document's text (its context included).
    offset: int = 0
    #: Lines of the whole text before this document's text.
    lines_before: int = 0
    #: Where this piece's own text starts in the document's text: before it are context
    #: lines, checked with the piece but reported by the piece before.
    own_from: int = 0
    #: Where it ends (None: at the end of the text); after it are context lines too.
    own_to: int | None = None
    #: The facts of the whole text for this piece (kind name -> value); None in the first
    #: pass, which collects them.
    facts: Mapping[str, Any] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class FactKind(Generic[T]):
    """One kind of fact about a whole text, collected piece by piece and merged."""

    name: str
    #: What the document's own text holds (``own_from`` on), positions into the whole text.
    collect: Callable[[Context], T]
    #: The facts of two consecutive stretches of text, the first given first.
    merge: Callable[[T, T], T]
    #: What one piece's second pass gets: ``(facts of the pieces before it or None,
    #: facts of every piece, this piece's own facts) -> value``; default the second.
    for_piece: Callable[[T | None, T, T], Any] | None = None


_KINDS: dict[str, FactKind[Any]] = {}


def fact_kind(kind: FactKind[T]) -> FactKind[T]:
    """Register ``kind`` under its name (a module defining a kind calls this on import)."""
    _KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> FactKind[Any]:
    """The kind registered as ``name`` (``module:name``; the module is imported if need be)."""
    if name not in _KINDS:
        import importlib

        importlib.import_module(name.partition(":")[0])
    try:
        return _KINDS[name]
    except KeyError:
        raise KeyError(f"no document fact kind {name!r}") from None


def global_offset(ctx: Context, local: int) -> int:
    """``local`` (an offset into ``ctx.text``) as an offset into the whole text."""
    piece = ctx.document.piece
    return local if piece is None else local + piece.offset


def lines_before(ctx: Context) -> int:
    """Lines of the whole text before ``ctx.text`` (0 for a whole document)."""
    piece = ctx.document.piece
    return 0 if piece is None else piece.lines_before


def own_range(doc: Document) -> tuple[int, int]:
    """The document's own text as ``(start, end)`` offsets into its text: all of it for a
    whole document, a piece's without its context lines. Where the own text ends the
    whole text, ``end`` is one past it, so that a position at the very end is its own
    (an offset range to compare with, and to slice or search: both stop at the end)."""
    piece = doc.piece
    if piece is None:
        return 0, len(doc.text) + 1
    return piece.own_from, len(doc.text) + 1 if piece.own_to is None else piece.own_to


def own_from(ctx: Context) -> int:
    """Where the document's own text starts (after the context lines of a piece)."""
    piece = ctx.document.piece
    return 0 if piece is None else piece.own_from


def document_facts(ctx: Context, kind: FactKind[T]) -> Any:
    """The facts of kind ``kind`` about the whole text ``ctx`` belongs to.

    On a whole document, the kind's own collection, and then what
    :attr:`FactKind.for_piece` makes of it for the only piece; on a piece in
    the second pass, what the first pass found for it.
    """
    piece = ctx.document.piece
    if piece is not None and piece.facts is not None and kind.name in piece.facts:
        return piece.facts[kind.name]
    # A whole document; or a piece whose text was read once (standard input), which
    # sees only its own facts.
    own = ctx.analysis.shared(kind.collect)
    return kind.for_piece(None, own, own) if kind.for_piece else own


def collect_facts(ctx: Context, names: Iterable[str]) -> dict[str, Any]:
    """The first pass over one piece: each named kind's facts of its own text, and
    under :data:`CARRIED` the analyses it made that the second pass reuses."""
    facts = {name: ctx.analysis.shared(get_kind(name).collect) for name in names}
    carried = Carried.of(ctx)
    if carried is not None:
        facts[CARRIED] = carried
    return facts


#: The key of a piece's facts under which its first pass hands its analyses on.
CARRIED = "normalize.pieces:carried"
#: Analyses (``ctx.analysis`` attributes) a piece's first pass hands on to its second.
CARRIED_PROPERTIES = ("places", "name_runs")
_CARRIED_SHARED: dict[str, Callable[[Any], Any]] = {}


def carried_analysis(build: Callable[[Context], T]) -> Callable[[Context], T]:
    """Register ``build`` (a function given to ``ctx.analysis.shared``) as an analysis a
    piece's first pass hands on to its second, which reads the same text: both passes
    need it (a fact kind collects from it, a rule reads it), and it is small next to the
    text (no reference to the text or the context; pickled with the piece's facts). It
    must not read the document facts (directly or through another analysis, such as
    ``ctx.analysis.people``): the first pass has none, the second has the whole text's."""
    _CARRIED_SHARED[f"{build.__module__}:{build.__qualname__}"] = build
    return build


@dataclass(frozen=True)
class Carried:
    """Analyses of a piece's document made by its first pass, for its second.

    The second pass checks the same text (the piece with the same context lines),
    so it takes them instead of making them again (about a tenth of a check in pieces).
    They are taken only by a document of that very text: the fixer's later passes,
    on fixed text, make their own.
    """

    length: int
    crc: int
    properties: dict[str, Any]
    shared: dict[str, Any]

    @classmethod
    def of(cls, ctx: Context) -> Carried | None:
        """What ``ctx``'s analyses hold of the carried kinds (None: nothing)."""
        analysis = ctx.analysis
        properties = {name: analysis.__dict__[name] for name in CARRIED_PROPERTIES
                      if analysis.computed(name)}
        held = analysis._shared
        shared = {name: held[build] for name, build in _CARRIED_SHARED.items() if build in held}
        if not properties and not shared:
            return None
        return cls(len(ctx.text), _crc(ctx.text), properties, shared)

    def give(self, analysis: Any, text: str) -> None:
        """Seed ``analysis`` (a new document's, of ``text``) with these, if it is the same text."""
        if len(text) != self.length or _crc(text) != self.crc:
            return
        for name, value in self.properties.items():
            analysis.__dict__[name] = value
        for name, value in self.shared.items():
            build = _CARRIED_SHARED.get(name)
            if build is not None:
                analysis._shared[build] = value


def _crc(text: str) -> int:
    import zlib

    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


class FactsMerger:
    """Merges the first pass's facts piece by piece, then gives each piece its share.

    Each piece's own facts are needed again when its share is made, after the
    last piece: they are kept pickled in a spooled file (in memory while small,
    then on disk), so that memory holds only the running merges, whatever the
    length of the text (own facts come to about 1 MB per MB of text).
    """

    #: Own facts kept in memory up to this many bytes (pickled), then on disk.
    SPOOL_BYTES = 8 << 20

    def __init__(self, names: Sequence[str]) -> None:
        import tempfile  # only where a text is read in pieces (not on every start-up)

        self.kinds = [get_kind(name) for name in names]
        self._spool = tempfile.SpooledTemporaryFile(max_size=self.SPOOL_BYTES)  # noqa: SIM115  # closed by shares()
        self._pieces = 0
        self._total: dict[str, Any] = {}
        self._broken = False

    def add(self, facts: Mapping[str, Any]) -> None:
        """The facts of the next piece, in text order (empty: the piece could not be read,
        and the text is reported as such; its pieces then get no facts)."""
        if self._broken or not all(kind.name in facts for kind in self.kinds):
            self._broken = True
            return
        own = {kind.name: facts[kind.name] for kind in self.kinds}
        import pickle

        pickle.dump((own, facts.get(CARRIED)), self._spool, protocol=pickle.HIGHEST_PROTOCOL)
        self._pieces += 1
        for kind in self.kinds:
            name = kind.name
            self._total[name] = own[name] if name not in self._total else kind.merge(self._total[name], own[name])

    def shares(self) -> Iterator[dict[str, Any]]:
        """For each piece in order, the facts its second pass reads (kind name -> value)."""
        if self._broken:
            self._spool.close()
            while True:
                yield {}
        import pickle

        before: dict[str, Any] = {}
        spool = self._spool
        spool.seek(0)
        try:
            for _ in range(self._pieces):
                own, carried = pickle.load(spool)
                share = {} if carried is None else {CARRIED: carried}
                for kind in self.kinds:
                    name = kind.name
                    prior = before.get(name)
                    share[name] = (kind.for_piece(prior, self._total[name], own[name])
                                   if kind.for_piece else self._total[name])
                    before[name] = own[name] if prior is None else kind.merge(prior, own[name])
                del own
                yield share
        finally:
            spool.close()


def cut_lines(text: str, size: int) -> list[tuple[int, int]]:
    """``(start, end)`` of pieces of ``text`` of about ``size`` characters, cut after a
    blank line where there is one in the second half of the piece, else after a line."""
    out: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos < n:
        if n - pos <= size:
            out.append((pos, n))
            break
        cut = text.rfind("\n\n", pos + size // 2, pos + size)
        if cut != -1:
            cut += 2
        else:
            cut = text.find("\n", pos + size)
            cut = n if cut == -1 else cut + 1
        out.append((pos, cut))
        pos = cut
    return out


def context_start(text: str | bytes, start: int, lines: int = CONTEXT_LINES,
                  chars: int = CONTEXT_CHARS) -> int:
    """Where the context of a piece starting at ``start`` (a line start) begins: the
    whole lines that cover the ``chars`` characters (or bytes) before it, at most
    ``lines`` lines."""
    newline: Any = b"\n" if isinstance(text, bytes) else "\n"
    pos = start
    floor = start - chars
    for _ in range(lines):
        if pos <= floor or pos == 0:
            break
        pos = text.rfind(newline, 0, pos - 1) + 1
    return pos


def context_end(text: str | bytes, end: int, lines: int = CONTEXT_AFTER_LINES,
                chars: int = CONTEXT_AFTER_CHARS) -> int:
    """Where the context after a piece ending at ``end`` (a line start) ends: at least
    ``lines`` whole lines and the whole lines that cover ``chars`` characters (or bytes)."""
    newline: Any = b"\n" if isinstance(text, bytes) else "\n"
    pos = end
    count = 0
    while count < lines or pos - end < chars:
        nxt = text.find(newline, pos)
        if nxt == -1:
            return len(text)
        pos = nxt + 1
        count += 1
    return pos


def facts_needed(rules: Iterable[Any]) -> tuple[str, ...]:
    """The fact kinds the given rules read, each once, in a stable order."""
    return tuple(sorted({name for rule in rules for name in getattr(rule, "facts", ())}))


def piece_document(doc: Document, start: int, end: int,
                   facts: Mapping[str, Any] | None, lines_to_start: int | None = None) -> Document:
    """The piece ``doc.text[start:end]`` (cut at line starts) as a document of its own,
    with its context lines around it. ``lines_to_start``: the lines before ``start``,
    when the caller counts them as it goes (counted here otherwise)."""
    text = doc.text
    lo = context_start(text, start)
    hi = context_end(text, end) if end < len(text) else len(text)
    if lines_to_start is None:
        lines_to_start = text.count("\n", 0, start)
    piece = Piece(offset=lo, lines_before=lines_to_start - text.count("\n", lo, start), own_from=start - lo,
                  own_to=None if end >= len(text) else end - lo, facts=facts)
    return dc_replace(doc, text=text[lo:hi], piece=piece, _line_starts=None)


def check_in_pieces(linter: Linter, doc: Document, size: int) -> list[Finding]:
    """``linter.check(doc)`` done piece by piece (pieces of about ``size`` characters):
    a first pass collects the document facts, a second checks each piece with its share.

    The findings are placed in the whole text. The batch engine does the same on a
    file's bytes; this is the reference it is tested against.
    """
    spans = cut_lines(doc.text, size)
    names = facts_needed(linter._active(linter.context(doc), None))
    merger = FactsMerger(names)
    lines = [0]
    for start, end in spans:
        lines.append(lines[-1] + doc.text.count("\n", start, end))
    if names:
        for i, (start, end) in enumerate(spans):
            part = piece_document(doc, start, end, None, lines[i])
            merger.add(collect_facts(linter.context(part), names))
    shares = merger.shares() if names else ({} for _ in spans)
    out: list[Finding] = []
    for i, ((start, end), share) in enumerate(zip(spans, shares)):
        part = piece_document(doc, start, end, share, lines[i])
        piece = part.piece
        assert piece is not None
        out.extend(placed(f, piece) for f in linter.check(part))
    return out


def placed(finding: Finding, piece: Piece) -> Finding:
    """A finding of a piece moved to its place in the whole text."""
    by = piece.offset
    return finding.evolve(
        start=finding.start + by, end=finding.end + by,
        replaces=(finding.replaces[0] + by, finding.replaces[1] + by) if finding.replaces else None,
        also=tuple(dc_replace(e, start=e.start + by, end=e.end + by) for e in finding.also),
        line=finding.line + piece.lines_before)
