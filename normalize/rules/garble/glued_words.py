"""garble.glued_words: two words run together or one word cut in two at a link boundary.

Scrapers drop or add the space where a link or a styled run began:
"theGovernment", "Ministryof", "saidon" (glued), "gover nment" (split). A
token is glued when it is no word of the language but splits into two
common ones; camelCase glue ("theGovernment") is the strongest sign and the
only one fixed safely. Two adjacent non-words whose concatenation is a common
word are a split word.

Left alone: brands and code in camelCase (iPhone, YouTube, McDonald,
getElementById: a capital first part, a one-letter first part, or more than
two humps), tokens that occur twice (a name or a product, not an accident),
addresses, handles and hashtags (see :mod:`normalize.lexicon.tokens`), and
lower-case glue in languages that write compounds as one word (German).
"""
from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Iterator
from typing import NamedTuple

from ... import lexicon
from ...analysis.lookup import word_indices
from ...analysis.segments import segment_at
from ...analysis.words import NUMPY_THRESHOLD
from ...findings import Category, Finding, FixSafety
from ...lexicon.tokens import LetterRuns, Token, is_title, prose_tokens
from ...patterns import LazyPattern
from ...pieces import FactKind, carried_analysis, document_facts, fact_kind, own_range
from ...registry import Context, Rule, register
from ...resources import load_yaml

#: Both halves of camelCase glue must be this common (Zipf) for a safe fix.
SAFE_ZIPF = 4.0
#: Both halves of camelCase glue must be at least this common to report it.
CAMEL_ZIPF = 3.0
#: Lower-case glue: one half is a function word of the language (corpora/lexicon/glue.yaml),
#: the other a common word of three letters or more...
CONTENT_ZIPF = 3.5
#: ... and in a capitalised token ("Ministryof") a common word of five letters or more
#: before the function word, since names end in "in", "or", "as" (Maryin, Markor).
TITLE_CONTENT_ZIPF = 4.0
TITLE_CONTENT_LEN = 5
#: A glued token must be rarer than this (Zipf: web word lists hold some glue too,
#: never often).
MAX_GLUED_ZIPF = 1.5
#: A split word: both halves rarer than this, the whole at least WHOLE_ZIPF and
#: WHOLE_MARGIN more common than either half (300 times).
MAX_FRAGMENT_ZIPF = 2.5
WHOLE_ZIPF = 3.5
WHOLE_MARGIN = 2.5
#: In copy in another language, a token this common in English is an English word...
ENGLISH_ZIPF = 2.0
#: ... and a half this much more common in English than in the copy's language too.
ENGLISH_MARGIN = 1.0
#: Languages that write compounds as one word: lower-case glue says nothing there.
COMPOUNDING = frozenset({"de"})
#: The runs of letters of :func:`~normalize.lexicon.tokens.letter_runs`.
_LETTERS = LazyPattern(r"[^\W\d_]+")
#: Characters of a large text whose letter runs are listed at a time (the list of every
#: run of the whole text, a string each, costs ~8 bytes of memory per byte of text).
_RUNS_BLOCK = 1 << 20


def _distinct_letter_runs(text: str, block: int | None = None) -> set[str]:
    """``set(_LETTERS.findall(text))``, listed a block of lines at a time: each block
    ends at a line break, which no run crosses."""
    block = block or _RUNS_BLOCK
    distinct: set[str] = set()
    findall = _LETTERS.findall
    pos, size = 0, len(text)
    while pos < size:
        stop = text.find("\n", min(pos + block, size))
        stop = size if stop == -1 else stop + 1
        distinct.update(findall(text, pos, stop))
        pos = stop
    return distinct


#: A word with no verdict and no part in a split word (most words).
_NOTHING = ()
#: Verdicts kept per language (words seen in earlier texts and passes of the fixer);
#: forgotten beyond this many words, so memory stays bounded on any corpus.
MAX_VERDICTS = 200_000
_VERDICTS: dict[str, tuple[lexicon.Lexicon, dict[str, tuple], set[str]]] = {}


def _verdicts(ctx: Context, lex: lexicon.Lexicon) -> tuple[dict[str, tuple], set[str]]:
    """The memo of per-word verdicts for the copy's language and its lexicon, and the
    set of its words whose verdict is :data:`_NOTHING` (most words: a text's words less
    these, one set difference in C, are the few worth a look)."""
    family = ctx.language.family
    held = _VERDICTS.get(family)
    if held is None or held[0] is not lex or len(held[1]) > MAX_VERDICTS:
        held = _VERDICTS[family] = (lex, {}, set())
    return held[1], held[2]


