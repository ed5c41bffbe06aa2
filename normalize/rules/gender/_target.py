"""Reading the gender of role nouns: in an English source and in its translation.

The source side: which role nouns a segment names (``source_roles`` in
``en/gender.yaml``: "mechanic", "spokeswoman" = spokesperson, female) and which
gendered pronouns it uses. The target side: how the translation renders each
role (``roles`` in the target's ``gender.yaml``): a masculine or feminine form
("Mechaniker" / "Mechanikerin", "le mécanicien" / "la mécanicienne"), a form
of either gender whose article decides ("la secrétaire", "el portavoz"), or,
in Russian, a noun of common gender whose agreement decides ("механик дала").

Used by ``gender.source_mismatch`` and by ``scripts/eval_winomt.py``.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ...errors import UsageError
from ...languages import get_language
from ...patterns import LazyPattern

_WORD = LazyPattern(r"\w+")
GENDERS = {"female": "f", "male": "m"}


@dataclass(frozen=True, slots=True)
class Reading:
    """One rendering of a role in a target segment."""

    key: str
    start: int
    end: int
    surface: str
    #: "f", "m", or None (a form of either gender with nothing to decide it)
    gender: str | None
    #: why: "form", "article", "agreement"
    basis: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A role named in the source segment."""

    key: str
    start: int
    end: int
    surface: str
    #: gender the English word itself fixes ("spokeswoman"), else None
    gender: str | None


# -- source ---------------------------------------------------------------------------
@dataclass
class SourceData:
    #: lower-case phrase -> (key, gender or None), longest first when matching
    forms: dict[str, tuple[str, str | None]]
    pattern: re.Pattern[str] | None
    pronouns: dict[str, str]


