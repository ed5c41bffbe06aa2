"""When changing a place name is safe: the context judge of ``toponym.variant``.

A house-style spelling is only a safe fix where nothing around the name says
otherwise. Three kinds of evidence make the change unsafe (still reported,
fixed only with ``--unsafe``):

- the text talks about the name itself ("formerly Burma", "also spelled
  Kiev"): per-language ``naming`` patterns in ``corpora/rules/<lang>/toponyms.yaml``;
- the old name was official until a known year (``renamed`` in
  ``corpora/gazetteer/curated.yaml``) and the paragraph is about the time
  before it (or the paragraph before does): a year or century before that
  year, or per-language ``history`` vocabulary ("colonial", "siege of",
  "during the war"), or the place's own ``history`` patterns ("Greek" for
  Macedonia);
- the old name still names something else (``homonyms``: "Macedonia" is
  also the Greek region and the ancient kingdom), or it is the tail of a
  longer proper name ("Yugoslav Republic of Macedonia").

It also fits the replacement into the sentence: a house form that takes the
definite article ("the Czech Republic") gets it where the text had none, and
a form that takes none drops the text's "the" (``articles`` in the same YAML).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from ...errors import DataError
from ...patterns import LazyPattern, required_in
from ...registry import Context
from ...resources import load_yaml

#: How far around a name the judge reads, within its paragraph (line).
WINDOW = 300
#: How close another name of the place must be to read as a gloss ("Kyiv (Kiev)").
_GLOSS = 30
#: What between two names makes one a gloss of the other: a bracket, a slash, a dash, "or".
# Compiled on first use, and the regex module imported only then (~15 ms of a cold start
# for texts that name no place with a history).
_GLOSS_GAP = LazyPattern(r"[()\[\]/\u2013\u2014]|\bor\b", engine="regex")
_YEAR = LazyPattern(r"(?<![\w.,'’/#-])(1[0-9]{3}|20[0-9]{2})(?:s|['’]s)?(?![\w]|[.,:]\d)", engine="regex")


def _flags() -> Any:
    """regex.I | regex.V0, the flags of the data's patterns."""
    import regex

    return regex.I | regex.V0


@dataclass(frozen=True)
class PlaceHistory:
    """What curated.yaml says about when a place's old names were right."""

    renamed: int | None                      # old names official until this year
    renamed_by_name: dict[str, int]          # per-name years where they differ (lower-cased)
    homonyms: frozenset[str]                 # old names that still name something else
    patterns: tuple[Any, ...]                # place-specific historical context

    def year(self, name: str) -> int | None:
        return self.renamed_by_name.get(name.lower(), self.renamed)


_NO_HISTORY = PlaceHistory(None, {}, frozenset(), ())


@functools.lru_cache(maxsize=1)
def _histories() -> dict[str, PlaceHistory]:
    import regex

    doc = load_yaml("gazetteer", "curated.yaml") or {}
    out: dict[str, PlaceHistory] = {}
    for entry in doc.get("entries") or []:
        renamed = entry.get("renamed")
        homonyms = entry.get("homonyms") or []
        patterns = entry.get("history") or []
        if renamed is None and not homonyms and not patterns:
            continue
        pid = entry.get("id")
        by_name: dict[str, int] = {}
        year: int | None = None
        try:
            if isinstance(renamed, dict):
                by_name = {str(k).lower(): int(v) for k, v in renamed.items()}
            elif renamed is not None:
                year = int(renamed)
            compiled = tuple(regex.compile(p, _flags()) for p in patterns)
        except (TypeError, ValueError) as exc:
            raise DataError(f"corpora/gazetteer/curated.yaml: {pid}: 'renamed' must be a year "
                            f"or a mapping of names to years ({exc})") from None
        except regex.error as exc:
            raise DataError(f"corpora/gazetteer/curated.yaml: {pid}: bad history pattern: {exc}") from None
        out[pid] = PlaceHistory(year, by_name, frozenset(str(h).lower() for h in homonyms), compiled)
    return out


def place_history(place: str) -> PlaceHistory:
    """The curated rename data of a place (empty if it has none)."""
    return _histories().get(place, _NO_HISTORY)


