"""What the gender rules share: the pronouns of a document and the people around them.

One pass per document (kept by ``ctx.analysis.shared``) finds *cues*:

- ``pronoun``: a personal pronoun of a gender (``he``, ``elle``, ``sie``, ``она``);
- ``person``: one person of a known gender: a gendered noun (``spokeswoman``,
  ``la ministre``, ``Ministerin``), a title and its name (``Mrs May``), or a name
  whose given name the lexicon knows (``Hanna Maliar``);
- ``unknown``: a person of unknown gender (``the minister``, ``President Erdogan``,
  ``Xi Jinping``): a possible antecedent that makes a pronoun unjudgeable;
- ``referent``: a thing that older style calls "she" (a ship, a country);
- ``generic``: a word after which "he" is generic ("every citizen ... he").

Everything a rule needs to judge one pronoun is then looked up in a window of
the previous and the current sentence (:func:`window`). The scan is built for
speed: candidate words are picked from the shared word spans with a numpy
filter on (first character, length, last character), then confirmed in
Python; names are only looked at where two capitalised words stand together.
"""
from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ...analysis.capitals import CapitalRuns
from ...analysis.given_names import given_name_gender as _lexicon_gender
from ...analysis.given_names import name_key
from ...analysis.words import code_points_at, is_capital
from ...languages import get_language
from ...registry import Context
from .._scan import is_word_char

PRONOUN, PERSON, UNKNOWN, REFERENT, GENERIC, TITLE, SPEECH, VERB = (
    "pronoun", "person", "unknown", "referent", "generic", "title", "speech", "verb")
GENDER_WORD = {"f": "female", "m": "male"}
OPPOSITE = {"f": "m", "m": "f"}


@dataclass(frozen=True, slots=True)
class Cue:
    start: int
    end: int
    kind: str
    gender: str = ""
    #: What a message quotes ("spokeswoman Shushan Stepanyan").
    label: str = ""


# -- data -------------------------------------------------------------------------------
def _words(values: Iterable[Any] | None) -> list[str]:
    return [str(v) for v in values or []]


@dataclass
class LangData:
    code: str
    pronouns: dict[str, str]
    #: anchor (last word of an entry, lower case) -> [(entry lower case, kind, gender)], longest
    #: first: gendered nouns and titles, found up front
    phrases: dict[str, list[tuple[str, str, str]]]
    #: the same for the cues only looked for in a window a rule asks about (neutral persons,
    #: referents, generic words, speech and person verbs)
    window_phrases: dict[str, list[tuple[str, str, str]]]
    titles: dict[str, str]
    head_titles: frozenset[str]
    title_modifiers: frozenset[str]
    particles: frozenset[str]
    not_given: frozenset[str]
    not_heads: frozenset[str]
    function_words: frozenset[str]
    feminine_contexts: frozenset[str]
    abbreviations: frozenset[str]
    quotes: tuple[tuple[str, str], ...]
    needs_person_verb: bool
    person_verb_reach: tuple[int, int]
    #: What, right after a pronoun, makes it impersonal ("il y a", "il a été annoncé").
    impersonal_after: re.Pattern[str] | None
    #: Gendered endings of role nouns, longest first ("ministerin": f), and the articles a
    #: masculine one needs before it (German "der Minister", not "die Minister").
    suffixes: tuple[tuple[str, str], ...]
    suffix_male_determiners: frozenset[str]
    #: Small words that may stand inside a title before a name ("minister of defence").
    name_links: frozenset[str]
    #: Object pronouns ("him", "her"): their antecedent is not in their own sentence.
    object_pronouns: frozenset[str]
    #: Words that make the person noun after them a predicate, not a new person ("as").
    predicate_words: frozenset[str]
    #: Corrections to the given-name lexicon (key -> "f", "m" or "u").
    name_overrides: dict[str, str]
    capitalises_nouns: bool
    #: Articles: a capitalised run after one is a thing ("the Washington Post").
    articles: frozenset[str]
    raw: dict[str, Any]
    _codes: Any = None
    _bitmap: Any = None
    _anchors: Any = None

    @property
    def active(self) -> bool:
        return bool(self.pronouns)

    def anchors(self) -> frozenset[str]:
        """Words that start an up-front cue (pronouns, gendered nouns, titles)."""
        # Built once: every short document asks for it, and the union costs ~10 us.
        if self._anchors is None:
            self._anchors = frozenset(self.phrases) | frozenset(self.pronouns)
        return self._anchors

    def window_anchors(self) -> frozenset[str]:
        """Words that start a cue looked for in windows only."""
        return frozenset(self.window_phrases)

    def length_last(self):
        """Booleans indexed by [min(length, 63) * 64 + first character % 64, last character
        % 1024] of every anchor spelling, up-front and window ones (a cheap first filter)."""
        if self._bitmap is None:
            import numpy as np

            table = np.zeros((64 * 64, 0x400), dtype=bool)
            for word in self.anchors() | self.window_anchors():
                for form in _spellings(word):
                    table[min(len(form), 63) * 64 + (ord(form[0]) & 0x3F), ord(form[-1]) & 0x3FF] = True
            self._bitmap = table
        return self._bitmap

    def codes(self):
        """Sorted hashes (:func:`_code`) of every spelling of the up-front and the window
        anchors, and for each whether it is a window anchor (the two sets may overlap:
        then it is listed once per set)."""
        if self._codes is None:
            import numpy as np

            def hashes(words):
                return {_code(ord(f[0]), ord(f[1]) if len(f) > 1 else 0, ord(f[-2]) if len(f) > 1 else 0,
                              len(f), ord(f[-1])) for w in words for f in _spellings(w)}

            eager, window = hashes(self.anchors()), hashes(self.window_anchors())
            merged = sorted({h: (h in eager, h in window) for h in eager | window}.items())
            self._codes = (np.array([h for h, _ in merged], dtype=np.uint64),
                           np.array([e for _, (e, _) in merged], dtype=bool),
                           np.array([w for _, (_, w) in merged], dtype=bool))
        return self._codes

