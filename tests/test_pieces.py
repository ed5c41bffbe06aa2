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
    own = [COPIES.collect(linter.context(piece_document(doc, a, b, None)))
           for a, b in itertools.pairwise(cut)]
    left = COPIES.merge(COPIES.merge(own[0], own[1]), own[2])
    right = COPIES.merge(own[0], COPIES.merge(own[1], own[2]))
    assert COPIES.for_piece is not None
    for before in (COPIES.merge(own[0], own[1]), left, right):
        assert COPIES.for_piece(before, left, own[2]) == COPIES.for_piece(before, right, own[2])
    share = COPIES.for_piece(own[0], left, own[1])
    assert share.firsts
    assert share.nonblank_before == sum(1 for line in text[:cut[1]].split("\n") if line.strip())
    assert COPIES.for_piece(left, left, own[2]) == COPIES.for_piece(right, right, own[2])


# --- toponym.variant, toponym.consistency, toponym.exonym: the spelling counts of the
# whole text (normalize/rules/toponym/_reports.py:spellings, exonym.py:exonyms).

def _far_apart(*groups: str) -> str:
    """The given paragraphs with 70 paragraphs of filler between groups: more than a
    piece's context lines, so a later piece does not see the first occurrences."""
    paras: list[str] = []
    for n, group in enumerate(groups):
        paras.append(group)
        paras.extend(_story(100 + 70 * n + i) for i in range(70))
    return "\n\n".join(paras) + "\n"


def test_toponym_variant_in_pieces() -> None:
    """The whole text's safe count and first surface in every piece's message; an
    occurrence its gloss makes unsafe on its own; a later 'the Republic of Macedonia'
    reported at the span its fix replaces (the article goes), as in the whole text; a
    piece without the spelling reports nothing."""
    text = _far_apart(
        "KIEV closed its schools on Monday. The Kiev (Kyiv) mayor spoke to the council.",
        "Buses from Kiev ran late, and in the Republic of Macedonia the rain went on.",
        "The grain train left Kiev at noon. Later the Republic of Macedonia sent a ferry.")
    whole, pieces = _whole_and_pieces("toponym.variant", text, 500)
    assert pieces == sorted(whole)
    messages = [str(k[5]) for k in whole]
    assert sum(m.startswith("'KIEV' (3x) is an old name") for m in messages) == 3
    assert sum("not changed safely" in m for m in messages) == 1
    assert sum(m.startswith("'Republic of Macedonia' (2x)") for m in messages) == 2
    last = text.rindex("the Republic of Macedonia")
    assert any(k[1] == last and k[6] == "North Macedonia" for k in whole)


def test_toponym_consistency_in_pieces() -> None:
    """Two spellings of one place in pieces far apart: the whole text's counts and first
    surfaces in the message wherever an occurrence is."""
    text = _far_apart(
        "MACAU officials opened the border at dawn. Macau casinos stayed shut.",
        "Tourists crowded the ferry to Macao on Friday.",
        "Macau hotels were full, and the road to Macao was closed. Macao waited.")
    whole, pieces = _whole_and_pieces("toponym.consistency", text, 500)
    assert pieces == sorted(whole)
    assert len(whole) == 3
    assert all(str(k[5]).startswith("'MACAU' (3x) and 'Macao' (3x) spell one place") for k in whole)


def test_toponym_exonym_in_pieces() -> None:
    """A name in another language's form occurring in several pieces: the whole text's
    count and first surface in every message, each occurrence fixed in its own case."""
    text = _far_apart(
        "MÜNCHEN was quiet on the holiday.",
        "The mayor of München met reporters, then flew to Wien.",
        "Trains to München were delayed by snow.")
    whole, pieces = _whole_and_pieces("toponym.exonym", text, 500)
    assert pieces == sorted(whole)
    messages = [str(k[5]) for k in whole]
    assert sum(m.startswith("'MÜNCHEN' (3x) is the German name") for m in messages) == 3
    assert sorted(str(k[6]) for k in whole) == ["MUNICH", "Munich", "Munich", "Vienna"]


def _filler(i: int, n: int = 12) -> list[str]:
    """``n`` paragraphs with no capitalised name in them (word choices drawn by ``i``)."""
    return [_story(i * 100 + k) for k in range(n)]


