"""Machine-readable outputs for CI: SARIF (validated against the 2.1.0 schema) and JUnit XML."""
from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from normalize.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "corpora" / "examples" / "wire-kharkiv-en-from-fr.txt"
SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"


def _run(capsys, *args):
    code = main(["check", "--lang", "en", "--style", "ap", *args])
    return code, capsys.readouterr().out


def test_sarif_is_valid_and_complete(capsys, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9\n")
    code, out = _run(capsys, "-f", "sarif", str(EXAMPLE), str(bad))
    assert code == 2  # one unreadable input
    doc = json.loads(out)
    run = doc["runs"][0]
    results = run["results"]
    _json_code, json_out = _run(capsys, "-f", "json", str(EXAMPLE))
    expected = json.loads(json_out)["files"][0]["findings"]
    assert [r["ruleId"] for r in results] == [f["rule"] for f in expected]
    first = results[0]["locations"][0]["physicalLocation"]["region"]
    assert (first["startLine"], first["startColumn"]) == (expected[0]["line"], expected[0]["column"])
    assert run["invocations"][0]["executionSuccessful"] is False
    assert "bad.txt" in run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert all(rule_ids[r["ruleIndex"]] == r["ruleId"] for r in results)
    if not SCHEMA.is_file():
        pytest.skip("../shared/schemas not present")
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(doc, json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_junit_marks_files_with_findings(capsys, tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text("Talks resumed on Monday.\n", encoding="utf-8")
    code, out = _run(capsys, "-f", "junit", str(EXAMPLE), str(clean))
    assert code == 1
    root = ET.fromstring(out.split("\n", 1)[1])
    cases = root.findall(".//testcase")
    assert [c.get("name") for c in cases] == [str(EXAMPLE), str(clean)]
    assert cases[0].find("failure") is not None and cases[1].find("failure") is None
    assert "debris.pattern" in cases[0].find("failure").text