def _spellings(word: str) -> set[str]:
    """The lower-case, capitalised and upper-case spellings of a word (same length)."""
    return {f for f in (word, word[:1].upper() + word[1:], word.upper()) if f and len(f) == len(word)}


_MASK = (1 << 64) - 1
_K1, _K2, _K3, _K4 = 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5


def _code(first: int, second: int, penult: int, length: int, last: int) -> int:
    """A 64-bit hash of a word's first two and last two characters and its length
    (the numpy filter computes the same with wrapping arithmetic)."""
    return (first * _K1 + second * _K2 + penult * _K4 + last * _K3 + min(length, 255)) & _MASK


_WORD = re.compile(r"\w+")


def last_word(text: str, lo: int, end: int) -> tuple[int, int] | None:
    """The span of the last ``\\w+`` word of ``text[lo:end]`` (cut at ``lo``), or None: what
    ``re.compile(r"\\w+(?=\\W*$)").search(text, lo, end)`` finds, without trying the
    pattern at each character of the window."""
    stop = end
    while stop > lo and not is_word_char(text[stop - 1]):
        stop -= 1
    if stop <= lo:
        return None
    start = stop - 1
    while start > lo and is_word_char(text[start - 1]):
        start -= 1
    return start, stop


def _phrase_pattern(phrases: list[str]) -> re.Pattern[str] | None:
    """A pattern matching one of ``phrases`` after white space, at a given position."""
    if not phrases:
        return None
    alternation = "|".join(sorted((re.escape(p.lower()).replace("\\ ", r"\s+") for p in phrases),
                                  key=len, reverse=True))
    return re.compile(rf"\s+(?:{alternation})(?!\w)")


