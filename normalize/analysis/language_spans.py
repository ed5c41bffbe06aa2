"""Language spans: text left in another language or script (``ctx.analysis.language_spans``).

Two cheap passes mark candidates; language identification
(:mod:`.langid`) then only looks at those:

* the script pass: words of another writing system (Cyrillic in English
  copy, Latin in Russian copy);
* the function-word pass: a clause whose short words are another
  language's function words ("das ist nicht", "according to the") rather
  than the document's. The marker words are found with
  :func:`normalize.analysis.lookup.word_indices` (numpy on large documents), so Python code
  only sees the few places where two markers stand close together.

Candidates that are names, titles, glossed quotes, loan phrases ("coup
d'état", "status quo"), URLs or bracketed originals are dropped.
"""
from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..patterns import LazyPattern
from . import langid
from .lookup import word_indices
from .scripts import (
    CASED,
    NEUTRAL,
    SCRIPT_ID,
    SCRIPTS,
    UNSPACED,
    foreign_letters,
    script_of,
)

if TYPE_CHECKING:
    from ..registry import Context

#: Where a clause ends (a comma ends a clause but not a sentence piece).
_STRONG = frozenset(".!?;:()[]{}«»“”„\"‹›|•\t\n\r—–")
_CLOSE_QUOTES = frozenset("”»“\"›’'")
#: What ends a run of foreign-script words: quotation marks (not apostrophes), brackets.
_RUN_BREAKS = frozenset("“”«»„\"‹›()[]{}\n")
_TOKEN = LazyPattern(r"[^\W\d_]+")
_URLISH = LazyPattern(r"(?:https?://|www\.|@\w|\.(?:com|org|net|ru|ua|fr|de)\b)", re.IGNORECASE)
#: Fewest words of a same-script candidate.
MIN_WORDS = 4
#: Fewest lower-case (not name) words of a same-script candidate.
MIN_LOWER = 3


@dataclass(frozen=True, slots=True)
class Fragment:
    start: int
    end: int
    language: str | None      # ISO 639-1 code when known
    confidence: float | None  # the identifier's probability, when it was asked
    method: str               # "script", "langid", "function words", "letters"
    script: str = ""


# -- data ------------------------------------------------------------------------
@dataclass(frozen=True)
class Profile:
    """What the untranslated rules need to know about one document language."""

    code: str
    script: int
    function_words: frozenset[str]
    markers: dict[str, frozenset[str]]      # marker word -> languages
    marker_forms: frozenset[str]            # markers as they may be written (lower, Capitalised)
    loan_pattern: LazyPattern | None
    particles: frozenset[str]
    title_words: LazyPattern | None
    gloss_words: LazyPattern | None
    langid_languages: tuple[str, ...]
    flag_languages: frozenset[str]
    min_confidence: float
    script_languages: dict[str, tuple[str, ...]]
    marker_letters: dict[str, str]
    all_function_words: frozenset[str]
    lists: dict[str, frozenset[str]]        # each compared language's function words
    noun_capitals: frozenset[str]           # compared languages that capitalise nouns (German)
    all_latin_function_words: frozenset[str]


def _strings(values: Iterable[Any] | None) -> list[str]:
    return [str(v) for v in values or [] if isinstance(v, str)]


def _phrase_pattern(phrases: Iterable[str], *, suffix: str = "") -> LazyPattern | None:
    # Longest first; ties in a fixed order, so the pattern (and its cached program) is
    # the same in every process (a set's order changes with the hash seed).
    items = sorted({p.lower().strip() for p in phrases if p.strip()}, key=lambda p: (-len(p), p))
    if not items:
        return None
    alts = "|".join(re.escape(p).replace("\\ ", r"\s+").replace("'", "['’]").replace("’", "['’]")
                    for p in items)
    # Compiled on first use: a text with no foreign candidate never needs it.
    return LazyPattern(rf"(?<!\w)(?:{alts}){suffix}(?!\w)", re.IGNORECASE)


