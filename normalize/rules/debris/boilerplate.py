"""debris.boilerplate: paragraphs and fragments that are site furniture, not story.

A paragraph-level judge in the way jusText and trafilatura classify web
paragraphs: a line is boilerplate when it is short and carries the
vocabulary of a site widget (comment forms, share/subscribe/follow prompts,
galleries, donation and forum prompts, cookie and player messages), when it
is a credit or byline box ("Author Jane Doe", "Photo: Reuters"), or when the
widget vocabulary is dense in a short unpunctuated line, more readily in the
tail of the text (after the last paragraph of prose). Fragments that no
prose contains are reported wherever they stand: image file names,
``srcset``/attribute residue, broken or escaped HTML, hashtag lines, machine
translation credits and a source/date line glued after the last sentence.

The vocabulary is data, per language: ``corpora/rules/<lang>/boilerplate.yaml``
(``und`` for the language-neutral part). The story's language and its source
language are both read, so a widget left in the source language is caught too.
Whole lines that are certainly a widget are ``debris.pattern``'s job (with a
safe fix); lines it matches are skipped here. This rule only warns: deciding
that a short line is furniture is a judgement an editor confirms.
"""
from __future__ import annotations

import functools
import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from ...errors import DataError
from ...findings import Category, Finding, Severity
from ...languages import get_language
from ...literals import Literals
from ...patterns import LazyPattern, folded_for_literals, lead_class, scan_start
from ...pieces import (
    FactKind,
    carried_analysis,
    document_facts,
    fact_kind,
    global_offset,
    own_range,
)
from ...registry import Context, Rule, get_rule, register
from ...resources import load_yaml
from ...ruletypes.existence import MAX_LINE, compiled

#: Longer paragraphs are prose however many widget words they hold.
MAX_WORDS = 40
#: A phrase hit in a paragraph up to this long marks it anywhere in the text.
PHRASE_WORDS = 30
#: Short unpunctuated lines are judged on their widget-word density.
DENSITY_WORDS = 10
#: Metadata lines (hashtags, dates, credits, counters, link lists) are no longer than this.
LINE_WORDS = 30
#: A paragraph of prose: at least this many words, ending a sentence.
PROSE_WORDS = 12
#: After the story, this many headline-like lines in a row are a list of links.
HEADLINE_RUN = 3
#: Words in such a headline (fewer: a label or a name; more: prose without a full stop).
HEADLINE_WORDS = (4, 16)
_WORD = LazyPattern(r"\w+")
_FINAL = tuple(".!?…\"»”“’)]:;")


def _debris_lines(lang: str) -> re.Pattern[str] | None:
    """debris.pattern's line alternation for ``lang`` (lines that are debris already)."""
    return compiled(get_rule("debris.pattern"), lang).line  # type: ignore[arg-type]


def _headline_runs(count: int, tail: int, para) -> frozenset[int]:
    """Indices of tail lines in runs of at least ``HEADLINE_RUN`` headlines: short lines
    (``HEADLINE_WORDS``) that end no sentence, one after another after the story, are the
    site's list of links to other stories ("related", "latest news")."""
    out: set[int] = set()
    if count - tail < HEADLINE_RUN:
        return frozenset(out)
    run: list[int] = []
    for i in range(tail, count + 1):
        if i < count:
            p = para(i)
            if HEADLINE_WORDS[0] <= p.n <= HEADLINE_WORDS[1] and not p.final \
                    and p.text[:1].isupper():
                run.append(i)
                continue
        if len(run) >= HEADLINE_RUN:
            out.update(run)
        run = []
    return frozenset(out)


#: A residue or line entry: (pattern, id, message, literal triggers, only at a
#: paragraph's end, possible last characters, whether a match holds a trigger itself).
_Entry = tuple[re.Pattern[str] | LazyPattern, str, str, tuple[str, ...], bool, str, bool]


