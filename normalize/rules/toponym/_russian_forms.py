"""Russian forms of Ukrainian village names that no gazetteer lists.

The gazetteer holds towns; the villages of a front-line list ("Belozerka,
Sofievka, Dneprovskoye ...") are too small for it, and MT from Russian (or a
Russian-language source about Ukraine) writes them in their Russian form. The
Russian and Ukrainian forms differ by regular endings (-ovka/-evka and -ivka,
-skoye and -ske, -skaya and -ska) and a few stems (Dnepr- and Dnipr-,
Aleksandr- and Oleksandr-, Nikol- and Mykol-, Belo- and Bilo-), so the
Ukrainian national form can be guessed from the Russian one. A guess is only
offered where the line is about Ukraine (it names a Ukrainian region or city,
and no Russian region): the same endings are right for villages in Russia.
The context words are data: ``ukrainian_context`` and ``russian_context`` in
``corpora/rules/<lang>/toponyms.yaml``.
"""
from __future__ import annotations

import functools
import re

from ...languages import get_language
from ...patterns import LazyPattern

#: (Russian ending, Ukrainian ending), longest first; only these make a candidate.
_ENDINGS = (
    ("ovskoye", "ovske"), ("evskoye", "ivske"), ("skoye", "ske"), ("skoe", "ske"),
    ("skaya", "ska"), ("yevka", "iivka"), ("ievka", "iivka"), ("evka", "ivka"), ("ovka", "ivka"),
)
#: (Russian stem, Ukrainian stem) at the start of the name.
_STEMS = (
    ("Dnepr", "Dnipr"), ("Aleksandr", "Oleksandr"), ("Aleksey", "Oleksii"), ("Nikol", "Mykol"),
    ("Belozer", "Bilozer"), ("Belo", "Bilo"), ("Bely", "Bily"), ("Chernig", "Chernih"),
    ("Yekaterin", "Katery"), ("Vasil", "Vasyl"), ("Grigor", "Hryhor"), ("Georgi", "Heorhi"),
    ("Ivanov", "Ivaniv"), ("Petrov", "Petriv"), ("Mikhail", "Mykhail"), ("Kamensk", "Kamiansk"),
    ("Novo", "Novo"), ("Staro", "Staro"), ("Krasno", "Krasno"),
)
_RUSSIAN_ENDINGS = tuple(e for e, _ in _ENDINGS)
_CANDIDATE = LazyPattern(r"[A-Z][a-z]{2,}(?:" + "|".join(e for e, _ in _ENDINGS) + r")")


def ukrainian_form(word: str) -> str | None:
    """The Ukrainian national romanisation that a Russian-form village name most likely
    stands for ("Sofievka" -> "Sofiivka", "Dneprovskoye" -> "Dniprovske"), or None when
    ``word`` does not have a Russian ending."""
    if not word.endswith(_RUSSIAN_ENDINGS) or not _CANDIDATE.fullmatch(word):
        return None  # (the ending first: one C call, where most words stop)
    for ru, uk in _ENDINGS:
        if word.endswith(ru):
            stem = word[:-len(ru)]
            break
    else:  # pragma: no cover - _CANDIDATE guarantees an ending
        return None
    for ru_stem, uk_stem in _STEMS:
        if stem.startswith(ru_stem):
            stem = uk_stem + stem[len(ru_stem):]
            break
    return stem + uk


@functools.cache
def context_patterns(lang: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """(words that place a line in Ukraine, words that place it in Russia) for ``lang``."""
    data = get_language(lang).data("toponyms")

    def alternation(key: str) -> re.Pattern[str] | None:
        words = data.get(key) or []
        if not words:
            return None
        return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
                          + r")", re.IGNORECASE)
    return alternation("ukrainian_context"), alternation("russian_context")