@functools.cache
def lang_data(code: str) -> LangData:
    lang = get_language(code)
    raw = lang.data("gender")
    pronouns = {w.lower(): g for key, g in (("female", "f"), ("male", "m"))
                for w in _words(raw.get("pronouns", {}).get(key))}
    phrases: dict[str, list[tuple[str, str, str]]] = {}
    window_phrases: dict[str, list[tuple[str, str, str]]] = {}

    def add(table: dict, entries: Iterable[str], kind: str, gender: str = "") -> None:
        for entry in entries:
            low = entry.lower()
            words = _WORD.findall(low)
            if not words:
                continue
            table.setdefault(words[-1], []).append((low, kind, gender))

    dets = raw.get("determiners") or {}
    for key, g in (("female", "f"), ("male", "m")):
        add(phrases, _words(raw.get("persons", {}).get(key)), PERSON, g)
        add(phrases, _words(raw.get("titles", {}).get(key)), TITLE, g)
        # "la ministre", "el portavoz": a noun of either gender, and an article that decides.
        add(phrases, [f"{d} {n}" for d in _words(dets.get(key)) for n in _words(raw.get("epicene_persons"))],
            PERSON, g)
    suffixes = tuple(sorted(((w.lower(), g) for key, g in (("female", "f"), ("male", "m"))
                             for w in _words((raw.get("persons_suffix") or {}).get(key))),
                            key=lambda x: -len(x[0])))
    add(window_phrases, _words(raw.get("neutral_persons")), UNKNOWN)
    add(window_phrases, _words(raw.get("feminine_referents")), REFERENT)
    add(window_phrases, _words(raw.get("generic_words")), GENERIC)
    add(window_phrases, _words(raw.get("speech_verbs")), SPEECH)
    add(window_phrases, _words(raw.get("person_verbs")), VERB)
    for table in (phrases, window_phrases):
        for anchor, entries in table.items():
            # Longest entries first; one (entry, kind) once.
            seen = set()
            unique = []
            for e in sorted(entries, key=lambda x: -len(x[0])):
                if (e[0], e[1]) not in seen:
                    seen.add((e[0], e[1]))
                    unique.append(e)
            table[anchor] = unique
    titles = {w: g for key, g in (("female", "f"), ("male", "m"))
              for w in _words(raw.get("titles", {}).get(key))}
    fw = frozenset(w.casefold() for w in lang.data("function_words").get("words", []))
    reach = raw.get("person_verb_reach", [2, 3])
    return LangData(
        code=code, pronouns=pronouns, phrases=phrases, window_phrases=window_phrases, titles=titles,
        head_titles=frozenset(_words(raw.get("neutral_titles"))),
        title_modifiers=frozenset(_words(raw.get("title_modifiers"))),
        particles=frozenset(_words(raw.get("name_particles"))),
        not_given=frozenset(_words(raw.get("not_given_names"))),
        not_heads=frozenset(_words(raw.get("not_person_heads"))),
        function_words=fw,
        feminine_contexts=frozenset(w.lower() for w in _words(raw.get("feminine_contexts"))),
        abbreviations=frozenset(_words(raw.get("abbreviations"))),
        quotes=tuple((str(a), str(b)) for a, b in raw.get("quotes", [])),
        needs_person_verb=bool(raw.get("pronoun_needs_person_verb", False)),
        person_verb_reach=(int(reach[0]), int(reach[1])),
        impersonal_after=_phrase_pattern(_words(raw.get("impersonal_after"))),
        suffixes=suffixes,
        name_links=frozenset(w.lower() for w in _words(raw.get("title_links"))),
        object_pronouns=frozenset(w.lower() for w in _words(raw.get("object_pronouns"))),
        predicate_words=frozenset(w.lower() for w in _words(raw.get("predicate_words"))),
        name_overrides={name_key(str(k)): str(v) for k, v in (raw.get("given_name_overrides") or {}).items()},
        suffix_male_determiners=frozenset(w.lower() for w in _words(raw.get("suffix_male_determiners"))),
        capitalises_nouns=bool(getattr(lang, "capitalises_nouns", False)),
        articles=frozenset(w.casefold() for w in _words(lang.data("articles").get("articles"))),
        raw=raw,
    )