@functools.lru_cache(maxsize=32)
def profile(code: str, source_lang: str | None) -> Profile:
    from ..languages.base import get_language

    lang = get_language(code)
    data = lang.data("untranslated")
    family = lang.family
    own = frozenset(w.lower() for w in _strings(lang.data("function_words").get("words")))
    not_foreign = frozenset(w.lower() for w in _strings(data.get("not_foreign")))
    markers: dict[str, set[str]] = {}
    all_fw: set[str] = set(own)
    lists: dict[str, list[str]] = {}
    for other in _strings(data.get("compare_with")):
        if other == family:
            continue
        lists[other] = _strings(get_language(other).data("function_words").get("words")) + \
            _strings(get_language(other).data("untranslated").get("extra_function_words"))
    for other, words in (data.get("extra_markers") or {}).items():
        if str(other) != family:
            lists.setdefault(str(other), []).extend(_strings(words))
    for other, words in lists.items():
        for w in words:
            w = w.lower()
            all_fw.add(w)
            if (len(w) >= 2 or not w.isascii()) and w not in own and w not in not_foreign:
                markers.setdefault(w, set()).add(other)
    # The forms the prefilter looks for, as written in running text or at the
    # start of a sentence.
    short = [w for w in markers if len(w) >= 2]
    forms = set(short) | {w[:1].upper() + w[1:] for w in short}
    script_name = data.get("script")
    flag = set(lists)
    if source_lang:
        flag.add(source_lang.split("-")[0].lower())
    flag.discard(family)
    langs = set(_strings(data.get("langid_languages"))) | flag | {family}
    return Profile(
        code=code,
        script=SCRIPT_ID.get(str(script_name), NEUTRAL) if script_name else NEUTRAL,
        function_words=own,
        markers={w: frozenset(v) for w, v in markers.items()},
        marker_forms=frozenset(forms),
        loan_pattern=_phrase_pattern(_strings(data.get("loan_phrases"))),
        particles=frozenset(w.lower() for w in _strings(data.get("name_particles"))),
        title_words=_phrase_pattern(_strings(data.get("title_words")), suffix=r"\W{0,4}$"),
        gloss_words=_phrase_pattern(_strings(data.get("gloss_words"))),
        langid_languages=tuple(sorted(langs)),
        flag_languages=frozenset(flag),
        min_confidence=float(data.get("min_confidence", 0.9)),
        script_languages={str(k): tuple(_strings(v))
                          for k, v in (data.get("script_languages") or {}).items()},
        marker_letters={str(k): str(v) for k, v in (data.get("marker_letters") or {}).items()},
        all_function_words=frozenset(all_fw),
        lists={k: frozenset(w.lower() for w in v) for k, v in lists.items()},
        all_latin_function_words=_latin_function_words(),
        noun_capitals=frozenset(k for k in _strings(data.get("compare_with"))
                                if get_language(k).data("untranslated").get("capitalises_nouns")),
    )


@functools.lru_cache(maxsize=1)
def _latin_function_words() -> frozenset[str]:
    """Function words of every Latin-script language mtnorm knows."""
    from ..languages.base import get_language, known_languages

    out: set[str] = set()
    for code in known_languages():
        lang = get_language(code)
        if lang.data("untranslated").get("script") == "Latin":
            out.update(w.lower() for w in _strings(lang.data("function_words").get("words")))
            out.update(w.lower() for w in _strings(lang.data("untranslated").get("extra_function_words")))
    return frozenset(out)


def document_profile(ctx: Context) -> Profile:
    return profile(ctx.language.code, ctx.source_lang)