def test_name_inconsistent_in_pieces() -> None:
    """Two spellings of an unknown surname after one given name and of a known person's
    surname, each spelling in pieces of its own, the first occurrence of one at a piece's
    first line, a piece holding none, the first occurrences more than the rule's window
    apart but later ones close; and a mention that counts only because the text writes
    its first word in lower case pieces away ("Afterwards Zelenski"): the whole text's
    counts and choice in every piece."""
    paras = ["Anton Kovalenkov opened the hearing on the harbour budget.",
             *_filler(1),
             "Afterwards Zelenski said the ferry would run again.",
             "Volodymyr Zelenskyy visited the station.",
             *_filler(2, 150),                       # more than 20,000 characters
             "Anton Kovalenkow answered the council.",
             *_filler(3),
             "Kovalenkov said the council had voted. Zelensky agreed.",
             "Anton Kovalenkow thanked the farmers. Zelenskyy left.",
             *_filler(4, 8),
             "The museum opened afterwards."]
    text = "\n\n".join(paras) + "\n"
    assert len(text) > 25_000
    whole, pieces = _whole_and_pieces("name.inconsistent", text, 300)
    assert pieces == whole
    messages = {str(k[5]) for k in whole}
    # A tie: the spelling the whole text writes first is the one to use.
    assert "'Kovalenkow' (2x) and 'Kovalenkov' (2x) spell one name (Kovalenkov) in this text; use " \
           "'Kovalenkov' throughout" in messages
    assert any(m.startswith("'Zelenski' (1x) and 'Zelenskyy' (2x), 'Zelensky' (1x)") for m in messages)


def test_name_variant_in_pieces() -> None:
    """People reported only where the text names their context (Amnesty, Kyiv) pieces
    away, one of them after a sentence's first word that the text writes in lower case
    pieces away: the findings of the whole text."""
    paras = ["Mary Struthers said the report was ready.",
             *_filler(5),
             "Afterwards Zelenski met the teachers.",
             *_filler(6),
             "The report was published by Amnesty on Monday, and the ferry left afterwards.",
             *_filler(7),
             "The council in Kyiv approved the budget."]
    text = "\n\n".join(paras) + "\n"
    whole, pieces = _whole_and_pieces("name.variant", text, 300)
    assert pieces == whole
    assert len(whole) == 2
    assert str(whole[0][5]).startswith("Marie Struthers (")
    assert str(whole[1][5]).startswith("Volodymyr Zelenskyy (")


def test_name_spellings_close_from_merged_stretches() -> None:
    """Whether two spellings ever come within the window of each other, told from the
    stretches' first and last places per window (a whole text), as from every place."""
    from normalize.rules.name.inconsistent import WINDOW, Seen, _close, _seen, _union

    rnd = random.Random(3)
    text = "x" * 200_001

    def seen(places: list[int], cut: int) -> Seen:
        parts = [_seen(text, [(p, p + 1) for p in places if (p < cut) == before], 0) for before in (True, False)]
        a, b = parts
        found = a if b is None else b if a is None else _union(a, b)
        assert found is not None
        return found

    for _ in range(3000):
        size = rnd.choice((30_000, 80_000, 200_000))
        xs = sorted(rnd.sample(range(size), rnd.randint(1, 6)))
        ys = sorted(rnd.sample(range(size), rnd.randint(1, 6)))
        cut = rnd.randrange(size)
        near = any(abs(x - y) <= WINDOW for x, y in itertools.product(xs, ys))
        assert _close({}, "surname", "", {("a",): seen(xs, cut), ("b",): seen(ys, cut)}) == near


def test_name_variant_context_in_large_pieces() -> None:
    """Pieces long enough for the numpy search of context words (the context word, part of
    a longer word, pieces away from the person): the findings of the whole text."""
    paras = ["Mary Struthers said the report was ready.",
             *_filler(8, 400),
             "The reports of Amnesty's researchers were published on Monday.",
             *_filler(9, 400)]
    text = "\n\n".join(paras) + "\n"
    assert len(text) > 100_000
    whole, pieces = _whole_and_pieces("name.variant", text, 40_000)
    assert pieces == whole
    assert len(whole) == 1 and str(whole[0][5]).startswith("Marie Struthers (")