class _Candidates(NamedTuple):
    #: word -> (where to split, fix safety, camelCase?)
    singles: dict[str, tuple[int, FixSafety, bool]]
    lefts: set[str]
    rights: set[str]
    #: Every prose occurrence of those words, in text order.
    tokens: list[Token]


@carried_analysis
def _candidates(ctx: Context) -> _Candidates | None:
    rule = GluedWords()
    return rule.candidates(ctx)


def _collect_counts(ctx: Context) -> Counter[str]:
    """How often each word worth reporting occurs (as prose) in the document's own text."""
    found = ctx.analysis.shared(_candidates)
    if found is None:
        return Counter()
    lo, hi = own_range(ctx.document)
    return Counter(t.text for t in found.tokens if lo <= t.start < hi)


#: Prose occurrences of the words the rule may report, counted over the whole text: a word
#: seen twice anywhere is a name, not glue. (Whether a word may be reported depends on the
#: word alone, so every piece counts the same words.)
COUNTS: FactKind[Counter[str]] = fact_kind(FactKind(
    "normalize.rules.garble.glued_words:counts", _collect_counts, lambda a, b: a + b,
    # A piece reads the counts of its own words.
    lambda before, total, own: {w: total[w] for w in own}))


@register
class GluedWords(Rule):
    id = "garble.glued_words"
    #: Read by the rule-case tests: without a lexicon the rule stays silent.
    needs_lexicon = True
    category = Category.GARBLE
    fix = FixSafety.UNSAFE
    fixes = frozenset({FixSafety.SAFE, FixSafety.UNSAFE})
    mqm = "Fluency/Spelling"
    languages = frozenset(lexicon.LANGUAGES)
    scope = "document"  # a token repeated elsewhere in the text is a name, not glue
    # In pieces: the whole text's counts come from the facts; the rest reads a token's
    # characters and a few around it on its line.
    facts = (COUNTS.name,)
    description = ("Two words glued together (theGovernment, Ministryof) or one word split in two "
                   "(gover nment); needs a lexicon (pip install mtnorm[lexicon]).")

    def applies_to(self, ctx: Context) -> bool:
        return super().applies_to(ctx) and lexicon.available(ctx.language.family)

    def candidates(self, ctx: Context) -> _Candidates | None:
        """The words worth reporting and their prose occurrences, or None (no lexicon, or
        no such word)."""
        # Every verdict below depends on a token's text alone, except "occurs once" and
        # "is prose". So the distinct letter runs (~12k in 160k tokens per MB) are judged
        # first, and the per-token prose checks run only on the runs that could be
        # reported: a few hundred rare words instead of every token of the text.
        text = ctx.text
        lex = lexicon.get(ctx.language.family)
        if lex is None:
            return None
        # A prose token is a letter run between non-word characters (one next to a
        # digit or "_" is not prose), that is a whole \w+ word made of letters: the
        # document's words (ctx.analysis.words, which most rules read) hold them all.
        index = ctx.analysis.word_index if len(text) >= NUMPY_THRESHOLD else None
        spans = ctx.analysis.words
        if index is None:
            words = spans.words()
            distinct = set(words)
        else:
            # A large text: the distinct runs from one C-level findall (no offsets), and
            # the offsets of the few runs worth reporting from the word hashes below.
            distinct = _distinct_letter_runs(text)
        verdicts, quiet = _verdicts(ctx, lex)
        #: word -> (where to split, fix safety, camelCase?)
        singles: dict[str, tuple[int, FixSafety, bool]] = {}
        lefts: set[str] = set()
        rights: set[str] = set()
        for word in distinct - quiet:
            known = verdicts.get(word)
            if known is None:
                # A word with a digit or "_" (a short text's words are \w+ words, not
                # letter runs) is no prose token: nothing to say about it.
                letters = word.isalpha() or _LETTERS.fullmatch(word) is not None
                known = verdicts[word] = self._verdict(ctx, lex, word) if letters else _NOTHING
                if known is _NOTHING:
                    quiet.add(word)
            if known is _NOTHING:
                continue
            verdict, left, right = known
            if verdict is not None:
                singles[word] = verdict
            if left:
                lefts.add(word)
            if right:
                rights.add(word)
        only = singles.keys() | lefts | rights
        if not only:
            return None
        if index is None:
            # The words written as one of ``only`` (letter runs all) are every
            # occurrence that can be prose.
            runs = LetterRuns(words, spans.starts)
        else:
            found = word_indices(ctx, frozenset(only), cache=False)
            starts = spans.starts[found].tolist() if found else []
            runs = LetterRuns([text[s:e] for s, e in zip(starts, spans.ends[found].tolist())]
                              if found else [], starts)
        # All prose occurrences of these words, so that their counts are exact.
        tokens = [t for t in prose_tokens(text, only, runs) if not t.elided and not t.clipped]
        return _Candidates(singles, lefts, rights, tokens)

    def check(self, ctx: Context) -> Iterator[Finding]:
        found = ctx.analysis.shared(_candidates)
        if found is None:
            return
        lex = lexicon.get(ctx.language.family)
        assert lex is not None
        singles, lefts, rights, tokens = found
        # How often each of these words occurs in the whole text (a piece reads it from the facts).
        counts: dict[str, int] = document_facts(ctx, COUNTS)
        for tok in tokens:
            verdict = singles.get(tok.text)
            if verdict is not None and counts.get(tok.text, 0) == 1 \
                    and not (verdict[2] and _glued_in_source(ctx, tok.start, tok.text[:verdict[0]])):
                yield self._glue_finding(ctx, tok, *verdict)
        yield from self._split(ctx, lex, [t for t in tokens if t.text in lefts or t.text in rights],
                               counts)

    def _verdict(self, ctx: Context, lex: lexicon.Lexicon, word: str):
        """What ``word`` alone says (the same for every text of the language): the glue
        verdict (where to split, fix safety, camelCase?) or None, and whether it can be
        the left or right half of a split word; :data:`_NOTHING` when none applies."""
        verdict = None
        if len(word) >= 4:
            camel = _camel_split(word)
            if camel is not None:
                safety = _camel_safety(lex, word, camel)
                if safety is not None:
                    verdict = (camel, safety, True)
            elif ctx.language.family not in COMPOUNDING and len(word) >= 5 \
                    and (word.islower() or is_title(word)):
                at = self._glued_at(ctx, lex, word)
                if at is not None:
                    verdict = (at, FixSafety.UNSAFE, False)
        left = right = False
        # Halves of a split word: both rarer than MAX_FRAGMENT_ZIPF (see _split).
        if len(word) >= 2 and lex.zipf(word) < MAX_FRAGMENT_ZIPF:
            if word.islower():
                left = right = True
            elif is_title(word):
                left = True
        if verdict is None and not left and not right:
            return _NOTHING
        return verdict, left, right

    def _glue_finding(self, ctx: Context, tok: Token, at: int, safety: FixSafety,
                      camel: bool) -> Finding:
        """The finding for a token that is two words run together, split at ``at``."""
        word = tok.text
        first, second = word[:at], word[at:]
        if camel:
            return self.finding(
                ctx, tok.start, tok.end,
                f"'{word}' is two words run together ('{first} {second}'): a space was lost, "
                f"probably at a link or formatting boundary",
                replacement=f"{first} {second}", fix=safety, data={"parts": [first, second]})
        return self.finding(
            ctx, tok.start, tok.end,
            f"'{word}' is not a word: probably '{first} {second}' run together (a space lost at a "
            f"link or formatting boundary)",
            replacement=f"{first} {second}", fix=safety, data={"parts": [first, second]})

    def _glued_at(self, ctx: Context, lex: lexicon.Lexicon, word: str) -> int | None:
        """Where lower-case glue splits ``word`` ("saidon" -> 4), or None if it is not glue."""
        low = word.lower()
        if lex.zipf(low) >= MAX_GLUED_ZIPF:
            return None
        function, prefixes, suffixes = _function_words(ctx.language.family)
        english = _english(ctx)
        if english is not None and english.zipf(low) >= ENGLISH_ZIPF:
            return None  # an English word in other copy ("verbose", "octal"), not glue
        title = not word.islower()
        best = None
        for at in range(2, len(low) - 1):
            a, b = low[:at], low[at:]
            if b in function and b not in suffixes and _content(a, lex.zipf(a), title) \
                    and not _more_english(english, lex, a):
                score = lex.zipf(a)
            elif not title and a in function and a not in prefixes and _content(b, lex.zipf(b), False) \
                    and not _more_english(english, lex, b):
                score = lex.zipf(b)
            else:
                continue
            if best is None or score > best[0]:
                best = (score, at)
        return None if best is None else best[1]

    def _split(self, ctx: Context, lex: lexicon.Lexicon, tokens: list[Token],
               counts: dict[str, int]) -> Iterator[Finding]:
        text = ctx.text
        for left, right in itertools.pairwise(tokens):
            if right.start != left.end + 1 or text[left.end] != " ":
                continue
            a, b = left.text, right.text
            if not (a.islower() or is_title(a)) or not b.islower() or counts.get(a, 0) > 1 or counts.get(b, 0) > 1:
                continue
            if len(a) < 2 or len(b) < 2 or len(a) + len(b) < 6:
                continue
            za, zb = lex.zipf(a), lex.zipf(b)
            if max(za, zb) >= MAX_FRAGMENT_ZIPF:
                continue
            whole = a + b
            zw = lex.zipf(whole)
            if zw < WHOLE_ZIPF or zw - max(za, zb) < WHOLE_MARGIN:
                continue
            yield self.finding(
                ctx, left.start, right.end,
                f"'{a} {b}' is one word cut in two: '{whole}'",
                replacement=whole, fix=FixSafety.UNSAFE, data={"word": whole})