# -- the shared analysis -----------------------------------------------------------
def find_fragments(ctx: Context) -> list[Fragment]:
    """Untranslated fragments of the document, in text order, not overlapping."""
    prof = document_profile(ctx)
    text = ctx.text
    out: list[Fragment] = []
    if prof.script != NEUTRAL:
        out.extend(_script_pass(text, ctx, prof))
        if prof.marker_letters:
            out.extend(_letter_pass(text, prof))
    if prof.markers and prof.script == SCRIPT_ID["Latin"]:
        out.extend(_function_word_pass(text, ctx, prof))
    out.sort(key=lambda f: (f.start, f.end))
    kept: list[Fragment] = []
    for frag in out:
        if kept and frag.start < kept[-1].end:
            continue
        kept.append(frag)
    return kept


# -- context tests -------------------------------------------------------------------
def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end == -1:
        line_end = len(text)
    return line_start, line_end


def _in_brackets(text: str, start: int, end: int, line_start: int, line_end: int) -> bool:
    """True if ``text[start:end]`` lies inside (...) or [...] on its line."""
    before = text[line_start:start]
    opened = max(before.rfind("("), before.rfind("["))
    if opened == -1 or max(before.rfind(")"), before.rfind("]")) > opened:
        return False
    after = text[end:line_end]
    closing = [i for i in (after.find(")"), after.find("]")) if i != -1]
    if not closing:
        return False
    first_close = min(closing)
    reopened = [i for i in (after.find("("), after.find("[")) if i != -1]
    return not reopened or min(reopened) > first_close


def _enclosing_quote(text: str, start: int, end: int, line_start: int, line_end: int) -> tuple[int, int] | None:
    """The quotation marks around the span on its line (it may be part of the quote)."""
    before = text[line_start:start]
    after = text[end:line_end]
    if before.count('"') % 2 == 1 and '"' in after:
        return line_start + before.rfind('"'), end + after.find('"')
    for opener, closers in (("«", "»"), ("„", "“”"), ("“", "”"), ("‹", "›")):
        i = before.rfind(opener)
        if i == -1 or any(c in before[i + 1:] for c in closers):
            continue
        found = [k for k in (after.find(c) for c in closers) if k != -1]
        if found:
            return line_start + i, end + min(found)
    return None


def _glossed(text: str, end: int, line_end: int, prof: Profile) -> bool:
    """True if what follows ``end`` is a translation: "(we are Bavaria)", ", meaning ...". """
    j = end
    while j < line_end and (text[j] in " \u00a0\u202f" or text[j] in _CLOSE_QUOTES):
        j += 1
    if j >= line_end:
        return False
    if text[j] in "([":
        return True
    if text[j] in ",:—–-" and prof.gloss_words is not None:
        rest = text[j + 1:min(line_end, j + 40)].lstrip(" \u00a0\u202f\"“«'‘")
        m = prof.gloss_words.match(rest.lower())
        return m is not None
    return False


def _titled(text: str, start: int, line_start: int, prof: Profile) -> bool:
    """True if a title word (album, newspaper, slogan, called...) comes right before."""
    if prof.title_words is None:
        return False
    lo = max(line_start, start - 48)
    before = text[lo:start].lower()
    return prof.title_words.search(before) is not None


def _loan_spans(prof: Profile, chunk: str) -> list[tuple[int, int]]:
    if prof.loan_pattern is None:
        return []
    return [m.span() for m in prof.loan_pattern.finditer(chunk)]


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


# -- the script pass ---------------------------------------------------------------------
def _script_pass(text: str, ctx: Context, prof: Profile) -> list[Fragment]:
    positions = foreign_letters(text, prof.script, large=ctx.analysis.words.fast)
    out: list[Fragment] = []
    done_until = -1
    for pos in positions:
        if pos < done_until:
            continue
        line_start, line_end = _line_bounds(text, pos, pos)
        done_until = line_end
        out.extend(_script_runs(text, line_start, line_end, prof))
    return out


