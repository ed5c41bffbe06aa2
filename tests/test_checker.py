"""One checking service (normalize/checker.py): every entry point resolves options,
validates them and serialises findings the same way.

The same text with the same options gives the same JSON through the CLI, the API
(``normalize.check``), the batch engine, Dask and the desk; severity overrides,
accepted and rejected terms work through each; the API reads a configuration
file only when asked.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import normalize
from normalize import cli
from normalize.batch.inputs import expand_inputs
from normalize.batch.records import Task
from normalize.batch.run import BatchRun
from normalize.checker import (
    Checker,
    as_options,
    file_result,
    get_linter,
    json_report,
    resolve_options,
)
from normalize.document import Document
from normalize.errors import UsageError
from normalize.findings import Severity
from normalize.linter import Options

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "corpora" / "examples" / "wire-kharkiv-en-from-fr.txt"

#: The options under test, as a request, as API arguments and as mtnorm.toml.
OPTS = {
    "lang": "en", "style": "ap", "source_lang": "fr",
    "severity": {"toponym": "error", "debris": "info", "calque.false_friend": "info"},
    "accept": ["Kiev"],
    "reject": {"fighting": "combat", "partial results": None},
}
TOML = """\
lang = "en"
style = "ap"
source_lang = "fr"
accept = ["Kiev"]
reject = { fighting = "combat" }

