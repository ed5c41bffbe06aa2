"""encoding.stripped_diacritics: words that lost their accents ("francais", "nomm" for "nommé").

Not mojibake (no stray bytes are left): a lossy conversion removed the marks
("é" -> "e") or the accented letters themselves ("é" -> ""). A token is
reported when it is not a word of the language, or a far rarer one, and the
lexicon has a common word that, stripped the same way, gives the token.

Only lower-case words are looked at: capitals often go without accents in
French (and names, the usual capitalised words, are spelled both ways).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from ... import lexicon
from ...findings import Category, Finding, FixSafety
from ...lexicon.tokens import is_title, prose_tokens
from ...pieces import (
    FactKind,
    document_facts,
    fact_kind,
    global_offset,
    own_range,
)
from ...registry import Context, Rule, register
from .._text import transfer_case

#: The intended word must be at least this common (Zipf: ~1 in a million words).
MIN_WORD_ZIPF = 3.0
#: A token rarer than this (Zipf) is no word of the language: web word lists hold
#: stripped spellings too, but a real word is seldom this rare when its accented
#: twin is common.
MAX_TOKEN_ZIPF = 2.0
#: A rarer word than this may still be a damaged one in a text that lost its accents
#: ("pais", "perche" are in the web lists, "tat" too).
MAX_WEAK_ZIPF = 5.0
#: The accented word must be this much more common than the token (Zipf 1: 10 times).
MIN_MARGIN = 1.0
#: A token this common in English is an English word in the copy ("command", "valid").
ENGLISH_ZIPF = 3.0
#: Shortest token looked at (cut-down forms of two letters match too much).
MIN_LENGTH = 3
#: From this many damaged words, the text as a whole lost its accents.
WHOLE_TEXT = 4
#: The document facts the rule reads (defined below, named here for the class).
COUNTS_NAME = "normalize.rules.encoding.stripped_diacritics:counts"


@register
class StrippedDiacritics(Rule):
    id = "encoding.stripped_diacritics"
    #: Read by the rule-case tests: without a lexicon the rule stays silent.
    needs_lexicon = True
    category = Category.ENCODING
    fix = FixSafety.UNSAFE
    fixes = frozenset({FixSafety.SAFE, FixSafety.UNSAFE})
    mqm = "Fluency/Spelling"
    languages = frozenset({"fr", "de", "es", "it"})
    scope = "document"  # the "whole text lost its accents" note counts over the document
    facts = (COUNTS_NAME,)
    description = ("A word without the accents its language requires (marks or accented letters "
                   "lost in a conversion); needs a lexicon (pip install mtnorm[lexicon]).")

    def applies_to(self, ctx: Context) -> bool:
        return super().applies_to(ctx) and lexicon.available(ctx.language.family)

    def check(self, ctx: Context) -> Iterator[Finding]:
        found = ctx.analysis.shared(_found)
        if found is None:
            return
        strong, weak, doubtful, _accented = found
        # Whether the text as a whole lost its accents, and which hit is its first, are
        # the whole text's (a piece reads them from the document facts).
        counts: _Counts = document_facts(ctx, COUNTS)
        stripped_text = counts.stripped_text
        hits = strong + weak + doubtful if stripped_text else strong
        hits.sort(key=lambda h: h[0].start)
        total = counts.hits(stripped_text)
        first_at = counts.first(stripped_text)
        for tok, entry, how, own in hits:
            certain = entry.sharing == 1 and own == 0
            note = ""
            if global_offset(ctx, tok.start) == first_at and total >= WHOLE_TEXT:
                note = (f"; {total} words in this text lost their accents: it was likely "
                        f"converted to plain ASCII, so check every accented word against the source")
            alternatives = "" if entry.sharing == 1 else f" (or another of {entry.sharing} words)"
            intended = transfer_case(tok.text, entry.word)
            yield self.finding(
                ctx, tok.start, tok.end,
                f"'{tok.text}' looks like '{intended}' with its {how}{alternatives}{note}",
                replacement=intended, fix=FixSafety.SAFE if certain else FixSafety.UNSAFE,
                data={"word": entry.word, "zipf": entry.zipf})


_Hit = tuple[Any, Any, str, float]


def _found(ctx: Context) -> tuple[list[_Hit], list[_Hit], list[_Hit], int] | None:
    """The damaged words of the text (strong, weak and doubtful hits: see the rule) and
    the number of its accented words; None when it has no token the rule looks at."""
    text = ctx.text
    titles = ctx.language.capitalises_nouns  # German nouns: "Gesprache"
    # Cheap pre-filter: the lexicon loads only when an unaccented word the rule
    # handles is there (not in a headline list or a table of numbers).
    tokens = [t for t in prose_tokens(text)
              if len(t.text) >= MIN_LENGTH and not t.clipped and t.text.isascii()
              and (t.text.islower() or is_title(t.text))]
    if not tokens:
        return None
    lex = lexicon.get(ctx.language.family)
    if lex is None:
        return None
    stripped, deleted = lex.accent_index
    strong: list[_Hit] = []
    weak: list[_Hit] = []
    for tok in tokens:
        word = tok.text.lower()
        own = lex.zipf(word)
        # Capitals may go unaccented ("Etat") outside German, but a capitalised word
        # with a letter cut out ("prsident", "tlphone") is never a spelling choice.
        indexes = ((stripped, "accents removed"), (deleted, "accented letters dropped")) \
            if titles or tok.text.islower() else ((deleted, "accented letters dropped"),)
        for index, how in indexes:
            entry = index.get(word)
            if entry is None or entry.zipf < MIN_WORD_ZIPF or entry.zipf - own < MIN_MARGIN:
                continue
            if own < MAX_TOKEN_ZIPF:
                strong.append((tok, entry, how, own))
            elif own < MAX_WEAK_ZIPF:  # a word too, but a rarer one: only in a stripped text
                weak.append((tok, entry, how, own))
            break
    # English words in other copy ("command", "sign") are cut-down participles here
    # ("commandé", "signé"), and capitalised German words may be names ("Armel"):
    # those count only in a text that lost its accents.
    english = lexicon.get("en") if (strong or weak) and lexicon.available("en") else None
    doubtful: list[_Hit] = []
    for hits in (strong, weak):
        for hit in list(hits):
            tok, _, _, own = hit
            if (english is not None and english.zipf(tok.text.lower()) >= ENGLISH_ZIPF) \
                    or (not tok.text.islower() and own > 0):
                hits.remove(hit)
                doubtful.append(hit)
    accented = sum(1 for t in prose_tokens(text) if not t.text.isascii())
    return strong, weak, doubtful, accented


class _Counts(NamedTuple):
    """What the rule counts over the whole text: accented words; strong, weak and doubtful
    hits; the first strong hit and the first hit of any kind (offsets in the whole text)."""

    accented: int
    strong: int
    weak: int
    doubtful: int
    first_strong: int | None
    first_any: int | None

    @property
    def stripped_text(self) -> bool:
        # A text converted to plain ASCII has more damaged words than accented ones;
        # then "pais" and "perche", which are words of the web lists, are damage too.
        damaged = self.strong + self.weak
        return damaged > self.accented and damaged >= WHOLE_TEXT

    def hits(self, stripped_text: bool) -> int:
        return self.strong + self.weak + self.doubtful if stripped_text else self.strong

    def first(self, stripped_text: bool) -> int | None:
        return self.first_any if stripped_text else self.first_strong


def _min(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)


def _collect(ctx: Context) -> _Counts:
    """The counts of the document's own text."""
    lo, hi = own_range(ctx.document)
    piece = ctx.document.piece
    found = ctx.analysis.shared(_found)
    if found is None:
        accented = sum(1 for t in prose_tokens(ctx.text) if lo <= t.start < hi and not t.text.isascii())
        return _Counts(accented, 0, 0, 0, None, None)
    strong, weak, doubtful, accented = found
    if lo or piece is not None:
        accented = sum(1 for t in prose_tokens(ctx.text) if lo <= t.start < hi and not t.text.isascii())

    def own(hits: list[_Hit]) -> list[int]:
        return [global_offset(ctx, h[0].start) for h in hits if lo <= h[0].start < hi]

    s, w, d = own(strong), own(weak), own(doubtful)
    return _Counts(accented, len(s), len(w), len(d), min(s, default=None),
                   min(s + w + d, default=None))


def _merge(a: _Counts, b: _Counts) -> _Counts:
    return _Counts(a.accented + b.accented, a.strong + b.strong, a.weak + b.weak,
                   a.doubtful + b.doubtful, _min(a.first_strong, b.first_strong),
                   _min(a.first_any, b.first_any))


COUNTS = fact_kind(FactKind(COUNTS_NAME, _collect, _merge))