@dataclass(frozen=True)
class Cues:
    """A language's compiled context patterns (corpora/rules/<lang>/toponyms.yaml)."""

    naming: Any
    history: Any
    modern: Any
    century: Any
    era_bc: Any
    article: str | None
    takes_article: Any
    determiners: frozenset[str]
    before_article: frozenset[str]
    agreeing: frozenset[str]
    elision: frozenset[str]


def _alternation(patterns: list[str], lang: str, key: str) -> Any:
    if not patterns:
        return None
    import regex

    try:
        return regex.compile("|".join(f"(?:{p})" for p in patterns), _flags())
    except regex.error as exc:
        raise DataError(f"corpora/rules/{lang}/toponyms.yaml: {key}: {exc}") from None


@functools.lru_cache(maxsize=32)
def _cues(lang: str, data_key: tuple) -> Cues:
    data: dict[str, Any] = dict(data_key)
    arts = dict(data.get("articles") or {})
    one = lambda key, src=data: _alternation([src[key]] if src.get(key) else [], lang, key)
    return Cues(
        naming=_alternation(list(data.get("naming") or []), lang, "naming"),
        history=_alternation(list(data.get("history") or []), lang, "history"),
        modern=_alternation(list(data.get("modern") or []), lang, "modern"),
        century=one("century"), era_bc=one("era_bc"),
        article=arts.get("article"),
        takes_article=_alternation(list(arts.get("takes_article") or []), lang, "takes_article"),
        determiners=frozenset(str(w).lower() for w in arts.get("determiners") or []),
        before_article=frozenset(str(w).lower() for w in arts.get("before_article") or []),
        agreeing=frozenset(str(w).lower() for w in arts.get("agreeing") or []),
        elision=frozenset(str(w).lower() for w in arts.get("elision") or []),
    )


def cues(ctx: Context) -> Cues:
    """The context patterns of the document's language (looked up once per document)."""
    return ctx.analysis.shared(_document_cues)


#: The last data seen per language and its cues: freezing the data into
#: :func:`_cues`'s key costs ~150 µs, and a language's merged data is one cached object.
_LAST_CUES: dict[str, tuple[dict[str, Any], Cues]] = {}


def _document_cues(ctx: Context) -> Cues:
    data = ctx.language.data("toponyms")
    code = ctx.language.code
    last = _LAST_CUES.get(code)
    if last is not None and last[0] is data:
        return last[1]
    frozen = tuple(sorted((k, _freeze(v)) for k, v in data.items()))
    found = _cues(code, frozen)
    _LAST_CUES[code] = (data, found)
    return found