def test_name_context_words_found_as_by_find() -> None:
    """The context words a stretch of text holds, found from its four-character hashes
    (numpy), are those str.find finds: at the stretch's ends, inside longer words,
    overlapping one another."""
    from normalize.rules.name.variant import _context_words, _found_words

    words = _context_words()
    rnd = random.Random(5)
    bits = [*words.all, "Ukr", "Kyi", "ab ", "\n", " ", "é", "\U0001d400", "Zelensk", "x" * 7]
    for _ in range(300):
        text = "".join(rnd.choice(bits) if rnd.random() < 0.3 else rnd.choice("abcXY .\n")
                       for _ in range(rnd.randint(0, 120)))
        lo = rnd.randint(0, len(text))
        hi = rnd.randint(lo, len(text))
        assert _found_words(text, lo, hi, words) == {w for w in words.all if text.find(w, lo, hi) != -1}


def test_lower_words_hashes() -> None:
    """The held words' hashes (numpy, every run at once) are :func:`word_key`'s, and keep
    every run that a question may ask about: lower-casing a character twice changes
    nothing more, and no capital's lower case starts with a digit 0-9."""
    import re

    from normalize.analysis.people import _held_keys, word_key

    for cp in range(0x110000):
        c = chr(cp)
        low = c.lower()
        assert low.lower() == low
        if c.isupper() or c.istitle():
            assert low[0] not in "0123456789"
    run = re.compile(r"[^\W_]+")
    alphabet = [*"abcXYZ019_ -.\nİıßΣσςéÉⒶⓐǅǆ", "\U00010400", "\U00010428", "\U0001d400", "\ud800"]
    rnd = random.Random(6)
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60)))
        lo = rnd.randint(0, len(text))
        hi = rnd.randint(lo, len(text))
        held = set(_held_keys(text, lo, hi).tolist())
        runs = run.findall(text, lo, hi)
        assert {word_key(w) for w in runs if w.lower() == w and w[0] not in "0123456789"} <= held
        assert held <= {word_key(w) for w in runs}


def test_name_spellings_far_apart_or_close_in_pieces() -> None:
    """Two spellings of one surname placed at random, sometimes within the rule's window
    of each other across a piece boundary, sometimes only far apart: whether they are
    judged together in pieces is what the whole text says (the pieces tell it from the
    pairs they see close, not from stretches of every word)."""
    from normalize.rules.name.inconsistent import WINDOW

    rnd = random.Random(11)
    filler = _filler(5, 400)  # ~50 kB of paragraphs with no capitalised name
    fired = 0
    for trial in range(6):
        paras = list(filler)
        spots = sorted(rnd.sample(range(len(paras)), 4))
        for k, at in enumerate(spots):
            surname = "Kovalenkov" if k % 2 == 0 else "Kovalenkow"
            paras.insert(at + k, f"Anton {surname} spoke to the council about the budget.")
        text = "\n\n".join(paras) + "\n"
        assert len(text) > 2 * WINDOW
        whole, pieces = _whole_and_pieces("name.inconsistent", text, rnd.choice((3_000, 9_000, 30_000)))
        assert pieces == sorted(whole), trial
        fired += bool(whole)
    assert 0 < fired


def test_stripped_diacritics_counts_the_whole_text_in_pieces() -> None:
    """A French text that lost its accents: the note that the whole text was converted
    to plain ASCII is given once, on the whole text's first damaged word, with the
    whole text's count, whichever piece holds it."""
    from normalize import lexicon

    if not lexicon.available("fr"):
        import pytest

        pytest.skip("no French lexicon")
    sentences = ["Le ministere a publie un communique sur la securite des ecoles.",
                 "Les eleves ont ete accueillis par le directeur du college.",
                 "La societe a annonce une periode d'etude tres detaillee.",
                 "Le gouvernement prefere attendre la decision du prefet."]
    paras = [sentences[i % len(sentences)].replace("Le ", f"Le {i}e ", 1) if i % 3 == 0
             else f"Paragraphe {i} sans mot abime, mais avec des chiffres {i * 7}."
             for i in range(60)]
    text = "\n\n".join(paras) + "\n"
    linter = api.get_linter(api.options("fr", None, select=["encoding.stripped_diacritics"]))
    doc = Document(text, lang="fr")
    whole = [_key(f) for f in linter.check(doc)]
    assert len(whole) > 10 and sum("lost their accents" in str(k[5]) for k in whole) == 1
    for size in (300, 1_000):
        assert sorted(_key(f) for f in check_in_pieces(linter, doc, size)) == sorted(whole)


