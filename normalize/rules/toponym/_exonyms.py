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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ...cache import (
    WordTable,
    cache_dir,
    content_digest,
    load_marshal,
    open_word_table,
    prebuilt,
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
#: 4: built in two steps, the draft (a pure function of the data, which a wheel may
#: ship) and the tables (the draft judged by the lexicon and the given names).
_CACHE_VERSION = 4
#: The bundled files the draft is a function of.
_DRAFT_INPUTS = (("gazetteer", "names.tsv.gz"), ("gazetteer", "places.tsv.gz"), ("gazetteer", "exonyms.yaml"))
#: Steps of a draft: a foreign form (kept unless a common word or given name and unless
#: its key is taken), a form from exonyms.yaml (always), a Russian form (as a foreign one).
_FOREIGN, _CURATED, _RUSSIAN = 0, 1, 2

#: (step, key, (place, target, kind, detail), the text _common judges, dropped at the end
#: if it is a Russian form whose key names a place elsewhere).
Step = tuple[int, str, tuple[str, str, str, str], str, bool]


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


@dataclass(frozen=True)
class Draft:
    """What the tables of a language are before the lexicon and the given names judge
    which forms are common words: a pure function of the gazetteer's data."""

    steps: Sequence[Step]
    by_translit: dict[str, tuple[str, str, str, str]]
    native: frozenset[str] | WordTable


@functools.lru_cache(maxsize=8)
def tables(lang: str) -> Tables:
    """The exonym tables for documents in ``lang`` (only English has Ukrainian ones).

    Two steps, each kept on disk. The draft (:func:`draft`: reading the whole
    gazetteer, seconds) is a pure function of the data: a wheel ships the English
    one, named by a hash of the data's bytes, and a missing one is built into the cache
    directory. The tables are the draft with the forms that are common words or given
    names taken out (:func:`_common`: milliseconds), kept in the cache directory as
    marshal data keyed by the data files', the given names' and the lexicon's sizes and
    times. The 150,000 native keys stay in the draft's memory-mapped word table:
    unmarshalling them and building their set took ~30 ms of a short document's cold
    start, and a document asks about a few dozen of them."""
    from ...analysis.given_names import FILE as GIVEN_NAMES
    from ...lexicon import stamp as lexicon_stamp

    digest = hashlib.sha256(f"{_CACHE_VERSION}:{lang}:{lexicon_stamp(lang)}".encode())
    for parts in (*_DRAFT_INPUTS, GIVEN_NAMES):
        node = corpus(*parts)
        try:
            stat = os.stat(str(node))
            digest.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())
        except (OSError, TypeError):
            digest.update(node.read_bytes() if node.is_file() else b"-")
    path = cache_dir() / f"exonyms-{lang}-{digest.hexdigest()[:16]}.marshal"
    cached = load_marshal(path)
    native = open_word_table(Path(cached[3])) if type(cached) is tuple and len(cached) == 4 else None
    if cached is not None and native is not None:
        by_key, by_translit, most, _ = cached
        return Tables({k: Exonym(*v) for k, v in by_key.items()},
                      {k: Exonym(*v) for k, v in by_translit.items()}, most, native)
    built = _judge(lang, draft(lang))
    if isinstance(built.native, WordTable):
        store_marshal(path, (
            {k: (e.place, e.target, e.kind, e.detail) for k, e in built.by_key.items()},
            {k: (e.place, e.target, e.kind, e.detail) for k, e in built.by_translit.items()},
            built.most_words, str(built.native.path)))
    return built


def draft_name(lang: str) -> str:
    """The file name of ``lang``'s draft (``.draft``; its native keys beside it, ``.native``):
    keyed by the bytes of the data it is built from, the same wherever it is built."""
    return f"exonyms-{lang}-{content_digest(f'exonyms:{_CACHE_VERSION}:{lang}', _DRAFT_INPUTS)}.draft"


def draft(lang: str) -> Draft:
    """``lang``'s draft: the package's prebuilt copy, else the cache directory's, else built
    (and kept there; the native keys as a word table, the rest as marshal data)."""
    name = draft_name(lang)
    for path in (prebuilt(name), cache_dir() / name):
        if path is None:
            continue
        steps = load_marshal(path)
        native = open_word_table(path.with_suffix(".native"))
        if type(steps) is tuple and len(steps) == 2 and native is not None:
            return Draft(steps[0], steps[1], native)
    built = build_draft(lang)
    path = cache_dir() / name
    # The table first: the marshal file is what says the pair is there.
    if store_word_table(path.with_suffix(".native"), dict.fromkeys(sorted(built.native), 0)) and \
            store_marshal(path, (built.steps, built.by_translit)):
        native = open_word_table(path.with_suffix(".native"))
        if native is not None:
            return Draft(built.steps, built.by_translit, native)
    return built


def _judge(lang: str, drafted: Draft) -> Tables:
    """The tables: the draft's steps applied in order, a form that is a common word or a
    given name (:func:`_common`) left out, as :func:`build_draft` meets them."""
    by_key: dict[str, Exonym] = {}
    dropped: set[str] = set()
    for step, key, fields, text, doomed in drafted.steps:
        if step == _CURATED:
            by_key[key] = Exonym(*fields)
        elif key not in by_key and not _common(text, lang if step == _FOREIGN else "en"):
            by_key[key] = Exonym(*fields)
            if doomed:
                dropped.add(key)
    # A Russian form that is also the name of a place elsewhere ("Kirovsk" in Russia) stays out.
    for key in dropped:
        del by_key[key]
    most = max((k.count(" ") + 1 for k in by_key), default=1)
    return Tables(by_key, {k: Exonym(*v) for k, v in drafted.by_translit.items()}, max(most, 3),
                  drafted.native)


def build_draft(lang: str) -> Draft:
    """Read the whole gazetteer for ``lang``'s draft (a second or so)."""
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
    steps: list[Step] = []
    blocked: set[str] = set()            # keys that are some place's name in this language
    for keys in own.values():
        blocked |= keys
    for place, tag, text in foreign:
        target = preferred.get(place)
        key = name_key(text)
        if target and key not in blocked and key != name_key(target):
            steps.append((_FOREIGN, key, (place, target, "foreign", tag), text, False))
    for target, by_lang in ((load_yaml("gazetteer", "exonyms.yaml") or {}).get(lang) or {}).items():
        for tag, forms in (by_lang or {}).items():
            for form in forms or ():
                steps.append((_CURATED, name_key(str(form)), (f"exonym:{target}", str(target), "foreign", str(tag)),
                              str(form), False))
    by_translit: dict[str, tuple[str, str, str, str]] = {}
    if lang == "en":
        _ukrainian(cyrillic, preferred, own, blocked | elsewhere, steps, by_translit)
    return Draft(steps, by_translit, frozenset(blocked | elsewhere))


def _ukrainian(cyrillic: dict[str, list[tuple[str, str]]], preferred: dict[str, str],
               own: dict[str, set[str]], blocked: set[str], steps: list[Step],
               by_translit: dict[str, tuple[str, str, str, str]]) -> None:
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
                if key in keep:
                    continue  # "Malin" is a name in English too (and common words: _judge)
                # A Russian form that is also the name of a place elsewhere ("Kirovsk" in
                # Russia) is dropped at the end, after it has kept its key from later forms.
                steps.append((_RUSSIAN, key, (place, wanted, "russian", t), form,
                              key in blocked and key not in own.get(place, set())))
        if len(target) >= MIN_KEY_LETTERS:
            by_translit.setdefault(equivalence_key(target), (place, target, "romanisation",
                                                             _best_cyrillic(uk)))


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
