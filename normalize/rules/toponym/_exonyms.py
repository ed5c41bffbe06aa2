"""Forms of place names that belong to another language, for toponym.exonym.

Three tables, built once per process from the shipped data:

- *foreign*: another language's name of a place whose name in the document's
  language differs ("Wien", "Moskau" in English copy): CLDR and curated names
  of the gazetteer that carry a language tag, plus ``corpora/gazetteer/exonyms.yaml``
  for places whose GeoNames names carry none ("München", "Butscha");
- *russian*: the Russian romanisations of Ukrainian places, computed from the
  gazetteer's Cyrillic names (Харьков -> Kharkov, Николаев -> Nikolaev), where
  the national Ukrainian romanisation (KMU 2010) differs;
- *ukrainian*: the KMU 2010 form of each Ukrainian place by transliteration key,
  to recognise a non-standard romanisation of it (Kamyanets-Podilsky).
"""
from __future__ import annotations

import difflib
import functools
import hashlib
import os
from dataclasses import dataclass

from ...cache import (
    WordTable,
    cache_dir,
    load_marshal,
    open_word_table,
    store_marshal,
    store_word_table,
)
from ...gazetteer.store import _rows, name_key
from ...resources import corpus, load_yaml
from ...translit import equivalence_key, romanise, russian_forms

#: Letters only Ukrainian (and the apostrophe) or only Russian writes.
_UK_LETTERS = frozenset("іїєґІЇЄҐ'’ʼ")
_RU_LETTERS = frozenset("ыэъёЫЭЪЁ")
#: Tagged sources whose language is reliable.
_TAGGED = frozenset({"cldr", "curated"})
#: Fewest letters of a form judged by transliteration key alone.
MIN_KEY_LETTERS = 8
#: Languages whose tagged names are looked for in copy of another language: those
#: written in Latin letters that news is translated from (not the hundreds CLDR covers).
FOREIGN_LANGS = frozenset({"de", "fr", "it", "es", "pt", "pl", "nl", "cs", "sk", "sv", "da", "nb", "fi",
                           "ro", "hu", "tr", "hr", "sl", "lt", "lv", "et", "en"})
#: A Russian and a Ukrainian Cyrillic name of one place at least this alike are one
#: name in two languages (Харьков / Харків), not a rename (Ворошиловский / Юзівський).
SAME_NAME = 0.6
#: 3: the native keys moved to a word table of their own (see :func:`tables`).
_CACHE_VERSION = 3


@dataclass(frozen=True, slots=True)
class Exonym:
    """A spelling that is another language's form of a place."""

    place: str
    target: str      # the name to write instead
    kind: str        # "foreign" (detail: its language), "russian" or "romanisation"
    detail: str = ""


def _cyrillic(text: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in text)


def _latin(text: str) -> bool:
    return text.isascii() or all(ord(c) < 0x250 or not c.isalpha() for c in text)


@functools.lru_cache(maxsize=1)
def _gazetteer_rows() -> tuple[dict[str, str], list[list[str]]]:
    countries = {cols[0]: cols[2] if len(cols) > 2 else "" for cols in _rows("places.tsv.gz")}
    return countries, [cols for cols in _rows("names.tsv.gz") if len(cols) >= 5]


@dataclass(frozen=True)
class Tables:
    """Exonym tables for documents of one language."""

    by_key: dict[str, Exonym]           # name_key of the spelling -> what it is
    by_translit: dict[str, Exonym]      # equivalence_key -> the Ukrainian standard form
    most_words: int                     # longest spelling, in words
    #: Keys of names that are right as they are (a mapped word table when read from the cache).
    native: frozenset[str] | WordTable


@functools.lru_cache(maxsize=8)
def tables(lang: str) -> Tables:
    """The exonym tables for documents in ``lang`` (only English has Ukrainian ones).

    Building them reads the whole gazetteer (seconds), so they are kept in the cache
    directory as marshal data keyed by the data files' sizes and times. The 150,000
    native keys go to a memory-mapped word table beside it: unmarshalling them and
    building their set took ~30 ms of a short document's cold start, and a document
    asks about a few dozen of them."""
    digest = hashlib.sha256(f"{_CACHE_VERSION}:{lang}".encode())
    for parts in (("gazetteer", "names.tsv.gz"), ("gazetteer", "places.tsv.gz"), ("gazetteer", "exonyms.yaml")):
        node = corpus(*parts)
        try:
            stat = os.stat(str(node))
            digest.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())
        except (OSError, TypeError):
            digest.update(node.read_bytes() if node.is_file() else b"-")
    path = cache_dir() / f"exonyms-{lang}-{digest.hexdigest()[:16]}.marshal"
    native_path = path.with_suffix(".native")
    cached = load_marshal(path)
    native = open_word_table(native_path) if cached is not None else None
    if cached is not None and native is not None:
        by_key, by_translit, most = cached
        return Tables({k: Exonym(*v) for k, v in by_key.items()},
                      {k: Exonym(*v) for k, v in by_translit.items()}, most, native)
    built = _build(lang)
    # The table first: the marshal file is what says the pair is there.
    if store_word_table(native_path, dict.fromkeys(sorted(built.native), 0)):
        store_marshal(path, (
            {k: (e.place, e.target, e.kind, e.detail) for k, e in built.by_key.items()},
            {k: (e.place, e.target, e.kind, e.detail) for k, e in built.by_translit.items()},
            built.most_words))
    return built


