"""The scoring functions of scripts/evaluate_bilingual.py on tiny invented inputs (no shared data)."""
from __future__ import annotations

import gzip
import importlib.util
import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_SPEC = importlib.util.spec_from_file_location("evaluate_bilingual", ROOT / "scripts" / "evaluate_bilingual.py")
eb = importlib.util.module_from_spec(_SPEC)
sys.modules["evaluate_bilingual"] = eb
_SPEC.loader.exec_module(eb)


def test_segment_scores_precision_recall() -> None:
    flags = [True, True, True, False, False, True]
    gold = [True, False, True, True, False, False]
    s = eb.segment_scores(flags, gold)
    assert (s.flagged, s.hits, s.positives, s.total) == (4, 2, 3, 6)
    assert s.precision == 0.5
    assert s.recall == pytest.approx(2 / 3)


def test_segment_scores_nothing_flagged_is_nan_precision() -> None:
    s = eb.segment_scores([False, False], [True, False])
    assert math.isnan(s.precision)
    assert s.recall == 0.0
    assert eb.fmt(s.precision) == "—"
    with pytest.raises(ValueError):
        eb.segment_scores([True], [True, False])


def test_mcc_exact_values() -> None:
    # tp=2 fp=1 fn=1 tn=4: (8 - 1) / sqrt(3 * 3 * 5 * 5) = 7 / 15
    pred = [True, True, True, False, False, False, False, False]
    gold = [True, True, False, True, False, False, False, False]
    assert eb.mcc(pred, gold) == pytest.approx(7 / 15)
    assert eb.mcc(gold, gold) == 1.0
    assert eb.mcc([not g for g in gold], gold) == -1.0
    assert eb.mcc([False] * 4, [True, False, True, False]) == 0.0   # undefined: 0


def test_word_tags_interleaved_gaps_and_words() -> None:
    # gap w1 gap w2 gap w3 gap: word tags are the odd positions
    assert eb.word_tags("OK BAD BAD OK OK BAD BAD", 3) == [True, False, True]
    assert eb.word_tags("OK BAD OK", 3) == [False, True, False]      # word tags only
    with pytest.raises(ValueError):
        eb.word_tags("OK OK", 3)
    with pytest.raises(ValueError):
        eb.word_tags("OK GOOD OK", 1)


def test_words_hit_by_overlap_and_empty_spans() -> None:
    text = "The cat sat ."
    assert eb.token_spans(text) == [(0, 3), (4, 7), (8, 11), (12, 13)]
    assert eb.words_hit(text, [(5, 6)]) == [False, True, False, False]
    assert eb.words_hit(text, [(2, 5)]) == [True, True, False, False]
    assert eb.words_hit(text, [(3, 4)]) == [False, False, False, False]   # the space only
    assert eb.words_hit(text, [(13, 13)]) == [False, False, False, True]  # empty span at the end
    assert eb.words_hit(text, []) == [False] * 4


def test_numbers_differ_baseline() -> None:
    assert eb.numbers("1,000 and 3.5 and ６") == {"1000": 1, "35": 1, "6": 1}
    assert eb.numbers_differ("有6个苹果", "There are 6 apples") == []
    assert eb.numbers_differ("有6个苹果", "There are 7 apples") == [(10, 11)]
    assert eb.numbers_differ("6 and 7", "only 6") == [(6, 6)]   # a dropped number: empty span at the end


def test_mqm_loader_labels_and_pofilter_parsing(tmp_path: Path) -> None:
    rows = [
        "system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity",
        "sysA\td\t1\t1\tr1\t源\tA <v>bad</v> one.\tFluency/Grammar\tMinor",
        "sysA\td\t1\t1\tr1\t源\tA bad <v>one</v>.\tAccuracy/Mistranslation\tMajor",
        "sysA\td\t1\t2\tr1\t源二\tFine.\tNo-error\tNo-error",
        "sysA\td\t1\t3\tr1\t<v>源</v>三\tOdd source.\tSource error\tMinor",
        "ref\td\t1\t1\tr2\t源\tHuman.\tNo-error\tNo-error",
    ]
    path = tmp_path / "m.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(rows) + "\n")
    pairs = {p.key.split("|", 1)[1]: p for p in eb.load_mqm(path, "mqm zh-en", "zh", "en")}
    assert pairs["sysA|d|1"].target == "A bad one."
    assert (pairs["sysA|d|1"].error, pairs["sysA|d|1"].major) == (True, True)
    assert (pairs["sysA|d|2"].error, pairs["sysA|d|3"].error) == (False, False)
    assert pairs["sysA|d|3"].source == "源三"
    assert pairs["ref|d|1"].human and not pairs["sysA|d|1"].human

    out = "\n".join([  # noqa: FLY002 (one PO line per item)
        'msgid ""', 'msgstr ""', '"Language: en\\n"', "",
        "# (pofilter) brackets: Missing '('", "# (pofilter) endpunc: Different punctuation at the end",
        'msgctxt "u0"', 'msgid "a"', 'msgstr "b"', "",
        "# (pofilter) numbers: Different numbers", 'msgctxt "u7"', 'msgid "1"', 'msgstr "2"', ""])
    assert eb.parse_pofilter(out) == {0: ["brackets", "endpunc"], 7: ["numbers"]}
    assert eb._po_string('say "hi"\\\n') == '"say \\"hi\\"\\\\\\n"'
    assert eb._po_string("a\rb\tc") == '"a\\rb\\tc"'


