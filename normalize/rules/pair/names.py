"""pair.names: a person's name or a Latin-script name of the source with no counterpart in the translation.

Two checks, each kept to what human translations respect (measured on the
MLQE-PE post-edits and the MQM references, where they stay quiet):

* **Person names.** A known given name (the given-name lexicon of the analysis layer,
  ``corpora/names/given_names.tsv.gz``) followed by a capitalised word
  is a person ("Urve Tiidus", "Арсен Аваков"). When the translation keeps the
  given name but no word of it renders the surname, MT has translated or
  mangled the surname ("Urve Tiette", "Katariina Mountain kelgä"): the word
  after the given name is reported. Surnames are compared by the
  transliteration key of :mod:`normalize.translit` (diacritics, g/h, y/i, doubled
  letters; Cyrillic through its usual romanisations), tolerating a changed
  ending (case endings: Estonian "Väädi" is "Väät"). A surname that is a common
  word of the target language (where its lexicon is installed) may be translated
  on purpose and is skipped; a name whose given name is missing too is not
  reported (the pair is then often a title or a place: "Țara
  Galilor" is Wales).
* **Latin-script names in a source of another script.** Acronyms, names and
  codes written in Latin letters inside a Chinese, Japanese, Korean, Cyrillic,
  Greek or Arabic source ("LISA", "Proton Studios", "G20") stay in a
  Latin-script translation. One with no counterpart (the same letters up to case
  and diacritics, or a close spelling) is reported on the segment.
"""
from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterator

from ... import lexicon
from ...analysis.given_names import given_name_gender
from ...analysis.segments import segment_pairs
from ...findings import Category, Finding, Severity
from ...patterns import LazyPattern
from ...registry import Context, Rule, register
from ...translit import edit_distance_one, equivalence_key, russian_forms

_WORD = LazyPattern(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_LATIN_TOKEN = LazyPattern(r"(?<![A-Za-z0-9\u0370-\u03ff\u0400-\u04ff])[A-Za-z][A-Za-z0-9]*(?:[-.&'][A-Za-z0-9]+)*"
                           r"(?![A-Za-z0-9\u0370-\u03ff\u0400-\u04ff])")
_ROMAN = LazyPattern(r"[IVXLCDM]+")
_CYRILLIC = LazyPattern(r"[\u0400-\u04ff]")
_VOWELS = LazyPattern(r"[aeiou]")
#: A surname that is this common a word of the target language may be translated.
_COMMON_SURNAME = 3.5


def _is_latin(word: str) -> bool:
    return all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in word if c.isalpha())


def _keys(word: str) -> set[str]:
    if _CYRILLIC.search(word):
        return {equivalence_key(f) for f in russian_forms(word)}
    return {equivalence_key(word)}


def _skeleton(key: str) -> str:
    return _VOWELS.sub("", key)


def _same(key: str, other: str, loose: bool) -> bool:
    if key == other:
        return True
    if loose:  # a Cyrillic rendering of a foreign name: Трамп for Trump, Джулиани for Giuliani
        sk = _skeleton(key)
        return (len(sk) >= 3 and sk == _skeleton(other)) or (len(key) >= 5 and key[-4:] == other[-4:])
    return False


def _renders(key: str, other: str, loose: bool) -> bool:
    """Whether ``other`` (a target word's key) may render the surname ``key``:
    the same key, a case ending changed, or (Cyrillic) the same consonants."""
    if _same(key, other, loose):
        return True
    if len(key) >= 4 and len(other) >= 3 and key[:3] == other[:3]:
        return True
    # An inflected form: the source key with one or two final letters dropped
    # is one edit from the target's ("vadi" -> "vad" ~ "vat").
    return any(len(key) - cut >= 3 and edit_distance_one(key[:-cut], other) for cut in (1, 2))


@register
class PairNames(Rule):
    id = "pair.names"
    category = Category.NAME
    severity = Severity.WARNING
    mqm = "Accuracy/Mistranslation"
    needs_source = True
    scope = "document"
    description = ("A person's name or a Latin-script name of the source segment with no "
                   "counterpart in the translation (a surname translated or mangled, an acronym "
                   "dropped).")

    def check(self, ctx: Context) -> Iterator[Finding]:
        target_lex = lexicon.get(ctx.language.family) if ctx.language.family in lexicon.LANGUAGES else None
        for pair in segment_pairs(ctx):
            if not pair.source.strip() or not pair.target.strip():
                continue
            words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(pair.target)]
            latin_target = sum(1 for *_, w in words if _is_latin(w)) * 2 > len(words)
            if not latin_target:
                continue
            keys = [equivalence_key(w) for *_, w in words]
            yield from self._persons(ctx, pair, words, keys, target_lex)
            yield from self._latin_in_other_script(ctx, pair, words, keys)

    def _persons(self, ctx: Context, pair, words, keys, target_lex) -> Iterator[Finding]:
        src = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(pair.source)]
        for (_, e1, given), (s2, _, surname) in itertools.pairwise(src):
            if pair.source[e1:s2] != " " or len(given) < 3 or len(surname) < 3:
                continue
            if not (given[0].isupper() and surname[0].isupper()) or given.isupper() or surname.isupper():
                continue
            if given_name_gender(given) is None:
                continue
            if target_lex is not None and target_lex.zipf(surname.lower()) >= _COMMON_SURNAME:
                continue
            loose = bool(_CYRILLIC.search(surname))
            given_keys = _keys(given)
            surname_keys = _keys(surname)
            if any(_renders(k, t, loose) for k in surname_keys for t in keys):
                continue
            for i, key in enumerate(keys[:-1]):
                if not any(_same(g, key, loose) for g in given_keys):
                    continue
                start, end, word = words[i + 1]
                if word[0].isupper() and pair.target[words[i][1]:start] == " ":
                    yield self.finding(
                        ctx, pair.start + start, pair.start + end,
                        f"'{word}' stands where the source has the surname '{surname}' "
                        f"(of '{given} {surname}'); a name is kept, not translated",
                        data={"kind": "person", "source_text": f"{given} {surname}"})
                break

    def _latin_in_other_script(self, ctx: Context, pair, words, keys) -> Iterator[Finding]:
        letters = [c for c in pair.source if c.isalpha()]
        if not letters or sum(1 for c in letters if c.isascii()) * 2 >= len(letters):
            return  # a Latin-script source: its names are the person check's business
        low_target = pair.target.lower()
        missing = []
        for m in _LATIN_TOKEN.finditer(pair.source):
            token = m.group()
            if not (token[0].isupper() or any(c.isdigit() for c in token)) or len(token) < 2:
                continue
            if token.lower() in low_target or _ROMAN.fullmatch(token):
                continue  # kept, or a Roman numeral ("XVII" is "17th" or "seventeenth")
            key = equivalence_key(token)
            if any(_renders(key, t, False) for t in keys):
                continue
            missing.append(token)
        if missing:
            listed = ", ".join(f"'{t}'" for t in missing)
            yield self.finding(
                ctx, pair.start, pair.end,
                f"the source's {listed} {'has' if len(missing) == 1 else 'have'} no counterpart in the "
                "translation; names, acronyms and codes written in Latin letters are kept",
                data={"kind": "latin", "source_text": missing})