def test_toponym_exonym_names_at_piece_starts() -> None:
    """Names of several words, Russian forms on lines about Ukraine and names joined to
    others, each at a piece's first line for some piece size (the first pass scans a
    piece's own lines only): the whole text's findings at every size."""
    lines = ["Ho Chi Minh Stadt welcomed the ferry.",
             "Sofievka, near Kharkiv, was shelled again.",
             "Bayern München won; the fans of München sang.",
             "Kharkov and Nikolaev lost power overnight.",
             "The grain reached Wien on Monday."]
    paras = [lines[i % len(lines)] if i % 3 == 0 else _story(500 + i) for i in range(40)]
    text = "\n".join(paras) + "\n"
    for size in (90, 160, 333, 1000):
        whole, pieces = _whole_and_pieces("toponym.exonym", text, size)
        assert pieces == sorted(whole)
    kinds = " ".join(str(k[5]) for k in whole)
    assert "Sofievka" in kinds and "Ho Chi Minh Stadt" in kinds and "Wien" in kinds


def test_lower_words_distinct_hashes() -> None:
    """The held hashes' dedup (rounds of an open table) gives np.unique's answer, with
    values that meet in a slot, the extremes, few and many repeats."""
    import numpy as np

    from normalize.analysis.people import _distinct

    rng = np.random.default_rng(7)
    for n, d in ((0, 1), (1, 1), (7, 3), (5000, 40), (60_000, 4000), (30_000, 30_000)):
        pool = np.concatenate([rng.integers(0, 2**63, d, dtype=np.int64).astype(np.uint64),
                               np.array([0, 2**64 - 1, 2**63, 2**63 + 1], dtype=np.uint64)])
        values = pool[rng.integers(0, len(pool), n)]
        assert np.array_equal(_distinct(values), np.unique(values))


# --- Rules whose findings read more of the text than a piece and its context: whether the
# text is tokenised (normalize/analysis/tokenised.py:counts), the quote pass's state
# (typography.quote_pairing), whether the text is one line (garble.unbalanced), a contested
# spelling's first place, the counts of glued words, the headline and the tail
# (debris.boilerplate), the story's opening (garble.dangling_pronoun), the acronyms the
# text explains and the source nouns that stand in names (untranslated.*).

def _prose(seed: int, chars: int, sep: str = "\n\n") -> str:
    """Paragraphs of _story up to ``chars`` characters (no quotation marks, no capitals
    but the first letter)."""
    paras: list[str] = []
    while sum(len(p) + len(sep) for p in paras) < chars:
        paras.append(_story(seed * 1000 + len(paras)))
    return sep.join(paras)


def _both(rule: str, text: str, size: int, lang: str = "en", source_lang: str | None = None
          ) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    linter = api.get_linter(api.options(lang, "ap", source_lang, select=[rule]))
    doc = Document(text, lang=lang, style="ap", source_lang=source_lang)
    return (sorted(_key(f) for f in linter.check(doc)),
            sorted(_key(f) for f in check_in_pieces(linter, doc, size)))


def test_tokenised_judged_on_the_whole_text_in_pieces() -> None:
    """A first piece that alone reads as tokenised corpus text ("It rained .") in a text
    that is not: its spaced marks are reported as in the whole text."""
    text = ('Crews said " the road" was clear.\nIt rained .\nThe wind fell .\nThe tide rose .\n'
            + "\n" * 400 + _prose(1, 3000) + "\n")
    for rule, size in (("typography.punctuation_spacing", 300), ("typography.quote_pairing", 300)):
        whole, pieces = _both(rule, text, size)
        assert pieces == whole and whole


