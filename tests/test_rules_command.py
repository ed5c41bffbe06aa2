"""``mtnorm rules`` and ``mtnorm rules RULE``, run as the real command; and the rules made
outside the registry's checks (garble.round_trip, suppression.*) taken by --select/--ignore."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from normalize.registry import all_rules
from normalize.rule_docs import examples_dir, explain, render_text

ROOT = Path(__file__).resolve().parents[1]


def mtnorm(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "normalize", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=120,
                          check=False)


def _cases(rule: str) -> list[dict]:
    return yaml.safe_load((ROOT / "tests" / "rules" / f"{rule}.yml").read_text("utf-8"))["cases"]


# -- listing ------------------------------------------------------------------------------

def test_without_a_rule_every_rule_is_listed() -> None:
    proc = mtnorm("rules")
    assert proc.returncode == 0, proc.stderr
    ids = [line.split()[0] for line in proc.stdout.splitlines()]
    assert ids == [r.id for r in all_rules()]
    assert {"garble.round_trip", "suppression.unused", "suppression.unknown"} <= set(ids)
    rows = json.loads(mtnorm("rules", "--format", "json").stdout)
    assert [r["id"] for r in rows] == ids


# -- one rule -----------------------------------------------------------------------------

def test_explains_a_rule_as_text() -> None:
    proc = mtnorm("rules", "typography.double_space")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("# typography.double_space\n\nTwo or more spaces between words.\n")
    for line in ("category          typography", "severity          info",
                 "MQM type          Fluency/Spelling", "fix               safe: mtnorm fix applies it",
                 "languages         all", "source text       not needed"):
        assert line in out.splitlines(), line
    assert any(line.startswith("scope             line: ") for line in out.splitlines())
    for section in ("## Why", "## Rule", "## Data", "## Options", "## Examples"):
        assert f"\n{section}\n" in out
    # The rule's own cases, with visible escapes: reported, fixed, not reported.
    assert '  "Azerbaijani  forces advanced.\\n"\n    finds: "  "\n' in out
    assert '    -> "Azerbaijani forces advanced.\\n"\n' in out
    assert '  "10\\u00a0\\u00a0km\\n"' in out
    assert "\nReported:\n" in out and "\nFixed:\n" in out and "\nNot reported:\n" in out


def test_explains_a_rule_as_json_with_data_options_and_every_example() -> None:
    proc = mtnorm("rules", "calque.false_friend", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert (info["id"], info["category"], info["severity"], info["fix"], info["scope"]) == (
        "calque.false_friend", "calque", "warning", "unsafe", "line")
    assert info["mqm"] == "Accuracy/Mistranslation" and info["languages"] == "all"
    assert {"fr", "de", "ru", "uk", "pl"} <= set(info["source_languages"])
    assert "common" not in info["source_languages"]
    # The declaration (a data rule of type pattern) and the entries it reads per language pair.
    data = {d["pattern"]: d["files"] for d in info["data"]}
    assert data["corpora/rules/calque.false_friend.yaml"] == ["corpora/rules/calque.false_friend.yaml"]
    assert "corpora/rules/en/calques/fr.yaml" in data["corpora/rules/<lang>/calques/<source>.yaml"]
    assert "--source-lang LANG" in info["options"]
    cases = _cases("calque.false_friend")
    examples = info["examples"]
    assert len(examples["fail"]) == sum("fail" in c for c in cases)
    assert len(examples["pass"]) == sum("pass" in c for c in cases)
    assert len(examples["fixed"]) == sum(("fixed" in c) + ("fixed_unsafe" in c) for c in cases)
    first = next(c for c in cases if "fail" in c)
    assert examples["fail"][0] == {"name": first["name"], "source_lang": first["source_lang"],
                                   "text": first["fail"], "spans": first["spans"]}


def test_data_files_are_found_from_the_rule_source() -> None:
    info = json.loads(mtnorm("rules", "debris.pattern", "--format", "json").stdout)
    patterns = {d["pattern"]: d["files"] for d in info["data"]}
    assert "corpora/rules/en/debris.yaml" in patterns["corpora/rules/<lang>/debris.yaml"]
    text = mtnorm("rules", "debris.pattern").stdout
    assert "- corpora/rules/<lang>/debris.yaml (lang: " in text
    name = json.loads(mtnorm("rules", "name.variant", "--format", "json").stdout)
    assert {"pattern": "corpora/names/people.yaml", "files": ["corpora/names/people.yaml"]} \
        in name["data"]


def test_source_aware_and_external_rules_say_what_they_need() -> None:
    info = json.loads(mtnorm("rules", "garble.round_trip", "--format", "json").stdout)
    assert info["external"] is True and info["needs_source_lang"] is True
    assert "--round-trip" in info["options"]
    assert info["examples"]["fail"][0]["note"].startswith("made by 'mtnorm check --round-trip'")
    text = mtnorm("rules", "number.source_mismatch").stdout
    assert "source text       needed (--source)" in text.splitlines()
    assert "scope             document: the rule looks at the whole text" in text.splitlines()


@pytest.mark.parametrize("name, hint", [
    ("typography.doble_space", "; did you mean typography.double_space? (see 'mtnorm rules')"),
    ("double_space", "; did you mean typography.double_space? (see 'mtnorm rules')"),
    ("garble.roundtrip", "; did you mean garble.round_trip? (see 'mtnorm rules')"),
    ("xyzzy", " (see 'mtnorm rules')"),
])
def test_an_unknown_rule_is_one_line_with_close_ids(name: str, hint: str) -> None:
    for fmt in ("text", "json"):
        proc = mtnorm("rules", name, "--format", fmt)
        assert proc.returncode == 2
        assert proc.stdout == ""
        assert proc.stderr == f"mtnorm: error: unknown rule {name!r}{hint}\n"


def test_a_group_name_lists_its_rules() -> None:
    proc = mtnorm("rules", "toponym")
    assert proc.returncode == 2
    assert proc.stderr.startswith("mtnorm: error: unknown rule 'toponym'; it is a group of "
                                  "toponym.consistency, ")


def test_every_rule_explains_itself() -> None:
    for rule in all_rules():
        info = explain(rule.id)
        json.dumps(info)
        text = render_text(info)
        assert text.startswith(f"# {rule.id}\n") and rule.description in " ".join(text.split())
        assert info["examples"]["fail"] and info["examples"]["pass"], rule.id


def test_examples_come_from_the_rule_cases_in_a_checkout() -> None:
    # In the wheel the same files are normalize/rule_examples/ (tests/test_wheel.py).
    assert examples_dir() == ROOT / "tests" / "rules"


# -- rules made outside the linter's pass ------------------------------------------------

@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text("[ad_1]\nThe talks resumed. <!-- mtnorm: disable-line=repetition -->\n"
                    "<!-- mtnorm: disable=nosuch -->\nThe the end.\n", encoding="utf-8")
    return path


def _rules(proc: subprocess.CompletedProcess[str]) -> list[str]:
    assert proc.returncode in (0, 1), proc.stderr
    return [f["rule"] for f in json.loads(proc.stdout)["files"][0]["findings"]]


def test_round_trip_and_suppression_ids_are_accepted(story: Path) -> None:
    base = ("check", story, "--format", "json", "--isolated")
    everything = _rules(mtnorm(*base))
    assert {"debris.pattern", "suppression.unused", "suppression.unknown"} <= set(everything)
    # Without --round-trip there is nothing to ignore: the same findings, exit 0/1, not 2.
    assert _rules(mtnorm(*base, "--ignore", "garble.round_trip")) == everything
    assert _rules(mtnorm(*base, "--select", "suppression.unused")) == ["suppression.unused"]
    assert _rules(mtnorm(*base, "--select", "suppression")) == [
        "suppression.unused", "suppression.unknown"]
    assert [r for r in _rules(mtnorm(*base, "--ignore", "suppression.unknown"))
            if r.startswith("suppression.")] == ["suppression.unused"]
    assert not [r for r in _rules(mtnorm(*base, "--ignore", "suppression"))
                if r.startswith("suppression.")]
    proc = mtnorm(*base, "--ignore", "suppression.unusde")
    assert proc.returncode == 2
    assert proc.stderr == ("mtnorm: error: unknown rule, group or category 'suppression.unusde'; "
                           "did you mean suppression.unused? (see 'mtnorm rules')\n")


def test_suppression_reports_take_severities_and_directives(story: Path, tmp_path: Path) -> None:
    config = tmp_path / "mtnorm.toml"
    config.write_text('[severity]\n"suppression.unused" = "error"\n', encoding="utf-8")
    proc = mtnorm("check", story, "--format", "json", "--config", config, "--select", "suppression")
    findings = json.loads(proc.stdout)["files"][0]["findings"]
    assert [(f["rule"], f["severity"]) for f in findings] == [
        ("suppression.unused", "error"), ("suppression.unknown", "warning")]
    assert proc.returncode == 1
    quiet = tmp_path / "quiet.txt"
    quiet.write_text("<!-- mtnorm: disable-next-line=suppression.unused -->\n"
                     + story.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    assert _rules(mtnorm("check", quiet, "--format", "json", "--isolated",
                         "--select", "suppression")) == ["suppression.unknown"]


# -- the README's rule table --------------------------------------------------------------

def _generator():
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_rule_table",
                                                  ROOT / "scripts" / "gen_rule_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_rule_table_is_up_to_date_with_the_registry() -> None:
    gen = _generator()
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text == gen.update(text), (
        "README.md's rule table is out of date with the rule registry "
        f"(a rule was added, renamed or redescribed): run `{gen.COMMAND}` and commit README.md")
    block = text[text.index(gen.START):text.index(gen.END)]
    assert [line.split("`")[1] for line in block.splitlines() if line.startswith("| `")] \
        == [r.id for r in all_rules()]


def test_rule_table_generator_rewrites_only_between_the_markers(tmp_path: Path) -> None:
    gen = _generator()
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\nbefore\n{gen.START}\nstale | table\n{gen.END}\nafter\n",
                      encoding="utf-8")
    check = [sys.executable, ROOT / "scripts" / "gen_rule_table.py", "--readme", readme]
    proc = subprocess.run([*map(str, check), "--check"], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 1
    assert proc.stderr == f"{readme}: the rule table is out of date; run {gen.COMMAND}\n"
    assert subprocess.run(list(map(str, check)), capture_output=True, check=False).returncode == 0
    new = readme.read_text(encoding="utf-8")
    assert new.startswith(f"# x\n\nbefore\n{gen.START}\n<!-- generated by ")
    assert new.endswith(f"rules. `mtnorm rules RULE` explains one: why, its data files, "
                        f"options and examples.\n{gen.END}\nafter\n")
    assert "| `typography.double_space` | typography | info | safe | Two or more spaces" in new
    assert subprocess.run([*map(str, check), "--check"], check=False).returncode == 0
    readme.write_text("no markers\n", encoding="utf-8")
    with pytest.raises(ValueError, match="needs the markers"):
        gen.update(readme.read_text(encoding="utf-8"))


def test_round_trip_findings_pass_through_the_linter_of_their_file() -> None:
    """Linter.admit: selection, severity, accepted terms and directives apply to findings
    made outside the rules' checks; a directive name they use is no longer unused."""
    from normalize.api import get_linter
    from normalize.document import Document
    from normalize.findings import Category, Finding, Severity
    from normalize.linter import Options

    text = ("Fine.\n<!-- mtnorm: disable-next-line=garble,debris.html -->\nGarbled one.\n"
            "Garbled two.\n")

    def trip(line: str) -> Finding:
        start = text.index(line)
        return Finding(rule="garble.round_trip", category=Category.GARBLE,
                       severity=Severity.WARNING, start=start, end=start + len(line),
                       text=line, message="round trip")

    extra = [trip("Garbled one."), trip("Garbled two.")]
    doc = Document(text)
    linter = get_linter(Options())
    before = linter.check(doc)
    [report] = [f for f in before if f.rule == "suppression.unused"]
    assert report.data == {"selectors": ["garble", "debris.html"], "kind": "disable-next-line"}
    merged = linter.admit(doc, before, extra)
    assert [(f.rule, f.line) for f in merged if f.rule == "garble.round_trip"] == [
        ("garble.round_trip", 4)]
    [report] = [f for f in merged if f.rule == "suppression.unused"]
    assert report.data["selectors"] == ["debris.html"]
    assert "nothing was reported for debris.html here" in report.message
    assert get_linter(Options(ignore=("garble.round_trip",))).admit(doc, [], extra) == []
    raised = get_linter(Options(severity=(("garble.round_trip", "error"),))).admit(doc, [], extra)
    assert [f.severity for f in raised] == [Severity.ERROR]
    assert get_linter(Options(accept=("Garbled two.",))).admit(doc, [], extra[1:]) == []
