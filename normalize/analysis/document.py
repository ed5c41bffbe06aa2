"""The analyses of one document, each computed on first use and kept.

Rules read them as attributes of ``ctx.analysis`` (a :class:`DocumentAnalysis`):
``ctx.analysis.words``, ``ctx.analysis.capital_runs`` ... Each analysis has
one implementation, in a module of this package; what a module needs beyond
the standard library (numpy, the gazetteer, language data) is imported when
the analysis is first asked for, so a check of a short text never pays for
analyses no selected rule reads.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from ..lazy import Imports, cached_property
from ..patterns import folded_for_literals, holds_required

if TYPE_CHECKING:
    from ..lexicon.tokens import LetterRuns
    from ..registry import Context
    from .capitals import CapitalRuns, NameRuns
    from .language_spans import Fragment
    from .people import Mention
    from .places import Toponym
    from .sentences import ProseSentences, Sentence
    from .word_index import WordIndex
    from .words import WordSpans

T = TypeVar("T")

#: What the analyses are made with, imported on first use: a check of a short text
#: never pays for analyses no selected rule reads (numpy, the gazetteer, language data).
_imports = Imports(__package__, pieces="..pieces", words=".words", capitals=".capitals",
                   places=".places", people=".people", language_spans=".language_spans",
                   sentences=".sentences", tokenised=".tokenised", word_index=".word_index",
                   tokens="..lexicon.tokens")

#: Analyses made of line-local items with ``start``/``end`` offsets. After a fix
#: pass the fixer carries them over to the new text (shifting untouched items,
#: re-analysing the edited lines), so document-scope rules built on them need
#: not rescan the whole text.
CARRIED = ("places",)

#: Texts shorter than this keep their lower-cased copy (:attr:`DocumentAnalysis.lower`).
KEEP_LOWER = 65_536

#: Texts shorter than this are split into prose sentences whole even when only the first
#: is asked for (:meth:`DocumentAnalysis.first_prose_sentence`).
SPLIT_WHOLE = 16_384


class DocumentAnalysis:
    """Lazily computed analyses of the document of one :class:`~normalize.registry.Context`."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.text = ctx.text
        self._positions: dict[str, list[int]] = {}
        self._shared: dict[Callable[[Any], Any], Any] = {}
        #: :attr:`lower`, once made, in a 1-tuple (its value may be None).
        self._lower: tuple[str | None] | None = None
        self._lower_aligned: str | None = None
        #: The text through folded_for_literals (a short text), and the last window
        #: asked about: see :meth:`_folded_window`.
        self._folded: str | None = None
        self._window: tuple[int, int, str] | None = None
        piece = ctx.document.piece
        if piece is not None and piece.facts:
            # The second pass over a piece of a large text: what its first pass made.
            carried = piece.facts.get(_imports.pieces.CARRIED)
            if carried is not None:
                carried.give(self, self.text)

    def shared(self, build: Callable[[Context], T]) -> T:
        """``build(ctx)``, computed once per document: what the rules of one group derive
        from the analyses and share (the gender cues, the toponym spelling reports). Keyed
        by the function itself, so its result keeps its type and no name can clash."""
        try:
            return self._shared[build]
        except KeyError:
            found = self._shared[build] = build(self.ctx)
            return found

    def computed(self, name: str) -> bool:
        """Whether the analysis ``name`` (one of :data:`CARRIED`) has been computed."""
        return name in self.__dict__

    def adopt(self, name: str, items: list) -> None:
        """Take ``items`` as the analysis ``name`` (one of :data:`CARRIED`): the fixer
        hands over what it carried from the text before the fix."""
        if name not in CARRIED:
            raise ValueError(f"{name!r} is not a carried analysis ({', '.join(CARRIED)})")
        self.__dict__[name] = items

    @cached_property
    def words(self) -> WordSpans:
        """Every ``\\w+`` word (any script), with capital flags and lower-case forms."""
        return _imports.words.WordSpans(self.text)

    @cached_property
    def letter_runs(self) -> LetterRuns:
        """Runs of letters (``[^\\W\\d_]+``, any script) with their offsets, the words a
        lexicon is asked about: at least every one that is a whole word. For a short text
        just those, read off :attr:`words`
        (:func:`~normalize.lexicon.tokens.letter_words`); for a large one every run
        (:func:`~normalize.lexicon.tokens.letter_runs`, one C-level split, where the words
        are numpy offsets). Readers look at a run's neighbours themselves."""
        words = self.words
        if words.fast:
            return _imports.tokens.letter_runs(self.text)
        return _imports.tokens.letter_words(words.words(), words.starts)

    @cached_property
    def capital_runs(self) -> CapitalRuns:
        """Runs of two or more capitalised words joined by a space or hyphen (no-break
        and Unicode ones too): "Foreign Minister Sergei Lavrov", "Jean-Yves Le Drian"."""
        return _imports.capitals.find_capital_runs(self.words, _imports.capitals.NAME_JOINERS)

    @cached_property
    def capital_runs_ascii_joined(self) -> CapitalRuns:
        """:attr:`capital_runs` joined only by an ASCII space or hyphen: the runs the
        gender analysis reads as names (it has never joined them by no-break spaces or
        Unicode hyphens; kept so that its findings do not change). In a text with no
        such joiner, the two are one."""
        capitals = _imports.capitals
        if not any(j in self.text for j in capitals.NAME_JOINERS if j not in " -"):
            return self.capital_runs
        return capitals.find_capital_runs(self.words, " -")

    @cached_property
    def name_runs(self) -> NameRuns:
        """The last two words of each of :attr:`capital_runs`, read as given name and
        surname ("Artak Beglaryan", "Foreign Minister Sergei Lavrov")."""
        return _imports.capitals.name_runs(self.words, self.capital_runs)

    @cached_property
    def places(self) -> list[Toponym]:
        """Place mentions: the gazetteer's names found among the capitalised words, each
        resolved to a place and the status of its spelling; matches inside a place's
        exceptions ("chicken Kiev", "Odessa, Texas") are left out."""
        return _imports.places.find_places(self.ctx)

    @cached_property
    def people(self) -> list[Mention]:
        """Person mentions: known people (``corpora/names/people.yaml``) named in the text,
        by surname with or without their given name or title, in text order."""
        return _imports.people.find_people(self.ctx)

    @cached_property
    def language_spans(self) -> list[Fragment]:
        """Text left in another language or script (Cyrillic in English copy, an
        English clause in French copy), in text order, not overlapping."""
        return _imports.language_spans.find_fragments(self.ctx)

    @cached_property
    def prose_sentences(self) -> ProseSentences:
        """Every sentence of the document's paragraphs of running prose (lines of at
        least 12 words that end like a sentence), in order; headlines, captions and
        list items hold none. A sequence holding only each sentence's offsets: every
        access builds a :class:`~normalize.analysis.sentences.Sentence` (text and words
        on demand), so that a large document does not keep them all."""
        return _imports.sentences.ProseSentences(self.text, self.ctx.language.code)

    def first_prose_sentence(self) -> Sentence | None:
        """``prose_sentences[0]`` (None if there is none), without splitting the rest of
        the document when nothing has asked for the others: the fixer re-runs
        document-scope rules such as ``garble.dangling_pronoun`` on the whole text after
        each pass, where nothing else needs them. A short text is split whole: other
        rules will ask for the rest, and its first lines would be read twice."""
        if "prose_sentences" in self.__dict__ or len(self.text) < SPLIT_WHOLE:
            return self.prose_sentences[0] if self.prose_sentences else None
        return next(_imports.sentences.iter_prose_sentences(self.ctx), None)

    @cached_property
    def tokenised(self) -> bool:
        """Whether the text is tokenised (``word , word .``), as NLP corpora are: it sets
        punctuation after a space as a rule rather than by exception. Judged on the
        whole text: a piece of a larger text reads it from the document facts (a rule that
        reads it lists ``TOKENISED`` of :mod:`.tokenised` in its ``facts``)."""
        return bool(_imports.pieces.document_facts(self.ctx, _imports.tokenised.TOKENISED))

    @cached_property
    def digit_runs(self) -> list[int]:
        """Where each run of decimal digits (``\\d+``) starts: the few places where a
        rule about numbers has anything to look at."""
        return _imports.words.digit_run_starts(self.words)

    @cached_property
    def word_index(self) -> WordIndex | None:
        """Hashes of every word for vectorised look-ups (large texts only; None for a
        short text, whose look-ups loop over :attr:`words` instead)."""
        return _imports.word_index.word_index(self.words)

    @property
    def lower(self) -> str | None:
        """The text lower-cased with offsets unchanged, or None when lower-casing
        would move offsets (a few characters such as 'İ' lower to two).

        Kept for a text shorter than :data:`KEEP_LOWER` (four rules read it, ~7 ms per
        MB each time); a longer one is lower-cased at each use: a copy of it (four
        bytes a character in a text with one character beyond Latin-1) held from the
        first rule to the last would cost more memory than the time it saves."""
        known = self._lower
        if known is not None:
            return known[0]
        lowered = self.text.lower()
        low = lowered if len(lowered) == len(self.text) else None
        if len(self.text) < KEEP_LOWER:
            self._lower = (low,)
        return low

    @property
    def lower_aligned(self) -> str:
        """The text lower-cased offset for offset: :attr:`lower`, or where that moves
        offsets ('İ'), each character lowered on its own (kept as it is where it
        would become several). Kept or made at each use, as :attr:`lower` is."""
        low = self.lower
        if low is None:
            known = self._lower_aligned
            if known is not None:
                return known
            low = "".join(c.lower() if len(c.lower()) == 1 else c for c in self.text)
            if len(self.text) < KEEP_LOWER:
                self._lower_aligned = low
        return low

    def holds_required(self, groups: tuple[tuple[str, ...], ...], lo: int, hi: int) -> bool:
        """Whether ``text[lo:hi]``, through :func:`~normalize.patterns.folded_for_literals`,
        holds a run of each of ``groups`` (:func:`~normalize.patterns.required_literals`):
        where it does not, the pattern they came from matches nowhere in it."""
        return holds_required(self._folded_window(lo, hi), groups)

    def finds(self, gate: re.Pattern[str], lo: int, hi: int) -> bool:
        """Whether ``gate`` (:func:`~normalize.patterns.gate_of`) finds a run in
        ``text[lo:hi]`` through :func:`~normalize.patterns.folded_for_literals`."""
        return gate.search(self._folded_window(lo, hi)) is not None

    def _folded_window(self, lo: int, hi: int) -> str:
        """``text[lo:hi]`` folded for literals, where the ASCII runs are looked for; the
        last window is kept for the next ask (several patterns are asked about one
        window in turn).

        A text shorter than :data:`KEEP_LOWER` is folded once and kept, and a window is
        a slice of that (the pattern rules, the places' exceptions and the toponym
        context each ask around every hit; a slice costs less than lower-casing it, and
        ``in`` on the slice less than a bounded ``str.find``, which parses its
        arguments at each call); a longer text's window is folded on its own."""
        window = self._window
        if window is not None and window[0] == lo and window[1] == hi:
            return window[2]
        text = self.text
        if len(text) < KEEP_LOWER:
            folded = self._folded
            if folded is None:
                low = self.lower
                # Only "İ", "ı" and "ſ" fold otherwise than lower() does (see
                # folded_for_literals): the lower-cased copy is the folded text.
                folded = (low if low is not None and "\u0131" not in low and "\u017f" not in low
                          else folded_for_literals(text))
                if not folded.isascii():
                    # The runs are ASCII: looked for in an ASCII copy ("?" for every
                    # other character, one for one), not in a wider string, where each
                    # search would first widen the run. A run holding "?" may then
                    # stand where it does not: a regex tried in vain, never a match missed.
                    folded = folded.encode("ascii", "replace").decode("ascii")
                self._folded = folded
            part = folded[lo:hi]
        else:
            part = folded_for_literals(text[lo:hi])
        self._window = (lo, hi, part)
        return part

    def positions(self, ch: str) -> list[int]:
        """Every offset of the character ``ch`` in the text (one ``str.find`` scan, kept;
        callers must not modify the list)."""
        found = self._positions.get(ch)
        if found is None:
            found = self._positions[ch] = _find_all(self.text, ch)
        return found


def _find_all(text: str, ch: str) -> list[int]:
    out = []
    find = text.find
    pos = find(ch)
    while pos != -1:
        out.append(pos)
        pos = find(ch, pos + 1)
    return out