@functools.cache
def source_data(lang: str) -> SourceData | None:
    try:
        raw = get_language(lang).data("gender")
    except UsageError:
        return None  # a source language mtnorm has no module for (zh, ja): nothing to compare
    roles = raw.get("source_roles") or {}
    if not roles:
        return None
    forms: dict[str, tuple[str, str | None]] = {}
    for key, spec in roles.items():
        spec = spec or {}
        for form in spec.get("forms") or []:
            forms[str(form).lower()] = (str(key), None)
        for name, g in GENDERS.items():
            for form in spec.get(name) or []:
                forms[str(form).lower()] = (str(key), g)
    alternation = "|".join(re.escape(f).replace("\\ ", r"\s+")
                           for f in sorted(forms, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE) if alternation else None
    pronouns = {str(w).lower(): g for name, g in GENDERS.items()
                for w in (raw.get("pronouns") or {}).get(name) or []}
    return SourceData(forms, pattern, pronouns)


def source_mentions(segment: str, lang: str = "en") -> list[Mention]:
    data = source_data(lang)
    if data is None or data.pattern is None:
        return []
    out = []
    for m in data.pattern.finditer(segment):
        key, gender = data.forms[re.sub(r"\s+", " ", m.group().lower())]
        out.append(Mention(key, m.start(), m.end(), m.group(), gender))
    return out


def source_pronoun_genders(segment: str, lang: str = "en") -> set[str]:
    data = source_data(lang)
    if data is None:
        return set()
    return {data.pronouns[w] for w in (m.group().lower() for m in _WORD.finditer(segment))
            if w in data.pronouns}


def role_key(english: str, lang: str = "en") -> str | None:
    """The role key of an English role noun ("construction worker" -> construction_worker)."""
    data = source_data(lang)
    if data is None:
        return None
    words = english.lower().split()
    if words and words[0] in ("the", "a", "an"):
        words = words[1:]
    found = data.forms.get(" ".join(words))
    return found[0] if found else None


# -- target ---------------------------------------------------------------------------
@dataclass
class TargetData:
    #: key -> [(form, gender or None, is_prefix)], feminine first
    roles: dict[str, list[tuple[str, str | None, bool]]]
    determiners: dict[str, str]
    overrides: frozenset[str]
    agreement: dict[str, tuple[str, ...]]
    reach: int
    #: grammatical gender of a form of either gender when nothing decides (ru: m)
    either_default: str | None


@functools.cache
def target_data(lang: str) -> TargetData | None:
    raw = get_language(lang).data("gender")
    roles_raw = raw.get("roles") or {}
    if not roles_raw:
        return None
    roles: dict[str, list[tuple[str, str | None, bool]]] = {}
    for key, spec in roles_raw.items():
        spec = spec or {}
        entries = []
        for name, g in (("f", "f"), ("m", "m"), ("either", None)):
            for form in spec.get(name) or []:
                form = str(form).lower()
                prefix = form.endswith("*")
                entries.append((form.rstrip("*"), g, prefix))
        roles[str(key)] = entries
    dets = {}
    for name, g in GENDERS.items():
        for w in (raw.get("role_determiners") or {}).get(name) or []:
            dets[str(w).lower()] = g
    agreement = {GENDERS[name]: tuple(str(e) for e in (raw.get("agreement") or {}).get(name) or [])
                 for name in GENDERS}
    return TargetData(roles, dets,
                      frozenset(str(w).lower() for w in raw.get("article_overrides") or []),
                      agreement, int(raw.get("agreement_reach", 0) or 0),
                      str(raw["either_default"]) if raw.get("either_default") else None)


def _determiner(low: str, start: int, data: TargetData) -> str | None:
    """Gender given by the word(s) right before ``start`` ("la", "de la", "der")."""
    before = low[max(0, start - 25):start]
    if not before.endswith((" ", "\u00a0")):
        return None
    words = _WORD.findall(before)
    if not words:
        return None
    if len(words) >= 2 and f"{words[-2]} {words[-1]}" in data.determiners:
        return data.determiners[f"{words[-2]} {words[-1]}"]
    return data.determiners.get(words[-1])


_NOMINATIVE_ENDINGS = ("", "ь", "й", "ий", "ый", "ой")


def _agreement(low: str, start: int, end: int, word: str, stem: str, data: TargetData) -> str | None:
    """Russian: the gender that a past-tense verb after a nominative noun, or an adjective
    right before it, gives a noun of common gender ("механик дала", "опытная врач")."""
    if not data.reach:
        return None
    before = _WORD.findall(low[max(0, start - 30):start])
    if before:
        adj = before[-1]
        if len(adj) > 3:
            for g in ("f", "m"):
                if any(adj.endswith(e) for e in data.agreement[g] if len(e) == 2 and e[-1] in "яй"):
                    return g
    if word[len(stem):] not in _NOMINATIVE_ENDINGS:
        return None  # an oblique case: the verb after it has another subject
    after = _WORD.findall(low[end:end + 60])[:data.reach]
    for w in after:
        if len(w) <= 2:
            continue
        for g in ("f", "m"):
            if any(w.endswith(e) for e in data.agreement[g]):
                return g
    return None


def target_readings(segment: str, lang: str, keys: list[str] | None = None, *,
                    grammatical: bool = False) -> list[Reading]:
    """Every rendering of the given roles (all roles when None) in a target segment.

    ``grammatical``: a form of either gender with no article or agreement to decide
    takes the language's ``either_default`` (Russian common-gender nouns are
    grammatically masculine), as a morphological analyser would read it; the rule
    leaves it undecided."""
    data = target_data(lang)
    if data is None:
        return []
    low = segment.lower()
    if len(low) != len(segment):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in segment)
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(low)]
    out: list[Reading] = []
    taken: list[tuple[int, int]] = []
    for key in keys if keys is not None else list(data.roles):
        entries = data.roles.get(key)
        if not entries:
            continue
        for s, e, word in tokens:
            if any(a <= s < b for a, b in taken):
                continue
            for form, g, prefix in entries:
                if " " in form or "'" in form or "\u2019" in form:
                    if not low.startswith(form, s) or (s + len(form) < len(low)
                                                       and low[s + len(form)].isalnum()):
                        continue
                    end = s + len(form)
                elif prefix:
                    if not word.startswith(form):
                        continue
                    end = e
                elif word == form:
                    end = e
                elif _hyphen_end(low, s, e, form):
                    end = s + len(form)
                else:
                    continue
                gender, basis = g, "form"
                if g is None or form in data.overrides:
                    det = _determiner(low, s, data)
                    if det is not None:
                        gender, basis = det, "article"
                    elif g is None:
                        agreed = _agreement(low, s, end, word, form, data)
                        if agreed is not None:
                            gender, basis = agreed, "agreement"
                        elif grammatical and data.either_default:
                            gender, basis = data.either_default, "grammar"
                out.append(Reading(key, s, end, segment[s:end], gender, basis))
                taken.append((s, end))
                break
    out.sort(key=lambda r: r.start)
    return out


def _hyphen_end(low: str, s: int, e: int, form: str) -> bool:
    """A hyphenated form ("porte-parole", "expert-comptable") starting at ``s``."""
    return "-" in form and low.startswith(form, s) and (s + len(form) >= len(low)
                                                       or not low[s + len(form)].isalnum())


def read_gender(segment: str, lang: str, key: str, *, grammatical: bool = False) -> str | None:
    """The gender the target gives role ``key``: its first rendering's, or None."""
    for reading in target_readings(segment, lang, [key], grammatical=grammatical):
        return reading.gender
    return None