@dataclass(frozen=True)
class _Vocab:
    """The compiled vocabulary of a set of languages."""

    phrases: re.Pattern[str] | None
    labels: re.Pattern[str] | None
    words: frozenset[str]
    site_words: frozenset[str]
    residue: tuple[_Entry, ...]
    lines: tuple[_Entry, ...]
    agencies: re.Pattern[str] | None
    #: Every trigger literal of ``residue`` and ``lines``.
    triggers: Literals = field(default_factory=lambda: Literals(()))
    #: The residue and line entries to try, by the set of trigger literals a text
    #: holds (see :meth:`entries`).
    _entries: dict[frozenset[str], tuple[list[_Entry], list[_Entry]]] = field(
        default_factory=dict, compare=False)

    def entries(self, hits: frozenset[str]) -> tuple[list[_Entry], list[_Entry]]:
        """The residue and line entries with a trigger among ``hits`` or none at all.
        Kept per set of hits: texts hold few combinations of triggers (most hold none),
        and choosing among all the entries cost more than a short text's other work."""
        found = self._entries.get(hits)
        if found is None:
            found = ([entry for entry in self.residue if not entry[3] or not hits.isdisjoint(entry[3])],
                     [entry for entry in self.lines if not entry[3] or not hits.isdisjoint(entry[3])])
            if len(self._entries) < 1024:  # bounded: a text can hold any combination
                self._entries[hits] = found
        return found


def _alternation(parts: list[str], where: str, before: str, after: str,
                 flags: int) -> re.Pattern[str] | None:
    """One alternation of ``parts`` between ``before`` and ``after``, compiled, or None
    when there are none. A part that does not compile is named in the error; the parts
    are compiled one by one only then: checking every part up front (75 small patterns)
    was a third of this rule's start-up."""
    if not parts:
        return None
    try:
        return re.compile(before + "|".join(f"(?:{p})" for p in parts) + after, flags)
    except re.error:
        for part in parts:
            try:
                re.compile(part)
            except re.error as exc:
                raise DataError(f"corpora/rules/{where}/boilerplate.yaml: pattern {part!r}: {exc}") from None
        raise


def _phrases(parts: list[str], where: str) -> re.Pattern[str] | None:
    """One alternation of the phrases, matched against lower-cased text: without
    re.IGNORECASE and with one word-boundary check around the whole, it runs ~20x
    faster than case-insensitive alternatives each with their own."""
    upper = [p for p in parts if p != p.lower()]
    if upper:
        raise DataError(f"corpora/rules/{where}/boilerplate.yaml: phrases are matched against "
                        f"lower-cased text; write {upper[0]!r} in lower case")
    return _alternation(parts, where, r"(?<!\w)(?:", r")(?!\w)", 0)


def _layers(codes: tuple[str, ...]) -> list[tuple[str, dict]]:
    out = []
    for code in codes:
        layer = load_yaml("rules", code, "boilerplate.yaml")
        if layer is not None:
            if not isinstance(layer, dict):
                raise DataError(f"corpora/rules/{code}/boilerplate.yaml: expected a mapping")
            out.append((code, layer))
    return out


def _entry_error(code: str, key: str, entry: object, exc: Exception) -> DataError:
    """The error for a residue or line entry of ``<code>/boilerplate.yaml`` that does not compile."""
    return DataError(f"corpora/rules/{code}/boilerplate.yaml: {key} entry {entry!r}: {exc}")