def _build(lang: str) -> Tables:
    countries, rows = _gazetteer_rows()
    preferred: dict[str, str] = {}
    own: dict[str, set[str]] = {}        # place -> keys of its names in the document's language
    foreign: list[tuple[str, str, str]] = []
    cyrillic: dict[str, list[tuple[str, str]]] = {}
    elsewhere: set[str] = set()          # names of places outside Ukraine, any language
    for place, tag, status, text, source in (r[:5] for r in rows):
        if countries.get(place) != "UA" and _latin(text):
            elsewhere.add(name_key(text))
        if tag == lang:
            own.setdefault(place, set()).add(name_key(text))
            if status == "preferred":
                preferred.setdefault(place, text)
        elif source in _TAGGED and tag in FOREIGN_LANGS and _latin(text) and status in ("preferred", "variant"):
            foreign.append((place, tag, text))
        if countries.get(place) == "UA" and _cyrillic(text):
            cyrillic.setdefault(place, []).append((tag, text))
    by_key: dict[str, Exonym] = {}
    blocked: set[str] = set()            # keys that are some place's name in this language
    for keys in own.values():
        blocked |= keys
    for place, tag, text in foreign:
        target = preferred.get(place)
        key = name_key(text)
        if target and key not in blocked and key != name_key(target) and not _common(text, lang):
            by_key.setdefault(key, Exonym(place, target, "foreign", tag))
    for target, by_lang in ((load_yaml("gazetteer", "exonyms.yaml") or {}).get(lang) or {}).items():
        for tag, forms in (by_lang or {}).items():
            for form in forms or ():
                by_key[name_key(str(form))] = Exonym(f"exonym:{target}", str(target), "foreign", str(tag))
    by_translit: dict[str, Exonym] = {}
    if lang == "en":
        _ukrainian(cyrillic, preferred, own, blocked | elsewhere, by_key, by_translit)
    most = max((k.count(" ") + 1 for k in by_key), default=1)
    return Tables(by_key, by_translit, max(most, 3), frozenset(blocked | elsewhere))


def _ukrainian(cyrillic: dict[str, list[tuple[str, str]]], preferred: dict[str, str],
               own: dict[str, set[str]], blocked: set[str], by_key: dict[str, Exonym],
               by_translit: dict[str, Exonym]) -> None:
    """Russian and non-standard romanisations of Ukrainian places."""
    for place, names in cyrillic.items():
        uk = [t for tag, t in names if tag == "uk" or (tag == "und" and not _RU_LETTERS & set(t))]
        ru = [t for tag, t in names if tag == "ru" or (tag == "und" and not _UK_LETTERS & set(t))]
        uk = [t for t in uk if t[:1].isupper() and all(w[:1].isupper() for w in t.split())]
        standard = sorted({romanise(t, "uk") for t in uk})
        if not standard:
            continue
        target = preferred.get(place) or _best(uk, standard)
        keep = {name_key(s) for s in standard} | own.get(place, set()) | {name_key(target)}
        for t in ru:
            pair = max(uk, key=lambda u: difflib.SequenceMatcher(None, t.lower(), u.lower()).ratio())
            if difflib.SequenceMatcher(None, t.lower(), pair.lower()).ratio() < SAME_NAME:
                continue  # another name, not another language's form of this one
            wanted = romanise(pair, "uk")
            if difflib.SequenceMatcher(None, target.lower(), wanted.lower()).ratio() >= SAME_NAME:
                wanted = target  # the English name where there is one (Kyiv, not Kyiv with KMU quirks)
            for form in russian_forms(t):
                key = name_key(form)
                if key in keep or key in by_key or _common(form, "en"):
                    continue  # "Malin" is a name in English too
                by_key[key] = Exonym(place, wanted, "russian", t)
        if len(target) >= MIN_KEY_LETTERS:
            by_translit.setdefault(equivalence_key(target), Exonym(place, target, "romanisation",
                                                                    _best_cyrillic(uk)))
    # A Russian form that is also the name of a place elsewhere ("Kirovsk" in Russia) stays.
    for key in [k for k, e in by_key.items() if e.kind == "russian" and k in blocked
                and not own.get(e.place, set()) & {k}]:
        del by_key[key]


def _common(text: str, lang: str) -> bool:
    """True if a one-word foreign form is also a given name or a common word of the
    document's language ("Maurice", French for Mauritius)."""
    if " " in text or "-" in text:
        return False
    from ...analysis.given_names import given_name_gender
    from ...lexicon import get as lexicon

    if given_name_gender(text) is not None:
        return True
    lex = lexicon(lang)
    return lex is not None and lex.zipf(text.lower()) >= 3.0


def _best(uk: list[str], standard: list[str]) -> str:
    """The standard form of the most Ukrainian-looking Cyrillic name."""
    ranked = sorted(uk, key=lambda t: (-len(_UK_LETTERS & set(t)), t))
    return romanise(ranked[0], "uk") if ranked else standard[0]


def _best_cyrillic(uk: list[str]) -> str:
    return min(uk, key=lambda t: (-len(_UK_LETTERS & set(t)), t)) if uk else ""
