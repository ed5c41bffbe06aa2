"""encoding.mixed_script: look-alike letters of another script inside a word.

"Gоvernment" with a Cyrillic "о", "пoкупает" with a Latin "o": the word looks
right and is wrong for search, spelling and hyphenation. It comes from
keyboards switched mid-word, OCR and copy-paste between alphabets (and from
spam filters' evasions). Each letter of the word's minority script that has a
look-alike in its majority script is mapped to it; the fix is safe where the
mapped word is in the lexicon of a language written in that script, unsafe
otherwise. Words mixing scripts with letters that look like nothing in the
other script ("kΩ", Greek letters in formulas) are not this artefact and are
left alone.
"""
from __future__ import annotations

from collections.abc import Iterator

from ... import lexicon
from ...findings import Category, Finding, FixSafety
from ...patterns import LazyPattern
from ...registry import Context, Rule, register

# Cyrillic and Greek letters that look like a Latin one in common fonts.
_CYRILLIC_TO_LATIN = dict(zip(
    "аеорсухіјѕԁԛԝӏһкАВЕКМНОРСТХУІЈЅԚԜҺ",
    "aeopcyxijsdqwlhkABEKMHOPCTXYIJSQWH"))
_GREEK_TO_LATIN = dict(zip("οαρνυικχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "oapvuikxABEZHIKMNOPTYX"))
_LATIN_TO_CYRILLIC = {lat: cyr for cyr, lat in _CYRILLIC_TO_LATIN.items()
                      if cyr not in "ԁԛԝӏһ"}  # no Russian or Ukrainian word has these
_LATIN_TO_GREEK = {lat: gr for gr, lat in _GREEK_TO_LATIN.items()}
_TO = {"Latin": {"Cyrillic": _CYRILLIC_TO_LATIN, "Greek": _GREEK_TO_LATIN},
       "Cyrillic": {"Latin": _LATIN_TO_CYRILLIC}, "Greek": {"Latin": _LATIN_TO_GREEK}}
#: Which language's lexicon judges a word of each script when the document is in another.
_SCRIPT_LANGS = {"Latin": ("en",), "Cyrillic": ("ru", "uk"), "Greek": ()}
_LATIN = "A-Za-z\u00c0-\u024f"
_OTHER = "\u0370-\u03ff\u0400-\u052f"
#: A word with a Latin letter next to a Cyrillic or Greek one.
_MIXED = LazyPattern(rf"[^\W\d_]*(?:[{_LATIN}][{_OTHER}]|[{_OTHER}][{_LATIN}])[^\W\d_]*")
_HAS_OTHER = LazyPattern(f"[{_OTHER}]")


def _script(c: str) -> str | None:
    cp = ord(c)
    if c.isascii() or 0xC0 <= cp <= 0x24F:
        return "Latin" if c.isalpha() else None
    if 0x400 <= cp <= 0x52F:
        return "Cyrillic"
    if 0x370 <= cp <= 0x3FF:
        return "Greek"
    return None


def restore(word: str, lang: str) -> tuple[str, str] | None:
    """``(word in one script, that script)`` with the minority script's look-alikes mapped
    to the majority script (ties go to the script of ``lang``); None when a letter of the
    minority script looks like nothing in the majority one."""
    counts: dict[str, int] = {}
    for c in word:
        s = _script(c)
        if s:
            counts[s] = counts.get(s, 0) + 1
    if len(counts) < 2:
        return None
    home = "Cyrillic" if lang in ("ru", "uk") else "Greek" if lang == "el" else "Latin"
    target = max(counts, key=lambda s: (counts[s], s == home))
    out = []
    for c in word:
        s = _script(c)
        if s is None or s == target:
            out.append(c)
            continue
        mapped = _TO.get(target, {}).get(s, {}).get(c)
        if mapped is None:
            return None
        out.append(mapped)
    return "".join(out), target


@register
class MixedScript(Rule):
    id = "encoding.mixed_script"
    #: Read by the rule-case tests: without a lexicon no fix is safe.
    needs_lexicon = True
    category = Category.ENCODING
    scope = "line"
    fix = FixSafety.UNSAFE
    fixes = frozenset({FixSafety.SAFE, FixSafety.UNSAFE})
    mqm = "Fluency/Character encoding"
    description = ("Look-alike letters of another script inside a word (a Cyrillic 'о' in an English "
                   "word); fixed safely where the restored word is in the lexicon.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.text
        if text.isascii() or not _HAS_OTHER.search(text):
            return
        lang = ctx.language.family
        for m in _MIXED.finditer(text):
            word = m.group()
            restored = restore(word, lang)
            if restored is None:
                continue
            fixed, script = restored
            langs = (lang,) if _home_script(lang) == script else _SCRIPT_LANGS.get(script, ())
            known = any(_known(code, fixed) for code in langs)
            foreign = "".join(sorted({c for c, f in zip(word, fixed) if c != f}))
            names = ", ".join(f"U+{ord(c):04X}" for c in foreign)
            yield self.finding(
                ctx, m.start(), m.end(),
                f"'{word}' mixes scripts: {names} {'looks' if len(foreign) == 1 else 'look'} like "
                f"{'a ' + script + ' letter' if len(foreign) == 1 else script + ' letters'} but "
                f"{'is' if len(foreign) == 1 else 'are'} not; "
                f"it should read '{fixed}'",
                replacement=fixed, fix=FixSafety.SAFE if known else FixSafety.UNSAFE,
                data={"script": script})


def _home_script(lang: str) -> str:
    return "Cyrillic" if lang in ("ru", "uk") else "Latin"


def _known(lang: str, word: str) -> bool:
    if not lexicon.available(lang):
        return False
    lex = lexicon.get(lang)
    return lex is not None and lex.known(word.lower(), 2.0)