def test_quote_pairing_state_from_far_before_in_pieces() -> None:
    """A quote opened 40,000 characters before (beyond a piece's context) and closed by a
    straight mark inside the context: the closing mark after it is reported as in the
    whole text (a piece's pass starts in the state the text before left)."""
    text = ("\u201cThe ferry will run all winter\n\n" + _prose(2, 40_000) + '\n\nso the captain said"\n\n'
            + _prose(3, 500) + "\n\nand then \u201dthe vote came\n\n" + _prose(4, 2000) + "\n")
    whole, pieces = _both("typography.quote_pairing", text, 2000)
    assert pieces == whole
    assert any("no opening quote" in str(k[5]) for k in whole)


def test_unbalanced_one_line_judged_on_the_whole_text_in_pieces() -> None:
    """A first line followed by more blank lines than a piece's context holds: the text
    has more lines, so a mark that may end a segment is still reported."""
    text = "Crews worked on the bridge all night and " * 10 + "\u201d . then they left\n" + "\n" * 30 \
        + _prose(5, 600) + "\n"
    whole, pieces = _both("garble.unbalanced", text, 300)
    assert pieces == whole and whole


def test_contested_first_occurrence_in_pieces() -> None:
    """A contested spelling is reported once, at its first place in the whole text; the
    other side's spelling far on at its own."""
    text = ("Shelling hit Shusha on Monday.\n\n" + _prose(6, 40_000)
            + "\n\nIn Shusha the schools closed. Shushi was quiet.\n")
    whole, pieces = _both("toponym.contested", text, 2000)
    assert pieces == whole
    assert [k[1] for k in whole] == [text.index("Shusha"), text.index("Shushi")]


def test_glued_words_counted_over_the_whole_text_in_pieces() -> None:
    """A glued token that occurs twice far apart (a name, not glue) is not reported; one
    that occurs once is."""
    from normalize import lexicon

    if not lexicon.available("en"):
        return
    text = ("The report by theCouncil was late.\n\n" + _prose(7, 40_000)
            + "\n\nAgain theCouncil and theHarbour said nothing.\n")
    whole, pieces = _both("garble.glued_words", text, 2000)
    assert pieces == whole
    assert [str(k[5]).split("'")[1] for k in whole] == ["theHarbour"]


def test_boilerplate_tail_and_headline_in_pieces() -> None:
    """A widget paragraph followed by lines of numbers longer than a piece's context (the
    tail of its piece, not of the text) and one after the last prose; a headline with a
    site name, and a second one after 5,000 blank lines (no headline there)."""
    widget = ("The farmers said the bridge would open before the festival and the council agreed "
              "that the railway budget would be doubled, so please leave a comment below with your "
              "thoughts on the plan for the harbour this year.")
    text = (_prose(8, 1500) + "\n\n" + widget + "\n\n" + "\n".join(["12 34 56"] * 400) + "\n\n"
            + _prose(9, 3000) + "\n\n" + widget + "\n")
    whole, pieces = _both("debris.boilerplate", text, 1500)
    assert pieces == whole
    assert [k[1] for k in whole] == [text.rindex(widget)]
    text = ("Storm closes the harbour | example.com\n" + "\n" * 5000
            + "Ferry service resumes after the storm | example.com\n\n" + _prose(10, 3000) + "\n")
    whole, pieces = _both("debris.boilerplate", text, 1000)
    assert pieces == whole
    assert [k[1] for k in whole] == [text.index("| example.com")]


def test_dangling_pronoun_only_at_the_story_opening_in_pieces() -> None:
    """A story that opens with prose, then sentences opening with a pronoun after 5,000
    blank lines each (a piece's text that starts there is no story's opening)."""
    claim = "According to {}, the harbour will stay closed until Friday and ferries have been cancelled."
    text = ("The harbour council met on Monday to approve the budget for the ferry.\n" + "\n" * 5000
            + claim.format("him") + "\n\n" + _prose(11, 2000) + "\n" + "\n" * 5000
            + claim.format("her") + "\n\n" + _prose(12, 500) + "\n")
    whole, pieces = _both("garble.dangling_pronoun", text, 2000)
    assert pieces == whole == []
    text = claim.format("him") + "\n\n" + _prose(13, 3000) + "\n"
    whole, pieces = _both("garble.dangling_pronoun", text, 500)
    assert pieces == whole and len(whole) == 1