@functools.cache
def _vocab(codes: tuple[str, ...]) -> _Vocab:
    """Vocabulary of the languages ``codes`` (``und`` first), merged."""
    layers = _layers(codes)
    where = "+".join(c for c, _ in layers) or "und"
    phrases = [p for _, layer in layers for p in layer.get("phrases", [])]
    labels = [p for _, layer in layers for p in layer.get("labels", [])]
    words = frozenset(w.lower() for _, layer in layers for w in layer.get("words", []))
    site_words = frozenset(w.lower() for _, layer in layers for w in layer.get("site_words", []))
    agencies = [re.escape(a) for _, layer in layers for a in layer.get("agencies", [])]
    compiled: dict[str, list[_Entry]] = {
        "residue": [], "lines": []}
    for code, layer in layers:
        for key in compiled:
            for entry in layer.get(key, []):
                pattern: re.Pattern[str] | LazyPattern
                try:
                    source = entry["pattern"]
                    if isinstance(source, str):
                        # Compiled where its literal triggers first occur: most texts
                        # need few of these patterns, and compiling all of them was
                        # most of this rule's start-up.
                        pattern = LazyPattern(source, re.IGNORECASE | re.MULTILINE,
                                              on_error=functools.partial(_entry_error, code, key, entry))
                    else:
                        pattern = re.compile(source, re.IGNORECASE | re.MULTILINE)
                except (KeyError, TypeError, re.error) as exc:
                    raise _entry_error(code, key, entry, exc) from None
                compiled[key].append((pattern, entry.get("id", key), entry.get("message", "page debris"),
                                      tuple(t.lower() for t in entry.get("triggers", [])),
                                      entry.get("scope") == "paragraph-end", entry.get("last", ""),
                                      bool(entry.get("triggers_in_line"))))
    label_re = _alternation(labels, where, "(?:", r")(?=[\s:/|©])", re.IGNORECASE)
    return _Vocab(
        phrases=_phrases(phrases, where),
        labels=label_re,
        words=words, site_words=site_words,
        residue=tuple(compiled["residue"]), lines=tuple(compiled["lines"]),
        agencies=re.compile(rf"(?<!\w)(?:{'|'.join(agencies)})(?!\w)") if agencies else None,
        triggers=Literals(t for entries in compiled.values() for entry in entries for t in entry[3]))


@functools.cache
def _vocab_for(family: str, source: str) -> _Vocab:
    """:func:`_vocab` of the story's language ``family``, its ``source`` language and
    English, kept per pair: a check of a short text should not pay for building
    :func:`_vocab`'s key."""
    return _vocab(tuple(dict.fromkeys(("und", family, source, "en"))))


@functools.lru_cache(maxsize=1024)
def _lead(pattern: re.Pattern[str] | LazyPattern, triggers: tuple[str, ...]) -> re.Pattern[str] | None:
    """:func:`~normalize.patterns.lead_class` of a residue entry, worked out once."""
    return lead_class(pattern, triggers)


@functools.cache
def _function_words(code: str) -> frozenset[str]:
    return frozenset(w.lower() for w in get_language(code).data("function_words").get("words", []))


_DOMAIN = LazyPattern(r"\b[\w-]+\.(?:com|net|org|info|ru|ua|de|fr|es|it|uk|eu|tv|news|online)\b", re.IGNORECASE)
_HEADLINE_SUFFIX = LazyPattern(r"\s(?:\||—|–|-|::)\s+([^|—–]{2,40})$")


@dataclass
class _Para:
    start: int
    end: int
    text: str
    final: bool
    #: How many words (``\w+`` runs) it has.
    n: int

    @property
    def words(self) -> list[str]:
        return _WORD.findall(self.text)


def _lines(text: str) -> array[int]:
    """Where each non-blank line, stripped, starts and ends: ``[start0, end0, start1, ...]``
    (offsets only: the lines' texts, a copy of the whole text, are sliced when needed,
    and the text is not split into a list of all its lines first)."""
    out = array("q")
    pos = 0
    size = len(text)
    find = text.find
    while pos <= size:
        stop = find("\n", pos)
        if stop == -1:
            stop = size
        line = text[pos:stop]
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped[0])
            out.extend((start, start + len(stripped)))
        pos = stop + 1
    return out


def _word_counter(word_starts: Sequence[int], bounds: array[int]) -> Callable[[int], int]:
    """How many words the ``i``-th line of ``bounds`` has, counted on the document's
    words (``ctx.analysis.words``, which most rules read: no ``\\w+`` scan of the
    line again). A line is stripped and lines end at "\\n", so no word crosses its
    edges: its words are those that start between them."""
    if isinstance(word_starts, list):
        def count(i: int) -> int:
            return bisect_left(word_starts, bounds[2 * i + 1]) - bisect_left(word_starts, bounds[2 * i])
        return count
    # Numpy offsets (large texts): every line at once.
    import numpy as np

    edges = np.frombuffer(bounds, dtype=np.int64)
    counts: list[int] = (np.searchsorted(word_starts, edges[1::2])
                         - np.searchsorted(word_starts, edges[0::2])).tolist()
    return counts.__getitem__


