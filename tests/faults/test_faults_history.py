"""Fault suite: safe place-name fixes must not rewrite history (issue 10).

A renamed place keeps its old name where the text is about the time before
the rename (a year, a decade or century, historical vocabulary, the region
rather than the state): such an occurrence is its own finding with an unsafe
fix, and ``fix`` leaves it alone; the same name in modern copy is still fixed
safely. A replacement that needs the definite article gets it. Each case runs
the real command line in a subprocess and checks exit codes and bytes.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from normalize.resources import corpus

pytestmark = pytest.mark.skipif(
    not corpus("gazetteer", "names.tsv.gz").is_file(), reason="gazetteer data not built")

#: One story mixing paragraphs about the past with paragraphs of today.
STORY = (
    "Rangoon was the capital of colonial Burma until the Japanese invasion.\n"
    "\n"
    "Burma's election commission announced results on Tuesday.\n"
    "\n"
    "The Wehrmacht's Sixth Army surrendered at Stalingrad.\n"
    "\n"
    "Tourists in Stalingrad? No: the city has been Volgograd since 1961.\n"
    "\n"
    "A 1911 census counted the weavers of Bombay.\n"
    "\n"
    "Bombay's stock index rose 2% this week.\n"
)
#: What ``fix --style ap`` must make of it: only the modern paragraph changes.
STORY_FIXED = STORY.replace("Burma's election", "Myanmar's election").replace(
    "Bombay's stock", "Mumbai's stock")


def mtnorm(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Run the command line as a user would; never hangs the suite."""
    return subprocess.run([sys.executable, "-m", "normalize", *args], cwd=cwd,
                          capture_output=True, timeout=120)


def _findings(proc: subprocess.CompletedProcess[bytes]) -> list[dict]:
    doc = json.loads(proc.stdout)
    return [f for file in doc["files"] for f in file["findings"] if f["rule"] == "toponym.variant"]


def test_fix_keeps_historical_names_and_fixes_modern_ones(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    proc = mtnorm("fix", "--lang", "en", "--style", "ap", "story.txt", "-o", "out.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == STORY_FIXED
    assert (tmp_path / "story.txt").read_text(encoding="utf-8") == STORY  # input untouched


def test_historical_occurrences_are_their_own_unsafe_findings(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    proc = mtnorm("check", "--lang", "en", "--style", "ap", "-f", "json", "--fail-on", "never",
                  "story.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    got = [(f["line"], f["text"], f["fix"], f["replacement"]) for f in _findings(proc)]
    assert got == [
        (1, "Rangoon", "unsafe", "Yangon"),
        (1, "Burma", "unsafe", "Myanmar"),
        (3, "Burma", "safe", "Myanmar"),
        (5, "Stalingrad", "unsafe", "Volgograd"),
        (7, "Stalingrad", "unsafe", "Volgograd"),   # beside the new name: a comparison
        (9, "Bombay", "unsafe", "Mumbai"),
        (11, "Bombay", "safe", "Mumbai"),
    ]
    unsafe = [f for f in _findings(proc) if f["fix"] == "unsafe"]
    assert all("not changed safely" in f["message"] for f in unsafe)


def test_unsafe_applies_the_historical_fixes_too(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    proc = mtnorm("fix", "--lang", "en", "--style", "ap", "--unsafe", "--select", "toponym.variant",
                  "story.txt", "-o", "out.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert "Burma" not in out and "Bombay" not in out and "Rangoon" not in out
    assert "Stalingrad" not in out


#: (paragraph, what fix --style ap makes of it, or None: unchanged and reported as unsafe)
CASES = [
    # Greek region, ancient kingdom, a period before the rename: reported, never fixed safely
    ("Tobacco farms dot the plains of Macedonia near Thessaloniki.", None),
    ("Aristotle tutored the heir to the throne of Macedonia.", None),
    ("Under the tsars, Petrograd was the seat of government.", None),
    ("Calcutta was the capital of British India until 1911.", None),
    ("Ships left Madras for London during the Napoleonic Wars.", None),
    ("Peking surrendered to the allied armies in the 19th century.", None),
    ("The Kingdom of Swaziland changed its name.", None),
    # modern copy: the house form, safely
    ("Kiev's metro stayed open through the 2024 blackouts.",
     "Kyiv's metro stayed open through the 2024 blackouts."),
    ("Calcutta's new metro line opened on Saturday.", "Kolkata's new metro line opened on Saturday."),
    # the article the house form needs, capitalised at a sentence start
    ("Czechia and Slovakia split peacefully.", "The Czech Republic and Slovakia split peacefully."),
    ("Shares fell in Czechia and Poland.", "Shares fell in the Czech Republic and Poland."),
]


def test_each_paragraph_is_judged_on_its_own(tmp_path: Path) -> None:
    """Paragraphs about the past keep their names; modern ones get the house form."""
    text = "\n\n".join(p for p, _ in CASES) + "\n"
    want = "\n\n".join(f if f is not None else p for p, f in CASES) + "\n"
    (tmp_path / "in.txt").write_text(text, encoding="utf-8")
    proc = mtnorm("fix", "--lang", "en", "--style", "ap", "in.txt", "-o", "out.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == want
    check = mtnorm("check", "--lang", "en", "--style", "ap", "-f", "json", "--fail-on", "never",
                   "in.txt", cwd=tmp_path)
    by_line = {f["line"]: f["fix"] for f in _findings(check)}
    # every paragraph is reported, at its own line, safe exactly where it was fixed
    assert by_line == {2 * i + 1: "safe" if f is not None else "unsafe" for i, (_, f) in enumerate(CASES)}


def test_jsonl_records_are_judged_by_their_own_text(tmp_path: Path) -> None:
    records = [
        {"id": "a", "text": "Bombay's film studios date from the 1930s."},
        {"id": "b", "text": "Bombay's commuters faced delays on Monday."},
    ]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    proc = mtnorm("fix", "--lang", "en", "--style", "ap", "in.jsonl", "-o", "out.jsonl", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in out] == [
        "Bombay's film studios date from the 1930s.",
        "Mumbai's commuters faced delays on Monday.",
    ]


def test_every_rename_year_is_the_one_the_curated_basis_cites() -> None:
    """`renamed` years are data with a source: each appears in its entry's `basis`."""
    from normalize.resources import load_yaml

    entries = load_yaml("gazetteer", "curated.yaml")["entries"]
    renamed = [e for e in entries if "renamed" in e]
    assert len(renamed) >= 15
    uncited = []
    for entry in renamed:
        years = entry["renamed"].values() if isinstance(entry["renamed"], dict) else [entry["renamed"]]
        uncited += [f"{entry['id']}: {y}" for y in years if str(y) not in entry["basis"]]
    assert uncited == []


def test_historical_occurrences_are_notes_not_warnings(tmp_path: Path) -> None:
    """An old name its paragraph vouches for is likely right: info, never a warning."""
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    proc = mtnorm("check", "--lang", "en", "--style", "ap", "-f", "json", "--fail-on", "never",
                  "story.txt", cwd=tmp_path)
    severities = {(f["line"], f["text"]): (f["fix"], f["severity"]) for f in _findings(proc)}
    assert severities[(5, "Stalingrad")] == ("unsafe", "info")
    assert severities[(3, "Burma")] == ("safe", "warning")