def test_untranslated_acronym_and_source_word_in_pieces() -> None:
    """An acronym explained 40,000 characters before ("... (OVA)") and one never explained;
    a German noun that stands in a name far before ("Berliner Polizei") and one that never
    does."""
    from normalize import lexicon

    text = ("The oblast military administration (OVA) met.\n\n" + _prose(14, 40_000)
            + "\n\nThe OVA said the bridge was closed. The ODA said nothing.\n")
    whole, pieces = _both("untranslated.acronym", text, 2000, source_lang="uk")
    assert pieces == whole
    assert [k[1] for k in whole] == [text.index("ODA")]
    if not (lexicon.available("en") and lexicon.available("de")):
        return
    text = ("The Berliner Polizei closed the road.\n\n" + _prose(15, 40_000)
            + "\n\nLater the Polizei reopened it, and the Feuerwehr left.\n")
    whole, pieces = _both("untranslated.source_word", text, 2000, source_lang="de")
    assert pieces == whole
    assert [k[1] for k in whole] == [text.index("Feuerwehr")]


def test_directive_reported_by_its_own_piece() -> None:
    """An unused directive in the context lines of the pieces after it is reported once, by
    the piece that holds it (it was reported again by every piece that saw it)."""
    text = (_prose(20, 3000) + "\n\n<!-- mtnorm: disable=toponym.contested -->\nA quiet day.\n"
            + "<!-- mtnorm: enable=toponym.contested -->\n\n" + _prose(21, 3000) + "\n")
    linter = api.get_linter(api.options("en", "ap", select=["toponym.contested", "suppression.unused"]))
    doc = Document(text, lang="en", style="ap")
    whole = sorted(_key(f) for f in linter.check(doc))
    pieces = sorted(_key(f) for f in check_in_pieces(linter, doc, 1000))
    assert pieces == whole
    assert [k[0] for k in whole] == ["suppression.unused"]


def test_party_name_judged_by_a_country_named_lines_after_the_piece() -> None:
    """``name.institution`` reads up to 1,500 characters after a party's name: a piece
    ending just after the name is checked with enough of the text after it."""
    lines = []
    for i in range(120):
        if i % 40 == 10:
            lines.append("The republican senator said the vote would wait.")
            lines += [f"Line {i}-{k} says nothing of any place, only the number {k * 3}." for k in range(12)]
            lines.append("The Senate met on Tuesday.")
        else:
            lines.append(f"Filler line {i} talks about the weather and the harbour today.")
    text = "\n".join(lines) + "\n"
    for size in (500, 1_000):
        whole, pieces = _whole_and_pieces("name.institution", text, size)
        assert len(whole) == 3 and pieces == sorted(whole)


def test_near_pairs_the_words_last_seen_within_the_window_under_a_shared_key() -> None:
    """``_Near`` (neighbours kept per word, found at its first occurrence) finds what its
    definition says, on random runs of look-alike words: at each occurrence in the piece's
    own text, every other word sharing a key with it last seen at most WINDOW before."""
    from normalize.rules.name.inconsistent import WINDOW, _Near, _pair_keys

    stems = ("novak", "nowak", "novac", "nvak", "novakk", "kovac", "kovach", "kovalenko",
             "kowalenko", "petrov", "petroff", "petro", "ivanov", "ivanova", "sokolov", "zhu")
    made = 0
    for seed in range(60):
        rnd = random.Random(seed)
        family = rnd.choice(("en", "de", "ru"))
        own_from = rnd.choice((0, WINDOW // 2, 3 * WINDOW))
        near = _Near(own_from)
        expected: set[tuple[str, str, str, str]] = set()
        last: dict[str, int] = {}
        pos = 0
        for _ in range(rnd.randrange(1, 400)):
            pos += rnd.choice((1, 50, 900, WINDOW // 3, WINDOW, WINDOW + 1))
            word = rnd.choice(stems[:rnd.randrange(2, len(stems) + 1)])
            near.see(pos, _pair_keys(word, family), "surname", "", word)
            if pos >= own_from:
                keys = set(_pair_keys(word, family))
                expected.update(("surname", "", *sorted((other, word))) for other, at in last.items()
                                if other != word and pos - at <= WINDOW
                                and keys & set(_pair_keys(other, family)))
            last[word] = pos
        assert near.close == expected, seed
        made += len(expected)
    assert made  # the runs make pairs