[severity]
toponym = "error"
debris = "info"
"calque.false_friend" = "info"
"""


def text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def toml_opts() -> dict:
    """OPTS as TOML can say them (no null replacement)."""
    return {**OPTS, "reject": {"fighting": "combat"}}


@pytest.fixture()
def story(tmp_path: Path) -> Path:
    path = tmp_path / "desk" / "story.txt"
    path.parent.mkdir()
    path.write_text(text(), encoding="utf-8")
    return path


@pytest.fixture()
def config(tmp_path: Path) -> Path:
    path = tmp_path / "mtnorm.toml"
    path.write_text(TOML, encoding="utf-8")
    return path


def cli_json(capsys, *args: str) -> dict:
    code = cli.main(["check", "--format", "json", "--fail-on", "never", *args])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


def api_doc(path: str, **kwargs) -> dict:
    """What the API gives, serialised as the CLI serialises it."""
    findings = normalize.check(text(), path=path, **kwargs)
    options = resolve_options({k: v for k, v in kwargs.items() if k != "config"},
                              config=kwargs.get("config"), path=path)
    return json_report([file_result(path, options, findings)])


def without_version(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "version"}


# -- the options take effect everywhere ------------------------------------------------------

def test_severity_accept_and_reject_take_effect_through_the_api() -> None:
    plain = {(f.rule, f.text): f for f in normalize.check(text(), "en", "ap", "fr")}
    found = {(f.rule, f.text): f for f in normalize.check(text(), **OPTS)}
    assert ("toponym.variant", "Kiev") in plain and ("toponym.variant", "Kiev") not in found
    assert found[("toponym.variant", "Kharkov")].severity is Severity.ERROR
    assert plain[("toponym.variant", "Kharkov")].severity is Severity.WARNING
    assert found[("debris.pattern", "[ad_1]")].severity is Severity.INFO
    assert found[("terms.rejected", "fighting")].replacement == "combat"
    assert found[("terms.rejected", "partial results")].replacement is None
    assert not any(rule == "terms.rejected" for rule, _ in plain)


def test_the_same_options_give_the_same_json_everywhere(capsys, story: Path, config: Path,
                                                        tmp_path: Path) -> None:
    pytest.importorskip("starlette")
    pytest.importorskip("httpx")
    from starlette.testclient import TestClient

    from normalize.server import create_app

    shown = str(story)
    by_cli = cli_json(capsys, "--config", str(config), shown)
    assert any(f["rule"] == "terms.rejected" for f in by_cli["files"][0]["findings"])
    # The API: from the same file, discovered from the path, or as arguments.
    assert api_doc(shown, config=config) == by_cli
    assert api_doc(shown, config=True) == by_cli   # found walking up from the story
    assert api_doc(shown, **toml_opts()) == by_cli
    # The desk: the same document, from the same serialiser.
    with TestClient(create_app(timeout=600)) as client:
        response = client.post("/api/check", json={"text": text(), "path": shown, **toml_opts()})
    assert response.status_code == 200, response.text
    assert response.json() == by_cli
    # The batch engine, given the Checker's options for each file.
    checker = Checker(config=config)
    files = expand_inputs([shown])
    results = []
    BatchRun(Task("check"), files, lambda f: checker.options_for(f.path),
             on_file=lambda source, summary, outcome: results.append(
                 file_result(summary.path, checker.options_for(source.path), outcome.findings)),
             quiet=True).run()
    assert without_version(json_report(results)) == without_version(by_cli)


def test_config_discovery_follows_the_path(capsys, story: Path, tmp_path: Path) -> None:
    (story.parent / "mtnorm.toml").write_text(TOML, encoding="utf-8")
    by_cli = cli_json(capsys, str(story))          # the CLI finds it walking up
    assert api_doc(str(story), config=True) == by_cli
    assert api_doc(str(story), config=story.parent / "mtnorm.toml") == by_cli
    # Without config= nothing is read: the defaults, whatever lies beside the path.
    assert normalize.check(text(), path=str(story)) == normalize.check(text())
    assert by_cli["files"][0]["findings"] != [f.to_dict() for f in normalize.check(text())]


def test_records_through_batch_and_dask_match_the_api(tmp_path: Path) -> None:
    pytest.importorskip("dask.bag")
    pytest.importorskip("pandas")
    import dask.bag as db

    from normalize import dask as ndask

    line = json.dumps({"id": "r1", "text": text()}, ensure_ascii=False) + "\n"
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(line, encoding="utf-8")
    expected = [(f.rule, f.start, f.end, f.severity.name.lower(), f.message, f.replacement)
                for f in normalize.check(text(), **OPTS)]
    # Dask takes the API's options as a mapping, resolved by the same code.
    found = ndask.check_bag(db.from_sequence([line], npartitions=1), dict(OPTS)) \
        .compute(scheduler="synchronous")
    assert [(f["rule"], f["start"], f["end"], f["severity"], f["message"], f["replacement"])
            for f in found] == expected
    outcomes = []
    BatchRun(Task("check"), expand_inputs([str(corpus)]), lambda f: as_options(OPTS),
             on_file=lambda source, summary, outcome: outcomes.extend(outcome.findings),
             quiet=True).run()
    assert [(f.rule, f.start, f.end, f.severity.name.lower(), f.message, f.replacement)
            for f in outcomes] == expected


# -- resolution ----------------------------------------------------------------------------------

def test_no_options_are_the_defaults() -> None:
    doc = Document(text())
    assert normalize.check(text()) == get_linter(Options()).check(doc)
    assert resolve_options({}) == Options()
    assert resolve_options({"lang": None, "select": None}) == Options()


def test_arguments_win_over_the_configuration_and_merge_its_tables(config: Path) -> None:
    options = resolve_options({"style": "default", "severity": {"toponym": "info"},
                               "accept": ["Odessa"], "reject": ["leverage"]}, config=config)
    assert options.style == "default"               # replaced
    assert options.source_lang == "fr"              # the configuration's
    assert dict(options.severity) == {"toponym": "info", "debris": "info",
                                      "calque.false_friend": "info"}   # merged, argument wins
    assert options.accept == ("Kiev", "Odessa")
    assert dict(options.reject) == {"fighting": "combat", "leverage": None}


def test_a_checker_resolves_for_its_configuration(config: Path, tmp_path: Path) -> None:
    checker = Checker(config=config)
    assert checker.check(text(), select="toponym") == normalize.check(text(), config=config,
                                                                      select=["toponym"])
    assert checker.fix(text()).text == normalize.fix(text(), config=config).text
    assert Checker().options_for(None, {"lang": "fr"}) == Options(lang="fr")
    assert Checker(discover=True).settings_for(tmp_path / "x.txt").style == "ap"
    with pytest.raises(UsageError, match="unknown key 'colour' in the arguments"):
        checker.check("x", colour="red")


def test_select_takes_a_comma_string_as_on_the_command_line() -> None:
    assert resolve_options({"select": "toponym, debris"}).select == ("toponym", "debris")
    assert resolve_options({"select": ("toponym",)}).select == ("toponym",)


@pytest.mark.parametrize("given, message", [
    ({"severity": {"bogus": "error"}},
     "key 'severity' in the arguments: unknown rule, group or category 'bogus'"),
    ({"severity": {"toponym": "fatal"}},
     "key 'severity' in the arguments: 'toponym' must be one of error, warning, info, not 'fatal'"),
    ({"accept": "Kiev"}, "key 'accept' in the arguments: expected an array of strings"),
    ({"reject": {"a": 1}}, "the replacement for 'a' must be a string, not an integer"),
    ({"reject": {"use": "use"}}, "contains the rejected term 'use'"),
    ({"select": ["nope"]}, "key 'select' in the arguments: unknown rule, group or category 'nope'"),
    ({"style": "zz"}, "key 'style' in the arguments: unknown style 'zz'"),
    ({"lang": "xx"}, "key 'lang' in the arguments: unsupported language 'xx'"),
])
def test_bad_arguments_get_the_configuration_messages(given: dict, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        normalize.check("Kiev", **given)
    assert message in str(caught.value)


def test_a_missing_configuration_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="configuration file not found"):
        normalize.check("Kiev", config=tmp_path / "nope.toml")


def test_unknown_option_names_are_type_errors() -> None:
    with pytest.raises(TypeError, match="unknown options"):
        resolve_options({"colour": "red"})
    with pytest.raises(TypeError, match="unknown options"):
        as_options({"fail_on": "never"})


def test_fix_takes_the_same_options() -> None:
    result = normalize.fix(text(), **OPTS)
    assert "combat" in result.text and "fighting" not in result.text
    assert not any(f.text == "Kiev" for f in result.remaining)


def test_no_entry_point_imports_private_cli_helpers() -> None:
    import ast

    for path in (ROOT / "normalize").rglob("*.py"):
        if "commands" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and "commands" in (node.module or "") \
                    and node.level:
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path}: imports {private} from {node.module}"