class Opening(NamedTuple):
    """What the rule needs of the whole text beyond a piece: where its first paragraph
    (the headline) and its last paragraph of prose (the tail starts after it) start, in
    the whole text, and how many paragraphs it has (up to 2: a text of one paragraph has
    no tail)."""

    first: int | None
    last_prose: int | None
    paragraphs: int


def _vocab_of(ctx: Context) -> _Vocab:
    # The story's language, its source language, and English: sites everywhere
    # leave English widgets (cookie banners, share bars) around copy in any language.
    family = ctx.language.family
    source = ctx.source_lang.split("-")[0].lower() if ctx.source_lang else family
    return _vocab_for(family, source)


@carried_analysis
def _bounds(ctx: Context) -> array[int]:
    return _lines(ctx.text)


def _phrase(vocab: _Vocab, low: str, text: str, start: int, end: int, n: int) -> str | None:
    """The widget phrase in the paragraph ``text[start:end]`` of ``n`` words, or None."""
    hit = None
    if vocab.phrases is not None and n <= MAX_WORDS * 2:
        hit = vocab.phrases.search(low, start, end)
    return None if hit is None else text[hit.start():hit.end()]


def _collect_opening(ctx: Context) -> Opening:
    """The document's own paragraphs: the first, the last of prose, how many (up to 2)."""
    text = ctx.text
    lo, hi = own_range(ctx.document)
    bounds = ctx.analysis.shared(_bounds)
    starts = bounds[0::2]
    first_i, stop = bisect_left(starts, lo), bisect_left(starts, hi)
    if first_i >= stop:
        return Opening(None, None, 0)
    count_words = _word_counter(ctx.analysis.words.starts, bounds)
    vocab = _vocab_of(ctx)
    low = ctx.analysis.lower_aligned
    last = None
    # A paragraph of prose: enough words, a sentence's end, no widget phrase.
    for i in range(stop - 1, first_i - 1, -1):
        start, end = bounds[2 * i], bounds[2 * i + 1]
        n = count_words(i)
        if n >= PROSE_WORDS and text[start:end].endswith(_FINAL) \
                and _phrase(vocab, low, text, start, end, n) is None:
            last = global_offset(ctx, start)
            break
    return Opening(global_offset(ctx, bounds[2 * first_i]), last, min(stop - first_i, 2))


def _merge_opening(a: Opening, b: Opening) -> Opening:
    return Opening(a.first if a.first is not None else b.first,
                   b.last_prose if b.last_prose is not None else a.last_prose,
                   min(a.paragraphs + b.paragraphs, 2))


OPENING: FactKind[Opening] = fact_kind(FactKind(
    "normalize.rules.debris.boilerplate:opening", _collect_opening, _merge_opening))


_FINAL_CHARS = frozenset(_FINAL)


