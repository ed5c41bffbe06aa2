"""Baselines (normalize/baseline.py): known findings stay quiet, new ones are reported."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import normalize
from normalize.baseline import BASELINE_VERSION, Baseline, BaselineError, write_baseline
from normalize.errors import UsageError

TEXT = ("Officials said the the talks went on.\n"
        "[ad_1]\n"
        "Nagorny Karabakh was calm.\n")


def check(text: str) -> list:
    return normalize.check(text, style="ap")


def summary(findings) -> list[tuple[str, str, int]]:
    return [(f.rule, f.text, f.line) for f in findings]


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "desk" / "story.txt"
    path.parent.mkdir()
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_round_trip_reports_nothing_known(tmp_path: Path, story: Path) -> None:
    findings = check(TEXT)
    assert len(findings) == 3
    baseline_path = tmp_path / "mtnorm-baseline.json"
    assert write_baseline(baseline_path, [(str(story), findings, TEXT)]) == 3
    baseline = Baseline.load(baseline_path)
    assert len(baseline) == 3
    assert baseline.filter(str(story), findings, TEXT) == []


def test_file_format_is_sorted_stable_versioned_and_relative(tmp_path: Path, story: Path) -> None:
    baseline_path = tmp_path / "mtnorm-baseline.json"
    write_baseline(baseline_path, [(str(story), check(TEXT), TEXT)])
    first = baseline_path.read_bytes()
    write_baseline(baseline_path, [(str(story), list(reversed(check(TEXT))), TEXT)])
    assert baseline_path.read_bytes() == first                      # same findings, same bytes
    data = json.loads(first)
    assert data["version"] == BASELINE_VERSION
    assert list(data["files"]) == ["desk/story.txt"]                # relative, posix
    entries = data["files"]["desk/story.txt"]
    assert entries == sorted(entries, key=lambda e: (e["rule"], e["text"], e["context"]))
    assert {(e["rule"], e["text"], e["count"]) for e in entries} == {
        ("debris.pattern", "[ad_1]", 1), ("repetition.doubled_word", "the the", 1),
        ("toponym.variant", "Nagorny Karabakh", 1)}
    assert all("line" not in e for e in entries)
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["mtnorm-baseline.json"]  # no temp


def test_survives_lines_inserted_above_and_catches_a_new_finding(tmp_path: Path, story: Path) -> None:
    baseline_path = tmp_path / "b.json"
    write_baseline(baseline_path, [(str(story), check(TEXT), TEXT)])
    baseline = Baseline.load(baseline_path)
    edited = "A new first paragraph.\n\nAnd another one.\n" + TEXT + "They met in in Baku.\n"
    findings = check(edited)
    assert len(findings) == 4
    assert summary(baseline.filter(str(story), findings, edited)) == [
        ("repetition.doubled_word", "in in", 7)]


def test_multiset_semantics(tmp_path: Path, story: Path) -> None:
    two = "the the one\nthe the one\n"
    baseline_path = tmp_path / "b.json"
    write_baseline(baseline_path, [(str(story), check(two), two)])
    assert json.loads(baseline_path.read_text())["files"]["desk/story.txt"][0]["count"] == 2
    baseline = Baseline.load(baseline_path)
    three = "the the one\nthe the one\nthe the one\n"
    new = baseline.filter(str(story), check(three), three)
    assert summary(new) == [("repetition.doubled_word", "the the", 3)]   # the last one is new
    one = "the the one\n"
    assert baseline.filter(str(story), check(one), one) == []


def test_context_is_local_to_the_finding(tmp_path: Path, story: Path) -> None:
    line = "Officials said the the talks went on, " + "and on " * 20 + "until late.\n"
    baseline_path = tmp_path / "b.json"
    write_baseline(baseline_path, [(str(story), check(line), line)])
    baseline = Baseline.load(baseline_path)
    far_edit = line.replace("until late", "until very late")       # same line, far away
    assert baseline.filter(str(story), check(far_edit), far_edit) == []
    near_edit = line.replace("said the the", "told us the the")     # right next to it
    assert summary(baseline.filter(str(story), check(near_edit), near_edit)) == [
        ("repetition.doubled_word", "the the", 1)]


def test_paths_are_matched_relative_to_the_baseline_not_the_cwd(
        tmp_path: Path, story: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    baseline_path = tmp_path / "b.json"
    monkeypatch.chdir(tmp_path)
    write_baseline("b.json", [("desk/story.txt", check(TEXT), TEXT)])
    monkeypatch.chdir(story.parent)
    baseline = Baseline.load(baseline_path)
    assert baseline.filter("story.txt", check(TEXT), TEXT) == []
    other = story.parent / "other.txt"
    assert len(baseline.filter(str(other), check(TEXT), TEXT)) == 3   # not in the baseline


def test_standard_input_has_its_own_entry(tmp_path: Path) -> None:
    baseline_path = tmp_path / "b.json"
    write_baseline(baseline_path, [("-", check(TEXT), TEXT)])
    assert list(json.loads(baseline_path.read_text())["files"]) == ["<stdin>"]
    assert Baseline.load(baseline_path).filter("-", check(TEXT), TEXT) == []


def test_empty_results_give_an_empty_baseline(tmp_path: Path, story: Path) -> None:
    baseline_path = tmp_path / "b.json"
    assert write_baseline(baseline_path, [(str(story), [], TEXT)]) == 0
    assert json.loads(baseline_path.read_text())["files"] == {}
    assert len(Baseline.load(baseline_path).filter(str(story), check(TEXT), TEXT)) == 3


@pytest.mark.parametrize("content, expected", [
    (None, "baseline file not found"),
    ("{not json", ":1: not a valid baseline (bad JSON"),
    ('{"files": {}}', "not a valid mtnorm baseline (no version)"),
    ('{"version": 99, "files": {}}', "version 99"),
    ('{"version": 1, "files": []}', "'files' must be an object"),
    ('{"version": 1, "files": {"a.txt": [{"rule": "x"}]}}', "lacks rule, text, context or count"),
])
def test_bad_baselines_are_usage_errors_naming_the_file(tmp_path: Path, content: str | None,
                                                        expected: str) -> None:
    path = tmp_path / "b.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError) as info:
        Baseline.load(path)
    assert str(info.value).startswith(str(path))
    assert expected in str(info.value)
    assert isinstance(info.value, UsageError)
