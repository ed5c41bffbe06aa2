"""Rules checked piece by piece (normalize/pieces.py) find what they find in the whole text:
for each rule that reads document facts, a small text built here, checked both ways."""
from __future__ import annotations

import itertools
import random

from normalize import api
from normalize.document import Document
from normalize.findings import Finding
from normalize.pieces import check_in_pieces


def _key(f: Finding) -> tuple[object, ...]:
    return (f.rule, f.start, f.end, f.line, f.column, f.message, f.replacement, f.fix,
            f.severity)


def _whole_and_pieces(rule: str, text: str, size: int, lang: str = "en"
                      ) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    linter = api.get_linter(api.options(lang, "ap", select=[rule]))
    doc = Document(text, lang=lang, style="ap")
    return ([_key(f) for f in linter.check(doc)],
            sorted(_key(f) for f in check_in_pieces(linter, doc, size)))


_NOUNS = ("council", "harbour", "minister", "grain", "bridge", "teacher", "market", "museum",
          "station", "storm", "farmers", "railway", "budget", "festival", "library", "ferry")
_VERBS = ("approved", "delayed", "visited", "repaired", "praised", "doubled", "closed", "opened")


def _story(i: int) -> str:
    """A paragraph of its own (word choices drawn by ``i``: no two alike) long enough to
    be compared."""
    rnd = random.Random(i)
    words = [rnd.choice(_VERBS) if k % 4 == 2 else rnd.choice(_NOUNS) for k in range(18)]
    return " ".join(words).capitalize() + "."


def test_duplicate_paragraph_in_pieces() -> None:
    """Exact copies far apart (in different pieces), a copy after more blank lines than a
    piece's context holds (still next to its original: the safe fix), the headline
    repeated in the lead, and a near copy, found as in the whole text."""
    headline = "Harbour town votes to rebuild the old ferry landing before spring"
    copied = "Volunteers from three villages carried sandbags to the quay through the night."
    paras = [headline, headline + ". The vote was close, and the mayor cast the last ballot."]
    paras += [_story(i) for i in range(2, 30)]
    paras += [copied, "\n" * 70 + copied]              # next to each other, 70 blank lines apart
    paras += [_story(i) for i in range(30, 60)]
    paras += [_story(5), copied]                        # copies of lines pieces before
    near = _story(70).replace(_story(70).split()[5], "lighthouse")
    paras += [_story(70), _story(71), near, *(_story(i) for i in range(72, 80))]
    text = "\n\n".join(paras) + "\n"
    whole, pieces = _whole_and_pieces("repetition.duplicate_paragraph", text, 400)
    assert pieces == whole
    messages = [k[5] for k in whole]
    assert any("headline" in str(m) for m in messages)
    assert any("nearly repeats" in str(m) for m in messages)
    assert sum("word for word" in str(m) for m in messages) == 3
    assert sum(k[6] == "" for k in whole) == 1          # the safe fix of the adjacent copy
    # The copies far apart name the original's line in the whole text.
    assert any(f"repeats line {text[:text.index(_story(5))].count(chr(10)) + 1} " in str(m)
               for m in messages)


def test_duplicate_paragraph_facts_merge_in_any_grouping() -> None:
    """The facts of three stretches merged (a, b) then c, or a then (b, c), give every
    piece the same share."""
    from normalize.pieces import piece_document
    from normalize.rules.repetition.duplicate_paragraph import COPIES

    text = "\n\n".join([_story(1), _story(2), _story(1), "Short line.", _story(3), _story(2)] * 6) + "\n"
    linter = api.get_linter(api.options("en", "ap", select=["repetition.duplicate_paragraph"]))
    doc = Document(text, lang="en", style="ap")
    cut = [0, len(text) // 3, 2 * len(text) // 3, len(text)]
    cut = [0] + [text.index("\n\n", c) + 2 for c in cut[1:-1]] + [len(text)]
    own = [COPIES.collect(linter.context(piece_document(doc, a, b, i, None)))
           for i, (a, b) in enumerate(itertools.pairwise(cut))]
    left = COPIES.merge(COPIES.merge(own[0], own[1]), own[2])
    right = COPIES.merge(own[0], COPIES.merge(own[1], own[2]))
    assert COPIES.for_piece is not None
    for before in (COPIES.merge(own[0], own[1]), left, right):
        assert COPIES.for_piece(before, left, own[2]) == COPIES.for_piece(before, right, own[2])
    share = COPIES.for_piece(own[0], left, own[1])
    assert share.firsts
    assert share.nonblank_before == sum(1 for line in text[:cut[1]].split("\n") if line.strip())
    assert COPIES.for_piece(left, left, own[2]) == COPIES.for_piece(right, right, own[2])