def _camel_safety(lex: lexicon.Lexicon, word: str, at: int) -> FixSafety | None:
    """How safely camelCase glue split at ``at`` can be fixed; None if it is not reported."""
    first, second = word[:at], word[at:]
    if lex.zipf(word) >= MAX_GLUED_ZIPF:
        return None
    z1, z2 = lex.zipf(first), lex.zipf(second.lower())
    if min(z1, z2) < CAMEL_ZIPF:
        return None
    return FixSafety.SAFE if min(z1, z2) >= SAFE_ZIPF else FixSafety.UNSAFE


def _camel_split(word: str) -> int | None:
    """Where a lower-case run meets a capitalised word ("theGovernment" -> 3), if the token
    is exactly that: brands and code (iPhone, YouTube, getElementById) give None."""
    if word[1:].islower():
        return None  # no capital after the first letter (most words): no hump
    humps = [i for i in range(1, len(word)) if word[i].isupper()]
    if len(humps) != 1:
        return None
    at = humps[0]
    first, second = word[:at], word[at:]
    if len(first) < 2 or not first.islower() or len(second) < 2 or not second[1:].islower():
        return None
    return at


@functools.cache
def _function_words(lang: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The language's glue-prone function words, and those of them that also begin or end
    ordinary words."""
    data = load_yaml("lexicon", "glue.yaml").get(lang) or {}
    return (frozenset(data.get("function", ())), frozenset(data.get("prefixes", ())),
            frozenset(data.get("suffixes", ())))


def _english(ctx: Context) -> lexicon.Lexicon | None:
    """The English lexicon, for copy in another language (English words and code abound
    there); None for English copy or without an English list."""
    if ctx.language.family == "en" or not lexicon.available("en"):
        return None
    return lexicon.get("en")


def _more_english(english: lexicon.Lexicon | None, lex: lexicon.Lexicon, word: str) -> bool:
    """``word`` is far more common in English than in the copy's language ("group" in Italian)."""
    return english is not None and english.zipf(word) - lex.zipf(word) >= ENGLISH_MARGIN


def _content(word: str, zipf: float, title: bool) -> bool:
    if title:
        return len(word) >= TITLE_CONTENT_LEN and zipf >= TITLE_CONTENT_ZIPF
    return len(word) >= 3 and zipf >= CONTENT_ZIPF


def _glued_in_source(ctx: Context, pos: int, first: str) -> bool:
    """Whether the source segment of ``pos`` glues ``first`` to a capital the same way
    ("thumbThe" for "thumbBiserica"): page debris the translation kept, not a space it lost."""
    if ctx.source_text is None:
        return False
    pair = segment_at(ctx, pos)
    if pair is None:
        return False
    source = pair.source
    at = source.find(first)
    while at != -1:
        after = source[at + len(first):at + len(first) + 1]
        if after.isupper() and (at == 0 or not source[at - 1].isalpha()):
            return True
        at = source.find(first, at + 1)
    return False
