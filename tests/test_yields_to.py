"""Rule.yields_to: one fault, one finding, in check and in fix's report."""
from __future__ import annotations

import normalize
from normalize.findings import Category, Finding, Severity, without_yielded


def _f(rule: str, start: int, end: int) -> Finding:
    return Finding(rule=rule, category=Category.UNTRANSLATED, severity=Severity.WARNING,
                   start=start, end=end, text="x" * (end - start), message="m")


def test_a_covered_finding_goes_and_an_uncovered_one_stays() -> None:
    strong = [_f("pair.unchanged", 0, 20), _f("pair.unchanged", 40, 60)]
    weak = [_f("untranslated.fragment", 2, 18), _f("untranslated.fragment", 25, 30),
            _f("untranslated.fragment", 55, 70)]
    other = [_f("typography.double_space", 3, 5)]
    kept = without_yielded(strong + weak + other, {"untranslated.fragment": frozenset({"pair.unchanged"})})
    assert [(f.rule, f.start) for f in kept] == [
        ("pair.unchanged", 0), ("pair.unchanged", 40), ("untranslated.fragment", 25),
        ("untranslated.fragment", 55), ("typography.double_space", 3)]


def test_a_long_earlier_cover_is_found_behind_shorter_ones() -> None:
    findings = [_f("pair.unchanged", 0, 100), _f("pair.unchanged", 10, 12),
                _f("untranslated.fragment", 50, 60)]
    kept = without_yielded(findings, {"untranslated.fragment": frozenset({"pair.unchanged"})})
    assert [f.rule for f in kept] == ["pair.unchanged", "pair.unchanged"]


SOURCE = "The bridge was rebuilt.\nThis is just one example of it.\n"
TARGET = "Die Brücke wurde wieder aufgebaut.\nThis is just one example of it.\n"


def test_unchanged_segment_is_reported_once_by_check_and_fix() -> None:
    rules = [f.rule for f in normalize.check(TARGET, lang="de", source=SOURCE, source_lang="en")]
    assert "pair.unchanged" in rules and "untranslated.fragment" not in rules
    fixed = normalize.fix(TARGET, lang="de", source=SOURCE, source_lang="en")
    remaining = [f.rule for f in fixed.remaining]
    assert "pair.unchanged" in remaining and "untranslated.fragment" not in remaining


def test_without_the_stronger_rule_the_weaker_one_reports() -> None:
    rules = [f.rule for f in normalize.check(TARGET, lang="de", source=SOURCE, source_lang="en",
                                              ignore=["pair.unchanged"])]
    assert "untranslated.fragment" in rules
