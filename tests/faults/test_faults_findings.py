"""Fault suite, findings: every report tells the truth (issue 10).

Conflicting fixes are never applied and say so; a suppression takes out its own
occurrence only; every occurrence of a spelling is reported at its own place in
every format; ``mtnorm rules`` declares what the rules do; an empty directive
rule list is no "all"; ``--diff`` is a patch that ``patch`` applies. Output is
checked through the real command where it is about output.
"""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

import normalize
from normalize.document import Document
from normalize.findings import Category, Finding, FixSafety, Severity, mark_conflicts
from normalize.fixer import choose_edits, diff_path, fix_document, unified_diff
from normalize.linter import Linter, Options
from normalize.registry import Context, Rule, get_rule

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "corpora" / "examples" / "wire-kharkiv-en-from-fr.txt"
PATCH = shutil.which("patch")


def mtnorm(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line as a user would; never hangs the suite."""
    proc = subprocess.run([sys.executable, "-m", "normalize", *args], cwd=cwd, input=stdin,
                          capture_output=True, timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode,
                                       proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))


def json_findings(proc: subprocess.CompletedProcess[str]) -> list[dict]:
    [entry] = json.loads(proc.stdout)["files"]
    return entry["findings"]


# --- 1. conflicting fixes ---------------------------------------------------------------------


def test_readme_example_keeps_the_spokeswomans_he_and_says_why(tmp_path: Path) -> None:
    """expletive_pronoun ('It was expected') and pronoun_slip (a female antecedent) read
    one 'He' two ways: neither wins, with or without --unsafe, and both say so."""
    story = tmp_path / "story.txt"
    story.write_bytes(EXAMPLE.read_bytes())
    opts = ("--style", "ap", "--source-lang", "fr")
    proc = mtnorm("fix", *opts, "--unsafe", "--diff", "story.txt", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr              # something would change
    assert "It was expected" not in proc.stdout
    assert "+Russian forces shelled the outskirts of Kharkiv" in proc.stdout   # the rest is fixed
    fixed = mtnorm("fix", *opts, "--unsafe", "story.txt", "-o", "out.txt", cwd=tmp_path)
    assert fixed.returncode in (0, 1), fixed.stderr
    out = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert "He was expected to travel" in out and "It was expected" not in out
    assert story.read_bytes() == EXAMPLE.read_bytes()

    check = mtnorm("check", *opts, "-f", "json", "story.txt", cwd=tmp_path)
    gender = [f for f in json_findings(check) if f["category"] == "gender"]
    assert [(f["rule"], f["text"], f["fix"], f["conflicts_with"]) for f in gender] == [
        ("gender.pronoun_slip", "He", "none", ["gender.expletive_pronoun"]),
        ("gender.expletive_pronoun", "He was expected", "none", ["gender.pronoun_slip"]),
    ]
    slip = gender[0]["message"]
    assert slip.endswith("[conflicts with gender.expletive_pronoun ('It was expected'): not fixed]")
    assert gender[1]["message"].endswith(
        "[not fixed: its fix 'It was expected' conflicts with gender.pronoun_slip]")
    text = mtnorm("check", *opts, "story.txt", cwd=tmp_path)
    assert "unsafe fix: 'It was expected'" not in text.stdout
    assert "conflicts with gender.pronoun_slip" in text.stdout


def _finding(rule: str, start: int, end: int, text: str, replacement: str | None,
             fix: FixSafety = FixSafety.UNSAFE, **extra) -> Finding:
    return Finding(rule=rule, category=Category.GARBLE, severity=Severity.WARNING, start=start,
                   end=end, text=text[start:end], message="m", replacement=replacement,
                   fix=fix if replacement is not None else FixSafety.NONE, **extra)


def test_conflict_is_different_text_for_the_same_words_only() -> None:
    text = "He was expected. Ã©t  ok"
    a = _finding("r.a", 0, 2, text, "It")
    b = _finding("r.b", 0, 2, text, "She")
    same = _finding("r.c", 0, 2, text, "It")
    wider = _finding("r.d", 0, 6, text, "It was")        # same result on the same words
    marked = mark_conflicts([a, b], text)
    assert [(f.fix, f.conflicts) for f in marked] == [(FixSafety.NONE, ("r.b",)),
                                                       (FixSafety.NONE, ("r.a",))]
    assert mark_conflicts([a, same, wider], text) == [a, same, wider]
    # Nested or crossing edits about different words are applied one after the other.
    moji = _finding("r.m", 17, 22, text, "ét ", FixSafety.SAFE)
    space = _finding("r.s", 21, 23, text, " ", FixSafety.SAFE)
    assert mark_conflicts([moji, space], text) == [moji, space]
    # One group's places never conflict with each other.
    g1 = _finding("r.g", 0, 2, text, "It", group="g")
    g2 = _finding("r.g", 0, 2, text, "She", group="g")
    assert mark_conflicts([g1, g2], text) == [g1, g2]


class _Swap(Rule):
    """Test rule: 'X' -> ``target`` wherever X stands (one rule per target)."""

    category = Category.GARBLE
    fix = FixSafety.SAFE
    scope = "document"
    needs: str = ""

    def check(self, ctx: Context) -> Iterator[Finding]:
        if self.needs and self.needs not in ctx.text:
            return
        pos = ctx.text.find("X")
        if pos != -1:
            yield self.finding(ctx, pos, pos + 1, f"X should be {self.target}",
                               replacement=self.target)


class _ToY(_Swap):
    id, target = "test.to_y", "Y"


class _ToZ(_Swap):
    id, target, needs = "test.to_z", "Z", "junk"   # only while "junk" is in the text


class _DropJunk(Rule):
    id = "test.drop_junk"
    category = Category.DEBRIS
    fix = FixSafety.SAFE
    scope = "document"

    def check(self, ctx: Context) -> Iterator[Finding]:
        pos = ctx.text.find(" junk")
        if pos != -1:
            yield self.finding(ctx, pos, pos + 5, "junk", replacement="")


def test_a_conflicted_fix_waits_while_other_edits_remain_and_fix_stays_idempotent() -> None:
    """Pass 1: to_y and to_z disagree on X, junk goes. The doubt holds X back while other
    edits are being made; once none remain and the contradiction no longer stands (to_z
    is gone with the junk), X is fixed as a second run of fix would fix it: fix(fix(x))
    must equal fix(x)."""
    linter = Linter(Options(), rules=[_ToY(), _ToZ(), _DropJunk()])
    result = fix_document(linter, Document("A X here junk.\n"))
    assert [(a.pass_no, a.rule) for a in result.applied] == [(1, "test.drop_junk"), (2, "test.to_y")]
    assert result.text == "A Y here.\n"
    assert result.remaining == []
    assert fix_document(linter, Document(result.text)).text == result.text
    # A contradiction that still stands is never applied.
    both = Linter(Options(), rules=[_ToY(), _ToZ()])
    kept = fix_document(both, Document("A X here junk.\n"))
    assert kept.text == "A X here junk.\n" and kept.applied == []
    assert {(f.rule, f.fix) for f in kept.remaining} == {("test.to_y", FixSafety.NONE),
                                                           ("test.to_z", FixSafety.NONE)}


# --- 2. and 3. every occurrence at its own place --------------------------------------------

SUPPRESSED = ("The mayor of Kiev spoke.\n<!-- mtnorm: disable-next-line=toponym.variant -->\n"
              "She ate at a Kiev restaurant.\n")


def test_suppressing_one_occurrence_keeps_the_fix_of_the_others(tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text(SUPPRESSED, encoding="utf-8")
    proc = mtnorm("check", "--style", "ap", "-f", "json", "s.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert [(f["rule"], f["line"], f["column"], f["text"], f["fix"], f["replacement"])
            for f in json_findings(proc)] == [
        ("toponym.variant", 1, 14, "Kiev", "safe", "Kyiv")]
    out = mtnorm("fix", "--style", "ap", "s.txt", "-o", "o.txt", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "o.txt").read_text(encoding="utf-8") == SUPPRESSED.replace(
        "mayor of Kiev", "mayor of Kyiv")


REPEATED = "Talks in Kiev.\nKIEV, Ukraine (AP) - more.\nIn Kiev's centre.\n"
PLACES = [(1, 10, "Kiev"), (2, 1, "KIEV"), (3, 4, "Kiev")]


def test_every_occurrence_is_reported_at_its_place_in_every_format(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(REPEATED, encoding="utf-8")
    args = ("check", "--style", "ap", "--select", "toponym", "r.txt")
    found = json_findings(mtnorm(*args, "-f", "json", cwd=tmp_path))
    assert [(f["line"], f["column"], f["text"]) for f in found] == PLACES
    assert [f["replacement"] for f in found] == ["Kyiv", "KYIV", "Kyiv"]
    assert {f["group"] for f in found} == {"toponym.variant@1:10"}
    assert all("edits" not in f and f["fix"] == "safe" for f in found)

    text = mtnorm(*args, cwd=tmp_path).stdout.splitlines()
    assert [ln.split(" ")[0] for ln in text[:-1]] == [f"r.txt:{a}:{b}:" for a, b, _ in PLACES]
    github = mtnorm(*args, "-f", "github", cwd=tmp_path).stdout.splitlines()
    assert [ln.split(",title=")[0] for ln in github] == [
        f"::warning file=r.txt,line={a},col={b}" for a, b, _ in PLACES]
    sarif = json.loads(mtnorm(*args, "-f", "sarif", cwd=tmp_path).stdout)
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in sarif["runs"][0]["results"]]
    assert [(g["startLine"], g["startColumn"], g["charLength"]) for g in regions] == [
        (a, b, len(t)) for a, b, t in PLACES]
    junit = ET.fromstring(mtnorm(*args, "-f", "junit", cwd=tmp_path).stdout)
    failure = junit.find(".//failure")
    assert failure is not None and failure.get("message") == "3 finding(s)"
    assert [ln.split(" ")[0] for ln in failure.text.splitlines()] == [
        f"r.txt:{a}:{b}:" for a, b, _ in PLACES]


def test_one_spelling_is_still_fixed_together() -> None:
    result = normalize.fix(REPEATED, style="ap")
    assert result.text == "Talks in Kyiv.\nKYIV, Ukraine (AP) - more.\nIn Kyiv's centre.\n"
    assert [(a.pass_no, a.before, a.after) for a in result.applied] == [
        (1, "Kiev", "Kyiv"), (1, "KIEV", "KYIV"), (1, "Kiev", "Kyiv")]


def test_group_is_all_or_nothing_in_a_pass() -> None:
    """A group one of whose places is taken by another fix waits, whole, for the next pass."""
    text = "Kiev Lvov and then Kiev Lvov."
    a = [_finding("t.a", 0, 4, text, "Kyiv", FixSafety.SAFE, group="a"),
         _finding("t.a", 19, 23, text, "Kyiv", FixSafety.SAFE, group="a")]
    # b's second place (20..22) lies inside a's second: b waits, its first place (5..9) too.
    b = [_finding("t.b", 5, 9, text, "Lviv", FixSafety.SAFE, group="b"),
         _finding("t.b", 20, 22, text, "XX", FixSafety.SAFE, group="b")]
    chosen = choose_edits([*b, *a])
    assert [(e.start, f.rule) for e, f in chosen] == [(0, "t.a"), (19, "t.a")]
    # Without the group key, b's free place would be taken on its own.
    loose = [dataclasses.replace(f, group="") for f in b]
    assert [(e.start, f.rule) for e, f in choose_edits([*loose, *a])] == [
        (0, "t.a"), (5, "t.b"), (19, "t.a")]
    # Unsafe members of a group stay out without --unsafe; the safe ones go.
    mixed = [a[0], dataclasses.replace(a[1], fix=FixSafety.UNSAFE)]
    assert [e.start for e, _ in choose_edits(mixed)] == [0]
    assert [e.start for e, _ in choose_edits(mixed, unsafe=True)] == [0, 19]


# --- 4. declared metadata is the truth ----------------------------------------------------------


def _rule_case_texts() -> list[tuple[str, str, dict]]:
    out = []
    for path in sorted((ROOT / "tests" / "rules").glob("*.yml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            if "fail" not in case:   # the texts with findings (pass texts: few, and slow)
                continue
            kwargs = {"lang": case.get("lang", "en"), "style": case.get("style"),
                      "source_lang": case.get("source_lang"), "source": case.get("source"),
                      "reject": case.get("reject")}
            out.append((f"{path.stem}::{case['name']}", case["fail"], kwargs))
    for spec_path in sorted((ROOT / "corpora" / "examples").glob("*.json")):
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        kwargs = {"lang": spec.get("lang", "en"), "style": spec.get("style"),
                  "source_lang": spec.get("source_lang")}
        out.append((spec_path.stem, spec_path.with_suffix(".txt").read_text(encoding="utf-8"), kwargs))
        if "source_lang" not in spec:   # the README runs the example with --source-lang fr
            out.append((spec_path.stem + "+fr", spec_path.with_suffix(".txt").read_text(
                encoding="utf-8"), {**kwargs, "source_lang": "fr"}))
    return out


def test_every_finding_has_a_fix_safety_and_category_its_rule_declares() -> None:
    wrong = []
    seen: dict[str, set[str]] = {}
    for name, text, kwargs in _rule_case_texts():
        for f in normalize.check(text, **kwargs):
            if f.rule.startswith("suppression."):
                continue
            rule = get_rule(f.rule)
            seen.setdefault(f.rule, set()).add(f.fix.value)
            if f.fix is not FixSafety.NONE and f.fix not in rule.declared_fixes():
                wrong.append(f"{name}: {f.rule} gave a {f.fix.value} fix, declares "
                             f"{sorted(s.value for s in rule.declared_fixes())}")
            if f.category is not rule.category:
                wrong.append(f"{name}: {f.rule} gave category {f.category.value}, "
                             f"declares {rule.category.value}")
    assert not wrong, "\n".join(sorted(set(wrong)))
    # The run did see the fixes that the issue found misdeclared.
    assert {"safe"} <= seen["toponym.consistency"] and "unsafe" in seen["name.variant"]


def test_mtnorm_rules_lists_the_declared_fixes(tmp_path: Path) -> None:
    proc = mtnorm("rules", "-f", "json", cwd=tmp_path)
    rows = {r["id"]: r for r in json.loads(proc.stdout)}
    assert all(r["fix"] == r["fixes"][0] for r in rows.values())
    assert (rows["toponym.consistency"]["fix"], rows["toponym.consistency"]["fixes"]) == (
        "safe", ["safe", "unsafe"])
    assert (rows["name.variant"]["fix"], rows["name.variant"]["fixes"]) == ("unsafe", ["unsafe"])
    assert rows["toponym.contested"]["fixes"] == ["none"]
    text = {ln.split()[0]: ln.split()[3] for ln in mtnorm("rules", cwd=tmp_path).stdout.splitlines()}
    assert text["toponym.consistency"] == "safe/unsafe" and text["name.variant"] == "unsafe"
    assert set(text) == set(rows)


# --- 5. an empty rule list is no "all" -------------------------------------------------------


@pytest.mark.parametrize("directive", ["disable-line=", "disable-line =  ", "disable="])
def test_empty_rule_list_is_reported_and_suppresses_nothing(tmp_path: Path, directive: str) -> None:
    (tmp_path / "e.txt").write_text(f"Talks in Kiev, the the end. <!-- mtnorm: {directive} -->\n",
                                    encoding="utf-8")
    proc = mtnorm("check", "--style", "ap", "-f", "json", "e.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr            # warnings only
    found = json_findings(proc)
    assert [f["rule"] for f in found] == ["toponym.variant", "repetition.doubled_word",
                                          "suppression.unknown"]
    kind = directive.split("=")[0].strip()
    assert found[2]["message"] == (
        f"mtnorm directive '{kind}=' names no rule: list rule ids, groups or categories after "
        f"'=' (or write '{kind}' alone for all); it suppresses nothing")
    assert normalize.fix((tmp_path / "e.txt").read_text(), style="ap").text.startswith(
        "Talks in Kyiv, the end.")


# --- 6. --diff is a patch that patch applies -------------------------------------------------


def _hunks_are_well_formed(diff: str) -> None:
    """Every hunk's line counts match its header (what patch checks first)."""
    lines = diff.split("\n")
    i = 0
    while i < len(lines):
        if lines[i].startswith("@@"):
            head = lines[i].split()
            old = [int(x) for x in (head[1][1:] + ",1").split(",")[:2]]
            new = [int(x) for x in (head[2][1:] + ",1").split(",")[:2]]
            i += 1
            while old[1] or new[1]:
                tag = lines[i][:1]
                assert tag in " -+", lines[i]
                old[1] -= tag in " -"
                new[1] -= tag in " +"
                i += 1
                if i < len(lines) and lines[i].startswith("\\ No newline"):
                    i += 1
            assert old[1] == new[1] == 0
        else:
            i += 1


LONE_CR = b"\xef\xbb\xbfOld Mac line.\rTalks in Kiev.\rthe the end\r\nKiev again\x0cpage\n\xe2\x80\xa8Kiev"


def test_diff_of_lone_cr_text_applies_with_patch(tmp_path: Path) -> None:
    """Lines are cut at LF only (a lone CR, a form feed, U+2028 stay inside a line), and
    the BOM is part of the first line, as patch reads the file."""
    (tmp_path / "mac.txt").write_bytes(LONE_CR)
    proc = mtnorm("fix", "--style", "ap", "--diff", "mac.txt", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("--- a/mac.txt\n+++ b/mac.txt\n@@ -1,3 +1,3 @@\n")
    _hunks_are_well_formed(proc.stdout)
    fixed = mtnorm("fix", "--style", "ap", "mac.txt", "-o", "fixed.txt", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stderr
    assert (tmp_path / "mac.txt").read_bytes() == LONE_CR
    if PATCH is None:
        pytest.skip("patch is not installed")
    applied = subprocess.run([PATCH, "-p1", "--quiet"], input=proc.stdout.encode("utf-8"),
                             cwd=tmp_path, capture_output=True, timeout=60)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert (tmp_path / "mac.txt").read_bytes() == (tmp_path / "fixed.txt").read_bytes()


def test_diff_headers_for_absolute_paths(tmp_path: Path) -> None:
    inside = tmp_path / "work" / "in.txt"
    outside = tmp_path / "elsewhere" / "out.txt"
    for path in (inside, outside):
        path.parent.mkdir()
        path.write_text("Talks in Kiev.\n", encoding="utf-8")
    cwd = tmp_path / "work"
    proc = mtnorm("fix", "--style", "ap", "--diff", str(inside), cwd=cwd)
    assert proc.stdout.startswith("--- a/in.txt\n+++ b/in.txt\n")
    far = mtnorm("fix", "--style", "ap", "--diff", str(outside), cwd=cwd)
    name = outside.as_posix().lstrip("/")
    assert far.stdout.startswith(f"--- a/{name}\n+++ b/{name}\n")
    if PATCH is None:
        pytest.skip("patch is not installed")
    for diff, where in ((proc.stdout, cwd), (far.stdout, Path("/"))):
        applied = subprocess.run([PATCH, "-p1", "--quiet", "-d", str(where)],
                                 input=diff.encode("utf-8"), capture_output=True, timeout=60)
        assert applied.returncode == 0, applied.stdout + applied.stderr
    assert inside.read_text(encoding="utf-8") == outside.read_text(encoding="utf-8") == (
        "Talks in Kyiv.\n")


def test_diff_path_rules() -> None:
    assert diff_path("a/b.txt") == "a/b.txt"
    assert diff_path(os.path.join(os.getcwd(), "x", "y.txt")) == "x/y.txt"
    assert diff_path("/nowhere/z.txt") == "nowhere/z.txt"
    assert diff_path("-") == "-"
    # No newline at the end, on either side, and a lone CR inside a line.
    assert unified_diff("a\rb", "a\rc", "f") == (
        "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\rb\n\\ No newline at end of file\n+a\rc\n"
        "\\ No newline at end of file\n")
    # Pieces of a larger file are numbered within the piece here and placed in the whole
    # file by the batch run (placed_diff: test_faults_inputs checks the numbers exactly).


RECORDS = (b'\xef\xbb\xbf{"id":1,"text":"Kiev the the"}\r\n{"id":2,"text":"ok"}\n'
           b'{"id":3,"text":"Talks in Kiev"}')


def test_record_diff_keeps_line_endings_and_bom_and_applies(tmp_path: Path) -> None:
    """A JSONL --diff has the same git-style headers, and each line's own ending (CRLF,
    none at the end of the file) and the BOM, so that patch -p1 rebuilds the fixed file."""
    (tmp_path / "r.jsonl").write_bytes(RECORDS)
    proc = mtnorm("fix", "--style", "ap", "--diff", "r.jsonl", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == (
        '--- a/r.jsonl\n+++ b/r.jsonl\n@@ -1 +1 @@\n'
        '-\ufeff{"id":1,"text":"Kiev the the"}\r\n+\ufeff{"id":1,"text":"Kyiv the"}\r\n'
        '--- a/r.jsonl\n+++ b/r.jsonl\n@@ -3 +3 @@\n'
        '-{"id":3,"text":"Talks in Kiev"}\n\\ No newline at end of file\n'
        '+{"id":3,"text":"Talks in Kyiv"}\n\\ No newline at end of file\n')
    fixed = mtnorm("fix", "--style", "ap", "r.jsonl", "-o", "fixed.jsonl", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stderr
    if PATCH is None:
        pytest.skip("patch is not installed")
    applied = subprocess.run([PATCH, "-p1", "--quiet"], input=proc.stdout.encode("utf-8"),
                             cwd=tmp_path, capture_output=True, timeout=60)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert (tmp_path / "r.jsonl").read_bytes() == (tmp_path / "fixed.jsonl").read_bytes()
