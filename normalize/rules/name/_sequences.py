"""Spelling keys of person names: folded and skeleton forms of a name's words.

The runs of capitalised words these are applied to are the document analysis
``ctx.analysis.name_runs`` (:mod:`normalize.analysis.capitals`).
"""
from __future__ import annotations

import unicodedata


def fold(word: str) -> str:
    """Lower case without diacritics ("Erdoğan" -> "erdogan")."""
    low = word.lower()
    if low.isascii():
        return low
    return "".join(c for c in unicodedata.normalize("NFD", low) if not unicodedata.combining(c))


_SKELETON = str.maketrans({"y": "i", "j": "i", "w": "v", "q": "k", "c": "k", "x": "ks", "z": "s",
                           "ä": "e", "ö": "o", "ü": "u"})


def skeleton(word: str) -> str:
    """What transliterations of one name share: consonants, roughly ("Beglaryan",
    "Beglarian" -> "bglrn"; "Zelensky", "Zelenskyy", "Zelenskiy" -> "slnsk")."""
    w = fold(word).replace("kh", "h").replace("sch", "sh").replace("tch", "ch").replace("ou", "u") \
        .replace("ph", "f").replace("dj", "j").replace("dzh", "j").replace("zh", "j")
    w = w.translate(_SKELETON)
    out: list[str] = []
    for c in w:
        if c in "aeiouh" or (out and out[-1] == c):
            continue
        out.append(c)
    return "".join(out)