def test_write_po_one_unit_per_pair(tmp_path: Path) -> None:
    pairs = [eb.Pair("c", "1", "源", "Source \"one\"", "zh", "en"), eb.Pair("c", "2", "二", "Two", "zh", "en")]
    path = tmp_path / "x.po"
    eb.write_po(pairs, path, "en")
    text = path.read_text(encoding="utf-8")
    assert '"Language: en\\n"' in text
    assert 'msgctxt "u0"\nmsgid "源"\nmsgstr "Source \\"one\\""\n' in text
    assert 'msgctxt "u1"\nmsgid "二"\nmsgstr "Two"\n' in text


def test_evaluate_and_noisy_tests() -> None:
    P = eb.Pair
    pairs = [P("mqm x", "1", "s", "Bad thing", "zh", "en", error=True, major=True),
             P("mqm x", "2", "s", "Good", "zh", "en", error=False),
             P("mqm x", "3", "s", "Bad", "zh", "en", error=True, major=False),
             P("mqm x", "h1", "s", "Human", "zh", "en", human=True),
             P("mqm x", "h2", "s", "Human", "zh", "en", human=True),
             P("mlqe y", "4", "s", "a b c", "ro", "en", error=True, major=None, bad_words=[False, True, False])]
    found = {"1": [("t", 0, 3)], "2": [("t", 0, 4), ("u", 0, 1)], "3": [], "h1": [("t", 0, 1), ("u", 0, 1)],
             "h2": [("t", 0, 1)], "4": [("t", 2, 3)]}
    for p in pairs:
        p.found["sys"] = found[p.key]
    r = eb.evaluate(pairs, "sys")
    any_, major = r.mqm["mqm x"]
    assert (any_.flagged, any_.hits, any_.positives) == (2, 1, 2)
    assert (major.flagged, major.hits, major.positives) == (2, 1, 1)
    assert r.mcc["mlqe y"] == 1.0
    assert r.noise["MQM refs"] == (2, 3, 2)
    assert eb.noisy_tests(pairs, "sys") == {"mqm x": {"t"}}
    eb.derive_filtered(pairs, "sys", "quiet", {"mqm x": {"t"}})
    assert pairs[1].found["quiet"] == [("u", 0, 1)]
    assert pairs[5].found["quiet"] == [("t", 2, 3)]


def test_kept_sections_carry_a_hand_measured_section_over() -> None:
    previous = ("# Report\n\n## Summary\nold\n\n## Large translation memory (1 GB TMX)\n"
                "Measured by build_bench_tmx.py.\n\n## Run\nold run\n")
    assert eb.kept_sections(previous) == ("\n\n## Large translation memory (1 GB TMX)\n"
                                       "Measured by build_bench_tmx.py.\n")
    assert eb.kept_sections("# Report\n\n## Summary\n") == ""


def test_replace_section_swaps_only_the_bilingual_section(tmp_path: Path) -> None:
    doc = tmp_path / "evaluation.md"
    doc.write_text("# Eval\n\n## 5. Pages\n\nkept\n\n## 6. Bilingual QA: old\n\nold text\n\n## 7. Next\n\nalso kept\n",
                   encoding="utf-8")
    eb.replace_section(doc, eb.summary_section("## Summary\n\n| a |\n", Path("docs/x.md")))
    text = doc.read_text(encoding="utf-8")
    assert "old text" not in text and "kept\n" in text and "## 7. Next\n\nalso kept" in text
    assert "### Summary\n\n| a |" in text and "`docs/x.md`" in text
    eb.replace_section(doc, eb.summary_section("## Summary\n\n| b |\n", None))
    text = doc.read_text(encoding="utf-8")
    assert text.count("## 6. Bilingual QA") == 1 and "| b |" in text and "| a |" not in text
