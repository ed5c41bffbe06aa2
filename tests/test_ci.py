"""The CI side of check: configuration files, inline suppressions, baselines, SARIF for corpora,
and the documented CI integrations (pre-commit hooks, GitHub Actions) using real flags."""
from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
import yaml

from normalize.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
VARIANT = "Officials in Nagorny Karabakh said the talks would resume.\n"


def run(argv: list[str]) -> int:
    return main(argv)


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with a config at its root; the run happens from elsewhere."""
    (tmp_path / "proj" / "news" / "fr").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    return tmp_path / "proj"


def _json(capsys: pytest.CaptureFixture[str]) -> list[dict]:
    return json.loads(capsys.readouterr().out)["files"]


# -- configuration -----------------------------------------------------------------------
def test_config_found_walking_up_and_overrides(project: Path, capsys) -> None:
    (project / "mtnorm.toml").write_text(
        'style = "ap"\nignore = ["typography"]\n'
        '[[overrides]]\npaths = ["news/fr/**"]\nlang = "fr"\nstyle = "default-fr"\n', encoding="utf-8")
    (project / "news" / "a.txt").write_text(VARIANT.replace("the talks", "the  talks"), encoding="utf-8")
    (project / "news" / "fr" / "b.txt").write_text("Le ministre a parlé à Kiev.\n", encoding="utf-8")
    run(["check", "-f", "json", "--fail-on", "never", str(project / "news")])
    files = {Path(f["path"]).name: f for f in _json(capsys)}
    assert (files["a.txt"]["lang"], files["a.txt"]["style"]) == ("en", "ap")
    assert [f["rule"] for f in files["a.txt"]["findings"]] == ["toponym.variant"]  # no double space
    assert files["b.txt"]["lang"] == "fr" and files["b.txt"]["style"] == "default-fr"


def test_cli_beats_config_and_isolated_ignores_it(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text('[tool.mtnorm]\nselect = ["debris"]\n', encoding="utf-8")
    (project / "a.txt").write_text("[ad_1] " + VARIANT, encoding="utf-8")
    run(["check", "-f", "json", "--fail-on", "never", str(project / "a.txt")])
    assert {f["rule"] for f in _json(capsys)[0]["findings"]} == {"debris.pattern"}
    run(["check", "-f", "json", "--fail-on", "never", "--select", "toponym", str(project / "a.txt")])
    assert {f["rule"] for f in _json(capsys)[0]["findings"]} == {"toponym.variant"}
    run(["check", "-f", "json", "--fail-on", "never", "--isolated", str(project / "a.txt")])
    assert {"debris.pattern", "toponym.variant"} <= {f["rule"] for f in _json(capsys)[0]["findings"]}


def test_config_severity_and_fail_on(project: Path) -> None:
    (project / "a.txt").write_text("[ad_1] A clean sentence.\n", encoding="utf-8")
    assert run(["check", "-q", str(project / "a.txt")]) == 1  # debris.pattern is an error
    (project / "mtnorm.toml").write_text('[severity]\n"debris.pattern" = "info"\n', encoding="utf-8")
    assert run(["check", "-q", str(project / "a.txt")]) == 0
    (project / "mtnorm.toml").write_text('fail_on = "info"\n[severity]\ndebris = "info"\n', encoding="utf-8")
    assert run(["check", "-q", str(project / "a.txt")]) == 1


def test_config_reject_and_accept_terms(project: Path, capsys) -> None:
    (project / "mtnorm.toml").write_text(
        'style = "ap"\naccept = ["Nagorny Karabakh"]\n[reject]\nutilize = "use"\n', encoding="utf-8")
    (project / "a.txt").write_text("They utilize roads in Nagorny Karabakh.\n", encoding="utf-8")
    assert run(["fix", str(project / "a.txt"), "-o", str(project / "b.txt")]) == 0
    assert (project / "b.txt").read_text(encoding="utf-8") == "They use roads in Nagorny Karabakh.\n"


def test_bad_config_is_a_usage_error_naming_file_and_key(project: Path, capsys) -> None:
    (project / "mtnorm.toml").write_text('stlye = "ap"\n', encoding="utf-8")
    (project / "a.txt").write_text(VARIANT, encoding="utf-8")
    assert run(["check", str(project / "a.txt")]) == 2
    err = capsys.readouterr().err
    assert "mtnorm.toml" in err and "stlye" in err


# -- inline suppressions ------------------------------------------------------------------
def test_inline_suppression_and_unused_warning(tmp_path: Path, capsys) -> None:
    text = ("<!-- mtnorm: disable-next-line=debris.pattern -->\n[ad_1] First paragraph.\n"
            "[ad_1] Second paragraph.\n<!-- mtnorm: disable=toponym -->\nNothing here.\n")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    run(["check", "-f", "json", "--fail-on", "never", str(tmp_path / "a.txt")])
    findings = _json(capsys)[0]["findings"]
    assert [(f["rule"], f["line"]) for f in findings] == [("debris.pattern", 3), ("suppression.unused", 4)]
    assert run(["fix", str(tmp_path / "a.txt"), "-o", str(tmp_path / "b.txt")]) == 0
    fixed = (tmp_path / "b.txt").read_text(encoding="utf-8")
    assert "[ad_1] First" in fixed and "[ad_1] Second" not in fixed and "<!-- mtnorm:" in fixed


# -- baselines -------------------------------------------------------------------------------
def test_baseline_reports_only_new_findings(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus").mkdir()
    article = tmp_path / "corpus" / "a.txt"
    article.write_text("Intro.\n" + VARIANT, encoding="utf-8")
    records = tmp_path / "corpus" / "b.jsonl"
    records.write_text(json.dumps({"id": 1, "text": "[ad_1] Old debris."}) + "\n", encoding="utf-8")
    assert run(["check", "--style", "ap", "corpus", "--write-baseline", "base.json"]) == 0
    capsys.readouterr()
    assert json.loads((tmp_path / "base.json").read_text())["files"].keys() == {"corpus/a.txt", "corpus/b.jsonl"}
    assert run(["check", "--style", "ap", "-q", "corpus", "--baseline", "base.json"]) == 0
    # Unrelated lines above the known finding: still known. A new record: reported.
    article.write_text("New lead.\n\nIntro.\n" + VARIANT, encoding="utf-8")
    with records.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"id": 2, "text": "[ad_1] New debris."}) + "\n")
    capsys.readouterr()
    assert run(["check", "--style", "ap", "-q", "-f", "json", "corpus", "--baseline", "base.json"]) == 1
    found = [(Path(f["path"]).name, g["line"], g["rule"]) for f in _json(capsys) for g in f["findings"]]
    assert found == [("b.jsonl", 2, "debris.pattern")]


def test_missing_baseline_is_a_usage_error(tmp_path: Path, capsys) -> None:
    (tmp_path / "a.txt").write_text(VARIANT, encoding="utf-8")
    assert run(["check", str(tmp_path / "a.txt"), "--baseline", str(tmp_path / "nope.json")]) == 2
    assert "nope.json" in capsys.readouterr().err


# -- SARIF for a record corpus ----------------------------------------------------------------
def test_sarif_for_jsonl_records_validates(tmp_path: Path, capsys) -> None:
    if not SCHEMA.is_file():
        pytest.skip("../shared/schemas not present")
    jsonschema = pytest.importorskip("jsonschema")
    (tmp_path / "c.jsonl").write_text(
        json.dumps({"id": "x1", "text": VARIANT.strip()}) + "\n{broken\n"
        + json.dumps({"id": "x2", "text": "[ad_1] Debris."}) + "\n", encoding="utf-8")
    assert run(["check", "--style", "ap", "-f", "sarif", str(tmp_path / "c.jsonl")]) == 2
    doc = json.loads(capsys.readouterr().out)
    jsonschema.validate(doc, json.loads(SCHEMA.read_text(encoding="utf-8")))
    results = doc["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
             r["properties"]["record"]) for r in results] == [("toponym.variant", 1, "x1"),
                                                             ("debris.pattern", 3, "x2")]


# -- documented integrations use real flags ---------------------------------------------------
def _parses(command: str, *files: str) -> None:
    argv = shlex.split(command)
    assert argv[0] == "mtnorm", command
    build_parser().parse_args(argv[1:] + list(files))


def test_pre_commit_hooks_use_real_flags() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"mtnorm-check", "mtnorm-fix"}
    for hook in hooks:
        _parses(hook["entry"], "a.txt", "b.jsonl")  # pre-commit appends the staged files


def test_github_actions_example_uses_real_flags() -> None:
    workflow = yaml.safe_load((ROOT / "docs" / "examples" / "github-actions.yml").read_text(encoding="utf-8"))
    commands = [step["run"] for step in workflow["jobs"]["check"]["steps"]
                if step.get("run", "").startswith("mtnorm ")]
    assert len(commands) == 2
    for command in commands:
        _parses(command)
