"""garble.voice_inversion: a passive clause with its object left behind in brackets.

"Azerbaijan was attacked (the city) for several hours" renders "l'Azerbaïdjan
a attaqué la ville": MT turned the active clause passive and kept the object,
bracketed. The rule starts from each "(" followed by a determiner (positions
shared with ``garble.unbalanced``), then looks back for an auxiliary and a
past participle right before the bracket (data: ``voice_inversion.yaml``).
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...errors import DataError
from ...findings import Category, Finding, FixSafety, Severity
from ...languages import get_language
from ...patterns import LazyPattern
from ...registry import Context, Rule, register

#: How far before the bracket the auxiliary and the subject are looked for.
LOOKBACK = 120


@dataclass(frozen=True)
class _Data:
    # The patterns are compiled on first use: only texts with a bracket after a
    # determiner need them.
    before: re.Pattern[str] | LazyPattern
    inside: re.Pattern[str] | LazyPattern
    not_inside: frozenset[str]
    max_words: int
    perfect: frozenset[str]
    past: frozenset[str]
    regular_past: re.Pattern[str] | LazyPattern | None
    first_chars: frozenset[str]
    pronouns: frozenset[str]


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@functools.cache
def _data(lang: str) -> _Data | None:
    data = get_language(lang).data("voice_inversion")
    if not data.get("auxiliaries") or not data.get("determiners"):
        return None
    try:
        participle = data.get("participle") or r"\w+ed"
        irregular = data.get("irregular") or []
        pp = f"(?:{participle}|{_alt(irregular)})" if irregular else f"(?:{participle})"
        adverb = data.get("adverb")
        adv = rf"(?:(?:{adverb})\s+)?" if adverb else ""
        perfect = data.get("perfect") or []
        perf = rf"(?:(?P<perf>{_alt(perfect)})\s+)?" if perfect else ""
        def error(exc: Exception) -> DataError:
            return DataError(f"corpora/rules/*/voice_inversion.yaml ({lang}): {exc}")

        before = LazyPattern(
            rf"(?<!\w){perf}(?P<aux>{_alt(data['auxiliaries'])})\s+{adv}(?P<pp>{pp})\s*\Z", re.IGNORECASE,
            on_error=error)
        dets = data["determiners"]
        spaced = [d for d in dets if not d.endswith(("'", "\u2019"))]
        elided = [d for d in dets if d.endswith(("'", "\u2019"))]
        det = f"(?:(?:{_alt(spaced)})\\s+" + (f"|(?:{_alt(elided)})" if elided else "") + ")"
        inside = LazyPattern(rf"\((?P<inner>{det}[^()\n\d,;:.!?\"“”«»]{{1,60}}?)\)", re.IGNORECASE,
                             on_error=error)
        regular = data.get("regular_past")
        return _Data(before, inside, frozenset(w.lower() for w in data.get("not_inside", [])),
                     int(data.get("max_words", 5)), frozenset(perfect),
                     frozenset(data.get("past", [])),
                     LazyPattern(rf"(?:{regular})\Z", re.IGNORECASE, on_error=error) if regular else None,
                     frozenset(d[0].lower() for d in dets) | frozenset(d[0].upper() for d in dets),
                     frozenset(w.lower() for w in data.get("pronouns", [])))
    except re.error as exc:
        raise DataError(f"corpora/rules/*/voice_inversion.yaml ({lang}): {exc}") from None


_WORD = LazyPattern(r"[\w'’-]+")


def _subject_start(text: str, aux_start: int, floor: int) -> int | None:
    """Start of the capitalised run of words just before the auxiliary ("Azerbaijan",
    "Azerbaijani forces"), or None when the subject is not a name."""
    words = [m for m in _WORD.finditer(text, floor, aux_start)]
    if not words:
        return None
    start = None
    # Walk back over adjacent words (separated by one space) while capitalised;
    # a lower-case word is allowed right before the auxiliary ("Azerbaijani forces").
    for i in range(len(words) - 1, -1, -1):
        m = words[i]
        gap = text[m.end():(words[i + 1].start() if i + 1 < len(words) else aux_start)]
        if gap not in (" ", "\u00a0"):
            break
        w = m.group()
        if w[0].isupper():
            start = m.start()
        elif i == len(words) - 1 and len(words) > 1 and words[i - 1].group()[0].isupper():
            continue
        else:
            break
    return start


@register
class VoiceInversion(Rule):
    id = "garble.voice_inversion"
    category = Category.GARBLE
    scope = "line"
    severity = Severity.WARNING
    fix = FixSafety.UNSAFE
    mqm = "Accuracy/Mistranslation"
    description = ("Passive voice with the object left in brackets, 'X was attacked (the city)' "
                   "(data: voice_inversion.yaml).")

    def check(self, ctx: Context) -> Iterator[Finding]:
        data = _data(ctx.language.code)
        if data is None:
            return
        text = ctx.text
        for pos in ctx.analysis.positions("("):
            if text[pos + 1:pos + 2] not in data.first_chars:
                continue
            m = data.inside.match(text, pos)
            if m is None:
                continue
            words = m.group("inner").split()
            if len(words) > data.max_words or any(w.lower() in data.not_inside for w in words):
                continue
            floor = max(text.rfind("\n", 0, pos) + 1, pos - LOOKBACK)
            b = data.before.search(text, floor, pos)
            if b is None:
                continue
            aux_start = b.start()
            prev = _WORD.findall(text, floor, aux_start)[-1:]
            if not prev or prev[0].lower() in data.pronouns:
                continue  # "She was named (a rare honour)": an aside about a person
            subject = _subject_start(text, aux_start, floor)
            start = subject if subject is not None else aux_start
            end = m.end()
            inner = " ".join(words)
            replacement = self._active(text, subject, b, inner, data)
            clause = text[start:end]
            hint = f" ('{replacement}')" if replacement else ""
            yield self.finding(
                ctx, start, end,
                f"passive voice with the object left in brackets: '{clause}' probably renders "
                f"an active clause{hint}; rewrite it in the active voice",
                replacement=replacement, data={"object": inner})

    @staticmethod
    def _active(text: str, subject: int | None, b: re.Match[str], inner: str,
                data: _Data) -> str | None:
        """'Azerbaijan attacked the city' for 'Azerbaijan was attacked (the city)', when sure."""
        if subject is None:
            return None
        pp = b.group("pp")
        aux = b.group("aux").lower()
        perf = b.groupdict().get("perf")
        subj = text[subject:b.start()].rstrip()
        if perf and aux == "been":
            return f"{subj} {perf} {pp} {inner}"
        if aux in data.past and data.regular_past is not None and data.regular_past.match(pp):
            return f"{subj} {pp} {inner}"
        return None
