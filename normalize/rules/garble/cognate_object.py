"""garble.cognate_object: a verb followed by "with" and its own noun ("addressed them with an address").

Russian and Ukrainian say "обратился с обращением", "выступил с заявлением",
"звернувся зі зверненням": a verb with an instrumental noun of the same root.
MT renders it word for word ("addressed the nation with an extraordinary
address", "appealed with an appeal"), which English never says. Reported: a
past-tense verb, up to four words, "with", an optional article and adjective,
and a noun that shares the verb's first letters (at least ``MIN_STEM``). The
verb endings, the preposition and the English pairs that are idiomatic
("equipped with equipment") are data (``cognate_verb_endings``,
``cognate_prepositions``, ``cognate_allowed`` in ``syntax.yaml``).
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import NamedTuple

from ...findings import Category, Finding, Severity
from ...registry import Context, Rule, register
from ._prose import syntax_data, word_set

#: Letters the verb and the noun must share from their start.
MIN_STEM = 5
_WORD = r"[^\W\d_][\w'\u2019-]*"


class _Patterns(NamedTuple):
    """The rule's pattern and the two parts of it that say where a match may start."""

    full: re.Pattern[str]
    #: The space before a preposition (and a space after it): every match holds one,
    #: after the verb and at most four more words.
    prep: re.Pattern[str]
    #: The verb and the space after it: a match starts only where this matches.
    verb: re.Pattern[str]


@functools.cache
def _pattern(lang: str) -> _Patterns | None:
    data = syntax_data(lang)
    endings = data.get("cognate_verb_endings") or []
    preps = data.get("cognate_prepositions") or []
    articles = data.get("cognate_articles") or []
    if not endings or not preps:
        return None
    ending = "|".join(re.escape(e) for e in sorted(endings, key=len, reverse=True))
    prep = "|".join(re.escape(p) for p in preps)
    article = rf"(?:(?:{'|'.join(re.escape(a) for a in articles)})[ ])?" if articles else ""
    verb = rf"(?<![\w'\u2019-])(?P<verb>[^\W\d_]{{{MIN_STEM},}}(?:{ending}))"
    return _Patterns(
        re.compile(rf"{verb}(?:[ ]{_WORD}){{0,4}}?[ ](?:{prep})[ ]{article}(?P<noun>{_WORD})"
                   rf"(?:[ ](?P<next>{_WORD}))?", re.IGNORECASE),
        # Only the first space consumed: in "with with" both are found.
        re.compile(rf"[ ](?=(?:{prep})[ ])", re.IGNORECASE),
        re.compile(rf"{verb}[ ]", re.IGNORECASE))


@register
class CognateObject(Rule):
    id = "garble.cognate_object"
    category = Category.GARBLE
    scope = "line"
    severity = Severity.WARNING
    mqm = "Fluency/Grammar"
    languages = frozenset({"en"})
    description = ("A verb followed by 'with' and a noun of its own root ('addressed the nation with "
                   "an address'): a Slavic instrumental construction rendered word for word.")

    def applies_to(self, ctx: Context) -> bool:
        return super().applies_to(ctx) and _pattern(ctx.language.code) is not None

    def check(self, ctx: Context) -> Iterator[Finding]:
        patterns = _pattern(ctx.language.code)
        assert patterns is not None
        text = ctx.text
        allowed = word_set(ctx.language.code, "cognate_allowed")
        for line_start, line in _lines(text):
            for m in _line_matches(patterns, line):
                verb = m.group("verb").lower()
                # The noun right after the article, or after one adjective ("an evening address").
                for group in ("noun", "next"):
                    noun = (m.group(group) or "").lower()
                    if verb[:MIN_STEM] == noun[:MIN_STEM] and noun != verb and "-" not in noun \
                            and f"{verb} {noun}" not in allowed:
                        break
                else:
                    continue
                end = line_start + m.end(group)
                yield self.finding(
                    ctx, line_start + m.start(), end,
                    f"'{m.group('verb')} ... with ... {m.group(group)}': a verb with a noun of its "
                    f"own root (a source construction such as 'обратился с обращением'); say it once")


def _line_matches(patterns: _Patterns, line: str) -> Iterator[re.Match[str]]:
    """``patterns.full.finditer(line)``, with the pattern tried only where a match can start.

    A match is a verb, a space, up to four more words one space apart and a preposition:
    it starts at a verb (and its space) after the fifth space before one of the line's
    prepositions. For each preposition in turn the verbs of that stretch (a few dozen
    characters) are found and the whole pattern, which costs ~70 ns a character as a
    scan, is tried at each. Every match starts in the stretch of the preposition it
    holds, so the first match found from the previous one's end is the leftmost one
    there, as finditer's is."""
    pos = 0
    for prep in patterns.prep.finditer(line):
        at = prep.start()
        while at >= pos:
            lo = at
            for _ in range(5):
                lo = line.rfind(" ", 0, lo)
                if lo == -1:
                    break
            for verb in patterns.verb.finditer(line, max(pos, lo + 1), at + 1):
                m = patterns.full.match(line, verb.start())
                if m is not None:
                    yield m
                    pos = m.end()
                    break
            else:
                break  # no match starts in this window
def _lines(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for line in text.splitlines(keepends=True):
        if " with " in line or " With " in line:
            yield pos, line
        pos += len(line)
