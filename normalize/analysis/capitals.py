"""Runs of capitalised words ("Finance Minister Anna Łukaszewska").

A run is two or more consecutive words whose first characters are capitals
(:func:`~normalize.analysis.words.is_capital`), each joined to the next by
exactly one joiner character (a space, a hyphen). The name rules read a run's
last two words as given name and surname; the gender rules read whole runs.
Both paths take the capital flags from :class:`~normalize.analysis.words.WordSpans`,
so what counts as a capital cannot depend on the text's length.
"""
from __future__ import annotations

from dataclasses import dataclass

from .words import WordSpans, code_points_at

#: Joiners of a name: spaces (also no-break) and hyphens (also the Unicode ones).
NAME_JOINERS = " \u00a0-\u2010\u2011"


@dataclass(frozen=True, slots=True)
class CapitalRuns:
    """Maximal runs of two or more capitalised words, in text order: for run ``k``,
    the indexes (into the word spans) of its first and last word, and its start offset."""

    firsts: list[int]
    lasts: list[int]
    starts: list[int]

    def __len__(self) -> int:
        return len(self.firsts)


def find_capital_runs(spans: WordSpans, joiners: str) -> CapitalRuns:
    """The runs of capitalised words of ``spans`` joined by one of ``joiners``."""
    text, starts, ends = spans.text, spans.starts, spans.ends
    if not spans.fast:
        cap = spans.capital_flags()
        firsts: list[int] = []
        lasts: list[int] = []
        for i in range(len(starts) - 1):
            if cap[i] and cap[i + 1] and starts[i + 1] - ends[i] == 1 and text[ends[i]] in joiners:
                if lasts and lasts[-1] == i:
                    lasts[-1] = i + 1
                else:
                    firsts.append(i)
                    lasts.append(i + 1)
        return CapitalRuns(firsts, lasts, [starts[a] for a in firsts])
    if len(starts) < 2:
        return CapitalRuns([], [], [])
    import numpy as np

    cap = spans.capital_mask()
    after = code_points_at(text, np.minimum(ends[:-1], len(text) - 1))
    joined = (starts[1:] - ends[:-1] == 1) & np.isin(after, [ord(c) for c in joiners])
    pairs = np.flatnonzero(cap[:-1] & cap[1:] & joined)  # word i links to word i + 1
    if not len(pairs):
        return CapitalRuns([], [], [])
    new_run = np.concatenate(([True], np.diff(pairs) != 1))
    first = pairs[new_run]
    last = np.concatenate((pairs[np.flatnonzero(new_run)[1:] - 1], pairs[-1:])) + 1
    return CapitalRuns(first.tolist(), last.tolist(), starts[first].tolist())


@dataclass(frozen=True, slots=True)
class NameRuns:
    """For each capital run, the offsets of its last word (read as the surname) and of
    the word before it (the given name): "Foreign Minister *Sergei* *Lavrov*"."""

    given_starts: list[int]
    given_ends: list[int]
    surname_starts: list[int]
    surname_ends: list[int]


def name_runs(spans: WordSpans, runs: CapitalRuns) -> NameRuns:
    """The last two words of each of ``runs`` (runs over ``spans``)."""
    starts, ends = spans.starts, spans.ends
    if not spans.fast:
        return NameRuns([starts[b - 1] for b in runs.lasts], [ends[b - 1] for b in runs.lasts],
                        [starts[b] for b in runs.lasts], [ends[b] for b in runs.lasts])
    import numpy as np

    last = np.array(runs.lasts, dtype=np.int64)
    return NameRuns(starts[last - 1].tolist(), ends[last - 1].tolist(),
                    starts[last].tolist(), ends[last].tolist())