def _script_runs(text: str, line_start: int, line_end: int, prof: Profile) -> list[Fragment]:
    """Runs of foreign-script words on one line that look untranslated."""
    tokens = _script_tokens(text, line_start, line_end)
    runs: list[list[tuple[int, int, int]]] = []
    for tok in tokens:
        if tok[2] in (NEUTRAL, prof.script):
            runs.append([])
            continue
        if runs and runs[-1] and runs[-1][-1][2] == tok[2] and _joinable(text[runs[-1][-1][1]:tok[0]]):
            runs[-1].append(tok)
        else:
            runs.append([tok])
    out = []
    for run in runs:
        if run:
            frag = _assess_run(text, run, line_start, line_end, prof)
            if frag is not None:
                out.append(frag)
    return out


def _script_tokens(text: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """Letter runs between ``start`` and ``end``, cut where the script changes ("丨Beijing")."""
    out = []
    for m in _TOKEN.finditer(text, start, end):
        s, e = m.span()
        first = script_of(text[s])
        if m.group().isascii():
            out.append((s, e, first))
            continue
        cur, sid = s, first
        for i in range(s + 1, e):
            nxt = script_of(text[i])
            if nxt != sid and nxt != NEUTRAL:
                out.append((cur, i, sid))
                cur, sid = i, nxt
        out.append((cur, e, sid))
    return out


def _joinable(gap: str) -> bool:
    return not any(c in _RUN_BREAKS for c in gap)


def _assess_run(text: str, run, line_start: int, line_end: int, prof: Profile) -> Fragment | None:
    script = SCRIPTS[run[0][2]]
    start, end = run[0][0], run[-1][1]
    words = [text[s:e] for s, e, _ in run]
    # Two words at least ("и главные" too), or two characters of a script written without
    # spaces; and four letters, so that Greek symbols ("α-β") are not a phrase.
    size = sum(len(w) for w in words) if script in UNSPACED else len(words)
    if size < 2 or (script not in UNSPACED and sum(len(w) for w in words) < 4):
        return None
    chunk = text[start:end]
    if prof.loan_pattern is not None and prof.loan_pattern.fullmatch(chunk.strip()):
        return None
    # Names, acronyms and brands: in Russian copy "Financial Times", "iPhone", "NATO".
    if script in CASED:
        lower = [w for w in words if len(w) >= 2 and w.islower()]
        if script == "Latin":
            # A Latin phrase in Cyrillic copy: a clause of three words or more with
            # lower-case content words and a function word, not a Title Case name
            # ("Ori and the Will of the Wisps") or a product ("oculus quest").
            content = [w for w in lower if w not in prof.all_latin_function_words]
            if len(words) < 3 or len(content) < 2 or len(content) == len(lower):
                return None
        elif not lower:
            return None
    if _URLISH.search(text, max(line_start, start - 12), min(line_end, end + 12)):
        return None
    if _in_brackets(text, start, end, line_start, line_end):
        return None
    if _glossed(text, end, line_end, prof) or _titled(text, start, line_start, prof):
        return None
    quotes = _enclosing_quote(text, start, end, line_start, line_end)
    if quotes is not None and (_titled(text, quotes[0], line_start, prof)
                               or _glossed(text, quotes[1], line_end, prof)):
        return None
    loans = _loan_spans(prof, chunk)
    if loans and sum(b - a for a, b in loans) >= len(chunk.strip()) - 2:
        return None
    language, confidence = None, None
    choices = prof.script_languages.get(script)
    if choices:
        ident = langid.identifier(choices)
        if ident is not None:
            lang, prob = ident.classify(chunk)
            if prob >= prof.min_confidence:
                language, confidence = lang, prob
    return Fragment(start, end, language, confidence, "script", script)


# -- the letter pass (Ukrainian in Russian copy) ----------------------------------------
def _letter_pass(text: str, prof: Profile) -> list[Fragment]:
    letters = "".join(prof.marker_letters.values())
    positions = []
    for ch in set(letters):
        pos = text.find(ch)
        while pos != -1:
            positions.append(pos)
            pos = text.find(ch, pos + 1)
    out = []
    seen: set[tuple[int, int]] = set()
    for pos in sorted(positions):
        span = _clause(text, pos)
        if span in seen:
            continue
        seen.add(span)
        frag = _assess_letters(text, span[0], span[1], prof)
        if frag is not None:
            out.append(frag)
    return out


def _assess_letters(text: str, start: int, end: int, prof: Profile) -> Fragment | None:
    toks = [m for m in _TOKEN.finditer(text, start, end) if script_of(m.group()[0]) == prof.script]
    if len(toks) < MIN_WORDS:
        return None
    counts = {lang: sum(1 for m in toks if any(c in letters for c in m.group()))
              for lang, letters in prof.marker_letters.items()}
    best = max(counts, key=counts.__getitem__)
    start, end = toks[0].start(), toks[-1].end()
    line_start, line_end = _line_bounds(text, start, end)
    if _in_brackets(text, start, end, line_start, line_end) or _glossed(text, end, line_end, prof):
        return None
    ident = langid.identifier(prof.script_languages.get(SCRIPTS[prof.script]) or ())
    if ident is not None:
        lang, prob = ident.classify(text[start:end])
        if lang != prof.code.split("-")[0] and lang in prof.marker_letters and prob >= prof.min_confidence:
            return Fragment(start, end, lang, prob, "langid", SCRIPTS[prof.script])
        return None
    if counts[best] >= 2 and counts[best] * 4 >= len(toks):
        return Fragment(start, end, best, None, "letters", SCRIPTS[prof.script])
    return None


# -- the function-word pass ------------------------------------------------------------------
def _clause(text: str, pos: int, *, commas: bool = True) -> tuple[int, int]:
    """The clause around ``pos``: between clause punctuation on its line."""
    stops = _STRONG | {","} if commas else _STRONG
    i = pos
    while i > 0 and text[i - 1] not in stops:
        i -= 1
    j = pos
    n = len(text)
    while j < n and text[j] not in stops:
        j += 1
    return i, j


def _marker_hits(text: str, ctx: Context, prof: Profile) -> list[int]:
    """Word starts where two marker words stand within five words of each other."""
    hits = word_indices(ctx, prof.marker_forms)
    starts = ctx.analysis.words.starts
    return [int(starts[a]) for a, b in itertools.pairwise(hits) if b - a <= 4]


def _function_word_pass(text: str, ctx: Context, prof: Profile) -> list[Fragment]:
    out: list[Fragment] = []
    seen: set[tuple[int, int]] = set()
    for pos in _marker_hits(text, ctx, prof):
        span = _clause(text, pos)
        strict = False
        if _count_words(text, *span) < MIN_WORDS:
            span, strict = _clause(text, pos, commas=False), True
        if span in seen:
            continue
        seen.add(span)
        frag = _assess_clause(text, span[0], span[1], prof, strict=strict)
        if frag is None:
            continue
        piece = _clause(text, pos, commas=False)
        if piece != span and piece not in seen:
            seen.add(piece)
            wider = _assess_clause(text, piece[0], piece[1], prof, strict=True)
            if wider is not None and wider.language == frag.language:
                frag = wider
        out.append(frag)
    return out


def _marker_counts(words: list[str], prof: Profile) -> dict[str, int]:
    counts: dict[str, int] = {}
    for w in words:
        for lang in prof.markers.get(w, ()):
            counts[lang] = counts.get(lang, 0) + 1
    return counts


def _count_words(text: str, start: int, end: int) -> int:
    return sum(1 for _ in _TOKEN.finditer(text, start, end))


def _assess_clause(text: str, start: int, end: int, prof: Profile, *,
                   strict: bool = False) -> Fragment | None:
    """A fragment if the clause reads as another language; ``strict``: not one word of
    the document's own language (used to widen a clause to its whole sentence)."""
    toks = [m for m in _TOKEN.finditer(text, start, end)]
    if len(toks) < MIN_WORDS:
        return None
    span_start, span_end = toks[0].start(), toks[-1].end()
    line_start, line_end = _line_bounds(text, span_start, span_end)
    chunk = text[span_start:span_end]
    if _URLISH.search(chunk):
        return None
    # Words inside loan phrases ("coup d'état", "status quo") are neutral.
    loans = _loan_spans(prof, chunk)
    lower_words: list[str] = []
    names = 0
    for k, m in enumerate(toks):
        word = m.group()
        rel = m.start() - span_start
        if any(a <= rel < b for a, b in loans):
            continue
        if script_of(word[0]) != prof.script:
            continue
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if _is_capitalised(word):
            low = word.lower()
            if k == 0 and low in prof.all_function_words and not (nxt and _is_capitalised(nxt.group())):
                lower_words.append(low)  # a sentence's first word ("Das ist ...")
            else:
                names += 1
            continue
        if word in prof.particles and nxt is not None and _is_capitalised(nxt.group()) \
                and text[m.end():nxt.start()] in (" ", "'", "’", "-", "\u00a0"):
            names += 1  # "von der Leyen", "Banco de España"
            continue
        lower_words.append(word.lower())
    by_lang = _marker_counts(lower_words, prof)
    best = max(by_lang, key=lambda k: (by_lang[k], k)) if by_lang else None
    if best is None or best in prof.noun_capitals:
        # German capitalises nouns: its capitalised words are not (all) names.
        every = [m.group().lower() for m in toks
                 if script_of(m.group()[0]) == prof.script
                 and not any(a <= m.start() - span_start < b for a, b in loans)]
        counts = _marker_counts(every, prof)
        nouns = [k for k in counts if k in prof.noun_capitals]
        if nouns and (best is None or counts[nouns[0]] >= by_lang.get(best, 0)):
            lower_words, by_lang, best, names = every, counts, nouns[0], 0
    if best is None or len(lower_words) < MIN_LOWER or names * 2 >= len(toks):
        return None
    # The document's own function words, less those the other language shares
    # ("de", "la", "que" are French, Spanish and Italian alike).
    theirs = prof.lists.get(best, frozenset())
    own = sum(1 for w in lower_words if w in prof.function_words and w not in theirs)
    if strict:  # capitalised words of the document's language count too ("Der Minister")
        own += sum(1 for m in toks if _is_capitalised(m.group())
                   and m.group().lower() in prof.function_words and m.group().lower() not in theirs)
    if by_lang[best] < 2 or own > (0 if strict else max(1, len(lower_words) // 6)) \
            or own * 4 > len(lower_words):
        return None
    quotes = _enclosing_quote(text, span_start, span_end, line_start, line_end)
    if quotes is not None and (_titled(text, quotes[0], line_start, prof)
                               or _glossed(text, quotes[1], line_end, prof)):
        return None
    if _in_brackets(text, span_start, span_end, line_start, line_end):
        return None
    if _glossed(text, span_end, line_end, prof):
        return None
    ident = langid.identifier(prof.langid_languages)
    if ident is not None:
        sample = " ".join(lower_words) if best not in prof.noun_capitals else chunk
        lang, prob = ident.classify(sample)
        if lang == prof.code.split("-")[0] or lang not in prof.flag_languages or prob < prof.min_confidence:
            return None
        if lang in by_lang or by_lang[best] >= 3:
            return Fragment(span_start, span_end, lang, prob, "langid")
        return None
    # No identifier: the function words must speak for one language clearly,
    # with words that only that language has ("nicht", "selon", "the").
    exclusive: dict[str, int] = {}
    for w in lower_words:
        langs = prof.markers.get(w, ())
        if len(langs) == 1:
            (only,) = langs
            exclusive[only] = exclusive.get(only, 0) + 1
    mine = exclusive.get(best, 0)
    rivals = max((v for k, v in exclusive.items() if k != best), default=0)
    if by_lang[best] >= 3 and own == 0 and by_lang[best] * 10 >= len(lower_words) * 3 \
            and mine >= 1 and mine > rivals:
        return Fragment(span_start, span_end, best, None, "function words")
    return None