# -- the scan ---------------------------------------------------------------------------
def _candidate_words(ctx: Context, data: LangData):
    """Spans of words that may start an up-front cue, and (numpy only) the start and end
    offsets of words that may start a window cue; supersets that callers confirm.
    Without numpy (short texts) the second item is None and windows are scanned."""
    spans = ctx.analysis.words
    starts, ends = spans.starts, spans.ends
    if isinstance(starts, list):
        anchors = data.anchors()
        return [(s, e) for s, e, w in zip(starts, ends, spans.lower_words()) if w in anchors], None
    import numpy as np

    if not len(starts):
        return [], (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    text = spans.text

    def points_at(positions):
        # The code points at word offsets (ascending), made a block of the text at a time.
        return code_points_at(text, positions)

    # Stage 1: (length, first character, last character) triples that some anchor has,
    # folded into a small table (cheap to gather).
    row = np.minimum(ends - starts, 63) * 64 + (points_at(starts) & 0x3F)
    keep = data.length_last()[row, points_at(ends - 1) & 0x3FF]
    idx = np.flatnonzero(keep)
    s, e = starts[idx], ends[idx]
    # Stage 2: a 64-bit hash of first two and last two characters and length, looked up
    # among the anchors' hashes.
    first = points_at(s).astype(np.uint64)
    multi = (e - s) > 1
    second = np.where(multi, points_at(np.minimum(s + 1, len(text) - 1)), 0).astype(np.uint64)
    penult = np.where(multi, points_at(np.maximum(e - 2, 0)), 0).astype(np.uint64)
    last = points_at(e - 1).astype(np.uint64)
    length = np.minimum(e - s, 255).astype(np.uint64)
    with np.errstate(over="ignore"):
        codes = (first * np.uint64(_K1) + second * np.uint64(_K2) + penult * np.uint64(_K4)
                 + last * np.uint64(_K3) + length)
    wanted, is_eager, is_window = data.codes()
    if not len(wanted):
        return [], (s[:0], e[:0])
    at = np.minimum(np.searchsorted(wanted, codes), len(wanted) - 1)
    found = wanted[at] == codes
    hit = found & is_eager[at]
    win = found & is_window[at]
    return list(zip(s[hit].tolist(), e[hit].tolist())), (s[win], e[win])


def given_name_gender(word: str, data: LangData) -> str | None:
    """The lexicon's gender of a given name, with the language data's corrections."""
    override = data.name_overrides.get(name_key(word)) if data.name_overrides else None
    return override if override is not None else _lexicon_gender(word)


class Analysis:
    """The cues of one document. Nouns, titles and pronouns are found up front; names
    (pairs of capitalised words) are read lazily, only in the windows a rule asks about."""

    def __init__(self, ctx: Context, data: LangData) -> None:
        self.ctx = ctx
        self.text = ctx.text
        self.data = data
        self.low = ctx.analysis.lower_aligned
        self.cues: list[Cue] = []
        self._starts: list[int] = []
        self._surnames: dict[str, str | None] = {}
        #: Capitalised runs: word-index ranges [first, last] and their start offsets.
        self._runs: CapitalRuns = CapitalRuns([], [], [])
        self._run_cues: dict[int, Cue | None] = {}
        self._covered: list[tuple[int, int]] = []
        self._window_cache: dict[tuple[int, int], list[Cue]] = {}
        #: numpy (starts, ends) of words that may start a window cue; None: scan windows
        self._window_words: Any = None
        #: line start -> (line start, sentence starts, line end)
        self._lines: dict[int, tuple[int, list[int], int]] = {}
        if data.active:
            self._scan()

    # -- building ---------------------------------------------------------------------
    def _scan(self) -> None:
        text, low, data = self.text, self.low, self.data
        cues: list[Cue] = []
        candidates, self._window_words = _candidate_words(self.ctx, data)
        for s, e in candidates:
            word = low[s:e]
            gender = data.pronouns.get(word)
            if gender is not None:
                if not self._in_name(s, e):
                    cues.append(Cue(s, e, PRONOUN, gender, text[s:e]))
                continue
            for entry, kind, g in data.phrases.get(word, ()):
                start = e - len(entry)
                if start < 0 or low[start:e] != entry or (start and text[start - 1].isalnum()):
                    continue
                if kind == TITLE:
                    if text[start:e] not in data.titles:
                        continue  # case-sensitive: "Mrs", not "mrs"
                    cue = self._titled_name(start, e, g)
                    if cue is not None:
                        cues.append(cue)
                    break
                if kind == PERSON:
                    cues.append(self._noun_and_name(start, e, g))
                    break
                cues.append(Cue(start, e, kind, g, text[start:e]))
                break
        if data.suffixes:
            cues.extend(self._suffix_persons())
        cues.sort(key=lambda c: (c.start, c.end))
        self.cues = cues
        self._starts = [c.start for c in cues]
        self._covered = [(c.start, c.end) for c in cues if c.kind == PERSON]
        self._runs = self.ctx.analysis.capital_runs_ascii_joined

    def _in_name(self, start: int, end: int) -> bool:
        """A capitalised pronoun that is part of a name: "He Jiankui", "Union He Hospital"."""
        text, data = self.text, self.data
        if not is_capital(text[start]) or data.capitalises_nouns:
            return False
        nxt = _WORD.match(text, end + 1) if text[end:end + 1] == " " else None
        if nxt and is_capital(nxt.group()[0]) and nxt.group().casefold() not in data.function_words:
            return True
        if start >= 2 and text[start - 1] == " " and text[start - 2].isalnum():
            prev = last_word(text, max(0, start - 40), start)
            return bool(prev and is_capital(text[prev[0]])
                        and text[prev[0]:prev[1]].casefold() not in data.function_words)
        return False

    def _suffix_persons(self) -> list[Cue]:
        """German role nouns by their ending: "Verteidigungsministerin" (f) anywhere,
        "der Regierungssprecher" (m) after a singular masculine article."""
        low, data = self.low, self.data
        ends = {suffix[-2:] for suffix, _ in data.suffixes}
        shortest = min(len(suffix) for suffix, _ in data.suffixes)
        spans = self.ctx.analysis.words
        starts, stops = spans.starts, spans.ends
        if not isinstance(starts, list) and len(starts):
            import numpy as np

            # Only words of the right length whose last two letters end some suffix.
            text = spans.text
            pair = code_points_at(text, np.maximum(stops - 2, 0)).astype(np.int64) * 0x110000 \
                + code_points_at(text, stops - 1)
            wanted = np.array(sorted({ord(x[0]) * 0x110000 + ord(x[1]) for x in ends}
                                     | {ord(x[0].upper()) * 0x110000 + ord(x[1]) for x in ends}),
                              dtype=np.int64)
            idx = np.flatnonzero(np.isin(pair, wanted) & (stops - starts >= shortest))
            pairs = zip(starts[idx].tolist(), stops[idx].tolist())
        else:
            pairs = zip(starts, stops)
        table = dict(data.suffixes)
        lengths = sorted({len(x) for x in table}, reverse=True)
        out = []
        for s, e in pairs:
            if e - s < shortest or low[e - 2:e] not in ends:
                continue
            for n in lengths:  # longest suffix first: "ministerin" before "minister"
                g = table.get(low[e - n:e]) if n <= e - s else None
                if g is None:
                    continue
                if g == "m":
                    before = _WORD.findall(low[max(0, s - 30):s])
                    if not before or before[-1] not in data.suffix_male_determiners:
                        break
                    start = low.rfind(before[-1], max(0, s - 30), s)
                else:
                    start = s
                out.append(self._noun_and_name(start, e, g))
                break
        return out

    def _next_capitalised_run(self, pos: int, limit: int = 80,
                              leading_particles: bool = False) -> tuple[int, int, list[str]]:
        """The capitalised words (and name particles) right after ``pos`` (spaces between);
        ``leading_particles``: particles may come first ("... Ursula| von der Leyen")."""
        text = self.text
        words: list[str] = []
        start = end = pos
        i = pos
        n = len(text)
        while i < n and i - pos < limit:
            j = i
            while j < n and text[j] in " \u00a0":
                j += 1
            if j == i and words:
                break
            m = _WORD.match(text, j)
            if not m:
                break
            w = m.group()
            if is_capital(w[0]):
                if not words:
                    start = j
                words.append(w)
                end = m.end()
                i = end
                if i < n and text[i] == "." and len(w) <= 2 or i < n and text[i] == "-" and i + 1 < n and is_capital(text[i + 1]):  # an initial: "John F. Kennedy"
                    i += 1
                continue
            if w in self.data.particles and (words or leading_particles):
                i = m.end()
                continue
            break
        return start, end, words

    def _titled_name(self, start: int, end: int, gender: str) -> Cue | None:
        """"Mrs May", "Sir Keir Starmer": a title and the name after it."""
        text = self.text
        pos = end + 1 if end < len(text) and text[end] == "." else end
        if pos >= len(text) or text[pos] not in " \u00a0":
            return None
        nstart, nend, words = self._next_capitalised_run(pos)
        if not words or nstart - pos > 2:
            return None
        return Cue(start, nend, PERSON, gender, text[start:nend])

    def _noun_and_name(self, start: int, end: int, gender: str) -> Cue:
        """"spokeswoman Shushan Stepanyan": the noun is the name's title."""
        text = self.text
        if end < len(text) and text[end] == " ":
            nstart, nend, words = self._next_capitalised_run(end)
            if words and nstart == end + 1 and words[0].casefold() not in self.data.function_words:
                return Cue(start, nend, PERSON, gender, text[start:nend])
        return Cue(start, end, PERSON, gender, text[start:end])

    def _run_cue(self, k: int) -> Cue | None:
        """The person (or person of unknown gender) that capitalised run ``k`` names, if any."""
        if k in self._run_cues:
            return self._run_cues[k]
        cue = self._read_run(k)
        self._run_cues[k] = cue
        return cue

    def _read_run(self, k: int) -> Cue | None:
        text, data = self.text, self.data
        spans = self.ctx.analysis.words
        starts, ends = spans.starts, spans.ends
        a, b = self._runs.firsts[k], self._runs.lasts[k]
        first_start = int(starts[a])
        i = bisect.bisect_right(self._covered, (first_start, 1 << 60)) - 1
        if i >= 0 and self._covered[i][1] > first_start:
            return None  # part of a name read with its title or noun
        words = [(int(starts[j]), int(ends[j])) for j in range(a, b + 1)]
        # Particles and initials after the run: "Ursula von der Leyen", "John F. Kennedy".
        last_end = words[-1][1]
        if text[last_end:last_end + 1] in (" ", ".") and text[last_end + 1:last_end + 2].islower() \
                or text[last_end:last_end + 2] == ". " and last_end - words[-1][0] == 1:
            _, _, more = self._next_capitalised_run(last_end, leading_particles=True)
            m = last_end
            for w in more:
                p = text.find(w, m)
                words.append((p, p + len(w)))
                m = p + len(w)
        tokens = [text[s:e] for s, e in words]
        titled = False
        before = text[max(0, first_start - 12):first_start].rstrip(" \u00a0'\u2019")
        prev = _WORD.findall(before)[-1:] if before[-1:].isalnum() else []
        # "the Washington Post", "la Tribune de Genève": a thing, up to the next title.
        thing = bool(prev) and prev[0].casefold() in data.articles
        label_from: int | None = None
        last = len(tokens) - 1
        for n, tok in enumerate(tokens):
            if tok in data.head_titles:
                titled, thing = True, False
                label_from = n if label_from is None else label_from
                continue
            if tok in data.title_modifiers:
                label_from = n if label_from is None else label_from
                continue
            if tok.casefold() in data.function_words and not titled:
                thing = tok.casefold() in data.articles
                label_from = None
                continue
            if thing:
                continue
            if not titled:
                label_from = None
            if tok in data.not_heads:
                # "Defense Ministry", "European Commission (President Ursula ...)"
                titled, label_from = False, None
                continue
            if n == last:
                if titled:
                    return self._surname_cue(words[n][0], words[n][1], tok)
                return None
            if tokens[n + 1] in data.not_heads:
                continue  # "Washington Post", "European Commission"
            s0, e_last = words[n][0], words[-1][1]
            gender = None
            if tok not in data.not_given and tok.casefold() not in data.function_words:
                gender = given_name_gender(tok, data)
            if gender in ("f", "m"):
                label_start = words[label_from][0] if label_from is not None else s0
                return Cue(label_start, e_last, PERSON, gender, text[label_start:e_last])
            if gender == "u":
                return Cue(s0, e_last, UNKNOWN, "", text[s0:e_last])
            if titled:
                return self._surname_cue(s0, e_last, tokens[-1])
        return None

    def _surname_cue(self, start: int, end: int, surname: str) -> Cue:
        g = self.surname_gender(surname)
        if g in ("f", "m"):
            return Cue(start, end, PERSON, g, self.text[start:end])
        return Cue(start, end, UNKNOWN, "", self.text[start:end])

    def surname_gender(self, surname: str) -> str | None:
        """The gender of a surname from its full mentions in the document: "f" for
        Merkel after "Angela Merkel" or "Mrs Merkel", "u" when they disagree, else None."""
        if surname in self._surnames:
            return self._surnames[surname]
        text, data = self.text, self.data
        found: set[str] = set()
        pos = text.find(surname)
        n = 0
        while pos != -1 and n < 50:
            n += 1
            end = pos + len(surname)
            if (pos == 0 or not text[pos - 1].isalnum()) and (end >= len(text) or not text[end].isalnum()):
                line_start = text.rfind("\n", 0, pos) + 1
                before = text[max(line_start, pos - 60):pos]
                words = _WORD.findall(before)
                gap_ok = before[-1:] in (" ", "\u00a0")
                if words and gap_ok:
                    prev = words[-1]
                    if prev in data.titles:
                        found.add(data.titles[prev])
                    elif is_capital(prev[0]) and prev not in data.not_given and \
                            prev.casefold() not in data.function_words:
                        g = given_name_gender(prev, data)
                        if g in ("f", "m"):
                            found.add(g)
                    elif len(words) >= 2 and words[-2] in data.titles and before.rstrip()[-1:] == ".":
                        found.add(data.titles[words[-2]])
                    for c in self.between(max(line_start, pos - 80), pos):
                        if c.kind == PERSON and c.end == end:
                            found.add(c.gender)
            pos = text.find(surname, pos + 1)
        gender = (found.pop() if len(found) == 1 else "u") if found else None
        self._surnames[surname] = gender
        return gender

    # -- querying ---------------------------------------------------------------------
    def between(self, lo: int, hi: int) -> list[Cue]:
        """Eager cues (pronouns, nouns, titles) that start in [lo, hi)."""
        i = bisect.bisect_left(self._starts, lo)
        j = bisect.bisect_left(self._starts, hi)
        return self.cues[i:j]

    def names(self, lo: int, hi: int) -> list[Cue]:
        """Persons named by capitalised runs that start in [lo, hi)."""
        i = bisect.bisect_left(self._runs.starts, lo)
        j = bisect.bisect_left(self._runs.starts, hi)
        out = []
        for k in range(i, j):
            cue = self._run_cue(k)
            if cue is not None:
                out.append(cue)
        return out

    def window_cues(self, lo: int, hi: int) -> list[Cue]:
        """Neutral persons, referents, generic words and verbs in [lo, hi) (looked for
        only where a rule asks)."""
        key = (lo, hi)
        found = self._window_cache.get(key)
        if found is not None:
            return found
        text, low, table = self.text, self.low, self.data.window_phrases
        out = []
        if self._window_words is not None:
            import numpy as np

            starts, ends = self._window_words
            i, j = np.searchsorted(starts, [lo, hi])
            words = [(low[a:b], b) for a, b in zip(starts[i:j].tolist(), ends[i:j].tolist())]
        else:
            words = [(m.group(), m.end()) for m in _WORD.finditer(low, lo, hi)]
        for word, e in words:
            entries = table.get(word)
            if not entries:
                continue
            for entry, kind, g in entries:
                start = e - len(entry)
                if start < 0 or low[start:e] != entry or (start and text[start - 1].isalnum()):
                    continue
                out.append(Cue(start, e, kind, g, text[start:e]))
                break
        self._window_cache[key] = out
        return out

    def all_between(self, lo: int, hi: int) -> list[Cue]:
        """Every cue in [lo, hi), names and window cues included, sorted."""
        cues = self.between(lo, hi) + self.names(lo, hi) + self.window_cues(lo, hi)
        cues.sort(key=lambda c: (c.start, c.end))
        return cues

    def surname_cues(self, lo: int, hi: int) -> list[Cue]:
        """Capitalised single words in [lo, hi) next to a speech verb ("Harutyunyan said",
        "said Harutyunyan.") or before "'s": a person, whose gender is that of the
        surname's full mentions ("Harris" after "Kamala Harris"), else unknown."""
        text, data = self.text, self.data
        out: list[Cue] = []
        seen: set[int] = set()
        spots: list[tuple[int, int]] = []
        for c in self.window_cues(lo, hi):
            if c.kind != SPEECH:
                continue
            before = last_word(text, max(lo, c.start - 40), c.start)
            if before and c.start - before[1] <= 2 and not text[before[1]:c.start].strip():
                spots.append(before)
            after = _WORD.match(text, c.end + 1) if text[c.end:c.end + 1] == " " else None
            if after and after.end() <= hi:
                nxt = _WORD.search(text, after.end(), min(len(text), after.end() + 40))
                between = text[after.end():nxt.start()] if nxt else ""
                # "said Harutyunyan." but not "said Russian forces had ...".
                if nxt is None or any(p in between for p in ",.;:)") or is_capital(nxt.group()[0]):
                    spots.append(after.span())
        possessives: set[int] = set()
        for mark in ("'s", "\u2019s"):
            pos = text.find(mark, lo, hi)
            while pos != -1:
                before = last_word(text, max(lo, pos - 40), pos)
                if before and before[1] == pos:
                    spots.append(before)
                    possessives.add(before[0])
                pos = text.find(mark, pos + 2, hi)
        for s, e in spots:
            w = text[s:e]
            if s in seen or not is_capital(w[0]) or w.casefold() in data.function_words:
                continue
            if w in data.head_titles or w in data.title_modifiers or w in data.titles:
                continue
            seen.add(s)
            g = self.surname_gender(w)
            if g in ("f", "m"):
                out.append(Cue(s, e, PERSON, g, w))
            elif s not in possessives or g == "u":
                # ("Amnesty's director" names no person of unknown gender)
                out.append(Cue(s, e, UNKNOWN, "", w))
        out.sort(key=lambda c: c.start)
        return out

    def in_quote(self, pos: int) -> bool:
        """Whether ``pos`` lies inside a quotation (counted from its line's start)."""
        text = self.text
        line_start = text.rfind("\n", 0, pos) + 1
        prefix = text[line_start:pos]
        for open_, close in self.data.quotes:
            if open_ == close:
                if prefix.count(open_) % 2:
                    return True
            elif prefix.count(open_) > prefix.count(close):
                return True
        return False


def may_have_pronoun(ctx: Context) -> bool:
    """False when a short document has no word of the pronoun list, hence no pronoun cue
    (most one-sentence segments): tested in C on the shared lower-cased words, which
    spares the analysis. Pronoun cues are words whose lower case is in that list."""
    spans = ctx.analysis.words
    if spans.fast:
        return True
    return not lang_data(ctx.language.code).pronouns.keys().isdisjoint(spans.lower_words())


def analyse(ctx: Context) -> Analysis:
    """The document's gender cues (computed once per document, shared by the gender rules)."""
    return ctx.analysis.shared(_analyse)


def _analyse(ctx: Context) -> Analysis:
    return Analysis(ctx, lang_data(ctx.language.code))


# -- sentences ----------------------------------------------------------------------


def _is_boundary(text: str, i: int, data: LangData) -> bool:
    """Whether the sentence-ending mark at ``text[i]`` ends a sentence."""
    if text[i] != ".":
        return True
    j = i
    while j > 0 and text[j - 1].isalnum():
        j -= 1
    word = text[j:i]
    if not word:
        return True
    if len(word) == 1 and word.isupper():
        return False  # an initial: "John F. Kennedy"
    if word in data.abbreviations:
        return False
    if j >= 2 and text[j - 1] == "." and len(word) <= 2:
        return False  # "U.S."
    return True


_BOUNDARY = re.compile(r"[.!?\u2026][\"'\u201d\u2019\u00bb)\]]*[ \t\u00a0]+")


def _line_sentences(analysis: Analysis, pos: int) -> tuple[int, list[int], int]:
    """(line start, sentence starts of the line holding ``pos``, line end), cached per line."""
    text = analysis.text
    line_start = text.rfind("\n", 0, pos) + 1
    found = analysis._lines.get(line_start)
    if found is None:
        line_end = text.find("\n", line_start)
        if line_end == -1:
            line_end = len(text)
        starts = [line_start] + [m.end() for m in _BOUNDARY.finditer(text, line_start, line_end)
                                 if m.end() < line_end and _is_boundary(text, m.start(), analysis.data)]
        found = analysis._lines[line_start] = (line_start, starts, line_end)
    return found


def window(analysis: Analysis, pos: int) -> tuple[int, int, int]:
    """(start of the previous sentence, start of the current one, end of the current one)."""
    text = analysis.text
    _line_start, starts, line_end = _line_sentences(analysis, pos)
    k = bisect.bisect_right(starts, pos) - 1
    cur = starts[k]
    end = starts[k + 1] if k + 1 < len(starts) else line_end
    if k > 0:
        return starts[k - 1], cur, end
    i = cur - 1
    while i >= 0 and text[i] in " \t\u00a0\r\n":
        i -= 1
    if i < 0:
        return cur, cur, end
    _, prev_starts, _ = _line_sentences(analysis, i)
    return prev_starts[bisect.bisect_right(prev_starts, i) - 1], cur, end


def sentence_start(analysis: Analysis, pos: int) -> int:
    _, starts, _ = _line_sentences(analysis, pos)
    return starts[bisect.bisect_right(starts, pos) - 1]


def near_person_verb(analysis: Analysis, cue: Cue) -> bool:
    """Whether a person verb stands within reach of a pronoun ("il a précisé",
    "a-t-elle ajouté", "sagte sie", "она заявила")."""
    text = analysis.text
    before, after = analysis.data.person_verb_reach
    lo = max(0, cue.start - 40 * before)
    hi = cue.end + 40 * after
    line_start = text.rfind("\n", 0, cue.start) + 1
    lo = max(lo, line_start)
    verbs = [c for c in analysis.window_cues(lo, hi) if c.kind in (VERB, SPEECH)]
    if not verbs:
        return False
    left = [m.span() for m in _WORD.finditer(text, lo, cue.start)][-before:] if before else []
    right = [m.span() for m in _WORD.finditer(text, cue.end, min(hi, len(text)))][:after]
    near = {s for s, _ in left} | {s for s, _ in right}
    for v in verbs:
        if v.start in near:
            gap = text[min(v.end, cue.end):max(v.start, cue.start)]
            if not any(p in gap for p in ".;:!?\n"):
                return True
    return False


def attached_to_name(analysis: Analysis, unknown: Cue, cues: list[Cue]) -> bool:
    """Whether a person noun of unknown gender is only the title, apposition or predicate
    of a gendered name: "Deputy Defence Minister Hanna Maliar", "Merkel, the chancellor,",
    "Liz Truss resigned as prime minister"."""
    text = analysis.text
    before = _WORD.findall(text, max(0, unknown.start - 30), unknown.start)[-3:]
    if any(w.lower() in analysis.data.predicate_words for w in before):
        return True
    for c in cues:
        if c.kind != PERSON or c is unknown:
            continue
        if c.start <= unknown.start and unknown.end <= c.end:
            return True
        if unknown.end <= c.start and c.start - unknown.end <= 60:
            between = text[unknown.end:c.start]
            words = _WORD.findall(between)
            if len(words) <= 4 and not any(p in between for p in ",;.()") and \
                    all(w[:1].isupper() or w.lower() in analysis.data.window_phrases
                        or w.lower() in analysis.data.name_links for w in words):
                return True  # a title: "minister Hanna Maliar", "representative of the ministry X"
        if c.end <= unknown.start and unknown.start - c.end <= 60:
            between = text[c.end:unknown.start]
            if between.lstrip().startswith(",") and between.count(",") == 1 and \
                    not any(p in between for p in ".;()") and \
                    not any(w.lower() in ("who", "which", "that", "and", "with", "qui", "que", "der",
                                          "die", "und", "y", "que", "и", "который", "которая")
                            for w in _WORD.findall(between)):
                return True  # an apposition: "Hanna Maliar, the deputy minister,"
    return False