@register
class Boilerplate(Rule):
    id = "debris.boilerplate"
    category = Category.DEBRIS
    severity = Severity.WARNING
    mqm = "Other/Extraneous content"
    scope = "document"  # the tail of the text and the headline depend on the whole text
    # In pieces: where the headline and the tail are comes from the facts; a list of links
    # in the tail is a run of 3 headline lines, seen across a piece's end within the 8 lines
    # after it (not when its lines stand 4 or more blank lines apart).
    facts = (OPENING.name,)
    description = ("Site furniture judged paragraph by paragraph (comment/share/subscribe widgets, "
                   "credit boxes, captions, image file names, attribute residue, escaped HTML, "
                   "MT credits); data: boilerplate.yaml.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        family = ctx.language.family
        vocab = _vocab_of(ctx)
        function_words = _function_words(family)
        reported: list[tuple[int, int]] = []

        bounds = ctx.analysis.shared(_bounds)
        count = len(bounds) // 2
        paras: dict[int, _Para] = {}

        count_words = _word_counter(ctx.analysis.words.starts, bounds)

        def build(i: int) -> _Para:
            start, end = bounds[2 * i], bounds[2 * i + 1]
            stripped = text[start:end]
            return _Para(start, end, stripped, stripped.endswith(_FINAL), count_words(i))

        def para(i: int) -> _Para:
            if i not in paras:
                paras[i] = build(i)
            return paras[i]

        # Lower-cased with the same offsets; else (rare: "İ" lowers to two characters)
        # a copy that keeps offsets by lower-casing character by character.
        low = ctx.analysis.lower_aligned
        # The trigger literals the text holds, looked for once: a residue or line
        # pattern runs only where one of its literal triggers occurs (a regex scan of
        # the whole text costs ~100 ns a character, str.find a few).
        hits = vocab.triggers.present(low)

        residue, line_patterns = vocab.entries(hits)
        folded: str | None = None
        for pattern, rid, message, triggers, at_end, _, _ in residue:
            found: Iterator[re.Match[str]]
            lead = _lead(pattern, triggers) if triggers and not at_end else None
            if lead is not None:
                # Matches start at the first trigger or just before it (see lead_class):
                # the scan, ~70 ns a character for these patterns, starts there.
                if folded is None:
                    folded = folded_for_literals(text)
                start = scan_start(text, folded, triggers, lead)
                found = pattern.finditer(text, start) if start is not None else iter(())
            elif at_end:
                # Only paragraphs ending in a digit can end in a source and date.
                found = (m for start, end in zip(bounds[0::2], bounds[1::2]) if text[end - 1].isdigit()
                         for m in [pattern.search(text, start, end)] if m is not None)
            else:
                found = pattern.finditer(text)
            for m in found:
                reported.append(m.span())
                yield self.finding(ctx, m.start(), m.end(), f"{message} [{rid}]; remove it",
                                   data={"kind": rid})

        phrase_hits: dict[int, str | None] = {}

        def phrase(p: _Para, i: int) -> str | None:
            # Searched lazily: the alternation is slow, and only short paragraphs
            # and the tail need it.
            if i not in phrase_hits:
                phrase_hits[i] = _phrase(vocab, low, text, p.start, p.end, p.n)
            return phrase_hits[i]

        # The tail: everything after the last paragraph of prose of the whole text, where
        # sites put their widgets (nothing is tail in a text without prose: a single
        # segment). A text of one paragraph has no tail whatever that paragraph is: its
        # phrase search (most of the check of a one-sentence record) is spared.
        # The headline: the whole text's first paragraph.
        opening: Opening = (document_facts(ctx, OPENING) if count > 1 or ctx.document.piece is not None
                            else Opening(global_offset(ctx, bounds[0]) if count else None, None, count))
        shift = global_offset(ctx, 0)
        tail = count
        if opening.paragraphs > 1 and opening.last_prose is not None:
            tail = bisect_right(bounds[0::2], opening.last_prose - shift)
        head = -1
        if opening.first is not None:
            head = bisect_left(bounds[0::2], opening.first - shift)
            if head >= count or bounds[2 * head] != opening.first - shift:
                head = -1  # the headline stands before this piece's text
        link_list = _headline_runs(count, tail, para)
        final_chars = _FINAL_CHARS
        for i in range(count):
            # Each paragraph is judged once, in this loop: the one before need not be kept.
            paras.pop(i - 1, None)
            start, end = bounds[2 * i], bounds[2 * i + 1]
            in_tail = i >= tail
            if not in_tail and i != head and text[end - 1] in final_chars and text.count(" ", start, end) >= 9:
                # A sentence of the story (ends a sentence, ten words or more, before the
                # tail): nothing below calls it furniture, so skip the word scan.
                continue
            p = para(i)
            if reported and any(s <= p.start and p.end <= e for s, e in reported):
                continue
            n = p.n
            candidate = in_tail or n <= 8 or (n <= PHRASE_WORDS and not p.final)
            why = self._judge(p, low, i == head, in_tail, phrase(p, i) if candidate else None, vocab,
                              line_patterns, function_words, ctx.language.capitalises_nouns)
            if why is None and i in link_list:
                why = "headline in a list of links to other stories after the story"
            if why:
                # debris.pattern's lines, compiled only now: most texts have no furniture.
                debris_lines = _debris_lines(ctx.language.code)
                if debris_lines is not None and len(p.text) <= MAX_LINE and debris_lines.fullmatch(p.text):
                    continue  # debris.pattern reports it, with its safe fix
                yield self.finding(ctx, p.start, p.end, f"{why}; remove it if it is not part of the story",
                                   data={"kind": "paragraph"})
            elif i == head:
                suffix = self._headline_suffix(p, vocab)
                if suffix is not None:
                    yield self.finding(ctx, p.start + suffix, p.end,
                                       "site name appended to the headline; remove it",
                                       data={"kind": "headline-suffix"})

    @staticmethod
    def _judge(p: _Para, low: str, headline: bool, in_tail: bool, phrase: str | None,
               vocab: _Vocab, line_patterns: list[_Entry], function_words: frozenset[str], capitalises_nouns: bool) -> str | None:
        """Why paragraph ``p`` is site furniture, or None (``low``: the text lower-cased)."""
        n = p.n
        if n > MAX_WORDS * 2:
            return None
        if n <= LINE_WORDS:
            line_low = None
            for pattern, rid, message, triggers, _, last, in_line in line_patterns:
                if last and p.text[-1] not in last:
                    continue
                if in_line:
                    # A few str.find cost less than the pattern's failing on a line of prose.
                    if line_low is None:
                        line_low = low[p.start:p.end]
                    if not any(t in line_low for t in triggers):
                        continue
                if pattern.fullmatch(p.text):
                    return f"{message} [{rid}]"
        # A sentence of prose may mention a widget ("the privacy policy"); a widget
        # is unpunctuated, very short, or among the furniture after the story.
        if phrase is not None and (in_tail and n <= MAX_WORDS * 2
                                   or n <= PHRASE_WORDS and (not p.final or n <= 8)):
            return f"site widget text ({phrase!r})"
        if n > MAX_WORDS:
            return None
        label = vocab.labels.match(p.text) if vocab.labels else None
        if label is not None and n <= 12 and not p.text.endswith((".", "!", "?")):
            rest = p.text[label.end():].strip()
            names = [w for w in _WORD.findall(rest) if not w.isdigit()]
            credit = (rest[:1] in (":", "/", "|", "©") or bool(_DOMAIN.search(rest))
                      or (vocab.agencies is not None and vocab.agencies.search(rest) is not None)
                      # "Author Jane Doe": a name after the label (German capitals say nothing)
                      or (not headline and not capitalises_nouns and bool(names)
                          and all(w[:1].isupper() for w in names)))
            if credit:
                return f"credit, byline or caption line ({label.group(0)!r})"
        if n <= DENSITY_WORDS and not p.final:
            content = [w.lower() for w in p.words if w.lower() not in function_words and not w.isdigit()]
            if content:
                density = sum(w in vocab.words for w in content) / len(content)
                needed = 1.0 if headline else (0.5 if in_tail else 0.67)
                if density >= needed:
                    return "short line of navigation or widget words"
        return None

    @staticmethod
    def _headline_suffix(p: _Para, vocab: _Vocab) -> int | None:
        """Offset in ``p.text`` of a " — Site name" suffix on the headline, or None."""
        if p.final:
            return None
        m = _HEADLINE_SUFFIX.search(p.text)
        if m is None:
            return None
        words = [w.lower() for w in _WORD.findall(m.group(1))]
        if not 1 <= len(words) <= 4:
            return None
        if (_DOMAIN.search(m.group(1)) or any(w in vocab.site_words for w in words)
                or (vocab.agencies is not None and vocab.agencies.search(m.group(1)))):
            return m.start() + (1 if p.text[m.start()].isspace() else 0)
        return None