def _window_memo(ctx: Context) -> dict[tuple, Any]:
    """Per document: what the context scans found in each window (a paragraph)."""
    return {}


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _window(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph (line) around a span, at most WINDOW characters each side."""
    lo = max(text.rfind("\n", 0, start) + 1, start - WINDOW)
    nl = text.find("\n", end)
    hi = min(nl if nl >= 0 else len(text), end + WINDOW)
    return lo, hi


def _with_previous_paragraph(text: str, lo: int) -> int:
    """Where the paragraph before the one starting at ``lo`` starts (a story's time carries over)."""
    i = lo
    while i > 0 and text[i - 1] in "\r\n \t":
        i -= 1
    if i == 0:
        return lo
    return max(text.rfind("\n", 0, i) + 1, lo - 2 * WINDOW)


def _earliest_year(text: str, lo: int, hi: int, cue: Cues) -> int | None:
    years: list[int] = []
    for m in _YEAR.finditer(text, lo, hi):
        year = int(m.group(1))
        if cue.era_bc is not None and cue.era_bc.match(text, m.end(), hi):
            year = -year
        years.append(year)
    if cue.century is not None:
        for m in cue.century.finditer(text, lo, hi):
            years.append((_number(m.group(1)) - 1) * 100)
    return min(years) if years else None


def _previous_word(text: str, start: int) -> tuple[str, int, int]:
    """The word right before ``start`` (skipping spaces), with its span; '' if punctuation comes first."""
    i = start
    while i > 0 and text[i - 1] in " \u00a0":
        i -= 1
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "'’-"):
        j -= 1
    return text[j:i], j, i


def sentence_start(text: str, start: int) -> bool:
    """True if ``start`` begins a sentence (text or line start, or after . ! ? and opening quotes)."""
    i = start
    while i > 0 and text[i - 1] in " \u00a0\t\"'“‘«([":
        i -= 1
    return i == 0 or text[i - 1] in "\n\r.!?:"


def historical_reason(ctx: Context, place: str, surface: str, status: str, start: int, end: int,
                      others: tuple[str, ...]) -> str | None:
    """Why the name at ``start:end`` may be right in its context (None: nothing says so).

    ``status`` is the spelling's gazetteer status: only ``historic`` names
    are judged against the place's rename year. ``others`` are the place's
    other names (lower-cased), which beside it make a gloss.
    """
    text = ctx.text
    cue = cues(ctx)
    history = place_history(place)
    lo, hi = _window(text, start, end)
    if surface.lower() in history.homonyms:
        return f"'{surface}' also names another place or a region"
    word, wstart, _ = _previous_word(text, start)
    if word[:1].isupper() and not sentence_start(text, wstart) and word.lower() not in cue.before_article:
        return f"'{surface}' follows '{word}', perhaps as part of a longer name"
    # Occurrences in one paragraph share its window: each scan is done once per window.
    memo = ctx.analysis.shared(_window_memo)
    if cue.naming is not None:
        key: tuple[object, ...] = ("naming", lo, hi)
        if key not in memo:
            # The alternation (of the regex module, ~25 ns a character) runs only where
            # its literals stand: few paragraphs talk about names.
            required = required_in(cue.naming.pattern)
            m = (cue.naming.search(text, lo, hi)
                 if not required or ctx.analysis.holds_required(required, lo, hi) else None)
            memo[key] = m.group(0) if m else None
        if memo[key] is not None:
            return f"the text talks about the name ('{memo[key]}')"
    year = history.year(surface) if status == "historic" else None
    # Another name of the place right beside this one is a gloss ("Kyiv (Kiev)");
    # anywhere in the paragraph of a renamed place, a comparison ("Burma, now Myanmar").
    para = text[lo:hi].lower()
    for other in others:
        if not other or other == surface.lower():
            continue
        if _glossed(text, start, end, other) or (year is not None and _has_word(para, other)):
            return "another name of the place is used beside it"
    if year is None:
        return None
    key = ("past", lo, hi, place, year)
    if key not in memo:
        memo[key] = _past(text, lo, hi, year, history, cue)
    if memo[key] is not None:
        return f"the paragraph is about {memo[key]}"
    # The paragraph before sets the story's time too, unless this one has a
    # time of its own ("on Monday", a year since the rename).
    before = _with_previous_paragraph(text, lo)
    key = ("before", before, lo, hi, place, year)
    if key not in memo:
        memo[key] = (_past(text, before, lo, year, history, cue)
                     if before < lo and not _modern(text, lo, hi, year, cue) else None)
    if memo[key] is not None:
        return f"the paragraph before is about {memo[key]}"
    return None


def _past(text: str, lo: int, hi: int, year: int, history: PlaceHistory, cue: Cues) -> str | None:
    """What in ``text[lo:hi]`` places it before ``year`` (None: nothing)."""
    earliest = _earliest_year(text, lo, hi, cue)
    if earliest is not None and earliest < year:
        return f"the time before {year} (the rename)"
    for pattern in (*history.patterns, cue.history):
        if pattern is None:
            continue
        m = pattern.search(text, lo, hi)
        if m:
            return f"the past ('{m.group(0)}'), before the {year} rename"
    return None


def _modern(text: str, lo: int, hi: int, year: int, cue: Cues) -> bool:
    """True if ``text[lo:hi]`` has a time of its own after the rename (a later year, "on Monday")."""
    if any(int(m.group(1)) >= year for m in _YEAR.finditer(text, lo, hi)):
        return True
    return cue.modern is not None and cue.modern.search(text, lo, hi) is not None


def _vowel(name: str) -> bool:
    """Whether a name starts with a vowel sound's letter (for elision: "d'Eswatini")."""
    return name[:1].lower() in "aeiouyàâäéèêëîïôöùûüœæh"


def _number(token: str) -> int:
    """A century as written: Arabic digits or Roman numerals ("XIX")."""
    if token.isdigit():
        return int(token)
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total = 0
    for i, ch in enumerate(token.lower()):
        value = values[ch]
        total += -value if i + 1 < len(token) and values[token[i + 1].lower()] > value else value
    return total


def _glossed(text: str, start: int, end: int, other: str) -> bool:
    """True if ``other`` stands right beside the span as a gloss: "Kyiv (Kiev)", "Kiev/Kyiv", "Kyiv, or Kiev"."""
    before = text[max(0, start - _GLOSS):start].lower()
    after = text[end:end + _GLOSS].lower()
    at = before.rfind(other)
    if at >= 0 and _GLOSS_GAP.search(before[at + len(other):]):
        return True
    at = after.find(other)
    return at >= 0 and bool(_GLOSS_GAP.search(after[:at]))


def _has_word(window: str, name: str) -> bool:
    at = window.find(name)
    while at >= 0:
        before = window[at - 1] if at else " "
        after = window[at + len(name)] if at + len(name) < len(window) else " "
        if not before.isalnum() and not after.isalnum():
            return True
        at = window.find(name, at + 1)
    return False


@dataclass(frozen=True)
class Fitted:
    """A replacement fitted to its sentence: the span it replaces, the text, whether that is certain."""

    start: int
    end: int
    text: str
    certain: bool
    why: str = ""


def fit_article(ctx: Context, start: int, end: int, surface: str, replacement: str) -> Fitted:
    """Add or drop the definite article so that ``replacement`` reads right where ``surface`` was.

    ``replacement`` already has the case of ``surface``.
    """
    cue = cues(ctx)
    text = ctx.text
    if cue.agreeing or cue.elision:
        word = _previous_word(text, start)[0].lower()
        if word in cue.agreeing and replacement.lower() != surface.lower():
            return Fitted(start, end, replacement, False,
                          f"'{word}' before it may have to agree with '{replacement}'")
        if word in cue.elision and _vowel(surface) != _vowel(replacement):
            return Fitted(start, end, replacement, False, f"'{word}' before it may have to change")
    if cue.article is None or cue.takes_article is None:
        return Fitted(start, end, replacement, True)
    old = bool(cue.takes_article.search(surface))
    new = bool(cue.takes_article.search(replacement))
    if old == new:
        return Fitted(start, end, replacement, True)
    word, wstart, _wend = _previous_word(text, start)
    lowered = word.lower()
    upper = surface.isupper() and len(surface) > 1
    if new:  # "in Czechia" -> "in the Czech Republic"
        if lowered in cue.determiners or text[max(0, start - 2):start].rstrip().endswith(("'s", "’s")):
            return Fitted(start, end, replacement, True)
        article = cue.article.upper() if upper else cue.article
        at_start = sentence_start(text, start)
        if at_start:
            article = article[:1].upper() + article[1:]
            # The sentence-initial capital moves to the article: "Czechia" -> "The Czech Republic".
            return Fitted(start, end, f"{article} {replacement}", True)
        fitted = f"{article} {replacement}"
        if lowered in cue.before_article:
            return Fitted(start, end, fitted, True)
        why = f"after '{word}'" if word else "here"
        return Fitted(start, end, fitted, False, f"whether '{cue.article}' is needed {why} is not certain")
    # "the Republic of Macedonia" -> "North Macedonia": the article goes with the old name.
    if lowered == cue.article.lower():
        keep_capital = word[:1].isupper()
        fitted = replacement[:1].upper() + replacement[1:] if keep_capital else replacement
        return Fitted(wstart, end, fitted, True)
    if lowered in cue.determiners:
        return Fitted(start, end, replacement, False, f"'{word}' before '{replacement}' may not read right")
    return Fitted(start, end, replacement, True)
